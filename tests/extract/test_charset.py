"""decode_html: declared charsets are believed only when the bytes agree."""

from __future__ import annotations

import codecs

import pytest

from newsdesk.extract import decode_html

TEXT = "Grüße aus Köln: Straßenbahn fährt wieder – „pünktlich“"


def page(charset_meta: str, body: str) -> str:
    return (
        f'<html><head><meta charset="{charset_meta}"><title>t</title></head>'
        f"<body><p>{body}</p></body></html>"
    )


def test_header_charset_wins_when_it_fits() -> None:
    data = page("utf-8", "Привет, мир").encode("koi8-r")
    assert "Привет, мир" in decode_html(data, content_type_charset="koi8-r")


def test_meta_charset_used_without_header() -> None:
    data = page("windows-1250", "Zażółć gęślą jaźń").encode("cp1250")
    assert "Zażółć gęślą jaźń" in decode_html(data)


def test_http_equiv_charset() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
        "</head><body><p>Grüße aus Köln kosten 5 €</p></body></html>"
    )
    assert "Grüße aus Köln kosten 5 €" in decode_html(html.encode("iso-8859-15"))


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_bom_overrides_declarations(bom: bytes, codec: str) -> None:
    data = bom + page("iso-8859-1", TEXT).encode(codec)
    assert TEXT in decode_html(data, content_type_charset="iso-8859-1")


def test_declared_latin1_but_utf8_bytes_is_read_as_utf8() -> None:
    data = page("iso-8859-1", TEXT).encode("utf-8")
    assert TEXT in decode_html(data, content_type_charset="iso-8859-1")


def test_declared_utf8_but_latin1_bytes_is_detected() -> None:
    body = " ".join([TEXT] * 20)
    data = page("utf-8", body).encode("cp1252")
    text = decode_html(data, content_type_charset="utf-8")
    assert "Grüße aus Köln" in text
    assert "\ufffd" not in text


def test_declared_utf8_with_a_stray_byte_stays_utf8() -> None:
    body = " ".join([TEXT] * 50)
    data = page("utf-8", body).encode("utf-8") + b"<!-- K\xfcchen -->"
    text = decode_html(data)
    assert "Grüße aus Köln" in text


def test_unknown_label_falls_through_to_utf8() -> None:
    data = page("x-no-such-charset", TEXT).encode("utf-8")
    assert TEXT in decode_html(data, content_type_charset="bogus")


def test_iso_2022_jp_label_is_trusted_for_seven_bit_bytes() -> None:
    data = page("iso-2022-jp", "日本語のニュース").encode("iso-2022-jp")
    assert "日本語のニュース" in decode_html(data)


def test_never_raises_on_garbage() -> None:
    assert isinstance(decode_html(bytes(range(256)) * 10), str)

"""Compressed bytes from a file or a pipe, told by their content and unpacked under a byte cap.

`page.html.gz` read from stdin has no name to say it is gzip: its first bytes do. gzip and zstd
carry a magic number; brotli has none, so bytes that are not text are tried as brotli. Every
decoder hands out bounded pieces (the fetcher's own, for gzip and brotli), so a bomb stops at
the cap instead of filling memory.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator

import zstandard

from newsdesk.errors import BinaryInputError, SourceError
from newsdesk.fetch.decode import CHUNK, BrotliDecoder, DecodeError, Decoder, ZlibDecoder

_GZIP = b"\x1f\x8b"
_ZSTD = b"\x28\xb5\x2f\xfd"
# Formats newsdesk does not unpack: refused by name rather than read as a garbled page.
_OTHER = {
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"PK\x03\x04": "zip",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
}
_TEXT_BOMS = (
    codecs.BOM_UTF8,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF16_LE,  # and UTF-32-LE, which starts the same
    codecs.BOM_UTF16_BE,
    b"<\x00",
    b"\x00<",
    b"\x00\x00\x00<",
)
# Bytes that text (in any ASCII-compatible charset) does not hold: C0 controls but tab, line
# feed, form feed, carriage return and escape (ISO-2022 uses it).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_SAMPLE = 4096
_BINARY_SHARE = 0.03  # compressed or random bytes hold about 9%; text almost none


def looks_binary(data: bytes) -> bool:
    """True when the first bytes are not text in any charset newsdesk reads."""
    if data.startswith(_TEXT_BOMS):
        return False
    sample = data[:_SAMPLE]
    return len(_CONTROL_BYTES.findall(sample)) > len(sample) * _BINARY_SHARE


def unpack(data: bytes, label: str, max_bytes: int) -> bytes:
    """data itself when it is text; its gzip, zstd or brotli content (at most max_bytes) when
    compressed; BinaryInputError for other binary data, SourceError past the cap."""
    if data.startswith(_GZIP):
        return _decode(ZlibDecoder(gzip=True), data, label, "gzip", max_bytes)
    if data.startswith(_ZSTD):
        return _bounded(_zstd_pieces(data), label, "zstd", max_bytes)
    for magic, name in _OTHER.items():
        if data.startswith(magic):
            raise BinaryInputError(f"file: {label}: {name}, not a page, feed or text file")
    if not looks_binary(data):
        return data
    try:
        text = _decode(BrotliDecoder(), data, label, "brotli", max_bytes)
    except BinaryInputError:
        text = b""
    if text and not looks_binary(text):
        return text
    raise BinaryInputError(
        f"file: {label}: binary data, not a page, feed or text file "
        "(gzip, zstd and brotli are unpacked; other formats are not)"
    )


def _decode(decoder: Decoder, data: bytes, label: str, name: str, max_bytes: int) -> bytes:
    def pieces() -> Iterator[bytes]:
        for start in range(0, len(data), CHUNK):
            yield from decoder.feed(data[start : start + CHUNK])
        yield from decoder.flush()

    return _bounded(pieces(), label, name, max_bytes)


def _zstd_pieces(data: bytes) -> Iterator[bytes]:
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True)
    while piece := reader.read(CHUNK):
        yield piece


def _bounded(pieces: Iterator[bytes], label: str, name: str, max_bytes: int) -> bytes:
    out = bytearray()
    try:
        for piece in pieces:
            out += piece
            if len(out) > max_bytes:
                raise SourceError(
                    f"file: {label}: {name} content is over {max_bytes} bytes, the "
                    "max_file_bytes limit (NEWSDESK_MAX_FILE_BYTES)"
                )
    except (DecodeError, zstandard.ZstdError, EOFError) as exc:
        why = " ".join(str(exc).split())[:120] or exc.__class__.__name__
        raise BinaryInputError(f"file: {label}: damaged {name} data ({why})") from None
    return bytes(out)

"""OPML subscription lists in and out; malformed real-world lists are read leniently."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from lxml import etree

from newsdesk.errors import BadUrlError, OpmlError
from newsdesk.models import FeedRef, OpmlResult
from newsdesk.sanitize import clean_text
from newsdesk.sources.fields import plain_title
from newsdesk.sources.guard import harden_xml
from newsdesk.sources.links import parse_url, safe_url, shown_url, subscription_refusal

MAX_OPML_BYTES = 20 * 1024 * 1024
MAX_FEEDS = 50_000
_OUTLINE = re.compile(r"<outline\b(.*?)(?=<outline\b|</outline\s*>|</body\s*>|\Z)", re.I | re.S)
_ATTR = re.compile(r"""([A-Za-z_:][\w:.\-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_RAW_AMP = re.compile(rb"&(?!#?[A-Za-z0-9]+;)")
_XMLURL = re.compile(r"xmlUrl\s*=", re.I)


def _parser(recover: bool) -> etree.XMLParser:
    # No entity expansion, no DTD loading, no network, no huge trees: the list is untrusted.
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )


def _ref(attrs: dict[str, str], category: str | None, errors: list[str]) -> FeedRef | None:
    """The outline's feed, or None with one line in errors saying which outline and why."""
    lowered = {k.lower(): v for k, v in attrs.items()}
    raw = lowered.get("xmlurl") or ""
    try:
        xml_url = parse_url(raw.strip())
    except BadUrlError as exc:
        errors.append(f"opml: outline {_label(attrs)}: xmlUrl refused, {exc.reason}")
        return None
    if not xml_url:
        errors.append(f"opml: outline {_label(attrs)}: no usable http(s) xmlUrl")
        return None
    # The same rule as the JSON API's: a feed URL with credentials in it is never stored.
    refusal = subscription_refusal(xml_url)
    if refusal:
        errors.append(f"opml: outline {_label(attrs)}: xmlUrl refused, {refusal}")
        return None
    title = plain_title(lowered.get("title")) or plain_title(lowered.get("text"))
    return FeedRef(xml_url, title, safe_url(lowered.get("htmlurl")), category)


def _folder_name(attrs: dict[str, str]) -> str | None:
    attrs = {k.lower(): v for k, v in attrs.items()}
    return plain_title(attrs.get("title")) or plain_title(attrs.get("text"))


def _from_tree(root: etree._Element) -> tuple[list[FeedRef], list[str]]:
    feeds: list[FeedRef] = []
    errors: list[str] = []

    def walk(node: etree._Element, category: str | None, depth: int) -> None:
        for child in node:
            if not isinstance(child.tag, str) or child.tag.lower() != "outline" or depth > 50:
                continue
            attrs = {str(k): str(v) for k, v in child.attrib.items()}
            if any(k.lower() == "xmlurl" for k in attrs):
                ref = _ref(attrs, category, errors)
                if ref:
                    feeds.append(ref)
            walk(child, _folder_name(attrs) or category if len(child) else category, depth + 1)

    body = next(
        (n for n in root.iter() if isinstance(n.tag, str) and n.tag.lower() == "body"), root
    )
    walk(body, None, 0)
    return feeds, errors


def _label(attrs: dict[str, str]) -> str:
    lowered = {k.lower(): v for k, v in attrs.items()}
    name = lowered.get("text") or lowered.get("title")
    if not name:
        name = shown_url(lowered["xmlurl"], 80) if lowered.get("xmlurl") else "?"
    return repr(" ".join(name.split())[:80])


def _scan(text: str) -> tuple[list[FeedRef], list[str]]:
    """Outlines found by a regex over the raw text: the last resort for broken XML."""
    feeds: list[FeedRef] = []
    errors: list[str] = []
    category: str | None = None
    for match in _OUTLINE.finditer(text):
        chunk = match.group(1)
        attrs = {
            m.group(1): html.unescape(m.group(2) or m.group(3) or "") for m in _ATTR.finditer(chunk)
        }
        if "xmlurl" not in {k.lower() for k in attrs}:
            if _XMLURL.search(chunk):
                errors.append(f"opml: outline near {chunk[:60].strip()!r}: unreadable xmlUrl")
            elif not chunk.rstrip().endswith("/>"):
                category = _folder_name(attrs) or category
            continue
        ref = _ref(attrs, category, errors)
        if ref:
            feeds.append(ref)
    return feeds, errors


def _tree(data: bytes) -> tuple[etree._Element | None, list[str]]:
    """The parsed list: strict first, then with raw "&" escaped, then lxml's recover mode."""
    try:
        return etree.fromstring(data, _parser(recover=False)), []
    except etree.XMLSyntaxError as exc:
        errors = [f"opml: not well-formed XML, read leniently ({exc.msg})"]
    # The commonest mess: a bare "&" in an xmlUrl query string.
    fixed = _RAW_AMP.sub(b"&amp;", data)
    for recover in (False, True):
        try:
            root = etree.fromstring(fixed, _parser(recover=recover))
        except etree.XMLSyntaxError:
            continue
        if root is not None:
            return root, errors
    return None, errors


def parse_opml(data: bytes) -> OpmlResult:
    """The feeds in an OPML list (strict, then lenient); OpmlError only if none is readable."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"opml: list of {len(data)} bytes is over {MAX_OPML_BYTES}")
    # libxml2 expands internal entities inside attributes even with resolve_entities=False,
    # so a list with a DTD is refused before lxml sees it.
    data = harden_xml(data, OpmlError, "opml")
    root, errors = _tree(data)
    feeds: list[FeedRef] = []
    if root is not None:
        feeds, tree_errors = _from_tree(root)
        errors.extend(tree_errors)
    if errors:  # not well-formed: the regex scan may see outlines the recovered tree lost
        scanned, scan_errors = _scan(data.decode("utf-8", errors="replace"))
        if len(scanned) > len(feeds):
            feeds, errors = scanned, [*errors[:1], *scan_errors]
    if not feeds:
        raise OpmlError(errors[0] if errors else "opml: no feed outlines (xmlUrl) in the list")
    return OpmlResult(tuple(feeds[:MAX_FEEDS]), tuple(errors))


def _clean(text: str | None) -> str | None:
    return clean_text(text) if text else text


def export_opml(feeds: Iterable[FeedRef], title: str = "newsdesk subscriptions") -> str:
    """An OPML 2.0 document listing feeds, grouped in folder outlines by category."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for ref in feeds:
        feed = FeedRef(
            clean_text(ref.xml_url),
            _clean(ref.title),
            _clean(ref.html_url),
            _clean(ref.category),
        )
        parent = body
        if feed.category:
            if feed.category not in folders:
                folders[feed.category] = etree.SubElement(
                    body, "outline", text=feed.category, title=feed.category
                )
            parent = folders[feed.category]
        name = feed.title or feed.xml_url
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": feed.xml_url}
        if feed.html_url:
            attrs["htmlUrl"] = feed.html_url
        etree.SubElement(parent, "outline", attrs)
    body_text = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body_text

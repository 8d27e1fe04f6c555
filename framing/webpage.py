"""Saved web pages: the article's text and the page's metadata.

A saved news page is mostly not the article: navigation, cookie banners, related-article
lists, newsletter boxes, comment threads. :func:`read_page` keeps the article and drops the
rest with **trafilatura** (Barbaresi 2021, the extractor web-corpus and news research
standardised on), and reads the page's metadata with it: title, author, date, site name,
URL; the language comes from the page's ``lang`` declaration.

* **Modes** (:data:`HTML_MODES`): ``"precision"`` (default) drops anything doubtful, so that
  chrome does not become the outlet's words (no comments; link-dense blocks and tables of
  links pruned); ``"recall"`` keeps more of the page when unsure.
* **Fallback**: when trafilatura finds no main text, :mod:`framing.htmltext` (our own
  reader: everything outside navigation, headers, footers, asides and forms) reads the page.
  ``Page.reader`` says which one produced the text.
* **The text** is plain paragraphs separated by a blank line (``<br>`` a single line break),
  whitespace collapsed as a browser renders it: the same shape from either reader. Span
  offsets point into this text, not into the markup.
* **Nothing unaccounted for**: ``Page.extraction`` (the article's cleaning record) says the
  text was extracted from HTML, by which reader and in which mode, the encoding, and how many
  characters of the page's visible text were dropped.

:func:`decode_page` turns the page's bytes into text the way a browser does: a byte-order
mark, else the charset the page declares (``<meta charset>``, ``http-equiv``, an XML
declaration), else UTF-8; a page that declares nothing and is not valid UTF-8 is read as
windows-1252 (the web's default for undeclared pages), with a note saying so.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from framing import htmltext

__all__ = [
    "DEFAULT_HTML_MODE",
    "HTML_MODES",
    "HTML_SUFFIXES",
    "DecodedPage",
    "Page",
    "decode_page",
    "page_metadata_fields",
    "read_page",
]

HTML_SUFFIXES = (".html", ".htm")
HTML_MODES = ("precision", "recall")
DEFAULT_HTML_MODE = "precision"
READER_TRAFILATURA = "trafilatura"
READER_FALLBACK = "htmltext"
# trafilatura's fast mode: no second opinion from its readability and jusText ports. On our
# pages it changes no snippet decision and saves a quarter of the reading time
# (benchmarks/bench_html.py).
FAST = True
# Metadata a page can give, in the order records show them; ``outlet`` is the site name.
PAGE_METADATA = ("title", "author", "date", "outlet", "url", "language")

# The charset prescan looks at the start of the page only, as browsers do (they stop at 1024
# bytes; saved pages often carry a long <head> of scripts first, so we look further).
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
# Labels browsers read differently from Python's codec of the same name (WHATWG Encoding).
_WHATWG_LABELS = {
    **dict.fromkeys(
        ("ascii", "us-ascii", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1",
         "cp819", "ibm819", "windows-1252", "x-cp1252", "cp1252", "ansi_x3.4-1968"), "cp1252"),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "windows-1254"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "windows-874"), "cp874"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "chinese", "csgb2312"), "gb18030"),
    # A page cannot really be UTF-16 if its <meta> is readable as ASCII: browsers use UTF-8.
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "utf-8", "utf8", "unicode-1-1-utf-8"), "utf-8"),
}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_C1_HANDLER = "framing-whatwg-c1"


def _c1_passthrough(error: UnicodeError) -> tuple[str, int]:
    """The five bytes windows-1252 leaves undefined map to U+0081... in browsers, not errors."""
    assert isinstance(error, UnicodeDecodeError)
    return chr(error.object[error.start]), error.start + 1


codecs.register_error(_C1_HANDLER, _c1_passthrough)


# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True, slots=True)
class DecodedPage:
    text: str
    encoding: str                       # the Python codec used
    declared: str | None                # the charset label the page declares, if any
    bad: tuple[tuple[int, int], ...]    # (byte offset, length) of each sequence replaced by U+FFFD
    bom: int                            # bytes of byte-order mark skipped
    note: str | None = None             # something the reader should know (a guess, a mismatch)

    @property
    def bad_bytes(self) -> int:
        return sum(n for _, n in self.bad)


def declared_charset(data: bytes) -> str | None:
    """The charset label the page declares in its first bytes, lower-cased, or None."""
    head = data[:_PRESCAN_BYTES]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii").lower() if found else None


def _codec(label: str) -> str | None:
    if label in _WHATWG_LABELS:
        return _WHATWG_LABELS[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode(data: bytes, codec: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Decode, replacing each undecodable sequence by U+FFFD and saying where it was."""
    errors = _C1_HANDLER if codec == "cp1252" else "strict"
    try:
        return data.decode(codec, errors), ()
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    bad: list[tuple[int, int]] = []
    pos = 0
    decoder = codecs.getincrementaldecoder(codec)(errors)
    while pos < len(data):
        try:
            parts.append(decoder.decode(data[pos:], final=True))
            break
        except UnicodeDecodeError as e:
            decoder.reset()
            parts.append(data[pos:pos + e.start].decode(codec, errors))
            parts.append("\ufffd")
            bad.append((pos + e.start, max(1, e.end - e.start)))
            pos += max(e.end, e.start + 1)
    return "".join(parts), tuple(bad)


def decode_page(data: bytes, *, guess: bool = True) -> DecodedPage:
    """Decode a saved page's bytes as a browser would (see the module docstring).

    ``guess=False``: an undeclared page that is not valid UTF-8 is decoded as UTF-8 with
    replacements (reported in ``bad``) instead of being read as windows-1252.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, bad = _decode(data[len(bom):], codec)
            return DecodedPage(text, codec, declared_charset(data[len(bom):]), _shift(bad, len(bom)), len(bom))
    label = declared_charset(data)
    codec = _codec(label) if label else None
    if codec is not None and codec != "utf-8":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and not text.isascii():
            return DecodedPage(text, "utf-8", label, (), 0,
                               f"the page declares charset {label!r} but its bytes are valid UTF-8: read as UTF-8")
        text, bad = _decode(data, codec)
        return DecodedPage(text, codec, label, bad, 0)
    text, bad = _decode(data, "utf-8")
    note = None
    if label and codec is None:
        note = f"unknown charset {label!r} declared: read as UTF-8"
    if bad and label is None and guess:
        text, _ = _decode(data, "cp1252")
        return DecodedPage(text, "cp1252", None, (), 0,
                           "no charset declared and the page is not valid UTF-8: read as windows-1252")
    return DecodedPage(text, "utf-8", label, bad, 0, note)


def _shift(bad: tuple[tuple[int, int], ...], by: int) -> tuple[tuple[int, int], ...]:
    return tuple((off + by, n) for off, n in bad)


# --------------------------------------------------------------------------- extraction


@dataclass(frozen=True, slots=True)
class Page:
    """What a saved page gives: the article text, metadata, and how the text was obtained."""

    text: str                              # "" when neither reader found any text
    metadata: dict[str, str]               # only fields the page gives (PAGE_METADATA)
    reader: str                            # "trafilatura" or "htmltext" (the fallback)
    extraction: dict[str, Any] = field(default_factory=dict)   # the cleaning record
    reason: str | None = None              # why ``text`` is empty


def page_metadata_fields() -> tuple[str, ...]:
    return PAGE_METADATA


def read_page(html: str, *, mode: str = DEFAULT_HTML_MODE, encoding: str | None = None,
              html_sha256: str | None = None) -> Page:
    """Extract the article text and the metadata of a decoded page.

    ``mode``: one of :data:`HTML_MODES`. ``encoding`` and ``html_sha256`` (of the bytes the
    page was read from) go into the extraction record as given; the hash defaults to that of
    ``html`` encoded as UTF-8.
    """
    if mode not in HTML_MODES:
        raise ValueError(f"unknown HTML mode {mode!r}; available: {', '.join(HTML_MODES)}")
    import trafilatura  # imported on first use: reading .txt/.jsonl never pays for it

    digest = html_sha256 or hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()
    tree = trafilatura.load_html(html) if html.strip() else None
    if tree is None:
        visible = 0
        metadata: dict[str, str] = {}
        text = ""
    else:
        metadata = _page_metadata(tree)   # first: it reads <title> and JSON-LD <script>s
        visible = _visible_chars(tree)    # strips what is not rendered
        text = _trafilatura(trafilatura, tree, mode, metadata.get("url"))
    reader = READER_TRAFILATURA
    if not text:
        reader = READER_FALLBACK
        fallback = htmltext.extract(html)
        text = fallback.text
        if fallback.title and "title" not in metadata:
            metadata["title"] = fallback.title
    text_chars = _collapsed_len(text)
    extraction = {
        "from": "html",
        "reader": reader,
        "reader_version": trafilatura.__version__ if reader == READER_TRAFILATURA else None,
        "mode": mode,
        "encoding": encoding,
        "html_sha256": digest,
        "page_chars": visible,
        "text_chars": text_chars,
        "dropped_chars": max(0, visible - text_chars),
    }
    reason = None
    if not text.strip():
        reason = ("no article text: the page has no visible text" if not visible else
                  f"no article text: trafilatura found no main text and the fallback reader only page chrome "
                  f"(navigation, headers, footers, forms) in the page's {visible} characters of visible text")
    return Page(text=text, metadata=metadata, reader=reader, extraction=extraction, reason=reason)


def _trafilatura(trafilatura: Any, tree: Any, mode: str, url: str | None) -> str:
    precision = mode == "precision"
    if precision:
        _prune_links(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=FAST,
        favor_precision=precision,
        favor_recall=not precision,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )
    if document is None or document.body is None:
        return ""
    return "\n\n".join(_paragraphs(document.body))


# Precision mode drops blocks that are mostly links (Kohlschuetter et al. 2010: link density
# separates navigation from prose): tables of links (infoboxes of related articles, link
# grids), and short paragraphs that are a link with a label ("Read more: <a>...</a>").
_TABLE_LINK_SHARE = 0.5
_PARAGRAPH_LINK_SHARE = 0.7
_PARAGRAPH_MAX_WORDS = 25


def _prune_links(tree: Any) -> None:
    doomed = []
    for element in tree.iter("table", "p"):
        text = " ".join(element.text_content().split())
        if not text:
            continue
        linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
        share = linked / len(text)
        if element.tag == "table" and share >= _TABLE_LINK_SHARE:
            doomed.append(element)
        elif element.tag == "p" and share >= _PARAGRAPH_LINK_SHARE and len(text.split()) <= _PARAGRAPH_MAX_WORDS:
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        if element.tail and element.tail.strip():   # keep the text that follows the element
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
        parent.remove(element)


def _page_metadata(tree: Any) -> dict[str, str]:
    """Title, author, date, site name (as ``outlet``), URL and language of the page.

    trafilatura's ``extract_metadata`` in its own steps, less the categories and tags it also
    collects (a third of its time, and not used here): ``<meta>`` tags, then JSON-LD, then the
    page's markup for whatever is still missing; the date by htmldate from the markup only (a
    date guessed from the running text, or from a comment, is worse than no date).
    """
    from htmldate import find_date
    from trafilatura import metadata as tm

    try:
        found = tm.examine_meta(tree)
        if found.author and " " not in found.author:   # as trafilatura: a one-word author is a handle
            found.author = None
        try:
            found = tm.extract_meta_json(tree, found)
        except Exception:  # noqa: BLE001 - malformed JSON-LD: keep what the <meta> tags gave
            pass
        found.title = found.title or tm.extract_title(tree)
        found.author = found.author or tm.extract_author(tree)
        found.url = found.url or tm.extract_url(tree)
        found.date = find_date(tree, url=found.url, extensive_search=False, original_date=True)
        found.sitename = found.sitename or tm.extract_sitename(tree)
        if not found.sitename and found.url and (host := tm.META_URL.match(found.url)):
            found.sitename = host[1]
    except Exception:  # noqa: BLE001 - metadata is a bonus: a page without it is still read
        found = None
    values = {
        "title": found and found.title,
        "author": found and found.author,
        "date": found and found.date,
        "outlet": found and found.sitename and found.sitename.lstrip("@"),
        "url": found and found.url,
        "language": _language(tree),
    }
    return {k: " ".join(str(v).split()) for k, v in values.items() if v and str(v).strip()}


def _language(tree: Any) -> str | None:
    """The page's declared language: ``<html lang>``, else Content-Language, else og:locale."""
    root = tree.getroottree().getroot()
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        for meta in root.iter("meta"):
            key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
            if key in ("content-language", "og:locale", "language", "dc.language"):
                lang = meta.get("content")
                if lang:
                    break
    if not lang or not lang.strip():
        return None
    return lang.strip().split(",")[0].strip().replace("_", "-")


# Block elements of trafilatura's XML body: each starts a paragraph.
_BLOCKS = frozenset({"p", "head", "item", "quote", "code", "list", "table", "row", "div", "body", "doc", "main"})
# Never rendered. (<head> itself counts: lxml puts stray body elements there when a page has no <body>.)
_NOT_RENDERED = ("script", "style", "noscript", "template", "title")
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0]+")


def _paragraphs(body: Any) -> list[str]:
    """Paragraphs of trafilatura's XML body: block elements split, ``<lb/>`` a line break.

    trafilatura normalises the whitespace of the text it keeps, so a newline left in a text
    node is one it put there (its baseline extractor joins lines with one): a line break too.
    """
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        lines = (_SPACE.sub(" ", line).strip() for line in "".join(buf).split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            out.append(paragraph)
        buf.clear()

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in _BLOCKS
        if block:
            flush()
        if tag == "lb":
            buf.append("\n")
        elif tag == "cell" and buf:
            buf.append(" ")
        if element.text and tag != "lb":
            buf.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        elif tag == "cell":
            buf.append(" ")
        if element.tail:
            buf.append(element.tail)

    walk(body)
    flush()
    return out


def _visible_chars(tree: Any) -> int:
    """Characters a browser would render from the page (whitespace collapsed).

    Strips what is never rendered (scripts, styles, ``<noscript>``, templates, the title,
    HTML comments) from ``tree``; trafilatura drops them anyway.
    """
    etree.strip_elements(tree, *_NOT_RENDERED, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return _collapsed_len(etree.tostring(tree, method="text", encoding=str))


def _collapsed_len(text: str) -> int:
    return len(" ".join(text.split()))

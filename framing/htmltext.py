"""Main text of an HTML page, as plain paragraphs: the fallback reader of web pages.

Saved pages are read with trafilatura (:mod:`framing.webpage`); this reader is used only when
trafilatura finds no main text, and as the baseline of ``benchmarks/bench_html.py``.

The extracted text is what analysis sees (span offsets point into it, not into the
markup).  Page chrome is dropped: ``script``, ``style``, ``nav``, ``header``,
``footer``, ``aside``, ``form`` and a few elements that never hold prose.  Block
elements become paragraphs separated by one blank line; inside a paragraph, runs of
HTML whitespace collapse to one space (as a browser renders them), ``<br>`` becomes a
line break and ``<pre>`` keeps its whitespace.

Built on the standard library's :class:`html.parser.HTMLParser` so that reading HTML
adds no install requirement; it tolerates unclosed and misnested tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["Extracted", "extract"]

SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "nav", "header", "footer", "aside",
     "form", "svg", "iframe", "head", "button", "select", "textarea"}
)
BLOCKS = frozenset(
    {"html", "body", "main", "article", "section", "div", "p", "h1", "h2", "h3", "h4",
     "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table",
     "thead", "tbody", "tfoot", "tr", "caption", "figure", "figcaption", "address",
     "hr", "details", "summary", "fieldset", "center"}
)
CELLS = frozenset({"td", "th"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str             # paragraphs separated by "\n\n"; "" when the page has no text
    title: str | None     # from <title>, else the first <h1>


def extract(html: str) -> Extracted:
    """Extract the main text and title of ``html`` (a decoded string)."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    parser.flush()
    title = parser.title or parser.h1 or None
    return Extracted(text="\n\n".join(parser.paragraphs), title=title)


def _collapse(s: str) -> str:
    return _HTML_SPACE.sub(" ", s).strip(" ")


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.title = ""
        self.h1 = ""
        self._buf: list[str] = []      # pieces of the current paragraph; "\n" marks a <br>
        self._skip: dict[str, int] = {}  # open skipped elements by tag
        self._pre = 0
        self._in_title = False
        self._in_h1 = False
        self._title_buf: list[str] = []
        self._h1_buf: list[str] = []

    # paragraph assembly -------------------------------------------------
    def flush(self, *, pre: bool = False) -> None:
        raw = "".join(self._buf)
        self._buf.clear()
        if pre:
            text = raw.strip("\r\n")
            if text.strip():
                self.paragraphs.append(text)
            return
        lines = (_collapse(line) for line in raw.split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            self.paragraphs.append(text)

    # parser callbacks -----------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "h1" and not self.h1:
            self._in_h1 = True
        if tag in SKIPPED:
            self._skip[tag] = self._skip.get(tag, 0) + 1
            return
        if self._skip:
            return
        if tag in BLOCKS:
            self.flush()
            if tag == "pre":
                self._pre += 1
        elif tag == "br":
            self._buf.append("\n")
        elif tag in CELLS:
            self._buf.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            self.title = self.title or _collapse("".join(self._title_buf))
        elif tag == "h1" and self._in_h1:
            self._in_h1 = False
            self.h1 = _collapse("".join(self._h1_buf))
        if tag in SKIPPED:
            if self._skip.get(tag):
                self._skip[tag] -= 1
                if not self._skip[tag]:
                    del self._skip[tag]
            return
        if self._skip:
            return
        if tag in BLOCKS:
            self.flush(pre=tag == "pre" and self._pre > 0)
            if tag == "pre" and self._pre:
                self._pre -= 1
        elif tag in CELLS:
            self._buf.append(" ")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_buf.append(data)
        if self._in_h1:
            self._h1_buf.append(data)
        if not self._skip:
            # Outside <pre>, source newlines are just spaces; "\n" in the buffer marks a <br>.
            self._buf.append(data if self._pre else _HTML_SPACE.sub(" ", data))

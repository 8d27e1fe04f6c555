"""The small frozen span types every part of framing shares.

Offsets are Python string (Unicode code point) offsets into the original input text, so that
``text[span.start:span.end]`` is always the span's text, whatever cleaning did.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import NamedTuple


class Token(NamedTuple):
    """A word or punctuation token. Offsets only, like :class:`Span`, but a named tuple: an
    article has thousands of tokens, and a tuple is made in C, several times cheaper than a
    frozen dataclass (whose ``__init__`` sets each field through ``object.__setattr__``)."""

    start: int
    end: int

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


# Token from a (start, end) pair without a Python-level call: ``map(make_token, pairs)``.
make_token = partial(tuple.__new__, Token)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Quotation:
    """A quotation from its opening mark to its closing mark (or paragraph end, if unclosed)."""

    start: int
    end: int
    content_start: int
    content_end: int
    open_mark: str
    close_mark: str
    closed: bool
    level: int  # 0 = outermost; 1 = nested inside another quotation
    paragraphs: int = 1  # > 1 for a quote that runs over several paragraphs

    def contains(self, offset: int) -> bool:
        return self.content_start <= offset < self.content_end


@dataclass(frozen=True, slots=True)
class Removed:
    """Boilerplate kept as a record: excluded from analysis, never deleted from the text."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something odd about one article, reported instead of raised."""

    code: str
    message: str
    start: int | None = None
    end: int | None = None

"""Tokens of a sentence as the rules read them: offsets, lower-cased forms and quotedness as
parallel lists, built in one sweep per document."""

from __future__ import annotations

from functools import partial
from operator import attrgetter
from typing import NamedTuple


class Toks(list):
    """A sentence's tokens, with their lower-cased forms as ``lows`` (computed once)."""

    lows: list[str]


class Tok(NamedTuple):
    start: int
    end: int
    text: str
    low: str
    quoted: bool  # inside a quotation or a quotation mark


new_tok = partial(tuple.__new__, Tok)  # Tok from a 5-tuple without a Python-level call
_START, _END = attrgetter("start"), attrgetter("end")


class Sentence:
    """A sentence's tokens as parallel lists (offsets, lower-cased forms, quotedness).

    Every rule scans these; the ``Tok`` records with each token's surface text, which the
    speaker and content rules read, are built only for a sentence that has a cue."""

    __slots__ = ("starts", "ends", "lows", "quoted", "toks")

    def __init__(self, starts: list[int], ends: list[int], lows: list[str], quoted: list[bool]) -> None:
        self.starts, self.ends, self.lows, self.quoted = starts, ends, lows, quoted
        self.toks: Toks | None = None


def lows_of(toks: list[Tok]) -> list[str]:
    lows = getattr(toks, "lows", None)
    return lows if lows is not None else [t.low for t in toks]


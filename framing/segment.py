"""Paragraphs, sentences and tokens as character spans into the original text.

Nothing here rewrites the text: every function returns ``(start, end)`` offsets, so that
``text[start:end]`` is always the segment as the user gave it.

Sentences come from NLTK's Punkt with parameters trained on the open corpora that ship with
the project (``framing/data/punkt_en.json``, rebuilt by ``python -m framing.models.punkt``),
so no NLTK data package is ever downloaded. Tokens come from one compiled regular expression:
NLTK's ``NLTKWordTokenizer.span_tokenize`` gives the same kind of spans but is several times
slower and rewrites quotes internally before re-aligning them, which we do not need.
"""

from __future__ import annotations

import json
import re
from collections.abc import Container
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer


Offsets = tuple[int, int]

# A line "ends a sentence" when its last visible character closes one; trailing wiki citation
# marks like "[7]" or "[3][4]" do not count.
_SENTENCE_FINAL = set(".!?:;…\"”’»)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–—]\s|\d{1,3}[.)]\s|↑)")
_HEADING_MAX_CHARS = 80
# Sentences longer than this are cut into pieces (see split_long). The longest sentence Punkt
# finds in corpus/seeds and corpus/open (31,678 sentences) has 1,385 characters; 99.9% have
# at most 660.
MAX_SENTENCE_CHARS = 3_000

TOKEN_RE = re.compile(
    r"""
    https?://\S+[^\s.,;:!?)\]"”’]            # URLs
    | www\.\S+[^\s.,;:!?)\]"”’]
    | (?:[A-Za-z]\.){2,}                      # U.S., U.K., e.g.
    | \$?\d+(?:[.,]\d+)*%?                    # numbers, money, percentages
    | (?:\(\w{1,3}\))?\w+(?:\(\w{1,3}\))?     # words, incl. editorial insertions (W)e, need(s)
      (?:[-‑]\w+)*                            # hyphenated compounds: anti-Russian, US-dominated
      (?:['’](?![sS]\b)\w+)*                  # contractions and names: don't, O'Neill
    | ['’][sS]\b                              # possessive clitic: Russia ’s
    | \.{2,}                                  # ellipsis written as dots
    | \S                                      # any other visible character
    """,
    re.VERBOSE,
)


def iter_lines(text: str) -> list[Offsets]:
    """Spans of lines without their line terminator (\\n, \\r\\n or \\r)."""
    spans = []
    for match in re.finditer(r"[^\r\n]*", text):
        # finditer yields an empty match after each line; keep empty lines only once.
        if match.start() > 0 and match.start() == match.end() and text[match.start() - 1] not in "\r\n":
            continue
        spans.append((match.start(), match.end()))
    return spans


def strip_span(text: str, start: int, end: int) -> Offsets:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends a sentence, trailing citation marks and whitespace aside.

    Reads the span backwards from its end and copies nothing: the span is the paragraph built
    so far, which for hard-wrapped text without sentence ends grows line by line, so copying
    it (or running a regular expression over it) for each line was quadratic, 41 s for 400 KB.
    """
    tail = end
    while tail > start and text[tail - 1].isspace():
        tail -= 1
    cited = tail
    while cited > start and text[cited - 1] == "]":  # strip [7], [3][4], ...
        digit = cited - 2
        while digit >= start and text[digit].isdecimal():
            digit -= 1
        if digit == cited - 2 or digit < start or text[digit] != "[":
            break
        cited = digit
    if cited < tail:
        end = cited
    while end > start and text[end - 1].isspace():
        end -= 1
    return end == start or text[end - 1] in _SENTENCE_FINAL


def paragraph_spans(text: str, lines: list[Offsets] | None = None) -> list[Offsets]:
    """Split text into paragraphs.

    Blank lines always separate paragraphs. Inside a block of consecutive lines, a line break
    also separates paragraphs when the line ends a sentence, is short like a heading, or the
    next line is a list item; otherwise it is a soft wrap and the lines are joined. This reads
    both "one paragraph per line" text (wikis) and hard-wrapped text correctly.
    """
    if lines is None:
        lines = iter_lines(text)
    paragraphs: list[Offsets] = []
    current: Offsets | None = None
    for start, end in lines:
        start, end = strip_span(text, start, end)
        if start == end:
            if current:
                paragraphs.append(current)
            current = None
            continue
        if current is None:
            current = (start, end)
            continue
        last_line_start = text.rfind("\n", current[0], current[1]) + 1 or current[0]
        last_line = text[max(last_line_start, current[0]) : current[1]]
        breaks = (
            _ends_sentence(text, *current)
            or len(last_line) <= _HEADING_MAX_CHARS and not last_line.rstrip().endswith(",")
            and len(text[start:end]) > _HEADING_MAX_CHARS
            or _LIST_ITEM.match(text[start:end]) is not None
        )
        if breaks:
            paragraphs.append(current)
            current = (start, end)
        else:
            current = (current[0], end)
    if current:
        paragraphs.append(current)
    return paragraphs


@lru_cache(maxsize=1)
def _trained() -> dict:
    """The shipped ``punkt_en.json`` (trained by ``python -m framing.models.punkt``)."""
    return json.loads(resources.files("framing.data").joinpath("punkt_en.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    return frozenset(_trained().get("common_words", ()))


@lru_cache(maxsize=1)
def sentence_tokenizer() -> PunktSentenceTokenizer:
    """Punkt with the project's trained parameters (no NLTK data package needed)."""
    # Imported here: importing nltk takes about a second, which commands that never segment
    # text (--help, export, a report from scores) should not pay.
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    raw = _trained()
    params = PunktParameters()
    params.abbrev_types = set(raw["abbrev_types"])
    params.collocations = {tuple(pair) for pair in raw["collocations"]}
    params.sent_starters = set(raw["sent_starters"])
    for word, flags in raw["ortho_context"].items():
        params.ortho_context[word] = flags
    return PunktSentenceTokenizer(params)


def is_common_word(word: str) -> bool:
    """Whether the Punkt training text writes ``word`` as an ordinary word: in lower case in
    mid-sentence at least 90% of the time (its ``common_words``), or in lower case and never
    capitalised there. "However", "People" or "Others" opening a sentence is then not a proper
    name, while "Putin" (never lower case) or "Rice" (often capitalised mid-sentence) may be."""
    lowered = word.lower()
    if lowered in _common_words():
        return True
    from nltk.tokenize.punkt import _ORTHO_LC, _ORTHO_MID_UC

    flags = sentence_tokenizer()._params.ortho_context.get(lowered, 0)
    return bool(flags & _ORTHO_LC) and not flags & _ORTHO_MID_UC


_CITATION_MARK = re.compile(r"\[\d{1,3}\]")


def sentence_spans(text: str, start: int, end: int, closing_marks: Container[int] = ()) -> list[Offsets]:
    """Sentences of ``text[start:end]`` (one paragraph) as absolute offsets.

    ``closing_marks`` are offsets of quotation marks known to close a quotation. Punkt leaves
    such a mark, when written without a following space (``peoples."Alastair``), and wiki
    citation marks (``hegemony.”[3][4] China``) at the start of the next sentence; they are
    moved back to the end of the sentence they belong to.
    """
    chunk = text[start:end]
    spans: list[Offsets] = []
    for s, e in sentence_tokenizer().span_tokenize(chunk):
        s, e = strip_span(chunk, s, e)
        if s >= e:
            continue
        s, e = start + s, start + e
        if spans:
            tail = s
            while tail < e:
                citation = _CITATION_MARK.match(text, tail, e)
                if citation:
                    tail = citation.end()
                elif tail in closing_marks:
                    tail += 1
                else:
                    break
            if tail > s:
                spans[-1] = (spans[-1][0], tail)
                s = tail
                while s < e and text[s].isspace():
                    s += 1
                if s >= e:
                    continue
        spans.append((s, e))
    return spans


def split_long(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[Offsets]:
    """``text[start:end]`` cut into pieces of at most ``limit`` characters (stripped, in order).

    For run-on text that Punkt cannot split (a line without sentence ends, a table flattened to
    one line): analyzers look at a sentence as a whole, some at each word against the rest, so
    one sentence of 200,000 characters took 46 s to score. Each piece ends at the last
    whitespace in the second half of its window, so words stay whole; a window without any is
    cut at ``limit``. A span within the limit comes back as it is.
    """
    if limit < 1:
        raise ValueError(f"the sentence length limit must be at least 1, got {limit}")
    pieces: list[Offsets] = []
    while end - start > limit:
        cut = start + limit
        floor = start + limit // 2
        while cut > floor and not text[cut].isspace():
            cut -= 1
        if cut == floor:
            cut = start + limit
        piece = strip_span(text, start, cut)
        if piece[0] < piece[1]:
            pieces.append(piece)
        start = strip_span(text, cut, end)[0]
    if start < end:
        pieces.append((start, end))
    return pieces


def token_spans(text: str, start: int = 0, end: int | None = None) -> list[Offsets]:
    """Word and punctuation tokens of ``text[start:end]`` as absolute offsets."""
    end = len(text) if end is None else end
    return [m.span() for m in TOKEN_RE.finditer(text, start, end)]


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def normalise(word: str) -> str:
    """The lookup form of a word for lexicons: lower case, curly apostrophes as ``'``."""
    word = word.lower()
    # str.translate with a dict table costs a lookup per character; the apostrophes it maps are
    # not ASCII, so the (usual) ASCII word needs no translation at all.
    return word if word.isascii() else word.translate(_APOSTROPHES)


def count_words(text: str, start: int = 0, end: int | None = None) -> int:
    """Word tokens of ``text[start:end]`` (the tokens of :func:`token_spans` that hold a letter or
    digit), counted from the regex's strings rather than from spans to slice."""
    return sum(map(is_word, TOKEN_RE.findall(text, start, len(text) if end is None else end)))


def is_word(token: str) -> bool:
    # The first character settles almost every token; the generator only runs for the rest.
    return token[:1].isalnum() or any(ch.isalnum() for ch in token)

"""The Document: one article's original text plus every segment as offsets into it.

``Document.from_text`` runs the segmentation stage of the pipeline once: cleaning (chrome set
aside, never deleted), paragraphs, sentences and quotations. Tokens are computed on first use,
because not every analyzer needs them. The text is never modified, so for every span
``doc.text[span.start:span.end]`` is exactly what the user gave us.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from itertools import accumulate, compress
from types import MappingProxyType
from typing import Any

from framing.clean import Rule
from framing.clean import clean as find_chrome
from framing.quotes import find_quotations
from framing.segment import (
    MAX_SENTENCE_CHARS,
    is_word,
    normalise,
    paragraph_spans,
    sentence_spans,
    split_long,
    token_spans,
)
from framing.spans import Diagnostic, Quotation, Removed, Span, Token, make_token

__all__ = ["Document", "Span", "Token", "Quotation", "Removed", "Diagnostic"]

QUOTED_VOICE_SHARE = 0.5  # a sentence is the quoted voice when at least this share is quoted


class Document:
    """An article ready for analysis. Build it with :meth:`Document.from_text`."""

    __slots__ = (
        "id",
        "text",
        "metadata",
        "paragraphs",
        "sentences",
        "quotations",
        "removed",
        "references",
        "diagnostics",
        "_tokens",
        "_sentence_tokens",
        "_sentence_lookups",
        "_sentence_word_tokens",
        "_sentence_word_flags",
        "_sentence_word_lookups",
        "_sentence_words",
        "_sentence_voices",
        "_outer_quote_starts",
        "_outer_quote_reach",
        "_outer_quotes",
    )

    def __init__(
        self,
        *,
        id: str,
        text: str,
        metadata: Mapping[str, Any],
        paragraphs: tuple[Span, ...],
        sentences: tuple[Span, ...],
        quotations: tuple[Quotation, ...],
        removed: tuple[Removed, ...],
        references: tuple[Span, ...],
        diagnostics: tuple[Diagnostic, ...],
    ) -> None:
        self.id = id
        self.text = text
        self.metadata = MappingProxyType(dict(metadata))
        self.paragraphs = paragraphs
        self.sentences = sentences
        self.quotations = quotations
        self.removed = removed
        self.references = references
        self.diagnostics = diagnostics
        self._tokens: tuple[Token, ...] | None = None
        self._sentence_tokens: list[tuple[Token, ...]] | None = None
        self._sentence_lookups: list[list[str]] | None = None
        self._sentence_word_tokens: list[tuple[Token, ...]] | None = None
        self._sentence_word_flags: list[list[bool]] | None = None
        self._sentence_word_lookups: list[list[str]] | None = None
        self._sentence_words: list[list[str]] | None = None
        self._sentence_voices: tuple[str, ...] | None = None
        self._outer_quotes = [q for q in quotations if q.level == 0]
        self._outer_quote_starts = [q.content_start for q in self._outer_quotes]
        # The furthest content end of the quotations up to each one (non-decreasing, so it can be
        # bisected): the quotations before the first whose reach passes an offset all end before it.
        self._outer_quote_reach = list(accumulate((q.content_end for q in self._outer_quotes), max))

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        id: str = "doc",
        metadata: Mapping[str, Any] | None = None,
        clean: bool = True,
        chrome_rules: tuple[Rule, ...] | None = None,
        max_sentence_chars: int = MAX_SENTENCE_CHARS,
    ) -> Document:
        """Segment ``text``. With ``clean=False`` every line is treated as prose; else site
        chrome is set aside by ``chrome_rules`` (default: the shipped ``boilerplate.tsv``; a
        user's are merged in by ``Resources.chrome_rules()``).

        A sentence longer than ``max_sentence_chars`` (run-on text without sentence ends) is
        cut into pieces of at most that length (:func:`framing.segment.split_long`), with a
        ``long-sentence`` diagnostic on the article."""
        if not isinstance(text, str):
            raise TypeError(f"Document text must be str, not {type(text).__name__}")
        diagnostics: list[Diagnostic] = []
        if clean:
            chrome = find_chrome(text, chrome_rules)
            paragraphs = paragraph_spans(text, list(chrome.kept_lines))
            removed, references = chrome.removed, chrome.references
        else:
            paragraphs = paragraph_spans(text)
            removed, references = (), ()
        quotations, quote_problems = find_quotations(text, paragraphs)
        closing_marks = {q.end - 1 for q in quotations if q.closed}
        sentences: list[tuple[int, int]] = []
        cut: list[Diagnostic] = []
        for lo, hi in paragraphs:
            for start, end in sentence_spans(text, lo, hi, closing_marks):
                if end - start <= max_sentence_chars:
                    sentences.append((start, end))
                    continue
                pieces = split_long(text, start, end, max_sentence_chars)
                sentences.extend(pieces)
                cut.append(Diagnostic(
                    "long-sentence",
                    f"a sentence of {end - start} characters (no sentence end found) was cut into "
                    f"{len(pieces)} pieces of at most {max_sentence_chars} characters",
                    start, end,
                ))
        diagnostics.extend(quote_problems)
        diagnostics.extend(cut)
        if not paragraphs:
            diagnostics.append(Diagnostic("no-prose", "no prose left to analyze after cleaning"))
        return cls(
            id=id,
            text=text,
            metadata=metadata or {},
            paragraphs=tuple(Span(*p) for p in paragraphs),
            sentences=tuple(Span(*s) for s in sentences),
            quotations=tuple(quotations),
            removed=tuple(removed),
            references=tuple(references),
            diagnostics=tuple(diagnostics),
        )

    # -- tokens -------------------------------------------------------------------------

    @property
    def tokens(self) -> tuple[Token, ...]:
        """Word and punctuation tokens of the prose (sentence by sentence)."""
        if self._tokens is None:
            self._tokens = tuple(t for sentence in self.sentence_tokens() for t in sentence)
        return self._tokens

    def sentence_tokens(self) -> list[tuple[Token, ...]]:
        """Tokens grouped by sentence, parallel to :attr:`sentences`."""
        if self._sentence_tokens is None:
            self._sentence_tokens = [
                tuple(map(make_token, token_spans(self.text, sent.start, sent.end))) for sent in self.sentences
            ]
        return self._sentence_tokens

    def sentence_lookups(self) -> list[list[str]]:
        """Each token's lookup form (:func:`framing.segment.normalise`), parallel to
        :meth:`sentence_tokens`: computed once for the lexicon matchers of every analyzer."""
        if self._sentence_lookups is None:
            text = self.text
            self._sentence_lookups = [[normalise(text[s:e]) for s, e in tokens] for tokens in self.sentence_tokens()]
        return self._sentence_lookups

    def sentence_words(self) -> list[list[str]]:
        """The text of each sentence's word tokens (punctuation left out), as written."""
        if self._sentence_words is None:
            self._split_words()
        return self._sentence_words  # type: ignore[return-value]

    def sentence_word_tokens(self) -> list[tuple[Token, ...]]:
        """Each sentence's word tokens (parallel to :meth:`sentence_words`)."""
        if self._sentence_word_tokens is None:
            self._split_words()
        return self._sentence_word_tokens  # type: ignore[return-value]

    def sentence_word_lookups(self) -> list[list[str]]:
        """Each sentence's word tokens in lookup form (:meth:`sentence_lookups` of the tokens
        :meth:`sentence_words` keeps)."""
        if self._sentence_word_lookups is None:
            if self._sentence_word_flags is None:
                self._split_words()
            self._sentence_word_lookups = [
                list(compress(lookups, flags))
                for lookups, flags in zip(self.sentence_lookups(), self._sentence_word_flags, strict=True)  # type: ignore[arg-type]
            ]
        return self._sentence_word_lookups

    def _split_words(self) -> None:
        text = self.text
        words, spans, all_flags = [], [], []
        for tokens in self.sentence_tokens():
            written = [text[s:e] for s, e in tokens]
            flags = list(map(is_word, written))
            words.append(list(compress(written, flags)))
            spans.append(tuple(compress(tokens, flags)))
            all_flags.append(flags)
        self._sentence_words, self._sentence_word_tokens, self._sentence_word_flags = words, spans, all_flags

    @property
    def word_count(self) -> int:
        return sum(map(len, self.sentence_words()))

    # -- quotations and voice -----------------------------------------------------------

    def quoted_share(self, start: int, end: int) -> float:
        """Share of the characters of ``text[start:end]`` inside (outermost) quotation content."""
        if end <= start:
            return 0.0
        # Bisect to the first quotation that reaches past ``start`` and stop at the first that
        # opens at or after ``end``: a look-up per sentence, not a scan of every quotation (which
        # made sentence_voices() sentences x quotations, seconds on a long article).
        quotes = self._outer_quotes
        inside = 0
        for index in range(bisect_right(self._outer_quote_reach, start), len(quotes)):
            q = quotes[index]
            if q.content_start >= end:
                break
            if q.content_end > start:
                inside += min(end, q.content_end) - max(start, q.content_start)
        return inside / (end - start)

    def sentence_voices(self) -> tuple[str, ...]:
        """Whose voice each sentence is: ``"quoted"`` when most of its characters are inside a
        quotation, else ``"author"`` (parallel to :attr:`sentences`; computed once for the
        analyzers that split their figures by voice)."""
        if self._sentence_voices is None:
            self._sentence_voices = tuple(
                "quoted" if self.quoted_share(s.start, s.end) >= QUOTED_VOICE_SHARE else "author" for s in self.sentences
            )
        return self._sentence_voices

    def quote_at(self, offset: int) -> Quotation | None:
        """The outermost quotation whose content contains ``offset``, if any."""
        index = bisect_right(self._outer_quote_starts, offset) - 1
        if index >= 0 and self._outer_quotes[index].contains(offset):
            return self._outer_quotes[index]
        return None

    def in_quotation(self, offset: int) -> bool:
        return self.quote_at(offset) is not None

    def span_text(self, span: Span | Quotation) -> str:
        return self.text[span.start : span.end]

    def __repr__(self) -> str:
        return (
            f"Document(id={self.id!r}, chars={len(self.text)}, paragraphs={len(self.paragraphs)}, "
            f"sentences={len(self.sentences)}, quotations={len(self.quotations)})"
        )

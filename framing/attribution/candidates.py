"""Candidates: the sentences' tokens and the quotation pieces (one per paragraph of each
outermost quotation) that cues may claim."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from framing.attribution.lexicon import norm
from framing.attribution.tokens import _END, _START, Sentence, Toks, new_tok


class CandidateSteps:
    """Quotation pieces and sentence tokens of one document (mixed into the rule extractor)."""

    def _pieces(self) -> list[tuple[int, int, int, int]]:
        out = []
        text = self.text
        for qi, q in enumerate(self.quotes):
            for pi in range(max(0, self._para(q.start)), len(self.doc.paragraphs)):
                p = self.doc.paragraphs[pi]
                if p.start >= q.content_end:
                    break
                lo, hi = max(q.content_start, p.start), min(q.content_end, p.end)
                if lo == p.start and pi != self._para(q.start) and text[lo] in "\"“„«'‘":
                    lo += 1
                while lo < hi and text[lo].isspace():
                    lo += 1
                while hi > lo and text[hi - 1].isspace():
                    hi -= 1
                if hi > lo:
                    out.append((lo, hi, qi, pi))
        return out

    def _para(self, offset: int) -> int:
        return bisect_right(self.para_starts, offset) - 1

    def _sentence_at(self, offset: int) -> int | None:
        """The index of the sentence holding ``offset``, or None outside every sentence."""
        sentences = self.doc.sentences
        if self._sentence_starts is None:
            self._sentence_starts = [s.start for s in sentences]
        si = bisect_right(self._sentence_starts, offset) - 1
        return si if si >= 0 and offset < sentences[si].end else None

    def _sentence(self, si: int) -> Sentence:
        if self._sentences is None:
            self._sentences = self._all_sentences()
        return self._sentences[si]

    def _tokens(self, si: int) -> Toks:
        """The ``Tok`` records of sentence ``si`` (built on first use)."""
        sentence = self._sentence(si)
        if sentence.toks is None:
            text = self.text
            starts, ends = sentence.starts, sentence.ends
            words = [text[s:e] for s, e in zip(starts, ends)]
            sentence.toks = Toks(map(new_tok, zip(starts, ends, words, sentence.lows, sentence.quoted)))
            sentence.toks.lows = sentence.lows
        return sentence.toks

    def _all_sentences(self) -> list[Sentence]:
        """Tokens of every sentence, built in one sweep from the document's cached sentence
        tokens. Offsets are read with ``map`` (in C); lower-cased forms
        are sliced from one lower-cased copy of the text, and quotedness comes from walking the
        sorted quotations once per sentence, token by token only in a sentence where a quotation
        or a quotation mark begins or ends."""
        text = self.text
        low_text = norm(text)
        if len(low_text) != len(text):  # lower() changed a length (e.g. 'İ'): normalise per token
            low_text = None
        outer = [(q.content_start, q.content_end) for q in self.quotes]
        marks = sorted(self.marks)
        qi, nq = 0, len(outer)
        out = []
        for sentence_spans in self.doc.sentence_tokens():
            if not sentence_spans:
                out.append(Sentence([], [], [], []))
                continue
            starts = list(map(_START, sentence_spans))
            ends = list(map(_END, sentence_spans))
            if low_text is not None:
                lows = [low_text[s:e] for s, e in zip(starts, ends)]  # (twice as fast as map over slice objects)
            else:
                lows = [norm(text[s:e]) for s, e in zip(starts, ends)]
            first, last = starts[0], starts[-1]
            while qi < nq and outer[qi][1] <= first:
                qi += 1
            m = bisect_left(marks, first)
            marked = m < len(marks) and marks[m] <= last
            steady = qi == nq or outer[qi][1] > last  # the same quotation is next for every token
            if steady and not marked and (qi == nq or outer[qi][0] > last):
                quoted = [False] * len(starts)
            elif steady and outer[qi][0] <= first:
                quoted = [True] * len(starts)
            else:
                quoted = []
                for s in starts:
                    while qi < nq and outer[qi][1] <= s:
                        qi += 1
                    quoted.append(s in self.marks or (qi < nq and outer[qi][0] <= s))
            out.append(Sentence(starts, ends, lows, quoted))
        return out

"""Spans: what a cue governs (the quotation next to it, the clause after it, the next
paragraph after a colon lead-in) and floating quotations that continue the previous speaker."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, NamedTuple

from framing.attribution.lexicon import Who
from framing.attribution.records import Attribution, replace_attribution
from framing.attribution.tokens import Tok
from framing.attribution.verbs import Cue
from framing.segment import count_words, is_word


class Claim(NamedTuple):
    priority: int  # 1 trailing cue, 2 leading cue, 3 lead-in paragraph, 4 floating
    distance: int
    attribution: Attribution



class SpanSteps:
    """Content spans and their records (mixed into the rule extractor)."""

    def _attr(self, kind: str, who: Who, mention: tuple[int, int] | None, toks: list[Tok] | None, cue: Cue | None, content: tuple[int, int], *, quote: Any = None, via: str | None = None) -> Attribution:
        cue_start = toks[cue.i].start if cue else None
        cue_end = toks[cue.j - 1].end if cue else None
        return Attribution(
            kind=kind,
            speaker=who.name,
            speaker_start=mention[0] if mention else None,
            speaker_end=mention[1] if mention else None,
            cue=self.text[cue_start:cue_end] if cue else None,
            cue_start=cue_start,
            cue_end=cue_end,
            content_start=content[0],
            content_end=content[1],
            speaker_type=who.type,
            affiliation=who.affiliation,
            verb_class=cue.cls if cue and kind in ("direct", "indirect") else None,
            quotation=quote is not None,
            quote_start=quote.start if quote is not None else None,
            quote_end=quote.end if quote is not None else None,
            via=via,
        )

    def _claim(self, piece: int, priority: int, distance: int, attribution: Attribution) -> None:
        self.claims.setdefault(piece, []).append(Claim(priority, distance, attribution))

    def _piece_attr(self, template: Attribution, piece: int, kind: str | None = None) -> Attribution:
        lo, hi, qi, _ = self.pieces[piece]
        q = self.quotes[qi]
        fields = {"content_start": lo, "content_end": hi, "quotation": True, "quote_start": q.start, "quote_end": q.end}
        if kind:
            fields["kind"] = kind
        if kind == "floating":
            fields.update(speaker_start=None, speaker_end=None, cue=None, cue_start=None, cue_end=None, verb_class=None)
        return replace_attribution(template, **fields)

    def _content_span(self, toks: list[Tok], lo: int, hi: int, keep_quotes: bool = True) -> tuple[int, int] | None:
        while lo < hi and (toks[lo].low in (",", ":", "that", "—", "–") and not toks[lo].quoted):
            lo += 1
        for k in range(lo + 1, hi):  # the author's own comment after a dash is not reported
            if toks[k].low in ("—", "–") and not toks[k].quoted:
                hi = k
                break
        while hi > lo and toks[hi - 1].low in (",", ".", ":", ";", "!", "?", "—", "–") and not toks[hi - 1].quoted:
            hi -= 1
        while hi > lo and toks[hi - 1].quoted and toks[hi - 1].low in (",", ".") and hi - 1 > lo:
            hi -= 1
        if sum(is_word(t.text) for t in toks[lo:hi]) < 2:
            return None
        return toks[lo].start, toks[hi - 1].end

    def _mixed_clause(self, toks: list[Tok], cue: Cue, governed: list[int], who: Who, mention: Any, via: str | None) -> None:
        """'explained that "a gradual departure …" already began': one indirect record for the clause
        besides the direct one, unless the whole complement is the quotation or a naming verb."""
        if cue.lemma in self.gaz.naming_verbs:
            return
        j = cue.j
        if j < len(toks) and toks[j].low in ("that", ":", ","):
            j += 1
        first = self.pieces[governed[0]][0]
        span = self._content_span(toks, j, len(toks))
        if span is None:
            return
        last = self.quotes[self.pieces[governed[-1]][2]].end
        author = [t for t in toks[j:] if not t.quoted and is_word(t.text) and (t.start < first - 1 or last <= t.start < span[1])]
        if not author:
            return
        if span:
            self.others.append(self._attr("indirect", who, mention, toks, cue, span, via=via))

    def _piece_in_sentence(self, p: int, sentence: Any, close: int) -> bool:
        lo, hi, qi, _ = self.pieces[p]
        q = self.quotes[qi]
        return hi <= close and (q.start >= sentence.start or q.end >= close - 1 or lo >= sentence.start)

    def _spread_multi(self, governed: list[int], template: Attribution) -> None:
        """Earlier paragraphs of a multi-paragraph quotation float with its speaker."""
        for p in governed:
            qi = self.pieces[p][2]
            for q2, piece in enumerate(self.pieces):
                if piece[2] == qi and q2 != p and q2 not in governed:
                    self._claim(q2, 4, 0, self._piece_attr(template, q2, "floating"))

    def _apply_lead_ins(self) -> None:
        for pi, (template, kind) in self.lead_ins.items():
            if pi >= len(self.doc.paragraphs):
                continue
            para = self.doc.paragraphs[pi]
            if any(para.start <= a.content_start < para.end for a in self.others):
                continue
            pieces = [p for p, piece in enumerate(self.pieces) if piece[3] == pi]
            if pieces:
                for n, p in enumerate(pieces):
                    self._claim(p, 3, n, self._piece_attr(template, p, kind if kind != "direct" else None))
                continue
            lo, hi = para.start, para.end
            while lo < hi and self.text[lo] in "-*•–— ":
                lo += 1
            if hi > lo:
                self.others.append(replace_attribution(template, kind="indirect" if kind == "direct" else kind, content_start=lo, content_end=hi))

    def _resolve(self) -> list[Attribution]:
        chosen: dict[int, Attribution] = {}
        for p, claims in self.claims.items():
            best = min(claims, key=lambda c: (c.priority, c.distance))
            chosen[p] = best.attribution
        # floating quotes: a quoted paragraph with no cue continues the previous speaker
        all_attrs = sorted([*chosen.values(), *self.others], key=lambda a: a.content_start)
        starts = [a.content_start for a in all_attrs]
        for p, (lo, hi, qi, pi) in enumerate(self.pieces):
            if p in chosen:
                continue
            words = count_words(self.text, lo, hi)
            para = self.doc.paragraphs[pi]
            head = self.text[para.start : self.quotes[qi].start if self._para(self.quotes[qi].start) == pi else lo]
            initial = not head.strip(" -*•–—\t") or self._para(self.quotes[qi].start) != pi
            previous: Attribution | None = None
            index = bisect_right(starts, lo) - 1
            if index >= 0:
                candidate = all_attrs[index]
                cand_para = self._para(candidate.content_start)
                if initial and words >= 3 and cand_para in (pi - 1, pi):
                    previous = candidate
                elif not initial and words >= 6 and cand_para == pi:
                    previous = candidate
            if previous is None or (previous.speaker is None and previous.speaker_type == "unknown"):
                continue
            attribution = self._piece_attr(previous, p, "floating") if previous.quotation else replace_attribution(
                previous, kind="floating", content_start=lo, content_end=hi, quotation=True,
                quote_start=self.quotes[qi].start, quote_end=self.quotes[qi].end,
                speaker_start=None, speaker_end=None, cue=None, cue_start=None, cue_end=None, verb_class=None,
            )
            chosen[p] = attribution
            all_attrs.insert(index + 1, attribution)
            starts.insert(index + 1, attribution.content_start)
        out = sorted([*chosen.values(), *self.others], key=lambda a: (a.content_start, a.content_end))
        # an indirect content that only repeats a claimed quotation is dropped
        quoted = [(a.content_start, a.content_end) for a in chosen.values()]
        return [
            a for a in out
            if a.quotation or not any(lo >= a.content_start and hi <= a.content_end and (hi - lo) >= 0.98 * (a.content_end - a.content_start) for lo, hi in quoted)
        ]

    def _transcript_label(self, toks: list[Tok], pi: int) -> bool:
        """'President of Russia Vladimir Putin: …' opening a paragraph: a transcript's speaker
        label, so the rest of the paragraph is that speaker's direct speech."""
        lows = [t.low for t in toks[:12]]
        if ":" not in lows or toks[0].quoted or not self._is_cap(toks[0]):
            return False
        colon = lows.index(":")
        if colon == 0 or colon >= len(toks) - 1 or toks[colon + 1].start - toks[colon].end > 3:
            return False
        if any(not (self._is_cap(t) or t.low in self.gaz.name_particles or t.low in ("of", "the", "and", "'s", "-", ".")) for t in toks[:colon]):
            return False
        found = self._head(toks, 0, colon)
        if found is None or not found[0].name or found[0].kind not in ("person", "org", "group"):
            return False
        who, ms, me = found
        para = self.doc.paragraphs[pi]
        hi = para.end
        while hi > toks[colon].end and self.text[hi - 1].isspace():
            hi -= 1
        lo = toks[colon + 1].start
        if hi - lo < 2:
            return False
        cue = Cue(colon, colon + 1, ":", "")
        attribution = replace_attribution(
            self._attr("direct", who, (ms, toks[me - 1].end), toks, cue, (lo, hi)), verb_class=None
        )
        self.labels.append((pi, attribution))
        return True

    def _transcript_turns(self) -> None:
        """Label paragraphs become direct records; when an article has two labels or more (a
        transcript), the unlabelled paragraphs after a label continue that speaker's turn."""
        if not self.labels:
            return
        taken = {self._para(a.content_start) for a in self.others}
        taken |= {piece[3] for piece in self.pieces}
        for n, (pi, attribution) in enumerate(self.labels):
            self.others.append(attribution)
            if len(self.labels) < 2:
                continue
            stop = self.labels[n + 1][0] if n + 1 < len(self.labels) else len(self.doc.paragraphs)
            for pj in range(pi + 1, stop):
                para = self.doc.paragraphs[pj]
                if pj in taken or count_words(self.text, para.start, para.end) < 3:
                    continue
                self.others.append(replace_attribution(
                    attribution, kind="floating", content_start=para.start, content_end=para.end,
                    speaker_start=None, speaker_end=None, cue=None, cue_start=None, cue_end=None, verb_class=None,
                ))

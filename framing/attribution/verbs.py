"""Cues: reporting verbs (with their class), weak verbs and "according to"."""

from __future__ import annotations

from typing import NamedTuple

from framing.attribution.lexicon import PUNCT_STOP, Who
from framing.attribution.tokens import Sentence, Tok, lows_of


class Cue(NamedTuple):
    i: int  # token index of the verb in the sentence
    j: int  # token index after the verb
    lemma: str
    cls: str



class CueSteps:
    """Cue finding (mixed into the rule extractor)."""

    def _cues(self, sentence: Sentence) -> list[Cue]:
        lows, quoted, text, starts = sentence.lows, sentence.quoted, self.text, sentence.starts
        verbs = self.gaz.verbs
        out = []
        i = 0  # the next token a cue may start at
        for c in [c for c, low in enumerate(lows) if low in verbs.first]:
            if c < i or quoted[c] or not text[starts[c]].islower():
                continue
            found = verbs.match(lows, c)
            if found:
                n, (lemma, cls) = found
                prev = lows[c - 1] if c else ""
                if prev not in self.gaz.determiners and prev not in self.gaz.possessives:
                    out.append(Cue(c, c + n, lemma, cls))
                i = c + n
        return out

    def _trailing_position(self, toks: list[Tok], j: int) -> bool:
        rest = [t for t in toks[j:] if t.low not in (".", "!", "?")]
        return not rest

    def _according_to(self, toks: list[Tok], si: int, pi: int, sentence_paras: list[int]) -> tuple[Who, tuple[int, int]] | None:
        lows = lows_of(toks)
        last = None
        for i in range(len(toks) - 1):
            if lows[i] != "according" or lows[i + 1] != "to" or toks[i].quoted:
                continue
            k = i + 2
            while k < len(toks) and not toks[k].quoted and lows[k] not in PUNCT_STOP and k - i < 14:
                if lows[k] == "(":
                    break
                k += 1
            found = self._head(toks, i + 2, k)
            if not found:
                continue
            who, ms, mend = found
            if who.type == "unknown":
                # an apposition after the name: "Welt, German TV channel."
                tail_lo = k + 1 if k < len(toks) and lows[k] == "," else len(toks)
                role = self._role_in(lows, tail_lo, len(toks))
                if role:
                    who = who._replace(type=role[3], affiliation=who.affiliation or self._affiliation_in(lows, tail_lo, len(toks)))
            mention = (ms, toks[mend - 1].end)
            last = (who, mention)
            cue = Cue(i, i + 2, "according to", "")
            if who.kind == "person":
                self.topic = who
            if i == 0 or (i == 1 and lows[0] in ("but", "and")):
                if k < len(toks) and lows[k] == ":" and si + 1 < len(self.doc.sentences) and sentence_paras[si + 1] != pi and k >= len(toks) - 1:
                    self.lead_ins[pi + 1] = (self._attr("according_to", who, mention, toks, cue, (0, 0)), "according_to")
                    continue
                stop = len(toks)
                for n in range(k + 1, len(toks) - 1):
                    if lows[n] == "," and lows[n + 1] in self.gaz.participle_cues:
                        stop = n
                        break
                span = self._content_span(toks, k + 1, stop)
            else:
                span = self._content_span(toks, 0, i)
            if span:
                content_pieces = [p for p, piece in enumerate(self.pieces) if span[0] <= piece[0] and piece[1] <= span[1] + 1]
                attribution = self._attr("according_to", who, mention, toks, cue, span)
                if content_pieces and all(self.pieces[p][0] - span[0] <= 2 for p in content_pieces[:1]):
                    for p in content_pieces:
                        self._claim(p, 2, 0, self._piece_attr(attribution, p, "according_to"))
                else:
                    self.others.append(attribution)
        return last

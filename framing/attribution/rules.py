"""The rule pass: every step of :mod:`framing.attribution` run over one document's sentences.

No parser: a reporting verb outside quotation marks is a *cue*; its speaker is the noun phrase
before it (or after it, in ``"…," said X``); what it governs is the quotation next to it, the
next paragraph after a colon lead-in, or the clause after it. Quoted paragraphs without a cue
continue the previous speaker (*floating* quotes). See docs/attribution.md.
"""

from __future__ import annotations

from bisect import bisect_right

from framing.attribution.candidates import CandidateSteps
from framing.attribution.lexicon import PUNCT_STOP, Gazetteer, Who
from framing.attribution.records import Attribution, replace_attribution
from framing.attribution.spans import Claim, SpanSteps
from framing.attribution.speakers import SpeakerSteps
from framing.attribution.tokens import Sentence, lows_of
from framing.attribution.verbs import CueSteps
from framing.document import Document
from framing.segment import TOKEN_RE, is_common_word, is_word

LEAD_GAP = 12  # tokens allowed between a leading cue and its quotation


class RuleExtractor(CandidateSteps, SpeakerSteps, CueSteps, SpanSteps):
    """The per-document state the steps share, and :meth:`run`, which applies them in order."""

    def __init__(self, doc: Document, gaz: Gazetteer) -> None:
        self.doc = doc
        self.text = doc.text
        self.gaz = gaz
        self.quotes = [q for q in doc.quotations if q.level == 0]
        self.marks = set()
        for q in self.quotes:
            self.marks.add(q.start)
            if q.closed:
                self.marks.add(q.end - 1)
        self.para_starts = [p.start for p in doc.paragraphs]
        self.pieces = self._pieces()  # (start, end, quote index, paragraph index)
        self.claims: dict[int, list[Claim]] = {}  # piece index -> claims
        self.others: list[Attribution] = []  # indirect / according_to
        self.topic: Who | None = None
        self.mentions: list[Who] = []  # entities in order of mention
        self.registry: dict[tuple[str, ...], Who] = {}  # names seen in this document
        self.registry_words: set[str] = set()  # w for every one-word key (w,) of the registry
        self.lead_ins: dict[int, tuple[Attribution, str]] = {}  # paragraph index -> template
        self._sentences: list[Sentence] | None = None
        self._sentence_starts: list[int] | None = None
        self.sentence_index = 0
        self.group: tuple[int, Who] | None = None  # (sentence index, joint speaker) last named
        self.labels: list[tuple[int, Attribution]] = []  # transcript speaker labels: (paragraph, record)
        self.countries: dict[str, int] = {}  # country -> sentence of its latest mention (insertion = first mention)


    def run(self) -> list[Attribution]:
        doc = self.doc
        sentence_paras = [self._para(s.start) for s in doc.sentences]
        piece_starts = [p[0] for p in self.pieces]
        for si, sentence in enumerate(doc.sentences):
            tokens = self._sentence(si)
            if not tokens.lows:
                continue
            pi = sentence_paras[si]
            self.sentence_index = si
            self._track_mentions(tokens)
            if si == 0 or sentence_paras[si - 1] != pi:
                self._transcript_label(self._tokens(si), pi)
            last_speaker = None
            if "according" in tokens.lows:
                last_speaker = self._according_to(self._tokens(si), si, pi, sentence_paras)
            cues = self._cues(tokens)
            if not cues:
                continue
            toks = self._tokens(si)
            consumed: set[int] = set()
            for ci, cue in enumerate(cues):
                if ci in consumed:
                    continue
                i, j = cue.i, cue.j
                lows = lows_of(toks)
                if cue.lemma == "accord" or lows[i] == "according":
                    continue
                subject = None
                inverted = False
                participle = lows[i].endswith("ing") and cue.lemma not in ("bring",)
                if participle and i > 0 and toks[i - 1].low == "," and last_speaker:
                    subject = (last_speaker[0], *last_speaker[1])
                else:
                    subject = self._subject(toks, i)
                    if subject is None and i > 0 and (toks[i - 1].quoted or toks[i - 1].low == ","):
                        after = self._after(toks, j)
                        if after:
                            subject = after[:3]
                            inverted = True
                if subject is None:
                    continue
                who, ms, me = subject
                if who.kind == "self":
                    continue
                if who.kind == "person" and who.name:
                    self.topic = who
                last_speaker = (who, (ms, me))
                mention = (ms, me) if not (participle and toks[i - 1].low == ",") else None
                # a relaying medium: '..., X emphasized, TASS reports.'
                via = None
                nxt = ci + 1
                if nxt < len(cues):
                    c2 = cues[nxt]
                    tail = [t for t in toks[c2.j :] if t.low not in (".", "!", "?")]
                    if not tail and toks[j].low == "," if j < len(toks) else False:
                        s2 = self._subject(toks, c2.i)
                        if s2 and s2[0].type in ("media", "state_media"):
                            via = s2[0].name
                # which quotation pieces does the cue govern?
                subject_first = min((k for k, t in enumerate(toks) if t.start >= ms), default=i)
                if inverted:
                    subject_first = i
                before = [t for t in toks[:subject_first]]
                trailing = False
                governed: list[int] = []
                k = subject_first
                while k > 0 and toks[k - 1].low in (",", "—", "–") and not toks[k - 1].quoted:
                    k -= 1
                if k > 0 and toks[k - 1].quoted:
                    trailing = True
                    close = toks[k - 1].end
                    governed = [p for p, piece in enumerate(self.pieces) if piece[1] <= close and piece[1] > sentence.start - 1 and piece[0] < toks[k - 1].end and self._piece_in_sentence(p, sentence, close)]
                if not governed:
                    gap_start = toks[j - 1].end if not inverted else toks[-1].end
                    idx = bisect_right(piece_starts, gap_start)
                    prev_end = None
                    for p in range(idx, len(self.pieces)):
                        lo_, hi_, qi, ppi = self.pieces[p]
                        if ppi != pi or lo_ >= sentence.end + 1:
                            break
                        anchor = prev_end if prev_end is not None else (toks[j - 1].end if not inverted else me)
                        between = [t for t in toks if anchor <= t.start < lo_ - 1 and not t.quoted]
                        limit = LEAD_GAP if prev_end is None else 10
                        if len(between) > limit or any(t.low in (".", ";", "!", "?") for t in between):
                            break
                        governed.append(p)
                        prev_end = self.quotes[qi].end
                        if self.quotes[qi].paragraphs > 1:
                            break
                del before
                weak = cue.lemma in self.gaz.weak_verbs
                if governed:
                    template = self._attr("direct", who, mention, toks, cue, (0, 0), via=via)
                    for n, p in enumerate(governed):
                        self._claim(p, 2 if trailing else 1, n, self._piece_attr(template, p))
                    if trailing:
                        self._spread_multi(governed, template)
                        author_words = [t for t in toks[:k] if not t.quoted and is_word(t.text)]
                        if len(author_words) >= 2:
                            span = self._content_span(toks, 0, k, keep_quotes=True)
                            if span:
                                self.others.append(self._attr("indirect", who, mention, toks, cue, span, via=via))
                    else:
                        self._mixed_clause(toks, cue, governed, who, mention, via)
                    continue
                # a colon lead-in: the next paragraph is the content
                rest = [t for t in toks[j:] if not t.quoted]
                if rest and rest[-1].low in (":", "how") and si + 1 < len(doc.sentences) and sentence_paras[si + 1] != pi:
                    self.lead_ins[pi + 1] = (self._attr("direct", who, mention, toks, cue, (0, 0), via=via), "direct")
                    continue
                if rest and rest[-1].low == ":" and j < len(toks) and toks[-1].low == ":":
                    pass
                # reported speech
                after_verb = j
                # an addressee between the verb and 'that': 'told TASS that', 'assured him that'
                for k2 in range(j + 1, min(j + 5, len(toks))):
                    if toks[k2].quoted or toks[k2].low in PUNCT_STOP:
                        break
                    if toks[k2].low == "that" and toks[k2 - 1].low not in self.gaz.not_complementiser:
                        after_verb = k2
                        break
                if after_verb < len(toks) and toks[after_verb].low in ("that", ":"):
                    after_verb += 1
                elif weak:
                    if not (trailing or self._trailing_position(toks, j)):
                        continue
                if self._trailing_position(toks, j) and subject_first > 0:
                    start_tok = 0
                    end_tok = k
                    span = self._content_span(toks, start_tok, end_tok)
                else:
                    if j < len(toks) and toks[j].low == ",":
                        after_verb = j + 1
                        if toks[0].low == "as":
                            span = self._content_span(toks, after_verb, len(toks))
                            if span:
                                self.others.append(replace_attribution(self._attr("indirect", who, mention, toks, cue, span, via=via), kind="according_to"))
                            continue
                    stop = len(toks)
                    for c2 in cues[ci + 1 :]:
                        if toks[c2.i].low.endswith("ing") and toks[c2.i - 1].low == ",":
                            stop = c2.i - 1
                            break
                    span = self._content_span(toks, after_verb, stop)
                if span is None:
                    continue
                self.others.append(self._attr("indirect", who, mention, toks, cue, span, via=via))
        self._apply_lead_ins()
        self._transcript_turns()
        return self._resolve()


def _paraphrase_words(doc: Document, attribution: Attribution) -> int:
    """Words of an attribution's content that lie outside quotation marks."""
    return sum(
        1
        for m in TOKEN_RE.finditer(doc.text, attribution.content_start, attribution.content_end)
        if is_word(word := m.group()) and not doc.in_quotation(m.start()) and not word.isdigit()
    )


def _without_bare_quote_reports(doc: Document, attributions: list[Attribution]) -> list[Attribution]:
    """Drop an indirect record whose clause is nothing but a quotation (plus marks like [3]).

    The guidelines pair an indirect record with direct ones only when a clause mixes the
    author's paraphrase with quoted fragments; `X forewarned, "…"[3][4]` is one direct quote.
    """
    return [a for a in attributions if a.kind != "indirect" or _paraphrase_words(doc, a) > 0]


def _real_speakers(attributions: list[Attribution], gaz: Gazetteer) -> list[Attribution]:
    """Whatever path found a subject, 'I'/'you' is the text's own voice (a speech, a transcript)
    and is no cited source; a one-word 'name' that is an ordinary word ("However", "Others")
    names nobody, so the source stays unnamed."""
    out = []
    for a in attributions:
        name = a.speaker or ""
        if name.lower() in gaz.self_reference:
            continue
        if a.speaker_type == "unknown" and " " not in name and name and (is_common_word(name) or name.lower() in gaz.time_words):
            a = replace_attribution(a, speaker=None, speaker_start=None, speaker_end=None)
        out.append(a)
    return out


def finish(doc: Document, attributions: list[Attribution], gaz: Gazetteer) -> list[Attribution]:
    return _real_speakers(_without_bare_quote_reports(doc, attributions), gaz)


"""Where the rules and the tagger meet: the one place that decides which attributions stand.

1. The rule pass runs (:mod:`framing.attribution.rules`); its spans also become tagger features.
2. The CRF tagger (:mod:`framing.attribution.tagger`) tags the paragraphs that can hold an
   attribution: one with a cue candidate (a reporting verb, "according to"), a quotation mark, a
   rule attribution, or that follows a paragraph ending in a colon.
3. **A rule is certain** when it found a direct quotation with a speech verb and a named speaker
   (:func:`certain`): those records stand as the rules made them. A tagged attribution whose
   content overlaps one of them is dropped, unless it is the larger statement the quotation is
   part of (three or more words of paraphrase around it: ``X said the talks were "very
   constructive" and useful``); then it stands too, with the rule's speaker, and the quotation's
   record is marked ``inside`` it (one statement, one attribution).
4. **Elsewhere the tagger decides**: its attributions stand, with speakers resolved by
   :class:`~framing.attribution.speakers.SourceResolver` (a tagged content with no source takes
   the speaker of an overlapping rule record, else of the attribution just before it); the
   rules' other records stand only where no kept attribution overlaps them.

``mode`` gives the ablations that ``make eval`` prints: ``"rules"`` (step 1 alone), ``"tagger"``
(steps 1-2 and the tagger's attributions alone) and ``"combined"`` (the default).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Any

from framing.attribution.features import QUOTE_MARKS, TokenView, build_view
from framing.attribution.lexicon import Who, gazetteer, norm, phrase_key
from framing.attribution.records import Attribution, AttributionResult, Speaker, replace_attribution
from framing.attribution.rules import RuleExtractor, finish
from framing.attribution.speakers import SourceResolver
from framing.attribution.tagger import Tagged, shipped_tagger
from framing.attribution.unattributed import unattributed_assertions
from framing.document import Document
from framing.segment import TOKEN_RE, count_words, is_word

MODES = ("rules", "tagger", "combined")


def certain(a: Attribution) -> bool:
    """A rule record the tagger does not overrule: a quotation, a speech verb, a named speaker."""
    return a.kind == "direct" and a.quotation and a.cue is not None and bool(a.speaker) \
        and not (a.speaker or "").startswith("anonymous")


class _Contents:
    """Which of some records' contents overlap a span, without comparing it with every one."""

    def __init__(self, records: list[Attribution]) -> None:
        self.records = records
        order = sorted((a.content_start, a.content_end, k) for k, a in enumerate(records) if a.content_end > a.content_start)
        self.starts = [lo for lo, _, _ in order]
        self.ends = [hi for _, hi, _ in order]
        self.index = [k for _, _, k in order]
        self.reach = list(accumulate(self.ends, max))  # the furthest end among the first i + 1

    def overlapping(self, span: tuple[int, int]) -> list[Attribution]:
        """The records whose content overlaps ``span``, in the order they were given."""
        lo, hi = span
        found: list[int] = []
        j = bisect_left(self.starts, hi) - 1 if hi > lo else -1
        while j >= 0 and self.reach[j] > lo:
            if self.ends[j] > lo:
                found.append(self.index[j])
            j -= 1
        return [self.records[k] for k in sorted(found)]


def _paragraphs_to_tag(view: TokenView, rules: list[Attribution]) -> list[int]:
    """Paragraphs that can hold an attribution (the rest cannot: no cue, no quotation mark)."""
    rule_starts = sorted(a.content_start for a in rules)
    chosen = []
    for k, (lo, hi) in enumerate(view.paragraphs):
        has = any(view.cue[lo:hi]) or any(view.quoted[lo:hi])
        if not has and k > 0 and view.lows[view.paragraphs[k - 1][1] - 1] == ":":
            has = True
        if not has:
            i = bisect_right(rule_starts, view.ends[hi - 1]) - 1
            has = i >= 0 and rule_starts[i] >= view.starts[lo]
        if has:
            chosen.append(k)
    return chosen


def _is_person(name: str, gaz: Any) -> bool:
    """Whether a rule speaker's name is a person's (a known entity's kind, else no organisation
    head word ends it and it is no joint speaker)."""
    known = gaz.entities.map.get(phrase_key(name))
    if known is not None:
        return known.kind == "person"
    words = norm(name).split()
    return ";" not in name and bool(words) and words[-1] not in gaz.org_heads


class _Quotes:
    """The document's outermost quotations, to find the first one holding a span."""

    def __init__(self, quotes: list[Any]) -> None:
        self.quotes = quotes
        self.starts = [q.start for q in quotes]
        self.ends = [q.end for q in quotes]
        self.ordered = self.starts == sorted(self.starts) and self.ends == sorted(self.ends)

    def holding(self, lo: int, hi: int) -> Any:
        """The first quotation that starts by ``lo`` and ends from ``hi`` on (a mark each side
        may lie outside the span)."""
        if not self.ordered:  # never for quotations that do not overlap; kept for safety
            return next((q for q in self.quotes if q.start <= lo and q.end >= hi), None)
        k = bisect_left(self.ends, hi)
        return self.quotes[k] if k < len(self.quotes) and self.starts[k] <= lo else None


def _record(doc: Document, ex: RuleExtractor, resolver: SourceResolver, quotes: _Quotes, t: Tagged) -> Attribution:
    """A tagged attribution as an Attribution record (kind, speaker, verb class)."""
    text, gaz = doc.text, ex.gaz
    cue_text = text[t.cue[0]:t.cue[1]] if t.cue else None
    lows = norm(cue_text).split() if cue_text else []
    quote = quotes.holding(t.content[0] + 1, t.content[1] - 1)
    starts_quoted = text[t.content[0]] in QUOTE_MARKS
    if t.cue is None:
        kind = "floating" if quote is not None or starts_quoted else "indirect"
    elif lows[:2] == ["according", "to"]:
        kind = "according_to"
    elif quote is not None:
        kind = "direct"
    else:
        kind = "indirect"
    verb_class = None
    if cue_text and kind in ("direct", "indirect"):
        for i in range(len(lows)):
            found = gaz.verbs.match(lows, i)
            if found:
                verb_class = found[1][1]
                break
    who = resolver.resolve(*t.source) if t.source else Who(None, "unknown", None, "unknown")
    if who.kind == "self":
        who = Who(None, "unknown", None, "unknown")
    if t.source and who.name:
        resolver.add(t.source[0], who, t.source)
    content = t.content
    if quote is not None:  # the inside of the marks, as the rules give it
        content = (max(content[0], quote.content_start), min(content[1], quote.content_end))
        if content[1] <= content[0]:
            content = t.content
    return Attribution(
        kind=kind,
        speaker=who.name,
        speaker_start=t.source[0] if t.source else None,
        speaker_end=t.source[1] if t.source else None,
        cue=cue_text,
        cue_start=t.cue[0] if t.cue else None,
        cue_end=t.cue[1] if t.cue else None,
        content_start=content[0],
        content_end=content[1],
        speaker_type=who.type,
        affiliation=who.affiliation,
        verb_class=verb_class,
        quotation=quote is not None,
        quote_start=quote.start if quote is not None else None,
        quote_end=quote.end if quote is not None else None,
        origin="tagger",
    )


def _paraphrase(doc: Document, span: tuple[int, int], skip: list[tuple[int, int]]) -> int:
    """Words of ``span`` outside quotation marks and outside the ``skip`` spans (source, cue)."""
    words = 0
    for m in TOKEN_RE.finditer(doc.text, *span):
        if is_word(m.group()) and not doc.in_quotation(m.start()) and not any(lo <= m.start() < hi for lo, hi in skip):
            words += 1
    return words


def _combine(doc: Document, rules: list[Attribution], tagged: list[Attribution]) -> list[Attribution]:
    """Certain rule records win; elsewhere the tagger decides; the rules fill what it left."""
    sure = [a for a in rules if certain(a)]
    unsure = [a for a in rules if not certain(a)]
    sure_at, unsure_at = _Contents(sure), _Contents(unsure)
    kept = list(sure)
    for t in tagged:
        span = (t.content_start, t.content_end)
        rivals = sure_at.overlapping(span)
        if not rivals:
            if t.speaker is None:  # a rule record the tagger overrules may still know who speaks
                known = [r for r in unsure_at.overlapping(span) if r.speaker]
                if known:
                    r = known[0]
                    t = replace_attribution(t, speaker=r.speaker, speaker_type=r.speaker_type, affiliation=r.affiliation)
            kept.append(t)
            continue
        # The tagged span holds a certain quotation: it stands only as the larger statement the
        # quotation is part of (paraphrase around it), with the rule's speaker, cue and verb.
        skip = [(x, y) for x, y in ((t.speaker_start, t.speaker_end), (t.cue_start, t.cue_end)) if x is not None]
        inside = [r for r in rivals if t.content_start <= r.content_start and r.content_end <= t.content_end]
        if len(inside) != len(rivals) or _paraphrase(doc, span, skip) < 3:
            continue
        r = inside[0]
        kept.append(replace_attribution(
            t, kind="indirect", speaker=r.speaker, speaker_type=r.speaker_type, affiliation=r.affiliation,
            speaker_start=r.speaker_start if t.speaker_start is None else t.speaker_start,
            speaker_end=r.speaker_end if t.speaker_start is None else t.speaker_end,
            cue=r.cue if t.cue is None else t.cue, cue_start=r.cue_start if t.cue is None else t.cue_start,
            cue_end=r.cue_end if t.cue is None else t.cue_end, verb_class=r.verb_class if t.cue is None else t.verb_class,
            quotation=False, quote_start=None, quote_end=None,
        ))
    covered = _Contents(kept)
    kept.extend(a for a in unsure if not covered.overlapping((a.content_start, a.content_end)))
    return sorted(kept, key=lambda a: (a.content_start, a.content_end))


def _mark_inside(attributions: list[Attribution]) -> list[Attribution]:
    """A quotation record lying inside a larger statement of the same speaker is part of it."""
    statements = [a for a in attributions if not a.quotation]
    out = []
    for a in attributions:
        if a.quotation and any(
            s.content_start <= a.content_start and a.content_end <= s.content_end + 2
            and (s.speaker == a.speaker or (s.cue_start is not None and s.cue_start == a.cue_start))
            for s in statements
        ):
            a = replace_attribution(a, inside=True)
        out.append(a)
    return out


def _inherit_speakers(doc: Document, ex: RuleExtractor, records: list[Attribution]) -> list[Attribution]:
    """A tagged content with no source of its own continues the speaker of the attribution just
    before it in the same or the previous paragraph (as floating quotations do)."""
    out: list[Attribution] = []
    for a in records:
        if a.speaker is None and a.speaker_start is None and out:
            prev = out[-1]
            if prev.speaker and ex._para(a.content_start) - ex._para(prev.content_start) <= 1:
                a = replace_attribution(a, speaker=prev.speaker, speaker_type=prev.speaker_type, affiliation=prev.affiliation)
        out.append(a)
    return out


def _run(doc: Document, resources: Any, mode: str = "combined") -> tuple[RuleExtractor, list[Attribution]]:
    if mode not in MODES:
        raise ValueError(f"unknown attribution mode {mode!r}; available: {', '.join(MODES)}")
    gaz = gazetteer(resources)
    ex = RuleExtractor(doc, gaz)
    rules = finish(doc, ex.run(), gaz)
    tagger = shipped_tagger()
    if mode == "rules" or tagger is None or not doc.sentences:
        return ex, _mark_inside(rules)
    view = build_view(doc, [ex._sentence(si) for si in range(len(doc.sentences))], gaz, rules)
    found = tagger.tag(view, _paragraphs_to_tag(view, rules))
    resolver = SourceResolver(ex, view)
    for a in rules:
        if a.speaker and a.speaker_start is not None and _is_person(a.speaker, gaz):
            resolver.add(a.speaker_start, Who(a.speaker, a.speaker_type, a.affiliation, "person"), (a.speaker_start, a.speaker_end))
    quotes = _Quotes(ex.quotes)
    tagged = _inherit_speakers(doc, ex, [_record(doc, ex, resolver, quotes, t) for t in found])
    if mode == "tagger":
        return ex, _mark_inside(tagged)
    return ex, _mark_inside(_combine(doc, rules, tagged))


def extract(doc: Document, resources: Any, *, mode: str = "combined") -> list[Attribution]:
    """Attributions of one document, in text order."""
    return _run(doc, resources, mode)[1]


def analyze(doc: Document, resources: Any, prior: Any = None) -> AttributionResult:
    ex, attributions = _run(doc, resources)
    unattributed, author_sentences = unattributed_assertions(doc, ex, attributions, resources, prior)
    speakers: dict[str, list[Attribution]] = {}
    for a in attributions:
        if a.speaker:
            speakers.setdefault(a.speaker, []).append(a)
    speaker_list = tuple(
        Speaker(name, group[0].speaker_type, group[0].affiliation, len(group)) for name, group in speakers.items()
    )
    quoted_words = sum(count_words(doc.text, a.content_start, a.content_end) for a in attributions if a.quotation)
    return AttributionResult(
        attributions=tuple(attributions),
        unattributed=tuple(unattributed),
        speakers=speaker_list,
        author_sentences=author_sentences,
        quoted_words=quoted_words,
    )

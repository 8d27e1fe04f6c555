"""Evidence per outlet, gathered one record at a time: the sentences, speakers and reporting
verbs a reader checks the figures against. Reads results only; never re-analyzes text.

Each list is the top ``k`` of a stream (``TopK``): an item whose rank cannot enter the list is
never built, so memory holds ``k`` items per outlet (and the outlet's distinct speakers),
whatever the number of articles. Ranks and ties are those of sorting every candidate of the
outlet's articles, taken in (id, input order): the result does not depend on the input order.
Spans inside a sentence are found by bisection over the article's spans sorted once
(``SpanIndex``), so an article costs time linear in its sentences and spans.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from framing.report.aggregate import FrameTable, attributions_of, dominant_frame, frames_of, loaded_spans_of, outlet_of
from framing.report.highlight import classifier_evidence

TOP_SENTENCES = 5
TOP_SPEAKERS = 8
TOP_VERBS = 6
TOP_FRAME_SENTENCES = 3


class SpanIndex:
    """An article's spans sorted by start: ``within(start, end)`` returns the spans inside
    [start, end] (in their original order) by bisection, without scanning the others."""

    def __init__(self, spans: Iterable[Mapping[str, Any]]) -> None:
        self.spans = list(spans)
        self._order = sorted(range(len(self.spans)), key=lambda i: (int(self.spans[i]["start"]), i))
        self._starts = [int(self.spans[i]["start"]) for i in self._order]

    def within(self, start: int, end: int) -> list[dict[str, Any]]:
        low, high = bisect_left(self._starts, start), bisect_right(self._starts, end)
        inside = sorted(i for i in self._order[low:high] if int(self.spans[i]["end"]) <= end)
        return [dict(self.spans[i]) for i in inside]


class TopK:
    """The ``k`` items of smallest key seen so far. Keys must be unique and comparable;
    ``wants(key)`` tells whether an item with that key could still enter (build it only then)."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.items: list[tuple[Any, Any]] = []
        self.bound: Any = None  # the k-th smallest key once k items are kept

    def wants(self, key: Any) -> bool:
        return self.k > 0 and (self.bound is None or key < self.bound)

    def add(self, key: Any, item: Any) -> None:
        self.items.append((key, item))
        if len(self.items) >= 2 * self.k:  # at most 2k items held: sorting k of them every k additions
            self._prune()

    def _prune(self) -> None:
        self.items.sort(key=lambda pair: pair[0])
        del self.items[self.k :]
        if len(self.items) == self.k and self.k:
            self.bound = self.items[-1][0]

    def result(self) -> list[Any]:
        self._prune()
        return [item for _, item in self.items]


def article_ref(record: Mapping[str, Any]) -> dict[str, str]:
    """What a link to the article needs when its text is not shown: id, title, outlet, date, url."""
    metadata = record.get("metadata") or {}
    return {"article": str(record.get("id")), "title": str(metadata.get("title") or ""), "outlet": outlet_of(record),
            "date": str(metadata.get("date") or ""), "url": str(metadata.get("url") or "")}


def loaded_sentences(record: Mapping[str, Any], spans: SpanIndex | None = None) -> tuple[str, list[dict[str, Any]]]:
    """The article's sentences ranked as loaded, with the basis used:
    classifier probability ("classifier"), else lexicon weight ("lexicon"), else VADER
    intensity ("vader"), else none ("")."""
    text = record.get("text")
    if not isinstance(text, str):
        return "", []
    classified = record.get("loaded_sentences")
    if isinstance(classified, Mapping):
        classified = classified.get("sentences")
    if isinstance(classified, list) and classified:
        ranked = [
            {"start": s["start"], "end": s["end"], "score": float(s.get("probability") or 0.0)}
            for s in classified
            if isinstance(s, Mapping) and "start" in s
        ]
        return "classifier", ranked
    if isinstance(record.get("loaded"), Mapping):
        spans = spans or SpanIndex(loaded_spans_of(record))
        sentences = record["loaded"].get("sentences") or record.get("sentiment", {}).get("sentences") or []
        ranked = []
        for sentence in sentences:
            inside = spans.within(int(sentence["start"]), int(sentence["end"]))
            weight = sum(float(s.get("weight") or 1.0) for s in inside if not s.get("negated"))
            if weight > 0:
                ranked.append({"start": sentence["start"], "end": sentence["end"], "score": weight})
        return "lexicon", ranked
    sentiment = record.get("sentiment")
    if isinstance(sentiment, Mapping) and sentiment.get("sentences"):
        ranked = [
            {"start": s["start"], "end": s["end"], "score": abs(float(s.get("compound") or 0.0))}
            for s in sentiment["sentences"]
            if abs(float(s.get("compound") or 0.0)) > 0
        ]
        return "vader", ranked
    return "", []


class _OutletEvidence:
    def __init__(self, top_sentences: int, top_verbs: int) -> None:
        self.sentences = TopK(top_sentences)
        self.bases: set[str] = set()
        self.speakers: dict[str, list[Any]] = {}  # lower name -> [name, type, affiliation, attributions, articles, key]
        self.verbs = TopK(top_verbs)
        self.verbs_total = 0
        self.has_attribution = self.has_sources = False


class OutletEvidence:
    """Per outlet, from a stream of records: its most loaded sentences (with the spans inside
    them), its most quoted speakers (with types), and distancing reporting verbs in context.
    ``add`` each record with its position in the input; ``result()`` gives ``outlet_evidence``."""

    def __init__(self, *, top_sentences: int = TOP_SENTENCES, top_speakers: int = TOP_SPEAKERS,
                 top_verbs: int = TOP_VERBS) -> None:
        self.top_sentences, self.top_speakers, self.top_verbs = top_sentences, top_speakers, top_verbs
        self.outlets: dict[str, _OutletEvidence] = {}

    def add(self, record: Mapping[str, Any], seq: int) -> None:
        outlet = self.outlets.get(outlet_of(record))
        if outlet is None:
            outlet = self.outlets[outlet_of(record)] = _OutletEvidence(self.top_sentences, self.top_verbs)
        rid = str(record.get("id"))
        text = record.get("text") if isinstance(record.get("text"), str) else None
        spans = SpanIndex(loaded_spans_of(record))
        basis, ranked = loaded_sentences(record, spans)
        if basis:
            outlet.bases.add(basis)
        if text is not None:
            classifier: list[dict[str, Any]] | None = None  # computed for a record with a kept sentence
            for k, item in enumerate(ranked):
                start, end = item["start"], item["end"]
                key = (-item["score"], rid, start, seq, k)
                if outlet.sentences.wants(key):
                    if classifier is None:
                        classifier = classifier_evidence(record)
                    outlet.sentences.add(key, {**article_ref(record), "start": start, "end": end, "score": item["score"],
                                               "basis": basis, "text": text[start:end],
                                               "spans": spans.within(int(start), int(end)),
                                               "classifier": [e for e in classifier if start <= e["start"] and e["end"] <= end]})
        outlet.has_attribution |= isinstance(record.get("attribution"), Mapping)
        outlet.has_sources |= isinstance(record.get("sources"), Mapping)
        self._speakers(record, outlet.speakers, (rid, seq))
        for k, a in enumerate(attributions_of(record)):
            if a.get("verb_class") == "distancing" and text is not None and a.get("cue_start") is not None:
                outlet.verbs_total += 1
                key = (rid, int(a["cue_start"]), seq, k)
                if outlet.verbs.wants(key):
                    outlet.verbs.add(key, verb_context(record, text, a))

    @staticmethod
    def _speakers(record: Mapping[str, Any], speakers: dict[str, list[Any]], key: tuple[str, int]) -> None:
        sources = record.get("sources")
        if isinstance(sources, Mapping) and sources.get("sources"):
            pairs = [
                (str(s.get("name") or ""), s.get("speaker_type"), s.get("affiliation"), int(s.get("attributions") or 0))
                for s in sources["sources"]
            ]
        else:
            counter: Counter = Counter()
            kinds: dict[str, tuple[Any, Any]] = {}
            for a in attributions_of(record):
                name = str(a.get("speaker") or "").strip()
                if name:
                    counter[name] += 1
                    kinds.setdefault(name, (a.get("speaker_type"), a.get("affiliation")))
            pairs = [(name, *kinds[name], count) for name, count in counter.items()]
        for name, speaker_type, affiliation, count in pairs:
            if not name:
                continue
            entry = speakers.get(name.lower())
            if entry is None or key < entry[5]:  # shown as the outlet's first article (by id) names it
                described = [name, speaker_type or "unknown", affiliation or "", 0, 0, key]
                if entry is not None:
                    described[3:5] = entry[3:5]
                entry = speakers[name.lower()] = described
            entry[3] += count
            entry[4] += 1

    def result(self) -> dict[str, dict[str, Any]]:
        evidence = {}
        for name in sorted(self.outlets):
            outlet = self.outlets[name]
            speakers = [{"name": n, "speaker_type": t, "affiliation": f, "attributions": a, "articles": c}
                        for n, t, f, a, c, _ in outlet.speakers.values()]
            speakers.sort(key=lambda s: (-s["attributions"], s["name"].lower()))
            evidence[name] = {
                "sentences": outlet.sentences.result(),
                "sentence_basis": sorted(outlet.bases),
                "speakers": speakers[: self.top_speakers],
                "speakers_available": outlet.has_attribution or outlet.has_sources,
                "distancing": outlet.verbs.result(),
                "distancing_total": outlet.verbs_total,
                "verbs_available": outlet.has_attribution,
            }
        return evidence


def outlet_evidence(
    results: Iterable[Mapping[str, Any]], *, top_sentences: int = TOP_SENTENCES, top_speakers: int = TOP_SPEAKERS,
    top_verbs: int = TOP_VERBS,
) -> dict[str, dict[str, Any]]:
    """Per outlet: its most loaded sentences (with the spans inside them), its most quoted
    speakers (with types), and distancing reporting verbs in context."""
    evidence = OutletEvidence(top_sentences=top_sentences, top_speakers=top_speakers, top_verbs=top_verbs)
    for seq, record in enumerate(results):
        evidence.add(record, seq)
    return evidence.result()


def verb_context(record: Mapping[str, Any], text: str, a: Mapping[str, Any], width: int = 160) -> dict[str, Any]:
    points = [a.get(k) for k in ("speaker_start", "cue_start", "content_start") if a.get(k) is not None]
    ends = [a.get(k) for k in ("speaker_end", "cue_end", "content_end") if a.get(k) is not None]
    start, end = min(points), max(ends)
    if end - start > 2 * width:  # a long quotation: keep the cue and its surroundings
        start, end = max(start, int(a["cue_start"]) - width), min(end, int(a["cue_end"]) + width)
    return {
        **article_ref(record),
        "start": start,
        "end": end,
        "text": text[start:end],
        "cue": text[a["cue_start"] : a["cue_end"]],
        "cue_start": int(a["cue_start"]),
        "cue_end": int(a["cue_end"]),
        "speaker": a.get("speaker") or "",
    }


class FrameEvidence:
    """Per outlet, from a stream of records: the sentences with the most cue weight for each
    frame of ``scheme`` (the top ``top_sentences`` per frame, since the outlet's dominant frame
    is known only at the end) and how many of its articles have each frame as dominant.
    ``result(table)`` gives ``frame_evidence``."""

    def __init__(self, scheme: str = "pfc", *, top_sentences: int = TOP_FRAME_SENTENCES) -> None:
        self.scheme = scheme
        self.top_sentences = top_sentences
        self.sentences: dict[str, dict[str, TopK]] = {}
        self.dominants: dict[str, Counter] = {}

    def add(self, record: Mapping[str, Any], seq: int) -> None:
        scheme, outlet = self.scheme, outlet_of(record)
        tops = self.sentences.setdefault(outlet, {})
        frames, text = frames_of(record), record.get("text")
        figures = frames.get(scheme) if isinstance(frames.get(scheme), Mapping) else {}
        self.dominants.setdefault(outlet, Counter())[figures.get("dominant")] += 1
        if not isinstance(text, str):
            return
        rid = str(record.get("id"))
        index: list[SpanIndex] = []

        def spans() -> SpanIndex:
            if not index:
                index.append(SpanIndex(s for s in frames.get("spans") or ()
                                       if isinstance(s, Mapping) and s.get("scheme") == scheme))
            return index[0]

        def offer(frame: str, weight: float, sentence: Mapping[str, Any], k: int) -> None:
            start, end = int(sentence["start"]), int(sentence["end"])
            top = tops.get(frame)
            if top is None:
                top = tops[frame] = TopK(self.top_sentences)
            key = (-weight, rid, start, seq, k)
            if top.wants(key):
                top.add(key, {**article_ref(record), "start": start, "end": end, "text": text[start:end],
                              "weight": weight, "voice": sentence.get("voice") or "", "spans": spans().within(start, end)})

        sentences = frames.get("sentences")
        if sentences:
            for k, sentence in enumerate(sentences):
                weights = sentence.get(scheme) if isinstance(sentence, Mapping) else None
                for frame, weight in (weights.items() if isinstance(weights, Mapping) else ()):
                    if float(weight or 0.0) > 0:
                        offer(frame, float(weight or 0.0), sentence, k)
        elif figures.get("dominant") is not None:  # older records: the article's evidence for its dominant frame
            for k, item in enumerate(figures.get("evidence") or ()):
                if float(item.get("weight") or 0.0) > 0:
                    offer(figures["dominant"], float(item.get("weight") or 0.0), item, k)

    def result(self, table: FrameTable) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for outlet in sorted(self.sentences):
            if table.empty or outlet not in table.means.index:
                continue
            dominant = dominant_frame(table.means.loc[outlet])
            top = self.sentences[outlet].get(dominant) if dominant else None
            out[outlet] = {
                "dominant": dominant,
                "share": float(table.means.loc[outlet, dominant]) if dominant else float("nan"),
                "articles_with_cues": int(table.n.get(outlet, 0)),
                "articles_dominant": self.dominants[outlet][dominant] if dominant else 0,
                "sentences": top.result() if top else [],
            }
        return out


def frame_evidence(
    results: Iterable[Mapping[str, Any]], table: FrameTable, *, top_sentences: int = TOP_FRAME_SENTENCES
) -> dict[str, dict[str, Any]]:
    """Per outlet: its dominant frame (largest mean share in ``table``) and the ``top_sentences``
    sentences of its articles with the most cue weight for that frame, each with the cue spans
    of the scheme inside it (so a reader sees which words evoke which frame)."""
    evidence = FrameEvidence(table.scheme, top_sentences=top_sentences)
    for seq, record in enumerate(results):
        evidence.add(record, seq)
    return evidence.result(table)


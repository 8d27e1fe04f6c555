"""Where the rules and the tagger meet: the one place that decides which attributions stand.

Draft: rules only (the tagger is wired in below once trained)."""

from __future__ import annotations

from typing import Any

from framing.attribution.lexicon import gazetteer
from framing.attribution.records import Attribution, AttributionResult, Speaker
from framing.attribution.rules import RuleExtractor, finish
from framing.attribution.unattributed import unattributed_assertions
from framing.document import Document
from framing.segment import count_words


def _run(doc: Document, resources: Any, mode: str = "combined") -> tuple[RuleExtractor, list[Attribution]]:
    gaz = gazetteer(resources)
    ex = RuleExtractor(doc, gaz)
    return ex, finish(doc, ex.run(), gaz)


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

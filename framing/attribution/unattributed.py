"""Unattributed assertions: sentences in the author's voice that carry evaluative wording."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Any

from framing.attribution.records import Attribution, UnattributedAssertion
from framing.document import Document
from framing.lexmatch import LexiconMatch, loaded_matcher

# Hedges soften a claim rather than make one, so they do not make a sentence evaluative.
EVALUATIVE_CATEGORIES = frozenset({"pejorative", "emotive", "hyperbole", "booster", "doubt", "intensifier"})


def _evaluative_in(doc: Document, resources: Any, prior: Any) -> Any:
    """A function sentence index -> loaded-lexicon matches in that sentence. Reuses the spans of
    the ``loaded`` analyzer when it ran before (same matcher, so the same matches) rather than
    matching the lexicon a second time."""
    loaded = (prior or {}).get("loaded") if hasattr(prior, "get") else None
    spans = getattr(loaded, "spans", None)
    if spans is None:
        matcher = loaded_matcher(resources)
        sentence_tokens = doc.sentence_tokens()
        return lambda si: matcher.find_in_tokens(doc.text, sentence_tokens[si])
    starts = [s.start for s in doc.sentences]
    by_sentence: dict[int, list[LexiconMatch]] = {}
    for span in spans:
        if span.lexicon_category in EVALUATIVE_CATEGORIES:
            si = bisect_right(starts, span.start) - 1
            by_sentence.setdefault(si, []).append(LexiconMatch(span.start, span.end, span.term, span.lexicon_category, span.weight))
    return lambda si: by_sentence.get(si, ())


def unattributed_assertions(
    doc: Document, ex: Any, attributions: list[Attribution], resources: Any, prior: Any = None
) -> tuple[list[UnattributedAssertion], int]:
    cue_offsets = sorted(a.cue_start for a in attributions if a.cue_start is not None)
    contents = sorted((a.content_start, a.content_end) for a in attributions if not a.quotation)
    content_starts = [lo for lo, _ in contents]
    reach = list(accumulate((hi for _, hi in contents), max))  # furthest end among contents so far
    out, author = [], 0
    evaluative_in = _evaluative_in(doc, resources, prior)
    for si, sentence in enumerate(doc.sentences):
        quoted = ex._sentence(si).quoted
        if not quoted or len(quoted) - quoted.count(True) < 0.5 * len(quoted):
            continue  # no tokens, or mostly quoted
        index = bisect_right(cue_offsets, sentence.end - 1) - 1
        if index >= 0 and cue_offsets[index] >= sentence.start:
            continue  # the sentence carries an attribution
        index = bisect_right(content_starts, sentence.start) - 1
        if index >= 0 and reach[index] + 1 >= sentence.end:
            continue  # the sentence is the content of an indirect report
        author += 1
        hits = [
            m
            for m in evaluative_in(si)
            if m.category in EVALUATIVE_CATEGORIES and not doc.in_quotation(m.start)
        ]
        if hits:
            out.append(UnattributedAssertion(sentence.start, sentence.end, tuple(hits)))
    return out, author


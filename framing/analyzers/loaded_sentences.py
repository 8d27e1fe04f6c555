"""Loaded-language probability per sentence from the trained sentence classifier, with the
words behind it.

Every sentence of the document is scored in one batched call with the model of
``resources.sentence_model()`` (the shipped default, or ``framing score --model MODEL``). A
sentence counts as loaded when its probability is at least the model's threshold (the shipped
model's probabilities are calibrated; its threshold is the probability at its balanced decision
boundary, see ``docs/classifier.md``; ``THRESHOLD`` for a model without one). Voice follows the
sentiment analyzer: a sentence is quoted when most of its characters are inside a quotation, so
an outlet is not charged with the wording of the people it quotes.

Evidence: for each sentence, the (up to 3) words that raise its probability most, each a span
into the text with its ``score`` (its contribution to the sentence's log-odds), so that the
highlighted words and the probability tell the same story. A model whose pipeline the fast
scorer cannot read word by word gives no evidence (an empty tuple).

The sentiment analyzer's VADER scores of the same sentences (``prior["sentiment"]``) and the
``loaded`` analyzer's lexicon matches (``prior["loaded"]``, when it matched the hand lexicon the
model was trained with) are reused instead of being computed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from framing.analyzers import Analyzer, register
from framing.document import Document
from framing.segment import normalise

THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class EvidenceSpan:
    """A word that raises its sentence's probability; ``score``: its share of the log-odds."""

    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class SentenceProbability:
    start: int
    end: int
    probability: float
    label: str
    voice: str  # "author" or "quoted"
    evidence: tuple[EvidenceSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class LoadedShare:
    sentences: int
    loaded_share: float  # share of sentences with probability >= THRESHOLD
    mean_probability: float


@dataclass(frozen=True)
class LoadedSentencesResult:
    model: str
    threshold: float
    sentences: tuple[SentenceProbability, ...]
    overall: LoadedShare
    author: LoadedShare
    quoted: LoadedShare

    def figures(self) -> dict[str, float | int]:
        return {
            "loaded_sentences_share": self.overall.loaded_share,
            "loaded_sentences_mean_probability": self.overall.mean_probability,
            "loaded_sentences_author_share": self.author.loaded_share,
            "loaded_sentences_quoted_share": self.quoted.loaded_share,
        }


def share(probabilities: list[float], threshold: float = THRESHOLD) -> LoadedShare:
    if not probabilities:
        return LoadedShare(0, 0.0, 0.0)
    n = len(probabilities)
    return LoadedShare(n, sum(p >= threshold for p in probabilities) / n, sum(probabilities) / n)


def _reusable_matches(doc: Document, resources: Any, model: Any, prior: Any) -> Any:
    """The ``loaded`` analyzer's lexicon matches per sentence, restricted to the model's own
    lexicon, when that gives exactly what the model's matcher would find; else None, and the
    model matches.

    The analyzer matches the shipped lexicon (hand and learned words) plus any user lexicon;
    the model was trained with the hand lexicon. Its matches are reusable when the analyzer's
    rows are the model's rows plus learned one-word entries only (no user rows): learned words
    never share a word with a hand entry (``framing.models.learned_lexicon``), so leaving their
    matches out leaves the hand matches. A sentence with a learned match is matched again by the
    model all the same (what costs little and rules out any doubt)."""
    loaded = (prior or {}).get("loaded")
    matches = getattr(loaded, "lexicon_matches", None)
    if not matches or len(matches) != len(doc.sentences):
        return None

    def extra_keys() -> frozenset[tuple[str, str]] | None:
        trained = model.lexicon()
        if trained is None:
            return None
        rows = resources.table("loaded").rows
        extra = [r for r in rows if r.get("provenance") == "learned"]
        own = [r for r in rows if r.get("provenance") != "learned"]
        if _match_rows(trained) != _match_rows(own) or any(len(r["term"].split()) > 1 or "-" in r["term"] for r in extra):
            return None
        return frozenset((normalise(r["term"]), r["category"]) for r in extra)

    learned = resources.memo("loaded_sentences:learned-keys", extra_keys)
    if learned is None:
        return None
    if not learned:
        return matches
    # None: the model matches that sentence itself.
    return [None if any((m.term, m.category) in learned for m in found) else found for found in matches]


def _match_rows(table: Any) -> list[tuple[str, str, float, str]]:
    """What ``LexiconMatcher.from_table`` compiles from a table's rows."""
    rows = getattr(table, "rows", table)
    return [(r["term"], r["category"], float(r["weight"]), r["match"] or "exact") for r in rows]


def _vader_scores(doc: Document, prior: Any) -> list[tuple[float, float, float]] | None:
    """The sentiment analyzer's (compound, positive, negative) per sentence, when it ran."""
    sentiment = (prior or {}).get("sentiment")
    scored = getattr(sentiment, "sentences", None)
    if not scored or len(scored) != len(doc.sentences):
        return None
    if any((s.start, s.end) != (d.start, d.end) for s, d in zip(scored, doc.sentences, strict=True)):
        return None
    return [(s.compound, s.positive, s.negative) for s in scored]


def analyze(doc: Document, resources: Any, prior: Any = None) -> LoadedSentencesResult:
    model = resources.sentence_model()
    spans = doc.sentences
    text = doc.text
    probabilities, evidence = model.score(
        [text[s.start : s.end] for s in spans],
        lexicon_matches=_reusable_matches(doc, resources, model, prior),
        words=doc.sentence_words(),  # the model tokenizes a sentence exactly as the document does
        lookups=doc.sentence_word_lookups(),
        vader=_vader_scores(doc, prior),
        origins=[s.start for s in spans],
        word_spans=doc.sentence_word_tokens(),
    )
    threshold = getattr(model, "threshold", THRESHOLD)
    sentences = tuple(
        SentenceProbability(
            span.start,
            span.end,
            float(p),
            model.positive_label if p >= threshold else model.negative_label,
            voice,
            tuple(
                EvidenceSpan(span.start + e.start, span.start + e.end, text[span.start + e.start : span.start + e.end], e.score)
                for e in (evidence[i] if evidence is not None else ())
            ),
        )
        for i, (span, p, voice) in enumerate(zip(spans, probabilities, doc.sentence_voices(), strict=True))
    )
    return LoadedSentencesResult(
        model=model.describe(),
        threshold=threshold,
        sentences=sentences,
        overall=share([s.probability for s in sentences], threshold),
        author=share([s.probability for s in sentences if s.voice == "author"], threshold),
        quoted=share([s.probability for s in sentences if s.voice == "quoted"], threshold),
    )


ANALYZER = register(
    Analyzer(
        name="loaded_sentences",
        version="2",
        analyze=analyze,
        description="probability that each sentence is loaded, from the trained sentence classifier, "
        "with the words that raise it",
    )
)

"""Loaded-language probability per sentence from the trained sentence classifier.

Every sentence of the document is scored in one batched ``predict_proba`` call with the model of
``resources.sentence_model()`` (the shipped default, or ``framing score --model MODEL``). A
sentence counts as loaded when its probability is at least ``THRESHOLD``. Voice follows the
sentiment analyzer: a sentence is quoted when most of its characters are inside a quotation, so
an outlet is not charged with the wording of the people it quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from framing.analyzers import Analyzer, register
from framing.document import Document

THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class SentenceProbability:
    start: int
    end: int
    probability: float
    label: str
    voice: str  # "author" or "quoted"


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
    """The ``loaded`` analyzer's lexicon matches per sentence, when it ran on this document with
    exactly the lexicon the model was trained with (same rows, same order, so the same matcher
    over the same sentence tokens finds the same matches); else None, and the model matches."""
    loaded = (prior or {}).get("loaded")
    matches = getattr(loaded, "lexicon_matches", None)
    if not matches or len(matches) != len(doc.sentences):
        return None

    def same_lexicon() -> bool:
        trained = model.lexicon()
        return trained is not None and _match_rows(trained) == _match_rows(resources.table("loaded"))

    return matches if resources.memo("loaded_sentences:same-lexicon", same_lexicon) else None


def _match_rows(table: Any) -> list[tuple[str, str, float, str]]:
    """What ``LexiconMatcher.from_table`` compiles from a table's rows."""
    return [(r["term"], r["category"], float(r["weight"]), r["match"] or "exact") for r in table.rows]


def analyze(doc: Document, resources: Any, prior: Any = None) -> LoadedSentencesResult:
    model = resources.sentence_model()
    spans = doc.sentences
    probabilities = model.predict_proba(
        [doc.text[s.start : s.end] for s in spans],
        lexicon_matches=_reusable_matches(doc, resources, model, prior),
        words=doc.sentence_words(),  # the model tokenizes a sentence exactly as the document does
    )
    sentences = tuple(
        SentenceProbability(
            span.start,
            span.end,
            float(p),
            model.positive_label if p >= THRESHOLD else model.negative_label,
            voice,
        )
        for span, p, voice in zip(spans, probabilities, doc.sentence_voices(), strict=True)
    )
    return LoadedSentencesResult(
        model=model.describe(),
        threshold=THRESHOLD,
        sentences=sentences,
        overall=share([s.probability for s in sentences]),
        author=share([s.probability for s in sentences if s.voice == "author"]),
        quoted=share([s.probability for s in sentences if s.voice == "quoted"]),
    )


ANALYZER = register(
    Analyzer(
        name="loaded_sentences",
        version="1",
        analyze=analyze,
        description="probability that each sentence is loaded, from the trained sentence classifier",
    )
)

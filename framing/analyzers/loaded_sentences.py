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
from framing.analyzers.sentiment import quoted_share
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


def analyze(doc: Document, resources: Any, prior: Any = None) -> LoadedSentencesResult:
    model = resources.sentence_model()
    spans = doc.sentences
    probabilities = model.predict_proba([doc.text[s.start : s.end] for s in spans])
    sentences = tuple(
        SentenceProbability(
            span.start,
            span.end,
            float(p),
            model.positive_label if p >= THRESHOLD else model.negative_label,
            "quoted" if quoted_share(doc, span.start, span.end) >= 0.5 else "author",
        )
        for span, p in zip(spans, probabilities, strict=True)
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

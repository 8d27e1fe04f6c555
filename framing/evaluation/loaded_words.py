"""Word-level loaded language: do the words we highlight mark the sentences readers call biased?

For each sentence set (:mod:`framing.evaluation.datasets`), every sentence is analysed on its
own by the ``loaded`` analyzer (lexicon matches and scare quotes, all voices). Three figures:

- **rate ratio**: highlighted words per 100 words in sentences annotators judged loaded, divided
  by the same rate in neutral sentences (1.0: the highlights do not tell them apart);
- **AUC of any highlight**: the sentence has at least one finding, as a score for "loaded";
- **AUC of the weighted count**: the sum of the findings' weights, as a score for "loaded".

The baseline is VADER's own lexicon used the same way: the words with |valence| >= 2 (strongly
valenced), weighted by |valence|. Neither is trained on these sets.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import roc_auc_score

from framing.evaluation.datasets import SentenceSet, sentence_sets
from framing.evaluation.harness import EvalData, Figure
from framing.segment import TOKEN_RE, is_word

TASK = "loaded words"
VADER_MIN_VALENCE = 2.0


@dataclass(frozen=True)
class Highlights:
    """Per sentence: words, highlighted words, number of findings, summed weight."""

    words: np.ndarray
    highlighted: np.ndarray
    findings: np.ndarray
    weight: np.ndarray

    def rate_ratio(self, loaded: np.ndarray) -> tuple[float, float, float]:
        """(rate in loaded sentences, rate in neutral ones, their ratio), per 100 words."""
        rates = []
        for mask in (loaded, ~loaded):
            words = self.words[mask].sum()
            rates.append(100.0 * self.highlighted[mask].sum() / words if words else 0.0)
        ratio = rates[0] / rates[1] if rates[1] else float("inf")
        return rates[0], rates[1], ratio


def _words_in(text: str, start: int, end: int) -> int:
    return sum(1 for m in TOKEN_RE.finditer(text, start, end) if is_word(m.group()))


def ours(texts: Sequence[str]) -> Highlights:
    """The ``loaded`` analyzer on each sentence alone."""
    from framing.document import Document
    from framing.pipeline import analyze, default_resources

    resources = default_resources()
    columns: list[list[float]] = [[], [], [], []]
    for i, text in enumerate(texts):
        doc = Document.from_text(text, id=str(i))
        loaded = analyze(doc, analyzers=["loaded"], resources=resources).analyses["loaded"]
        # Nested spans (a lexicon word inside a scare quote) count their words once.
        covered = sorted((s.start, s.end) for s in loaded.spans)
        highlighted, last_end = 0, 0
        for start, end in covered:
            start = max(start, last_end)
            if end > start:
                highlighted += _words_in(text, start, end)
                last_end = end
        columns[0].append(loaded.overall.words)
        columns[1].append(highlighted)
        columns[2].append(len(loaded.spans))
        columns[3].append(sum(s.weight for s in loaded.spans))
    return Highlights(*(np.array(c, dtype=float) for c in columns))


def vader_words(texts: Sequence[str], min_valence: float = VADER_MIN_VALENCE) -> Highlights:
    """VADER's lexicon words with |valence| >= ``min_valence``, weighted by |valence|."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    lexicon = SentimentIntensityAnalyzer().lexicon
    columns: list[list[float]] = [[], [], [], []]
    for text in texts:
        words = [m.group().lower() for m in TOKEN_RE.finditer(text) if is_word(m.group())]
        valences = [abs(lexicon[w]) for w in words if abs(lexicon.get(w, 0.0)) >= min_valence]
        columns[0].append(len(words))
        columns[1].append(len(valences))
        columns[2].append(len(valences))
        columns[3].append(sum(valences))
    return Highlights(*(np.array(c, dtype=float) for c in columns))


def _set_figures(s: SentenceSet) -> Iterator[Figure]:
    loaded = np.array(s.loaded, dtype=bool)
    mine, vader = ours(s.texts), vader_words(s.texts)
    (ml, mn, mratio), (vl, vn, vratio) = mine.rate_ratio(loaded), vader.rate_ratio(loaded)
    dataset = f"{s.name} ({len(s)} sentences, {s.positives} loaded)"
    yield Figure(
        TASK, dataset, "highlighted words per 100, loaded ÷ neutral", mratio, (("VADER |v|>=2", vratio),),
        note=f"ours {ml:.2f} vs {mn:.2f}; VADER {vl:.2f} vs {vn:.2f}",
    )
    yield Figure(
        TASK, dataset, "AUC, any highlight", float(roc_auc_score(loaded, mine.findings > 0)),
        (("VADER |v|>=2", float(roc_auc_score(loaded, vader.findings > 0))),),
    )
    yield Figure(
        TASK, dataset, "AUC, weighted count", float(roc_auc_score(loaded, mine.weight)),
        (("VADER |v|>=2", float(roc_auc_score(loaded, vader.weight))),),
    )


def figures(data: EvalData) -> Iterator[Figure]:
    for s in sentence_sets(data, with_in_house=False):
        yield from _set_figures(s)

"""Word-level loaded language: do the words we highlight mark the sentences readers call biased?

For each sentence set (:mod:`framing.evaluation.datasets`), every sentence is analysed on its
own by the ``loaded`` analyzer (lexicon matches and scare quotes, all voices) as it ships: the
hand lexicon and the learned words, except that the learned words are learned again without
the set being scored (from the other sets, in-house labels included, by the very procedure of
``framing.models.learned_lexicon``), so that no figure rests on words learned from its own
labels. Three figures:

- **rate ratio**: highlighted words per 100 words in sentences annotators judged loaded, divided
  by the same rate in neutral sentences (1.0: the highlights do not tell them apart);
- **AUC of any highlight**: the sentence has at least one finding, as a score for "loaded";
- **AUC of the weighted count**: the sum of the findings' weights, as a score for "loaded".

The baseline is VADER's own lexicon used the same way: the words with |valence| >= 2 (strongly
valenced), weighted by |valence|. Neither is trained on the set it is scored on. The notes give
the same figures for the hand lexicon alone and the learned words alone.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


# What the notes break the highlights down into: the hand lexicon with the scare-quote rule, and
# the learned words.
PARTS = {"hand": ("hand", "rule"), "learned": ("learned",)}


def ours(texts: Sequence[str], resources: Any = None) -> dict[str, Highlights]:
    """The ``loaded`` analyzer on each sentence alone (with ``resources``, default the shipped
    lexicons): the highlights of all its spans (``"all"``) and of each part of ``PARTS``."""
    from framing.document import Document
    from framing.pipeline import analyze, default_resources

    resources = resources or default_resources()
    columns: dict[str, list[list[float]]] = {name: [[], [], [], []] for name in ("all", *PARTS)}
    for i, text in enumerate(texts):
        doc = Document.from_text(text, id=str(i))
        loaded = analyze(doc, analyzers=["loaded"], resources=resources).analyses["loaded"]
        for name, column in columns.items():
            spans = [s for s in loaded.spans if name == "all" or s.provenance in PARTS[name]]
            # Nested spans (a lexicon word inside a scare quote) count their words once.
            covered = sorted((s.start, s.end) for s in spans)
            highlighted, last_end = 0, 0
            for start, end in covered:
                start = max(start, last_end)
                if end > start:
                    highlighted += _words_in(text, start, end)
                    last_end = end
            column[0].append(loaded.overall.words)
            column[1].append(highlighted)
            column[2].append(len(spans))
            column[3].append(sum(s.weight for s in spans))
    return {name: Highlights(*(np.array(c, dtype=float) for c in column)) for name, column in columns.items()}


def resources_learned_without(held_out: SentenceSet, sets: Sequence[SentenceSet], folder: Path) -> tuple[Any, int]:
    """Resources whose ``loaded`` lexicon is the hand lexicon plus words learned from ``sets``
    other than ``held_out`` (none of the shipped learned words, which were learned from every
    set), and how many words were learned. ``folder`` receives the learned table as a file."""
    from framing.lexicons import Table, load_table
    from framing.models.learned_lexicon import LabelledSet, learn, learned_table, write_table
    from framing.pipeline import Resources

    others = [LabelledSet(s.name, s.texts, s.loaded) for s in sets if s.name != held_out.name]
    lexicon = learn(others)
    learned = learned_table(lexicon, version="eval")
    write_table(learned, folder / f"learned-without-{held_out.name.split()[0].lower()}.tsv")  # to read, if wanted
    hand = load_table("loaded")
    table = Table({**hand.meta, "version": f"{hand.version}+{learned.version}"}, hand.columns, hand.rows + learned.rows)
    return Resources(tables={"loaded": table}), len(lexicon.words)

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


def _set_figures(s: SentenceSet, resources: Any, learned_words: int) -> Iterator[Figure]:
    loaded = np.array(s.loaded, dtype=bool)
    found, vader = ours(s.texts, resources), vader_words(s.texts)
    mine, hand, learned = found["all"], found["hand"], found["learned"]
    (ml, mn, mratio), (vl, vn, vratio) = mine.rate_ratio(loaded), vader.rate_ratio(loaded)
    dataset = f"{s.name} ({len(s)} sentences, {s.positives} loaded)"
    parts = f"hand words alone {hand.rate_ratio(loaded)[2]:.2f}, learned alone {learned.rate_ratio(loaded)[2]:.2f}"
    yield Figure(
        TASK, dataset, "highlighted words per 100, loaded ÷ neutral", mratio, (("VADER |v|>=2", vratio),),
        note=f"ours {ml:.2f} vs {mn:.2f}; VADER {vl:.2f} vs {vn:.2f}; {parts}; "
        f"{learned_words} learned words, learned without this set",
    )
    yield Figure(
        TASK, dataset, "AUC, any highlight", float(roc_auc_score(loaded, mine.findings > 0)),
        (("VADER |v|>=2", float(roc_auc_score(loaded, vader.findings > 0))),),
    )
    yield Figure(
        TASK, dataset, "AUC, weighted count", float(roc_auc_score(loaded, mine.weight)),
        (("VADER |v|>=2", float(roc_auc_score(loaded, vader.weight))),),
        note=f"hand words alone {roc_auc_score(loaded, hand.weight):.3f}, "
        f"learned alone {roc_auc_score(loaded, learned.weight):.3f}",
    )


def figures(data: EvalData) -> Iterator[Figure]:
    sets = sentence_sets(data)
    with tempfile.TemporaryDirectory(prefix="framing-eval-") as folder:
        for s in sets:
            if s.name.startswith("in-house"):
                continue
            resources, learned_words = resources_learned_without(s, sets, Path(folder))
            yield from _set_figures(s, resources, learned_words)

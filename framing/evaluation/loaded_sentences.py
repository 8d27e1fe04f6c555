"""The loaded-sentence classifier beside the plain baseline, two protocols.

1. **Leave one dataset out**: train on every other set, test on the one left out (macro-F1):
   does the classifier carry over to news it was not trained on?
2. **Within each set, 5-fold cross-validation**, grouped by article where sentences share an
   article (Ukraine, Lim, in-house): random folds flatter, since labels cluster by article.

"Ours" is the shipped pipeline (:func:`framing.models.classifier.build_pipeline`), trained from
scratch on each training fold; the baseline is :func:`framing.models.baseline.baseline_pipeline`.
Both see exactly the same training and test sentences.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from sklearn.base import clone
from sklearn.metrics import f1_score

from framing.evaluation.datasets import SentenceSet, pooled, sentence_sets
from framing.evaluation.harness import EvalData, Figure
from framing.models.baseline import baseline_pipeline
from framing.models.classifier import build_pipeline, cross_validate

TASK = "loaded sentences"


def _macro_f1(template, train: SentenceSet, test: SentenceSet) -> float:
    model = clone(template).fit(list(train.texts), np.array(train.loaded, dtype=np.int64))
    predicted = model.predict(list(test.texts))
    return float(f1_score(np.array(test.loaded, dtype=np.int64), predicted, average="macro", labels=[0, 1], zero_division=0))


def leave_one_out(sets: list[SentenceSet]) -> Iterator[Figure]:
    for held_out in sets:
        train = pooled([s for s in sets if s is not held_out])
        ours = _macro_f1(build_pipeline(), train, held_out)
        base = _macro_f1(baseline_pipeline(), train, held_out)
        yield Figure(
            task=TASK,
            dataset=f"{held_out.name}, left out",
            metric="macro-F1",
            ours=ours,
            baselines=(("TF-IDF LR", base),),
            note=f"trained on the other {len(sets) - 1} sets ({len(train)} sentences); "
            f"tested on {len(held_out)} ({held_out.positives} loaded)",
        )


def within_sets(sets: list[SentenceSet], k: int = 5) -> Iterator[Figure]:
    for s in sets:
        grouped = s.groups is not None
        data = s.data()
        ours = cross_validate(data, k, grouped=grouped)
        base = cross_validate(data, k, grouped=grouped, template=baseline_pipeline())
        yield Figure(
            task=TASK,
            dataset=f"{s.name}, {k}-fold" + (" grouped by article" if grouped else ""),
            metric="macro-F1 (mean over folds)",
            ours=ours.fold_mean,
            baselines=(("TF-IDF LR", base.fold_mean),),
            note=f"{len(s)} sentences ({s.positives} loaded); ours ± {ours.fold_std:.3f}",
        )


def figures(data: EvalData) -> Iterator[Figure]:
    sets = sentence_sets(data)
    independent = [s for s in sets if not s.name.startswith("in-house")]
    if not independent:
        return
    yield from leave_one_out(sets)
    yield from within_sets(sets)

"""The loaded-sentence classifier beside the plain baseline, two protocols.

1. **Leave one dataset out**: train on every other set, test on the one left out (macro-F1):
   does the classifier carry over to news it was not trained on?
2. **Within each set, 5-fold cross-validation**, grouped by article where sentences share an
   article (Ukraine, Lim, in-house): random folds flatter, since labels cluster by article.

"Ours" is the shipped configuration (:func:`framing.models.classifier.build_pipeline`, fitted
with :func:`~framing.models.classifier.fit_pipeline` as ``make model`` fits it): trained from
scratch on each training fold, where it chooses its C and dataset weighting and calibrates its
probabilities on inner folds of that training fold only (leaving one training set out at a time,
or grouped folds within one set), and labels a sentence loaded from its own threshold. The
classifier reads the hand lexicon only (the learned words did not improve it, see
``docs/classifier.md``), so no learned lexicon enters these rows. The baseline is
:func:`framing.models.baseline.baseline_pipeline`. Both see exactly the same training and test
sentences. Linear algebra runs on one thread (faster for these sizes than contending threads).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from sklearn.metrics import f1_score
from threadpoolctl import threadpool_limits

from framing.evaluation.datasets import SentenceSet, pooled, sentence_sets
from framing.evaluation.harness import EvalData, Figure
from framing.models.baseline import baseline_pipeline
from framing.models.classifier import build_pipeline, cross_validate, fit_pipeline

TASK = "loaded sentences"


def _macro_f1(template, train: SentenceSet, test: SentenceSet, datasets: list[str]) -> float:
    y = np.array(train.loaded, dtype=np.int64)
    model = fit_pipeline(template, train.texts, y, train.groups or (), datasets)
    predicted = model.predict(list(test.texts))
    return float(f1_score(np.array(test.loaded, dtype=np.int64), predicted, average="macro", labels=[0, 1], zero_division=0))


def leave_one_out(sets: list[SentenceSet]) -> Iterator[Figure]:
    for held_out in sets:
        others = [s for s in sets if s is not held_out]
        train = pooled(others)
        datasets = [s.name for s in others for _ in s.texts]
        ours = _macro_f1(build_pipeline(), train, held_out, datasets)
        base = _macro_f1(baseline_pipeline(), train, held_out, datasets)
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
    with threadpool_limits(limits=1):
        yield from leave_one_out(sets)
        yield from within_sets(sets)

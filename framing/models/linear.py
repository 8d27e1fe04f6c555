"""``CalibratedLogistic``: a logistic regression that picks its own regularisation and dataset
weighting on inner folds of its training data, with calibrated probabilities.

Fitting (``fit(X, y, sample_weight=None, groups=None, datasets=None)``):

1. **Inner splits** of the training data: with sentences from two or more datasets
   (``datasets``), leave one dataset out in turn, since the model is meant for news it was not
   trained on; with one dataset, ``inner_folds`` stratified folds that keep each group
   (``groups``, e.g. an article) whole.
2. **Weights**: within each dataset the two classes weigh alike (balanced); across datasets the
   weighting is one of ``weightings``: ``"sentence"`` (a dataset weighs by its size) or
   ``"dataset"`` (every dataset weighs the same in total). ``sample_weight`` multiplies them.
3. **Selection**: every ``C`` of ``Cs`` with every weighting is fitted on each inner training
   part and scored on the held-out part: macro-F1 at the balanced decision boundary
   (decision value 0), averaged over the held-out datasets (or pooled over the folds, with one
   dataset). The best pair wins (ties: the first, i.e. the smaller C); all scores are kept in
   ``selection_``.
4. **Final fit** with the chosen pair on all the training data.
5. **Calibration** (Platt 1999): a one-feature logistic regression maps the chosen pair's
   out-of-fold decision values to probabilities, each dataset weighted as in step 2 but with its
   classes at their natural rates, so that probabilities estimate how often annotators of such
   data call a sentence loaded. ``predict_proba`` is ``expit(a * decision + b)``.
   ``reliability_`` keeps, for ten bins of those out-of-fold probabilities, the mean
   probability beside the share of loaded sentences (what "calibrated" means, checkable).
   Calibrated this way, the probabilities are those of a sentence from a set the model was not
   trained on (the inner folds leave sets out), which is what the shipped model meets.
6. **Label**: ``predict`` is the balanced decision (decision value >= 0), i.e. a probability
   of at least ``threshold_ = expit(b)``. The slope ``a`` is kept at least ``MIN_SLOPE`` so that
   the probability stays increasing in the decision value.

With too little data for inner folds (fewer than 2 sentences of a class per fold) there is no
selection and no calibration: the middle ``C``, the first weighting, ``a = 1``, ``b = 0``.

The fitted model is linear: ``coef_``, ``intercept_`` and the calibration ``(a, b)`` are all a
fast scorer needs (:class:`framing.models.classifier._LinearScorer`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

__all__ = ["CalibratedLogistic", "dataset_weights"]

WEIGHTINGS = ("sentence", "dataset")
MIN_SLOPE = 1e-3
RELIABILITY_BINS = 10


def dataset_weights(y: np.ndarray, datasets: np.ndarray, weighting: str, *, balanced: bool = True) -> np.ndarray:
    """Per-sentence weights (mean 1): classes balanced within each dataset (``balanced``) and
    datasets weighted by ``weighting`` (see the module docstring)."""
    if weighting not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {weighting!r}; expected one of {', '.join(WEIGHTINGS)}")
    weights = np.zeros(len(y), dtype=np.float64)
    names = np.unique(datasets)
    for name in names:
        mask = datasets == name
        n = int(mask.sum())
        factor = len(y) / (len(names) * n) if weighting == "dataset" else 1.0
        if balanced:
            positives = int(y[mask].sum())
            negatives = n - positives
            per_class = np.where(y[mask] == 1, n / (2 * max(positives, 1)), n / (2 * max(negatives, 1)))
        else:
            per_class = np.ones(n)
        weights[mask] = per_class * factor
    return weights / weights.mean()


def _reliability(
    probabilities: np.ndarray, y: np.ndarray, weights: np.ndarray, bins: int = RELIABILITY_BINS
) -> tuple[tuple[float, float, float], ...]:
    """The calibrated out-of-fold probabilities in ``bins`` bins of equal size (by probability):
    per bin, the mean probability, the share of positives and the bin's share of the weight,
    each weighted as the calibration was. A calibrated model has the first two close."""
    order = np.argsort(probabilities, kind="stable")
    rows = []
    total = float(weights.sum())
    for part in np.array_split(order, min(bins, len(order))):
        w = weights[part]
        if w.sum() <= 0:
            continue
        rows.append((float(np.average(probabilities[part], weights=w)), float(np.average(y[part], weights=w)), float(w.sum() / total)))
    return tuple(rows)


def _macro_f1(y: np.ndarray, predicted: np.ndarray) -> float:
    return float(f1_score(y, predicted, average="macro", labels=[0, 1], zero_division=0))


class CalibratedLogistic(ClassifierMixin, BaseEstimator):
    """Logistic regression with C and dataset weighting chosen on inner folds and Platt-calibrated
    probabilities (see the module docstring).

    Parameters
    ----------
    Cs : sequence of float
        Candidate inverse regularisation strengths.
    weightings : sequence of str
        Candidate dataset weightings (``"sentence"``, ``"dataset"``); only tried when the data
        come from two or more datasets.
    inner_folds : int
        Folds for selection and calibration when the data come from one dataset.
    max_iter : int
        Passed to ``LogisticRegression``.
    random_state : int
        Seed of the inner folds.
    """

    def __init__(
        self,
        *,
        Cs: Sequence[float] = (0.125, 0.25, 0.5, 1.0, 2.0, 4.0),
        weightings: Sequence[str] = WEIGHTINGS,
        inner_folds: int = 3,
        max_iter: int = 5000,
        random_state: int = 0,
    ) -> None:
        self.Cs = Cs
        self.weightings = weightings
        self.inner_folds = inner_folds
        self.max_iter = max_iter
        self.random_state = random_state

    # -- fitting --------------------------------------------------------------------------

    def fit(
        self,
        X: Any,
        y: Any,
        sample_weight: Any = None,
        groups: Sequence[Any] | None = None,
        datasets: Sequence[Any] | None = None,
    ) -> CalibratedLogistic:
        # One BLAS thread: L-BFGS on these sizes works on vectors too short for threads to pay,
        # and on a busy machine contending threads made each fit ten to thirty times slower.
        with threadpool_limits(limits=1, user_api="blas"):
            return self._fit(X, y, sample_weight, groups, datasets)

    def _fit(
        self,
        X: Any,
        y: Any,
        sample_weight: Any,
        groups: Sequence[Any] | None,
        datasets: Sequence[Any] | None,
    ) -> CalibratedLogistic:
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2 or set(self.classes_.tolist()) - {0, 1}:
            raise ValueError(f"CalibratedLogistic needs labels 0 and 1, got {self.classes_.tolist()}")
        y = y.astype(np.int64)
        if not self.Cs or any(not (float(c) > 0) for c in self.Cs):
            raise ValueError(f"Cs must be positive numbers, got {self.Cs!r}")
        for weighting in self.weightings:
            if weighting not in WEIGHTINGS:
                raise ValueError(f"unknown weighting {weighting!r}; expected one of {', '.join(WEIGHTINGS)}")
        n = X.shape[0]
        datasets = np.asarray(datasets if datasets is not None else ["data"] * n, dtype=object)
        groups_array = np.asarray(groups, dtype=object) if groups is not None and len(groups) else None
        if len(datasets) != n or (groups_array is not None and len(groups_array) != n):
            raise ValueError(f"{n} samples but {len(datasets)} datasets / {0 if groups_array is None else len(groups_array)} groups")
        extra = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)

        names = np.unique(datasets)
        splits = self._inner_splits(y, datasets, groups_array)
        weightings = tuple(self.weightings) if len(names) >= 2 else tuple(self.weightings[:1]) or ("sentence",)
        candidates = [(float(c), w) for c in self.Cs for w in weightings]
        self.selection_: dict[tuple[float, str], float] = {}
        self.dataset_factors_: dict[str, float] = {}
        if splits:
            best = None
            for C, weighting in candidates:
                decision = np.zeros(n)
                for train, test in splits:
                    weights = dataset_weights(y[train], datasets[train], weighting) * extra[train]
                    model = self._regression(C).fit(X[train], y[train], sample_weight=weights)
                    decision[test] = model.decision_function(X[test])
                score = self._score(y, decision, datasets, splits, len(names) >= 2)
                self.selection_[(C, weighting)] = score
                if best is None or score > best[0]:
                    best = (score, C, weighting, decision)
            _, self.C_, self.weighting_, out_of_fold = best
        else:
            self.C_ = float(sorted(self.Cs)[len(self.Cs) // 2])
            self.weighting_ = weightings[0]
            out_of_fold = None

        weights = dataset_weights(y, datasets, self.weighting_) * extra
        final = self._regression(self.C_).fit(X, y, sample_weight=weights)
        self.coef_ = final.coef_
        self.intercept_ = final.intercept_
        self.n_features_in_ = final.n_features_in_
        if out_of_fold is not None:
            natural = dataset_weights(y, datasets, self.weighting_, balanced=False) * extra
            platt = LogisticRegression(C=1e4, max_iter=1000).fit(out_of_fold[:, None], y, sample_weight=natural)
            slope, offset = float(platt.coef_[0, 0]), float(platt.intercept_[0])
            self.calibration_ = (max(slope, MIN_SLOPE), offset)
            self.reliability_ = _reliability(expit(self.calibration_[0] * out_of_fold + offset), y, natural)
        else:
            self.calibration_ = (1.0, 0.0)
            self.reliability_ = ()
        self.threshold_ = float(expit(self.calibration_[1]))
        for name in names:
            mask = datasets == name
            self.dataset_factors_[str(name)] = float(dataset_weights(y, datasets, self.weighting_, balanced=False)[mask][0])
        return self

    def _regression(self, C: float) -> LogisticRegression:
        return LogisticRegression(C=C, max_iter=self.max_iter)

    def _inner_splits(
        self, y: np.ndarray, datasets: np.ndarray, groups: np.ndarray | None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        names = np.unique(datasets)
        if len(names) >= 2:
            splits = [(np.flatnonzero(datasets != name), np.flatnonzero(datasets == name)) for name in names]
            return [(train, test) for train, test in splits if len(np.unique(y[train])) == 2]
        k = min(int(self.inner_folds), int(np.bincount(y, minlength=2).min()))
        if k < 2:
            return []
        if groups is not None and len(np.unique(groups)) >= k:
            folds = StratifiedGroupKFold(k, shuffle=True, random_state=self.random_state)
            splits = list(folds.split(np.zeros(len(y)), y, groups))
        else:
            splits = list(StratifiedKFold(k, shuffle=True, random_state=self.random_state).split(np.zeros(len(y)), y))
        return [(train, test) for train, test in splits if len(np.unique(y[train])) == 2]

    @staticmethod
    def _score(y: np.ndarray, decision: np.ndarray, datasets: np.ndarray, splits: list, by_dataset: bool) -> float:
        predicted = (decision >= 0).astype(np.int64)
        if by_dataset:
            return float(np.mean([_macro_f1(y[test], predicted[test]) for _, test in splits]))
        covered = np.concatenate([test for _, test in splits])
        return _macro_f1(y[covered], predicted[covered])

    # -- predicting -----------------------------------------------------------------------

    def decision_function(self, X: Any) -> np.ndarray:
        """The regression's decision value (0 at the balanced boundary)."""
        check_is_fitted(self, "coef_")
        return np.asarray(X @ self.coef_[0]).ravel() + self.intercept_[0]

    def predict_proba(self, X: Any) -> np.ndarray:
        slope, offset = self.calibration_
        p = expit(slope * self.decision_function(X) + offset)
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        return (self.decision_function(X) >= 0).astype(self.classes_.dtype)

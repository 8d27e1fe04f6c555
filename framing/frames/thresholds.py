"""Multi-label decisions: a threshold per frame, chosen on the training texts only.

A one-vs-rest logistic regression with balanced class weights gives every frame a probability,
but 0.5 is the right cut for none of them: a rare frame's balanced classifier says "yes" too
often, a frequent one's too rarely. :class:`ThresholdedFrames` wraps any untrained multi-label
estimator (the frames pipeline) and, when it is fitted on some texts:

1. splits those texts into ``cv`` folds by iterative stratification
   (:func:`~framing.frames.data.iterative_folds`) and fits a clone of the estimator on all but
   one fold at a time, so that every training text gets a probability from a model that did not
   see it (:func:`inner_probabilities`);
2. chooses each frame's threshold from those out-of-fold probabilities
   (:func:`choose_thresholds`): halfway between the frame's own best threshold (the one on
   ``THRESHOLD_GRID`` with the best F1 for that frame) and the common best threshold (the one
   with the best micro-F1 over all frames). A rare frame's own best threshold rests on a
   handful of texts and swings from fold to fold; pulling it halfway to the common one (a
   shrinkage estimate) kept most of what per-frame thresholds gain on the frames with many
   texts. On the development sets (FrAC and in-house sentences grouped into pseudo-articles,
   the in-house sentence labels; docs/frames.md) own thresholds alone lost 0.01–0.03 micro-F1
   against a fixed 0.5, the halfway ones lost at most 0.009 and gained up to 0.027 macro-F1;
3. fits the estimator on all the texts it was given.

Nothing outside the texts given to ``fit`` is read, so in cross-validation the test fold never
shapes a threshold (the tests record which texts the chooser's probabilities come from).

**At least one frame.** With ``min_frames="auto"`` a text whose probabilities are all below
their thresholds still gets its most likely frame (the largest probability / threshold ratio)
when every training text had at least one frame: a codebook where each article or sentence has
a frame (PFC has ``other`` for the rest) should not predict none. Training data with unlabelled
texts (none of the frames applies) turns the rule off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.metrics import f1_score
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from framing.frames.data import RANDOM_STATE, iterative_folds

__all__ = [
    "THRESHOLD_GRID", "ThresholdedFrames", "best_common_threshold", "best_frame_thresholds", "choose_thresholds",
    "decide", "inner_probabilities", "one_thread",
]

THRESHOLD_GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))  # 0.05, 0.10, ..., 0.95
INNER_FOLDS = 3


def one_thread() -> Any:
    """A context in which OpenMP and BLAS use one thread: the frames models are many small
    logistic regressions, which gain nothing from threads on an idle machine and were ~20x
    slower with them on a busy 2-core one (threads spinning against each other)."""
    return threadpool_limits(limits=1)


def inner_probabilities(
    estimator: Any, texts: Sequence[str], Y: np.ndarray, cv: int, random_state: int = RANDOM_STATE
) -> np.ndarray:
    """Out-of-fold probabilities of clones of ``estimator`` over ``cv`` iteratively stratified
    folds of ``texts`` (the only rows the thresholds are chosen on)."""
    texts = np.asarray(list(texts), dtype=object)
    probabilities = np.zeros(Y.shape, dtype=np.float64)
    everything = np.arange(len(texts))
    for held_out in iterative_folds(Y, cv, random_state):
        if not len(held_out):
            continue
        train = np.setdiff1d(everything, held_out)
        model = clone(estimator).fit(list(texts[train]), Y[train])
        probabilities[held_out] = model.predict_proba(list(texts[held_out]))
    return probabilities


def _nearest_half_first(grid: Sequence[float]) -> list[float]:
    return sorted(grid, key=lambda t: (abs(t - 0.5), t))


def best_frame_thresholds(
    probabilities: np.ndarray, Y: np.ndarray, grid: Sequence[float] = THRESHOLD_GRID
) -> np.ndarray:
    """Per frame (column), the threshold on ``grid`` with the best F1 of ``probabilities >= t``
    against ``Y``; ties go to the threshold nearest 0.5; a column without positives gets 0.5."""
    chosen = np.full(Y.shape[1], 0.5)
    candidates = _nearest_half_first(grid)
    for j in range(Y.shape[1]):
        if not Y[:, j].any():
            continue
        scores = [f1_score(Y[:, j], probabilities[:, j] >= t, zero_division=0) for t in candidates]
        chosen[j] = candidates[int(np.argmax(scores))]  # argmax: the first best, i.e. the nearest 0.5
    return chosen


def best_common_threshold(probabilities: np.ndarray, Y: np.ndarray, grid: Sequence[float] = THRESHOLD_GRID) -> float:
    """The one threshold on ``grid`` with the best micro-F1 over all frames (ties: nearest 0.5)."""
    candidates = _nearest_half_first(grid)
    scores = [f1_score(Y, probabilities >= t, average="micro", zero_division=0) for t in candidates]
    return float(candidates[int(np.argmax(scores))])


def choose_thresholds(probabilities: np.ndarray, Y: np.ndarray, grid: Sequence[float] = THRESHOLD_GRID) -> np.ndarray:
    """Each frame's threshold: halfway between its own best (:func:`best_frame_thresholds`) and
    the common best (:func:`best_common_threshold`); a frame without positives gets the common
    one."""
    common = best_common_threshold(probabilities, Y, grid)
    own = np.where(Y.any(axis=0), best_frame_thresholds(probabilities, Y, grid), common)
    return np.round((own + common) / 2, 3)


def decide(probabilities: np.ndarray, thresholds: Sequence[float], min_frames: int = 0) -> np.ndarray:
    """0/1 decisions: ``probability >= threshold``; a row with fewer than ``min_frames`` frames
    gets its most likely frames (largest probability / threshold) up to ``min_frames``."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    thresholds = np.asarray(thresholds, dtype=np.float64)
    decided = (probabilities >= thresholds).astype(np.int64)
    if min_frames > 0 and probabilities.shape[1]:
        short = np.flatnonzero(decided.sum(axis=1) < min_frames)
        if len(short):
            ranked = np.argsort(-(probabilities[short] / thresholds), axis=1, kind="stable")[:, :min_frames]
            decided[short[:, None], ranked] = 1
    return decided


class ThresholdedFrames(MetaEstimatorMixin, BaseEstimator):
    """A multi-label estimator with per-frame thresholds chosen by inner cross-validation on
    its own training texts (see the module docstring).

    Parameters
    ----------
    estimator : an untrained scikit-learn estimator with ``predict_proba`` over texts and a 0/1
        label matrix (the frames pipeline).
    cv : int
        Inner folds (at least 2).
    min_frames : "auto", 0 or 1
        ``auto``: 1 when every training text has a frame, else 0.
    random_state : int
        Seed of the inner folds.
    """

    def __init__(self, estimator: Any = None, *, cv: int = INNER_FOLDS, min_frames: Any = "auto", random_state: int = RANDOM_STATE) -> None:
        self.estimator = estimator
        self.cv = cv
        self.min_frames = min_frames
        self.random_state = random_state

    def fit(self, X: Sequence[str], Y: Any) -> ThresholdedFrames:
        if self.estimator is None:
            raise ValueError("ThresholdedFrames needs an estimator")
        if isinstance(self.cv, bool) or not isinstance(self.cv, int) or self.cv < 2:
            raise ValueError(f"cv must be a whole number >= 2, not {self.cv!r}")
        if self.min_frames not in ("auto", 0, 1):
            raise ValueError(f"min_frames must be 'auto', 0 or 1, not {self.min_frames!r}")
        Y = np.asarray(Y)
        if Y.ndim != 2:
            raise ValueError(f"Y must be a 0/1 matrix (texts x frames), got shape {Y.shape}")
        texts = list(X)
        with one_thread():
            probabilities = inner_probabilities(self.estimator, texts, Y, self.cv, self.random_state)
            self.thresholds_ = choose_thresholds(probabilities, Y)
            self.estimator_ = clone(self.estimator).fit(texts, Y)
        self.min_frames_ = int(bool(Y.sum(axis=1).all())) if self.min_frames == "auto" else int(self.min_frames)
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(list(X))

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return decide(self.predict_proba(X), self.thresholds_, self.min_frames_)

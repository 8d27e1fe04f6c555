"""How good a frames model is: per-frame precision, recall and F1, micro- and macro-F1.

Micro-F1 pools all text-frame decisions (dominated by the frequent frames); macro-F1 is the
unweighted mean over the frames that have positives in the data (every frame counts the same).
Cross-validation uses iterative stratification (Sechidis, Tsoumakas & Vlahavas 2011, "On the
stratification of multi-label data", ECML PKDD) with a fixed seed, so each fold gets its share
of every rare frame; each fold's model is fitted on the other folds only, its thresholds chosen
by inner cross-validation within them (:mod:`framing.frames.thresholds`). ``template`` runs
another untrained estimator on the very same folds (the plain baseline of
:mod:`framing.models.baseline`, which decides at 0.5).

The lexicon-only detector (:func:`lexicon_predictions`) scores sentences from their cue mass
alone, with a rule fixed before looking at any gold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.metrics import f1_score, precision_recall_fscore_support

from framing.frames.data import RANDOM_STATE, MultiLabelData, iterative_folds
from framing.frames.lexicon import FRAMES, SCHEMES, FrameLexicon
from framing.frames.model import FramesModel, build_model
from framing.frames.thresholds import ThresholdedFrames, one_thread
from framing.models.classifier import ClassScores, out_of_fold, score_table
from framing.segment import TOKEN_RE

__all__ = [
    "FramesReport",
    "baseline_beside",
    "cross_validate",
    "evaluate",
    "evaluate_lexicon",
    "evaluate_template",
    "lexicon_predictions",
    "score_predictions",
]

LEXICON_THRESHOLD = 0.5  # fixed before looking at the gold: one cue of weight >= 0.5, or two weaker ones
MODEL_DECISIONS = "per-frame thresholds chosen by inner cross-validation on the training texts"


@dataclass(frozen=True)
class FramesReport:
    method: str
    n: int
    frames: tuple[ClassScores, ...]
    micro_f1: float
    macro_f1: float  # over frames with positives in the data
    fold_macro_f1: tuple[float, ...] = ()
    notes: tuple[str, ...] = ()
    level: str = "sentence"
    decisions: str = ""  # how 0/1 decisions were made, for the heading

    def format(self) -> str:
        how = f" ({self.decisions})" if self.decisions else ""
        lines = [f"{self.method} on {self.n} {self.level}s, {len(self.frames)} frames{how}", ""]
        lines += score_table(self.frames, "frame")
        lines.append("")
        lines.append(f"micro-F1  {self.micro_f1:.3f}")
        lines.append(f"macro-F1  {self.macro_f1:.3f}")
        if self.fold_macro_f1:
            folds = ", ".join(f"{f:.3f}" for f in self.fold_macro_f1)
            lines.append(
                f"macro-F1 per fold: {np.mean(self.fold_macro_f1):.3f} ± {np.std(self.fold_macro_f1):.3f} (folds: {folds})"
            )
        lines.extend(self.notes)
        return "\n".join(lines)


def score_predictions(
    method: str,
    frames: Sequence[str],
    Y: np.ndarray,
    predicted: np.ndarray,
    folds: Sequence[float] = (),
    notes: Sequence[str] = (),
    **about: str,
) -> FramesReport:
    """Per-frame and micro/macro scores of 0/1 predictions against gold (same columns)."""
    precision, recall, f1, support = precision_recall_fscore_support(Y, predicted, average=None, zero_division=0)
    scores = tuple(
        ClassScores(frame, float(precision[i]), float(recall[i]), float(f1[i]), int(support[i])) for i, frame in enumerate(frames)
    )
    present = [s.f1 for s in scores if s.support > 0]
    return FramesReport(
        method=method,
        n=int(Y.shape[0]),
        frames=scores,
        micro_f1=float(f1_score(Y, predicted, average="micro", zero_division=0)),
        macro_f1=float(np.mean(present)) if present else 0.0,
        fold_macro_f1=tuple(float(f) for f in folds),
        notes=tuple(notes),
        **about,
    )


def _macro_present(Y: np.ndarray, predicted: np.ndarray) -> float:
    present = Y.sum(axis=0) > 0
    if not present.any():
        return 0.0
    return float(f1_score(Y[:, present], predicted[:, present], average="macro", zero_division=0))


def evaluate(model: FramesModel, data: MultiLabelData) -> FramesReport:
    """Score a trained model on labelled data: the model's frames that the data labels."""
    shared = [f for f in model.frames if f in data.frames]
    if not shared:
        raise ValueError(f"the data labels none of the model's frames ({', '.join(model.frames)})")
    notes = []
    missing = [f for f in model.frames if f not in data.frames]
    if missing:
        notes.append(f"not in the data, not scored: {', '.join(missing)}")
    if model.level != data.level:
        notes.append(f"a model trained on {model.level}s, scored on {data.level}s")
    columns = [model.frames.index(f) for f in shared]
    predicted = model.decide(model.predict_proba(data.texts))[:, columns]
    gold = np.column_stack([data.column(f) for f in shared])
    return score_predictions(
        "held-out evaluation", shared, gold, predicted, notes=notes, level=data.level, decisions="the model's thresholds"
    )


def evaluate_template(template: Any, train_data: MultiLabelData, data: MultiLabelData) -> FramesReport:
    """Fit a clone of an untrained pipeline on ``train_data`` and score it on the frames both
    data sets label (e.g. the baseline trained on a model's own training data)."""
    shared = [f for f in train_data.frames if f in data.frames]
    if not shared:
        raise ValueError(f"the data labels none of the training data's frames ({', '.join(train_data.frames)})")
    with one_thread():
        pipeline = clone(template).fit(list(train_data.texts), train_data.Y)
    columns = [train_data.frames.index(f) for f in shared]
    predicted = np.asarray(pipeline.predict(list(data.texts)))[:, columns].astype(np.int64)
    gold = np.column_stack([data.column(f) for f in shared])
    return score_predictions("held-out evaluation", shared, gold, predicted, level=data.level, decisions=_decisions(template))


def _decisions(template: Any) -> str:
    return MODEL_DECISIONS if isinstance(template, ThresholdedFrames) else "threshold 0.5"


def baseline_beside(model: FramesReport, baseline: FramesReport, how: str = "same folds") -> str:
    """The baseline's scores and the model's margins over it, as text."""
    from framing.models.baseline import NAME

    lines = [f"baseline ({NAME}, one-vs-rest, threshold 0.5), {how}:", ""]
    lines += score_table(baseline.frames, "frame")
    lines.append("")
    lines.append(f"micro-F1  {baseline.micro_f1:.3f}   model − baseline: {model.micro_f1 - baseline.micro_f1:+.3f}")
    lines.append(f"macro-F1  {baseline.macro_f1:.3f}   model − baseline: {model.macro_f1 - baseline.macro_f1:+.3f}")
    return "\n".join(lines)


def scheme_of(frames: Sequence[str]) -> str:
    """The frame scheme whose slugs include all of ``frames`` (PFC first)."""
    for scheme in SCHEMES:
        if set(frames) <= set(FRAMES[scheme]):
            return scheme
    raise ValueError(f"the frames {', '.join(frames)} are not all slugs of one scheme ({', '.join(SCHEMES)})")


def lexicon_predictions(
    texts: Sequence[str], frames: Sequence[str], threshold: float = LEXICON_THRESHOLD, lexicon: FrameLexicon | None = None
) -> np.ndarray:
    """The lexicon-only detector: 0/1 per text and frame, 1 when the text's cue mass for the
    frame (summed weights) is at least ``threshold``. PFC ``other`` (no cues by design) is
    predicted when no other PFC frame reaches the threshold."""
    scheme = scheme_of(frames)
    lexicon = lexicon or FrameLexicon.shipped()
    column = {f: j for j, f in enumerate(frames)}
    out = np.zeros((len(texts), len(frames)), dtype=np.int64)
    for i, text in enumerate(texts):
        mass: dict[str, float] = {}
        for cue in lexicon.find_in_tokens(text, [m.span() for m in TOKEN_RE.finditer(text)]):
            if cue.scheme == scheme:
                mass[cue.frame] = mass.get(cue.frame, 0.0) + cue.weight
        fired = {f for f, m in mass.items() if m >= threshold}
        if scheme == "pfc" and not fired:
            fired = {"other"}
        for f in fired & column.keys():
            out[i, column[f]] = 1
    return out


def evaluate_lexicon(data: MultiLabelData, threshold: float = LEXICON_THRESHOLD) -> FramesReport:
    """Score the lexicon-only detector (:func:`lexicon_predictions`) on labelled sentences."""
    if data.level != "sentence":
        raise ValueError("the lexicon-only detector scores sentences (one cue evokes a frame); for articles use --cv K")
    predicted = lexicon_predictions(data.texts, data.frames, threshold)
    note = f"lexicon-only detector: a frame is predicted when its cue mass is >= {threshold} (fixed, not tuned)"
    return score_predictions("lexicon-only detection", data.frames, data.Y, predicted, notes=[note])


def cross_validate(data: MultiLabelData, k: int = 5, *, template: Any = None, **params: Any) -> FramesReport:
    """Iteratively stratified k-fold (fixed seed): pooled per-frame scores, per-fold macro-F1.

    The model is :func:`~framing.frames.model.build_model` of the data's level (``params`` go
    to its pipeline); ``template``: another untrained estimator to evaluate on the very same
    folds instead (the baseline). Every fold's estimator is a fresh clone fitted on the other
    folds' texts only."""
    if k < 2:
        raise ValueError(f"--cv needs at least 2 folds, got {k}")
    smallest = min(data.counts().values())
    if smallest < k:
        raise ValueError(f"{k}-fold cross-validation needs at least {k} positives of each frame; the rarest has {smallest}")
    folds = iterative_folds(data.Y, k)
    everything = np.arange(len(data))
    splits = [(np.setdiff1d(everything, test), test) for test in folds]
    template = template if template is not None else build_model(data.level, **params)
    with one_thread():
        predicted, fold_scores = out_of_fold(template, data.texts, data.Y, splits, _macro_present)
    notes = [f"folds: iterative stratification (Sechidis et al. 2011), seed {RANDOM_STATE}"]
    return score_predictions(
        f"{k}-fold cross-validation", data.frames, data.Y, predicted, fold_scores, notes,
        level=data.level, decisions=_decisions(template),
    )



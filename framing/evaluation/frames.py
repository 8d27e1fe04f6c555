"""Frames beside the plain baseline: FrAC (one MFC frame per sentence), the in-house Policy
Frames labels of sentences and of whole articles (several frames each).

- **FrAC** (Guida et al. 2025; 523 sentences, 10 MFC classes): stratified 5-fold (seed 0, the
  folds of eval-data's ``baselines.py``). Ours is the frames pipeline
  (:func:`framing.frames.model.build_pipeline`, one-vs-rest with the frame-cue features) trained
  on each fold's one-hot labels, predicting the most probable frame; the baseline is the plain
  multi-class TF-IDF logistic regression. Accuracy over all out-of-fold predictions and macro-F1
  as the mean over folds (the README's convention).
- **In-house PFC labels** (``corpus/annotations/frames_sentences.csv``, labelled by this project):
  iteratively stratified 5-fold, micro- and macro-F1, ours (the sentence model with per-frame
  thresholds chosen inside each training fold) vs the one-vs-rest baseline at 0.5. Needs no
  eval-data.
- **In-house article labels** (``corpus/annotations/frames_articles.csv``: whole Wikinews and
  Kremlin articles of ``corpus/open``, labelled by this project): the same protocol with the
  article-level model (whole-article features). eval-data has no article-level frame labels
  (FrAC labels sentences; the Lim and Ukraine articles carry no frames), so this is the
  article-level row. Needs no eval-data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from framing.evaluation.harness import EvalData, Figure
from framing.frames import evaluation as frames_evaluation
from framing.frames import model as frames_model
from framing.frames.data import read_multilabel
from framing.frames.thresholds import one_thread
from framing.models.baseline import baseline_pipeline

TASK = "frames"
FRAC = "frames/frac-gold.csv"
IN_HOUSE_FILE = Path("corpus/annotations/frames_sentences.csv")  # relative to the project root
IN_HOUSE_ARTICLES = Path("corpus/annotations/frames_articles.csv")
BASELINE = "TF-IDF OvR LR"


def frac_figures(data: EvalData) -> Iterator[Figure]:
    rows = data.csv_rows(FRAC)
    texts = np.array([r["sentence"] for r in rows], dtype=object)
    labels = np.array([r["label"] for r in rows])
    classes = sorted(set(labels))
    onehot = (labels[:, None] == np.array(classes)[None, :]).astype(np.int64)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(texts, labels))
    predictions = {"ours": np.empty(len(labels), dtype=object), "baseline": np.empty(len(labels), dtype=object)}
    fold_f1: dict[str, list[float]] = {"ours": [], "baseline": []}
    for train, test in folds:
        with one_thread():
            ours = clone(frames_model.build_pipeline("sentence")).fit(list(texts[train]), onehot[train])
            guess = np.array(classes)[np.argmax(ours.predict_proba(list(texts[test])), axis=1)]
            base = clone(baseline_pipeline()).fit(list(texts[train]), labels[train]).predict(list(texts[test]))
        for name, predicted in (("ours", guess), ("baseline", base)):
            predictions[name][test] = predicted
            fold_f1[name].append(float(f1_score(labels[test], predicted, average="macro", zero_division=0)))
    dataset = f"FrAC ({len(rows)} sentences, {len(classes)} MFC frames), 5-fold"
    yield Figure(
        TASK, dataset, "accuracy", float(accuracy_score(labels, predictions["ours"])),
        (("TF-IDF LR", float(accuracy_score(labels, predictions["baseline"]))),),
    )
    yield Figure(
        TASK, dataset, "macro-F1 (mean over folds)", float(np.mean(fold_f1["ours"])),
        (("TF-IDF LR", float(np.mean(fold_f1["baseline"]))),),
        note=f"ours ± {np.std(fold_f1['ours']):.3f}",
    )


def in_house_figures(k: int = 5) -> Iterator[Figure]:
    for path, level, title in ((IN_HOUSE_FILE, "sentence", None), (IN_HOUSE_ARTICLES, "article", "title")):
        if not path.is_file():
            continue
        data = read_multilabel(path, "text", label_column="pfc", level=level, title_column=title)
        ours = frames_evaluation.cross_validate(data, k)
        base = frames_evaluation.cross_validate(data, k, template=baseline_pipeline(multilabel=True))
        dataset = f"in-house PFC labels ({len(data)} {level}s, {len(data.frames)} frames), {k}-fold iterative"
        yield Figure(TASK, dataset, "micro-F1", ours.micro_f1, ((BASELINE, base.micro_f1),))
        yield Figure(TASK, dataset, "macro-F1", ours.macro_f1, ((BASELINE, base.macro_f1),))


def figures(data: EvalData) -> Iterator[Figure]:
    if data.has(FRAC):
        yield from frac_figures(data)
    yield from in_house_figures()

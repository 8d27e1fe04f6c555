"""The multi-label frames model: which frames a sentence, or a whole article, evokes.

The model is a scikit-learn ``Pipeline`` (:func:`build_pipeline`): a ``FeatureUnion`` of word
1–2-gram TF-IDF, character 2–5-gram TF-IDF (articles) and the frame-cue features of the level
(:mod:`framing.frames.features`: capped cue mass for a sentence; position-weighted cue mass and
cue shares for an article), feeding ``OneVsRestClassifier(LogisticRegression(class_weight=
"balanced"))``: one independent binary classifier per frame, each weighting its positives by
how rare they are, so a text may evoke several frames, or none. Its decisions use one threshold
per frame, chosen by inner cross-validation on the training texts
(:class:`~framing.frames.thresholds.ThresholdedFrames`), and, when every training text had a
frame, at least one frame per text.

A :class:`FramesModel` is the fitted pipeline with its frames, thresholds, ``min_frames`` and
``level`` (``sentence`` or ``article``: what it was trained on, and so what it scores). Model
files use the shared format of :mod:`framing.models.modelfile` with ``format``
``"framing-frames-model"`` and the fields ``frames`` (the output columns, in order),
``thresholds``, ``min_frames``, ``level`` and ``trained_on: {file, sha256, n, label_columns}``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from framing.frames.data import LEVELS, MultiLabelData, check_level
from framing.frames.features import ArticleFrameFeatures, FrameFeatures
from framing.frames.lexicon import FrameCue, FrameLexicon
from framing.frames.thresholds import ThresholdedFrames, decide
from framing.models.classifier import TfidfBlock, check_texts
from framing.models.modelfile import FORMAT_VERSION, ModelFormatError, read_model_file, write_model_file

__all__ = [
    "FORMAT",
    "FramesModel",
    "build_model",
    "build_pipeline",
    "has_default_model",
    "load_default_model",
    "load_model",
    "save_model",
    "train",
]

FORMAT = "framing-frames-model"
RETRAIN = "framing train --task frames --data FILE.csv --label-column pfc -o MODEL"
THRESHOLD = 0.5  # a frame's threshold before any is chosen
MAX_WORD_FEATURES = 20_000  # bounds the model file
MAX_CHAR_FEATURES = 50_000
DEFAULT_MODEL = "frames_default.joblib"


def build_pipeline(level: str = "sentence", **params: Any) -> Pipeline:
    """The untrained pipeline of ``level``; ``params`` are ``set_params`` names, e.g.
    ``clf__estimator__C=2``.

    Sentences: word TF-IDF and :class:`FrameFeatures`. Articles: word and character TF-IDF and
    :class:`ArticleFrameFeatures`. Character n-grams helped sentences too (5-fold: +0.021
    micro-F1 on the in-house labels, +0.006 accuracy on FrAC) but nearly doubled the frames
    stage's time over a corpus (every sentence of every article), past its budget of one
    VADER; an article is scored once."""
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=MAX_WORD_FEATURES)
    if check_level(level) == "sentence":
        blocks = [("words", words), ("frames", FrameFeatures())]
    else:
        chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, max_features=MAX_CHAR_FEATURES
        )
        blocks = [("words", words), ("chars", chars), ("frames", ArticleFrameFeatures())]
    pipeline = Pipeline(
        [
            ("features", FeatureUnion(blocks)),
            ("clf", OneVsRestClassifier(LogisticRegression(class_weight="balanced", C=2.0, max_iter=5000))),
        ]
    )
    return pipeline.set_params(**params) if params else pipeline


def build_model(level: str = "sentence", **params: Any) -> ThresholdedFrames:
    """The untrained model of ``level``: :func:`build_pipeline` with per-frame thresholds chosen
    by inner cross-validation on whatever it is fitted on."""
    return ThresholdedFrames(build_pipeline(level, **params))


@dataclass(frozen=True)
class FramesModel:
    """A fitted frames pipeline with its frames, decision thresholds and level."""

    pipeline: Pipeline
    frames: tuple[str, ...]
    thresholds: tuple[float, ...] = ()  # one per frame; empty: THRESHOLD for every frame
    min_frames: int = 0
    level: str = "sentence"
    trained_on: dict[str, Any] = field(default_factory=dict)
    framing_version: str = ""
    sklearn_version: str = ""
    _linear: tuple[np.ndarray, np.ndarray] | None = field(init=False, repr=False, compare=False, default=None)
    # The compiled fast feature path (or False when the pipeline has another shape), built on first use.
    _features: Any = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        check_level(self.level)
        if not self.thresholds:
            object.__setattr__(self, "thresholds", (THRESHOLD,) * len(self.frames))
        if len(self.thresholds) != len(self.frames):
            raise ValueError(f"{len(self.thresholds)} thresholds for {len(self.frames)} frames")
        # OneVsRest predicts frame by frame, each call with its own input checks (most of the
        # time on one article); the same probabilities come from one product with all the
        # frames' coefficients stacked, when every per-frame estimator is a linear model.
        estimators = getattr(self.pipeline[-1], "estimators_", [])
        if estimators and all(hasattr(e, "coef_") and e.coef_.shape[0] == 1 for e in estimators):
            weights = np.vstack([e.coef_ for e in estimators]).T
            intercepts = np.concatenate([e.intercept_ for e in estimators])
            object.__setattr__(self, "_linear", (weights, intercepts))

    def predict_proba(self, texts: Sequence[str], *, cues: Sequence[Sequence[FrameCue]] | None = None) -> np.ndarray:
        """``(len(texts), len(frames))`` probabilities, one batched call.

        ``cues``: optionally, for each text, the cues of :meth:`lexicon` already found in it
        (over the tokens ``TOKEN_RE`` splits the text into), so they are not matched again;
        ignored when the pipeline is not one the fast path compiles."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, len(self.frames)))
        if self._linear is None:
            return self.pipeline.predict_proba(texts)
        weights, intercepts = self._linear
        if self._compiled():
            features = self._features.transform(texts, cues)
        else:
            features = self.pipeline[:-1].transform(texts)
        scores = features @ weights + intercepts
        return 1.0 / (1.0 + np.exp(-np.asarray(scores)))

    def lexicon(self) -> FrameLexicon | None:
        """The frame lexicon the model's ``FrameFeatures`` was fitted with, when the fast path
        uses one (and so can take ``cues``); else None."""
        return self._features.lexicon() if self._compiled() else None

    def _compiled(self) -> bool:
        if self._features is None:
            compiled = _FastFeatures.compile(self.pipeline, self._linear)
            object.__setattr__(self, "_features", compiled or False)
        return bool(self._features)

    def decide(self, probabilities: np.ndarray) -> np.ndarray:
        """0/1 decisions from :meth:`predict_proba`'s output: each frame's threshold, and at
        least ``min_frames`` frames per text."""
        return decide(probabilities, self.thresholds, self.min_frames)

    def predict(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """The frames each text evokes, by the model's thresholds."""
        return [
            tuple(f for f, yes in zip(self.frames, row, strict=True) if yes)
            for row in self.decide(self.predict_proba(texts)).tolist()
        ]

    def describe(self) -> str:
        source = self.trained_on.get("file", "?")
        return f"{FORMAT} v{FORMAT_VERSION} ({self.level}s), trained on {source} (n={self.trained_on.get('n', '?')})"


class _FastFeatures:
    """``pipeline[:-1].transform(texts)`` for the shipped pipeline shape, without scikit-learn's
    per-call machinery, entry for entry the same matrix.

    Through the ``Pipeline`` one article's sentences cost input validation, estimator tags,
    ``FeatureUnion``'s joblib dispatch and ``CountVectorizer``'s counting loop, and
    :class:`FrameFeatures` tokenizes and matches every sentence again although the analyzer has
    just matched the same lexicon over the same tokens. Here the blocks of the ``FeatureUnion``
    are computed directly: each plain ``TfidfVectorizer`` with
    :class:`~framing.models.classifier.TfidfBlock` (the same floating-point operations as
    ``TfidfTransformer``), ``FrameFeatures`` with its ``dense_rows`` (from given cues when the
    caller has them), stacked with ``scipy.sparse.hstack`` as ``FeatureUnion`` stacks them. The
    stacked coefficients then multiply the same matrix as before, summing in the same order.

    Any other shape (transformer weights, another transformer, a custom tokenizer, binary or
    non-l2 TF-IDF, a classifier that is not one linear model per frame) is not compiled, and the
    pipeline's own ``transform`` is used.
    """

    def __init__(self, blocks: list[TfidfBlock | FrameFeatures | ArticleFrameFeatures]) -> None:
        self._blocks = blocks

    @classmethod
    def compile(cls, pipeline: Any, linear: tuple[np.ndarray, np.ndarray] | None) -> _FastFeatures | None:
        steps = getattr(pipeline, "steps", None)
        if linear is None or not isinstance(pipeline, Pipeline) or len(steps) != 2:
            return None
        union = steps[0][1]
        if type(union) is not FeatureUnion or union.transformer_weights is not None:
            return None
        blocks: list[TfidfBlock | FrameFeatures | ArticleFrameFeatures] = []
        width = 0
        for _, transformer in union.transformer_list:
            if type(transformer) in (FrameFeatures, ArticleFrameFeatures) and hasattr(transformer, "feature_names_"):
                blocks.append(transformer)
                width += len(transformer.feature_names_)
            elif TfidfBlock.compiles(transformer):
                blocks.append(TfidfBlock(transformer))
                width += len(transformer.vocabulary_)
            else:
                return None
        return cls(blocks) if width == linear[0].shape[0] else None

    def lexicon(self) -> FrameLexicon | None:
        lexicons = [b.lexicon_ for b in self._blocks if isinstance(b, FrameFeatures)]
        return lexicons[0] if len(lexicons) == 1 else None

    def transform(self, texts: list[str], cues: Sequence[Sequence[FrameCue]] | None = None) -> sp.csr_matrix:
        check_texts(texts)
        if cues is not None and (len(cues) != len(texts) or self.lexicon() is None):
            raise ValueError(f"cues: expected one sequence per text ({len(texts)}) for a model with one frame lexicon")
        matrices = [
            block.transform(texts)
            if isinstance(block, TfidfBlock)
            else sp.csr_matrix(block.dense_rows(texts, cues if isinstance(block, FrameFeatures) else None))
            for block in self._blocks
        ]
        return sp.hstack(matrices).tocsr()  # as FeatureUnion stacks sparse blocks


def train(data: MultiLabelData, **params: Any) -> FramesModel:
    """Fit :func:`build_model` of the data's level (thresholds by inner cross-validation on
    ``data``, then the pipeline on all of it); ``params`` go to :func:`build_pipeline`."""
    from framing import __version__

    fitted = build_model(data.level, **params).fit(list(data.texts), data.Y)
    return FramesModel(
        pipeline=fitted.estimator_,
        frames=data.frames,
        thresholds=tuple(float(t) for t in fitted.thresholds_),
        min_frames=fitted.min_frames_,
        level=data.level,
        trained_on={
            "file": Path(data.source).as_posix() if data.source else "",
            "sha256": data.sha256,
            "n": len(data),
            "label_columns": list(data.label_columns),
            **({"title_column": data.title_column} if data.title_column else {}),
        },
        framing_version=__version__,
        sklearn_version=sklearn.__version__,
    )


# -- the model file -----------------------------------------------------------------------


def save_model(model: FramesModel, path: str | os.PathLike) -> None:
    fields = {
        "framing_version": model.framing_version,
        "sklearn_version": model.sklearn_version,
        "frames": list(model.frames),
        "thresholds": [float(t) for t in model.thresholds],
        "min_frames": int(model.min_frames),
        "level": model.level,
        "trained_on": dict(model.trained_on),
    }
    write_model_file(path, FORMAT, model.pipeline, fields)


def load_model(source: str | os.PathLike | BinaryIO, *, name: str | None = None) -> FramesModel:
    """Read a model written by :func:`save_model`; :class:`ModelFormatError` if unusable."""
    name = name or str(getattr(source, "name", source))
    header, pipeline = read_model_file(source, FORMAT, name=name, retrain=RETRAIN, required=("level", "thresholds"))
    frames, thresholds = header.get("frames"), header.get("thresholds")
    classes = getattr(pipeline[-1], "classes_", None)
    if not isinstance(frames, list) or not frames or classes is None or len(classes) != len(frames):
        raise ModelFormatError(f"{name}: damaged model (frames and classifier disagree); retrain with `{RETRAIN}`")
    if not isinstance(thresholds, list) or len(thresholds) != len(frames) or header.get("level") not in LEVELS:
        raise ModelFormatError(f"{name}: damaged model (bad thresholds or level); retrain with `{RETRAIN}`")
    return FramesModel(
        pipeline=pipeline,
        frames=tuple(frames),
        thresholds=tuple(float(t) for t in thresholds),
        min_frames=int(header.get("min_frames", 0)),
        level=str(header["level"]),
        trained_on=dict(header.get("trained_on", {})),
        framing_version=str(header.get("framing_version", "")),
        sklearn_version=str(header.get("sklearn_version", "")),
    )


def has_default_model() -> bool:
    from importlib import resources

    return resources.files("framing.models").joinpath(DEFAULT_MODEL).is_file()


def load_default_model() -> FramesModel:
    """The frames model shipped inside the package (``framing/models/frames_default.joblib``)."""
    from importlib import resources

    with resources.files("framing.models").joinpath(DEFAULT_MODEL).open("rb") as handle:
        return load_model(handle, name=f"framing/models/{DEFAULT_MODEL}")

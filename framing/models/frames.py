"""The multi-label frames classifier: which frames a sentence evokes.

The model is a scikit-learn ``Pipeline``: a ``FeatureUnion`` of word 1–2-gram TF-IDF and
:class:`FrameFeatures` (the cue mass of each frame of both frame lexicons, capped at 1),
feeding ``OneVsRestClassifier(LogisticRegression(class_weight="balanced"))``: one independent
binary classifier per frame, so a sentence may evoke several frames, or none (every
probability below 0.5).

Data: any CSV with a header, a text column, and either one or more 0/1 columns (one per frame)
or one column of delimited frame names (``economic;security_defense``); see
:func:`read_multilabel`. Frames with fewer than ``min_positives`` positive sentences are dropped
(there is nothing to learn from, or to evaluate on) and named in ``MultiLabelData.dropped``.

Evaluation: per-frame precision, recall, F1 and support, micro-F1 (pooled over all
sentence-frame decisions: dominated by the frequent frames) and macro-F1 (the unweighted mean
over frames that have positives in the data: every frame counts the same). Cross-validation uses
iterative stratification (Sechidis, Tsoumakas & Vlahavas 2011, "On the stratification of
multi-label data", ECML PKDD) with a fixed seed, so each fold gets its share of every rare frame.

Model files use the shared format of :mod:`framing.models.modelfile` with ``format``
``"framing-frames-model"`` and the fields ``frames`` (the output columns, in order) and
``trained_on: {file, sha256, n, label_columns}``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from framing.framelex import FRAMES, SCHEMES, TABLE_NAMES, FrameCue, FrameLexicon
from framing.lexicons import Table, load_table
from framing.models.classifier import ClassScores, TfidfBlock, check_texts, open_csv, out_of_fold, score_table
from framing.models.features import SentenceFeatures
from framing.models.modelfile import FORMAT_VERSION, ModelFormatError, read_model_file, write_model_file
from framing.segment import TOKEN_RE

__all__ = [
    "FORMAT",
    "FrameFeatures",
    "FramesModel",
    "FramesReport",
    "MultiLabelData",
    "build_pipeline",
    "cross_validate",
    "evaluate",
    "evaluate_lexicon",
    "iterative_folds",
    "lexicon_predictions",
    "load_default_model",
    "load_model",
    "make_multilabel",
    "read_multilabel",
    "save_model",
    "train",
]

FORMAT = "framing-frames-model"
RETRAIN = "framing train --task frames --data FILE.csv --label-column pfc -o MODEL"
MIN_POSITIVES = 10
RANDOM_STATE = 0
THRESHOLD = 0.5
LEXICON_THRESHOLD = 0.5  # fixed before looking at the gold: one cue of weight >= 0.5, or two weaker ones
MAX_WORD_FEATURES = 20_000  # bounds the model file
DEFAULT_MODEL = "frames_default.joblib"
_TRUE = {"1", "1.0", "true", "yes", "y", "x"}
_FALSE = {"0", "0.0", "false", "no", "n", ""}


# -- features -----------------------------------------------------------------------------


class FrameFeatures(SentenceFeatures):
    """Weighted frame-cue mass per frame, from the frame lexicons.

    Columns: ``<scheme>:<frame>`` for every frame of every chosen scheme (in the codebook's
    order; frames without cues, like PFC ``other``, are constant 0): the summed weight of the
    sentence's cues for the frame, capped at ``cap`` (one strong cue is as much evidence as
    several); then ``frames:any`` (1 when the sentence has any cue). The fitted tables travel
    inside the estimator (a pickled model keeps scoring with the lexicons it was trained with);
    the compiled matcher is rebuilt after unpickling.

    Parameters
    ----------
    lexicons : None or mapping
        None for the shipped ``frames_pfc`` / ``frames_generic`` tables, or ``{scheme: table}``
        where a table is a ``Table``, a path, or a shipped resource name; schemes not in the
        mapping use the shipped table.
    schemes : sequence of str
        Which schemes to use, from ``pfc``, ``generic``.
    cap : float or None
        Upper bound of each frame's cue mass (None: no bound). 1.0 scored best in 5-fold CV on
        the gold (macro-F1 0.560 against 0.533 uncapped and 0.479 per 10 words).
    """

    _TRANSIENT = ("lexicon_",)

    def __init__(
        self,
        *,
        lexicons: Mapping[str, str | os.PathLike | Table] | None = None,
        schemes: Sequence[str] = SCHEMES,
        cap: float | None = 1.0,
    ) -> None:
        self.lexicons = lexicons
        self.schemes = schemes
        self.cap = cap

    def fit(self, X: Iterable[str], y: Any = None) -> FrameFeatures:
        self._documents(X, "fit")
        if isinstance(self.schemes, str) or not isinstance(self.schemes, Sequence) or not self.schemes:
            raise ValueError(f"schemes must be a non-empty sequence of {', '.join(SCHEMES)}; got {self.schemes!r}")
        for scheme in self.schemes:
            if scheme not in FRAMES:
                raise ValueError(f"unknown frame scheme {scheme!r}; available: {', '.join(SCHEMES)}")
        if self.cap is not None and (
            isinstance(self.cap, bool) or not isinstance(self.cap, (int, float)) or not self.cap > 0
        ):
            raise ValueError(f"cap must be None or a positive number, not {self.cap!r}")
        given = {} if self.lexicons is None else self.lexicons
        if not isinstance(given, Mapping):
            raise ValueError(f"lexicons must be None or a mapping {{scheme: table or path}}; got {type(given).__name__}")
        tables = {}
        for scheme in self.schemes:
            source = given.get(scheme, TABLE_NAMES[scheme])
            if isinstance(source, Table):
                table = source
            elif isinstance(source, (str, os.PathLike)):
                table = load_table(source)
            else:
                raise ValueError(f"lexicons[{scheme!r}] must be a Table, a path or a resource name; got {type(source).__name__}")
            tables[scheme] = Table(dict(table.meta), tuple(table.columns), tuple(dict(r) for r in table.rows))
        self.tables_ = tables
        self.lexicon_ = FrameLexicon(tables)
        names = [f"{scheme}:{frame}" for scheme in self.schemes for frame in FRAMES[scheme]]
        names.append("frames:any")
        self.feature_names_ = np.asarray(names, dtype=object)
        return self

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        check_is_fitted(self, "feature_names_")
        return sp.csr_matrix(self.dense_rows(self._documents(X, "transform")))

    def dense_rows(self, documents: list[str], cues: Sequence[Sequence[FrameCue]] | None = None) -> np.ndarray:
        """``transform`` as a dense array, for a fitted transformer and a checked list of str
        (what :class:`FramesModel` calls on its fast path).

        ``cues``: for each document, the cues of ``lexicon_`` already found in its tokens (as
        ``TOKEN_RE`` splits it), used instead of matching again; only their frame, scheme and
        weight count, so their offsets may be relative to any text the document is part of."""
        column = {name: i for i, name in enumerate(self.feature_names_)}
        rows = np.zeros((len(documents), len(column)), dtype=np.float64)
        for r, text in enumerate(documents):
            found = self.lexicon_.find_in_tokens(text, [m.span() for m in TOKEN_RE.finditer(text)]) if cues is None else cues[r]
            for cue in found:
                rows[r, column[f"{cue.scheme}:{cue.frame}"]] += cue.weight
            rows[r, -1] = 1.0 if found else 0.0
        if self.cap is not None:
            np.minimum(rows[:, :-1], self.cap, out=rows[:, :-1])
        return rows

    def _rebuild(self) -> None:
        self.lexicon_ = FrameLexicon(self.tables_)


# -- data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MultiLabelData:
    """Sentences with a 0/1 matrix ``Y`` (one column per frame in ``frames``)."""

    texts: tuple[str, ...]
    Y: np.ndarray
    frames: tuple[str, ...]
    dropped: tuple[tuple[str, int], ...] = ()  # (frame, positives) below min_positives
    min_positives: int = 0
    source: str = ""
    sha256: str = ""
    label_columns: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        return {frame: int(n) for frame, n in zip(self.frames, self.Y.sum(axis=0), strict=True)}

    def column(self, frame: str) -> np.ndarray:
        return self.Y[:, self.frames.index(frame)]

    def describe(self) -> str:
        """One line for the CLI: size, positives per frame, what was dropped."""
        counts = ", ".join(f"{frame} {n}" for frame, n in self.counts().items())
        line = f"{len(self.texts)} sentences, {len(self.frames)} frames ({counts})"
        if self.dropped:
            gone = ", ".join(f"{frame} ({n})" for frame, n in self.dropped)
            line += f"; dropped, fewer than {self.min_positives} positives: {gone}"
        return line

    def __len__(self) -> int:
        return len(self.texts)


def _frame_order(frames: Iterable[str]) -> list[str]:
    """Codebook order for known slugs (of the scheme that has them all, else PFC then
    generic), then the rest alphabetically."""
    found = set(frames)
    known = next((list(FRAMES[s]) for s in SCHEMES if found <= set(FRAMES[s])), None)
    known = known or list(dict.fromkeys((*FRAMES["pfc"], *FRAMES["generic"])))
    return [f for f in known if f in found] + sorted(found - set(known))


def make_multilabel(
    texts: Sequence[str],
    labels: Sequence[Iterable[str]],
    *,
    frames: Sequence[str] | None = None,
    min_positives: int = MIN_POSITIVES,
    **source: Any,
) -> MultiLabelData:
    """Build data from label sets; ``frames`` fixes the columns (default: every frame seen)."""
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} label sets")
    sets = [set(x) for x in labels]
    columns = list(frames) if frames is not None else _frame_order(f for s in sets for f in s)
    Y = np.array([[int(f in s) for f in columns] for s in sets], dtype=np.int64).reshape(len(sets), len(columns))
    keep = [i for i, n in enumerate(Y.sum(axis=0)) if n >= min_positives]
    dropped = tuple((columns[i], int(Y[:, i].sum())) for i in range(len(columns)) if i not in keep)
    if not keep:
        raise ValueError(f"no frame has at least {min_positives} positive sentences")
    return MultiLabelData(
        tuple(texts), Y[:, keep], tuple(columns[i] for i in keep), dropped, min_positives, **source
    )


def read_multilabel(
    path: str | os.PathLike,
    text_column: str = "text",
    label_columns: Sequence[str] | None = None,
    label_column: str | None = None,
    delimiter: str = ";",
    *,
    min_positives: int = MIN_POSITIVES,
    frames: Sequence[str] | None = None,
) -> MultiLabelData:
    """Read a CSV of sentences labelled with frames (header row; other columns are ignored).

    Either ``label_columns``: one or more columns of 0/1 (also true/false, yes/no; empty is 0),
    one per frame, the column name being the frame; or ``label_column``: one column of frame
    names separated by ``delimiter`` (empty: no frame). ``frames`` fixes the output columns
    (e.g. a model's frames when evaluating it); frames with fewer than ``min_positives``
    positives are dropped and listed in ``dropped``.
    """
    if (label_columns is None) == (label_column is None):
        raise ValueError("give either label_columns (0/1 columns) or label_column (one delimited column)")
    path = Path(path)
    wanted = [(text_column, "--text-column")] + [(c, "--label-column") for c in (label_columns or [label_column])]
    reader, sha256 = open_csv(path, wanted)
    if not delimiter and label_column is not None:
        raise ValueError("the label delimiter must not be empty")
    texts: list[str] = []
    labels: list[set[str]] = []
    for row in reader:
        text = (row.get(text_column) or "").strip()
        if label_columns is not None:
            values = {c: (row.get(c) or "").strip().lower() for c in label_columns}
            if not text and not any(values.values()):
                continue
            bad = [(c, v) for c, v in values.items() if v not in _TRUE | _FALSE]
            if bad:
                c, v = bad[0]
                raise ValueError(f"{path}:{reader.line_num}: column {c!r} is {v!r}; expected 0 or 1")
            found = {c for c, v in values.items() if v in _TRUE}
        else:
            cell = (row.get(label_column) or "").strip()
            if not text and not cell:
                continue
            found = {f.strip() for f in cell.split(delimiter) if f.strip()}
        if not text:
            raise ValueError(f"{path}:{reader.line_num}: empty text")
        texts.append(text)
        labels.append(found)
    if not texts:
        raise ValueError(f"{path}: no labelled rows")
    if frames is None and label_columns is not None:
        frames = list(label_columns)
    try:
        return make_multilabel(
            texts,
            labels,
            frames=frames,
            min_positives=min_positives,
            source=str(path),
            sha256=sha256,
            label_columns=tuple(label_columns or [label_column]),
        )
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


# -- the model ----------------------------------------------------------------------------


def build_pipeline(**params: Any) -> Pipeline:
    """The untrained pipeline; ``params`` are ``set_params`` names, e.g. ``clf__estimator__C=2``."""
    pipeline = Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        (
                            "words",
                            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=MAX_WORD_FEATURES),
                        ),
                        ("frames", FrameFeatures()),
                    ]
                ),
            ),
            ("clf", OneVsRestClassifier(LogisticRegression(class_weight="balanced", C=2.0, max_iter=5000))),
        ]
    )
    return pipeline.set_params(**params) if params else pipeline


@dataclass(frozen=True)
class FramesModel:
    pipeline: Pipeline
    frames: tuple[str, ...]
    trained_on: dict[str, Any] = field(default_factory=dict)
    framing_version: str = ""
    sklearn_version: str = ""
    _linear: tuple[np.ndarray, np.ndarray] | None = field(init=False, repr=False, compare=False, default=None)
    # The compiled fast feature path (or False when the pipeline has another shape), built on first use.
    _features: Any = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
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

    def predict(self, texts: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[str, ...]]:
        return [tuple(f for f, p in zip(self.frames, row, strict=True) if p >= threshold) for row in self.predict_proba(texts)]

    def describe(self) -> str:
        source = self.trained_on.get("file", "?")
        return f"{FORMAT} v{FORMAT_VERSION}, trained on {source} (n={self.trained_on.get('n', '?')})"


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

    def __init__(self, blocks: list[TfidfBlock | FrameFeatures]) -> None:
        self._blocks = blocks

    @classmethod
    def compile(cls, pipeline: Any, linear: tuple[np.ndarray, np.ndarray] | None) -> _FastFeatures | None:
        steps = getattr(pipeline, "steps", None)
        if linear is None or not isinstance(pipeline, Pipeline) or len(steps) != 2:
            return None
        union = steps[0][1]
        if type(union) is not FeatureUnion or union.transformer_weights is not None:
            return None
        blocks: list[TfidfBlock | FrameFeatures] = []
        width = 0
        for _, transformer in union.transformer_list:
            if type(transformer) is FrameFeatures and hasattr(transformer, "feature_names_"):
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
            block.transform(texts) if isinstance(block, TfidfBlock) else sp.csr_matrix(block.dense_rows(texts, cues))
            for block in self._blocks
        ]
        return sp.hstack(matrices).tocsr()  # as FeatureUnion stacks sparse blocks


def train(data: MultiLabelData, **params: Any) -> FramesModel:
    from framing import __version__

    pipeline = build_pipeline(**params).fit(list(data.texts), data.Y)
    return FramesModel(
        pipeline=pipeline,
        frames=data.frames,
        trained_on={
            "file": Path(data.source).as_posix() if data.source else "",
            "sha256": data.sha256,
            "n": len(data),
            "label_columns": list(data.label_columns),
        },
        framing_version=__version__,
        sklearn_version=sklearn.__version__,
    )


# -- evaluation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FramesReport:
    method: str
    n: int
    frames: tuple[ClassScores, ...]
    micro_f1: float
    macro_f1: float  # over frames with positives in the data
    fold_macro_f1: tuple[float, ...] = ()
    notes: tuple[str, ...] = ()

    def format(self) -> str:
        lines = [f"{self.method} on {self.n} sentences, {len(self.frames)} frames (threshold {THRESHOLD})", ""]
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
    method: str, frames: Sequence[str], Y: np.ndarray, predicted: np.ndarray, folds: Sequence[float] = (), notes: Sequence[str] = ()
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
    probabilities = model.predict_proba(data.texts)
    columns = [model.frames.index(f) for f in shared]
    predicted = (probabilities[:, columns] >= THRESHOLD).astype(np.int64)
    gold = np.column_stack([data.column(f) for f in shared])
    return score_predictions("held-out evaluation", shared, gold, predicted, notes=notes)


def evaluate_template(template: Pipeline, train_data: MultiLabelData, data: MultiLabelData) -> FramesReport:
    """Fit a clone of an untrained pipeline on ``train_data`` and score it on the frames both
    data sets label (e.g. the baseline trained on a model's own training data)."""
    shared = [f for f in train_data.frames if f in data.frames]
    if not shared:
        raise ValueError(f"the data labels none of the training data's frames ({', '.join(train_data.frames)})")
    pipeline = clone(template).fit(list(train_data.texts), train_data.Y)
    columns = [train_data.frames.index(f) for f in shared]
    predicted = np.asarray(pipeline.predict(list(data.texts)))[:, columns].astype(np.int64)
    gold = np.column_stack([data.column(f) for f in shared])
    return score_predictions("held-out evaluation", shared, gold, predicted)


def baseline_beside(model: FramesReport, baseline: FramesReport, how: str = "same folds") -> str:
    """The baseline's scores and the model's margins over it, as text."""
    from framing.models.baseline import NAME

    lines = [f"baseline ({NAME}, one-vs-rest), {how}:", ""]
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
    """Score the lexicon-only detector (:func:`lexicon_predictions`) on labelled data."""
    predicted = lexicon_predictions(data.texts, data.frames, threshold)
    note = f"lexicon-only detector: a frame is predicted when its cue mass is >= {threshold} (fixed, not tuned)"
    return score_predictions("lexicon-only detection", data.frames, data.Y, predicted, notes=[note])


def iterative_folds(Y: np.ndarray, k: int, random_state: int = RANDOM_STATE) -> list[np.ndarray]:
    """Iterative stratification (Sechidis et al. 2011): fold index of each row of ``Y``.

    Rarest label first: each of its remaining sentences goes to the fold that most wants that
    label (then the fold that wants the most sentences, then at random); sentences without
    labels fill the folds that want the most sentences.
    """
    rng = np.random.default_rng(random_state)
    n, labels = Y.shape
    fold_of = np.full(n, -1)
    want = np.full(k, n / k)
    want_label = np.tile(Y.sum(axis=0) / k, (k, 1)).astype(float)
    remaining = set(range(n))
    while remaining:
        rows = np.fromiter(remaining, dtype=np.int64)
        left = Y[rows].sum(axis=0)
        if not left.any():
            for i in rng.permutation(rows):
                fold = int(rng.choice(np.flatnonzero(want == want.max())))
                fold_of[i] = fold
                want[fold] -= 1
            break
        label = int(np.argmin(np.where(left > 0, left, np.iinfo(np.int64).max)))
        for i in rng.permutation(rows[Y[rows, label] == 1]):
            best = np.flatnonzero(want_label[:, label] == want_label[:, label].max())
            if len(best) > 1:
                best = best[want[best] == want[best].max()]
            fold = int(rng.choice(best))
            fold_of[i] = fold
            want[fold] -= 1
            want_label[fold] -= Y[i]
            remaining.discard(int(i))
    return [np.flatnonzero(fold_of == f) for f in range(k)]


def cross_validate(data: MultiLabelData, k: int = 5, *, template: Pipeline | None = None, **params: Any) -> FramesReport:
    """Iteratively stratified k-fold (fixed seed): pooled per-frame scores, per-fold macro-F1.
    ``template``: another untrained pipeline to evaluate on the very same folds (the baseline)."""
    if k < 2:
        raise ValueError(f"--cv needs at least 2 folds, got {k}")
    smallest = min(data.counts().values())
    if smallest < k:
        raise ValueError(f"{k}-fold cross-validation needs at least {k} positives of each frame; the rarest has {smallest}")
    folds = iterative_folds(data.Y, k)
    everything = np.arange(len(data))
    splits = [(np.setdiff1d(everything, test), test) for test in folds]
    template = template if template is not None else build_pipeline(**params)
    predicted, fold_scores = out_of_fold(template, data.texts, data.Y, splits, _macro_present)
    notes = [f"folds: iterative stratification (Sechidis et al. 2011), seed {RANDOM_STATE}"]
    return score_predictions(f"{k}-fold cross-validation", data.frames, data.Y, predicted, fold_scores, notes)


# -- the model file -----------------------------------------------------------------------


def save_model(model: FramesModel, path: str | os.PathLike) -> None:
    fields = {
        "framing_version": model.framing_version,
        "sklearn_version": model.sklearn_version,
        "frames": list(model.frames),
        "trained_on": dict(model.trained_on),
    }
    write_model_file(path, FORMAT, model.pipeline, fields)


def load_model(source: str | os.PathLike | BinaryIO, *, name: str | None = None) -> FramesModel:
    """Read a model written by :func:`save_model`; :class:`ModelFormatError` if unusable."""
    name = name or str(getattr(source, "name", source))
    header, pipeline = read_model_file(source, FORMAT, name=name, retrain=RETRAIN)
    frames = header.get("frames")
    classes = getattr(pipeline[-1], "classes_", None)
    if not isinstance(frames, list) or not frames or classes is None or len(classes) != len(frames):
        raise ModelFormatError(f"{name}: damaged model (frames and classifier disagree); retrain with `{RETRAIN}`")
    return FramesModel(
        pipeline=pipeline,
        frames=tuple(frames),
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

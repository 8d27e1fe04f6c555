"""The loaded-sentence classifier: training, evaluation, and the model file format.

The model is a scikit-learn ``Pipeline``: a ``FeatureUnion`` of word 1–2-gram TF-IDF,
character 2–5-gram TF-IDF (within word boundaries, so inflections and spellings share
evidence) and the hand-crafted :class:`~framing.models.features.LoadedFeatures`, feeding a
``LogisticRegression`` with balanced class weights.

Why logistic regression rather than a linear SVM: the analyzer reports a probability per
sentence, and logistic regression gives one directly, whereas an SVM needs a
``CalibratedClassifierCV`` that trains several SVMs on ever smaller folds of an already small
data set and multiplies prediction cost. Both are one sparse dot product at prediction time.

Labels: any two labels. The model is trained on "is the positive label" (1) vs not (0); which
label is positive is chosen by ``positive=`` or by :func:`choose_positive`'s documented rule.

Model files (``save_model`` / ``load_model``) use the shared format of
:mod:`framing.models.modelfile` with ``format`` ``"framing-sentence-model"`` and the fields
``labels: [negative, positive]``, ``positive_label``, ``trained_on: {file, sha256, n}``.
The header is checked (kind, format version, scikit-learn version) before anything is
unpickled. Like every pickle, only load model files you trust.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import scipy.sparse as sp
import sklearn
from scipy.special import expit
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from framing.models.features import LoadedFeatures
from framing.models.modelfile import FORMAT_VERSION, ModelFormatError, read_model_file, write_model_file

FORMAT = "framing-sentence-model"
POSITIVE_NAMES = ("loaded", "1", "true", "yes", "positive", "biased")
RANDOM_STATE = 0
MAX_CHAR_FEATURES = 40_000  # bounds the model file and the vocabulary lookups


# -- data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledData:
    """Sentences with two labels; ``y`` is 1 for the positive label."""

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    negative_label: str
    positive_label: str
    positive_rule: str  # how the positive label was chosen, said in the CLI output
    source: str = ""
    sha256: str = ""
    groups: tuple[str, ...] = ()  # e.g. the article of each sentence, for grouped folds

    @property
    def y(self) -> np.ndarray:
        return np.fromiter((label == self.positive_label for label in self.labels), dtype=np.int64, count=len(self.labels))

    def counts(self) -> dict[str, int]:
        return {label: self.labels.count(label) for label in (self.negative_label, self.positive_label)}

    def __len__(self) -> int:
        return len(self.texts)


def choose_positive(labels: Sequence[str], positive: str | None = None) -> tuple[str, str]:
    """``(positive_label, rule)`` for exactly two distinct labels.

    ``positive`` if given (it must be one of the labels); else the one label whose lower-cased
    name is in ``loaded, 1, true, yes, positive, biased``; else the label sorting last.
    """
    found = sorted(set(labels))
    if len(found) != 2:
        shown = ", ".join(repr(x) for x in found) or "none"
        raise ValueError(f"expected exactly 2 labels, found {len(found)}: {shown}")
    if positive is not None:
        if positive not in found:
            raise ValueError(f"positive label {positive!r} is not one of the labels found: {found[0]!r}, {found[1]!r}")
        return positive, "given with --positive"
    named = [x for x in found if x.strip().lower() in POSITIVE_NAMES]
    if len(named) == 1:
        return named[0], f"named like a positive label ({', '.join(POSITIVE_NAMES)})"
    return found[-1], "the label sorting last alphabetically (use --positive to choose)"


def make_data(
    texts: Sequence[str],
    labels: Sequence[str],
    positive: str | None = None,
    *,
    groups: Sequence[str] = (),
    **source: str,
) -> LabelledData:
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    if groups and len(groups) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(groups)} groups")
    positive_label, rule = choose_positive(labels, positive)
    negative_label = next(x for x in sorted(set(labels)) if x != positive_label)
    return LabelledData(tuple(texts), tuple(labels), negative_label, positive_label, rule, groups=tuple(groups), **source)


def open_csv(path: Path, wanted: Sequence[tuple[str, str]]) -> tuple[csv.DictReader, str]:
    """A ``DictReader`` over a UTF-8 CSV file (a BOM is allowed) and the file's SHA-256; every
    ``(column, option)`` in ``wanted`` must be in the header (the error names the option)."""
    raw = path.read_bytes()
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    columns = reader.fieldnames or []
    for column, option in wanted:
        if column not in columns:
            raise ValueError(f"{path}: no column {column!r} ({option}); columns: {', '.join(columns) or 'none'}")
    return reader, hashlib.sha256(raw).hexdigest()


def read_labelled(
    path: str | os.PathLike,
    text_column: str = "text",
    label_column: str = "label",
    positive: str | None = None,
    group_column: str | None = None,
) -> LabelledData:
    """Read a CSV of labelled sentences (header row; other columns are ignored). ``group_column``
    names a column (e.g. the article id) whose values keep sentences together in folds."""
    path = Path(path)
    wanted = [(text_column, "--text-column"), (label_column, "--label-column")]
    if group_column:
        wanted.append((group_column, "--group-column"))
    reader, sha256 = open_csv(path, wanted)
    texts, labels, groups = [], [], []
    for row in reader:
        text, label = (row.get(text_column) or "").strip(), (row.get(label_column) or "").strip()
        if not text and not label:
            continue
        if not text or not label:
            missing = "text" if not text else "label"
            raise ValueError(f"{path}:{reader.line_num}: empty {missing}")
        texts.append(text)
        labels.append(label)
        if group_column:
            groups.append((row.get(group_column) or "").strip())
    if not texts:
        raise ValueError(f"{path}: no labelled rows")
    try:
        return make_data(texts, labels, positive, groups=groups, source=str(path), sha256=sha256)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


# -- the model ----------------------------------------------------------------------------


def build_pipeline(**params: Any) -> Pipeline:
    """The untrained pipeline; ``params`` are ``set_params`` names, e.g. ``clf__C=2.0``."""
    pipeline = Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
                        (
                            "chars",
                            TfidfVectorizer(
                                analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True, min_df=2, max_features=MAX_CHAR_FEATURES
                            ),
                        ),
                        ("lexicon", LoadedFeatures(use_vader=False)),  # VADER: no CV gain, most of the cost
                    ]
                ),
            ),
            ("clf", LogisticRegression(class_weight="balanced", C=4.0, max_iter=5000)),
        ]
    )
    return pipeline.set_params(**params) if params else pipeline


@dataclass(frozen=True)
class TrainedModel:
    pipeline: Pipeline
    negative_label: str
    positive_label: str
    trained_on: dict[str, Any] = field(default_factory=dict)
    framing_version: str = ""
    sklearn_version: str = ""

    @property
    def labels(self) -> tuple[str, str]:
        return (self.negative_label, self.positive_label)

    # The compiled fast scorer (or False when the pipeline has another shape), built on first use.
    _scorer: Any = field(default=None, init=False, repr=False, compare=False)

    def predict_proba(
        self,
        texts: Sequence[str],
        *,
        lexicon_matches: Sequence[Sequence[Any]] | None = None,
        words: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        """Probability of the positive label for each text (one batched call).

        ``lexicon_matches``: optionally, for each text, the matches of :meth:`lexicon` already
        found in it (a caller that has matched the same lexicon saves matching again);
        ``words``: for each text, its word tokens' texts (``Document.sentence_words()``). Both
        are ignored when the pipeline is not one the fast path compiles."""
        texts = list(texts)
        if not texts:
            return np.zeros(0)
        if self._compiled():
            return self._scorer.predict_proba(texts, lexicon_matches, words)
        return self.pipeline.predict_proba(texts)[:, 1]

    def lexicon(self) -> Any:
        """The lexicon ``Table`` the model's ``LoadedFeatures`` was fitted with, when the fast
        path uses one (and so can take ``lexicon_matches``); else None."""
        return self._scorer.lexicon() if self._compiled() else None

    def _compiled(self) -> bool:
        if self._scorer is None:
            object.__setattr__(self, "_scorer", _LinearScorer.compile(self.pipeline) or False)
        return bool(self._scorer)

    def predict(self, texts: Sequence[str], threshold: float = 0.5) -> list[str]:
        return [self.positive_label if p >= threshold else self.negative_label for p in self.predict_proba(texts)]

    def describe(self) -> str:
        source = self.trained_on.get("file", "?")
        return f"{FORMAT} v{FORMAT_VERSION}, trained on {source} (n={self.trained_on.get('n', '?')})"


class _LinearScorer:
    """``pipeline.predict_proba(texts)[:, 1]`` for the shipped pipeline shape, without
    scikit-learn's per-call machinery.

    Scoring one article's sentences through the ``Pipeline`` costs 3-5 ms before any sentence is
    looked at (input validation, estimator tags, ``FeatureUnion``'s joblib dispatch, three sparse
    matrices stacked) and then runs ``CountVectorizer``'s pure-Python counting loop over every
    character n-gram. The model is linear, so the same probability is
    ``expit(intercept + sum of each block's features . its slice of coef_)``, computed here from
    the fitted vocabularies, ``idf_`` and coefficients:

    - TF-IDF blocks: :class:`TfidfBlock` (the vectorizer's transform as flat numpy arrays
      for all sentences at once), dotted with the block's slice of ``coef_``.
    - ``LoadedFeatures``: its dense rows times its coefficients.

    Results equal the pipeline's up to floating-point rounding (tests compare them). Any other
    pipeline shape or option (another classifier, a custom tokenizer, binary or non-l2 TF-IDF,
    more than two classes...) is not compiled, and the pipeline is used as it is.
    """

    def __init__(self, blocks: list[tuple[str, Any, np.ndarray]], intercept: float) -> None:
        self._blocks = blocks
        self._intercept = intercept
        self._tfidf = [TfidfBlock(v) if kind != "loaded" else None for kind, v, _ in blocks]

    @classmethod
    def compile(cls, pipeline: Any) -> _LinearScorer | None:
        steps = getattr(pipeline, "steps", None)
        if not isinstance(pipeline, Pipeline) or len(steps) != 2:
            return None
        (_, union), (_, clf) = steps
        if type(union) is not FeatureUnion or union.transformer_weights is not None:
            return None
        if type(clf) is not LogisticRegression or len(getattr(clf, "classes_", ())) != 2:
            return None
        coef = np.asarray(clf.coef_, dtype=np.float64)
        if coef.shape[0] != 1:
            return None
        blocks: list[tuple[str, Any, np.ndarray]] = []
        offset = 0
        for _, transformer in union.transformer_list:
            if type(transformer) is LoadedFeatures and hasattr(transformer, "feature_names_"):
                kind, width = "loaded", len(transformer.feature_names_)
            elif TfidfBlock.compiles(transformer):
                kind, width = transformer.analyzer, len(transformer.vocabulary_)
            else:
                return None
            blocks.append((kind, transformer, coef[0, offset : offset + width]))
            offset += width
        if offset != coef.shape[1]:
            return None
        return cls(blocks, float(np.asarray(clf.intercept_).ravel()[0]))

    def lexicon(self) -> Any:
        tables = [t.lexicon_ for kind, t, _ in self._blocks if kind == "loaded"]
        return tables[0] if len(tables) == 1 else None

    def predict_proba(
        self,
        texts: list[str],
        lexicon_matches: Sequence[Sequence[Any]] | None = None,
        words: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        check_texts(texts)
        if lexicon_matches is not None and (len(lexicon_matches) != len(texts) or self.lexicon() is None):
            raise ValueError(f"lexicon_matches: expected one sequence per text ({len(texts)}) for a model with one lexicon")
        if words is not None and len(words) != len(texts):
            raise ValueError(f"words: expected one sequence per text ({len(texts)}), got {len(words)}")
        decision = np.full(len(texts), self._intercept)
        for (kind, transformer, coef), tfidf in zip(self._blocks, self._tfidf, strict=True):
            if kind == "loaded":
                decision += transformer.dense_rows(texts, lexicon_matches, words) @ coef
            else:
                decision += tfidf.dot(texts, coef)
        return expit(decision)


def check_texts(texts: Sequence[Any]) -> None:
    """Refuse a non-string sentence, as the pipeline's transformers would (the fast paths)."""
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"sentence {i} is {type(text).__name__}, expected str")


class TfidfBlock:
    """A fitted ``TfidfVectorizer``'s ``transform`` as flat numpy arrays, for the fast scorers
    (:class:`_LinearScorer` here, the frames model's in :mod:`framing.frames.model`).

    N-gram columns are counted per sentence with the vectorizer's own analyzer, then
    ``1 + log(count)`` (``sublinear_tf``) times ``idf_``, l2-normalised, exactly as
    ``TfidfTransformer`` does. For ``char_wb`` the n-grams of a sentence are the n-grams of each
    of its whitespace-separated lower-cased words, so they are looked up once per distinct word
    and cached (news vocabulary is Zipfian; the cache is cleared when it grows past
    ``_WORD_CACHE_SIZE`` words). Only vectorizers for which :meth:`compiles` is true.
    """

    _WORD_CACHE_SIZE = 100_000  # distinct words kept per char vectorizer (~25 MB at most)

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer
        self._analyze = vectorizer.build_analyzer()
        self._word_cache: dict[str, list[int]] = {}
        # Word n-grams without stop words are looked up as they are formed, rather than built
        # as a list of strings first (the analyzer's _word_ngrams) and looked up twice.
        self._words = vectorizer.analyzer == "word" and vectorizer.stop_words is None
        self._tokenize = vectorizer.build_tokenizer()
        self._preprocess = vectorizer.build_preprocessor()

    @staticmethod
    def compiles(transformer: Any) -> bool:
        """A fitted TfidfVectorizer whose transform this class reproduces."""
        return type(transformer) is TfidfVectorizer and _plain_tfidf(transformer)

    def dot(self, texts: list[str], coef: np.ndarray) -> np.ndarray:
        """Each text's TF-IDF row (as ``vectorizer.transform`` makes it) dotted with ``coef``."""
        row, column, values, norms = self._coordinates(texts)
        return np.bincount(row, weights=values * coef[column], minlength=len(texts)) / norms

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        """``vectorizer.transform(texts)``: the same entries, in the same order, the same
        floating-point operations (so a product with it sums in scikit-learn's order)."""
        row, column, values, norms = self._coordinates(texts)
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=len(texts)), out=indptr[1:])
        return sp.csr_matrix((values / norms[row], column, indptr), shape=(len(texts), len(self.vectorizer.vocabulary_)))

    def _coordinates(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The TF-IDF entries before normalisation, sorted by row then column: ``(row, column,
        value)`` arrays, and each row's l2 norm (1 for an empty row)."""
        vectorizer = self.vectorizer
        vocabulary = vectorizer.vocabulary_
        analyze = self._analyze
        columns: list[int] = []
        lengths: list[int] = []  # n-gram occurrences per text
        if vectorizer.analyzer == "char_wb":
            cache = self._word_cache
            if len(cache) > self._WORD_CACHE_SIZE:
                cache.clear()
            for text in texts:
                before = len(columns)
                for word in text.lower().split():
                    found = cache.get(word)
                    if found is None:
                        found = cache[word] = [vocabulary[g] for g in analyze(word) if g in vocabulary]
                    columns.extend(found)
                lengths.append(len(columns) - before)
        elif self._words:
            for text in texts:
                before = len(columns)
                self._word_columns(self._tokenize(self._preprocess(text)), columns)
                lengths.append(len(columns) - before)
        else:
            for text in texts:
                found = [vocabulary[g] for g in analyze(text) if g in vocabulary]
                columns.extend(found)
                lengths.append(len(found))
        # One (row, column) key per n-gram occurrence; unique keys with counts are the
        # sentence-by-vocabulary count matrix in coordinate form.
        width = len(vocabulary)
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        keys, counts = np.unique(rows * width + np.array(columns, dtype=np.int64), return_counts=True)
        row, column = np.divmod(keys, width)
        values = counts.astype(np.float64)
        if vectorizer.sublinear_tf:
            values = np.log(values) + 1.0
        if vectorizer.use_idf:
            values *= vectorizer.idf_[column]
        norms = np.sqrt(np.bincount(row, weights=values * values, minlength=len(texts)))
        norms[norms == 0.0] = 1.0
        return row, column, values, norms

    def _word_columns(self, tokens: list[str], columns: list[int]) -> None:
        """Append the vocabulary columns of the word n-grams of ``tokens`` (the n-grams
        ``_word_ngrams`` makes: each n of ``ngram_range``, n tokens joined by one space; the
        order does not matter, occurrences are counted)."""
        get = self.vectorizer.vocabulary_.get
        low, high = self.vectorizer.ngram_range
        for n in range(low, high + 1):
            if n == 1:
                columns.extend([c for w in tokens if (c := get(w)) is not None])
            elif n == 2:
                columns.extend([c for a, b in zip(tokens, tokens[1:]) if (c := get(a + " " + b)) is not None])
            else:
                grams = (" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
                columns.extend([c for g in grams if (c := get(g)) is not None])


def _plain_tfidf(vectorizer: TfidfVectorizer) -> bool:
    """A fitted TfidfVectorizer whose transform ``_LinearScorer`` reproduces."""
    return (
        hasattr(vectorizer, "vocabulary_")
        and vectorizer.analyzer in ("word", "char_wb")
        and vectorizer.input == "content"
        and vectorizer.lowercase is True
        and vectorizer.preprocessor is None
        and vectorizer.tokenizer is None
        and vectorizer.strip_accents is None
        and not vectorizer.binary
        and vectorizer.norm == "l2"
        and vectorizer.dtype in (np.float64, float)
        and (not vectorizer.use_idf or hasattr(vectorizer, "idf_"))
    )


def train(data: LabelledData, **params: Any) -> TrainedModel:
    from framing import __version__

    pipeline = build_pipeline(**params).fit(list(data.texts), data.y)
    return TrainedModel(
        pipeline=pipeline,
        negative_label=data.negative_label,
        positive_label=data.positive_label,
        trained_on={"file": Path(data.source).as_posix() if data.source else "", "sha256": data.sha256, "n": len(data)},
        framing_version=__version__,
        sklearn_version=sklearn.__version__,
    )


# -- evaluation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassScores:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EvaluationReport:
    method: str  # "held-out" or "5-fold cross-validation"
    positive_label: str
    n: int
    classes: tuple[ClassScores, ...]
    macro_f1: float
    accuracy: float
    fold_macro_f1: tuple[float, ...] = ()

    @property
    def fold_mean(self) -> float:
        return float(np.mean(self.fold_macro_f1)) if self.fold_macro_f1 else float("nan")

    @property
    def fold_std(self) -> float:
        return float(np.std(self.fold_macro_f1)) if self.fold_macro_f1 else float("nan")

    def format(self) -> str:
        """A plain-text table (what ``framing evaluate`` prints)."""
        lines = [f"{self.method} on {self.n} sentences (positive label: {self.positive_label})", ""]
        lines += score_table(self.classes)
        lines.append("")
        lines.append(f"macro-F1  {self.macro_f1:.3f}")
        lines.append(f"accuracy  {self.accuracy:.3f}")
        if self.fold_macro_f1:
            folds = ", ".join(f"{f:.3f}" for f in self.fold_macro_f1)
            lines.append(f"macro-F1 per fold: {self.fold_mean:.3f} ± {self.fold_std:.3f} (folds: {folds})")
        return "\n".join(lines)


def score_table(classes: Sequence[ClassScores], heading: str = "label") -> list[str]:
    """Per-class precision / recall / F1 / support as aligned plain-text lines."""
    width = max(9, len(heading), *(len(c.label) for c in classes))
    lines = [f"{heading:<{width}}  precision  recall     f1  support"]
    for c in classes:
        lines.append(f"{c.label:<{width}}  {c.precision:9.3f}  {c.recall:6.3f}  {c.f1:5.3f}  {c.support:7d}")
    return lines


def out_of_fold(
    template: Pipeline,
    texts: Sequence[str],
    y: np.ndarray,
    splits: Any,
    fold_score: Any,
) -> tuple[np.ndarray, list[float]]:
    """Out-of-fold predictions of clones of ``template`` over ``splits`` (train, test index
    pairs), and ``fold_score(y_true, y_pred)`` of each fold."""
    texts = np.asarray(texts, dtype=object)
    predicted = np.zeros_like(y)
    folds = []
    for train_index, test_index in splits:
        pipeline = clone(template).fit(list(texts[train_index]), y[train_index])
        predicted[test_index] = pipeline.predict(list(texts[test_index]))
        folds.append(float(fold_score(y[test_index], predicted[test_index])))
    return predicted, folds


def _report(method: str, data: LabelledData, predicted: np.ndarray, folds: Sequence[float] = ()) -> EvaluationReport:
    y = data.y
    precision, recall, f1, support = precision_recall_fscore_support(y, predicted, labels=[0, 1], zero_division=0)
    classes = tuple(
        ClassScores(label, float(precision[i]), float(recall[i]), float(f1[i]), int(support[i]))
        for i, label in enumerate((data.negative_label, data.positive_label))
    )
    return EvaluationReport(
        method=method,
        positive_label=data.positive_label,
        n=len(data),
        classes=classes,
        macro_f1=float(np.mean(f1)),
        accuracy=float(np.mean(predicted == y)),
        fold_macro_f1=tuple(float(f) for f in folds),
    )


def evaluate(model: TrainedModel, data: LabelledData) -> EvaluationReport:
    """Score a trained model on labelled data (its labels must be the model's labels)."""
    if set(data.labels) != set(model.labels):
        raise ValueError(
            f"the data's labels ({', '.join(sorted(set(data.labels)))}) are not the model's "
            f"({', '.join(model.labels)})"
        )
    data = make_data(data.texts, data.labels, model.positive_label, source=data.source, sha256=data.sha256)
    predicted = (model.predict_proba(data.texts) >= 0.5).astype(np.int64)
    return _report("held-out evaluation", data, predicted)


def evaluate_template(template: Pipeline, train_data: LabelledData, data: LabelledData) -> EvaluationReport:
    """Fit a clone of an untrained pipeline on ``train_data`` and score it on ``data`` (the same
    positive label): e.g. the baseline trained on a model's own training data."""
    data = make_data(data.texts, data.labels, train_data.positive_label, source=data.source, sha256=data.sha256)
    pipeline = clone(template).fit(list(train_data.texts), train_data.y)
    return _report("held-out evaluation", data, pipeline.predict(list(data.texts)).astype(np.int64))


def cross_validate(
    data: LabelledData, k: int = 5, *, grouped: bool = False, template: Pipeline | None = None, **params: Any
) -> EvaluationReport:
    """Stratified k-fold (shuffled, fixed seed): pooled per-class scores and per-fold macro-F1.

    ``grouped``: folds keep each group of ``data.groups`` (e.g. an article's sentences) whole,
    the honest figure where labels cluster by article. ``template``: another untrained
    pipeline to evaluate on the very same folds (e.g. :func:`framing.models.baseline.baseline_pipeline`).
    """
    if k < 2:
        raise ValueError(f"--cv needs at least 2 folds, got {k}")
    smallest = min(data.counts().values())
    if smallest < k:
        raise ValueError(f"{k}-fold cross-validation needs at least {k} sentences of each label; the smallest class has {smallest}")
    y = data.y
    method = f"{k}-fold cross-validation"
    if grouped:
        if not data.groups:
            raise ValueError("grouped folds need a group per sentence (--group-column)")
        if len(set(data.groups)) < k:
            raise ValueError(f"{k} grouped folds need at least {k} groups; found {len(set(data.groups))}")
        splits = StratifiedGroupKFold(k, shuffle=True, random_state=RANDOM_STATE).split(np.zeros(len(y)), y, data.groups)
        method += f", grouped ({len(set(data.groups))} groups kept whole)"
    else:
        splits = StratifiedKFold(k, shuffle=True, random_state=RANDOM_STATE).split(np.zeros(len(y)), y)
    predicted, folds = out_of_fold(
        template if template is not None else build_pipeline(**params),
        data.texts,
        y,
        list(splits),
        lambda truth, guess: f1_score(truth, guess, average="macro", labels=[0, 1], zero_division=0),
    )
    return _report(method, data, predicted, folds)


def baseline_beside(model: EvaluationReport, baseline: EvaluationReport) -> str:
    """The baseline's scores on the same folds and the model's margin over it, as text."""
    from framing.models.baseline import NAME

    lines = [f"baseline ({NAME}), same folds:", ""]
    lines += score_table(baseline.classes)
    lines.append("")
    lines.append(f"macro-F1  {baseline.macro_f1:.3f}   model − baseline: {model.macro_f1 - baseline.macro_f1:+.3f}")
    lines.append(f"accuracy  {baseline.accuracy:.3f}   model − baseline: {model.accuracy - baseline.accuracy:+.3f}")
    if baseline.fold_macro_f1 and model.fold_macro_f1:
        wins = sum(m > b for m, b in zip(model.fold_macro_f1, baseline.fold_macro_f1))
        lines.append(
            f"macro-F1 per fold: {baseline.fold_mean:.3f} ± {baseline.fold_std:.3f}; "
            f"the model is ahead on {wins} of {len(baseline.fold_macro_f1)} folds"
        )
    return "\n".join(lines)


# -- the model file -----------------------------------------------------------------------


RETRAIN = "framing train --data FILE.csv -o MODEL"


def save_model(model: TrainedModel, path: str | os.PathLike) -> None:
    fields = {
        "framing_version": model.framing_version,
        "sklearn_version": model.sklearn_version,
        "labels": list(model.labels),
        "positive_label": model.positive_label,
        "trained_on": dict(model.trained_on),
    }
    write_model_file(path, FORMAT, model.pipeline, fields)


def load_model(source: str | os.PathLike | BinaryIO, *, name: str | None = None) -> TrainedModel:
    """Read a model written by :func:`save_model`; :class:`ModelFormatError` if unusable."""
    name = name or str(getattr(source, "name", source))
    header, pipeline = read_model_file(source, FORMAT, name=name, retrain=RETRAIN)
    try:
        negative, positive = header["labels"]
    except Exception as error:  # noqa: BLE001
        raise ModelFormatError(f"{name}: damaged model ({type(error).__name__}: {error}); retrain with `{RETRAIN}`") from None
    if positive != header.get("positive_label"):
        raise ModelFormatError(f"{name}: damaged model (inconsistent labels); retrain with `{RETRAIN}`")
    return TrainedModel(
        pipeline=pipeline,
        negative_label=negative,
        positive_label=positive,
        trained_on=dict(header.get("trained_on", {})),
        framing_version=str(header.get("framing_version", "")),
        sklearn_version=str(header.get("sklearn_version", "")),
    )


DEFAULT_MODEL = "loaded_default.joblib"


def load_default_model() -> TrainedModel:
    """The model shipped inside the package (``framing/models/loaded_default.joblib``)."""
    from importlib import resources

    resource = resources.files("framing.models").joinpath(DEFAULT_MODEL)
    with resource.open("rb") as handle:
        return load_model(handle, name=f"framing/models/{DEFAULT_MODEL}")

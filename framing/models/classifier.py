"""The loaded-sentence classifier: training, evaluation, the model file format and explanations.

The model is a scikit-learn ``Pipeline``: a ``FeatureUnion`` of word 1–2-gram TF-IDF over the
document's own word tokens (:func:`framing.models.features.word_tokens`) and the hand-crafted
:class:`~framing.models.features.LoadedFeatures` (hand lexicon categories, VADER, length, word
shape, punctuation, cue words; standardized), feeding a
:class:`~framing.models.linear.CalibratedLogistic`: a logistic regression that chooses its C and
its dataset weighting on inner folds of the training data (leave one dataset out when the data
come from several) and maps its decision value to a calibrated probability (Platt scaling on
the inner folds' out-of-fold decisions). ``docs/classifier.md`` gives the reasons and figures.

Labels: any two labels. The model is trained on "is the positive label" (1) vs not (0); which
label is positive is chosen by ``positive=`` or by :func:`choose_positive`'s documented rule. A
sentence gets the positive label when its probability is at least the model's ``threshold``
(the calibrated probability at the balanced decision boundary).

Explanations: the model is linear, so a sentence's log-odds is a sum over its features; the
share of each word token (its word n-grams' TF-IDF values times their coefficients, bigrams
split between their two words, and the lexicon features of the lexicon matches it belongs to)
is that word's contribution. :meth:`TrainedModel.score` returns the words with the largest
positive contributions as evidence spans.

Model files (``save_model`` / ``load_model``) use the shared format of
:mod:`framing.models.modelfile` with ``format`` ``"framing-sentence-model"`` and the fields
``labels: [negative, positive]``, ``positive_label``, ``trained_on: {file, sha256, n}`` (or
``{sets: [...], n}`` for a model trained on several sets) and ``card`` (the model card: data,
terms, choices, figures). The header is checked (kind, format version, scikit-learn version)
before anything is unpickled. Like every pickle, only load model files you trust.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import methodcaller
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

from framing.models.features import LoadedFeatures, word_tokens
from framing.models.linear import CalibratedLogistic
from framing.models.modelfile import FORMAT_VERSION, ModelFormatError, read_model_file, write_model_file
from framing.segment import _APOSTROPHES, TOKEN_RE, is_word

FORMAT = "framing-sentence-model"
POSITIVE_NAMES = ("loaded", "1", "true", "yes", "positive", "biased")
RANDOM_STATE = 0
MAX_CHAR_FEATURES = 40_000  # bounds the model file and the vocabulary lookups (char n-gram blocks)
EVIDENCE_WORDS = 3  # evidence spans per sentence: the words that raise its probability most
EVIDENCE_MIN_SCORE = 0.05  # ...each adding at least this much to the sentence's log-odds


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
    datasets: tuple[str, ...] = ()  # the data set of each sentence, when several are pooled

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
    datasets: Sequence[str] = (),
    **source: str,
) -> LabelledData:
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    if groups and len(groups) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(groups)} groups")
    if datasets and len(datasets) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(datasets)} dataset names")
    positive_label, rule = choose_positive(labels, positive)
    negative_label = next(x for x in sorted(set(labels)) if x != positive_label)
    return LabelledData(
        tuple(texts), tuple(labels), negative_label, positive_label, rule,
        groups=tuple(groups), datasets=tuple(datasets), **source,
    )


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
    """The untrained pipeline; ``params`` are ``set_params`` names, e.g. ``clf__Cs=(1.0,)``.

    Fit it with :func:`fit_pipeline` (or ``fit(texts, y, clf__groups=..., clf__datasets=...)``)
    so that the inner folds keep articles whole and leave datasets out."""
    pipeline = Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        (
                            "words",
                            TfidfVectorizer(
                                tokenizer=word_tokens, lowercase=False, token_pattern=None,
                                ngram_range=(1, 2), sublinear_tf=True, min_df=2,
                            ),
                        ),
                        ("lexicon", LoadedFeatures(use_vader=True, extra=True, standardize=True)),
                    ]
                ),
            ),
            ("clf", CalibratedLogistic()),
        ]
    )
    return pipeline.set_params(**params) if params else pipeline


def fit_pipeline(
    template: Any,
    texts: Sequence[str],
    y: np.ndarray,
    groups: Sequence[str] = (),
    datasets: Sequence[str] = (),
) -> Pipeline:
    """A fitted clone of ``template``; a final :class:`CalibratedLogistic` also gets each
    sentence's group and dataset (its inner folds keep groups whole and leave datasets out).
    Any other estimator (e.g. the frames model, which shares :func:`cross_validate`) is fitted
    on texts and labels alone."""
    pipeline = clone(template)
    params: dict[str, Any] = {}
    name, final = pipeline.steps[-1] if isinstance(pipeline, Pipeline) else ("", None)
    if isinstance(final, CalibratedLogistic):
        if len(groups):
            params[f"{name}__groups"] = list(groups)
        if len(datasets):
            params[f"{name}__datasets"] = list(datasets)
    return pipeline.fit(list(texts), y, **params)


@dataclass(frozen=True)
class Evidence:
    """A word that raises a sentence's probability: ``text[start:end]`` of the scored sentence,
    and ``score``, its contribution to the sentence's calibrated log-odds."""

    start: int
    end: int
    score: float


@dataclass(frozen=True)
class TrainedModel:
    pipeline: Pipeline
    negative_label: str
    positive_label: str
    trained_on: dict[str, Any] = field(default_factory=dict)
    framing_version: str = ""
    sklearn_version: str = ""
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, str]:
        return (self.negative_label, self.positive_label)

    @property
    def threshold(self) -> float:
        """The probability from which a sentence gets the positive label: the calibrated
        probability at the balanced decision boundary, 0.5 for an uncalibrated pipeline."""
        return float(getattr(self.pipeline.steps[-1][1], "threshold_", 0.5))

    # The compiled fast scorer (or False when the pipeline has another shape), built on first use.
    _scorer: Any = field(default=None, init=False, repr=False, compare=False)

    def predict_proba(
        self,
        texts: Sequence[str],
        *,
        lexicon_matches: Sequence[Sequence[Any]] | None = None,
        words: Sequence[Sequence[str]] | None = None,
        vader: Sequence[tuple[float, float, float]] | None = None,
        lookups: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        """Probability of the positive label for each text (one batched call).

        ``lexicon_matches``: optionally, for each text, the matches of :meth:`lexicon` already
        found in it (a caller that has matched the same lexicon saves matching again);
        ``words``: for each text, its word tokens' texts (``Document.sentence_words()``);
        ``vader``: for each text, VADER's (compound, positive, negative) for exactly that text
        (the ``sentiment`` analyzer's scores); ``lookups``: the lookup forms of ``words``
        (``Document.sentence_word_lookups()``). All are ignored when the pipeline is not one the
        fast path compiles."""
        return self.score(texts, lexicon_matches=lexicon_matches, words=words, vader=vader, lookups=lookups, explain=False)[0]

    def score(
        self,
        texts: Sequence[str],
        *,
        lexicon_matches: Sequence[Sequence[Any]] | None = None,
        words: Sequence[Sequence[str]] | None = None,
        vader: Sequence[tuple[float, float, float]] | None = None,
        explain: bool = True,
        top: int = EVIDENCE_WORDS,
        origins: Sequence[int] | None = None,
        word_spans: Sequence[Sequence[tuple[int, int]]] | None = None,
        lookups: Sequence[Sequence[str]] | None = None,
    ) -> tuple[np.ndarray, list[tuple[Evidence, ...]] | None]:
        """``(probabilities, evidence)``: :meth:`predict_proba`, and for each text the (up to)
        ``top`` words that raise its probability most (each adding at least
        ``EVIDENCE_MIN_SCORE`` to its log-odds), as :class:`Evidence` with offsets into that
        text, strongest first. Evidence is None when the pipeline is not one the fast path
        compiles (only a linear model of known blocks can be read word by word).
        ``origins``: each text's offset in the coordinates of ``lexicon_matches`` and
        ``word_spans`` (e.g. the sentence's start in its document, for the ``loaded`` analyzer's
        matches); ``word_spans``: each text's word token spans in those coordinates
        (``Document.sentence_word_tokens()``), parallel to ``words``."""
        texts = list(texts)
        if not texts:
            return np.zeros(0), ([] if explain else None)
        if self._compiled():
            return self._scorer.score(texts, lexicon_matches, words, vader, top if explain else 0, origins, word_spans, lookups)
        return self.pipeline.predict_proba(texts)[:, 1], None

    def lexicon(self) -> Any:
        """The lexicon ``Table`` the model's ``LoadedFeatures`` was fitted with, when the fast
        path uses one (and so can take ``lexicon_matches``); else None."""
        return self._scorer.lexicon() if self._compiled() else None

    def _compiled(self) -> bool:
        if self._scorer is None:
            object.__setattr__(self, "_scorer", _LinearScorer.compile(self.pipeline) or False)
        return bool(self._scorer)

    def predict(self, texts: Sequence[str], threshold: float | None = None) -> list[str]:
        cut = self.threshold if threshold is None else threshold
        return [self.positive_label if p >= cut else self.negative_label for p in self.predict_proba(texts)]

    def describe(self) -> str:
        sets = self.trained_on.get("sets")
        if sets:
            source = " + ".join(str(s.get("name", "?")) for s in sets)
        else:
            source = self.trained_on.get("file", "?")
        return f"{FORMAT} v{FORMAT_VERSION}, trained on {source} (n={self.trained_on.get('n', '?')})"


class _LinearScorer:
    """``pipeline.predict_proba(texts)[:, 1]`` for the shipped pipeline shape, without
    scikit-learn's per-call machinery, and the words behind each probability.

    Scoring one article's sentences through the ``Pipeline`` costs 3-5 ms before any sentence is
    looked at (input validation, estimator tags, ``FeatureUnion``'s joblib dispatch, sparse
    matrices stacked) and then runs ``CountVectorizer``'s pure-Python counting loop. The model
    is linear, so the same probability is ``expit(a * (intercept + sum of each block's features
    . its slice of coef_) + b)`` (``a, b``: the calibration of a
    :class:`~framing.models.linear.CalibratedLogistic`; 1 and 0 for a plain
    ``LogisticRegression``), computed here from the fitted vocabularies, ``idf_`` and
    coefficients:

    - TF-IDF blocks: :class:`TfidfBlock` (the vectorizer's transform as flat numpy arrays
      for all sentences at once), dotted with the block's slice of ``coef_``;
    - ``LoadedFeatures``: its dense rows (standardized as the transformer does) times its
      coefficients.

    Results equal the pipeline's up to floating-point rounding (tests compare them). Any other
    pipeline shape or option (another classifier, a custom tokenizer, binary or non-l2 TF-IDF,
    more than two classes...) is not compiled, and the pipeline is used as it is.

    Explanations (:meth:`score` with ``top > 0``) split the log-odds over the word tokens of
    each sentence: a word block's n-gram occurrence gives ``coef * tfidf / count`` (its share of
    the n-gram's value), a bigram half to each of its words; a lexicon match gives the lexicon
    columns' share it adds (``coef / std * scale`` per unit of its count and weight features,
    and its share of the any-match flag), spread over the words it covers. What remains
    (intercept, sentence-level features such as VADER, length, punctuation) belongs to no word.
    Only word blocks over :func:`~framing.models.features.word_tokens` are explained; a
    character block adds to the probability but to no word.
    """

    def __init__(self, blocks: list[tuple[str, Any, np.ndarray]], intercept: float, calibration: tuple[float, float]) -> None:
        self._blocks = blocks
        self._intercept = intercept
        self._slope, self._offset = calibration
        self._tfidf = [TfidfBlock(v) if kind != "loaded" else None for kind, v, _ in blocks]

    @classmethod
    def compile(cls, pipeline: Any) -> _LinearScorer | None:
        steps = getattr(pipeline, "steps", None)
        if not isinstance(pipeline, Pipeline) or len(steps) != 2:
            return None
        (_, union), (_, clf) = steps
        if type(union) is not FeatureUnion or union.transformer_weights is not None:
            return None
        if type(clf) is CalibratedLogistic:
            calibration = tuple(float(x) for x in clf.calibration_)
        elif type(clf) is LogisticRegression:
            calibration = (1.0, 0.0)
        else:
            return None
        if len(getattr(clf, "classes_", ())) != 2:
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
        return cls(blocks, float(np.asarray(clf.intercept_).ravel()[0]), calibration)  # type: ignore[arg-type]

    def lexicon(self) -> Any:
        tables = [t.lexicon_ for kind, t, _ in self._blocks if kind == "loaded"]
        return tables[0] if len(tables) == 1 else None

    def predict_proba(
        self,
        texts: list[str],
        lexicon_matches: Sequence[Sequence[Any]] | None = None,
        words: Sequence[Sequence[str]] | None = None,
        vader: Sequence[tuple[float, float, float]] | None = None,
    ) -> np.ndarray:
        return self.score(texts, lexicon_matches, words, vader, 0)[0]

    def score(
        self,
        texts: list[str],
        lexicon_matches: Sequence[Sequence[Any]] | None = None,
        words: Sequence[Sequence[str]] | None = None,
        vader: Sequence[tuple[float, float, float]] | None = None,
        top: int = 0,
        origins: Sequence[int] | None = None,
        word_spans: Sequence[Sequence[tuple[int, int]]] | None = None,
        lookups: Sequence[Sequence[str]] | None = None,
    ) -> tuple[np.ndarray, list[tuple[Evidence, ...]] | None]:
        check_texts(texts)
        n = len(texts)
        if lexicon_matches is not None and (len(lexicon_matches) != n or self.lexicon() is None):
            raise ValueError(f"lexicon_matches: expected one sequence per text ({n}) for a model with one lexicon")
        given_lists = (("words", words), ("vader", vader), ("origins", origins), ("word_spans", word_spans), ("lookups", lookups))
        for name, given in given_lists:
            if given is not None and len(given) != n:
                raise ValueError(f"{name}: expected one entry per text ({n}), got {len(given)}")
        if word_spans is not None and origins is None:
            raise ValueError("word_spans come with origins (each text's offset in their coordinates)")
        if lookups is not None and words is None:
            raise ValueError("lookups come with words (the lookup forms of those words)")
        base = [0] * n if word_spans is None else list(origins)  # type: ignore[arg-type]
        spans: Sequence[Sequence[tuple[int, int]]] | None = None
        if top > 0:
            spans = word_spans if word_spans is not None else [_word_spans(text) for text in texts]
        decision, flat, starts = self._decisions(texts, lexicon_matches, words, vader, lookups, spans, base, origins)
        probabilities = expit(self._slope * decision + self._offset)
        if flat is None or spans is None:
            return probabilities, None
        # The top words of every sentence at once: sort by (sentence, score descending), keep
        # the first ``top`` of each sentence that reach the minimum score.
        lengths = np.diff(np.append(starts, len(flat)))
        row_of = np.repeat(np.arange(n), lengths)
        scores = self._slope * flat
        order = np.lexsort((-scores, row_of))
        rank = np.arange(len(flat)) - starts[row_of[order]]
        chosen = order[(rank < top) & (scores[order] >= EVIDENCE_MIN_SCORE)]
        evidence: list[list[Evidence]] = [[] for _ in range(n)]
        for i, r in zip(chosen.tolist(), row_of[chosen].tolist(), strict=True):
            a, b = spans[r][i - starts[r]]
            evidence[r].append(Evidence(a - base[r], b - base[r], float(scores[i])))
        return probabilities, [tuple(found) for found in evidence]

    def _decisions(
        self,
        texts: list[str],
        lexicon_matches: Sequence[Sequence[Any]] | None,
        words: Sequence[Sequence[str]] | None,
        vader: Sequence[tuple[float, float, float]] | None,
        lookups: Sequence[Sequence[str]] | None,
        spans: Sequence[Sequence[tuple[int, int]]] | None,
        base: Sequence[int],
        origins: Sequence[int] | None,
    ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
        """Each text's decision value and, with ``spans``, every word's share of it in one flat
        array (text after text) with each text's first index."""
        n = len(texts)
        decision = np.full(n, self._intercept)
        flat: np.ndarray | None = None
        starts = np.zeros(n, dtype=np.int64)
        if spans is not None:
            lengths = [len(x) for x in spans]
            starts = np.cumsum([0, *lengths[:-1]]).astype(np.int64) if n else starts
            flat = np.zeros(int(sum(lengths)))
        for (kind, transformer, coef), tfidf in zip(self._blocks, self._tfidf, strict=True):
            if kind == "loaded":
                found: list[Any] | None = [] if flat is not None else None
                rows = transformer.dense_rows(texts, lexicon_matches, words, vader, found_matches=found, lookups=lookups)
                decision += rows @ coef
                if found is not None and flat is not None and spans is not None:
                    # Matches given by the caller are in its coordinates (origins); the ones
                    # found here in each text's own: both moved to the word spans' coordinates.
                    given = [lexicon_matches is not None and lexicon_matches[r] is not None for r in range(n)]
                    shift = [base[r] - ((origins[r] if origins is not None else 0) if given[r] else 0) for r in range(n)]
                    _add_lexicon_shares(transformer, coef, found, words, spans, flat, starts, shift)
            elif flat is not None and tfidf.explains():
                dot, shares = tfidf.dot_and_shares(texts, coef, words, lookups)
                decision += dot
                if len(shares) != len(flat):
                    raise ValueError("word_spans: not one span per word token of each text")
                flat += shares
            else:
                decision += tfidf.dot(texts, coef, words, lookups)
        return decision, flat, starts

    def decision_parts(self, text: str) -> tuple[np.ndarray, float]:
        """For one sentence: each word token's share of the (uncalibrated) decision value, and
        the rest (intercept and sentence-level features); they sum to the decision value. For
        tests and for readers who want more than the top words."""
        decision, flat, _ = self._decisions([text], None, None, None, None, [_word_spans(text)], [0], None)
        assert flat is not None
        return flat, float(decision[0] - flat.sum())


def _word_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the word tokens of ``text`` (those :func:`word_tokens` returns, in order)."""
    return [m.span() for m in TOKEN_RE.finditer(text) if is_word(m.group())]


def _add_lexicon_shares(
    features: LoadedFeatures,
    coef: np.ndarray,
    matches: Sequence[Sequence[Any]],
    words: Sequence[Sequence[str]] | None,
    spans: Sequence[Sequence[tuple[int, int]]],
    flat: np.ndarray,
    starts: np.ndarray,
    shift: Sequence[int],
) -> None:
    """Add each lexicon match's share of the lexicon columns to the words it covers (``flat``:
    all texts' words, text ``r`` from ``starts[r]``); ``shift``: what moves each text's matches
    into its word spans' coordinates."""
    unit = features.lexicon_units(coef)
    if unit is None:
        return
    per_count, per_weight, any_match = unit
    for r, found in enumerate(matches):
        if not found:
            continue
        text_spans = spans[r]
        if not text_spans:
            continue
        n_words = len(words[r]) if words is not None else len(text_spans)
        per10 = 10.0 / max(n_words, 1)
        word_starts = [a for a, _ in text_spans]
        offset = int(starts[r])
        for match in found:
            column = per_count.get(match.category)
            if column is None:
                continue
            value = per10 * (column + per_weight[match.category] * float(match.weight)) + any_match / len(found)
            start, end = match.start + shift[r], match.end + shift[r]
            i = max(bisect_right(word_starts, start) - 1, 0)
            covered = []
            while i < len(text_spans) and text_spans[i][0] < end:
                if text_spans[i][1] > start:
                    covered.append(i)
                i += 1
            for i in covered:
                flat[offset + i] += value / len(covered)


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
    ``_WORD_CACHE_SIZE`` words). A word vectorizer whose tokenizer is
    :func:`~framing.models.features.word_tokens` can take each sentence's word tokens from the
    caller (``Document.sentence_words()``) instead of tokenizing again, and can share each
    sentence's value out over its words (:meth:`dot_and_shares`). Only vectorizers for which
    :meth:`compiles` is true.
    """

    _WORD_CACHE_SIZE = 100_000  # distinct words kept per char vectorizer (~25 MB at most)

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer
        self._analyze = vectorizer.build_analyzer()
        self._word_cache: dict[str, list[int]] = {}
        # Word n-grams without stop words are looked up as they are formed, rather than built
        # as a list of strings first (the analyzer's _word_ngrams) and looked up twice.
        self._words = vectorizer.analyzer == "word" and vectorizer.stop_words is None
        self._framing_words = self._words and vectorizer.tokenizer is word_tokens
        self._tokenize = vectorizer.build_tokenizer()
        self._preprocess = vectorizer.build_preprocessor()

    @staticmethod
    def compiles(transformer: Any) -> bool:
        """A fitted TfidfVectorizer whose transform this class reproduces."""
        return type(transformer) is TfidfVectorizer and _plain_tfidf(transformer)

    def explains(self) -> bool:
        """Whether :meth:`dot_and_shares` can split this block's value over word tokens."""
        return self._framing_words

    def dot(
        self,
        texts: list[str],
        coef: np.ndarray,
        words: Sequence[Sequence[str]] | None = None,
        lookups: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        """Each text's TF-IDF row (as ``vectorizer.transform`` makes it) dotted with ``coef``;
        ``words``: each text's word tokens as written (or ``lookups``: their lookup forms), used
        by a ``word_tokens`` vectorizer."""
        if self._framing_words:
            return self.dot_and_shares(texts, coef, words, lookups)[0]
        row, column, values, norms = self._coordinates(texts, words)
        return np.bincount(row, weights=values * coef[column], minlength=len(texts)) / norms

    def dot_and_shares(
        self,
        texts: list[str],
        coef: np.ndarray,
        words: Sequence[Sequence[str]] | None = None,
        lookups: Sequence[Sequence[str]] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`dot`, and each text's value split over its word tokens, in one flat array of
        all texts' words (text after text, each in the order of ``word_tokens(text)``; a text's
        shares sum to its value up to rounding): an n-gram occurrence gives
        ``coef * value / count`` shared equally among the n words it spans."""
        vocabulary = self.vectorizer.vocabulary_
        low, high = self.vectorizer.ngram_range
        row, column, first, size, lengths = self._occurrences(texts, words, lookups)
        base = int(sum(lengths))
        width = len(vocabulary)
        keys, inverse, counts = np.unique(row * width + column, return_inverse=True, return_counts=True)
        key_row, key_column = np.divmod(keys, width)
        values = counts.astype(np.float64)
        if self.vectorizer.sublinear_tf:
            values = np.log(values) + 1.0
        if self.vectorizer.use_idf:
            values *= self.vectorizer.idf_[key_column]
        norms = np.sqrt(np.bincount(key_row, weights=values * values, minlength=len(texts)))
        norms[norms == 0.0] = 1.0
        dot = np.bincount(key_row, weights=values * coef[key_column], minlength=len(texts)) / norms
        # Each occurrence's share, then spread over its words.
        per_occurrence = (coef[key_column] * values / norms[key_row] / counts)[inverse] if len(inverse) else np.zeros(0)
        totals = np.zeros(base)
        for k in range(low, high + 1):
            chosen = size == k
            for j in range(k):
                totals += np.bincount(first[chosen] + j, weights=per_occurrence[chosen] / k, minlength=base)
        return dot, totals

    def _occurrences(
        self, texts: list[str], words: Sequence[Sequence[str]] | None, lookups: Sequence[Sequence[str]] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[int]]:
        """Every in-vocabulary n-gram occurrence of the texts: its row, column, first word (an
        index into all texts' words, in order) and size (n), and each text's number of words.
        Uni- and bigrams are looked up for all texts at once (C-level ``map``)."""
        get = self.vectorizer.vocabulary_.get
        low, high = self.vectorizer.ngram_range
        if lookups is not None and self._framing_words:
            token_lists = [list(x) for x in lookups]
        else:
            token_lists = [self._tokens(text, None if words is None else words[r]) for r, text in enumerate(texts)]
        lengths = [len(tokens) for tokens in token_lists]
        flat = list(chain.from_iterable(token_lists))
        total = len(flat)
        row_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        position = np.arange(total, dtype=np.int64)
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]] = []
        for n in range(low, high + 1):
            if n > 2:  # longer n-grams: joined and looked up per text
                found = [
                    (start + i, c)
                    for start, tokens in zip(np.cumsum([0, *lengths[:-1]]), token_lists)
                    for i in range(len(tokens) - n + 1)
                    if (c := get(" ".join(tokens[i : i + n]))) is not None
                ]
                firsts = np.array([f for f, _ in found], dtype=np.int64)
                parts.append((firsts, np.array([c for _, c in found], dtype=np.int64), row_of[firsts], n))
                continue
            grams = flat if n == 1 else map(" ".join, zip(flat, flat[1:]))
            count = total if n == 1 else max(total - 1, 0)
            columns = np.fromiter(map(get, grams, repeat(-1)), dtype=np.int64, count=count)
            valid = columns >= 0
            if n == 2:  # a bigram must not run from one text into the next
                valid &= row_of[:-1] == row_of[1:]
            parts.append((position[:count][valid], columns[valid], row_of[:count][valid], n))
        first = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        column = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        row = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        size = np.concatenate([np.full(len(p[0]), p[3], dtype=np.int64) for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        return row, column, first, size, lengths

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        """``vectorizer.transform(texts)``: the same entries, in the same order, the same
        floating-point operations (so a product with it sums in scikit-learn's order)."""
        row, column, values, norms = self._coordinates(texts)
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=len(texts)), out=indptr[1:])
        return sp.csr_matrix((values / norms[row], column, indptr), shape=(len(texts), len(self.vectorizer.vocabulary_)))

    def _tokens(self, text: str, written: Sequence[str] | None) -> list[str]:
        """A text's tokens as the vectorizer makes them; for a ``word_tokens`` vectorizer, the
        caller's word tokens (as written) in lookup form when given."""
        if self._framing_words:
            # normalise() for every word, at C speed: lower case, curly apostrophes as '.
            return list(map(_translate_apostrophes, map(str.lower, written))) if written is not None else word_tokens(text)
        return self._tokenize(self._preprocess(text))

    def _coordinates(
        self, texts: list[str], words: Sequence[Sequence[str]] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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
            for r, text in enumerate(texts):
                before = len(columns)
                self._word_columns(self._tokens(text, None if words is None else words[r]), columns)
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


_translate_apostrophes = methodcaller("translate", _APOSTROPHES)  # the table of framing.segment.normalise


def _plain_tfidf(vectorizer: TfidfVectorizer) -> bool:
    """A fitted TfidfVectorizer whose transform ``_LinearScorer`` reproduces: scikit-learn's own
    lower-casing tokenizer, or :func:`word_tokens` (which lower-cases itself) on a word analyzer."""
    own_tokens = vectorizer.tokenizer is None and vectorizer.lowercase is True
    framing_tokens = vectorizer.tokenizer is word_tokens and vectorizer.analyzer == "word" and vectorizer.lowercase is False
    return (
        hasattr(vectorizer, "vocabulary_")
        and vectorizer.analyzer in ("word", "char_wb")
        and vectorizer.input == "content"
        and (own_tokens or framing_tokens)
        and vectorizer.preprocessor is None
        and vectorizer.strip_accents is None
        and not vectorizer.binary
        and vectorizer.norm == "l2"
        and vectorizer.dtype in (np.float64, float)
        and (not vectorizer.use_idf or hasattr(vectorizer, "idf_"))
    )


def train(data: LabelledData, *, card: dict[str, Any] | None = None, **params: Any) -> TrainedModel:
    """Fit :func:`build_pipeline` (with ``params``) on ``data``; its groups and datasets guide
    the inner folds. ``card``: model-card fields to store in the model file's header."""
    from framing import __version__

    pipeline = fit_pipeline(build_pipeline(**params), data.texts, data.y, data.groups, data.datasets)
    if data.datasets and len(set(data.datasets)) > 1:
        sets = []
        for name in dict.fromkeys(data.datasets):
            chosen = [label for label, d in zip(data.labels, data.datasets, strict=True) if d == name]
            sets.append({"name": name, "n": len(chosen), "positives": chosen.count(data.positive_label)})
        trained_on: dict[str, Any] = {"sets": sets, "n": len(data)}
    else:
        trained_on = {"file": Path(data.source).as_posix() if data.source else "", "sha256": data.sha256, "n": len(data)}
    return TrainedModel(
        pipeline=pipeline,
        negative_label=data.negative_label,
        positive_label=data.positive_label,
        trained_on=trained_on,
        framing_version=__version__,
        sklearn_version=sklearn.__version__,
        card={**describe_fit(pipeline), **(card or {})},
    )


def describe_fit(pipeline: Pipeline) -> dict[str, Any]:
    """What training chose, for the model card: C, dataset weighting and factors, the inner
    selection scores, the calibration and the threshold (a :class:`CalibratedLogistic`)."""
    clf = pipeline.steps[-1][1]
    if not isinstance(clf, CalibratedLogistic):
        return {}
    return {
        "C": clf.C_,
        "dataset_weighting": clf.weighting_,
        "dataset_factors": dict(clf.dataset_factors_),
        "selection": {f"C={c:g}, {w}": round(v, 4) for (c, w), v in clf.selection_.items()},
        "calibration": {"slope": clf.calibration_[0], "offset": clf.calibration_[1]},
        "reliability": [
            {"mean_probability": round(p, 4), "loaded_share": round(share, 4), "weight": round(w, 4)}
            for p, share, w in getattr(clf, "reliability_", ())
        ],
        "threshold": clf.threshold_,
    }


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
    *,
    groups: Sequence[str] = (),
    datasets: Sequence[str] = (),
) -> tuple[np.ndarray, list[float]]:
    """Out-of-fold predictions of clones of ``template`` over ``splits`` (train, test index
    pairs), and ``fold_score(y_true, y_pred)`` of each fold. ``groups`` / ``datasets``: each
    sentence's group and dataset, handed to a final :class:`CalibratedLogistic` for the training
    part of each fold (:func:`fit_pipeline`)."""
    texts = np.asarray(texts, dtype=object)
    group_array = np.asarray(groups, dtype=object) if len(groups) else None
    dataset_array = np.asarray(datasets, dtype=object) if len(datasets) else None
    predicted = np.zeros_like(y)
    folds = []
    for train_index, test_index in splits:
        pipeline = fit_pipeline(
            template,
            list(texts[train_index]),
            y[train_index],
            () if group_array is None else list(group_array[train_index]),
            () if dataset_array is None else list(dataset_array[train_index]),
        )
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
    predicted = (model.predict_proba(data.texts) >= model.threshold).astype(np.int64)
    return _report("held-out evaluation", data, predicted)


def evaluate_template(template: Pipeline, train_data: LabelledData, data: LabelledData) -> EvaluationReport:
    """Fit a clone of an untrained pipeline on ``train_data`` and score it on ``data`` (the same
    positive label): e.g. the baseline trained on a model's own training data."""
    data = make_data(data.texts, data.labels, train_data.positive_label, source=data.source, sha256=data.sha256)
    pipeline = fit_pipeline(template, train_data.texts, train_data.y, train_data.groups, train_data.datasets)
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
        groups=data.groups,
        datasets=data.datasets,
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
        "card": dict(model.card),
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
        card=dict(header.get("card", {})),
    )


DEFAULT_MODEL = "loaded_default.joblib"


def load_default_model() -> TrainedModel:
    """The model shipped inside the package (``framing/models/loaded_default.joblib``)."""
    from importlib import resources

    resource = resources.files("framing.models").joinpath(DEFAULT_MODEL)
    with resource.open("rb") as handle:
        return load_model(handle, name=f"framing/models/{DEFAULT_MODEL}")

"""Hand-crafted features of a sentence for the loaded-language classifier.

``LoadedFeatures`` is a scikit-learn transformer over raw sentences (an iterable of ``str``),
written to the estimator contract so it composes in a ``Pipeline`` / ``FeatureUnion``, survives
``clone``, pickling and ``GridSearchCV``:

- ``__init__`` only stores its keyword-only parameters; validation happens in ``fit``;
- what ``fit`` learns ends in ``_`` (``lexicon_``, ``matcher_``, ``feature_names_``);
- ``get_feature_names_out()`` names every column of ``transform``;
- a single string where a list of sentences is expected is refused, as ``CountVectorizer`` does.

Columns (one row per sentence, sparse CSR, float64):

- ``lex:<category>:count`` and ``lex:<category>:weight`` — matches of each loaded-language
  category and the sum of their weights, both per 10 words (so long sentences are not favoured);
- ``lex:any`` — 1 when the sentence has any lexicon match;
- ``vader:compound``, ``vader:pos``, ``vader:neg``, ``vader:abs_compound`` (``use_vader=True``);
- ``punct:quoted_share`` — share of the characters between paired quotation marks (scare quotes);
- ``punct:exclamations``, ``punct:questions`` — counts, as log(1 + n);
- ``shape:caps_share`` — share of words written in capitals (≥ 2 letters: "LIES", also "NATO");
- ``shape:title_share`` — share of words after the first that start with a capital (names);
- with ``extra=True``: ``shape:log_words`` (log(1 + words)), ``shape:word_length`` (mean
  letters per word / 10), ``shape:digits`` (share of characters that are digits),
  ``punct:commas`` (log(1 + commas per 10 words)), ``punct:colons``, ``punct:parentheses``
  (log(1 + n)), ``cue:first_person``, ``cue:second_person``, ``cue:modal`` (share of words
  listed with that cue in ``sentence_cues.tsv``) and ``cue:reporting`` (1 when a form of a
  neutral-class verb of ``reporting_verbs.tsv`` is among the words: reported speech).

``standardize=True`` centres every column on its training mean and divides it by its training
standard deviation (so the columns weigh alike beside TF-IDF blocks, whose rows have unit
length), then multiplies by ``scale``.

The fitted lexicon table is kept inside the estimator, so a pickled model keeps scoring with the
lexicon it was trained with even after the shipped lexicon changes. The compiled matcher and the
VADER analyzer are rebuilt after unpickling rather than stored.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from itertools import compress
from operator import itemgetter
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from framing.lexicons import Table, load_table
from framing.segment import TOKEN_RE, is_word, normalise

__all__ = ["LoadedFeatures", "SentenceFeatures", "word_tokens"]

_QUOTED = re.compile(r"[\"“”«»„]([^\"“”«»„]{1,200})[\"“”«»„]|(?<!\w)['‘]([^'‘’]{1,60})['’](?!\w)")
_QUOTE_MARKS = set("\"“”«»„")


def word_tokens(text: str) -> list[str]:
    """The word tokens of a sentence in lookup form: the tokens of
    :data:`framing.segment.TOKEN_RE` that are words (``is_word``), lower-cased with curly
    apostrophes read as ``'`` (:func:`framing.segment.normalise`). The classifier's word TF-IDF
    block uses it as its tokenizer, so that the document's own tokens serve scoring and
    explanations alike: hyphenated compounds ("US-dominated") and contractions stay one word,
    and every n-gram maps back to word spans in the text."""
    return [normalise(m.group()) for m in TOKEN_RE.finditer(text) if is_word(m.group())]


def _check_raw_documents(X: Any, method: str, owner: str = "LoadedFeatures") -> list[str]:
    """An iterable of sentences as a list; refuse one string or bytes (a common mistake)."""
    if isinstance(X, (str, bytes)):
        raise ValueError(
            f"{owner}.{method}: iterable over raw text sentences expected, "
            f"{type(X).__name__} object received; wrap a single sentence in a list"
        )
    documents = list(X)
    for i, doc in enumerate(documents):
        if not isinstance(doc, str):
            raise TypeError(f"{owner}.{method}: sentence {i} is {type(doc).__name__}, expected str")
    return documents


class SentenceFeatures(TransformerMixin, BaseEstimator):
    """What the sentence feature transformers share: the raw-text input check, fitted feature
    names, string input tags, and pickling without the compiled (rebuildable) parts.

    Subclasses set ``feature_names_`` in ``fit``, name the attributes that are rebuilt rather
    than pickled in ``_TRANSIENT``, and rebuild them in ``_rebuild`` (called after unpickling).
    """

    _TRANSIENT: tuple[str, ...] = ()

    def _documents(self, X: Any, method: str) -> list[str]:
        return _check_raw_documents(X, method, type(self).__name__)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "feature_names_")
        return self.feature_names_.copy()

    def _rebuild(self) -> None:
        """Rebuild the ``_TRANSIENT`` attributes of a fitted, unpickled transformer."""

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        for name in self._TRANSIENT:
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        if "feature_names_" in state:
            self._rebuild()

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class LoadedFeatures(SentenceFeatures):
    """Lexicon, sentiment and punctuation features of sentences (see the module docstring).

    Parameters
    ----------
    lexicon : None, str or path, or Table
        The loaded-language lexicon: None for the shipped hand lexicon ``loaded.tsv`` (the
        learned words of ``loaded_learned.tsv`` are not read: as classifier features they did
        not improve the cross-dataset scores, see ``docs/classifier.md``), a resource name or a
        path to a TSV file in the lexicon format, or an already loaded ``Table``.
    use_vader : bool
        Add VADER's compound/positive/negative scores (the slowest features, unless the caller
        passes the scores it has, see :meth:`dense_rows`).
    extra : bool
        Add the length, word-shape, punctuation and cue-word columns (module docstring).
    standardize : bool
        Centre and scale each column by its training mean and standard deviation.
    scale : float
        Multiplies every standardized column (the block's weight beside other blocks).
    """

    _TRANSIENT = ("matcher_", "_vader_analyzer")

    def __init__(
        self,
        *,
        lexicon: str | os.PathLike | Table | None = None,
        use_vader: bool = True,
        extra: bool = False,
        standardize: bool = False,
        scale: float = 1.0,
    ) -> None:
        self.lexicon = lexicon
        self.use_vader = use_vader
        self.extra = extra
        self.standardize = standardize
        self.scale = scale

    # -- fitting --------------------------------------------------------------------------

    def fit(self, X: Iterable[str], y: Any = None) -> LoadedFeatures:
        documents = self._documents(X, "fit")
        for name in ("use_vader", "extra", "standardize"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"{name} must be True or False, not {getattr(self, name)!r}")
        if not (isinstance(self.scale, (int, float)) and math.isfinite(self.scale) and self.scale > 0):
            raise ValueError(f"scale must be a positive number, not {self.scale!r}")
        if self.lexicon is None:
            table = load_table("loaded")
        elif isinstance(self.lexicon, Table):
            table = self.lexicon
        elif isinstance(self.lexicon, (str, os.PathLike)):
            table = load_table(self.lexicon)
        else:
            raise ValueError(
                f"lexicon must be None (the shipped lexicon), a path or resource name, or a Table; "
                f"got {type(self.lexicon).__name__}"
            )
        self.lexicon_ = Table(dict(table.meta), tuple(table.columns), tuple(dict(r) for r in table.rows))
        self.matcher_ = _build_matcher(self.lexicon_)
        self.categories_ = tuple(sorted(self.matcher_.categories))
        names = [f"lex:{c}:{kind}" for c in self.categories_ for kind in ("count", "weight")]
        names.append("lex:any")
        if self.use_vader:
            names += ["vader:compound", "vader:pos", "vader:neg", "vader:abs_compound"]
        names += [
            "punct:quoted_share",
            "punct:exclamations",
            "punct:questions",
            "shape:caps_share",
            "shape:title_share",
        ]
        if self.extra:
            names += list(EXTRA_FEATURES)
            self.cues_ = _load_cues()
        self.feature_names_ = np.asarray(names, dtype=object)
        self.mean_ = np.zeros(len(names))
        self.std_ = np.ones(len(names))
        if self.standardize:
            raw = self.dense_rows(documents, standardized=False)
            self.mean_ = raw.mean(axis=0) if len(raw) else self.mean_
            std = raw.std(axis=0) if len(raw) else self.std_
            self.std_ = np.where(std > 1e-12, std, 1.0)
        return self

    # -- transforming ---------------------------------------------------------------------

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        check_is_fitted(self, "feature_names_")
        return sp.csr_matrix(self.dense_rows(self._documents(X, "transform")))

    def dense_rows(
        self,
        documents: list[str],
        matches: Sequence[Sequence[Any]] | None = None,
        words: Sequence[Sequence[str]] | None = None,
        vader: Sequence[tuple[float, float, float]] | None = None,
        *,
        standardized: bool = True,
        found_matches: list[Any] | None = None,
        lookups: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        """``transform`` as a dense array, for a fitted transformer and a checked list of str
        (what :class:`framing.models.classifier.TrainedModel` calls on its fast path).

        ``matches``: for each document, the matches of ``lexicon_`` already found in it (objects
        with ``category`` and ``weight``, as :class:`framing.lexmatch.LexiconMatcher` returns),
        used instead of matching again (None for a document: match it here). ``words``: for each document, its word tokens' texts
        (``TOKEN_RE`` tokens that pass ``is_word``, as ``Document.sentence_words()`` gives them),
        used instead of tokenizing again. ``vader``: for each document, VADER's ``(compound,
        positive, negative)`` already computed for exactly that text (the ``sentiment``
        analyzer's scores), used instead of running VADER again. ``standardized=False``: the
        raw values, before centring and scaling. ``found_matches``: a list that receives each
        document's lexicon matches (for explanations). ``lookups``: the lookup forms of
        ``words`` (:func:`framing.segment.normalise`), used for the cue words."""
        width = len(self.feature_names_)
        rows = np.zeros((len(documents), width), dtype=np.float64)
        index = {c: i for i, c in enumerate(self.categories_)}
        n_lex = 2 * len(self.categories_)
        analyzer = self._vader() if self.use_vader and vader is None else None
        extra = getattr(self, "cues_", None) if self.extra else None
        for r, text in enumerate(documents):
            row = rows[r]
            given = None if matches is None else matches[r]
            tokens = [m.span() for m in TOKEN_RE.finditer(text)] if given is None or words is None else []
            found = self.matcher_.find_in_tokens(text, tokens) if given is None else given
            if found_matches is not None:
                found_matches.append(found)
            sentence = [w for w in (text[s:e] for s, e in tokens) if is_word(w)] if words is None else words[r]
            per10 = 10.0 / max(len(sentence), 1)
            for match in found:
                col = index.get(match.category)
                if col is not None:
                    row[2 * col] += per10
                    row[2 * col + 1] += float(match.weight) * per10
            row[n_lex] = 1.0 if found else 0.0
            col = n_lex + 1
            if self.use_vader:
                if vader is not None:
                    compound, positive, negative = vader[r]
                else:
                    scores = analyzer.polarity_scores(text)
                    compound, positive, negative = scores["compound"], scores["pos"], scores["neg"]
                row[col : col + 4] = (compound, positive, negative, abs(compound))
                col += 4
            row[col] = _quoted_share(text)
            row[col + 1] = math.log1p(text.count("!"))
            row[col + 2] = math.log1p(text.count("?"))
            if sentence:
                # isupper() first, over all words at C speed: it is false for nearly every word,
                # so the letter count (>= 2 letters: "LIES", "NATO", not "I" or "A") runs only
                # for capitals.
                capitals = compress(sentence, map(str.isupper, sentence))
                row[col + 3] = sum(1 for w in capitals if sum(ch.isalpha() for ch in w) >= 2) / len(sentence)
                row[col + 4] = sum(map(str.isupper, map(itemgetter(0), sentence[1:]))) / len(sentence)
            if extra is not None:
                lookup = None if lookups is None else lookups[r]
                _extra_row(text, sentence, extra, row[col + 5 : col + 5 + len(EXTRA_FEATURES)], lookup)
        if standardized and self.standardize:
            rows -= self.mean_
            rows /= self.std_
            rows *= float(self.scale)
        return rows

    def lexicon_units(self, coef: np.ndarray) -> tuple[dict[str, float], dict[str, float], float] | None:
        """What one lexicon match adds to the decision value, given this block's slice of the
        coefficients: per category, per unit of ``count`` and per unit of ``weight`` (both per
        10 words), and the any-match flag's value (shared among a sentence's matches); each
        already divided by the training standard deviation and times ``scale`` when
        standardized. None before fitting."""
        if not hasattr(self, "feature_names_"):
            return None
        factor = (float(self.scale) / self.std_) if self.standardize else np.ones(len(self.feature_names_))
        unit = np.asarray(coef, dtype=np.float64) * factor
        per_count = {c: float(unit[2 * i]) for i, c in enumerate(self.categories_)}
        per_weight = {c: float(unit[2 * i + 1]) for i, c in enumerate(self.categories_)}
        return per_count, per_weight, float(unit[2 * len(self.categories_)])

    def _vader(self) -> Any:
        vader = getattr(self, "_vader_analyzer", None)
        if vader is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            vader = self._vader_analyzer = SentimentIntensityAnalyzer()
        return vader

    # -- pickling: the lexicon table is kept, the compiled matcher and VADER are rebuilt -------

    def _rebuild(self) -> None:
        # A transformer pickled before the extra/standardize options existed has neither.
        for name, default in (("extra", False), ("standardize", False), ("scale", 1.0)):
            if name not in vars(self):
                setattr(self, name, default)
        if "mean_" not in vars(self):
            self.mean_, self.std_ = np.zeros(len(self.feature_names_)), np.ones(len(self.feature_names_))
        self.matcher_ = _build_matcher(self.lexicon_)


EXTRA_FEATURES = (
    "shape:log_words",
    "shape:word_length",
    "shape:digits",
    "punct:commas",
    "punct:colons",
    "punct:parentheses",
    "cue:first_person",
    "cue:second_person",
    "cue:modal",
    "cue:reporting",
)
_CUES = ("first_person", "second_person", "modal")


def _load_cues() -> dict[str, str]:
    """The cue of each cue word: ``sentence_cues.tsv`` and the neutral reporting-verb forms."""
    cues: dict[str, set[str]] = {cue: set() for cue in (*_CUES, "reporting")}
    for row in load_table("sentence_cues").rows:
        if row["cue"] not in cues:
            raise ValueError(f"sentence_cues.tsv: unknown cue {row['cue']!r}; expected one of {', '.join(_CUES)}")
        cues[row["cue"]].add(row["term"])
    for row in load_table("reporting_verbs").rows:
        if row["class"] == "neutral":
            cues["reporting"].update(f.strip() for f in row["forms"].split(",") if f.strip() and " " not in f.strip())
    return {word: cue for cue in ("reporting", *_CUES) for word in cues[cue]}


_DIGIT = re.compile(r"\d")


def _extra_row(
    text: str, words: Sequence[str], cues: dict[str, str], out: np.ndarray, lookups: Sequence[str] | None = None
) -> None:
    """The ``extra`` columns of one sentence into ``out`` (in ``EXTRA_FEATURES`` order).

    Cue words are word tokens in any case, except written all in capitals ("US", "WE": an
    acronym or a shout, not the pronoun)."""
    n = len(words)
    out[0] = math.log1p(n)
    if n:
        out[1] = sum(map(len, words)) / n / 10.0
        out[3] = math.log1p(10.0 * text.count(",") / n)
    out[2] = len(_DIGIT.findall(text)) / len(text) if text else 0.0
    out[4] = math.log1p(text.count(":"))
    out[5] = math.log1p(text.count("("))
    if not n:
        return
    counts = {"first_person": 0, "second_person": 0, "modal": 0, "reporting": 0}
    found = map(cues.get, lookups if lookups is not None else map(str.lower, words))
    for i in compress(range(n), map(bool, found)):
        word = words[i]
        if not (len(word) > 1 and word.isupper()):
            counts[cues[word.lower()]] += 1
    out[6] = counts["first_person"] / n
    out[7] = counts["second_person"] / n
    out[8] = counts["modal"] / n
    out[9] = 1.0 if counts["reporting"] else 0.0


def _build_matcher(table: Table) -> Any:
    from framing.lexmatch import LexiconMatcher

    return LexiconMatcher.from_table(table)


def _quoted_share(text: str) -> float:
    """Share of the sentence's characters between paired quotation marks."""
    if not text or not (_QUOTE_MARKS & set(text) or "'" in text or "‘" in text):
        return 0.0
    inside = sum(len(m.group(1) or m.group(2) or "") for m in _QUOTED.finditer(text))
    return min(inside / len(text), 1.0)

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
- ``shape:title_share`` — share of words after the first that start with a capital (names).

The fitted lexicon table is kept inside the estimator, so a pickled model keeps scoring with the
lexicon it was trained with even after the shipped lexicon changes. The compiled matcher and the
VADER analyzer are rebuilt after unpickling rather than stored.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from framing.lexicons import Table, load_table
from framing.segment import TOKEN_RE, is_word

__all__ = ["LoadedFeatures", "SentenceFeatures"]

_QUOTED = re.compile(r"[\"“”«»„]([^\"“”«»„]{1,200})[\"“”«»„]|(?<!\w)['‘]([^'‘’]{1,60})['’](?!\w)")
_QUOTE_MARKS = set("\"“”«»„")


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
        The loaded-language lexicon: None for the shipped ``loaded`` table, a resource name or a
        path to a TSV file in the lexicon format, or an already loaded ``Table``.
    use_vader : bool
        Add VADER's compound/positive/negative scores (the slowest features).
    """

    _TRANSIENT = ("matcher_", "_vader_analyzer")

    def __init__(self, *, lexicon: str | os.PathLike | Table | None = None, use_vader: bool = True) -> None:
        self.lexicon = lexicon
        self.use_vader = use_vader

    # -- fitting --------------------------------------------------------------------------

    def fit(self, X: Iterable[str], y: Any = None) -> LoadedFeatures:
        self._documents(X, "fit")
        if not isinstance(self.use_vader, (bool, np.bool_)):
            raise ValueError(f"use_vader must be True or False, not {self.use_vader!r}")
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
        self.feature_names_ = np.asarray(names, dtype=object)
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
    ) -> np.ndarray:
        """``transform`` as a dense array, for a fitted transformer and a checked list of str
        (what :class:`framing.models.classifier.TrainedModel` calls on its fast path).

        ``matches``: for each document, the matches of ``lexicon_`` already found in it (objects
        with ``category`` and ``weight``, as :class:`framing.lexmatch.LexiconMatcher` returns),
        used instead of matching again. ``words``: for each document, its word tokens' texts
        (``TOKEN_RE`` tokens that pass ``is_word``, as ``Document.sentence_words()`` gives them),
        used instead of tokenizing again."""
        width = len(self.feature_names_)
        rows = np.zeros((len(documents), width), dtype=np.float64)
        index = {c: i for i, c in enumerate(self.categories_)}
        n_lex = 2 * len(self.categories_)
        vader = self._vader() if self.use_vader else None
        for r, text in enumerate(documents):
            row = rows[r]
            tokens = [m.span() for m in TOKEN_RE.finditer(text)] if matches is None or words is None else []
            found = self.matcher_.find_in_tokens(text, tokens) if matches is None else matches[r]
            sentence = [w for w in (text[s:e] for s, e in tokens) if is_word(w)] if words is None else words[r]
            per10 = 10.0 / max(len(sentence), 1)
            for match in found:
                col = index.get(match.category)
                if col is not None:
                    row[2 * col] += per10
                    row[2 * col + 1] += float(match.weight) * per10
            row[n_lex] = 1.0 if found else 0.0
            col = n_lex + 1
            if vader is not None:
                scores = vader.polarity_scores(text)
                row[col : col + 4] = (scores["compound"], scores["pos"], scores["neg"], abs(scores["compound"]))
                col += 4
            row[col] = _quoted_share(text)
            row[col + 1] = math.log1p(text.count("!"))
            row[col + 2] = math.log1p(text.count("?"))
            if sentence:
                # isupper() first: it is one C call and false for nearly every word, so the
                # letter count (>= 2 letters: "LIES", "NATO", not "I" or "A") runs only for capitals.
                caps = sum(1 for w in sentence if w.isupper() and sum(ch.isalpha() for ch in w) >= 2)
                row[col + 3] = caps / len(sentence)
                row[col + 4] = sum(w[:1].isupper() for w in sentence[1:]) / len(sentence)
        return rows

    def _vader(self) -> Any:
        vader = getattr(self, "_vader_analyzer", None)
        if vader is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            vader = self._vader_analyzer = SentimentIntensityAnalyzer()
        return vader

    # -- pickling: the lexicon table is kept, the compiled matcher and VADER are rebuilt -------

    def _rebuild(self) -> None:
        self.matcher_ = _build_matcher(self.lexicon_)


def _build_matcher(table: Table) -> Any:
    from framing.lexmatch import LexiconMatcher

    return LexiconMatcher.from_table(table)


def _quoted_share(text: str) -> float:
    """Share of the sentence's characters between paired quotation marks."""
    if not text or not (_QUOTE_MARKS & set(text) or "'" in text or "‘" in text):
        return 0.0
    inside = sum(len(m.group(1) or m.group(2) or "") for m in _QUOTED.finditer(text))
    return min(inside / len(text), 1.0)

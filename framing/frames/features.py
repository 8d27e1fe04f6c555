"""Frame-cue features for the frames model, one transformer per level.

Both read the frame lexicons (:mod:`framing.frames.lexicon`) and follow the estimator contract
of :class:`~framing.models.features.SentenceFeatures`: keyword-only parameters stored by
``__init__`` and checked in ``fit``; the fitted tables travel inside the estimator (a pickled
model keeps scoring with the lexicons it was trained with) and the compiled matcher is rebuilt
after unpickling; ``get_feature_names_out()``; a single string is refused.

- :class:`FrameFeatures` (sentences): the cue mass of each frame, capped.
- :class:`ArticleFrameFeatures` (articles): the cue mass of each frame with the headline and the
  lead weighing more than the body, on a log scale, and each frame's share of the article's cue
  mass (a long article has more cues of everything; the shares do not grow with length).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from framing.frames.lexicon import FRAMES, SCHEMES, TABLE_NAMES, FrameCue, FrameLexicon
from framing.lexicons import Table, load_table
from framing.models.features import SentenceFeatures
from framing.segment import TOKEN_RE, is_word

__all__ = ["ArticleFrameFeatures", "FrameFeatures", "headline_and_lead"]

HEADLINE_WORDS = 20  # a first line this short, without a closing stop, is a headline
_STOPS = (".", "!", "?", ":", ";", '"', "”", "’")


def _positive(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and value > 0


class _CueFeatures(SentenceFeatures):
    """What both cue transformers share: the ``lexicons`` and ``schemes`` parameters, their
    checks, the fitted tables and the compiled lexicon."""

    _TRANSIENT = ("lexicon_",)

    def _fit_lexicon(self, X: Iterable[str]) -> None:
        self._documents(X, "fit")
        if isinstance(self.schemes, str) or not isinstance(self.schemes, Sequence) or not self.schemes:
            raise ValueError(f"schemes must be a non-empty sequence of {', '.join(SCHEMES)}; got {self.schemes!r}")
        for scheme in self.schemes:
            if scheme not in FRAMES:
                raise ValueError(f"unknown frame scheme {scheme!r}; available: {', '.join(SCHEMES)}")
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

    def _frame_columns(self) -> list[str]:
        return [f"{scheme}:{frame}" for scheme in self.schemes for frame in FRAMES[scheme]]

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        check_is_fitted(self, "feature_names_")
        return sp.csr_matrix(self.dense_rows(self._documents(X, "transform")))

    def dense_rows(self, documents: list[str], cues: Sequence[Sequence[FrameCue]] | None = None) -> np.ndarray:
        raise NotImplementedError

    def _cues(self, text: str) -> list[FrameCue]:
        return self.lexicon_.find_in_tokens(text, [m.span() for m in TOKEN_RE.finditer(text)])

    def _rebuild(self) -> None:
        self.lexicon_ = FrameLexicon(self.tables_)


class FrameFeatures(_CueFeatures):
    """Weighted frame-cue mass per frame of a sentence.

    Columns: ``<scheme>:<frame>`` for every frame of every chosen scheme (in the codebook's
    order; frames without cues, like PFC ``other``, are constant 0): the summed weight of the
    sentence's cues for the frame, capped at ``cap`` (one strong cue is as much evidence as
    several); then ``frames:any`` (1 when the sentence has any cue).

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
        self._fit_lexicon(X)
        if self.cap is not None and not _positive(self.cap):
            raise ValueError(f"cap must be None or a positive number, not {self.cap!r}")
        self.feature_names_ = np.asarray([*self._frame_columns(), "frames:any"], dtype=object)
        return self

    def dense_rows(self, documents: list[str], cues: Sequence[Sequence[FrameCue]] | None = None) -> np.ndarray:
        """``transform`` as a dense array, for a fitted transformer and a checked list of str
        (what :class:`~framing.frames.model.FramesModel` calls on its fast path).

        ``cues``: for each document, the cues of ``lexicon_`` already found in its tokens (as
        ``TOKEN_RE`` splits it), used instead of matching again; only their frame, scheme and
        weight count, so their offsets may be relative to any text the document is part of."""
        column = {name: i for i, name in enumerate(self.feature_names_)}
        rows = np.zeros((len(documents), len(column)), dtype=np.float64)
        for r, text in enumerate(documents):
            found = self._cues(text) if cues is None else cues[r]
            for cue in found:
                rows[r, column[f"{cue.scheme}:{cue.frame}"]] += cue.weight
            rows[r, -1] = 1.0 if found else 0.0
        if self.cap is not None:
            np.minimum(rows[:, :-1], self.cap, out=rows[:, :-1])
        return rows


def headline_and_lead(text: str, lead_words: int) -> tuple[int, int]:
    """Where an article's headline and its lead end, as offsets into ``text``.

    The headline is the first line when a line break follows it, it has at most
    ``HEADLINE_WORDS`` words and it does not end like a sentence (a stop, a colon, a closing
    quotation mark); else there is none (0). The lead is the first ``lead_words`` words after
    the headline (or the whole text when it is shorter)."""
    first, newline, rest = text.partition("\n")
    headline = first.strip()
    end = 0
    if newline and rest.strip() and headline and len(headline.split()) <= HEADLINE_WORDS and not headline.endswith(_STOPS):
        end = len(first)
    words = 0
    for match in TOKEN_RE.finditer(text, end):
        if is_word(match.group()):
            words += 1
            if words > lead_words:
                return end, match.start()
    return end, len(text)


class ArticleFrameFeatures(_CueFeatures):
    """Frame-cue mass per frame of a whole article, where the cue stands counting.

    A cue in the headline (see :func:`headline_and_lead`) counts ``headline_weight`` times its
    weight, one in the lead (the first ``lead_words`` words after it) ``lead_weight`` times,
    elsewhere once: news puts its frame up front.

    Columns, for every frame of every chosen scheme: ``<scheme>:<frame>`` = log(1 + weighted
    mass); then ``<scheme>:<frame>:share`` = the frame's share of its scheme's weighted mass (0
    for an article without cues of that scheme).
    """

    def __init__(
        self,
        *,
        lexicons: Mapping[str, str | os.PathLike | Table] | None = None,
        schemes: Sequence[str] = SCHEMES,
        headline_weight: float = 3.0,
        lead_weight: float = 2.0,
        lead_words: int = 50,
    ) -> None:
        self.lexicons = lexicons
        self.schemes = schemes
        self.headline_weight = headline_weight
        self.lead_weight = lead_weight
        self.lead_words = lead_words

    def fit(self, X: Iterable[str], y: Any = None) -> ArticleFrameFeatures:
        self._fit_lexicon(X)
        for name in ("headline_weight", "lead_weight"):
            if not _positive(getattr(self, name)):
                raise ValueError(f"{name} must be a positive number, not {getattr(self, name)!r}")
        if isinstance(self.lead_words, bool) or not isinstance(self.lead_words, int) or self.lead_words < 0:
            raise ValueError(f"lead_words must be a whole number >= 0, not {self.lead_words!r}")
        frames = self._frame_columns()
        self.feature_names_ = np.asarray([*frames, *(f"{name}:share" for name in frames)], dtype=object)
        return self

    def dense_rows(self, documents: list[str], cues: Sequence[Sequence[FrameCue]] | None = None) -> np.ndarray:
        """``transform`` as a dense array; ``cues``: for each document, the cues of ``lexicon_``
        found over all its tokens (as ``TOKEN_RE`` splits it), offsets into the document."""
        frames = self._frame_columns()
        column = {name: i for i, name in enumerate(frames)}
        mass = np.zeros((len(documents), len(frames)), dtype=np.float64)
        for r, text in enumerate(documents):
            headline, lead = headline_and_lead(text, self.lead_words)
            for cue in self._cues(text) if cues is None else cues[r]:
                where = self.headline_weight if cue.start < headline else self.lead_weight if cue.start < lead else 1.0
                mass[r, column[f"{cue.scheme}:{cue.frame}"]] += cue.weight * where
        shares = np.zeros_like(mass)
        start = 0
        for scheme in self.schemes:
            block = slice(start, start + len(FRAMES[scheme]))
            total = mass[:, block].sum(axis=1, keepdims=True)
            np.divide(mass[:, block], total, out=shares[:, block], where=total > 0)
            start = block.stop
        return np.hstack([np.log1p(mass), shares])

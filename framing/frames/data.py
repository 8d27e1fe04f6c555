"""Frame-labelled texts: sentences or whole articles, each with any number of frames.

Data: any CSV with a header, a text column, and either one or more 0/1 columns (one per frame)
or one column of delimited frame names (``economic;security_defense``); see
:func:`read_multilabel`. Frames with fewer than ``min_positives`` positive texts are dropped
(there is nothing to learn from, or to evaluate on) and named in ``MultiLabelData.dropped``.

**Level.** A text is a sentence or a whole article (``LEVELS``); the level decides which
features the model reads (:mod:`framing.frames.features`). An article's labels are the frames of
the whole article, learned from the whole article's text, never spread over its sentences.
:func:`detect_level` tells them apart when the caller does not say: ``article`` when the median
text has at least ``ARTICLE_WORDS`` words or more than half of the texts have a line break (a
paragraph), else ``sentence``. An article may begin with its headline on a line of its own
(``title_column`` puts a title column there).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from framing.frames.lexicon import FRAMES, SCHEMES
from framing.models.classifier import open_csv

__all__ = [
    "LEVELS", "MIN_POSITIVES", "MultiLabelData", "detect_level", "iterative_folds", "make_multilabel", "read_multilabel",
]

MIN_POSITIVES = 10
RANDOM_STATE = 0
LEVELS = ("sentence", "article")
ARTICLE_WORDS = 60  # a sentence of news rarely runs past 60 words; the median article is far longer
_TRUE = {"1", "1.0", "true", "yes", "y", "x"}
_FALSE = {"0", "0.0", "false", "no", "n", ""}


def detect_level(texts: Sequence[str]) -> str:
    """``article`` when the texts read as articles (see the module docstring), else ``sentence``."""
    if not texts:
        return "sentence"
    words = sorted(len(t.split()) for t in texts)
    broken = sum(1 for t in texts if "\n" in t.strip())
    return "article" if words[len(words) // 2] >= ARTICLE_WORDS or broken * 2 > len(texts) else "sentence"


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    return level


@dataclass(frozen=True)
class MultiLabelData:
    """Texts (sentences or articles, ``level``) with a 0/1 matrix ``Y`` (one column per frame in
    ``frames``)."""

    texts: tuple[str, ...]
    Y: np.ndarray
    frames: tuple[str, ...]
    dropped: tuple[tuple[str, int], ...] = ()  # (frame, positives) below min_positives
    min_positives: int = 0
    source: str = ""
    sha256: str = ""
    label_columns: tuple[str, ...] = ()
    level: str = "sentence"
    title_column: str = ""  # the column read as each text's first line, if any

    def counts(self) -> dict[str, int]:
        return {frame: int(n) for frame, n in zip(self.frames, self.Y.sum(axis=0), strict=True)}

    def column(self, frame: str) -> np.ndarray:
        return self.Y[:, self.frames.index(frame)]

    def describe(self) -> str:
        """One line for the CLI: size, positives per frame, what was dropped."""
        counts = ", ".join(f"{frame} {n}" for frame, n in self.counts().items())
        line = f"{len(self.texts)} {self.level}s, {len(self.frames)} frames ({counts})"
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
    level: str | None = None,
    **source: Any,
) -> MultiLabelData:
    """Build data from label sets; ``frames`` fixes the columns (default: every frame seen);
    ``level`` None detects it from the texts (:func:`detect_level`)."""
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} label sets")
    level = detect_level(texts) if level is None else check_level(level)
    sets = [set(x) for x in labels]
    columns = list(frames) if frames is not None else _frame_order(f for s in sets for f in s)
    Y = np.array([[int(f in s) for f in columns] for s in sets], dtype=np.int64).reshape(len(sets), len(columns))
    keep = [i for i, n in enumerate(Y.sum(axis=0)) if n >= min_positives]
    dropped = tuple((columns[i], int(Y[:, i].sum())) for i in range(len(columns)) if i not in keep)
    if not keep:
        raise ValueError(f"no frame has at least {min_positives} positive {level}s")
    return MultiLabelData(
        tuple(texts), Y[:, keep], tuple(columns[i] for i in keep), dropped, min_positives, level=level, **source
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
    level: str | None = None,
    title_column: str | None = None,
) -> MultiLabelData:
    """Read a CSV of sentences or articles labelled with frames (header row; other columns are
    ignored).

    Either ``label_columns``: one or more columns of 0/1 (also true/false, yes/no; empty is 0),
    one per frame, the column name being the frame; or ``label_column``: one column of frame
    names separated by ``delimiter`` (empty: no frame). ``frames`` fixes the output columns
    (e.g. a model's frames when evaluating it); frames with fewer than ``min_positives``
    positives are dropped and listed in ``dropped``. ``level``: ``sentence``, ``article``, or
    None to detect it; ``title_column``: a column of article titles, put on the first line of
    each text (the headline).
    """
    if (label_columns is None) == (label_column is None):
        raise ValueError("give either label_columns (0/1 columns) or label_column (one delimited column)")
    path = Path(path)
    wanted = [(text_column, "--text-column")] + [(c, "--label-column") for c in (label_columns or [label_column])]
    if title_column is not None:
        wanted.append((title_column, "--title-column"))
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
        title = " ".join((row.get(title_column) or "").split()) if title_column is not None else ""
        texts.append(f"{title}\n\n{text}" if title else text)
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
            level=level,
            title_column=title_column or "",
        )
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


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

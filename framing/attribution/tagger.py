"""The attribution tagger: a linear-chain CRF (python-crfsuite) over the tokens of a paragraph.

Labels are BIO tags for the three roles of PolNeAR's attribution relations: ``SRC`` (source),
``CUE`` and ``CON`` (content). A content that the source or cue interrupts (``"The economy," he
said, "is fine."``) or that runs into the next paragraph resumes with ``I-CON`` rather than
``B-CON``: :func:`decode` reads an ``I-CON`` that follows no content token as "the previous
content goes on", so one statement stays one span.

The model file is a joblib dict with the same header as the other models
(:mod:`framing.models.modelfile`: format, format version, framing version, the training data and
its terms) and crfsuite's own model bytes, opened in memory. ``make attribution-model`` trains it
(:func:`train`, deterministic); ``docs/attribution.md`` is its model card.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

from framing.attribution.crf import CRF, ENCODING
from framing.attribution.features import TokenView, batch, batch_features

FORMAT = "framing-attribution-crf"
MODEL_NAME = "attribution_crf.joblib"
RETRAIN = "make attribution-model"
ROLE_LABELS = {"source": "SRC", "cue": "CUE", "content": "CON"}
LABELS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
DEFAULT_PARAMS = {"c1": 0.3, "c2": 0.01, "max_iterations": 150, "feature.minfreq": 2, "feature.possible_transitions": True}


@dataclass(frozen=True)
class Tagged:
    """One attribution the tagger found: character spans of its roles (None when absent)."""

    content: tuple[int, int]
    source: tuple[int, int] | None
    cue: tuple[int, int] | None


# -- gold labels --------------------------------------------------------------------------------


def gold_labels(view: TokenView, attributions: Sequence[dict[str, Any]]) -> list[str]:
    """BIO labels of every token from PolNeAR-style attributions (fragments as [start, end]).

    Source and cue tokens take their role; a content covers its outer span (first fragment to
    last) except those tokens, and the fragment after an interruption resumes with I-CON."""
    starts = view.starts
    n = len(starts)
    role = [""] * n
    owner = [-1] * n

    def tokens_in(lo: int, hi: int) -> range:
        return range(bisect_left(starts, lo), bisect_left(starts, hi))

    for index, a in enumerate(attributions):
        for name in ("source", "cue"):
            for lo, hi in a.get(name) or ():
                for t in tokens_in(lo, hi):
                    role[t], owner[t] = ROLE_LABELS[name], index
    for index, a in enumerate(attributions):
        fragments = a.get("content") or ()
        if not fragments:
            continue
        lo, hi = fragments[0][0], fragments[-1][1]
        for t in tokens_in(lo, hi):
            if not role[t]:
                role[t], owner[t] = "CON", index
    labels = []
    for t in range(n):
        if not role[t]:
            labels.append("O")
            continue
        previous_same = t > 0 and role[t - 1] == role[t] and owner[t - 1] == owner[t]
        if previous_same:
            labels.append(f"I-{role[t]}")
        elif role[t] == "CON" and any(owner[k] == owner[t] and role[k] == "CON" for k in range(max(0, t - 60), t)):
            labels.append("I-CON")  # the same content resumes after its source or cue
        else:
            labels.append(f"B-{role[t]}")
    return labels


# -- decoding -----------------------------------------------------------------------------------


@dataclass
class _Chunk:
    role: str
    lo: int  # token indices [lo, hi)
    hi: int
    resumed: bool  # began with an I- tag


_ROLES = ("", "SRC", "CUE", "CON")
_ROLE_OF = np.array([_ROLES.index(label[2:]) if label != "O" else 0 for label in LABELS])
_BEGINS = np.array([label.startswith("B-") for label in LABELS])
LABEL_INDEX = {label: k for k, label in enumerate(LABELS)}


def label_ids(labels: Sequence[str] | np.ndarray) -> np.ndarray:
    """Labels as indices into LABELS (an index array is taken as it is)."""
    if isinstance(labels, np.ndarray):
        return labels
    return np.array([LABEL_INDEX[label] for label in labels], dtype=np.intp)


def chunks(labels: Sequence[str] | np.ndarray) -> list[_Chunk]:
    """Runs of one role: a B- tag, or an I- tag after another role or O, starts a run (the
    latter ``resumed``); an I- tag of the same role continues it."""
    ids = label_ids(labels)
    if not len(ids):
        return []
    role = _ROLE_OF[ids]
    begin = _BEGINS[ids]
    previous = np.zeros_like(role)
    previous[1:] = role[:-1]
    start = (role != 0) & (begin | (previous != role))
    stops = np.flatnonzero((role == 0) | start)  # where a run cannot go on
    first = np.flatnonzero(start)
    last = np.append(stops, len(ids))[np.searchsorted(stops, first, side="right")]
    return [_Chunk(_ROLES[r], lo, hi, not b) for r, lo, hi, b in zip(role[first].tolist(), first.tolist(), last.tolist(), begin[first].tolist())]


def decode(view: TokenView, labels: Sequence[str] | np.ndarray) -> list[Tagged]:
    """Attributions from token labels: resumed contents merged, then each cue with its nearest
    source and content in the same paragraph (or the content opening the next paragraph after
    a colon); a content with no cue left is an attribution of its own, with the nearest source
    of its sentence when there is one."""
    para = view.paragraph
    merged: list[_Chunk] = []
    last_content: _Chunk | None = None
    for c in chunks(labels):
        if c.role == "CON" and c.resumed and last_content is not None and c.lo - last_content.hi <= 30 \
                and para[c.lo] - para[last_content.hi - 1] <= 1:
            last_content.hi = c.hi  # the previous content goes on (no content chunk came between)
            continue
        merged.append(c)
        if c.role == "CON":
            last_content = c
    sources = [c for c in merged if c.role == "SRC"]
    contents = [c for c in merged if c.role == "CON"]
    # candidates by paragraph: a content under every paragraph it touches
    contents_in: dict[int, list[int]] = {}
    for k, c in enumerate(contents):
        for p in range(para[c.lo], para[c.hi - 1] + 1):
            contents_in.setdefault(p, []).append(k)
    sources_in: dict[int, list[int]] = {}
    for k, c in enumerate(sources):
        sources_in.setdefault(para[c.lo], []).append(k)

    def gap(a: _Chunk, b: _Chunk) -> int:
        return max(b.lo - a.hi, a.lo - b.hi, 0)

    def nearest(chunk: _Chunk, pool: list[_Chunk], indices: Sequence[int], starts: list[int], used: set[int],
                ok: Any = None, limit: int | None = None) -> int | None:
        """The unused chunk of ``indices`` (sorted by position, ``starts`` their first tokens)
        nearest to ``chunk`` (at most ``limit`` tokens away), the left one on a tie. Chunks do
        not overlap one another, so the gaps grow as the scan moves away from ``chunk``."""
        at = bisect_left(starts, chunk.lo)
        lo, hi = chunk.lo, chunk.hi
        best, best_gap = None, (limit if limit is not None else len(view.lows))
        for m in range(at, len(indices)):
            k = indices[m]
            other = pool[k]
            g = max(other.lo - hi, lo - other.hi, 0)
            if g > best_gap:
                break
            if k not in used and (ok is None or ok(other)):
                best, best_gap = k, g
                break
        for m in range(at - 1, -1, -1):
            k = indices[m]
            other = pool[k]
            if max(other.lo - hi, lo - other.hi, 0) > best_gap:
                break
            if k not in used and (ok is None or ok(other)):
                return k
        return best

    source_starts = {p: [sources[k].lo for k in indices] for p, indices in sources_in.items()}
    reach_in: dict[int, tuple[list[int], list[int]]] = {}  # paragraph -> the contents a cue there reaches

    def reach(pc: int) -> tuple[list[int], list[int]]:
        if pc not in reach_in:
            indices = list(contents_in.get(pc, ()))  # in text order
            if view.lows[view.paragraphs[pc][1] - 1] == ":":  # a colon lead-in: the next paragraph
                indices += [k for k in contents_in.get(pc + 1, ()) if para[contents[k].lo] == pc + 1]
            reach_in[pc] = indices, [contents[k].lo for k in indices]
        return reach_in[pc]

    used_sources: set[int] = set()
    used_contents: set[int] = set()
    out: list[Tagged] = []
    char = _Chars(view)
    no_sources: list[int] = []
    for cue in (c for c in merged if c.role == "CUE"):
        pc = para[cue.lo]
        best_content = nearest(cue, contents, *reach(pc), used_contents)
        if best_content is None:
            continue
        best_source = nearest(cue, sources, sources_in.get(pc, no_sources), source_starts.get(pc, no_sources), used_sources,
                              limit=25)
        used_contents.add(best_content)
        if best_source is not None:
            used_sources.add(best_source)
        out.append(Tagged(
            char.span(contents[best_content]),
            char.span(sources[best_source]) if best_source is not None else None,
            char.span(cue),
        ))
    sentence = view.sentence
    for k, c in enumerate(contents):
        if k in used_contents:
            continue
        # no cue: the nearest source of the same sentence still names the speaker
        pc = para[c.lo]
        near = nearest(c, sources, sources_in.get(pc, no_sources), source_starts.get(pc, no_sources), used_sources,
                       lambda s, c=c: sentence[s.lo] == sentence[c.lo] or sentence[s.hi - 1] == sentence[c.hi - 1], limit=25)
        if near is not None:
            used_sources.add(near)
        out.append(Tagged(char.span(c), char.span(sources[near]) if near is not None else None, None))
    out.sort(key=lambda a: a.content)
    return out


class _Chars:
    def __init__(self, view: TokenView) -> None:
        self.view = view

    def span(self, chunk: _Chunk) -> tuple[int, int]:
        return self.view.starts[chunk.lo], self.view.ends[chunk.hi - 1]


# -- the model ----------------------------------------------------------------------------------


class AttributionTagger:
    """A trained CRF, ready to tag; build with :func:`load_tagger`."""

    def __init__(self, crf: CRF, header: dict[str, Any]) -> None:
        self.header = header
        self.crf = crf
        self._to_labels = np.array([LABEL_INDEX[label] for label in crf.labels], dtype=np.intp)

    @property
    def version(self) -> str:
        return str(self.header.get("model_version", "?"))

    def feature_names(self) -> list[str]:
        """Every attribute (feature name) with a non-zero weight in the model."""
        return sorted(self.crf.attributes)

    def label_ids(self, view: TokenView, paragraphs: Iterable[int] | None = None) -> np.ndarray:
        """One label per token of the view, as indices into LABELS; paragraphs not chosen are
        all 'O'."""
        out = np.zeros(len(view.lows), dtype=np.intp)
        b = batch(view, None if paragraphs is None else list(paragraphs))
        out[b.index] = self._to_labels[self.crf.viterbi(self.crf.emissions(b), b.sequences)]
        return out

    def labels(self, view: TokenView, paragraphs: Iterable[int] | None = None) -> list[str]:
        """:meth:`label_ids` as label strings."""
        return [LABELS[k] for k in self.label_ids(view, paragraphs).tolist()]

    def tag(self, view: TokenView, paragraphs: Iterable[int] | None = None) -> list[Tagged]:
        return decode(view, self.label_ids(view, paragraphs))


def default_model_path() -> Any:
    return files("framing.models").joinpath(MODEL_NAME)


def save_model(path: str | os.PathLike, crf: CRF, fields: dict[str, Any]) -> None:
    from framing.models.modelfile import write_model_bytes

    write_model_bytes(path, FORMAT, crf.to_bytes(), {**fields, "encoding": ENCODING, "labels": list(crf.labels)})


def load_tagger(source: Any = None) -> AttributionTagger:
    """The tagger in ``source`` (a path or file), or the shipped one."""
    from framing.models.modelfile import ModelFormatError, read_model_bytes

    name = f"framing/models/{MODEL_NAME}" if source is None else str(getattr(source, "name", source))
    if source is None:
        with default_model_path().open("rb") as handle:
            header, model = read_model_bytes(handle, FORMAT, name=name, retrain=RETRAIN)
    else:
        header, model = read_model_bytes(source, FORMAT, retrain=RETRAIN)
    if header.get("encoding") != ENCODING:
        raise ModelFormatError(
            f"{name}: the model is stored as {header.get('encoding', 'CRFsuite bytes')!r}, this framing reads "
            f"{ENCODING!r} (saved by framing {header.get('framing_version', '?')}); rebuild it with `{RETRAIN}`"
        )
    try:
        crf = CRF.from_bytes(model)
    except (ValueError, KeyError, OSError) as error:
        raise ModelFormatError(f"{name}: damaged model ({type(error).__name__}: {error}); rebuild it with `{RETRAIN}`") from None
    return AttributionTagger(crf, header)


@lru_cache(maxsize=1)
def shipped_tagger() -> AttributionTagger | None:
    """The shipped tagger, or None when the package has none (the rules then work alone)."""
    try:
        return load_tagger()
    except FileNotFoundError:
        return None


def train_crfsuite(
    examples: Iterable[tuple[TokenView, list[str]]], *, params: dict[str, Any] | None = None
) -> bytes:
    """Train a CRF with CRFsuite on (view, labels) pairs, one sequence per sentence; the
    CRFsuite model's bytes."""
    import tempfile

    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params({**DEFAULT_PARAMS, **(params or {})})
    for view, labels in examples:
        b = batch(view)
        feats = batch_features(b)
        gold = [labels[t] for t in b.index.tolist()]
        for lo, hi in b.sequences:
            trainer.append(feats[lo:hi], gold[lo:hi])
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.crfsuite")
        trainer.train(path)
        with open(path, "rb") as handle:
            return handle.read()


def train(examples: Iterable[tuple[TokenView, list[str]]], *, params: dict[str, Any] | None = None) -> CRF:
    """Train a CRF on (view, labels) pairs (:func:`train_crfsuite`), as arrays."""
    return CRF.from_crfsuite(train_crfsuite(examples, params=params))

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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from framing.attribution.features import TokenView, paragraph_features

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


def chunks(labels: Sequence[str]) -> list[_Chunk]:
    out: list[_Chunk] = []
    current: _Chunk | None = None
    for t, label in enumerate(labels):
        if label == "O":
            current = None
            continue
        prefix, role = label[0], label[2:]
        if current is not None and prefix == "I" and current.role == role and current.hi == t:
            current.hi = t + 1
            continue
        current = _Chunk(role, t, t + 1, prefix == "I")
        out.append(current)
    return out


def decode(view: TokenView, labels: Sequence[str]) -> list[Tagged]:
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

    def nearest(chunk: _Chunk, pool: list[_Chunk], indices: Sequence[int], used: set[int], ok: Any = None) -> int | None:
        """The unused chunk of ``indices`` (sorted by position) nearest to ``chunk``: the first
        unused one on each side of it, whichever is closer (chunks do not overlap)."""
        starts = [pool[k].lo for k in indices]
        at = bisect_left(starts, chunk.lo)
        left = next((indices[m] for m in range(at - 1, -1, -1) if indices[m] not in used and (ok is None or ok(pool[indices[m]]))), None)
        right = next((indices[m] for m in range(at, len(indices)) if indices[m] not in used and (ok is None or ok(pool[indices[m]]))), None)
        if left is None or (right is not None and gap(chunk, pool[right]) < gap(chunk, pool[left])):
            return right
        return left

    used_sources: set[int] = set()
    used_contents: set[int] = set()
    out: list[Tagged] = []
    char = _Chars(view)
    for cue in (c for c in merged if c.role == "CUE"):
        pc = para[cue.lo]
        reach = list(contents_in.get(pc, ()))
        if view.lows[view.paragraphs[pc][1] - 1] == ":":  # a colon lead-in: the next paragraph
            reach += [k for k in contents_in.get(pc + 1, ()) if para[contents[k].lo] == pc + 1]
        best_content = nearest(cue, contents, sorted(reach, key=lambda k: contents[k].lo), used_contents)
        if best_content is None:
            continue
        best_source = nearest(cue, sources, sources_in.get(pc, []), used_sources)
        if best_source is not None and gap(cue, sources[best_source]) > 25:
            best_source = None
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
        near = nearest(c, sources, sources_in.get(para[c.lo], []), used_sources, lambda s, c=c: gap(c, s) <= 25 and (
            sentence[s.lo] == sentence[c.lo] or sentence[s.hi - 1] == sentence[c.hi - 1]))
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


def sequences(view: TokenView, paragraphs: Iterable[int] | None = None) -> Iterator[tuple[int, int, list[list[str]]]]:
    """(lo, hi, features) for each paragraph of the view (or the chosen paragraph indices)."""
    chosen = range(len(view.paragraphs)) if paragraphs is None else paragraphs
    for k in chosen:
        lo, hi = view.paragraphs[k]
        previous = view.paragraphs[k - 1] if k > 0 else None
        yield lo, hi, paragraph_features(view, lo, hi, previous)


class AttributionTagger:
    """A trained CRF, ready to tag; build with :func:`load_tagger` or :meth:`from_bytes`."""

    def __init__(self, model: bytes, header: dict[str, Any]) -> None:
        import pycrfsuite

        self.header = header
        self._model = model  # crfsuite reads the buffer in place: it must outlive the tagger
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model)

    @property
    def version(self) -> str:
        return str(self.header.get("model_version", "?"))

    def feature_names(self) -> list[str]:
        """Every attribute (feature name) with a non-zero weight in the model."""
        return sorted({attribute for attribute, _label in self._tagger.info().state_features})

    def labels(self, view: TokenView, paragraphs: Iterable[int] | None = None) -> list[str]:
        """One label per token of the view; paragraphs not chosen are all 'O'."""
        out = ["O"] * len(view.lows)
        for lo, hi, feats in sequences(view, paragraphs):
            out[lo:hi] = self._tagger.tag(feats)
        return out

    def tag(self, view: TokenView, paragraphs: Iterable[int] | None = None) -> list[Tagged]:
        return decode(view, self.labels(view, paragraphs))


def default_model_path() -> Any:
    return files("framing.models").joinpath(MODEL_NAME)


def save_model(path: str | os.PathLike, model: bytes, fields: dict[str, Any]) -> None:
    from framing.models.modelfile import write_model_bytes

    write_model_bytes(path, FORMAT, model, fields)


def load_tagger(source: Any = None) -> AttributionTagger:
    """The tagger in ``source`` (a path or file), or the shipped one."""
    from framing.models.modelfile import read_model_bytes

    if source is None:
        source = default_model_path()
        with source.open("rb") as handle:
            header, model = read_model_bytes(handle, FORMAT, name=f"framing/models/{MODEL_NAME}", retrain=RETRAIN)
    else:
        header, model = read_model_bytes(source, FORMAT, retrain=RETRAIN)
    return AttributionTagger(model, header)


@lru_cache(maxsize=1)
def shipped_tagger() -> AttributionTagger | None:
    """The shipped tagger, or None when the package has none (the rules then work alone)."""
    try:
        return load_tagger()
    except FileNotFoundError:
        return None


def train(
    examples: Iterable[tuple[TokenView, list[str]]], *, params: dict[str, Any] | None = None
) -> bytes:
    """Train a CRF on (view, labels) pairs, one sequence per paragraph; the model's bytes."""
    import tempfile

    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params({**DEFAULT_PARAMS, **(params or {})})
    for view, labels in examples:
        for lo, hi, feats in sequences(view):
            trainer.append(feats, labels[lo:hi])
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.crfsuite")
        trainer.train(path)
        with open(path, "rb") as handle:
            return handle.read()

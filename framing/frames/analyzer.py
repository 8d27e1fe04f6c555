"""Frames: which frames an article puts its story in, from lexicon cues (and a trained model).

Two schemes, each with fixed slugs (see ``docs/frames.md``): the 15 dimensions of the Policy
Frames Codebook (``pfc``; Boydstun et al. 2014) and the 5 generic news frames of Semetko &
Valkenburg 2000 (``generic``). A cue evokes a frame; it does not prove the article adopts it.

Cues
----
Each sentence's tokens go through one compiled matcher holding both frame lexicons
(:mod:`framing.frames.lexicon`; shipped ``frames_pfc.tsv`` / ``frames_generic.tsv`` plus user tables
of the same name). A match yields one span per frame its term is listed under:
``{start, end, text, term, frame, scheme, weight, voice}``, ``voice`` being ``quoted`` when the
cue lies inside a level-0 quotation (``doc.quote_at``), else ``author``.

Article figures, per scheme
---------------------------
- ``cue_mass[f]``: the summed weight of the cues of frame ``f``;
- ``shares[f]`` = ``cue_mass[f] / sum(cue_mass)`` (all 0 when the article has no cue; else
  they sum to 1);
- ``sentence_shares[f]``: the share of the article's sentences with at least one cue of ``f``
  (these do not sum to 1: a sentence may evoke several frames, or none);
- ``dominant``: the frame with the largest share (ties: larger sentence share, then codebook
  order), None without cues; ``evidence``: the ``EVIDENCE_SENTENCES`` sentences with the most
  cue mass for the dominant frame, as spans, so a reader can check the call.

Model figures
-------------
Two models may score an article, each on the texts it was trained on (its ``level``):

- the **sentence model** (the shipped ``framing/models/frames_default.joblib``, or a sentence
  model given to ``Resources(frames_model=...)``) scores every sentence in one batched
  ``predict_proba`` call; ``model`` holds the per-frame mean probability over sentences
  (``shares``, which need not sum to 1), the share of sentences at or above the frame's
  threshold, and the frame with the highest mean;
- an **article model** (one trained with ``--level article`` and given to
  ``Resources(frames_model=...)``; none is shipped) scores the whole article once: its title on
  the first line when the document has one the text does not begin with, then the text.
  ``article_model`` holds its probability per frame, its thresholds, the frames it predicts and
  the most probable one. These are the article's model figures when present: article labels come
  from a model trained on whole articles, not from sentence probabilities averaged.

Lexicon-based and model-based figures are kept apart (``pfc``/``generic`` vs ``model`` and
``article_model``) and named apart in ``figures()`` (``frames_model_*``, ``frames_article_*``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from framing.analyzers import Analyzer, register
from framing.document import Document
from framing.frames.lexicon import FRAMES, SCHEMES, FrameCue, FrameLexicon, frame_lexicon

EVIDENCE_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class FrameSpan:
    start: int
    end: int
    text: str
    frame: str
    scheme: str  # "pfc" or "generic"
    weight: float
    voice: str  # "author" or "quoted"
    term: str


@dataclass(frozen=True, slots=True)
class EvidenceSentence:
    start: int
    end: int
    text: str
    weight: float  # the sentence's cue mass for the frame
    voice: str


@dataclass(frozen=True, slots=True)
class FrameSentence:
    start: int
    end: int
    voice: str
    pfc: Mapping[str, float]  # cue mass per frame, frames with cues only
    generic: Mapping[str, float]
    probabilities: Mapping[str, float]  # the model's, per frame; empty without a model


@dataclass(frozen=True)
class SchemeFrames:
    """Lexicon-based frame figures of one scheme (see the module docstring)."""

    frames: tuple[str, ...]
    cue_mass: Mapping[str, float]
    shares: Mapping[str, float]
    sentence_shares: Mapping[str, float]
    dominant: str | None
    evidence: tuple[EvidenceSentence, ...]


@dataclass(frozen=True)
class ModelFrames:
    """The sentence model's figures (mean predicted probability per frame over sentences)."""

    model: str
    thresholds: Mapping[str, float]  # the model's, per frame
    frames: tuple[str, ...]
    shares: Mapping[str, float]  # mean probability per frame
    sentence_shares: Mapping[str, float]  # share of sentences with probability >= the frame's threshold
    dominant: str | None


@dataclass(frozen=True)
class ArticleModelFrames:
    """The article model's figures: one probability per frame for the whole article."""

    model: str
    thresholds: Mapping[str, float]
    frames: tuple[str, ...]
    probabilities: Mapping[str, float]
    predicted: tuple[str, ...]  # frames at or above their thresholds (at least the model's min_frames)
    dominant: str | None  # the most probable frame


@dataclass(frozen=True)
class FramesResult:
    lexicons: Mapping[str, str]
    spans: tuple[FrameSpan, ...]
    sentences: tuple[FrameSentence, ...]
    pfc: SchemeFrames
    generic: SchemeFrames
    model: ModelFrames | None = None
    article_model: ArticleModelFrames | None = None

    def figures(self) -> dict[str, float | int | str]:
        row: dict[str, float | int | str] = {}
        for scheme in SCHEMES:
            figures: SchemeFrames = getattr(self, scheme)
            for frame in FRAMES[scheme]:
                row[f"frames_{scheme}_{frame}_share"] = figures.shares[frame]
            row[f"frames_{scheme}_dominant"] = figures.dominant or ""
        if self.model is not None:
            for frame in self.model.frames:
                row[f"frames_model_{frame}_mean_probability"] = self.model.shares[frame]
            row["frames_model_dominant"] = self.model.dominant or ""
        if self.article_model is not None:
            article = self.article_model
            for frame in article.frames:
                row[f"frames_article_{frame}_probability"] = article.probabilities[frame]
            row["frames_article_frames"] = ";".join(article.predicted)
            row["frames_article_dominant"] = article.dominant or ""
        return row


def _dominant(frames: Sequence[str], shares: Mapping[str, float], tiebreak: Mapping[str, float]) -> str | None:
    best = max(frames, key=lambda f: (shares[f], tiebreak[f], -frames.index(f)), default=None)
    return best if best is not None and shares[best] > 0 else None


def _cue_mass(found: Sequence[FrameCue], scheme: str) -> dict[str, float]:
    """Summed cue weight per frame of ``scheme`` (frames with cues only)."""
    out: dict[str, float] = {}
    for c in found:
        if c.scheme == scheme:
            out[c.frame] = out.get(c.frame, 0.0) + c.weight
    return out


def _scheme_figures(
    scheme: str, doc: Document, per_sentence: Sequence[Mapping[str, float]], voices: Sequence[str]
) -> SchemeFrames:
    frames = FRAMES[scheme]
    mass = dict.fromkeys(frames, 0.0)
    sentences_with = dict.fromkeys(frames, 0)
    for here in per_sentence:
        for frame, weight in here.items():
            mass[frame] += weight
            sentences_with[frame] += 1
    total = sum(mass.values())
    n = len(doc.sentences)
    shares = {f: (mass[f] / total if total else 0.0) for f in frames}
    sentence_shares = {f: (sentences_with[f] / n if n else 0.0) for f in frames}
    dominant = _dominant(frames, shares, sentence_shares)
    evidence: tuple[EvidenceSentence, ...] = ()
    if dominant is not None:
        ranked = sorted(
            (i for i, here in enumerate(per_sentence) if dominant in here), key=lambda i: (-per_sentence[i][dominant], i)
        )[:EVIDENCE_SENTENCES]
        evidence = tuple(
            EvidenceSentence(
                doc.sentences[i].start,
                doc.sentences[i].end,
                doc.text[doc.sentences[i].start : doc.sentences[i].end],
                per_sentence[i][dominant],
                voices[i],
            )
            for i in ranked
        )
    return SchemeFrames(frames, mass, shares, sentence_shares, dominant, evidence)


def _model_figures(
    model: Any, texts: Sequence[str], cues: Sequence[Sequence[FrameCue]] | None
) -> tuple[ModelFrames, list[dict[str, float]]]:
    frames = tuple(model.frames)
    probabilities = model.predict_proba(texts, cues=cues)  # one batched call per document
    n = len(texts)
    shares, sentence_shares = dict.fromkeys(frames, 0.0), dict.fromkeys(frames, 0.0)
    if n:
        # One contiguous row per frame: each row's mean is summed exactly as the mean of the
        # probability column was (numpy's pairwise sum over the same values in the same order).
        by_frame = np.ascontiguousarray(probabilities.T)
        shares = dict(zip(frames, by_frame.mean(axis=1).tolist(), strict=True))
        thresholds = np.asarray(model.thresholds)[:, None]
        above = (by_frame >= thresholds).sum(axis=1) / n  # whole counts: exact in any order
        sentence_shares = dict(zip(frames, above.tolist(), strict=True))
    per_sentence = [dict(zip(frames, row, strict=True)) for row in probabilities.tolist()]
    figures = ModelFrames(
        model.describe(), dict(zip(frames, model.thresholds, strict=True)), frames, shares, sentence_shares,
        _dominant(frames, shares, sentence_shares),
    )
    return figures, per_sentence


def article_text(doc: Document) -> str:
    """What an article model reads: the title on the first line when the document has one that
    its text does not begin with, then the text (as ``read_multilabel(title_column=...)``
    builds its training texts)."""
    title = " ".join(str(doc.metadata.get("title") or "").split())
    if not title or doc.text.lstrip().startswith(title):
        return doc.text
    return f"{title}\n\n{doc.text}"


def _article_figures(model: Any, doc: Document) -> ArticleModelFrames:
    frames = tuple(model.frames)
    probabilities = model.predict_proba([article_text(doc)])
    predicted = model.decide(probabilities)[0]
    row = probabilities[0].tolist()
    return ArticleModelFrames(
        model.describe(),
        dict(zip(frames, model.thresholds, strict=True)),
        frames,
        dict(zip(frames, row, strict=True)),
        tuple(f for f, yes in zip(frames, predicted.tolist(), strict=True) if yes),
        frames[int(np.argmax(row))] if frames else None,
    )


def _reusable_cues(resources: Any, model: Any, lexicon: FrameLexicon, cues: list[list[FrameCue]]) -> Any:
    """The cues just found per sentence, for the model's ``FrameFeatures``, when the model was
    trained with a lexicon that finds exactly the same cues; else None, and the model matches.

    The model matches the tokens ``TOKEN_RE`` finds in the sentence's own text; ``cues`` come
    from ``doc.sentence_tokens()``, i.e. ``TOKEN_RE.finditer(doc.text, start, end)``, which are
    the same tokens shifted by the sentence start: ``endpos`` reads the text as if it ended
    there, and the pattern never looks before the position it matches from (no lookbehind, no
    ``^``; each ``\b`` comes after an ``s`` it has read), so nothing outside the sentence changes
    a token. The matcher
    sees only the tokens' text, so the cues equal the model's up to that shift, which
    ``FrameFeatures`` ignores (it uses frame, scheme and weight)."""

    def same_lexicon() -> bool:
        trained = model.lexicon()
        return trained is not None and trained.same_cues(lexicon)

    return cues if resources.memo("frames:same-lexicon", same_lexicon) else None


def analyze(doc: Document, resources: Any, prior: Mapping[str, Any] | None = None) -> FramesResult:
    text = doc.text
    lexicon = frame_lexicon(resources)
    cues = [
        lexicon.find_in_tokens(text, tokens, words)
        for tokens, words in zip(doc.sentence_tokens(), doc.sentence_lookups(), strict=True)
    ]
    voices = doc.sentence_voices()
    spans = tuple(
        FrameSpan(
            c.start, c.end, text[c.start : c.end], c.frame, c.scheme, c.weight,
            "author" if doc.quote_at(c.start) is None else "quoted", c.term,
        )
        for found in cues
        for c in found
    )  # fmt: skip

    model = resources.frames_model()
    model_figures, probabilities = None, [{} for _ in doc.sentences]
    if model is not None:
        texts = [text[s.start : s.end] for s in doc.sentences]
        model_figures, probabilities = _model_figures(model, texts, _reusable_cues(resources, model, lexicon, cues))
    article_model = resources.frames_model("article")
    article_figures = _article_figures(article_model, doc) if article_model is not None else None

    masses = {scheme: [_cue_mass(found, scheme) for found in cues] for scheme in SCHEMES}
    sentences = tuple(
        FrameSentence(span.start, span.end, voice, pfc, generic, probs)
        for span, voice, pfc, generic, probs in zip(
            doc.sentences, voices, masses["pfc"], masses["generic"], probabilities, strict=True
        )
    )
    return FramesResult(
        lexicons=lexicon.versions(),
        spans=spans,
        sentences=sentences,
        pfc=_scheme_figures("pfc", doc, masses["pfc"], voices),
        generic=_scheme_figures("generic", doc, masses["generic"], voices),
        model=model_figures,
        article_model=article_figures,
    )


ANALYZER = register(
    Analyzer(
        name="frames",
        version="2",
        analyze=analyze,
        description="frame cues (Policy Frames Codebook and generic news frames), frame shares, dominant frame",
    )
)

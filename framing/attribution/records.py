"""The attribution analyzer's results: small frozen records that carry their evidence spans."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from framing.lexmatch import LexiconMatch

KINDS = ("direct", "indirect", "according_to", "floating")
VERB_CLASSES = ("neutral", "emphatic", "endorsing", "distancing", "pejorative")


@dataclass(frozen=True, slots=True)
class Attribution:
    kind: str  # direct | indirect | according_to | floating
    speaker: str | None  # canonical name, "anonymous: officials", or None when unresolved
    speaker_start: int | None  # the mention for this attribution
    speaker_end: int | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    content_start: int
    content_end: int
    speaker_type: str
    affiliation: str | None
    verb_class: str | None  # None for according_to and floating
    quotation: bool = False  # content is the inside of a quotation (or one paragraph of it)
    quote_start: int | None = None  # the quotation, marks included
    quote_end: int | None = None
    via: str | None = None  # relaying medium: '... emphasized, TASS reports' -> via "TASS"
    origin: str = "rules"  # which step found it: "rules" or "tagger" (see framing.attribution.combine)
    # a quotation inside a larger reported statement of the same speaker (X called the talks
    # "very constructive"): kept as its own record for its quoted words, counted once, as part of
    # that statement
    inside: bool = False


@dataclass(frozen=True, slots=True)
class UnattributedAssertion:
    start: int
    end: int
    cues: tuple[LexiconMatch, ...]  # the author-voice wording that makes the sentence evaluative


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    speaker_type: str
    affiliation: str | None
    attributions: int


@dataclass(frozen=True)
class AttributionResult:
    attributions: tuple[Attribution, ...]
    unattributed: tuple[UnattributedAssertion, ...]
    speakers: tuple[Speaker, ...]
    author_sentences: int
    quoted_words: int
    note: str = ""

    @property
    def counts(self) -> dict[str, int]:
        kinds = Counter(a.kind for a in self.attributions if not a.inside)  # statements
        return {kind: kinds.get(kind, 0) for kind in KINDS}

    def figures(self) -> dict[str, float | int]:
        counts = self.counts
        statements = [a for a in self.attributions if not a.inside]
        with_class = [a.verb_class for a in statements if a.verb_class]
        classes = Counter(with_class)
        out: dict[str, float | int] = {"attribution_count": len(statements)}
        out.update({f"attribution_{kind}": counts[kind] for kind in KINDS})
        out["quoted_words"] = self.quoted_words
        for cls in VERB_CLASSES:
            out[f"attribution_verb_{cls}_share"] = classes[cls] / len(with_class) if with_class else 0.0
        distancing = classes["distancing"] + classes["pejorative"]
        out["attribution_distancing_share"] = distancing / len(with_class) if with_class else 0.0
        out["unattributed_assertions"] = len(self.unattributed)
        out["unattributed_share"] = len(self.unattributed) / self.author_sentences if self.author_sentences else 0.0
        out["anonymous_attributions"] = sum(a.speaker_type == "anonymous" for a in statements)
        return out



def replace_attribution(attribution: Attribution, **fields: Any) -> Attribution:
    return replace(attribution, **fields)

"""Frame cues: the two frame lexicons compiled into one :class:`~framing.lexmatch.LexiconMatcher`.

The frame slugs of both schemes live here too (``FRAMES``), for every part of the package.

The frame tables (``framing/lexicons/frames_pfc.tsv``, ``frames_generic.tsv``) have the columns
``term, frame, weight, match, note``; one term may cue several frames, one row each (e.g.
"sanctions": economic 0.5 and external_regulation 0.6), in either scheme. ``LexiconMatcher``
keeps one entry per term and match type, so the rows are first grouped by (term, match) across
both schemes, and the matcher's ``category`` of a group is the index of its list of
``(scheme, frame, weight)`` cues. One matcher pass per sentence then finds the cues of both
schemes, and a match yields one :class:`FrameCue` per frame its term cues.

Because both schemes share one leftmost-longest pass, the longest term at a position wins across
schemes too: where a PFC term "trade war" is matched, a generic entry "war" inside it is not
matched separately (it would have to be listed for "trade war" itself). The two lexicons are
one vocabulary of framing cues, each cue counting for every frame it is listed under.

Frame names are checked against the slugs fixed in ``docs/frames.md`` (from the Policy Frames
Codebook and Semetko & Valkenburg); an unknown frame is an error naming the valid ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from framing.lexicons import Table, load_table
from framing.lexmatch import LexiconMatcher, normalise

__all__ = ["FRAMES", "GENERIC_FRAMES", "PFC_FRAMES", "SCHEMES", "FrameCue", "FrameLexicon", "frame_lexicon"]

PFC_FRAMES = (
    "economic", "capacity_resources", "morality", "fairness_equality", "legality", "policy",
    "crime_punishment", "security_defense", "health_safety", "quality_of_life", "cultural_identity",
    "public_opinion", "political", "external_regulation", "other",
)  # fmt: skip
GENERIC_FRAMES = ("conflict", "human_interest", "responsibility", "economic_consequences", "morality")
FRAMES: Mapping[str, tuple[str, ...]] = {"pfc": PFC_FRAMES, "generic": GENERIC_FRAMES}
SCHEMES = tuple(FRAMES)
TABLE_NAMES = {"pfc": "frames_pfc", "generic": "frames_generic"}  # shipped resource names


@dataclass(frozen=True, slots=True)
class FrameCue:
    start: int
    end: int
    term: str
    scheme: str  # "pfc" or "generic"
    frame: str
    weight: float


class FrameLexicon:
    """Frame cues of both schemes, found in one matcher pass (see the module docstring)."""

    __slots__ = ("matcher", "tables", "_groups", "_entries")

    def __init__(self, tables: Mapping[str, Table]) -> None:
        unknown = [s for s in tables if s not in FRAMES]
        if unknown:
            raise ValueError(f"unknown frame scheme {unknown[0]!r}; available: {', '.join(SCHEMES)}")
        groups: dict[tuple[str, str], list[tuple[str, str, float]]] = {}
        terms: dict[tuple[str, str], str] = {}
        for scheme, table in tables.items():
            if "frame" not in table.columns:
                raise ValueError(
                    f"frame lexicon {table.meta.get('name', scheme)!r} has columns {', '.join(table.columns)}; "
                    f"expected term, frame, weight, match"
                )
            valid = FRAMES[scheme]
            for row in table.rows:
                if row["frame"] not in valid:
                    raise ValueError(
                        f"frame lexicon {table.meta.get('name', scheme)!r}, term {row['term']!r}: unknown {scheme} "
                        f"frame {row['frame']!r}; expected one of {', '.join(valid)}"
                    )
                key = (" ".join(normalise(row["term"]).split()), row["match"] or "exact")
                terms.setdefault(key, row["term"])
                cues = groups.setdefault(key, [])
                cues[:] = [c for c in cues if c[:2] != (scheme, row["frame"])]  # a later row overrides
                cues.append((scheme, row["frame"], float(row["weight"])))
        self._groups: tuple[tuple[tuple[str, str, float], ...], ...] = tuple(tuple(c) for c in groups.values())
        self._entries = tuple((terms[key], str(i), 1.0, key[1]) for i, key in enumerate(groups))
        self.matcher = LexiconMatcher(
            self._entries,
            name="+".join(t.meta.get("name", s) for s, t in tables.items()),
            version="+".join(t.meta.get("version", "") for t in tables.values()),
        )
        self.tables = dict(tables)

    @property
    def schemes(self) -> tuple[str, ...]:
        return tuple(self.tables)

    def versions(self) -> dict[str, str]:
        """``{scheme: "name version"}`` of the tables, for reports."""
        return {s: f"{t.meta.get('name', '')} {t.meta.get('version', '')}".strip() for s, t in self.tables.items()}

    def same_cues(self, other: FrameLexicon) -> bool:
        """Whether ``other`` finds exactly the cues this lexicon finds, in any tokens: the same
        matcher entries in the same order, each cueing the same frames with the same weights
        (table names and versions aside)."""
        return self._entries == other._entries and self._groups == other._groups

    def find_in_tokens(self, text: str, tokens: Sequence[Any], words: Sequence[str] | None = None) -> list[FrameCue]:
        """Cues over already computed tokens, in text order (one per frame of each match)."""
        return [
            FrameCue(m.start, m.end, m.term, scheme, frame, weight)
            for m in self.matcher.find_in_tokens(text, tokens, words)
            for scheme, frame, weight in self._groups[int(m.category)]
        ]

    @classmethod
    def shipped(cls, schemes: Sequence[str] = SCHEMES) -> FrameLexicon:
        return cls({s: load_table(TABLE_NAMES[s]) for s in schemes})


def frame_lexicon(resources: Any) -> FrameLexicon:
    """The frame lexicon of ``resources`` (shipped tables + user tables of the same name), built once."""
    return resources.memo(
        "framelex", lambda: FrameLexicon({s: resources.table(TABLE_NAMES[s]) for s in SCHEMES})
    )

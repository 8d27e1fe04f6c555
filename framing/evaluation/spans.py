"""Span matching for attribution scoring, one convention for our extractor, the baselines and
the annotators alike.

A predicted span matches a gold span when it covers more than 30% of the gold span's characters
(a gold role with several fragments runs from its first fragment's start to its last fragment's
end). Pairs are one-to-one, made greedily by the largest overlap first (ties: earlier gold, then
earlier prediction), so a long prediction cannot be counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MIN_COVER = 0.3

Span = tuple[int, int]


@dataclass(frozen=True)
class PRF:
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.true_positives + other.true_positives, self.predicted + other.predicted, self.gold + other.gold)


def outer(fragments: Sequence[Sequence[int]]) -> Span | None:
    """A role's fragments as one span, first start to last end; None for an empty role."""
    if not fragments:
        return None
    return (min(f[0] for f in fragments), max(f[1] for f in fragments))


def covers(predicted: Span, gold: Span, min_cover: float = MIN_COVER) -> int:
    """The overlap in characters when it exceeds ``min_cover`` of the gold span, else 0."""
    overlap = min(predicted[1], gold[1]) - max(predicted[0], gold[0])
    length = gold[1] - gold[0]
    return overlap if length > 0 and overlap > min_cover * length else 0


def match_spans(predicted: Sequence[Span], gold: Sequence[Span], min_cover: float = MIN_COVER) -> list[tuple[int, int]]:
    """One-to-one (predicted index, gold index) pairs, greedy by overlap, sorted by gold index."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            overlap = covers(p, g, min_cover)
            if overlap:
                candidates.append((-overlap, gi, pi))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        pairs.append((pi, gi))
    return sorted(pairs, key=lambda pair: pair[1])


def span_prf(predicted: Sequence[Span], gold: Sequence[Span], min_cover: float = MIN_COVER) -> PRF:
    return PRF(len(match_spans(predicted, gold, min_cover)), len(predicted), len(gold))

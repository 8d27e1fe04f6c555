"""Same event, different outlets: pair articles whose texts share salient content and compare
their frame profiles. Reads results only; never re-analyzes text.

"Same event" is defined from what the results carry, simply and checkably:

* Two articles from **different outlets** are paired when the cosine similarity of their
  TF-IDF vectors is at least ``SIMILARITY_THRESHOLD`` (0.30). Vectors: the article's text with
  the chrome removed before analysis cut out, English stop words dropped, sublinear term
  frequency, IDF learned from the report's own articles (so on a small corpus of one topic,
  names every article shares weigh little). 0.30 was fixed by reading the sample corpus, not
  tuned on labelled pairs: its articles all concern Sino-Russian relations but report different
  events (two of them different Xi–Putin video calls of 2021), and score 0.12–0.23 across
  outlets; a copy of an article with paragraphs dropped scores far above 0.30.
* When both articles carry a full date (``YYYY-MM-DD``) more than ``MAX_DAYS`` (7) apart they
  are not paired: a later story on the same subject is a different event. Partial dates
  (``2021-07``) do not exclude a pair.
* Articles of the same outlet are never shown as a pair (republished copies are common there).
* The all-pairs comparison is quadratic: it runs up to ``MAX_ARTICLES`` (2,000) articles with
  text; above that it is skipped and the report says so.

The pairing is automatic: a shared subject, quotation or press release can pair two articles
about different events, and two reports of one event written in different words can be missed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from framing.report.aggregate import frames_of, outlet_of
from framing.stories import body_text, full_date  # noqa: F401 (part of this module's interface)

SIMILARITY_THRESHOLD = 0.30
MAX_DAYS = 7
MAX_ARTICLES = 2000
TOP_DIFFERENCES = 3


@dataclass(frozen=True)
class FrameDifference:
    frame: str
    share_a: float
    share_b: float

    @property
    def difference(self) -> float:
        """Positive when article b gives the frame a larger share than article a."""
        return self.share_b - self.share_a


@dataclass(frozen=True)
class PairedArticle:
    id: str
    outlet: str
    title: str
    date: str
    dominant: str | None  # the article's dominant frame of the scheme compared


@dataclass(frozen=True)
class EventPair:
    a: PairedArticle
    b: PairedArticle
    similarity: float
    differences: tuple[FrameDifference, ...]  # largest |difference| first; empty without cues


@dataclass(frozen=True)
class EventPairs:
    pairs: tuple[EventPair, ...]
    scheme: str
    threshold: float
    max_days: int
    articles: int  # articles with text that were compared
    skipped: str = ""  # why no comparison was made (too many articles, fewer than two outlets)
    excluded_by_date: int = 0  # cross-outlet pairs above the threshold but dated too far apart
    closest: float | None = None  # highest cross-outlet similarity (whether paired or not)
    closest_ids: tuple[str, ...] = ()  # the two articles of ``closest``


def similarity_matrix(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarities of the texts' TF-IDF vectors (n × n; zeros without vocabulary)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no word left (empty texts or stop words only)
        return np.zeros((len(texts), len(texts)))
    return (vectors @ vectors.T).toarray()  # rows are L2-normalised: the product is the cosine


def frame_differences(a: Mapping[str, Any], b: Mapping[str, Any], scheme: str, top: int) -> tuple[FrameDifference, ...]:
    shares_a = (frames_of(a).get(scheme) or {}).get("shares") or {}
    shares_b = (frames_of(b).get(scheme) or {}).get("shares") or {}
    if not any(shares_a.values()) or not any(shares_b.values()):
        return ()
    frames = list(dict.fromkeys([*shares_a, *shares_b]))
    differences = [FrameDifference(f, float(shares_a.get(f, 0.0)), float(shares_b.get(f, 0.0))) for f in frames]
    ranked = sorted(differences, key=lambda d: (-abs(d.difference), frames.index(d.frame)))
    return tuple(d for d in ranked[:top] if abs(d.difference) > 0)


def _paired(record: Mapping[str, Any], scheme: str) -> PairedArticle:
    metadata = record.get("metadata") or {}
    return PairedArticle(
        str(record.get("id")), outlet_of(record), str(metadata.get("title") or ""), str(metadata.get("date") or ""),
        (frames_of(record).get(scheme) or {}).get("dominant"),
    )


def same_event_pairs(
    results: Iterable[Mapping[str, Any]], *, scheme: str = "pfc", threshold: float = SIMILARITY_THRESHOLD,
    max_days: int = MAX_DAYS, max_articles: int = MAX_ARTICLES, top_differences: int = TOP_DIFFERENCES,
) -> EventPairs:
    """Cross-outlet pairs of articles that share salient content (see the module docstring),
    most similar first, each with the frames whose shares differ most between the two."""
    records = sorted((r for r in results if body_text(r) is not None), key=lambda r: str(r.get("id")))
    settings = {"scheme": scheme, "threshold": threshold, "max_days": max_days, "articles": len(records)}
    if len({outlet_of(r) for r in records}) < 2:
        return EventPairs((), skipped="fewer than two outlets with article text", **settings)
    if len(records) > max_articles:
        return EventPairs((), skipped=f"{len(records):,} articles with text, more than the {max_articles:,} "
                                      "compared pairwise", **settings)
    similarity = similarity_matrix([body_text(r) for r in records])
    outlets = [outlet_of(r) for r in records]
    dates = [full_date((r.get("metadata") or {}).get("date")) for r in records]
    pairs, excluded, closest, closest_ids = [], 0, None, ()
    for i in range(len(records)):
        for j in range(i + 1, len(records)):
            if outlets[i] == outlets[j]:
                continue
            value = float(similarity[i, j])
            if closest is None or value > closest:
                closest, closest_ids = value, (str(records[i].get("id")), str(records[j].get("id")))
            if value < threshold:
                continue
            if dates[i] and dates[j] and abs((dates[i] - dates[j]).days) > max_days:
                excluded += 1
                continue
            pairs.append(EventPair(_paired(records[i], scheme), _paired(records[j], scheme), value,
                                   frame_differences(records[i], records[j], scheme, top_differences)))
    pairs.sort(key=lambda p: (-round(p.similarity, 12), p.a.id, p.b.id))
    return EventPairs(tuple(pairs), excluded_by_date=excluded, closest=closest, closest_ids=closest_ids,
                      **settings)

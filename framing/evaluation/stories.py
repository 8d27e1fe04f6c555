"""Stories beside the plain baseline, on articles whose events were labelled by people.

- **Lim 2020** (Lim et al., LREC 2020): 46 articles from 36 outlets on 4 events; each article is
  rebuilt from its sentences in position order (the released set holds the first 20 sentences
  of each, so these are leads, not whole articles), with its title. The only dates are the
  events' dates (one per event, not the articles' own), so both methods are run **without
  dates**: the figures measure the words alone; a date window could only help.
- **Ukraine** (Färber et al., CIKM 2020; articles chosen by Cremisini et al. 2019): 90 articles
  on the 2014 Ukraine crisis, each labelled with one or more events of the crisis (Euromaidan,
  annexation of Crimea, war in Donbass...). These are *developing stories on one subject*, not
  single events: a hard test of precision between related stories. The set has no outlet, so each
  article counts as its own outlet (every pair is a cross-outlet pair); it has no dates. Articles
  labelled with several events are left out (4 of 90): their gold story is ambiguous.

Protocol. The shipped settings (``framing.stories``: threshold, neighbours, title and lead
weights) were chosen on the Lim set (the development data): the "dev" rows are in-sample. For a
held-out figure on Lim, the events are split in two halves; the threshold is chosen on one half
(grid ``GRID``, best pair F1, ties to the higher threshold) and scored on the other, both ways,
and the pairs of the two test halves are pooled. The Ukraine set was not used to choose anything.

Metrics. Pairs are pairs of articles **from different outlets**: a gold pair is two such articles
with the same gold event, a predicted pair two such articles in the same story; precision,
recall and F1 over pairs. Purity: each story's most common gold event, summed over stories, over
all articles (a story of one article is pure). The baseline is the pairing the report used before
stories (``framing.report.events``: TF-IDF cosine of body texts >= 0.30, pairs only); its purity
is that of the connected components of its pairs.

Texts are read from eval-data at run time and never copied into the repository.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from framing import stories as st
from framing.evaluation.harness import EvalData, Figure

TASK = "stories"
LIM_SENTENCES = "loaded/lim2020-biased-sentences.jsonl"
LIM_ARTICLES = "loaded/lim2020-articles.jsonl"
UKRAINE_SENTENCES = "loaded/ukraine-news-bias.jsonl"
UKRAINE_ARTICLES = "loaded/ukraine-news-bias-articles.jsonl"
GRID = tuple(round(0.05 * i, 2) for i in range(1, 13))  # thresholds tried on a development half
WIKINEWS_LABELS = Path("corpus/annotations/wikinews_stories.csv")  # relative to the project root
WIKINEWS_CORPUS = Path("corpus/open/wikinews-2004-2005.jsonl")
BASELINE_NAME = "events.py pairing (cosine >= 0.30)"


@dataclass(frozen=True)
class LabelledArticle:
    id: str
    outlet: str
    title: str
    text: str
    event: str


def lim_articles(data: EvalData) -> list[LabelledArticle]:
    sentences = defaultdict(list)
    for row in data.jsonl(LIM_SENTENCES):
        sentences[str(row["article"])].append((int(row["position"]), row["text"]))
    return [
        LabelledArticle(str(a["article"]), str(a["outlet"]), str(a.get("title") or ""),
                        " ".join(text for _, text in sorted(sentences[str(a["article"])])), str(a["event"]))
        for a in data.jsonl(LIM_ARTICLES)
    ]


def wikinews_articles(path: Path = WIKINEWS_LABELS, corpus: Path = WIKINEWS_CORPUS) -> list[LabelledArticle]:
    """The in-house hand labels of the open Wikinews 2004-2005 articles (ambiguous ones left out);
    one outlet, so each article counts as its own outlet."""
    if not path.is_file() or not corpus.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        labels = {r["id"]: r for r in csv.DictReader(handle)}
    articles = []
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            label = labels.get(record["id"])
            if label is None or label["ambiguous"] == "1":
                continue
            articles.append(LabelledArticle(record["id"], record["id"], record.get("title") or "", record["text"],
                                            label["story"]))
    return articles


def ukraine_articles(data: EvalData) -> tuple[list[LabelledArticle], int]:
    """The single-event articles, and how many multi-event articles were left out."""
    sentences = defaultdict(list)
    titles: dict[str, str] = {}
    for row in data.jsonl(UKRAINE_SENTENCES):
        if row.get("is_title"):
            titles[str(row["article"])] = row["text"]
        else:
            sentences[str(row["article"])].append((int(row["position"]), row["text"]))
    articles, left_out = [], 0
    for a in data.jsonl(UKRAINE_ARTICLES):
        if ";" in str(a["event"]):
            left_out += 1
            continue
        aid = str(a["article"])
        articles.append(LabelledArticle(aid, aid, titles.get(aid, str(a.get("title") or "")),
                                        " ".join(text for _, text in sorted(sentences[aid])), str(a["event"])))
    return articles, left_out


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    gold_pairs: int

    @classmethod
    def of(cls, gold: set[tuple[int, int]], predicted: set[tuple[int, int]]) -> PairScores:
        hits = len(gold & predicted)
        precision = hits / len(predicted) if predicted else 1.0
        recall = hits / len(gold) if gold else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1, hits, len(predicted), len(gold))


def cross_outlet_pairs(outlets: Sequence[str], groups: Sequence[object]) -> set[tuple[int, int]]:
    """Index pairs (i < j) of articles from different outlets in the same group."""
    members = defaultdict(list)
    for index, group in enumerate(groups):
        members[group].append(index)
    return {(i, j) for group in members.values() for i, j in combinations(sorted(group), 2) if outlets[i] != outlets[j]}


def purity(events: Sequence[str], groups: Sequence[object]) -> float:
    members = defaultdict(list)
    for event, group in zip(events, groups):
        members[group].append(event)
    return sum(Counter(m).most_common(1)[0][1] for m in members.values()) / max(1, len(events))


def story_labels(articles: Sequence[LabelledArticle], threshold: float = st.THRESHOLD, **kwargs: object) -> list[str]:
    index = st.StoryIndex(**{k: v for k, v in kwargs.items() if k in ("title_weight", "lead_weight", "lead_words",
                                                                      "body_words")})
    for a in articles:
        index.add(a.id, a.text, title=a.title, outlet=a.outlet)
    options = {k: v for k, v in kwargs.items() if k in ("neighbours", "mutual")}
    story_of = index.cluster(threshold=threshold, window_days=None, **options).story_of()
    return [story_of[a.id] for a in articles]


def baseline_pairs(articles: Sequence[LabelledArticle]) -> tuple[set[tuple[int, int]], list[int]]:
    """The report's former pairing: cross-outlet pairs at TF-IDF cosine >= 0.30 (no dates here),
    and the connected components of those pairs (for purity)."""
    from framing.report.events import SIMILARITY_THRESHOLD, similarity_matrix

    similarity = similarity_matrix([a.text for a in articles])
    n = len(articles)
    pairs = {(i, j) for i in range(n) for j in range(i + 1, n)
             if articles[i].outlet != articles[j].outlet and similarity[i, j] >= SIMILARITY_THRESHOLD}
    graph = sparse.coo_matrix((np.ones(len(pairs)), ([i for i, _ in pairs], [j for _, j in pairs])), shape=(n, n))
    return pairs, list(connected_components(graph, directed=False)[1])


def scores(articles: Sequence[LabelledArticle], labels: Sequence[object]) -> tuple[PairScores, float]:
    outlets = [a.outlet for a in articles]
    events = [a.event for a in articles]
    return (PairScores.of(cross_outlet_pairs(outlets, events), cross_outlet_pairs(outlets, labels)),
            purity(events, labels))


def choose_threshold(articles: Sequence[LabelledArticle]) -> float:
    """The threshold of ``GRID`` with the best pair F1 on ``articles`` (ties: the higher one)."""
    return max(GRID, key=lambda t: (round(scores(articles, story_labels(articles, t))[0].f1, 9), t))


def held_out(articles: Sequence[LabelledArticle]) -> tuple[PairScores, float, list[float]]:
    """Two halves of the events: choose on one, score on the other, both ways; pairs pooled."""
    events = sorted({a.event for a in articles})
    halves = [events[0::2], events[1::2]]
    gold: set = set()
    predicted: set = set()
    chosen, pure, total = [], 0.0, 0
    for dev, test in ((halves[0], halves[1]), (halves[1], halves[0])):
        threshold = choose_threshold([a for a in articles if a.event in dev])
        chosen.append(threshold)
        part = [a for a in articles if a.event in test]
        labels = story_labels(part, threshold)
        outlets = [a.outlet for a in part]
        gold |= {(part[i].id, part[j].id) for i, j in cross_outlet_pairs(outlets, [a.event for a in part])}
        predicted |= {(part[i].id, part[j].id) for i, j in cross_outlet_pairs(outlets, labels)}
        pure += purity([a.event for a in part], labels) * len(part)
        total += len(part)
    return PairScores.of(gold, predicted), pure / total, chosen


def _rows(task_set: str, articles: Sequence[LabelledArticle], ours: tuple[PairScores, float], note: str
          ) -> Iterator[Figure]:
    base_pairs, base_groups = baseline_pairs(articles)
    outlets, events = [a.outlet for a in articles], [a.event for a in articles]
    base = PairScores.of(cross_outlet_pairs(outlets, events), base_pairs)
    base_purity = purity(events, base_groups)
    pair, pure = ours
    yield Figure(TASK, task_set, "cross-outlet pair F1", pair.f1, ((BASELINE_NAME, base.f1),),
                 note=f"P {pair.precision:.3f} R {pair.recall:.3f} ({pair.true_pairs}/{pair.predicted_pairs} "
                      f"predicted, {pair.gold_pairs} gold); baseline P {base.precision:.3f} R {base.recall:.3f}. {note}")
    yield Figure(TASK, task_set, "cluster purity", pure, ((BASELINE_NAME + " components", base_purity),))


def figures(data: EvalData) -> Iterator[Figure]:
    lim = lim_articles(data) if data.has(LIM_SENTENCES, LIM_ARTICLES) else []
    name = f"Lim 2020 ({len(lim)} articles, {len({a.event for a in lim})} events, no dates)"
    if lim:
        yield from _rows(name + ", dev: shipped settings", lim, scores(lim, story_labels(lim)),
                         f"threshold {st.THRESHOLD} chosen on this set and the in-house one (in-sample)")
    own = wikinews_articles()
    if own:
        yield from _rows(f"in-house Wikinews 2004-05 ({len(own)} articles, hand-labelled stories), dev: shipped "
                         "settings", own, scores(own, story_labels(own)),
                         "each article its own outlet; no dates used; settings chosen on this set and Lim (in-sample)")
    if lim:
        pair, _, chosen = held_out(lim)
        base = _held_out_baseline(lim)
        yield Figure(TASK, name + ", held out: threshold chosen on the other half of the events",
                     "cross-outlet pair F1", pair.f1, ((BASELINE_NAME, base.f1),),
                     note=f"P {pair.precision:.3f} R {pair.recall:.3f}; thresholds chosen "
                          f"{', '.join(f'{t:.2f}' for t in chosen)}; 2 events per half, so a small test")
    if data.has(UKRAINE_SENTENCES, UKRAINE_ARTICLES):
        articles, left_out = ukraine_articles(data)
        n_events = len({a.event for a in articles})
        yield from _rows(
            f"Ukraine ({len(articles)} articles, {n_events} developing stories, no outlets or dates), held out",
            articles, scores(articles, story_labels(articles)),
            f"each article its own outlet; {left_out} multi-event articles left out; related stories on one subject")


def _held_out_baseline(articles: Sequence[LabelledArticle]) -> PairScores:
    """The baseline on the same two test halves (it has nothing to choose)."""
    events = sorted({a.event for a in articles})
    gold: set = set()
    predicted: set = set()
    for half in (events[0::2], events[1::2]):
        part = [a for a in articles if a.event in half]
        pairs, _ = baseline_pairs(part)
        outlets = [a.outlet for a in part]
        gold |= {(part[i].id, part[j].id) for i, j in cross_outlet_pairs(outlets, [a.event for a in part])}
        predicted |= {(part[i].id, part[j].id) for i, j in pairs}
    return PairScores.of(gold, predicted)

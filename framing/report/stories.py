"""Outlets compared within the same story. Reads results only; never re-analyzes text.

An outlet that covers more wars uses more conflict words: its raw average mixes what it covers
with how it covers it. The within-story effect compares each article with the other outlets'
articles **on the same story** (``framing.stories`` groups the articles), so a difference of
topic mix drops out:

* For outlet ``o`` and story ``s`` covered by at least ``min_outlets`` outlets, with the figure
  defined: ``d(o, s) = mean of o's articles in s − mean over the other outlets in s of each
  outlet's mean in s`` (every other outlet weighs the same, however many articles it wrote).
* The outlet's **within-story effect** is the mean of ``d(o, s)`` over its shared stories, with
  a percentile bootstrap interval over those stories (resampled with replacement ``n_boot``
  times; the random generator is seeded from ``seed`` and the outlet name).
* Beside it, the **raw** figures: the outlet's mean over all its articles, and the raw
  difference, that mean minus the mean of the other outlets' means. When every outlet covers
  every story with the same number of articles the two differences are equal; where they part,
  the raw difference owes that much to which stories the outlet covered.

:func:`within_story_effects` is a pure function of a per-article figures table (``id``,
``outlet``, ``story`` and one column per figure); :class:`StoryCollector` gathers what the
report's Stories section shows, one record at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from framing import stories as st
from framing.report import aggregate as agg
from framing.report.evidence import SpanIndex, loaded_sentences

EFFECT_COLUMNS = ("outlet", "figure", "raw_mean", "raw_articles", "raw_difference", "within", "within_low",
                  "within_high", "stories", "story_articles")


def effect_figures(names: Iterable[str]) -> list[str]:
    """The figures compared within stories: the report's headline figures present in ``names``
    (aggregate.HEADLINE_FIGURES), then the Policy Frames Codebook frame shares."""
    names = list(names)
    head = [f for f in agg.HEADLINE_FIGURES if f in names]
    return head + [agg.frame_figure("pfc", f) for f in agg.frames_in(names, "pfc")]


def within_story_effects(table: pd.DataFrame, figures: Sequence[str] | None = None, *, min_outlets: int = 2,
                         n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Per outlet and figure: the raw mean and raw difference, and the within-story effect with
    its bootstrap interval (see the module docstring). ``table`` has ``id``, ``outlet``,
    ``story`` and the figure columns (NaN where a figure is undefined for an article); the
    result has the columns ``EFFECT_COLUMNS``, one row per outlet and figure, outlets sorted by
    name and figures in the order given. The result does not depend on the order of the rows."""
    missing = [c for c in ("id", "outlet", "story") if c not in table.columns]
    if missing:
        raise ValueError(f"the figures table needs columns id, outlet and story; missing: {', '.join(missing)}")
    figures = list(figures) if figures is not None else [c for c in table.columns if c not in ("id", "outlet", "story")]
    absent = [f for f in figures if f not in table.columns]
    if absent:
        raise ValueError(f"unknown figure(s) {', '.join(absent)}; the table has: "
                         f"{', '.join(c for c in table.columns if c not in ('id', 'outlet', 'story'))}")
    if table.empty or not figures:
        return pd.DataFrame(columns=list(EFFECT_COLUMNS))
    # Only the keys are copied whole; the figures are read in (outlet, story, id) order.
    data = table[["id", "outlet", "story"]].reset_index(drop=True)
    data["outlet"] = data["outlet"].astype(str)
    data["story"] = data["story"].astype(str)
    order = data.sort_values(["outlet", "story", "id"], kind="mergesort").index.to_numpy()
    data = data[["outlet", "story"]].take(order)
    values = np.empty((len(order), len(figures)), dtype=float, order="F")  # one figure (column) at a time
    for j, figure in enumerate(figures):
        values[:, j] = pd.to_numeric(table[figure], errors="coerce").to_numpy(dtype=float, na_value=np.nan)[order]
    values = pd.DataFrame(values, columns=figures, index=data.index, copy=False)

    raw = values.groupby(data["outlet"]).mean()  # NaN left out of each mean
    raw_counts = values.notna().groupby(data["outlet"]).sum()
    raw_sum, raw_n = raw.sum(), raw.notna().sum()
    raw_difference = raw - (raw_sum - raw.fillna(0.0)) / (raw_n - raw.notna().astype(int)).where(lambda n: n > 0)

    # The (story, outlet) cells, for stories with enough outlets, a chunk of stories at a time
    # (a cell's mean and its story's other outlets depend on that story's articles only): each
    # outlet keeps its differences, story by story, and its articles in the stories.
    outlets_per_story = data.groupby("story")["outlet"].nunique()
    shared = outlets_per_story.index[outlets_per_story >= min_outlets]
    story_code = shared.get_indexer(data["story"])  # -1: story not shared
    by_story = np.argsort(story_code, kind="stable")[int(np.count_nonzero(story_code < 0)):]
    ends = np.cumsum(np.bincount(story_code[by_story], minlength=len(shared)))
    cuts = [0, *np.unique(np.searchsorted(ends, np.arange(EFFECT_CHUNK_ROWS, len(by_story), EFFECT_CHUNK_ROWS))),
            len(shared)]
    mine_parts: dict[str, list[np.ndarray]] = {}
    mine_articles: dict[str, list[pd.Series]] = {}
    for first, last in zip(cuts, cuts[1:]):
        if first >= last:
            continue
        rows = np.sort(by_story[(ends[first - 1] if first else 0):ends[last - 1]])
        part = values.iloc[rows]
        keys = [data["story"].iloc[rows], data["outlet"].iloc[rows]]
        cell = part.groupby(keys).mean()
        cell_articles = part.notna().groupby(keys).sum()
        del part, keys
        stories = cell.index.get_level_values(0)
        others = (cell.groupby(stories).transform("sum") - cell.fillna(0.0)) \
            / (cell.notna().groupby(stories).transform("sum") - cell.notna().astype(int)).where(lambda n: n > 0)
        difference = cell - others  # NaN where the outlet or every other outlet lacks the figure
        del cell, others, stories
        cell_outlets = difference.index.get_level_values(1)
        for outlet in cell_outlets.unique():
            at = cell_outlets == outlet
            mine = difference[at]
            mine_parts.setdefault(outlet, []).append(mine.to_numpy(dtype=float))
            mine_articles.setdefault(outlet, []).append(
                cell_articles[at].where(mine.notna(), 0).sum())
        del difference, cell_articles, cell_outlets
    del data, values

    rows = []
    for outlet in sorted(raw.index):
        mine = None
        if outlet in mine_parts:  # the outlet's differences, story by story (as the stories sort)
            mine = pd.DataFrame(np.asfortranarray(np.concatenate(mine_parts.pop(outlet))), columns=figures)
        if mine is not None and not mine.empty:
            rng = np.random.default_rng(agg.outlet_seed(seed, outlet))
            low, high = agg.bootstrap_interval(mine.to_numpy(dtype=float), n_boot=n_boot, rng=rng)
            defined = mine.notna()
            parts = mine_articles.pop(outlet)
            articles = parts[0]
            for more in parts[1:]:  # whole numbers: the sum does not depend on the chunks
                articles = articles + more
        for j, figure in enumerate(figures):
            row = {"outlet": outlet, "figure": figure, "raw_mean": raw.loc[outlet, figure],
                   "raw_articles": int(raw_counts.loc[outlet, figure]),
                   "raw_difference": raw_difference.loc[outlet, figure],
                   "within": np.nan, "within_low": np.nan, "within_high": np.nan, "stories": 0, "story_articles": 0}
            if mine is not None and not mine.empty and defined[figure].any():
                row.update(within=float(mine[figure].mean()), within_low=low[j], within_high=high[j],
                           stories=int(defined[figure].sum()), story_articles=int(articles[figure]))
            rows.append(row)
    return pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))


EFFECT_CHUNK_ROWS = 4096  # articles whose (story, outlet) cells are computed at once (stories are not split)


# --------------------------------------------------------------------------- the report's section


@dataclass
class StoryArticle:
    """What the Stories section shows of one article: a few fields, headline figures and its
    most loaded sentence (text and the loaded spans inside it, offsets relative to the sentence)."""

    id: str
    outlet: str
    title: str
    date: str
    figures: dict[str, float]
    sentence: str = ""
    sentence_spans: list[dict[str, Any]] = field(default_factory=list)
    sentence_basis: str = ""
    sentence_score: float = float("nan")
    dominant_frame: str | None = None


def story_article(record: Mapping[str, Any]) -> StoryArticle:
    """What the Stories section shows of one scores record."""
    metadata = record.get("metadata") or {}
    # Only the figures a story's column shows.
    figures = {k: float(v) for k, v in agg.record_figures(record).items()
               if k in ARTICLE_FIGURES and isinstance(v, (int, float)) and not isinstance(v, bool)}
    article = StoryArticle(str(record.get("id")), agg.outlet_of(record), str(metadata.get("title") or ""),
                           str(metadata.get("date") or ""), figures,
                           dominant_frame=(agg.frames_of(record).get("pfc") or {}).get("dominant"))
    basis, ranked = loaded_sentences(record)
    if ranked:
        best = max(ranked, key=lambda s: (s["score"], -s["start"]))
        if best["score"] > 0:
            start, end = int(best["start"]), int(best["end"])
            article.sentence = record["text"][start:end]
            article.sentence_spans = [{**s, "start": s["start"] - start, "end": s["end"] - start}
                                      for s in SpanIndex(agg.loaded_spans_of(record)).within(start, end)]
            article.sentence_basis, article.sentence_score = basis, float(best["score"])
    return article


class StoryCollector:
    """Collects, one record at a time, what the Stories section needs (word counts for the
    clustering, and what it shows of the articles), without keeping the records.
    :meth:`stories` clusters; :meth:`effects` measures the within-story effects.

    With ``fetch`` (a function giving the records again from their locators, as
    ``inputs.Records.fetch``), :meth:`add` takes each record's locator and keeps only that: the
    section reads back the articles of the stories it shows (``MAX_STORIES``) at the end, so
    memory per article is the story index's (a few hundred bytes). Without it, what the section
    shows of every article is kept (``articles``)."""

    def __init__(self, fetch: Callable[[Sequence[Any]], Sequence[Mapping[str, Any]]] | None = None,
                 **index_options: Any) -> None:
        self.index = st.StoryIndex(**index_options)
        self.articles: dict[str, StoryArticle] = {}  # without fetch
        self._fetch = fetch
        self._locators: list[Any] = []  # with fetch: in the index's order
        self._stories: st.Stories | None = None

    def add(self, record: Mapping[str, Any], locator: Any = None) -> None:
        if not isinstance(record.get("text"), str) or str(record.get("id")) in self.index:
            return
        if self._fetch is not None and locator is None:
            raise ValueError("a StoryCollector with fetch needs each record's locator")
        self.index.add_record(record)
        if self._fetch is not None:
            self._locators.append(locator)
        else:
            article = story_article(record)
            self.articles[article.id] = article
        self._stories = None

    def shown_articles(self) -> dict[str, StoryArticle]:
        """The articles of the stories the section shows, by id: in full those shown (each
        outlet's first in each story, as ``shared_stories`` picks them), the others with the
        index's fields only (they are only counted). Without fetch: every article, in full."""
        if self._fetch is None:
            return self.articles
        index = self.index
        wanted = [ids.split("; ") for ids in most_shared(self.stories())["article_ids"]]
        position = {aid: None for ids in wanted for aid in ids}
        for i, aid in enumerate(index.ids):
            if aid in position:
                position[aid] = i
        articles = {aid: StoryArticle(aid, index.outlets[i], index.titles[i], index.dates[i], {})
                    for aid, i in position.items()}
        shown: dict[int, None] = {}
        for ids in wanted:
            first: dict[str, int] = {}
            for aid in ids:
                first.setdefault(articles[aid].outlet, position[aid])
            shown.update((first[outlet], None) for outlet in sorted(first)[:MAX_STORY_OUTLETS])
        locators = [self._locators[i] for i in sorted(shown)]
        for start in range(0, len(locators), FETCH_BATCH):  # a few whole records in memory at a time
            for record in self._fetch(locators[start:start + FETCH_BATCH]):
                article = story_article(record)
                articles[article.id] = article
        return articles

    def stories(self, **cluster_options: Any) -> st.Stories:
        if self._stories is None or cluster_options:
            self._stories = self.index.cluster(**cluster_options)
        return self._stories

    def effects(self, articles: pd.DataFrame, *, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
        """Within-story effects of the report's figures (``articles``: the report's article table)."""
        story = articles["id"].map(self.stories().story_of())
        known = story.notna()
        return within_story_effects(articles[known].assign(story=story[known]), effect_figures(articles.columns),
                                    n_boot=n_boot, seed=seed)

    def section(self, articles: pd.DataFrame, *, n_boot: int = 2000, seed: int = 0) -> StorySection:
        """The Stories section of the report (``articles``: the report's article table)."""
        effects = self.effects(articles, n_boot=n_boot, seed=seed)
        present = list(dict.fromkeys(effects["figure"])) if not effects.empty else []
        shown = [f for f in SHOWN_EFFECTS if f in present]
        frames = [f for f in present if agg.is_frame_figure(f)]
        if frames:
            shared = effects[effects["figure"].isin(frames) & (effects["stories"] > 0)]
            order = shared.groupby("figure")["raw_mean"].mean().sort_values(ascending=False, kind="mergesort")
            shown += list(order.index[:SHOWN_FRAMES])
        return StorySection(self.stories(), effects, self.shown_articles(), shown)


# Figures shown in the report's effects table (all of ``effect_figures`` go to story_effects.csv).
SHOWN_EFFECTS = ("loaded_score", "loaded_sentences_author_share", "attribution_distancing_share",
                 "sources_official_share", "sources_anonymous_share", "sources_state_media_share")
SHOWN_FRAMES = 2  # plus the PFC frames with the largest mean share over the shared stories
MAX_STORIES = 20  # stories shown side by side (most outlets first)
MAX_STORY_OUTLETS = 6  # outlets shown per story
MAX_EFFECT_OUTLETS = 25  # outlets in the effects table (most shared stories first)
ARTICLE_FIGURES = ("loaded_score", "attribution_distancing_share", "sources_official_share")
FETCH_BATCH = 16  # records read back at once for the stories shown


@dataclass
class StorySection:
    """What the report's Stories section shows, computed once."""

    stories: st.Stories
    effects: pd.DataFrame
    articles: dict[str, StoryArticle]  # at least those of the stories shown (``most_shared``)
    shown: list[str]  # figures of the effects table


def story_section(records: Iterable[Mapping[str, Any]], articles: pd.DataFrame, *, n_boot: int = 2000,
                  seed: int = 0) -> StorySection:
    collector = StoryCollector()
    for record in records:
        collector.add(record)
    return collector.section(articles, n_boot=n_boot, seed=seed)


def most_shared(stories: st.Stories, limit: int = MAX_STORIES) -> pd.DataFrame:
    """The ``limit`` stories covered by most outlets (then most articles; then by name)."""
    return stories.shared(2).sort_values(["n_outlets", "n_articles", "story"], ascending=[False, False, True],
                                         kind="mergesort").head(limit)


def _signed(value: float) -> str:
    return "n/a" if value is None or np.isnan(value) else f"{value:+.2f}"


def effect_cells(section: StorySection) -> list[dict[str, Any]]:
    """Rows of the effects table: outlets with shared stories (most first), a cell per shown figure."""
    effects = section.effects
    if effects.empty:
        return []
    table = effects.set_index(["outlet", "figure"])
    reach = effects.groupby("outlet")["stories"].max()
    outlets = [o for o in sorted(reach.index, key=lambda o: (-int(reach[o]), o)) if reach[o] > 0]
    rows = []
    for outlet in outlets[:MAX_EFFECT_OUTLETS]:
        cells = []
        for figure in section.shown:
            r = table.loc[(outlet, figure)]
            # As for the outlet table: no interval printed from fewer than MIN_INTERVAL_N stories (k shown).
            interval = "" if np.isnan(r["within_low"]) or int(r["stories"]) < agg.MIN_INTERVAL_N else \
                f"[{_signed(r['within_low'])}, {_signed(r['within_high'])}]"
            cells.append({"within": _signed(r["within"]), "interval": interval, "stories": int(r["stories"]),
                          "raw": _signed(r["raw_difference"]),
                          "mean": "n/a" if np.isnan(r["raw_mean"]) else f"{r['raw_mean']:.2f}"})
        rows.append({"outlet": outlet, "stories": int(reach[outlet]), "cells": cells})
    return rows


def shared_stories(section: StorySection, limit: int = MAX_STORIES) -> list[dict[str, Any]]:
    """The stories covered by most outlets, each with one article per outlet (its first)."""
    shown = []
    for _, story in most_shared(section.stories, limit).iterrows():
        by_outlet: dict[str, list[StoryArticle]] = {}
        for aid in story["article_ids"].split("; "):
            article = section.articles.get(aid)
            if article is not None:
                by_outlet.setdefault(article.outlet, []).append(article)
        columns = []
        for outlet in sorted(by_outlet)[:MAX_STORY_OUTLETS]:
            first = by_outlet[outlet][0]
            columns.append({"outlet": outlet, "article": first, "more": len(by_outlet[outlet]) - 1,
                            "figures": [(f, first.figures.get(f, float("nan"))) for f in ARTICLE_FIGURES]})
        shown.append({"story": story["story"], "top_terms": story["top_terms"], "first_date": story["first_date"],
                      "last_date": story["last_date"], "n_outlets": int(story["n_outlets"]),
                      "n_articles": int(story["n_articles"]), "columns": columns,
                      "more_outlets": max(0, len(by_outlet) - MAX_STORY_OUTLETS)})
    return shown

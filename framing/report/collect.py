"""Everything the report shows, from one pass over the scored records. Reads results only;
never re-analyzes text.

Nothing holds the records: each one read is added to the article table on disk
(``FigureTable``), the pooled counts (``Breakdowns``), the evidence heaps (``OutletEvidence``,
``FrameEvidence``), the story index (``stories.StoryCollector``: each article's word counts, on
disk, a few fields and its locator) and the provenance, then dropped. The articles shown in
full, and those of the stories shown, are chosen by locator and read again from the source at
the end. Memory therefore depends on the number of outlets, the largest outlet (its figures,
for the bootstrap) and the report's own limits — and, for the stories, on the number of articles
(a few hundred bytes each, and the clustering's sparse vectors).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from framing.report import stories as rs
from framing.report.aggregate import (
    FRAME_SCHEMES,
    Breakdowns,
    FigureTable,
    FrameTable,
    article_row,
    frame_table,
    outlet_figures,
    outlet_of,
    outlet_table,
    standardized,
)
from framing.report.evidence import FrameEvidence, OutletEvidence, TopK
from framing.report.inputs import records_of

NOT_ANALYZERS = {"metadata", "cleaning", "segments", "figures"}


@dataclass
class Collected:
    """The aggregates of one report. ``table`` (the article table on disk) stays open until
    ``close()``; ``articles`` gives it as a DataFrame."""

    n_articles: int
    table: FigureTable
    outlets: pd.DataFrame
    z: pd.DataFrame
    speaker_types: pd.DataFrame
    affiliations: pd.DataFrame
    verb_classes: pd.DataFrame
    loaded_categories: pd.DataFrame
    evidence: dict[str, dict[str, Any]]
    analyzers: list[str]
    provenance: list[dict[str, str]]
    frames: dict[str, FrameTable]
    frame_evidence: dict[str, dict[str, Any]]
    story_section: rs.StorySection | None
    appendix: list[dict[str, Any]]  # the records shown in full, in the order shown
    appendix_figures: dict[str, dict[str, float]]  # their figures, by id

    @property
    def articles(self) -> pd.DataFrame:
        """The article table (``article_table`` of the same records)."""
        return self.table.frame()

    def close(self) -> None:
        self.table.close()


class Provenance:
    """Lexicons and models named in the results (any ``lexicon``/``lexicons``/``model`` entry)."""

    def __init__(self) -> None:
        self.seen: dict[tuple, dict[str, str]] = {}

    def add(self, record: Mapping[str, Any]) -> None:
        for analyzer, value in record.items():
            if not isinstance(value, Mapping) or analyzer in NOT_ANALYZERS:
                continue
            for key in ("lexicon", "lexicons", "model", "models", "article_model"):
                for item in _entries(value.get(key)):
                    if isinstance(item, Mapping):
                        info = {k: str(item.get(k) or "") for k in ("name", "version", "source", "license")}
                        if any(info.values()):
                            self.seen.setdefault((analyzer, tuple(sorted(info.items()))), {"analyzer": analyzer, **info})
                    elif isinstance(item, str) and item:
                        self.seen.setdefault((analyzer, item), {"analyzer": analyzer, "name": item, "version": "",
                                                                "source": "", "license": ""})

    def result(self) -> list[dict[str, str]]:
        return list(self.seen.values())


def _entries(entry: Any) -> list[Any]:
    """A provenance entry as a list: a list as is; a model's figures (named by their ``model``
    field), a mapping of name -> info, or one info."""
    if isinstance(entry, list):
        return entry
    if isinstance(entry, Mapping) and isinstance(entry.get("model"), str):
        return [entry["model"]]  # e.g. frames.model: the model's description plus its figures
    if isinstance(entry, Mapping) and not ("name" in entry or "version" in entry):
        return list(entry.values())
    return [entry]


def round_robin(queues: Iterable[Sequence[Any]], limit: int) -> list[Any]:
    """Up to ``limit`` items taken in turn from each queue (first queue first), so every queue
    gives one before any gives a second."""
    queues = [q for q in queues if q]
    chosen: list[Any] = []
    depth = 0
    while len(chosen) < limit and any(depth < len(q) for q in queues):
        for queue in queues:
            if depth < len(queue) and len(chosen) < limit:
                chosen.append(queue[depth])
        depth += 1
    return chosen


def collect(source: Any, *, n_boot: int = 2000, seed: int = 0, max_appendix: int = 50) -> Collected:
    """Read ``source`` (a path, paths, ``Records`` or records: see ``inputs.records_of``) once
    and aggregate it. The articles shown in full are ``max_appendix`` articles taken in turn
    from each outlet (most articles first), each outlet's in id order."""
    records = records_of(source)
    table = FigureTable()
    try:
        return _collect(records, table, n_boot=n_boot, seed=seed, max_appendix=max_appendix)
    except BaseException:
        table.close()
        raise


def _collect(records: Any, table: FigureTable, *, n_boot: int, seed: int, max_appendix: int) -> Collected:
    breakdowns, evidence, frame_ev = Breakdowns(), OutletEvidence(), FrameEvidence("pfc")
    stories, provenance = rs.StoryCollector(fetch=records.fetch), Provenance()
    analyzers: set[str] = set()
    candidates: dict[str, TopK] = {}  # per outlet: locators of its first articles by (id, input order)
    for seq, (locator, record) in enumerate(records.scan()):
        table.add(article_row(record))
        breakdowns.add(record)
        evidence.add(record, seq)
        frame_ev.add(record, seq)
        stories.add(record, locator)
        provenance.add(record)
        analyzers.update(k for k, v in record.items() if isinstance(v, Mapping))
        top = candidates.get(outlet_of(record))
        if top is None:
            top = candidates[outlet_of(record)] = TopK(max_appendix)
        key = (str(record.get("id")), seq)
        if top.wants(key):
            top.add(key, locator)
    table.finish()
    outlets = outlet_table(table, n_boot=n_boot, seed=seed)
    frames = {s: frame_table(outlets, table, s) for s in FRAME_SCHEMES}
    chosen = round_robin((candidates[o].result() for o in outlets.index if o in candidates), max_appendix)
    del candidates
    # The steps that need most memory one after the other, each before what the next holds: the
    # clustering (its vectors) before the figures table of the within-story effects, and both
    # before the articles shown in full are read back.
    stories.stories()
    story_section = stories.section(table.frame(["id", "outlet", *rs.effect_figures(table.figures)]),
                                    n_boot=n_boot, seed=seed)
    del stories
    appendix = records.fetch(chosen)
    return Collected(
        n_articles=table.count, table=table, outlets=outlets, z=standardized(outlets, outlet_figures(outlets)),
        speaker_types=breakdowns.speaker_shares("speaker_type"), affiliations=breakdowns.speaker_shares("affiliation"),
        verb_classes=breakdowns.verb_class_shares(), loaded_categories=breakdowns.loaded_category_rates(),
        evidence=evidence.result(), analyzers=sorted(analyzers - NOT_ANALYZERS), provenance=provenance.result(),
        frames=frames, frame_evidence=frame_ev.result(frames["pfc"]) if not frames["pfc"].empty else {},
        story_section=story_section,
        appendix=appendix, appendix_figures=table.figures_of(str(r.get("id")) for r in appendix),
    )

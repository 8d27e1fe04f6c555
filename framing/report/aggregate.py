"""Per-outlet aggregation of scored articles (pandas). Reads results only; never re-analyzes text.

Decisions (also printed in the report's methods section):

* The unit of analysis is the article. An outlet's figure is the **mean of its articles'
  figures**, so a short article weighs as much as a long one. Article figures that depend on
  length are already normalised by the analyzers (per 1,000 words, shares of sentences or of
  attributions); counts (e.g. ``sources_distinct``) are averaged per article as they are.
  An article where a figure is undefined (e.g. a share of attributions in an article without
  attributions) is left out of that figure's mean.
* The interval is a percentile bootstrap over articles: the outlet's articles are resampled
  with replacement ``n_boot`` times and the 2.5th and 97.5th percentiles of the resampled means
  are reported. Outlets with one article get no interval (NaN, marked ``n=1``).
* Breakdowns (speaker types, affiliations, verb classes, loaded categories) are **pooled**
  counts over the outlet's articles: shares of all its attributions, and loaded matches per
  1,000 words of all its articles (total matches / total words).
* Every result is independent of the order of the articles: articles are sorted by
  (outlet, id) and each outlet's random generator is seeded from ``seed`` and the outlet name.
* Frame shares (``frames_<scheme>_<frame>_share``) are shares of an article's frame-cue weight;
  in an article without any cue of a scheme they are undefined (0/0, written as 0 by the
  analyzer) and left out of the outlet's means, so an outlet's shares sum to 1 like an article's.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from framing.frames.lexicon import FRAMES

FRAME_SCHEMES = ("pfc", "generic")
UNKNOWN_OUTLET = "unknown"
# Columns of the article table that are not figures.
ID_COLUMNS = ("id", "outlet", "title", "date", "words")
NOT_FIGURES = {"id", "text_length", "words", "diagnostics", "schema_version"}

# Figures shown first (when present) in the overview table and heatmap; the rest follow.
HEADLINE_FIGURES = (
    "loaded_score",
    "loaded_per_1000_author",
    "loaded_per_1000_quoted",
    "loaded_sentences_author_share",
    "vader_author_mean_abs_compound",
    "sources_distinct",
    "sources_entropy",
    "sources_official_share",
    "sources_state_media_share",
    "sources_anonymous_share",
    "attribution_distancing_share",
    "unattributed_share",
    "sources_top_share",
    "vader_quoted_mean_abs_compound",
)


# --------------------------------------------------------------------------- loading


def iter_results(source: str | os.PathLike | Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """Records one at a time from a scores JSONL path (blank lines skipped) or an iterable."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, encoding="utf-8") as handle:
            for lineno, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise ValueError(f"{source}:{lineno}: not a JSON record ({error.msg})") from None
                if not isinstance(record, dict) or "id" not in record:
                    raise ValueError(f"{source}:{lineno}: not a framing scores record (no 'id')")
                yield record
        return
    for record in source:
        yield dict(record.to_dict()) if hasattr(record, "to_dict") else dict(record)


def load_results(source: str | os.PathLike | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """All records of a scores JSONL file (read line by line) or of an iterable of records/results."""
    return list(iter_results(source))


def is_scores_file(path: str | os.PathLike) -> bool:
    """True for a JSONL file whose first record has ``schema_version`` (framing scores)."""
    if not str(path).endswith(".jsonl") or not os.path.isfile(path):
        return False
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    first = json.loads(line)
                except json.JSONDecodeError:
                    return False
                return isinstance(first, dict) and "schema_version" in first
    return False


def outlet_of(record: Mapping[str, Any]) -> str:
    outlet = (record.get("metadata") or {}).get("outlet")
    return str(outlet).strip() if outlet not in (None, "") and str(outlet).strip() else UNKNOWN_OUTLET


def record_figures(record: Mapping[str, Any]) -> dict[str, Any]:
    """The flat figures of one record: its ``figures`` (written since schema 1 records carry
    them), else each analyzer object's own ``figures``, else what sentiment's JSON gives."""
    if isinstance(record.get("figures"), Mapping):
        return dict(record["figures"])
    row: dict[str, Any] = {}
    for value in record.values():
        if isinstance(value, Mapping) and isinstance(value.get("figures"), Mapping):
            row.update(value["figures"])
    sentiment = record.get("sentiment")
    if isinstance(sentiment, Mapping):
        for key, part in (("vader", "overall"), ("vader_author", "author"), ("vader_quoted", "quoted")):
            figures = sentiment.get(part) or {}
            if "mean_abs_compound" in figures:
                row.setdefault(f"{key}_mean_abs_compound", figures["mean_abs_compound"])
        if "strong_share" in (sentiment.get("overall") or {}):
            row.setdefault("vader_strong_share", sentiment["overall"]["strong_share"])
    return row


# --------------------------------------------------------------------------- tables


def article_table(results: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per article: id, outlet, title, date, words, then every numeric figure."""
    rows = []
    for record in results:
        metadata = record.get("metadata") or {}
        row: dict[str, Any] = {
            "id": str(record.get("id")),
            "outlet": outlet_of(record),
            "title": str(metadata.get("title") or ""),
            "date": str(metadata.get("date") or ""),
            "words": record.get("words"),
        }
        for key, value in record_figures(record).items():
            if key in NOT_FIGURES or key in row:
                continue
            if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
                row[key] = np.nan if value is None else float(value)
        _undefined_frame_shares(row)
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(ID_COLUMNS) if not rows else None)
    if rows:
        figure_columns = order_figures(c for c in table.columns if c not in ID_COLUMNS)
        table = table[list(ID_COLUMNS) + figure_columns]
        table["words"] = pd.to_numeric(table["words"], errors="coerce")
        table = table.sort_values(["outlet", "id"], kind="mergesort").reset_index(drop=True)
    return table


def frame_figure(scheme: str, frame: str) -> str:
    return f"frames_{scheme}_{frame}_share"


def is_frame_figure(name: str) -> bool:
    """The frames analyzer's figures, shown in the report's own frames section."""
    return name.startswith("frames_")


def frames_in(names: Iterable[str], scheme: str) -> list[str]:
    """The frames of ``scheme`` with a share figure among ``names``, in codebook order."""
    pattern = re.compile(rf"frames_{re.escape(scheme)}_(.+)_share")
    found = [m.group(1) for m in map(pattern.fullmatch, names) if m]
    order = FRAMES.get(scheme, ())
    return sorted(found, key=lambda f: (order.index(f) if f in order else len(order), f))


def _undefined_frame_shares(row: dict[str, Any]) -> None:
    """Frame shares of a scheme with no cue in the article are 0/0: NaN, not 0."""
    for scheme in FRAME_SCHEMES:
        columns = [frame_figure(scheme, f) for f in frames_in(row, scheme)]
        if columns and all(row[c] == 0.0 for c in columns):
            for column in columns:
                row[column] = np.nan


def order_figures(names: Iterable[str]) -> list[str]:
    names = list(dict.fromkeys(names))
    head = [f for f in HEADLINE_FIGURES if f in names]
    return head + sorted(n for n in names if n not in head)


def headline_figures(names: Iterable[str], limit: int = len(HEADLINE_FIGURES)) -> list[str]:
    """The headline figures present (for the overview table and heatmap); when none of them
    is present (an unknown analyzer), the first ``limit`` figures."""
    names = list(names)
    head = [f for f in HEADLINE_FIGURES if f in names]
    return (head or names)[:limit]


def figure_columns(articles: pd.DataFrame) -> list[str]:
    return [c for c in articles.columns if c not in ID_COLUMNS]


def outlet_seed(seed: int, outlet: str) -> int:
    """A per-outlet seed: deterministic, and one outlet's draws do not depend on the others."""
    return (int(seed) * 1_000_003 + zlib.crc32(outlet.encode("utf-8"))) % (2**32)


def bootstrap_interval(
    values: np.ndarray, *, n_boot: int = 2000, rng: np.random.Generator, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap of the mean over rows (articles) of ``values`` (n × figures).

    NaN (an undefined figure in an article) is left out of each resample's mean; a figure with
    fewer than two defined articles gets no interval.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    n, width = values.shape
    low = np.full(width, np.nan)
    high = np.full(width, np.nan)
    if n < 2:
        return low, high
    index = rng.integers(0, n, size=(n_boot, n))
    samples = values[index]  # n_boot × n × figures
    defined = ~np.isnan(samples)
    counts = defined.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(defined, samples, 0.0).sum(axis=1) / counts
    alpha = (1.0 - level) / 2.0
    for j in range(width):
        if np.count_nonzero(~np.isnan(values[:, j])) < 2:
            continue
        column = means[:, j]
        column = column[~np.isnan(column)]
        low[j], high[j] = np.percentile(column, [100 * alpha, 100 * (1 - alpha)])
    return low, high


def outlet_table(articles: pd.DataFrame, *, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Outlets × figures: ``n`` articles, ``words`` in total, and per figure ``<f>`` (mean of
    the articles), ``<f>__low`` / ``<f>__high`` (bootstrap 95% interval, NaN when n = 1).

    Rows are sorted by article count (descending) then outlet name; index is the outlet.
    """
    figures = figure_columns(articles)
    columns = ["n", "words"] + [c for f in figures for c in (f, f"{f}__low", f"{f}__high")]
    if articles.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="outlet"))
    ordered = articles.sort_values(["outlet", "id"], kind="mergesort")
    rows = {}
    for outlet, group in ordered.groupby("outlet", sort=True):
        values = group[figures].to_numpy(dtype=float)
        rng = np.random.default_rng(outlet_seed(seed, str(outlet)))
        low, high = bootstrap_interval(values, n_boot=n_boot, rng=rng)
        with np.errstate(invalid="ignore"):
            means = [_nanmean(values[:, j]) for j in range(len(figures))]
        row: dict[str, Any] = {"n": len(group), "words": float(np.nansum(group["words"].to_numpy(dtype=float)))}
        for j, figure in enumerate(figures):
            row[figure] = means[j]
            row[f"{figure}__low"] = low[j]
            row[f"{figure}__high"] = high[j]
        rows[outlet] = row
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    table.index.name = "outlet"
    table["n"] = table["n"].astype(int)
    return sort_outlets(table)


def _nanmean(column: np.ndarray) -> float:
    defined = column[~np.isnan(column)]
    return float(defined.mean()) if defined.size else float("nan")


def sort_outlets(table: pd.DataFrame) -> pd.DataFrame:
    order = sorted(range(len(table)), key=lambda i: (-int(table["n"].iloc[i]), str(table.index[i])))
    return table.iloc[order]


def outlet_figures(outlets: pd.DataFrame) -> list[str]:
    """The figure names of an outlet table (without the interval columns)."""
    return [c for c in outlets.columns if c not in ("n", "words") and "__" not in c]


def standardized(outlets: pd.DataFrame, figures: list[str] | None = None) -> pd.DataFrame:
    """z-scores across outlets of each figure's outlet mean (for the heatmap).

    A figure that is the same for every outlet (or defined for fewer than two) gets 0 where
    defined: it does not separate the outlets.
    """
    figures = figures if figures is not None else outlet_figures(outlets)
    means = outlets[figures].astype(float)
    centred = means - means.mean(axis=0, skipna=True)
    spread = means.std(axis=0, ddof=0, skipna=True)
    z = centred / spread.where(spread > 0)
    constant = spread.isna() | (spread == 0)
    for figure in means.columns[constant.to_numpy()]:
        z[figure] = np.where(means[figure].isna(), np.nan, 0.0)
    return z


# --------------------------------------------------------------------------- breakdowns


def _records_by_outlet(results: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for record in results:
        grouped[outlet_of(record)].append(record)
    return {k: sorted(v, key=lambda r: str(r.get("id"))) for k, v in sorted(grouped.items())}


def attributions_of(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    attribution = record.get("attribution")
    if not isinstance(attribution, Mapping):
        return []
    return [a for a in attribution.get("attributions") or () if isinstance(a, Mapping)]


def loaded_spans_of(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    loaded = record.get("loaded")
    if not isinstance(loaded, Mapping):
        return []
    return [s for s in loaded.get("spans") or () if isinstance(s, Mapping) and "start" in s and "end" in s]


def _share_table(counts: Mapping[str, Counter]) -> pd.DataFrame:
    """Outlets × categories of pooled shares (rows sum to 1), columns by overall frequency."""
    total: Counter = Counter()
    for counter in counts.values():
        total.update(counter)
    if not total:
        return pd.DataFrame()
    categories = [c for c, _ in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))]
    table = pd.DataFrame(
        [[counts[o].get(c, 0) for c in categories] for o in counts], index=list(counts), columns=categories
    ).astype(float)
    table = table.div(table.sum(axis=1).where(lambda s: s > 0), axis=0)
    table.index.name = "outlet"
    return table


def speaker_shares(results: Iterable[Mapping[str, Any]], field: str = "speaker_type") -> pd.DataFrame:
    """Outlets × speaker types (or ``field="affiliation"``): share of the outlet's attributions.

    Read from the attribution analyzer's attributions; when it is absent but the sources
    analyzer is present, from the sources' attribution counts.
    """
    missing = "Unknown" if field == "affiliation" else "unknown"
    counts: dict[str, Counter] = {}
    for outlet, records in _records_by_outlet(results).items():
        counter: Counter = Counter()
        for record in records:
            attributions = attributions_of(record)
            if attributions:
                counter.update(str(a.get(field) or missing) for a in attributions)
                continue
            sources = record.get("sources")
            if isinstance(sources, Mapping):
                for source in sources.get("sources") or ():
                    counter[str(source.get(field) or missing)] += int(source.get("attributions") or 0)
        counts[outlet] = counter
    return _share_table(counts)


def verb_class_shares(results: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Outlets × reporting-verb classes: share of the outlet's attributions with a verb cue."""
    counts: dict[str, Counter] = {}
    for outlet, records in _records_by_outlet(results).items():
        counter: Counter = Counter()
        for record in records:
            counter.update(str(a["verb_class"]) for a in attributions_of(record) if a.get("verb_class"))
        counts[outlet] = counter
    return _share_table(counts)


def loaded_category_rates(results: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Outlets × loaded-language categories: matches per 1,000 words, pooled over the outlet
    (total matches / total words), negated matches left out."""
    counts: dict[str, Counter] = {}
    words: dict[str, float] = {}
    any_loaded = False
    for outlet, records in _records_by_outlet(results).items():
        counter: Counter = Counter()
        words[outlet] = 0.0
        for record in records:
            if isinstance(record.get("loaded"), Mapping):
                any_loaded = True
            words[outlet] += float(record.get("words") or 0)
            counter.update(str(s.get("category") or "other") for s in loaded_spans_of(record) if not s.get("negated"))
        counts[outlet] = counter
    if not any_loaded:
        return pd.DataFrame()
    total: Counter = Counter()
    for counter in counts.values():
        total.update(counter)
    categories = [c for c, _ in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))]
    table = pd.DataFrame(
        [[1000.0 * counts[o].get(c, 0) / words[o] if words[o] else np.nan for c in categories] for o in counts],
        index=list(counts),
        columns=categories,
    )
    table.index.name = "outlet"
    return table


# --------------------------------------------------------------------------- evidence


def sentence_spans_for_range(record: Mapping[str, Any], start: int, end: int) -> list[dict[str, Any]]:
    """Loaded spans inside [start, end), for highlighting an excerpt."""
    return [dict(s) for s in loaded_spans_of(record) if s["start"] >= start and s["end"] <= end]


def loaded_sentences(record: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The article's sentences ranked as loaded, with the basis used:
    classifier probability ("classifier"), else lexicon weight ("lexicon"), else VADER
    intensity ("vader"), else none ("")."""
    text = record.get("text")
    if not isinstance(text, str):
        return "", []
    classified = record.get("loaded_sentences")
    if isinstance(classified, Mapping):
        classified = classified.get("sentences")
    if isinstance(classified, list) and classified:
        ranked = [
            {"start": s["start"], "end": s["end"], "score": float(s.get("probability") or 0.0)}
            for s in classified
            if isinstance(s, Mapping) and "start" in s
        ]
        return "classifier", ranked
    spans = loaded_spans_of(record)
    if isinstance(record.get("loaded"), Mapping):
        sentences = record["loaded"].get("sentences") or record.get("sentiment", {}).get("sentences") or []
        ranked = []
        for sentence in sentences:
            inside = [s for s in spans if s["start"] >= sentence["start"] and s["end"] <= sentence["end"]]
            weight = sum(float(s.get("weight") or 1.0) for s in inside if not s.get("negated"))
            if weight > 0:
                ranked.append({"start": sentence["start"], "end": sentence["end"], "score": weight})
        return "lexicon", ranked
    sentiment = record.get("sentiment")
    if isinstance(sentiment, Mapping) and sentiment.get("sentences"):
        ranked = [
            {"start": s["start"], "end": s["end"], "score": abs(float(s.get("compound") or 0.0))}
            for s in sentiment["sentences"]
            if abs(float(s.get("compound") or 0.0)) > 0
        ]
        return "vader", ranked
    return "", []


def outlet_evidence(
    results: Iterable[Mapping[str, Any]], *, top_sentences: int = 5, top_speakers: int = 8, top_verbs: int = 6
) -> dict[str, dict[str, Any]]:
    """Per outlet: its most loaded sentences (with the spans inside them), its most quoted
    speakers (with types), and distancing reporting verbs in context."""
    evidence: dict[str, dict[str, Any]] = {}
    for outlet, records in _records_by_outlet(results).items():
        sentences: list[dict[str, Any]] = []
        bases: set[str] = set()
        speakers: dict[str, dict[str, Any]] = {}
        verbs: list[dict[str, Any]] = []
        has_attribution = has_sources = False
        for record in records:
            text = record.get("text") if isinstance(record.get("text"), str) else None
            basis, ranked = loaded_sentences(record)
            if basis:
                bases.add(basis)
            for item in ranked:
                if text is None:
                    continue
                sentences.append(
                    {
                        "article": str(record.get("id")),
                        "title": str((record.get("metadata") or {}).get("title") or ""),
                        "start": item["start"],
                        "end": item["end"],
                        "score": item["score"],
                        "basis": basis,
                        "text": text[item["start"] : item["end"]],
                        "spans": sentence_spans_for_range(record, item["start"], item["end"]),
                    }
                )
            has_attribution |= isinstance(record.get("attribution"), Mapping)
            has_sources |= isinstance(record.get("sources"), Mapping)
            _collect_speakers(record, speakers)
            for a in attributions_of(record):
                if a.get("verb_class") == "distancing" and text is not None and a.get("cue_start") is not None:
                    verbs.append(_verb_context(record, text, a))
        sentences.sort(key=lambda s: (-s["score"], s["article"], s["start"]))
        ranked_speakers = sorted(speakers.values(), key=lambda s: (-s["attributions"], s["name"].lower()))
        verbs.sort(key=lambda v: (v["article"], v["cue_start"]))
        evidence[outlet] = {
            "sentences": sentences[:top_sentences],
            "sentence_basis": sorted(bases),
            "speakers": ranked_speakers[:top_speakers],
            "speakers_available": has_attribution or has_sources,
            "distancing": verbs[:top_verbs],
            "distancing_total": len(verbs),
            "verbs_available": has_attribution,
        }
    return evidence


def _collect_speakers(record: Mapping[str, Any], speakers: dict[str, dict[str, Any]]) -> None:
    sources = record.get("sources")
    if isinstance(sources, Mapping) and sources.get("sources"):
        pairs = [
            (str(s.get("name") or ""), s.get("speaker_type"), s.get("affiliation"), int(s.get("attributions") or 0))
            for s in sources["sources"]
        ]
    else:
        counter: Counter = Counter()
        kinds: dict[str, tuple[Any, Any]] = {}
        for a in attributions_of(record):
            name = str(a.get("speaker") or "").strip()
            if name:
                counter[name] += 1
                kinds.setdefault(name, (a.get("speaker_type"), a.get("affiliation")))
        pairs = [(name, *kinds[name], count) for name, count in counter.items()]
    for name, speaker_type, affiliation, count in pairs:
        if not name:
            continue
        entry = speakers.setdefault(
            name.lower(),
            {"name": name, "speaker_type": speaker_type or "unknown", "affiliation": affiliation or "", "attributions": 0,
             "articles": 0},
        )
        entry["attributions"] += count
        entry["articles"] += 1


def _verb_context(record: Mapping[str, Any], text: str, a: Mapping[str, Any], width: int = 160) -> dict[str, Any]:
    points = [a.get(k) for k in ("speaker_start", "cue_start", "content_start") if a.get(k) is not None]
    ends = [a.get(k) for k in ("speaker_end", "cue_end", "content_end") if a.get(k) is not None]
    start, end = min(points), max(ends)
    if end - start > 2 * width:  # a long quotation: keep the cue and its surroundings
        start, end = max(start, int(a["cue_start"]) - width), min(end, int(a["cue_end"]) + width)
    return {
        "article": str(record.get("id")),
        "start": start,
        "end": end,
        "text": text[start:end],
        "cue": text[a["cue_start"] : a["cue_end"]],
        "cue_start": int(a["cue_start"]),
        "cue_end": int(a["cue_end"]),
        "speaker": a.get("speaker") or "",
    }


# --------------------------------------------------------------------------- frames


class FrameTable(NamedTuple):
    """Outlets × frames of one scheme: mean share over the outlet's articles with cues, and
    the bootstrap interval (NaN for one article). Frames are ordered by their mean over the
    outlets (largest first); ``n`` counts the outlet's articles with at least one cue."""

    scheme: str
    means: pd.DataFrame
    low: pd.DataFrame
    high: pd.DataFrame
    n: pd.Series

    @property
    def empty(self) -> bool:
        return self.means.empty


def frame_table(outlets: pd.DataFrame, articles: pd.DataFrame, scheme: str) -> FrameTable:
    """The frames of ``scheme`` from the outlet table (same means and intervals as outlets.csv)."""
    frames = frames_in(outlet_figures(outlets), scheme)
    if not frames or outlets.empty:
        empty = pd.DataFrame()
        return FrameTable(scheme, empty, empty, empty, pd.Series(dtype=int))
    columns = [frame_figure(scheme, f) for f in frames]

    def part(suffix: str) -> pd.DataFrame:
        table = outlets[[c + suffix for c in columns]].astype(float)
        table.columns = frames
        return table

    means = part("")
    order = sorted(frames, key=lambda f: (-np.nan_to_num(means[f].mean(skipna=True)), frames.index(f)))
    with_cues = articles.assign(_cued=articles[columns].notna().any(axis=1)).groupby("outlet")["_cued"].sum()
    n = with_cues.reindex(outlets.index).fillna(0).astype(int)
    return FrameTable(scheme, means[order], part("__low")[order], part("__high")[order], n)


def dominant_frame(row: pd.Series) -> str | None:
    """The frame with the largest mean share (ties: the frame listed first), None without cues."""
    defined = row.dropna()
    return str(defined.idxmax()) if not defined.empty and defined.max() > 0 else None


def frames_of(record: Mapping[str, Any]) -> Mapping[str, Any]:
    frames = record.get("frames")
    return frames if isinstance(frames, Mapping) else {}


def frame_evidence(
    results: Iterable[Mapping[str, Any]], table: FrameTable, *, top_sentences: int = 3
) -> dict[str, dict[str, Any]]:
    """Per outlet: its dominant frame (largest mean share in ``table``) and the ``top_sentences``
    sentences of its articles with the most cue weight for that frame, each with the cue spans
    of the scheme inside it (so a reader sees which words evoke which frame)."""
    scheme = table.scheme
    out: dict[str, dict[str, Any]] = {}
    for outlet, records in _records_by_outlet(results).items():
        if table.empty or outlet not in table.means.index:
            continue
        dominant = dominant_frame(table.means.loc[outlet])
        sentences: list[dict[str, Any]] = []
        agreeing = 0
        for record in records:
            frames, text = frames_of(record), record.get("text")
            figures = frames.get(scheme) if isinstance(frames.get(scheme), Mapping) else {}
            agreeing += int(dominant is not None and figures.get("dominant") == dominant)
            if dominant is None or not isinstance(text, str):
                continue
            candidates = [
                (float((s.get(scheme) or {}).get(dominant) or 0.0), s) for s in frames.get("sentences") or ()
                if isinstance(s, Mapping)
            ]
            if not frames.get("sentences") and figures.get("dominant") == dominant:  # older records
                candidates = [(float(e.get("weight") or 0.0), e) for e in figures.get("evidence") or ()]
            spans = [s for s in frames.get("spans") or () if isinstance(s, Mapping) and s.get("scheme") == scheme]
            for weight, sentence in candidates:
                if weight <= 0:
                    continue
                start, end = int(sentence["start"]), int(sentence["end"])
                sentences.append({
                    "article": str(record.get("id")),
                    "title": str((record.get("metadata") or {}).get("title") or ""),
                    "start": start, "end": end, "text": text[start:end], "weight": weight,
                    "voice": sentence.get("voice") or "",
                    "spans": [dict(s) for s in spans if s["start"] >= start and s["end"] <= end],
                })
        sentences.sort(key=lambda s: (-s["weight"], s["article"], s["start"]))
        out[outlet] = {
            "dominant": dominant,
            "share": float(table.means.loc[outlet, dominant]) if dominant else float("nan"),
            "articles_with_cues": int(table.n.get(outlet, 0)),
            "articles_dominant": agreeing,
            "sentences": sentences[:top_sentences],
        }
    return out

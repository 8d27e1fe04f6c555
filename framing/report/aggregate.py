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
  are reported. Outlets with one article get no interval (NaN, marked ``n=1``); the rendered
  report prints intervals only from ``MIN_INTERVAL_N`` articles (the CSV keeps them all).
* Breakdowns (speaker types, affiliations, verb classes, loaded categories) are **pooled**
  counts over the outlet's articles: shares of all its attributions, and loaded matches per
  1,000 words of all its articles (total matches / total words).
* Every result is independent of the order of the articles: articles are sorted by
  (outlet, id) and each outlet's random generator is seeded from ``seed`` and the outlet name.
* Frame shares (``frames_<scheme>_<frame>_share``) are shares of an article's frame-cue weight;
  in an article without any cue of a scheme they are undefined (0/0, written as 0 by the
  analyzer) and left out of the outlet's means, so an outlet's shares sum to 1 like an article's.

Memory: ``FigureTable`` keeps one row per article (its id columns and a vector of its figures)
in a temporary SQLite database on disk, and ``Breakdowns`` keeps pooled counts per outlet, so aggregating a
stream of records holds no record after it was read. The bootstrap holds one outlet's figures
at a time (articles × figures × 16 bytes) and resamples them in blocks of ``BOOTSTRAP_BLOCK``
values.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import os
import re
import sqlite3
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
# Outlets with fewer articles get no printed interval (the value is shown, marked with its n).
MIN_INTERVAL_N = 5
# Values (float64) gathered at a time by the bootstrap: ~32 MB, whatever the outlet's size.
BOOTSTRAP_BLOCK = 4_000_000

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


def scan_jsonl(path: str | os.PathLike) -> Iterator[tuple[int, dict[str, Any]]]:
    """(byte offset, record) for each record of a scores JSONL file (blank lines skipped);
    ``read_jsonl_at(path, offset)`` reads one again."""
    with open(path, "rb") as handle:
        offset = 0
        for lineno, line in enumerate(handle, 1):
            at, offset = offset, offset + len(line)
            if not line.strip():
                continue
            yield at, _parse_line(path, lineno, line)


def read_jsonl_at(path: str | os.PathLike, offset: int) -> dict[str, Any]:
    with open(path, "rb") as handle:
        handle.seek(offset)
        return _parse_line(path, "?", handle.readline())


def _parse_line(path: str | os.PathLike, lineno: int | str, line: bytes) -> dict[str, Any]:
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}:{lineno}: not UTF-8 ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}:{lineno}: not a JSON record ({error.msg})") from None
    if not isinstance(record, dict) or "id" not in record:
        raise ValueError(f"{path}:{lineno}: not a framing scores record (no 'id')")
    return record


def iter_results(source: str | os.PathLike | Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """Records one at a time from a scores JSONL path (blank lines skipped) or an iterable."""
    if isinstance(source, (str, os.PathLike)):
        for _, record in scan_jsonl(source):
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
    # errors="replace": a corpus with invalid UTF-8 is a corpus (read with a warning per
    # article), not a fatal error of the report
    with open(path, encoding="utf-8", errors="replace") as handle:
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


class ArticleRow(NamedTuple):
    """One article of the article table: its id columns and its numeric figures (NaN: undefined)."""

    id: str
    outlet: str
    title: str
    date: str
    words: Any  # as the record gives it (read as a number by the tables)
    figures: dict[str, float]


def article_row(record: Mapping[str, Any]) -> ArticleRow:
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
    figures = {k: v for k, v in row.items() if k not in ID_COLUMNS}
    return ArticleRow(row["id"], row["outlet"], row["title"], row["date"], row["words"], figures)


def article_table(results: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per article: id, outlet, title, date, words, then every numeric figure (in
    memory; ``FigureTable`` holds the same rows on disk for large inputs)."""
    rows = []
    for record in results:
        row = article_row(record)
        rows.append({"id": row.id, "outlet": row.outlet, "title": row.title, "date": row.date, "words": row.words,
                     **row.figures})
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
    return list(_frames_in(tuple(names), scheme))


@functools.lru_cache(maxsize=256)
def _frames_in(names: tuple[str, ...], scheme: str) -> tuple[str, ...]:
    # Cached: every record of a run has the same figure names, and each is looked up per record.
    pattern = re.compile(rf"frames_{re.escape(scheme)}_(.+)_share")
    found = [m.group(1) for m in map(pattern.fullmatch, names) if m]
    order = FRAMES.get(scheme, ())
    return tuple(sorted(found, key=lambda f: (order.index(f) if f in order else len(order), f)))


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


def as_number(value: Any) -> float:
    """A record's ``words`` as a number, as ``pandas.to_numeric(errors="coerce")`` reads it."""
    if isinstance(value, bool) or value is None:
        return math.nan
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return math.nan


def _text(value: bytes) -> str:
    return value.decode("utf-8", "surrogatepass")


def _blob(value: str) -> bytes:
    # Text columns are stored as UTF-8 bytes (lone surrogates kept): bytes sort in code point
    # order, as Python sorts the strings.
    return value.encode("utf-8", "surrogatepass")


class FigureTable:
    """The article table on disk: one row per article (id, outlet, title, date, words and a
    float64 vector of its figures) in a temporary SQLite database, added one record at a time.

    ``finish()`` fixes the figure columns (``figures``, ordered as ``article_table`` orders
    them); then ``groups()`` yields one outlet's articles at a time in (outlet, id) order,
    ``write_csv`` writes articles.csv and ``frame()`` gives the DataFrame of ``article_table``.
    The database is SQLite's private temporary one: a file in SQLite's temporary directory
    (``SQLITE_TMPDIR``, ``TMPDIR``, else /var/tmp), unlinked as soon as it is opened, so it
    goes away with the connection (``close()``) or the process, however that ends; SQLite keeps
    only its page cache (a few MB) in memory.
    """

    BATCH = 512

    def __init__(self) -> None:
        self.db = sqlite3.connect("")
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(
            "CREATE TABLE articles (seq INTEGER PRIMARY KEY, outlet BLOB NOT NULL, id BLOB NOT NULL,"
            " title BLOB NOT NULL, date BLOB NOT NULL, words REAL, figures BLOB NOT NULL)"
        )
        self.columns: dict[str, int] = {}  # figure -> position in the stored vectors
        self.figures: list[str] = []
        self.count = 0
        self.words_are_integers = True  # then articles.csv writes them as integers, as pandas does
        self.cued: dict[str, Counter] = {scheme: Counter() for scheme in FRAME_SCHEMES}
        self._pending: list[tuple] = []
        self._finished = False

    def add(self, row: ArticleRow) -> None:
        vector = np.full(len(self.columns) + len(row.figures), np.nan)
        for name, value in row.figures.items():
            vector[self.columns.setdefault(name, len(self.columns))] = value
        words = as_number(row.words)
        if not (isinstance(row.words, int) and not isinstance(row.words, bool)):
            self.words_are_integers = False
        for scheme in FRAME_SCHEMES:
            shares = [row.figures[frame_figure(scheme, f)] for f in frames_in(row.figures, scheme)]
            if any(not math.isnan(v) for v in shares):
                self.cued[scheme][row.outlet] += 1
        self._pending.append((self.count, _blob(row.outlet), _blob(row.id), _blob(row.title), _blob(row.date),
                              None if math.isnan(words) else words, vector[: len(self.columns)].tobytes()))
        self.count += 1
        if len(self._pending) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        self.db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)", self._pending)
        self._pending = []

    def finish(self) -> FigureTable:
        if not self._finished:
            self._flush()
            self.db.execute("CREATE INDEX by_outlet ON articles (outlet, id, seq)")
            self.db.commit()
            self.figures = order_figures(self.columns)
            self._order = np.array([self.columns[f] for f in self.figures], dtype=int)
            self._finished = True
        return self

    def _vector(self, blob: bytes) -> np.ndarray:
        stored = np.frombuffer(blob, dtype=np.float64)
        full = np.full(len(self.columns), np.nan)
        full[: len(stored)] = stored
        return full[self._order]

    def _rows(self, where: str = "", args: tuple = ()) -> Iterator[tuple]:
        self.finish()
        yield from self.db.execute(
            f"SELECT outlet, id, title, date, words, figures FROM articles {where} ORDER BY outlet, id, seq", args)

    def groups(self) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """(outlet, words, figures) per outlet in outlet order; the arrays hold its articles
        in id order (words: n; figures: n × ``figures``)."""
        outlet, words, vectors = None, [], []
        for blob, _, _, _, count, figures in self._rows():
            if blob != outlet and vectors:
                yield _text(outlet), np.array(words, dtype=float), np.array(vectors, dtype=float)
                words, vectors = [], []
            outlet = blob
            words.append(np.nan if count is None else count)
            vectors.append(self._vector(figures))
        if vectors:
            yield _text(outlet), np.array(words, dtype=float), np.array(vectors, dtype=float)

    def figures_of(self, ids: Iterable[str]) -> dict[str, dict[str, float]]:
        """Figures of the articles ``ids`` (the first in (outlet, id) order when an id repeats)."""
        self.finish()
        found: dict[str, dict[str, float]] = {}
        wanted = [_blob(i) for i in dict.fromkeys(ids)]
        for first in range(0, len(wanted), 500):
            part = wanted[first : first + 500]
            rows = self._rows(f"WHERE id IN ({', '.join('?' * len(part))})", tuple(part))
            for _, rid, _, _, _, figures in rows:
                found.setdefault(_text(rid), dict(zip(self.figures, self._vector(figures).tolist(), strict=True)))
        return found

    def write_csv(self, path: str | os.PathLike, *, cell: Any = None) -> None:
        """articles.csv as ``article_table(...).to_csv(path, index=False, float_format="%.6g")``
        writes it; ``cell`` maps each text cell (e.g. ``framing.output.csv_safe``)."""
        self.finish()
        cell = cell or (lambda value: value)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([cell(c) for c in (*ID_COLUMNS, *self.figures)])
            for outlet, rid, title, date, words, figures in self._rows():
                if words is None:
                    shown = ""
                elif self.words_are_integers:
                    shown = str(int(words))
                else:
                    shown = f"{words:.6g}"
                values = ["" if math.isnan(v) else f"{v:.6g}" for v in self._vector(figures).tolist()]
                writer.writerow([cell(_text(rid)), cell(_text(outlet)), cell(_text(title)), cell(_text(date)), shown,
                                 *values])

    def frame(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The article table as a DataFrame (what ``article_table`` gives for the same records),
        or only ``columns`` of it. Only the columns wanted are read, into one array per column."""
        self.finish()
        wanted = list(ID_COLUMNS) + self.figures if columns is None else list(columns)
        figures = [f for f in self.figures if f in wanted]
        positions = np.array([self.figures.index(f) for f in figures], dtype=int)
        texts: dict[str, list[str]] = {c: [] for c in ID_COLUMNS[:4] if c in wanted}
        words: list[float | None] = []
        values = np.empty((self.count, len(figures)), dtype=float)
        query = f"SELECT {', '.join([*texts, 'words', 'figures'])} FROM articles ORDER BY outlet, id, seq"
        for i, row in enumerate(self.db.execute(query)):
            for column, value in zip(texts.values(), row):
                column.append(_text(value))
            words.append(row[-2])
            values[i] = self._vector(row[-1])[positions]
        if not self.count:
            return pd.DataFrame(columns=[c for c in (*ID_COLUMNS, *figures) if c in wanted])
        data: dict[str, Any] = dict(texts)
        if "words" in wanted:
            data["words"] = pd.Series(words, dtype="int64" if self.words_are_integers else "float64")
        del words
        table = pd.DataFrame(data) if data else pd.DataFrame(index=pd.RangeIndex(len(values)))
        table = pd.concat([table, pd.DataFrame(values, columns=figures)], axis=1)
        return table[[c for c in (*ID_COLUMNS, *figures) if c in wanted]]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> FigureTable:  # noqa: PYI034 (typing.Self needs 3.11; we support 3.10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def outlet_seed(seed: int, outlet: str) -> int:
    """A per-outlet seed: deterministic, and one outlet's draws do not depend on the others."""
    return (int(seed) * 1_000_003 + zlib.crc32(outlet.encode("utf-8"))) % (2**32)


def bootstrap_interval(
    values: np.ndarray, *, n_boot: int = 2000, rng: np.random.Generator, level: float = 0.95,
    block: int = BOOTSTRAP_BLOCK,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap of the mean over rows (articles) of ``values`` (n × figures).

    NaN (an undefined figure in an article) is left out of each resample's mean; a figure with
    fewer than two defined articles gets no interval. The resamples are drawn from ``rng`` in
    the same order as one ``rng.integers(0, n, size=(n_boot, n))`` call would draw them, and
    each resample's sum is accumulated article by article in draw order (gathered when an
    outlet has more than ``SEQUENTIAL_MAX`` articles), so memory holds about ``block`` values
    at a time instead of n_boot × n × figures. The intervals equal those of gathering the
    whole n_boot × n × figures array at once up to the rounding of the sums (numpy may add
    such an array in another order).
    """
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    n, width = values.shape
    low = np.full(width, np.nan)
    high = np.full(width, np.nan)
    if n < 2 or width == 0:
        return low, high
    defined = ~np.isnan(values)
    # Sums of the defined values and, for figures undefined in some article, counts of them,
    # gathered together: [values with NaN as 0 | defined (partial figures only)]. A figure
    # defined in every article has n values in every resample.
    partial = ~defined.all(axis=0)
    stacked = np.concatenate([np.where(defined, values, 0.0), defined[:, partial].astype(float)], axis=1)
    counts = np.full(width, float(n))
    means = np.empty((n_boot, width))
    columns = stacked.shape[1]
    if n <= SEQUENTIAL_MAX:  # summed one article at a time: resamples × figures, and their indices, per block
        rows = max(1, min(n_boot, block // columns, block // (8 * n)))
    else:  # gathered: resamples × articles × figures per block
        rows = max(1, min(n_boot, block // (n * columns)))
    for first in range(0, n_boot, rows):
        count = min(rows, n_boot - first)
        summed = _resampled_sums(stacked, rng.integers(0, n, size=(count, n)), block)
        divisors = np.tile(counts, (count, 1))
        divisors[:, partial] = summed[:, width:]
        with np.errstate(invalid="ignore", divide="ignore"):
            means[first : first + count] = summed[:, :width] / divisors
    alpha = (1.0 - level) / 2.0
    interval = np.flatnonzero(np.count_nonzero(defined, axis=0) >= 2)
    complete = interval[~np.isnan(means[:, interval]).any(axis=0)]
    if complete.size:  # one call for the figures no resample left undefined
        low[complete], high[complete] = np.percentile(means[:, complete], [100 * alpha, 100 * (1 - alpha)], axis=0)
    for j in np.setdiff1d(interval, complete):
        column = means[:, j]
        column = column[~np.isnan(column)]
        low[j], high[j] = np.percentile(column, [100 * alpha, 100 * (1 - alpha)])
    return low, high


SEQUENTIAL_MAX = 4096  # outlets up to this many articles: resample sums accumulated article by article


def _resampled_sums(stacked: np.ndarray, index: np.ndarray, block: int) -> np.ndarray:
    count, n = index.shape
    if n <= SEQUENTIAL_MAX:
        summed = stacked[index[:, 0]]
        for k in range(1, n):
            summed += stacked[index[:, k]]
        return summed
    if count * n * stacked.shape[1] <= block:
        return stacked[index].sum(axis=1)
    step = max(1, block // stacked.shape[1])  # one resample of a very large outlet: its articles in blocks
    summed = np.zeros((count, stacked.shape[1]))
    for start in range(0, n, step):
        summed += stacked[index[:, start : start + step]].sum(axis=1)
    return summed


def outlet_row(outlet: str, words: np.ndarray, values: np.ndarray, figures: list[str], *, n_boot: int, seed: int
               ) -> dict[str, Any]:
    """One outlet's row of the outlet table from its articles (in id order): ``n``, ``words``,
    and per figure its mean and bootstrap interval."""
    rng = np.random.default_rng(outlet_seed(seed, str(outlet)))
    low, high = bootstrap_interval(values, n_boot=n_boot, rng=rng)
    with np.errstate(invalid="ignore"):
        means = [_nanmean(values[:, j]) for j in range(len(figures))]
    row: dict[str, Any] = {"n": len(values), "words": float(np.nansum(words))}
    for j, figure in enumerate(figures):
        row[figure] = means[j]
        row[f"{figure}__low"] = low[j]
        row[f"{figure}__high"] = high[j]
    return row


def _outlet_frame(rows: dict[str, dict[str, Any]], figures: list[str]) -> pd.DataFrame:
    columns = ["n", "words"] + [c for f in figures for c in (f, f"{f}__low", f"{f}__high")]
    if not rows:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="outlet"))
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    table.index.name = "outlet"
    table["n"] = table["n"].astype(int)
    return sort_outlets(table)


def outlet_table(articles: pd.DataFrame | FigureTable, *, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Outlets × figures: ``n`` articles, ``words`` in total, and per figure ``<f>`` (mean of
    the articles), ``<f>__low`` / ``<f>__high`` (bootstrap 95% interval, NaN when n = 1).

    ``articles`` is an ``article_table`` or a ``FigureTable`` (the same rows, on disk; read
    one outlet at a time). Rows are sorted by article count (descending) then outlet name;
    index is the outlet.
    """
    if isinstance(articles, FigureTable):
        articles.finish()
        groups: Iterable[tuple[str, np.ndarray, np.ndarray]] = articles.groups()
        figures = articles.figures
    else:
        figures = figure_columns(articles)
        ordered = articles.sort_values(["outlet", "id"], kind="mergesort")
        groups = (
            (outlet, group["words"].to_numpy(dtype=float), group[figures].to_numpy(dtype=float))
            for outlet, group in ordered.groupby("outlet", sort=True)
        ) if not articles.empty else ()
    rows = {str(outlet): outlet_row(outlet, words, values, figures, n_boot=n_boot, seed=seed)
            for outlet, words, values in groups}
    return _outlet_frame(rows, figures)


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


class Breakdowns:
    """Pooled counts per outlet, one record at a time: speaker types and affiliations of its
    attributions, reporting-verb classes, loaded-language categories and words."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        self.words: dict[str, float] = defaultdict(float)
        self.any_loaded = False

    def add(self, record: Mapping[str, Any]) -> None:
        outlet = outlet_of(record)
        counts = self.counts[outlet]
        attributions = attributions_of(record)
        for field, missing in (("speaker_type", "unknown"), ("affiliation", "Unknown")):
            counter = counts[field]
            if attributions:
                counter.update(str(a.get(field) or missing) for a in attributions)
                continue
            sources = record.get("sources")
            if isinstance(sources, Mapping):
                for source in sources.get("sources") or ():
                    counter[str(source.get(field) or missing)] += int(source.get("attributions") or 0)
        counts["verb_class"].update(str(a["verb_class"]) for a in attributions if a.get("verb_class"))
        if isinstance(record.get("loaded"), Mapping):
            self.any_loaded = True
        self.words[outlet] += float(record.get("words") or 0)
        counts["loaded"].update(
            str(s.get("category") or "other") for s in loaded_spans_of(record) if not s.get("negated"))

    def _counts(self, field: str) -> dict[str, Counter]:
        return {outlet: self.counts[outlet][field] for outlet in sorted(self.counts)}

    def speaker_shares(self, field: str = "speaker_type") -> pd.DataFrame:
        return _share_table(self._counts(field))

    def verb_class_shares(self) -> pd.DataFrame:
        return _share_table(self._counts("verb_class"))

    def loaded_category_rates(self) -> pd.DataFrame:
        if not self.any_loaded:
            return pd.DataFrame()
        counts = self._counts("loaded")
        total: Counter = Counter()
        for counter in counts.values():
            total.update(counter)
        categories = [c for c, _ in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))]
        words = self.words
        table = pd.DataFrame(
            [[1000.0 * counts[o].get(c, 0) / words[o] if words[o] else np.nan for c in categories] for o in counts],
            index=list(counts),
            columns=categories,
        )
        table.index.name = "outlet"
        return table


def _breakdowns(results: Iterable[Mapping[str, Any]]) -> Breakdowns:
    breakdowns = Breakdowns()
    for record in results:
        breakdowns.add(record)
    return breakdowns


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
    return _breakdowns(results).speaker_shares(field)


def verb_class_shares(results: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Outlets × reporting-verb classes: share of the outlet's attributions with a verb cue."""
    return _breakdowns(results).verb_class_shares()


def loaded_category_rates(results: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Outlets × loaded-language categories: matches per 1,000 words, pooled over the outlet
    (total matches / total words), negated matches left out."""
    return _breakdowns(results).loaded_category_rates()


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


def frame_table(outlets: pd.DataFrame, articles: pd.DataFrame | FigureTable, scheme: str) -> FrameTable:
    """The frames of ``scheme`` from the outlet table (same means and intervals as outlets.csv);
    ``articles`` (the article table, or the ``FigureTable``) gives the articles with cues."""
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
    if isinstance(articles, FigureTable):
        with_cues = pd.Series(articles.cued[scheme], dtype=float)
    else:
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

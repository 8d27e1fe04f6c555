"""The report's inputs: existing scores (JSONL files, ``--store`` databases, Parquet files), or a
corpus to score first.

Scores are read as ``Records``: a source that can be read through once (``scan()``: each
record with a locator) and asked again for a few records by locator (``fetch``), so the report
streams over the records and re-reads only the handful of articles it shows in full.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from framing.batch import Store, is_store_file
from framing.corpus import Reject
from framing.report.aggregate import is_scores_file, read_jsonl_at, scan_jsonl
from framing.scoring import Scored, ScoreOptions, score_inputs

# Columns of a Parquet (or CSV) scores row that are metadata, not figures (framing.output).
_ROW_METADATA = ("title", "outlet", "author", "date", "url")
_ROW_NOT_FIGURES = {"id", "extra", "text_length", "words", "diagnostics", *_ROW_METADATA}


class JsonlScores:
    """A scores JSONL file; a record's locator is its byte offset."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = path

    def scan(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        return scan_jsonl(self.path)

    def fetch(self, locators: Sequence[Any]) -> list[dict[str, Any]]:
        return [read_jsonl_at(self.path, offset) for offset in locators]


class StoreScores:
    """A store written by ``framing score --store``; a record's locator is its row id."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = path

    def scan(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        with Store(self.path, readonly=True) as store:
            yield from store.keyed_records()

    def fetch(self, locators: Sequence[Any]) -> list[dict[str, Any]]:
        with Store(self.path, readonly=True) as store:
            return [store.record_at(rowid) for rowid in locators]


class ParquetScores:
    """A Parquet file of flat figures rows (``framing score -o x.parquet`` or ``framing export``):
    records with metadata, words and figures but no text or spans. Rows are small, so a
    record is its own locator."""

    def __init__(self, path: str | os.PathLike, batch_size: int = 10_000) -> None:
        self.path = path
        self.batch_size = batch_size

    def scan(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise ImportError("reading Parquet scores needs pyarrow: pip install 'framing[parquet]'") from None
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=self.batch_size):
            for row in batch.to_pylist():
                record = record_from_row(row)
                yield record, record

    def fetch(self, locators: Sequence[Any]) -> list[dict[str, Any]]:
        return list(locators)


def record_from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A scores record from a flat figures row (the CSV/Parquet columns): no text, no spans."""
    metadata = {k: row[k] for k in _ROW_METADATA if row.get(k) not in (None, "")}
    if row.get("extra"):
        metadata.update(json.loads(row["extra"]))
    figures = {k: v for k, v in row.items() if k not in _ROW_NOT_FIGURES}
    return {"id": row.get("id"), "metadata": metadata, "words": row.get("words"), "figures": figures}


class InMemory:
    """Records (or ``ArticleResult`` objects) already in memory; a locator is the position."""

    def __init__(self, records: Iterable[Any]) -> None:
        self.records = list(records)

    def scan(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        for index, record in enumerate(self.records):
            yield index, _as_record(record)

    def fetch(self, locators: Sequence[Any]) -> list[dict[str, Any]]:
        return [_as_record(self.records[i]) for i in locators]


def _as_record(record: Any) -> dict[str, Any]:
    return dict(record.to_dict()) if hasattr(record, "to_dict") else dict(record)


class Records:
    """The records of several sources, in order. ``scan()`` yields (locator, record);
    ``fetch(locators)`` reads those records again; iterating yields the records."""

    def __init__(self, parts: Iterable[Any] = ()) -> None:
        self.parts = list(parts)

    def scan(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        for number, part in enumerate(self.parts):
            for locator, record in part.scan():
                yield (number, locator), record

    def fetch(self, locators: Sequence[Any]) -> list[dict[str, Any]]:
        found: list[Any] = [None] * len(locators)
        for number, part in enumerate(self.parts):
            positions = [i for i, (n, _) in enumerate(locators) if n == number]
            if positions:
                for i, record in zip(positions, part.fetch([locators[i][1] for i in positions]), strict=True):
                    found[i] = record
        return found

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for _, record in self.scan():
            yield record


def is_parquet_file(path: str | os.PathLike) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PAR1"
    except OSError:
        return False


def source_for(path: str | os.PathLike) -> JsonlScores | StoreScores | ParquetScores:
    """The scores at ``path``: a store, a Parquet file, else a scores JSONL file."""
    if is_store_file(path):
        return StoreScores(path)
    if is_parquet_file(path):
        return ParquetScores(path)
    return JsonlScores(path)


def records_of(source: Any) -> Records:
    """``Records`` for a path (store, Parquet or scores JSONL), a list of paths, an iterable
    of records or ``ArticleResult`` objects (kept in memory), or ``Records`` as they are."""
    if isinstance(source, Records):
        return source
    if isinstance(source, (str, os.PathLike)):
        return Records([source_for(source)])
    items = list(source)
    if items and all(isinstance(item, (str, os.PathLike)) for item in items):
        return Records([source_for(item) for item in items])
    return Records([InMemory(items)])


@dataclass
class Loaded:
    records: Records = field(default_factory=Records)
    rejects: list[Reject] = field(default_factory=list)
    scored: int = 0  # articles scored here (0 when every input was a scores file)
    warned: int = 0  # of those, articles with warnings from reading (invalid UTF-8 bytes replaced)


def load_or_score(
    inputs: Sequence[str | os.PathLike],
    *,
    options: ScoreOptions | None = None,
    scores_out: str | os.PathLike | None = None,
    on_reject: Callable[[Reject], None] | None = None,
    on_warning: Callable[[Scored], None] | None = None,
) -> Loaded:
    """Records for the report. Each input that is a JSONL file whose first record has
    ``schema_version``, a store written by ``framing score --store`` or a Parquet file of
    scores is read as scores (no re-scoring); all other inputs are a corpus, scored with
    ``framing.scoring``. Scored records are written to ``scores_out`` when given and read
    back from it by the report (else they are kept in memory). ``on_reject`` is called with each
    reject, ``on_warning`` with each scored article that has warnings from reading (``warnings``,
    ``origin``: e.g. invalid UTF-8 bytes replaced; counted in ``Loaded.warned``)."""
    loaded = Loaded()
    stores = [p for p in inputs if is_store_file(p)]
    parquet = [p for p in inputs if p not in stores and is_parquet_file(p)]
    scores = [p for p in inputs if p not in stores and p not in parquet and is_scores_file(p)]
    corpus = [str(p) for p in inputs if p not in stores and p not in parquet and p not in scores]
    parts: list[Any] = [StoreScores(p) for p in stores] + [ParquetScores(p) for p in parquet]
    parts += [JsonlScores(p) for p in scores]
    if corpus:
        kept: list[dict[str, Any]] = []
        handle = open(scores_out, "w", encoding="utf-8") if scores_out else None
        try:
            for item in score_inputs(corpus, options):
                if item.result is None:
                    loaded.rejects.append(item.reject)
                    if on_reject:
                        on_reject(item.reject)
                    continue
                record = item.result.to_dict()
                loaded.scored += 1
                if item.warnings:
                    loaded.warned += 1
                    if on_warning:
                        on_warning(item)
                if handle:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                else:
                    kept.append(record)
        finally:
            if handle:
                handle.close()
        parts.append(JsonlScores(scores_out) if scores_out else InMemory(kept))
    loaded.records = Records(parts)
    return loaded

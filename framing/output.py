"""Writers for scored results: JSONL (everything), CSV and Parquet (flat article-level figures).

Writers take an ``ArticleResult`` (``write``) or, for batch runs and stores, its JSON-ready
record (``write_record``) and flat figures row (``write_row``). Files are written under a
temporary name (``PATH.partial``) and renamed into place when complete, so a file at ``PATH``
is never the half-written output of an interrupted run; a directory of outputs (the report) is
written into a temporary directory beside it and moved into place when complete
(``staged_directory``).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from framing.pipeline import ArticleResult

OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
PARQUET_BATCH = 10_000

# Metadata fields that get their own CSV columns; any other metadata goes, as JSON, to "extra".
CSV_METADATA = ("title", "outlet", "author", "date", "url")
# A text cell starting with one of these is taken for a formula by spreadsheets (OWASP, "CSV
# Injection"); csv_safe() prefixes it with an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text starting with ``= + - @``, a tab
    or a carriage return gets a leading ``'`` (OWASP's advice); numbers, and text that is a
    plain number such as ``-0.5``, are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class JsonlWriter:
    def __init__(self, handle: TextIO, *, include_text: bool = True) -> None:
        self.handle = handle
        self.include_text = include_text

    def write(self, result: ArticleResult) -> None:
        self.write_record(result.to_dict(include_text=self.include_text), flat_row(result))

    def write_record(self, record: Mapping[str, Any], row: Mapping[str, Any] | None = None) -> None:
        if not self.include_text and "text" in record:
            record = {k: v for k, v in record.items() if k != "text"}
        self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")


class CsvWriter:
    """Streams rows; the header is fixed by the first result (figures are the same per config).
    Text cells pass through ``csv_safe`` (no spreadsheet formulas); numbers are written as they are."""

    def __init__(self, handle: TextIO, *, include_text: bool = False) -> None:
        self.handle = handle
        self.writer: csv.DictWriter | None = None

    def write(self, result: ArticleResult) -> None:
        self.write_row(flat_row(result))

    def write_record(self, record: Mapping[str, Any], row: Mapping[str, Any]) -> None:
        self.write_row(row)

    def write_row(self, row: Mapping[str, Any]) -> None:
        if self.writer is None:
            self.writer = csv.DictWriter(self.handle, fieldnames=list(row), extrasaction="ignore")
            self.writer.writerow({name: csv_safe(name) for name in row})
        self.writer.writerow({key: csv_safe(value) for key, value in row.items()})


def flat_row(result: ArticleResult) -> dict[str, Any]:
    figures = result.figures()
    row: dict[str, Any] = {"id": result.id}
    for key in CSV_METADATA:
        row[key] = result.metadata.get(key, "")
    extra = {k: v for k, v in result.metadata.items() if k not in CSV_METADATA}
    row["extra"] = json.dumps(extra, ensure_ascii=False, default=str) if extra else ""
    for key, value in figures.items():
        if key not in row and key not in result.metadata:
            row[key] = value
    return row


class ParquetWriter:
    """Flat figures rows (the CSV columns, typed) to Parquet, in row groups of PARQUET_BATCH.

    The column types come from the first row group; needs pyarrow (``framing[parquet]``).
    """

    def __init__(self, path: str, *, include_text: bool = False) -> None:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ImportError("Parquet output needs pyarrow: pip install 'framing[parquet]'") from None
        self.path = path
        self.rows: list[Mapping[str, Any]] = []
        self.writer: Any = None
        self.schema: Any = None

    def write(self, result: ArticleResult) -> None:
        self.write_row(flat_row(result))

    def write_record(self, record: Mapping[str, Any], row: Mapping[str, Any]) -> None:
        self.write_row(row)

    def write_row(self, row: Mapping[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= PARQUET_BATCH:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.rows:
            return
        if self.schema is None:
            inferred = pa.Table.from_pylist(self.rows).schema
            # A column that is empty in the first row group holds strings (metadata).
            self.schema = pa.schema(
                [pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in inferred]
            )
            self.writer = pq.ParquetWriter(self.path, self.schema)
        self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
        self.rows = []

    def close(self) -> None:
        self.flush()
        if self.writer is not None:
            self.writer.close()


def output_format_for(path: str, given: str | None = None) -> str:
    """The output format: ``given``, else from the file suffix, else JSONL."""
    if given:
        return given
    for suffix in OUTPUT_FORMATS:
        if str(path).endswith(f".{suffix}"):
            return suffix
    return "jsonl"


@contextmanager
def open_writer(
    path: str, output_format: str, *, include_text: bool = True
) -> Iterator[JsonlWriter | CsvWriter | ParquetWriter]:
    """A writer for ``path`` (``-``: stdout), written as ``PATH.partial`` and renamed when the
    block ends without an error (on an error the partial file is removed)."""
    if output_format not in OUTPUT_FORMATS:
        raise ValueError(f"unknown output format {output_format!r}; available: {', '.join(OUTPUT_FORMATS)}")
    if path == "-":
        if output_format == "parquet":
            raise ValueError("Parquet output needs a file, not stdout")
        writer_class = {"jsonl": JsonlWriter, "csv": CsvWriter}[output_format]
        yield writer_class(sys.stdout, include_text=include_text)
        sys.stdout.flush()
        return
    partial = f"{path}.partial"
    try:
        if output_format == "parquet":
            writer = ParquetWriter(partial, include_text=include_text)
            yield writer
            writer.close()
        else:
            writer_class = {"jsonl": JsonlWriter, "csv": CsvWriter}[output_format]
            with open(partial, "w", encoding="utf-8", newline="") as handle:
                yield writer_class(handle, include_text=include_text)
        if not os.path.exists(partial):     # parquet with no rows: an empty file still says "done"
            open(partial, "wb").close()
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


@dataclass
class Staged:
    """Where ``staged_directory`` has its files written (``path``) before they are moved into
    ``final``; ``committed`` once they are all there."""

    path: Path
    final: Path
    committed: bool = False


@contextmanager
def staged_directory(final: str | os.PathLike[str]) -> Iterator[Staged]:
    """A temporary directory beside ``final`` (``.NAME.partial-XXXXXXXX``) for a set of output
    files. When the block ends without an error its files are moved into ``final`` (created if
    needed; files of the same name replaced, other files left alone); on an error or an
    interruption nothing is moved, so ``final`` keeps what it held before. The temporary
    directory is removed in both cases. The moves run with SIGINT and SIGTERM held, so a signal
    cannot leave some files new and some old; one that came meanwhile is delivered after them."""
    final = Path(final)
    if final.exists() and not final.is_dir():
        raise NotADirectoryError(f"{final} exists and is not a directory")
    real = final.resolve()  # beside the real directory (`-o .`, a symlink): same file system, so moves are renames
    real.parent.mkdir(parents=True, exist_ok=True)
    staged = Staged(Path(tempfile.mkdtemp(prefix=f".{real.name}.partial-", dir=real.parent)), final)
    try:
        yield staged
        with _signals_held():
            _move_into(staged.path, final)
            staged.committed = True
    finally:
        shutil.rmtree(staged.path, ignore_errors=True)


def _move_into(source: Path, target: Path) -> None:
    target.mkdir(exist_ok=True)
    for entry in sorted(source.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            _move_into(entry, target / entry.name)
        else:
            os.replace(entry, target / entry.name)


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM blocked in this thread for the block (where the platform can)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)

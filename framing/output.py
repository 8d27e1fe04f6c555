"""Writers for scored results: JSONL (everything) and CSV (flat article-level figures)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from framing.pipeline import ArticleResult

# Metadata fields that get their own CSV columns; any other metadata goes, as JSON, to "extra".
CSV_METADATA = ("title", "outlet", "author", "date", "url")


class JsonlWriter:
    def __init__(self, handle: TextIO, *, include_text: bool = True) -> None:
        self.handle = handle
        self.include_text = include_text

    def write(self, result: ArticleResult) -> None:
        record = result.to_dict(include_text=self.include_text)
        self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")


class CsvWriter:
    """Streams rows; the header is fixed by the first result (figures are the same per config)."""

    def __init__(self, handle: TextIO, *, include_text: bool = False) -> None:
        self.handle = handle
        self.writer: csv.DictWriter | None = None

    def write(self, result: ArticleResult) -> None:
        row = flat_row(result)
        if self.writer is None:
            self.writer = csv.DictWriter(self.handle, fieldnames=list(row), extrasaction="ignore")
            self.writer.writeheader()
        self.writer.writerow(row)


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


@contextmanager
def open_writer(path: str, output_format: str, *, include_text: bool = True) -> Iterator[JsonlWriter | CsvWriter]:
    writer_class = {"jsonl": JsonlWriter, "csv": CsvWriter}[output_format]
    if path == "-":
        yield writer_class(sys.stdout, include_text=include_text)
        sys.stdout.flush()
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        yield writer_class(handle, include_text=include_text)

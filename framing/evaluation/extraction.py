"""The with/without check of web-page readers: snippets a reader must keep and must drop.

Each gold page lists snippets of the article (``with``) and of the page's chrome
(``without``), as in the evaluation of trafilatura (Barbaresi 2021). Over a set of pages a
kept ``with`` snippet is a true positive, a lost one a false negative, a kept ``without``
snippet a false positive and a dropped one a true negative; precision, recall and F1 follow.
Snippets and text are compared with whitespace collapsed.

The gold format is that of ``tests/fixtures/html/gold.jsonl`` (one JSON object per page:
``file``, ``kind``, ``split``, ``with``, ``without`` and the page's declared metadata).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framing import htmltext, webpage

__all__ = ["READERS", "SnippetCounts", "check", "evaluate", "load_gold", "read_with"]


@dataclass(frozen=True)
class SnippetCounts:
    tp: int = 0   # article snippets kept
    fn: int = 0   # article snippets lost
    fp: int = 0   # chrome snippets kept
    tn: int = 0   # chrome snippets dropped

    def __add__(self, other: SnippetCounts) -> SnippetCounts:
        return SnippetCounts(self.tp + other.tp, self.fn + other.fn, self.fp + other.fp, self.tn + other.tn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _collapse(text: str) -> str:
    return " ".join(text.split())


def check(text: str, keep: Iterable[str], drop: Iterable[str]) -> SnippetCounts:
    """Count the snippets ``text`` keeps and drops."""
    flat = _collapse(text)
    kept = [_collapse(s) in flat for s in keep]
    leaked = [_collapse(s) in flat for s in drop]
    return SnippetCounts(tp=sum(kept), fn=len(kept) - sum(kept), fp=sum(leaked), tn=len(leaked) - sum(leaked))


def load_gold(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_with(reader: str, data: bytes) -> str:
    """The text ``reader`` (a key of :data:`READERS`) extracts from a page's bytes."""
    return READERS[reader](webpage.decode_page(data).text)


READERS: Mapping[str, Callable[[str], str]] = {
    "trafilatura (precision)": lambda html: webpage.read_page(html, mode="precision").text,
    "trafilatura (recall)": lambda html: webpage.read_page(html, mode="recall").text,
    "htmltext (old reader)": lambda html: htmltext.extract(html).text,
}


def evaluate(
    gold: Iterable[Mapping[str, Any]], pages: str | os.PathLike[str], reader: str,
) -> dict[str, SnippetCounts]:
    """Counts per page kind (and ``"all"``) for ``reader`` over the gold pages in ``pages``."""
    counts: dict[str, SnippetCounts] = {}
    for page in gold:
        text = read_with(reader, (Path(pages) / page["file"]).read_bytes())
        found = check(text, page["with"], page["without"])
        counts[page["kind"]] = counts.get(page["kind"], SnippetCounts()) + found
        counts["all"] = counts.get("all", SnippetCounts()) + found
    return counts

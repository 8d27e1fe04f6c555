"""Lexicons and rule tables as data files (``*.tsv``) with a provenance header.

Minimal loader; the full strict loader lands with the lexicons themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


class LexiconError(ValueError):
    """A lexicon file is malformed; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class Table:
    meta: Mapping[str, str]
    columns: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]

    @property
    def name(self) -> str:
        return self.meta["name"]

    @property
    def version(self) -> str:
        return self.meta["version"]


def _read(source: str | Path) -> tuple[str, str]:
    if isinstance(source, Path) or "/" in str(source) or str(source).endswith(".tsv") and Path(source).exists():
        path = Path(source)
        return str(path), path.read_text(encoding="utf-8")
    name = str(source) if str(source).endswith(".tsv") else f"{source}.tsv"
    return name, resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def load_table(source: str | Path) -> Table:
    where, text = _read(source)
    meta: dict[str, str] = {}
    columns: tuple[str, ...] | None = None
    rows = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if columns is None and line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep:
                meta[key.strip()] = value.strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if columns is None:
            columns = tuple(fields)
            continue
        if len(fields) > len(columns):
            raise LexiconError(f"{where}:{lineno}: {len(fields)} fields, expected {len(columns)}")
        rows.append(dict(zip(columns, fields + [""] * (len(columns) - len(fields)))))
    if columns is None:
        raise LexiconError(f"{where}:1: no column header row")
    return Table(meta, columns, tuple(rows))

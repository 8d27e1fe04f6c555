"""Lexicon tables shipped with framing, and the one strict loader for them.

Every table is a tab-separated file with a metadata header::

    # name: loaded-language
    # version: 1.0
    # source: written by hand for framing ...
    # license: CC-BY-4.0 (written for the framing project)
    # columns: term, category, weight, match, note
    term	category	weight	match	note
    regime	pejorative	0.8	stem	name-calling label for a government

``load_table`` parses a shipped table by name (``"loaded"`` or ``"loaded.tsv"``)
or any file in the same format by path, so users extend or replace a lexicon
with their own file instead of editing code.  Anything malformed raises
``LexiconError`` with a ``path:line: reason`` message.

Provenance: a table with a ``provenance`` column says where each row comes from:
``hand`` (written by hand; ``score`` and ``sources`` empty), ``learned`` (learned
from annotated data: ``score`` is the number it was chosen by, e.g. a z-score,
and ``sources`` names the data), or ``user``.  ``load_shipped`` reads a shipped
table together with its companions of the same ``name`` (``loaded`` is the hand
table ``loaded.tsv`` followed by the learned ``loaded_learned.tsv``).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from importlib.resources import files
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

__all__ = ["LexiconError", "Table", "available", "load_shipped", "load_table"]

REQUIRED_META = ("name", "version", "source", "license", "columns")
MATCH_VALUES = ("stem", "exact", "prefix")
PROVENANCE_VALUES = ("hand", "learned", "user")
PROVENANCE_COLUMNS = ("provenance", "score", "sources")
# Shipped tables read as one under the first one's name: the learned lexicon beside the hand one.
COMPANIONS = {"loaded": ("loaded_learned",)}
_SUFFIX = ".tsv"


class LexiconError(ValueError):
    """A lexicon file that does not follow the format; message is ``path:line: reason``."""


class Table(NamedTuple):
    meta: Mapping[str, str]
    columns: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]

    @property
    def name(self) -> str:
        return self.meta["name"]

    @property
    def version(self) -> str:
        return self.meta["version"]


def available() -> list[str]:
    """Names (without ``.tsv``) of the tables shipped in ``framing.lexicons``."""
    return sorted(
        entry.name[: -len(_SUFFIX)]
        for entry in files(__name__).iterdir()
        if entry.name.endswith(_SUFFIX) and entry.is_file()
    )


def load_table(source: str | PathLike[str]) -> Table:
    """Parse a lexicon table from a path or a shipped resource name.

    A ``str`` without a path separator that is not an existing file is taken as
    a resource name: ``"loaded"`` and ``"loaded.tsv"`` both name the shipped
    ``framing/lexicons/loaded.tsv``.
    """
    if isinstance(source, str) and not _looks_like_path(source):
        resource = source if source.endswith(_SUFFIX) else source + _SUFFIX
        entry = files(__name__).joinpath(resource)
        if not entry.is_file():
            raise LexiconError(
                f"unknown lexicon {source!r}; available: {', '.join(available())}"
            )
        return _parse(entry.read_text(encoding="utf-8"), f"framing/lexicons/{resource}")
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path}:0: not UTF-8 ({exc.reason})") from None
    return _parse(text, str(path))


def _looks_like_path(source: str) -> bool:
    return "/" in source or "\\" in source or Path(source).is_file()


def _parse(text: str, path: str) -> Table:
    meta: dict[str, str] = {}
    lines = text.splitlines()
    lineno = 0
    header: list[str] | None = None
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            key = key.strip()
            if not sep or not key:
                raise LexiconError(f"{path}:{lineno}: metadata line is not '# key: value'")
            if key in meta:
                raise LexiconError(f"{path}:{lineno}: metadata key {key!r} given twice")
            meta[key] = value.strip()
            continue
        header = line.split("\t")
        break
    if header is None:
        raise LexiconError(f"{path}:{lineno}: no header row")
    header_line = lineno
    missing = [key for key in REQUIRED_META if not meta.get(key)]
    if missing:
        raise LexiconError(f"{path}:{header_line}: missing metadata: {', '.join(missing)}")
    columns = tuple(c.strip() for c in meta["columns"].split(","))
    if tuple(header) != columns:
        raise LexiconError(
            f"{path}:{header_line}: header row {'|'.join(header)!r} does not match "
            f"'# columns: {meta['columns']}'"
        )
    if len(set(columns)) != len(columns) or "" in columns:
        raise LexiconError(f"{path}:{header_line}: column names must be unique and non-empty")

    # a term may serve several categories (loaded.tsv) or frames (frames_*.tsv), one row each
    key_columns = (columns[0],) + tuple(c for c in ("category", "frame") if c in columns)
    seen: dict[tuple[str, ...], int] = {}
    rows: list[Mapping[str, str]] = []
    for lineno, line in enumerate(lines[header_line:], start=header_line + 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) > len(columns):
            raise LexiconError(
                f"{path}:{lineno}: {len(fields)} fields, expected at most {len(columns)}"
            )
        fields += [""] * (len(columns) - len(fields))
        row = dict(zip(columns, (f.strip() for f in fields)))
        first = row[columns[0]]
        if not first:
            raise LexiconError(f"{path}:{lineno}: empty {columns[0]!r}")
        if "  " in first:
            raise LexiconError(f"{path}:{lineno}: {first!r}: words must be separated by single spaces")
        if "weight" in row:
            _check_weight(row["weight"], path, lineno)
        if "provenance" in row:
            _check_provenance(row, path, lineno)
        if "match" in row and row["match"] not in MATCH_VALUES:
            raise LexiconError(
                f"{path}:{lineno}: unknown match {row['match']!r}; "
                f"expected one of {', '.join(MATCH_VALUES)}"
            )
        key = tuple(row[c] for c in key_columns)
        if key in seen:
            raise LexiconError(
                f"{path}:{lineno}: duplicate {' + '.join(key_columns)} {' / '.join(key)!r} "
                f"(first on line {seen[key]})"
            )
        seen[key] = lineno
        rows.append(MappingProxyType(row))
    return Table(MappingProxyType(meta), columns, tuple(rows))


def load_shipped(name: str) -> Table:
    """A shipped table with its companions (``COMPANIONS``) appended, under the first table's
    metadata; the version names every part (``"2.0+learned-1.0"``). Companions must have the
    same ``name`` and columns; a key found in two parts is refused like a duplicate row."""
    name = name[: -len(_SUFFIX)] if name.endswith(_SUFFIX) else name
    table = load_table(name)
    parts = [load_table(companion) for companion in COMPANIONS.get(name, ())]
    if not parts:
        return table
    rows = list(table.rows)
    key_columns = (table.columns[0],) + tuple(c for c in ("category", "frame") if c in table.columns)
    seen = {tuple(r[c] for c in key_columns): table.name for r in rows}
    for companion, part in zip(COMPANIONS[name], parts, strict=True):
        where = f"framing/lexicons/{companion}{_SUFFIX}"
        if part.name != table.name or part.columns != table.columns:
            raise LexiconError(
                f"{where}:0: a companion of {name!r} must have its name {table.name!r} and columns "
                f"{', '.join(table.columns)}"
            )
        for row in part.rows:
            key = tuple(row[c] for c in key_columns)
            if key in seen:
                raise LexiconError(f"{where}:0: {' / '.join(key)!r} is already in {name}{_SUFFIX}")
            seen[key] = part.name
            rows.append(row)
    version = "+".join([table.version] + [p.version for p in parts])
    return Table(MappingProxyType({**table.meta, "version": version}), table.columns, tuple(rows))


def _check_provenance(row: Mapping[str, str], path: str, lineno: int) -> None:
    provenance = row["provenance"]
    if provenance not in PROVENANCE_VALUES:
        raise LexiconError(
            f"{path}:{lineno}: unknown provenance {provenance!r}; expected one of {', '.join(PROVENANCE_VALUES)}"
        )
    score, sources = row.get("score", ""), row.get("sources", "")
    if provenance == "learned":
        try:
            value = float(score)
        except ValueError:
            raise LexiconError(f"{path}:{lineno}: a learned row needs a numeric score, got {score!r}") from None
        if not math.isfinite(value):
            raise LexiconError(f"{path}:{lineno}: score {score!r} is not finite")
        if not sources:
            raise LexiconError(f"{path}:{lineno}: a learned row must name its sources")
    elif provenance == "hand" and (score or sources):
        raise LexiconError(f"{path}:{lineno}: a hand row has no score or sources (found {score!r}, {sources!r})")


def _check_weight(value: str, path: str, lineno: int) -> None:
    try:
        weight = float(value)
    except ValueError:
        raise LexiconError(f"{path}:{lineno}: weight {value!r} is not a number") from None
    if not (math.isfinite(weight) and 0 < weight <= 1):
        raise LexiconError(f"{path}:{lineno}: weight {value!r} is outside (0, 1]")

"""Reading inputs into plain records: no analysis happens here.

:func:`read_inputs` turns paths (and ``-`` for standard input) into a stream of
:class:`Record` (a document to analyse) and :class:`Reject` (something that could not
become one, with where and why).  A bad record never costs the others: every problem
is a ``Reject`` in the stream, and reading goes on.

Supported inputs
    ``.txt``                  one document, the whole file; id = file stem
    ``.html`` / ``.htm``      a saved web page: the article text and the page's metadata
                              (see :mod:`framing.webpage`); metadata ``text_source``
                              names the reader, ``html_sha256`` the page read, and the
                              record's ``extraction`` says what was dropped
    ``.jsonl`` (``.jsonl.gz``) one JSON object per line with ``id`` and ``text`` (or
                              ``html``: a saved page's markup, read as a ``.html`` file)
    ``.csv`` (``.csv.gz``)    a header row, then one row per document, ``id`` and
                              ``text`` (or ``html``) columns
    a directory               with ``manifest.csv``: exactly the files it lists
                              (columns ``id``, ``file`` and metadata); without one:
                              every supported file below it, recursively, in sorted
                              order, hidden files and directories skipped
                              (unsupported files in a directory are not records and
                              are skipped silently; named explicitly they are rejected)
    ``-``                     standard input: JSONL if its first non-blank character
                              is ``{``, otherwise one plain-text document with id
                              ``stdin``

Text is never normalised: newlines (``\\r\\n`` included) and whitespace reach analysis
exactly as given, so span offsets point into the input.  Two things are removed:
a leading UTF-8 byte-order mark, silently (it is an encoding marker, not text), and
invalid UTF-8 bytes, each maximal invalid sequence replaced by U+FFFD *with a warning
on the record* counting them (or a ``Reject`` when ``encoding_errors="strict"``).

Reading streams: files are read line by line or row by row, gzip is decompressed on
the fly, directories are walked lazily.  What is kept for the whole run is the set of
delivered ids (with where each was first seen), to reject duplicates.

Metadata: ``title``, ``outlet``, ``author``, ``date``, ``url`` and any other field or
column are carried through.  JSON values are kept as given; empty CSV cells are left
out (an empty cell means "not given").  A web page's own metadata (title, author, date,
site name as ``outlet``, URL, language) fills only the fields the input does not give:
a manifest, JSONL or CSV value always wins.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO, TextIO

from framing import webpage

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MANIFEST_NAME",
    "SUPPORTED_SUFFIXES",
    "Record",
    "Reject",
    "read_inputs",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MANIFEST_NAME = "manifest.csv"
SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz", ".csv", ".csv.gz")
ENCODING_ERRORS = ("replace", "strict")
STDIN_ID = "stdin"
STDIN_ORIGIN = "<stdin>"

_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Control characters that never occur in text (tab, newlines, form feed and
# vertical tab excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BINARY_CONTROL_SHARE = 0.10
_BINARY_INVALID_SHARE = 0.30
_BINARY_INVALID_MIN = 16
# A JSON or CSV line may be larger than the text it holds (escapes, quoting,
# metadata); lines beyond this many times the record limit are refused unread.
_LINE_OVERHEAD_FACTOR = 6
_LINE_OVERHEAD_BYTES = 1 << 20
_SHOWN_OFFSETS = 5


@dataclass(frozen=True, slots=True)
class Record:
    """One document to analyse."""

    id: str
    text: str                    # exactly the text analysis will see; span offsets point into it
    metadata: Mapping[str, Any]  # title, outlet, author, date, url + any unknown fields
    origin: str                  # "path", "path:LINE" (jsonl), "path:row N" (csv), "<stdin>"
    warnings: tuple[str, ...] = ()
    extraction: Mapping[str, Any] | None = None  # for text extracted from a web page: how (webpage.Page)


@dataclass(frozen=True, slots=True)
class Reject:
    """Something that could not become a :class:`Record`, with where and why."""

    id: str | None
    origin: str                  # file and line/row number
    reason: str                  # human-readable, names the bad value


Item = Record | Reject


def read_inputs(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    stdin: TextIO | BinaryIO | None = None,
    max_bytes: int | None = None,
    max_chars: int | None = None,
    encoding_errors: str = "replace",
    html_mode: str = webpage.DEFAULT_HTML_MODE,
) -> Iterator[Item]:
    """Stream :class:`Record` and :class:`Reject` items from ``inputs``, in order.

    ``inputs`` are paths (files or directories) or ``"-"`` for ``stdin`` (default
    ``sys.stdin``).  ``max_bytes`` bounds the UTF-8 size of one record's text (for HTML,
    of the page as read); ``max_chars``, when given, the number of characters of its text.
    With ``max_chars`` alone the byte limit becomes the larger of ``DEFAULT_MAX_BYTES`` and
    ``4 * max_chars`` (UTF-8 needs at most 4 bytes a character), so that the character
    limit is the one that decides.  ``encoding_errors`` is ``"replace"`` (invalid UTF-8 replaced,
    with a warning) or ``"strict"`` (a record with invalid UTF-8 is rejected; a web page
    that declares no charset is then not read as windows-1252 either).  ``html_mode``:
    how web pages are read, one of ``framing.webpage.HTML_MODES`` (``"precision"``, the
    default, or ``"recall"``).

    A CSV row number counts data rows from 1 (the header is not a row); a JSONL line
    number counts physical lines from 1.  Duplicate ids are rejected after the first
    delivered record with that id; a record rejected for another reason does not
    claim its id.
    """
    if isinstance(inputs, (str, bytes, os.PathLike)):
        raise TypeError(
            f"read_inputs() expects an iterable of paths, got a single path {inputs!r}; "
            f"wrap it in a list: read_inputs([{inputs!r}])"
        )
    for name, value in (("max_bytes", max_bytes), ("max_chars", max_chars)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if max_bytes is None:
        max_bytes = DEFAULT_MAX_BYTES if max_chars is None else max(DEFAULT_MAX_BYTES, 4 * max_chars)
    if encoding_errors not in ENCODING_ERRORS:
        raise ValueError(
            f"unknown encoding_errors {encoding_errors!r}; available: {', '.join(ENCODING_ERRORS)}"
        )
    if html_mode not in webpage.HTML_MODES:
        raise ValueError(f"unknown html_mode {html_mode!r}; available: {', '.join(webpage.HTML_MODES)}")
    run = _Run(max_bytes=max_bytes, max_chars=max_chars, strict=encoding_errors == "strict", stdin=stdin,
               html_mode=html_mode)
    return run.read_all(inputs)


# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True, slots=True)
class _Decoded:
    text: str
    bad: tuple[tuple[int, int], ...]  # (byte offset, length) of each replaced sequence
    size: int                         # bytes decoded

    @property
    def bad_bytes(self) -> int:
        return sum(n for _, n in self.bad)


def _decode_utf8(data: bytes) -> _Decoded:
    """Decode like ``data.decode("utf-8", "replace")`` but say where bytes were replaced."""
    try:
        return _Decoded(data.decode("utf-8"), (), len(data))
    except UnicodeDecodeError:
        pass
    view = memoryview(data)
    parts: list[str] = []
    bad: list[tuple[int, int]] = []
    pos = 0
    while pos < len(data):
        try:
            parts.append(codecs.utf_8_decode(view[pos:], "strict", True)[0])
            break
        except UnicodeDecodeError as e:
            parts.append(codecs.utf_8_decode(view[pos:pos + e.start], "strict", True)[0])
            parts.append("\ufffd")
            bad.append((pos + e.start, e.end - e.start))
            pos += e.end
    return _Decoded("".join(parts), tuple(bad), len(data))


def _replacement_warning(bad: Iterable[tuple[int, int]], where: str) -> str:
    bad = list(bad)
    offsets = ", ".join(str(off) for off, _ in bad[:_SHOWN_OFFSETS])
    more = f" and {len(bad) - _SHOWN_OFFSETS} more" if len(bad) > _SHOWN_OFFSETS else ""
    n = sum(length for _, length in bad)
    return (
        f"invalid UTF-8 bytes replaced with U+FFFD ({n} byte{'s' if n != 1 else ''} "
        f"at byte offset{'s' if len(bad) != 1 else ''} {offsets}{more} {where})"
    )


def _binary_reason(text: str, invalid_bytes: int = 0, size: int = 0) -> str | None:
    """Why ``text`` looks like binary content rather than text, or None."""
    if "\x00" in text:
        return "looks binary: contains NUL bytes"
    if text:
        controls = sum(1 for _ in _CONTROL.finditer(text))
        if controls / len(text) > _BINARY_CONTROL_SHARE:
            return f"looks binary: {controls} of {len(text)} characters are control characters"
    if size and invalid_bytes >= _BINARY_INVALID_MIN and invalid_bytes / size > _BINARY_INVALID_SHARE:
        return f"looks binary: {invalid_bytes} of {size} bytes are not valid UTF-8"
    return None


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


# --------------------------------------------------------------------------- line source


class _LineTooLong(Exception):
    def __init__(self, lineno: int, size: int) -> None:
        super().__init__(lineno, size)
        self.lineno = lineno
        self.size = size


class _Lines:
    """Decoded physical lines of a byte stream, split on ``\\n`` only, endings kept.

    Lines longer than ``limit`` bytes are skipped unread (a ``_LineTooLong`` is raised
    for them, after which iteration can go on).  Replacements made while decoding are
    collected in ``pending`` for the caller to attach to the record they belong to.
    A class rather than a generator so that ``csv.reader`` can resume after a raise.
    """

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self.lineno = 0
        self.pending: list[tuple[int, int]] = []   # (offset in the line, length)
        self.pending_bytes = 0                       # size of the lines that produced them
        self._first = True
        self.had_bom = False
        self._pushback: list[bytes] = []

    def __iter__(self) -> _Lines:
        return self

    def __enter__(self) -> _Lines:  # noqa: PYI034 (typing.Self needs 3.11; we support 3.10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()

    def push_back(self, raw_lines: list[bytes]) -> None:
        """Return ``raw_lines`` (already read, in order) before reading on."""
        self._pushback = raw_lines + self._pushback
        self.lineno -= len(raw_lines)

    def readline_bytes(self) -> bytes:
        if self._pushback:
            self.lineno += 1
            return self._pushback.pop(0)
        line = self._stream.readline(self._limit + 1)
        if not line:
            raise StopIteration
        self.lineno += 1
        if self._first:
            self._first = False
            self.had_bom = line.startswith(_BOM)
            line = line.removeprefix(_BOM)
        if len(line) > self._limit and not line.endswith(b"\n"):
            size = len(line)
            while chunk := self._stream.readline(1 << 20):
                size += len(chunk)
                if chunk.endswith(b"\n"):
                    break
            raise _LineTooLong(self.lineno, size)
        return line

    def __next__(self) -> str:
        line = self.readline_bytes()
        decoded = _decode_utf8(line)
        if decoded.bad:
            self.pending.extend(decoded.bad)
            self.pending_bytes += len(line)
        return decoded.text

    def take_pending(self) -> tuple[list[tuple[int, int]], int]:
        bad, size = self.pending, self.pending_bytes
        self.pending, self.pending_bytes = [], 0
        return bad, size


class _TextAsBytes:
    """A text stream (without a ``.buffer``) seen as UTF-8 bytes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def readline(self, limit: int = -1) -> bytes:
        return self._stream.readline(limit).encode("utf-8", "surrogatepass")

    def read(self, n: int = -1) -> bytes:
        return self._stream.read(n).encode("utf-8", "surrogatepass")


# --------------------------------------------------------------------------- the run


def _suffix(name: str) -> str | None:
    lower = name.lower()
    for suffix in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return suffix
    return None


def _stem(path: str) -> str:
    name = os.path.basename(path)
    suffix = _suffix(name)
    return name[: -len(suffix)] if suffix else os.path.splitext(name)[0]


def _open_binary(path: str) -> IO[bytes]:
    if path.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def _os_reason(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return "file does not exist"
    return f"cannot read: {e.strerror or e}"


# Errors a (possibly gzipped) stream can raise part-way through.
_READ_ERRORS = (OSError, EOFError, zlib.error)


@dataclass(slots=True)
class _Run:
    max_bytes: int
    max_chars: int | None
    strict: bool
    stdin: TextIO | BinaryIO | None
    html_mode: str = webpage.DEFAULT_HTML_MODE
    seen: dict[str, str] = field(default_factory=dict)  # delivered id -> first origin

    @property
    def line_limit(self) -> int:
        return _LINE_OVERHEAD_FACTOR * self.max_bytes + _LINE_OVERHEAD_BYTES

    # ---- entry points

    def read_all(self, inputs: Iterable[str | os.PathLike[str]]) -> Iterator[Item]:
        for item in inputs:
            path = os.fspath(item)
            if path == "-":
                yield from self.read_stdin()
            elif os.path.isdir(path):
                yield from self.read_dir(path)
            else:
                yield from self.read_file(path)

    def read_dir(self, path: str, _visited: set[str] | None = None) -> Iterator[Item]:
        visited = set() if _visited is None else _visited
        real = os.path.realpath(path)
        if real in visited:       # a symlink loop
            return
        visited.add(real)
        manifest = os.path.join(path, MANIFEST_NAME)
        if os.path.isfile(manifest):
            yield from self.read_manifest(path, manifest)
            return
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as e:
            yield Reject(None, path, _os_reason(e))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = os.path.join(path, entry.name)
            if entry.is_dir():
                yield from self.read_dir(child, visited)
            elif _suffix(entry.name):
                yield from self.read_file(child)

    def read_file(self, path: str) -> Iterator[Item]:
        suffix = _suffix(os.path.basename(path))
        if not os.path.exists(path):
            yield Reject(None, path, "file does not exist")
            return
        if suffix is None:
            yield Reject(
                None, path,
                f"unsupported file type {os.path.splitext(path)[1] or os.path.basename(path)!r}; "
                f"supported: {', '.join(SUPPORTED_SUFFIXES)}",
            )
            return
        reader: Callable[[str], Iterator[Item]]
        if suffix in (".jsonl", ".jsonl.gz"):
            reader = self.read_jsonl
        elif suffix in (".csv", ".csv.gz"):
            reader = self.read_csv
        else:
            yield self.read_document(path, suffix, {}, None)
            return
        yield from reader(path)

    # ---- one document per file

    def read_document(
        self, path: str, suffix: str, given: Mapping[str, Any], given_id: str | None,
    ) -> Item:
        doc_id = given_id or _stem(path)
        try:
            with open(path, "rb") as f:
                data = f.read(self.max_bytes + len(_BOM) + 1)
                bom = len(_BOM) if data.startswith(_BOM) else 0
                if len(data) - bom > self.max_bytes:
                    size = os.fstat(f.fileno()).st_size - bom
                    return Reject(doc_id, path, f"too large: {size} bytes > limit {self.max_bytes}")
        except OSError as e:
            return Reject(doc_id, path, _os_reason(e))
        if suffix in webpage.HTML_SUFFIXES:
            return self.read_page_bytes(data, doc_id, dict(given), path)
        decoded = self.decode_document(data, path, doc_id)
        if isinstance(decoded, Reject):
            return decoded
        text, warnings = decoded
        return self.accept(doc_id, text, dict(given), path, warnings, checked_binary=True)

    # ---- web pages

    def read_page_bytes(self, data: bytes, doc_id: str, given: dict[str, Any], origin: str) -> Item:
        """A saved page's bytes: decoded as a browser would, then :meth:`page_record`."""
        decoded = webpage.decode_page(data, guess=not self.strict)
        binary = _binary_reason(decoded.text, decoded.bad_bytes, len(data) - decoded.bom)
        if binary:
            return Reject(doc_id, origin, binary)
        warnings = self.encoding_warnings(doc_id, origin, list(decoded.bad), "in the file")
        if isinstance(warnings, Reject):
            return warnings
        if decoded.note:
            warnings.append(decoded.note)
        return self.page_record(decoded.text, doc_id, given, origin, warnings,
                                encoding=decoded.encoding, html_sha256=hashlib.sha256(data).hexdigest())

    def page_record(
        self, html: str, doc_id: str, given: dict[str, Any], origin: str, warnings: list[str],
        *, encoding: str | None = None, html_sha256: str | None = None,
    ) -> Item:
        """A record from a web page's markup: the article text, the page's metadata where the
        input gives none, and the extraction record; an empty extraction is a Reject."""
        page = webpage.read_page(html, mode=self.html_mode, encoding=encoding, html_sha256=html_sha256)
        if page.reason:
            return Reject(doc_id, origin, page.reason)
        metadata = dict(given)
        for key, value in page.metadata.items():
            if metadata.get(key) is None or (isinstance(metadata[key], str) and not metadata[key].strip()):
                metadata[key] = value
        metadata["text_source"] = page.reader
        metadata["html_sha256"] = page.extraction["html_sha256"]
        return self.accept(doc_id, page.text, metadata, origin, warnings, checked_binary=True,
                           extraction=page.extraction)

    def decode_document(
        self, data: bytes, origin: str, doc_id: str | None, where: str = "in the file",
    ) -> tuple[str, list[str]] | Reject:
        """Bytes of a whole document -> (text, warnings), or a Reject.

        Offsets in warnings count from the start of the input, byte-order mark included.
        """
        if data.startswith(_UTF16_BOMS):
            return Reject(doc_id, origin, "looks binary: starts with a UTF-16 byte-order mark; "
                          "convert the file to UTF-8")
        bom = len(_BOM) if data.startswith(_BOM) else 0
        decoded = _decode_utf8(data[bom:])
        binary = _binary_reason(decoded.text, decoded.bad_bytes, decoded.size)
        if binary:
            return Reject(doc_id, origin, binary)
        bad = [(off + bom, n) for off, n in decoded.bad]
        warnings = self.encoding_warnings(doc_id, origin, bad, where)
        if isinstance(warnings, Reject):
            return warnings
        return decoded.text, warnings

    def encoding_warnings(
        self, doc_id: str | None, origin: str, bad: list[tuple[int, int]], where: str,
    ) -> list[str] | Reject:
        """The warning for replaced bytes (none if there were none), or a Reject if strict."""
        if not bad:
            return []
        if self.strict:
            return Reject(doc_id, origin, f"invalid UTF-8 at byte offset {bad[0][0]} {where} "
                                          "(encoding_errors='strict')")
        return [_replacement_warning(bad, where)]

    # ---- JSON lines

    def open_lines(self, path: str) -> _Lines | Reject:
        try:
            return _Lines(_open_binary(path), self.line_limit)
        except OSError as e:
            return Reject(None, path, _os_reason(e))

    def read_jsonl(self, path: str) -> Iterator[Item]:
        lines = self.open_lines(path)
        if isinstance(lines, Reject):
            yield lines
            return
        with lines:
            yield from self.jsonl_lines(lines, path)

    def jsonl_lines(self, lines: _Lines, source: str) -> Iterator[Item]:
        records = 0
        for lineno, line, bad in _numbered(lines, source):
            if isinstance(line, Reject):
                records += 1
                yield line
                continue
            if not line.strip():
                continue
            records += 1
            yield self.json_record(line, f"{source}:{lineno}", bad)
        if not records:
            yield Reject(None, source, "no records: the input is empty")

    def json_record(self, line: str, origin: str, bad: list[tuple[int, int]]) -> Item:
        try:
            obj = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as e:
            return Reject(None, origin, f"malformed JSON: {e}")
        except RecursionError:
            return Reject(None, origin, "malformed JSON: nested too deeply")
        if not isinstance(obj, dict):
            return Reject(None, origin, f"JSON line is not an object but {_json_type(obj)}")
        if "id" not in obj:
            return Reject(None, origin, "missing 'id' field")
        doc_id = obj["id"]
        if isinstance(doc_id, int) and not isinstance(doc_id, bool):
            doc_id = str(doc_id)   # a numeric id is still an id
        if not isinstance(doc_id, str):
            return Reject(None, origin, f"'id' must be a string, got {_json_type(doc_id)} {doc_id!r:.60}")
        if not doc_id.strip():
            return Reject(None, origin, f"empty 'id' {doc_id!r}")
        if "text" not in obj and isinstance(obj.get("html"), str):
            warnings = self.encoding_warnings(doc_id, origin, bad, "in the line")
            if isinstance(warnings, Reject):
                return warnings
            metadata = {k: v for k, v in obj.items() if k not in ("id", "html")}
            return self.page_record(obj["html"], doc_id, metadata, origin, warnings)
        if "text" not in obj:
            return Reject(doc_id, origin, "missing 'text' field")
        text = obj["text"]
        if not isinstance(text, str):
            return Reject(doc_id, origin, f"'text' must be a string, got {_json_type(text)} {text!r:.60}")
        warnings = self.encoding_warnings(doc_id, origin, bad, "in the line")
        if isinstance(warnings, Reject):
            return warnings
        metadata = {k: v for k, v in obj.items() if k not in ("id", "text")}
        return self.accept(doc_id, text, metadata, origin, warnings)

    # ---- CSV

    def csv_rows(
        self, path: str, required: tuple[str, ...], alternatives: Mapping[str, str] | None = None,
    ) -> Iterator[tuple[str, dict[str, str], list[tuple[int, int]]] | Reject]:
        """Rows of a CSV file with a header, as (origin, {column: cell}, replaced bytes).

        A header without the ``required`` columns (or their ``alternatives``) is one Reject
        for the whole file.
        """
        alternatives = alternatives or {}
        _raise_csv_field_limit(self.max_bytes + 1)
        lines = self.open_lines(path)
        if isinstance(lines, Reject):
            yield lines
            return
        with lines:
            reader = csv.reader(lines)
            header: list[str] | None = None
            row_no = 0
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except _LineTooLong as e:
                    row_no += 1
                    yield Reject(None, f"{path}:row {row_no}",
                                 f"too large: line {e.lineno} has {e.size} bytes > limit {self.line_limit}")
                    continue
                except csv.Error as e:
                    row_no += 1
                    reason = str(e)
                    if "field larger than field limit" in reason:
                        reason = f"too large: a field exceeds {self.max_bytes} characters"
                    else:
                        reason = f"malformed CSV (line {lines.lineno}): {reason}"
                    yield Reject(None, f"{path}:row {row_no}", reason)
                    continue
                except _READ_ERRORS as e:
                    yield Reject(None, f"{path}:line {lines.lineno + 1}", f"cannot read further: {e}")
                    return
                bad, _ = lines.take_pending()
                if not row:          # a blank line
                    continue
                if header is None:
                    header = [name.strip() for name in row]
                    dup = sorted({n for n in header if header.count(n) > 1})
                    if dup:
                        yield Reject(None, f"{path}:header", f"duplicate column {dup[0]!r} in header")
                        return
                    missing = [c for c in required if c not in header and alternatives.get(c) not in header]
                    if missing:
                        yield Reject(None, f"{path}:header",
                                     f"missing required column{'s' if len(missing) > 1 else ''} "
                                     f"{', '.join(map(repr, missing))}; header has: {', '.join(header)}")
                        return
                    continue
                row_no += 1
                origin = f"{path}:row {row_no}"
                if len(row) != len(header):
                    id_at = header.index("id") if "id" in header else None
                    row_id = row[id_at] if id_at is not None and id_at < len(row) and row[id_at] else None
                    yield Reject(row_id, origin,
                                 f"row has {len(row)} fields, header has {len(header)}")
                    continue
                yield origin, dict(zip(header, row)), bad
            if header is None:
                yield Reject(None, path, "no records: the input is empty (no header row)")

    def read_csv(self, path: str) -> Iterator[Item]:
        for item in self.csv_rows(path, required=("id", "text"), alternatives={"text": "html"}):
            if isinstance(item, Reject):
                yield item
                continue
            origin, row, bad = item
            doc_id = row["id"]
            if not doc_id.strip():
                yield Reject(None, origin, f"empty 'id' {doc_id!r}")
                continue
            warnings = self.encoding_warnings(doc_id, origin, bad, "in the row's lines")
            if isinstance(warnings, Reject):
                yield warnings
                continue
            metadata = {k: v for k, v in row.items() if k not in ("id", "text", "html") and v != ""}
            if "text" not in row:
                yield self.page_record(row["html"], doc_id, metadata, origin, warnings)
                continue
            yield self.accept(doc_id, row["text"], metadata, origin, warnings)

    # ---- manifest

    def read_manifest(self, directory: str, manifest: str) -> Iterator[Item]:
        for item in self.csv_rows(manifest, required=("file",)):
            if isinstance(item, Reject):
                yield item
                continue
            origin, row, _ = item
            name = row["file"]
            row_id = row.get("id") or None
            if not name.strip():
                yield Reject(row_id, origin, "manifest row has an empty 'file'")
                continue
            path = os.path.join(directory, name)
            suffix = _suffix(name)
            if suffix not in (".txt", ".html", ".htm"):
                yield Reject(row_id, origin,
                             f"manifest file {name!r} is not a single-document file "
                             "(.txt, .html, .htm); list JSONL/CSV files as inputs instead")
                continue
            if not os.path.isfile(path):
                yield Reject(row_id, origin, f"manifest lists {name!r}, which does not exist")
                continue
            given = {k: v for k, v in row.items() if k not in ("id", "file") and v != ""}
            yield self.read_document(path, suffix, given, row_id)

    # ---- standard input

    def read_stdin(self) -> Iterator[Item]:
        stream: Any = self.stdin if self.stdin is not None else sys.stdin
        if isinstance(stream, io.TextIOBase):
            stream = getattr(stream, "buffer", None) or _TextAsBytes(stream)
        lines = _Lines(stream, self.line_limit)
        raw_prefix: list[bytes] = []
        try:
            while True:
                try:
                    raw = lines.readline_bytes()
                except StopIteration:
                    break
                raw_prefix.append(raw)
                if raw.strip():
                    break
        except _LineTooLong as e:      # one enormous line: not JSONL-sized, too large either way
            yield Reject(STDIN_ID, STDIN_ORIGIN, f"too large: line {e.lineno} has {e.size} bytes "
                                                 f"> limit {self.line_limit}")
            return
        except _READ_ERRORS as e:
            yield Reject(None, STDIN_ORIGIN, f"cannot read: {e}")
            return
        first = raw_prefix[-1].lstrip() if raw_prefix else b""
        if first.startswith(b"{"):
            lines.push_back(raw_prefix)
            yield from self.jsonl_lines(lines, STDIN_ORIGIN)
            return
        budget = self.max_bytes + 1 - sum(map(len, raw_prefix))
        try:
            rest = stream.read(budget) if budget > 0 else b""
        except _READ_ERRORS as e:
            yield Reject(None, STDIN_ORIGIN, f"cannot read: {e}")
            return
        data = (_BOM if lines.had_bom else b"") + b"".join(raw_prefix) + rest
        if len(data) - len(_BOM) * lines.had_bom > self.max_bytes:
            size = len(data) - len(_BOM) * lines.had_bom
            try:
                while chunk := stream.read(1 << 20):   # count, do not keep
                    size += len(chunk)
            except _READ_ERRORS:
                pass
            yield Reject(STDIN_ID, STDIN_ORIGIN, f"too large: {size} bytes > limit {self.max_bytes}")
            return
        decoded = self.decode_document(data, STDIN_ORIGIN, STDIN_ID, "in standard input")
        if isinstance(decoded, Reject):
            yield decoded
            return
        text, warnings = decoded
        yield self.accept(STDIN_ID, text, {}, STDIN_ORIGIN, warnings, checked_binary=True)

    # ---- the checks every record passes

    def accept(
        self, doc_id: str, text: str, metadata: dict[str, Any], origin: str,
        warnings: list[str], *, checked_binary: bool = False,
        extraction: Mapping[str, Any] | None = None,
    ) -> Item:
        if self.max_chars is not None and len(text) > self.max_chars:
            return Reject(doc_id, origin, f"too large: {len(text)} characters > limit {self.max_chars}")
        size = _utf8_size(text)
        if size > self.max_bytes:
            return Reject(doc_id, origin, f"too large: {size} bytes > limit {self.max_bytes}")
        if not checked_binary:
            binary = _binary_reason(text)
            if binary:
                return Reject(doc_id, origin, binary)
        if not text.strip():
            what = "empty text" if not text else f"whitespace-only text ({len(text)} characters)"
            return Reject(doc_id, origin, what)
        first = self.seen.get(doc_id)
        if first is not None:
            return Reject(doc_id, origin, f"duplicate id {doc_id!r} (first seen at {first})")
        self.seen[doc_id] = origin
        return Record(doc_id, text, metadata, origin, tuple(warnings), extraction)


def _numbered(
    lines: _Lines, source: str,
) -> Iterator[tuple[int, str | Reject, list[tuple[int, int]]]]:
    """(line number, decoded line or Reject, replaced bytes) for each line; stops after
    a read error (a corrupt gzip stream cannot be resynchronised)."""
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except _LineTooLong as e:
            yield e.lineno, Reject(None, f"{source}:{e.lineno}",
                                   f"too large: line has {e.size} bytes > limit {lines._limit}"), []
            continue
        except _READ_ERRORS as e:
            yield lines.lineno + 1, Reject(None, f"{source}:{lines.lineno + 1}",
                                           f"cannot read further: {e}"), []
            return
        bad, _ = lines.take_pending()
        yield lines.lineno, line, bad


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", int: "a number",
            float: "a number", bool: "a boolean", type(None): "null"}.get(type(value), type(value).__name__)


def _raise_csv_field_limit(limit: int) -> None:
    """Let the csv module read fields of up to ``limit`` characters.

    ``csv.field_size_limit`` is process-wide; it is only ever raised, never lowered,
    so other users of the csv module keep at least the limit they set.
    """
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)

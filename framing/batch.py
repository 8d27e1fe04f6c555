"""Many documents: streaming, worker processes, a resumable store, rejects.

:func:`score_batch` scores a stream of :class:`~framing.corpus.Record` / ``Reject`` items
(or input paths) with worker processes and yields one :class:`~framing.scoring.Scored` per
input item, record by record:

* **Streaming, flat memory.** Input is read lazily; at most ``window`` chunks of
  ``chunksize`` records are in flight; results are yielded as soon as their turn comes.
  Nothing keeps a list of documents or results.
* **Workers** are processes, each building its own :class:`~framing.pipeline.Resources`
  once (cached per process and configuration). Records travel to them as plain
  ``(id, text, metadata, origin, warnings, extraction)`` tuples and come back as JSON-ready dicts: the
  record (``ArticleResult.to_dict()``) and the flat figures row (the CSV row). Dicts rather
  than pickled ``ArticleResult``: the store and the writers need them anyway, and building
  them in the workers keeps the parent process (which reads, hashes, stores and writes) light.
* **Order.** ``ordered=True`` (default) yields in input order, identical to one worker;
  ``ordered=False`` yields as results finish. Rejects keep their place in ordered runs.
* **Failures.** An analyzer error on one article rejects that article (with the error); a
  worker process that dies (segfault, ``os._exit``) takes the records it held with it, so
  those are retried one at a time in a fresh pool and only the one that kills a worker again
  is rejected.
* **Store** (:class:`Store`): an SQLite database keyed by article id, holding the record, its
  figures row, a hash of the text + metadata and a hash of the configuration (framing
  version, schema, analyzer names + versions, user lexicon/model fingerprint). An article
  whose id, input hash and configuration hash are unchanged is read from the store instead
  of being analysed (``Scored.from_store``). Rows are upserted and committed in small
  transactions (WAL), so a run killed at any moment loses at most the last uncommitted
  rows, which the next run scores again.

The same scoring runs on a Dask cluster with ``engine="dask"`` (optional extra ``dask``).
Library code never prints; progress is reported through the ``progress`` callback.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from framing import __version__
from framing import analyzers as registry
from framing.corpus import Record, Reject, read_inputs
from framing.output import flat_row
from framing.results import SCHEMA_VERSION
from framing.scoring import Scored, ScoreOptions, score_record
from framing.webpage import DEFAULT_HTML_MODE

__all__ = [
    "DEFAULT_CHUNKSIZE",
    "ENGINES",
    "BatchCounts",
    "Store",
    "config_key",
    "input_key",
    "is_store_file",
    "iter_store_records",
    "iter_store_rows",
    "score_batch",
]

ENGINES = ("local", "dask")
DEFAULT_CHUNKSIZE = 8
# A chunk is also closed when its texts reach this many characters, so a few giant
# articles do not make one huge message (and one huge share of the in-flight memory).
CHUNK_CHARS = 1 << 20
COMMIT_EVERY = 64          # store rows per transaction
COMMIT_SECONDS = 2.0       # ... or this long since the last commit
EXIT_PARENT_GONE = 70      # a worker's exit status when it ends because its parent died
ABORT_JOIN_SECONDS = 5.0   # an interrupted run waits this long for each terminated worker

# (id, text, metadata, origin, warnings, extraction): what a worker receives for one record.
RecordTuple = tuple[str, str, Mapping[str, Any], str, tuple[str, ...], Mapping[str, Any] | None]
# What a worker sends back for one record: ("ok", id, record, row) or ("reject", id, origin, reason).
Outcome = tuple[str, Any, Any, Any]


# --------------------------------------------------------------------------- keys


def input_key(record: Record) -> str:
    """A hash of what analysis sees: the text and the metadata."""
    digest = hashlib.sha256(record.text.encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(json.dumps(record.metadata, sort_keys=True, ensure_ascii=False, default=str).encode())
    digest.update(b"\0")
    digest.update("\n".join(record.warnings).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def config_key(options: ScoreOptions) -> str:
    """A hash of everything that changes results besides the input: framing and schema
    versions, the analyzers run and their versions, user lexicons and model."""
    config = {
        "framing": __version__,
        "schema": SCHEMA_VERSION,
        "analyzers": dict(registry.versions(registry.resolve(options.analyzers))),
        "resources": options.resources().fingerprint(),
    }
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:32]


# --------------------------------------------------------------------------- worker side

_WORKER_CACHE: dict[tuple, Any] = {}


def _worker_resources(options: ScoreOptions) -> Any:
    """Resources for ``options``, built once per process (local pool or Dask worker)."""
    key = (
        None if options.analyzers is None else tuple(options.analyzers),
        tuple(os.fspath(p) for p in options.lexicon_files),
        options.replace_categories,
        None if options.model is None else os.fspath(options.model),
        tuple(os.fspath(p) for p in options.frames_model),
    )
    resources = _WORKER_CACHE.get(key)
    if resources is None:
        resources = _WORKER_CACHE[key] = options.resources()
    return resources


def _init_worker(options: ScoreOptions) -> None:
    _exit_with_parent()
    _worker_resources(options)


def _exit_with_parent() -> None:
    """Make this worker process end when the process that started it dies, however it dies.

    A pool worker waits for work on a queue whose write end it holds itself, so it never sees
    its parent go: after a ``kill -9`` of ``framing score`` the workers lived on, and with them
    the forkserver (each worker holds its "alive" pipe) and the resource tracker (held by
    both), ~290 MB each. ``multiprocessing.parent_process().sentinel`` is the read end of a
    pipe whose write end only the parent holds: it becomes readable (end of file) when the
    parent is gone, whatever killed it. A daemon thread waits on it and ends the process.

    SIGINT is ignored: Ctrl-C in a terminal signals the whole process group, and it is the
    parent that stops the run (ending its workers), reports and removes its partial output.
    """
    import signal
    import threading
    from multiprocessing import connection, parent_process

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = parent_process()
    if parent is None or parent.sentinel is None:  # pragma: no cover - not started by multiprocessing
        return

    def watch() -> None:
        connection.wait([parent.sentinel])
        os._exit(EXIT_PARENT_GONE)

    threading.Thread(target=watch, name="framing-parent-watch", daemon=True).start()


def score_tuple(item: RecordTuple, options: ScoreOptions) -> Outcome:
    """Score one record tuple into ("ok", id, record, row) or ("reject", id, origin, reason)."""
    doc_id, text, metadata, origin, warnings, extraction = item
    record = Record(doc_id, text, metadata, origin, tuple(warnings), extraction)
    scored = score_record(record, _worker_resources(options), options.analyzers)
    if scored.reject is not None:
        return ("reject", doc_id, origin, scored.reject.reason)
    try:
        return ("ok", doc_id, scored.result.to_dict(), flat_row(scored.result))
    except Exception as error:  # noqa: BLE001 - one bad article must not stop the batch
        return ("reject", doc_id, origin, f"serialising the result failed: {type(error).__name__}: {error}")


def score_chunk(chunk: Sequence[RecordTuple], options: ScoreOptions) -> list[Outcome]:
    """The unit of work sent to a worker process or a Dask task."""
    return [score_tuple(item, options) for item in chunk]


def _as_tuple(record: Record) -> RecordTuple:
    extraction = dict(record.extraction) if record.extraction is not None else None
    return (record.id, record.text, dict(record.metadata), record.origin, tuple(record.warnings), extraction)


# --------------------------------------------------------------------------- engines


class _InProcess:
    """workers=1: no pool; chunks are scored when submitted (results are 'done' futures)."""

    def __init__(self, options: ScoreOptions) -> None:
        self.options = options

    def submit(self, chunk: list[RecordTuple]) -> Any:
        from concurrent.futures import Future

        future: Future = Future()
        future.set_result(score_chunk(chunk, self.options))
        return future

    def wait_any(self, futures: list[Any]) -> None:
        return None

    def close(self) -> None:
        return None

    abort = close


class _LocalPool:
    """A ProcessPoolExecutor whose workers each build Resources once."""

    broken_error: type[BaseException] = BrokenProcessPool

    def __init__(self, options: ScoreOptions, workers: int, mp_context: str | None) -> None:
        import multiprocessing

        self.options = options
        self.workers = workers
        if mp_context is None:
            # forkserver: safe when the parent has threads (tqdm's monitor, Dask's client);
            # fork elsewhere is not an option, spawn is the portable fallback.
            mp_context = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self.context = multiprocessing.get_context(mp_context)
        if mp_context == "forkserver":
            self.context.set_forkserver_preload(["framing.batch"])
        self.pool = self._new_pool(workers)

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=self.context, initializer=_init_worker, initargs=(self.options,)
        )

    def submit(self, chunk: list[RecordTuple]) -> Any:
        try:
            return self.pool.submit(score_chunk, chunk, self.options)
        except BrokenProcessPool:   # a worker died: its chunks are rescued when their turn comes
            self.pool.shutdown(wait=False)
            self.pool = self._new_pool(self.workers)
            return self.pool.submit(score_chunk, chunk, self.options)

    def wait_any(self, futures: list[Any]) -> None:
        wait(futures, return_when=FIRST_COMPLETED)

    def rescue(self, chunk: list[RecordTuple]) -> list[Outcome]:
        """Score the records of a chunk whose worker died, one by one in a fresh one-worker
        pool; a record that kills its worker again is rejected."""
        outcomes: list[Outcome] = []
        for item in chunk:
            single = self._new_pool(1)
            try:
                outcomes.extend(single.submit(score_chunk, [item], self.options).result())
            except BrokenProcessPool as error:
                outcomes.append(("reject", item[0], item[3], f"worker process died while analysing it: {error}"))
            except BaseException:   # interrupted while rescuing
                _end_now(single)
                raise
            finally:
                single.shutdown(wait=True)
        return outcomes

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def abort(self) -> None:
        """Stop now (the run was interrupted): drop queued chunks and end the workers without
        waiting for the chunks they hold."""
        _end_now(self.pool)


def _end_now(pool: ProcessPoolExecutor) -> None:
    """Shut ``pool`` down, ending its worker processes instead of waiting for their work."""
    terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
    if terminate is not None:
        terminate()
        return
    # Before 3.14 ProcessPoolExecutor has no public way to end its workers: its process table
    # is the only handle on them. Its result pipe is taken now, as shutdown() forgets it.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(ABORT_JOIN_SECONDS)
    # A worker ended while sending a result leaves half a message in the result pipe, and the
    # pool's manager thread waits for the rest for ever (interpreter exit then waits for that
    # thread: the process hung after its summary). With the workers gone, this process holds
    # the pipe's last write end: closing it lets that thread read end-of-file and finish.
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()


class _DaskEngine:
    """Chunks as tasks on a Dask cluster; ``scheduler=None`` starts a LocalCluster."""

    def __init__(self, options: ScoreOptions, workers: int, scheduler: str | None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ImportError(
                "the dask engine needs dask.distributed: pip install 'framing[dask]'"
            ) from None
        self.options = options
        self.cluster = None
        if scheduler is None:
            self.cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler)

    def submit(self, chunk: list[RecordTuple]) -> Any:
        # pure=False: identical chunks in two runs are still computed (the store decides reuse).
        return self.client.submit(score_chunk, chunk, self.options, pure=False)

    def wait_any(self, futures: list[Any]) -> None:
        from distributed import wait as dask_wait

        dask_wait(futures, return_when="FIRST_COMPLETED")

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    abort = close


# --------------------------------------------------------------------------- the store


class Store:
    """Results keyed by article id in an SQLite database (WAL, small transactions, upserts).

    Each row holds the JSON record (zlib-compressed), the flat figures row, the input hash
    and the configuration hash. Row order (``rowid``) is the order articles were first
    stored, which is the input order of the run that stored them.
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        self.path = os.fspath(path)
        if readonly:
            if not os.path.exists(self.path):
                raise FileNotFoundError(f"no store at {self.path}")
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            return
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS results ("
            " id TEXT PRIMARY KEY, input_key TEXT NOT NULL, config_key TEXT NOT NULL,"
            " record BLOB NOT NULL, row TEXT NOT NULL, stored_at REAL NOT NULL)"
        )
        self.db.commit()
        self._pending = 0
        self._last_commit = time.monotonic()

    def lookup(self, doc_id: str, input_hash: str, config_hash: str) -> tuple[dict, dict] | None:
        """The stored (record, row) when ``doc_id`` was stored with the same hashes."""
        found = self.db.execute(
            "SELECT record, row FROM results WHERE id = ? AND input_key = ? AND config_key = ?",
            (doc_id, input_hash, config_hash),
        ).fetchone()
        if found is None:
            return None
        return _unpack(found[0]), json.loads(found[1])

    def put(self, doc_id: str, input_hash: str, config_hash: str, record: Mapping, row: Mapping) -> None:
        self.db.execute(
            "INSERT INTO results (id, input_key, config_key, record, row, stored_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET input_key = excluded.input_key, config_key = excluded.config_key,"
            " record = excluded.record, row = excluded.row, stored_at = excluded.stored_at",
            (doc_id, input_hash, config_hash, _pack(record), json.dumps(row, ensure_ascii=False), time.time()),
        )
        self._pending += 1
        if self._pending >= COMMIT_EVERY or time.monotonic() - self._last_commit >= COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        self.db.commit()
        self._pending = 0
        self._last_commit = time.monotonic()

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM results").fetchone()[0]

    def records(self) -> Iterator[dict]:
        for (blob,) in self.db.execute("SELECT record FROM results ORDER BY rowid"):
            yield _unpack(blob)

    def rows(self) -> Iterator[dict]:
        for (text,) in self.db.execute("SELECT row FROM results ORDER BY rowid"):
            yield json.loads(text)

    def keyed_records(self) -> Iterator[tuple[int, dict]]:
        """(rowid, record) in stored order; ``record_at(rowid)`` reads one record again."""
        for rowid, blob in self.db.execute("SELECT rowid, record FROM results ORDER BY rowid"):
            yield rowid, _unpack(blob)

    def record_at(self, rowid: int) -> dict:
        (blob,) = self.db.execute("SELECT record FROM results WHERE rowid = ?", (rowid,)).fetchone()
        return _unpack(blob)

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def __enter__(self) -> Store:  # noqa: PYI034 (typing.Self needs 3.11; we support 3.10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _pack(record: Mapping) -> bytes:
    return zlib.compress(json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass"), 1)


def _unpack(blob: bytes) -> dict:
    return json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))


_SQLITE_MAGIC = b"SQLite format 3\x00"


def is_store_file(path: str | os.PathLike[str]) -> bool:
    """True for an SQLite file with a ``results`` table: a store written by ``--store``."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
                return False
    except OSError:  # a directory, a missing file: not a store
        return False
    try:
        db = sqlite3.connect(f"file:{os.fspath(path)}?mode=ro", uri=True)
        try:
            columns = {row[1] for row in db.execute("PRAGMA table_info(results)")}
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return {"id", "record", "row"} <= columns


def iter_store_records(path: str | os.PathLike[str]) -> Iterator[dict]:
    """The JSON records of a store (with their text), in the order they were first stored."""
    with Store(path, readonly=True) as store:
        yield from store.records()


def iter_store_rows(path: str | os.PathLike[str]) -> Iterator[dict]:
    """The flat figures rows (the CSV rows) of a store, in the same order."""
    with Store(path, readonly=True) as store:
        yield from store.rows()


# --------------------------------------------------------------------------- counting


def warned_note(warned: int) -> str:
    """The end of a summary line for ``warned`` articles read with warnings ("" for none)."""
    return f"; {warned} article(s) with invalid UTF-8 bytes replaced" if warned else ""


@dataclass
class BatchCounts:
    """What a run did; ``add`` each yielded item (or give it to ``score_batch(counts=...)``,
    which also counts the items it ``read``). ``line()`` is the one-line summary."""

    scored: int = 0
    rejected: int = 0
    from_store: int = 0
    chars: int = 0
    warned: int = 0  # articles scored with warnings from reading (invalid UTF-8 bytes replaced)
    read: int = 0  # items taken from the input (kept by score_batch(counts=...))
    started: float = field(default_factory=time.monotonic)

    def add(self, item: Scored) -> None:
        if item.reject is not None:
            self.rejected += 1
            return
        if item.warnings:
            self.warned += 1
        if item.from_store:
            self.from_store += 1
        else:
            self.scored += 1
            self.chars += int((item.record or {}).get("text_length", 0))

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.scored / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def left(self) -> int:
        """Items read from the input whose outcome was never yielded (a stopped run's in-flight work)."""
        return max(0, self.read - self.scored - self.rejected - self.from_store)

    def line(self) -> str:
        return (
            f"scored {self.scored} article(s), rejected {self.rejected}, "
            f"skipped {self.from_store} unchanged from the store, "
            f"{self.elapsed:.1f} s, {self.rate:.1f} articles/s{self._warned()}"
        )

    def _warned(self) -> str:
        return warned_note(self.warned)

    def stopped_line(self) -> str:
        """The summary of a run stopped before the end of its input."""
        return (
            f"scored {self.scored} article(s), rejected {self.rejected}, "
            f"skipped {self.from_store} unchanged from the store, "
            f"left {self.left} read but unfinished and the rest of the input unread, {self.elapsed:.1f} s"
            f"{self._warned()}"
        )


# --------------------------------------------------------------------------- the run


@dataclass
class _Slot:
    """One place in the output order: ready items, or a pending chunk future."""

    ready: list[Scored] | None = None
    future: Any = None
    chunk: list[RecordTuple] | None = None
    keys: list[str] | None = None


def score_batch(
    inputs: Iterable[Record | Reject | str | os.PathLike[str]],
    options: ScoreOptions | None = None,
    *,
    workers: int | None = None,
    ordered: bool = True,
    store: str | os.PathLike[str] | Store | None = None,
    progress: Callable[[Scored], None] | None = None,
    counts: BatchCounts | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    window: int | None = None,
    mp_context: str | None = None,
    stdin: Any = None,
) -> Iterator[Scored]:
    """Score ``inputs`` with ``workers`` processes (default ``os.cpu_count()``), streaming.

    ``inputs``: an iterable of ``Record``/``Reject`` items (e.g. from ``read_inputs``) or of
    paths (read with ``read_inputs``, limited to ``options.max_chars`` characters a record;
    ``stdin`` is its standard input). Yields one
    ``Scored`` per item: ``record`` (the JSON record) and ``row`` (the flat figures) for an
    article, ``reject`` otherwise; ``from_store`` when the result came from ``store``.
    ``counts``: a :class:`BatchCounts` kept up to date (items read, and each item yielded).
    Closing the generator early (or an exception such as ``KeyboardInterrupt`` inside it) ends
    the worker processes without waiting for their chunks; the store keeps what was yielded.
    ``window``: chunks in flight (default ``4 * workers``). ``engine``: ``"local"`` or
    ``"dask"`` (with ``scheduler`` the address of a running scheduler, else a LocalCluster
    of ``workers`` processes). Web pages among the paths are read in ``options.html_mode``.
    """
    options = options or ScoreOptions()
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; available: {', '.join(ENGINES)}")
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if chunksize < 1:
        raise ValueError(f"chunksize must be at least 1, got {chunksize}")
    window = window or 4 * workers
    items = _items(inputs, stdin, options.max_chars, options.html_mode)
    return _run(items, options, workers, ordered, store, progress, counts, engine, scheduler, chunksize, window,
                mp_context)


def _items(
    inputs: Iterable[Any], stdin: Any, max_chars: int | None = None, html_mode: str = DEFAULT_HTML_MODE,
) -> Iterator[Record | Reject]:
    if isinstance(inputs, (str, bytes, os.PathLike)):
        raise TypeError(f"score_batch() expects an iterable of inputs, got a single path {inputs!r}")
    iterator = iter(inputs)
    for first in iterator:
        if isinstance(first, (Record, Reject)):
            yield first
            yield from iterator
        else:
            yield from read_inputs([first, *iterator], stdin=stdin, max_chars=max_chars, html_mode=html_mode)
        return


def _run(
    items: Iterator[Record | Reject],
    options: ScoreOptions,
    workers: int,
    ordered: bool,
    store_arg: Any,
    progress: Callable[[Scored], None] | None,
    counts: BatchCounts | None,
    engine_name: str,
    scheduler: str | None,
    chunksize: int,
    window: int,
    mp_context: str | None,
) -> Iterator[Scored]:
    own_store = store_arg is not None and not isinstance(store_arg, Store)
    store: Store | None = Store(store_arg) if own_store else store_arg
    config_hash = config_key(options) if store is not None else ""
    if engine_name == "dask":
        engine: Any = _DaskEngine(options, workers, scheduler)
    elif workers == 1:
        engine = _InProcess(options)
    else:
        engine = _LocalPool(options, workers, mp_context)
    slots: deque[_Slot] = deque()
    in_flight = 0

    def finish(slot: _Slot) -> list[Scored]:
        """Turn a done slot into Scored items (storing fresh results)."""
        if slot.ready is not None:
            return slot.ready
        try:
            outcomes = slot.future.result()
        except BaseException as error:  # noqa: BLE001 - a dead worker costs only its own record
            if isinstance(engine, _LocalPool) and isinstance(error, BrokenProcessPool):
                outcomes = engine.rescue(slot.chunk)
            elif isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            else:
                outcomes = [("reject", t[0], t[3], f"worker failed: {type(error).__name__}: {error}")
                            for t in slot.chunk]
        done: list[Scored] = []
        for (kind, doc_id, a, b), key, sent in zip(outcomes, slot.keys, slot.chunk, strict=True):
            if kind == "ok":
                if store is not None:
                    store.put(doc_id, key, config_hash, a, b)
                done.append(Scored(record=a, row=b, origin=sent[3], warnings=tuple(sent[4])))
            else:
                done.append(Scored(reject=Reject(doc_id, a, b)))
        return done

    def emit(slot: _Slot) -> Iterator[Scored]:
        for item in finish(slot):
            if counts is not None:
                counts.add(item)
            if progress is not None:
                progress(item)
            yield item

    def drain(limit: int) -> Iterator[Scored]:
        """Yield finished slots until at most ``limit`` chunks are in flight."""
        nonlocal in_flight
        while slots and (in_flight > limit or _ready_head(slots, ordered)):
            slot = slots.popleft() if ordered else _pop_done(slots, engine)
            if slot.future is not None:
                in_flight -= 1
            yield from emit(slot)

    chunk: list[RecordTuple] = []
    keys: list[str] = []
    chunk_chars = 0

    def flush() -> None:
        nonlocal chunk, keys, chunk_chars, in_flight
        if chunk:
            slots.append(_Slot(future=engine.submit(chunk), chunk=chunk, keys=keys))
            in_flight += 1
            chunk, keys, chunk_chars = [], [], 0

    finished = False
    try:
        for item in items:
            if counts is not None:
                counts.read += 1
            if isinstance(item, Reject):
                ready = [Scored(reject=item)]
            else:
                key = input_key(item) if store is not None else ""
                hit = store.lookup(item.id, key, config_hash) if store is not None else None
                if hit is None:
                    chunk.append(_as_tuple(item))
                    keys.append(key)
                    chunk_chars += len(item.text)
                    if len(chunk) >= chunksize or chunk_chars >= CHUNK_CHARS:
                        flush()
                        yield from drain(window - 1)
                    continue
                ready = [Scored(record=hit[0], row=hit[1], from_store=True, origin=item.origin,
                                warnings=item.warnings)]
            if ordered and (chunk or slots):
                flush()         # keep the reject / stored result behind the records before it
                slots.append(_Slot(ready=ready))
                yield from drain(window - 1)
            else:
                yield from emit(_Slot(ready=ready))
        flush()
        yield from drain(0)
        finished = True
    finally:
        if finished:
            engine.close()
        else:   # interrupted, or the consumer stopped reading: do not wait for chunks nobody will read
            engine.abort()
        if store is not None:
            store.commit()
            if own_store:
                store.close()


def _ready_head(slots: deque[_Slot], ordered: bool) -> bool:
    head = slots[0]
    if ordered:
        return head.ready is not None or head.future.done()
    return any(s.ready is not None or s.future.done() for s in slots)


def _pop_done(slots: deque[_Slot], engine: Any) -> _Slot:
    """Unordered: remove and return a finished slot, waiting for one if none is."""
    while True:
        for i, slot in enumerate(slots):
            if slot.ready is not None or slot.future.done():
                del slots[i]
                return slot
        engine.wait_any([s.future for s in slots if s.future is not None])


# --------------------------------------------------------------------------- export


def export_store(
    path: str | os.PathLike[str], output: str, output_format: str = "jsonl", *, include_text: bool = True
) -> int:
    """Write every result of the store at ``path`` to ``output`` (jsonl, csv or parquet);
    returns the number written. Nothing is re-analysed."""
    from framing.output import open_writer

    written = 0
    with Store(path, readonly=True) as store, open_writer(output, output_format, include_text=include_text) as writer:
        if output_format == "jsonl":
            for record in store.records():
                writer.write_record(record)
                written += 1
        else:
            for row in store.rows():
                writer.write_row(row)
                written += 1
    return written

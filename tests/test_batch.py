"""Batch scoring: workers, order, the store (incremental, versioned, kill -9 safe), export, Dask,
and bad input at scale."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from framing import analyzers as registry
from framing.batch import BatchCounts, Store, export_store, iter_store_records, iter_store_rows, score_batch
from framing.cli import EXIT_OK, EXIT_REJECTED, main
from framing.corpus import read_inputs
from framing.scoring import ScoreOptions
from framing.segment import MAX_SENTENCE_CHARS

from .conftest import CORPUS, ROOT

OPEN = CORPUS / "open"


def paragraphs() -> list[str]:
    """Body paragraphs of the open Wikinews texts (real news prose)."""
    found = []
    for name in ("wikinews-2004-2005.jsonl", "wikinews-gum.jsonl"):
        for line in open(OPEN / name, encoding="utf-8"):
            text = json.loads(line)["text"]
            found.extend(p for p in text.split("\n") if len(p) > 80)
    return found


def synthetic_articles(n: int, seed: int = 7, per_article: int = 3) -> list[dict]:
    """``n`` articles of ``per_article`` paragraphs sampled from real Wikinews prose."""
    rng = random.Random(seed)
    pool = paragraphs()
    outlets = ("Outlet A", "Outlet B", "Outlet C")
    return [
        {"id": f"a{i:05d}", "outlet": outlets[i % 3], "text": "\n\n".join(rng.sample(pool, per_article))}
        for i in range(n)
    ]


def write_jsonl(path, rows, extra_lines=()) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        for line in extra_lines:
            handle.write(line + "\n")


def run_cli(argv):
    err = io.StringIO()
    code = main(argv, stdin=io.BytesIO(b""), stderr=err)
    return code, err.getvalue()


def collect(items):
    counts = BatchCounts()
    out = []
    for item in items:
        counts.add(item)
        out.append(item)
    return out, counts


def as_comparable(items):
    return [("reject", i.reject.id, i.reject.origin, i.reject.reason) if i.reject else ("ok", i.record, i.row)
            for i in items]


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory):
    """60 good articles with rejects spread among them, and its one-worker result."""
    path = tmp_path_factory.mktemp("mixed") / "mixed.jsonl"
    rows = synthetic_articles(60)
    lines = [json.dumps(r) for r in rows]
    lines.insert(5, "{not json")
    lines.insert(20, json.dumps({"id": "empty", "text": ""}))
    lines.insert(40, json.dumps(rows[3]))          # duplicate id
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    serial, _ = collect(score_batch([path], workers=1))
    return path, serial


def test_one_worker_batch_equals_plain_scoring(mixed_corpus):
    path, serial = mixed_corpus
    from framing.scoring import score_inputs

    plain = list(score_inputs([str(path)]))
    assert [p.result.to_dict() if p.result else None for p in plain] == [s.record for s in serial]
    assert [p.reject for p in plain] == [s.reject for s in serial]


def test_two_workers_ordered_equal_one_worker_and_unordered_the_same_set(mixed_corpus):
    path, serial = mixed_corpus
    parallel, counts = collect(score_batch([path], workers=2, chunksize=3))
    assert as_comparable(parallel) == as_comparable(serial)
    assert (counts.scored, counts.rejected) == (60, 3)
    unordered, _ = collect(score_batch([path], workers=2, ordered=False, chunksize=3))
    key = lambda t: json.dumps(t, sort_keys=True)  # noqa: E731
    assert sorted(map(key, as_comparable(unordered))) == sorted(map(key, as_comparable(serial)))


def test_store_scores_only_new_and_changed_articles(tmp_path):
    rows = synthetic_articles(30)
    write_jsonl(tmp_path / "v1.jsonl", rows)
    store = tmp_path / "store.db"
    _, first = collect(score_batch([tmp_path / "v1.jsonl"], workers=1, store=store))
    assert (first.scored, first.from_store) == (30, 0)

    grown = rows + synthetic_articles(40, seed=8)[30:]        # ten new ids
    grown[4] = {**grown[4], "text": grown[4]["text"] + "\n\nA correction was added."}   # changed text
    grown[9] = {**grown[9], "outlet": "Outlet Z"}                                      # changed metadata
    write_jsonl(tmp_path / "v2.jsonl", grown)
    items, second = collect(score_batch([tmp_path / "v2.jsonl"], workers=1, store=store))
    assert (second.scored, second.from_store, second.rejected) == (12, 28, 0)
    assert {i.record["id"] for i in items if not i.from_store} == {"a00004", "a00009", *(f"a{i:05d}" for i in range(30, 40))}
    clean, _ = collect(score_batch([tmp_path / "v2.jsonl"], workers=1))
    assert [i.record for i in items] == [c.record for c in clean]
    assert [r["id"] for r in iter_store_records(store)] == [g["id"] for g in grown]
    assert next(r for r in iter_store_records(store) if r["id"] == "a00009")["metadata"]["outlet"] == "Outlet Z"


def test_an_analyzer_version_change_invalidates_the_store(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "in.jsonl", synthetic_articles(5))
    store = tmp_path / "store.db"
    _, first = collect(score_batch([tmp_path / "in.jsonl"], workers=1, store=store))
    _, again = collect(score_batch([tmp_path / "in.jsonl"], workers=1, store=store))
    assert (first.scored, again.scored, again.from_store) == (5, 0, 5)
    bumped = dataclasses.replace(registry.get("sentiment"), version="2-test")
    monkeypatch.setitem(registry._REGISTRY, "sentiment", bumped)
    _, after = collect(score_batch([tmp_path / "in.jsonl"], workers=1, store=store))
    assert (after.scored, after.from_store) == (5, 0)


def test_only_new_writes_just_the_articles_scored_in_this_run(tmp_path):
    rows = synthetic_articles(6)
    write_jsonl(tmp_path / "a.jsonl", rows[:4])
    write_jsonl(tmp_path / "b.jsonl", rows)
    store, out = tmp_path / "s.db", tmp_path / "out.jsonl"
    assert run_cli(["score", str(tmp_path / "a.jsonl"), "--store", str(store), "-o", str(out), "--workers", "1"])[0] == EXIT_OK
    code, err = run_cli(["score", str(tmp_path / "b.jsonl"), "--store", str(store), "-o", str(out),
                         "--workers", "1", "--only-new"])
    assert code == EXIT_OK and "scored 2 article(s), rejected 0, skipped 4 unchanged" in err
    assert [json.loads(line)["id"] for line in open(out)] == ["a00004", "a00005"]


def test_report_reads_a_store_as_it_reads_the_scores_file(tmp_path):
    from framing.batch import is_store_file

    rows = synthetic_articles(6)
    for i, row in enumerate(rows):
        row["outlet"] = "Outlet A" if i % 2 else "Outlet B"
    write_jsonl(tmp_path / "in.jsonl", rows)
    store, scores = tmp_path / "s.db", tmp_path / "scores.jsonl"
    argv = ["score", str(tmp_path / "in.jsonl"), "--store", str(store), "-o", str(scores), "--workers", "1"]
    assert run_cli(argv)[0] == EXIT_OK
    assert is_store_file(store) and not is_store_file(scores) and not is_store_file(tmp_path)
    other = tmp_path / "other.db"  # an SQLite file that is no store is not taken for one
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    assert not is_store_file(other)
    for source in (store, scores):
        out = tmp_path / f"report-{source.suffix[1:]}"
        code, err = run_cli(["report", str(source), "-o", str(out)])
        assert code == EXIT_OK and "report on 6 article(s)" in err
        assert not (out / "scores.jsonl").exists()  # read, not scored again
    assert (tmp_path / "report-db" / "outlets.csv").read_text() == (tmp_path / "report-jsonl" / "outlets.csv").read_text()
    assert "Outlet A" in (tmp_path / "report-db" / "report.html").read_text(encoding="utf-8")


def _stored(store) -> int:
    if not store.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
        try:
            return db.execute("SELECT count(*) FROM results").fetchone()[0]
        finally:
            db.close()
    except sqlite3.OperationalError:    # table not created yet
        return 0


def _start_scoring(tmp_path, *, quiet=True, stderr=subprocess.DEVNULL):
    """`framing score` with 2 workers and a store on 300 articles, in its own session (so a test
    can always end the whole group); returns (process, argv, env, store, out, src)."""
    rows = synthetic_articles(300, per_article=2)
    src, store, out = tmp_path / "in.jsonl", tmp_path / "store.db", tmp_path / "out.jsonl"
    write_jsonl(src, rows)
    argv = [sys.executable, "-m", "framing", "score", str(src), "--store", str(store), "-o", str(out),
            "--workers", "2", *(["--quiet"] if quiet else [])]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=stderr)
    return proc, argv, env, store, out, src


def _wait_until_stored(proc, store, rows: int) -> int:
    stored = 0
    deadline = time.monotonic() + 120
    while stored < rows and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        stored = _stored(store)
    assert proc.poll() is None, "the run finished before it could be stopped; use more articles"
    return stored


def _survivors(processes, seconds: float = 30.0) -> list:
    """The processes still alive (zombies count as gone) after waiting up to ``seconds``."""
    psutil = pytest.importorskip("psutil")
    deadline = time.monotonic() + seconds
    while True:
        alive = []
        for p in processes:
            try:
                if p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def stop_as_a_user_would(proc, name: str) -> None:
    """Send ``name`` (SIGINT or SIGTERM) to a process started in its own session."""
    if name == "SIGINT":
        os.killpg(proc.pid, signal.SIGINT)   # Ctrl-C in a terminal signals the whole group
    else:
        os.kill(proc.pid, signal.SIGTERM)    # `kill PID`, a service manager, a job timeout


def end_group(proc) -> None:
    """SIGKILL whatever is left of the process group of ``proc``, pass or fail."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def test_a_run_killed_with_sigkill_resumes_without_losses_or_duplicates(tmp_path):
    proc, argv, env, store, out, src = _start_scoring(tmp_path)
    stored = _wait_until_stored(proc, store, 64)
    os.killpg(proc.pid, signal.SIGKILL)        # the run and its workers, as a crash would
    proc.wait()
    assert 0 < stored < 300
    assert not out.exists()                    # a killed run leaves no output that looks finished

    resumed = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    assert resumed.returncode == EXIT_OK, resumed.stderr
    clean = tmp_path / "clean.jsonl"
    assert run_cli(["score", str(src), "-o", str(clean), "--workers", "1", "--quiet"])[0] == EXIT_OK
    assert out.read_text(encoding="utf-8") == clean.read_text(encoding="utf-8")
    db = sqlite3.connect(store)
    assert db.execute("SELECT count(*), count(DISTINCT id) FROM results").fetchone() == (300, 300)
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_workers_forkserver_and_resource_tracker_end_when_the_parent_is_killed(tmp_path):
    psutil = pytest.importorskip("psutil")
    proc, *_, store, out, src = _start_scoring(tmp_path)
    try:
        _wait_until_stored(proc, store, 8)
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) >= 3   # two workers, the forkserver, the resource tracker
        os.kill(proc.pid, signal.SIGKILL)  # the main process only, as `kill -9 PID` does
        proc.wait()
        survivors = _survivors(children)
        assert not survivors, [(p.pid, p.cmdline()[-1][:60]) for p in survivors]
    finally:
        end_group(proc)


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_sigterm_and_ctrl_c_stop_cleanly_with_a_summary_and_a_consistent_store(tmp_path, name):
    psutil = pytest.importorskip("psutil")
    errors = tmp_path / "stderr.txt"
    with open(errors, "wb") as handle:
        proc, argv, env, store, out, src = _start_scoring(tmp_path, quiet=False, stderr=handle)
        try:
            _wait_until_stored(proc, store, 16)
            children = psutil.Process(proc.pid).children(recursive=True)
            stop_as_a_user_would(proc, name)
            assert proc.wait(timeout=60) == 128 + getattr(signal, name)
            assert not _survivors(children)
        finally:
            end_group(proc)
    (line,) = errors.read_text(encoding="utf-8").splitlines()   # one line, no traceback
    assert line.startswith(f"framing: stopped by {name}: scored ")
    scored = int(line.split("scored ")[1].split(" ")[0])
    left = int(line.split("left ")[1].split(" ")[0])
    assert " read but unfinished and the rest of the input unread" in line
    assert not out.exists() and not (tmp_path / "out.jsonl.partial").exists()
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    kept, distinct = db.execute("SELECT count(*), count(DISTINCT id) FROM results").fetchone()
    db.close()
    assert kept == distinct and scored <= kept <= scored + left < 300

    resumed = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    assert resumed.returncode == EXIT_OK, resumed.stderr
    assert f"skipped {kept} unchanged from the store" in resumed.stderr
    assert [json.loads(line)["id"] for line in open(out, encoding="utf-8")] == [f"a{i:05d}" for i in range(300)]


def test_export_round_trips_jsonl_csv_and_parquet(tmp_path):
    write_jsonl(tmp_path / "in.jsonl", synthetic_articles(12))
    store = tmp_path / "s.db"
    scored_jsonl, scored_csv = tmp_path / "scored.jsonl", tmp_path / "scored.csv"
    for out in (scored_jsonl, scored_csv):
        assert run_cli(["score", str(tmp_path / "in.jsonl"), "--store", str(store), "-o", str(out),
                        "--workers", "1"])[0] == EXIT_OK
    for fmt in ("jsonl", "csv", "parquet"):
        assert run_cli(["export", "--store", str(store), "-o", str(tmp_path / f"export.{fmt}")])[0] == EXIT_OK
    assert (tmp_path / "export.jsonl").read_text() == scored_jsonl.read_text()
    assert (tmp_path / "export.csv").read_text() == scored_csv.read_text()
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(tmp_path / "export.parquet").to_pylist()
    csv_rows = list(csv.DictReader(open(scored_csv, encoding="utf-8")))
    assert [r["id"] for r in table] == [r["id"] for r in csv_rows]
    assert table == list(iter_store_rows(store))
    assert table[0]["vader_mean_abs_compound"] == pytest.approx(float(csv_rows[0]["vader_mean_abs_compound"]))
    no_text = tmp_path / "no_text.jsonl"
    assert export_store(store, str(no_text), "jsonl", include_text=False) == 12
    assert all("text" not in json.loads(line) for line in open(no_text))


def test_export_from_a_missing_store_is_an_error(tmp_path):
    code, err = run_cli(["export", "--store", str(tmp_path / "none.db"), "-o", str(tmp_path / "x.jsonl")])
    assert code == 1 and "no store" in err


def test_an_analyzer_error_or_a_dying_worker_rejects_only_that_article(tmp_path, monkeypatch):
    def crashy(doc, resources, prior):
        if doc.id == "a00002":
            raise RuntimeError("written for the tests")
        if doc.id == "a00005":
            os._exit(13)           # the worker process dies mid-article
        return None

    monkeypatch.setitem(registry._REGISTRY, "crashy", registry.Analyzer("crashy", "1", crashy))
    write_jsonl(tmp_path / "in.jsonl", synthetic_articles(10, per_article=1))
    options = ScoreOptions(analyzers=["sentiment", "crashy"])
    items, counts = collect(score_batch([tmp_path / "in.jsonl"], options, workers=2, chunksize=2,
                                        mp_context="fork"))
    assert (counts.scored, counts.rejected) == (8, 2)
    rejects = {i.reject.id: i.reject.reason for i in items if i.reject}
    assert "RuntimeError: written for the tests" in rejects["a00002"]
    assert "worker process died" in rejects["a00005"]
    assert [i.record["id"] if i.record else i.reject.id for i in items] == [f"a{i:05d}" for i in range(10)]


def test_bad_input_at_scale_with_two_workers(tmp_path):
    rows = synthetic_articles(150, per_article=2)
    giant_text = "The talks went well, the ministry said.\n\n" + "ab" * 5_000_000 + "."   # one 10 MB token
    lines = [json.dumps(r) for r in rows]
    bad = {
        10: "{corrupt line",
        30: json.dumps({"id": "empty", "text": ""}),
        50: json.dumps({"id": "blank", "text": " \n\t "}),
        70: json.dumps({"id": "junk", "text": "".join(chr(c) for c in random.Random(3).choices(range(0, 32), k=4000))}),
        90: json.dumps(rows[0]),                                   # duplicate id
        110: json.dumps({"id": "no-text"}),
    }
    for at in sorted(bad, reverse=True):
        lines.insert(at, bad[at])
    lines.insert(100, json.dumps({"id": "giant", "text": giant_text}))
    src = tmp_path / "bad.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(src, "ab") as handle:
        handle.write(b"\xff\xfe\x00\x01 binary junk \x00\x00\x9c\n")
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    code, err = run_cli(["score", str(src), "-o", str(out), "--rejects", str(rejects), "--workers", "2"])
    assert code == EXIT_REJECTED
    scored = [json.loads(line) for line in open(out, encoding="utf-8")]
    assert [r["id"] for r in scored] == [r["id"] for r in rows[:95]] + ["giant"] + [r["id"] for r in rows[95:]]  # 5 bad lines before it
    giant = next(r for r in scored if r["id"] == "giant")
    assert giant["text"] == giant_text
    # the 10 MB token is run-on text: cut into pieces of at most MAX_SENTENCE_CHARS, and said
    assert giant["segments"]["sentences"] == 1 + math.ceil((len(giant_text) - 41) / MAX_SENTENCE_CHARS)
    assert [d["code"] for d in giant["diagnostics"]] == ["long-sentence"]
    rejected = [json.loads(line) for line in open(rejects, encoding="utf-8")]
    assert len(rejected) == 7 and all(r["reason"] for r in rejected)
    by_id = {r["id"]: r["reason"] for r in rejected}
    assert "empty text" in by_id["empty"] and "whitespace-only" in by_id["blank"]
    assert "binary" in by_id["junk"] and "duplicate id 'a00000'" in by_id["a00000"]
    assert "'text' field" in by_id["no-text"]
    assert sum("malformed JSON" in r["reason"] for r in rejected) == 2        # the corrupt and the binary line
    assert "scored 151 article(s), rejected 7" in err


def test_dask_engine_equals_the_local_engine(mixed_corpus):
    pytest.importorskip("distributed")
    path, serial = mixed_corpus
    on_dask, counts = collect(score_batch([path], workers=2, engine="dask", chunksize=4))
    assert as_comparable(on_dask) == as_comparable(serial)
    assert (counts.scored, counts.rejected) == (60, 3)


def test_store_records_are_what_score_writes(tmp_path):
    rows = synthetic_articles(4)
    write_jsonl(tmp_path / "in.jsonl", rows)
    with Store(tmp_path / "s.db") as store:
        items, _ = collect(score_batch(read_inputs([tmp_path / "in.jsonl"]), workers=1, store=store))
    assert list(iter_store_records(tmp_path / "s.db")) == [i.record for i in items]
    assert list(iter_store_rows(tmp_path / "s.db")) == [i.row for i in items]

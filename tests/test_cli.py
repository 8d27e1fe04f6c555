"""`framing score` end to end: inputs in every format, outputs, rejects and exit status."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from framing.cli import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main

from .conftest import CORPUS, ROOT, SEED_IDS, seed_id, seed_text


def run(argv, stdin_bytes: bytes | None = None):
    err = io.StringIO()
    stdin = io.BytesIO(stdin_bytes) if stdin_bytes is not None else io.BytesIO(b"")
    code = main(argv, stdin=stdin, stderr=err)
    return code, err.getvalue()


def read_jsonl(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def iter_spans(value):
    """Every dict in a record that has integer start/end: the spans to check."""
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
            yield value
        for item in value.values():
            yield from iter_spans(item)
    elif isinstance(value, list):
        for item in value:
            yield from iter_spans(item)


def test_score_the_sample_corpus_writes_one_record_per_seed(tmp_path):
    out = tmp_path / "scores.jsonl"
    code, err = run(["score", str(CORPUS), "-o", str(out)])
    assert code == EXIT_OK, err
    records = read_jsonl(out)
    assert sorted(r["id"] for r in records) == SEED_IDS
    for record in records:
        assert record["schema_version"] == 1
        assert record["text"] == seed_text(record["id"])
        assert record["metadata"]["outlet"]
        spans = list(iter_spans(record))
        assert spans
        for span in spans:
            assert 0 <= span["start"] <= span["end"] <= len(record["text"])
            if "text" in span:
                assert record["text"][span["start"] : span["end"]] == span["text"]


def test_outlets_come_from_the_manifest(tmp_path):
    out = tmp_path / "s.jsonl"
    run(["score", str(CORPUS), "-o", str(out)])
    outlets = {r["id"][:3]: r["metadata"]["outlet"] for r in read_jsonl(out)}
    assert outlets["000"] == outlets["001"] == "Stephen Lendman"
    assert len(set(outlets.values())) == 4


def test_csv_output_has_one_flat_row_per_article(tmp_path):
    out = tmp_path / "scores.csv"
    code, _ = run(["score", str(CORPUS / "seeds" / f"{seed_id('002')}.txt"), "-o", str(out)])
    assert code == EXIT_OK
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert len(rows) == 1 and rows[0]["id"] == seed_id("002")
    assert float(rows[0]["vader_mean_abs_compound"]) > 0


def test_jsonl_csv_gz_and_stdin_inputs(tmp_path):
    text = seed_text(seed_id("003"))
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "j1", "text": text, "outlet": "EIR", "topic": "x"}) + "\n")
    with open(tmp_path / "b.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "text", "outlet"], ["c1", text, "EIR"]])
    with gzip.open(tmp_path / "c.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "g1", "text": text}) + "\n")
    out = tmp_path / "out.jsonl"
    code, err = run(
        ["score", str(tmp_path / "a.jsonl"), str(tmp_path / "b.csv"), str(tmp_path / "c.jsonl.gz"), "-", "-o", str(out)],
        stdin_bytes=text.encode("utf-8"),
    )
    assert code == EXIT_OK, err
    records = {r["id"]: r for r in read_jsonl(out)}
    assert set(records) == {"j1", "c1", "g1", "stdin"}
    assert records["j1"]["metadata"]["topic"] == "x"  # unknown fields are carried through
    assert {r["text"] for r in records.values()} == {text}


def test_bad_records_are_rejected_with_reasons_and_the_rest_scored(tmp_path):
    good = seed_text(seed_id("002"))
    lines = [
        json.dumps({"id": "ok1", "text": good}),
        "{this is not json",
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "ok1", "text": "duplicate id"}),
        json.dumps({"id": "bin", "text": "abc\u0000\u0001\u0002def"}),
        json.dumps({"id": "ok2", "text": good}),
    ]
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    code, err = run(["score", str(src), "-o", str(out), "--rejects", str(rejects)])
    assert code == EXIT_REJECTED
    assert [r["id"] for r in read_jsonl(out)] == ["ok1", "ok2"]
    rejected = read_jsonl(rejects)
    assert [r["origin"].rsplit(":", 1)[1] for r in rejected] == ["2", "3", "4", "5", "6"]
    reasons = " | ".join(r["reason"] for r in rejected)
    for word in ("JSON", "'text' field", "whitespace-only", "duplicate", "binary"):
        assert word in reasons
    assert sum(line.startswith("framing: rejected ") for line in err.splitlines()) == 5  # one line per reject


def test_non_utf8_bytes_are_replaced_and_said(tmp_path):
    src = tmp_path / "latin1.txt"
    src.write_bytes("Le président a déclaré que la réunion était « historique ».".encode("latin-1"))
    out = tmp_path / "out.jsonl"
    code, _ = run(["score", str(src), "-o", str(out)])
    assert code == EXIT_OK
    (record,) = read_jsonl(out)
    assert "\ufffd" in record["text"]
    assert any(d["code"] == "input" and "replaced" in d["message"] for d in record["diagnostics"])


def _mixed_utf8_jsonl(tmp_path):
    """Three articles written for the tests; lines 1 and 3 have their four é in Latin-1 (invalid
    UTF-8). Returns the path and the warning lines expected on stderr."""
    good = json.dumps({"id": "fine", "text": "The talks went well, the ministry said."}).encode()
    bad = [json.dumps({"id": f"bad{i}", "text": "Le président a déclaré la réunion «X»."}, ensure_ascii=False).encode()
           .replace("é".encode(), "é".encode("latin-1")) for i in (1, 2)]
    src = tmp_path / "mixed.jsonl"
    src.write_bytes(b"\n".join([bad[0], good, bad[1]]) + b"\n")
    return src, [
        f"framing: warning: {src}:{n} (id 'bad{i}'): invalid UTF-8 bytes replaced with U+FFFD "
        f"(4 bytes at byte offsets 29, 40, 45, 51 in the line)" for n, i in ((1, 1), (3, 2))  # the four é
    ]


def test_replaced_bytes_get_one_stderr_line_per_article_and_a_count_in_the_summary(tmp_path):
    src, expected = _mixed_utf8_jsonl(tmp_path)
    out = tmp_path / "out.jsonl"
    code, err = run(["score", str(src), "-o", str(out), "--workers", "2"])
    assert code == EXIT_OK
    assert [line for line in err.splitlines() if line.startswith("framing: warning:")] == expected
    assert err.splitlines()[-1].endswith("; 2 article(s) with invalid UTF-8 bytes replaced")
    records = read_jsonl(out)
    assert [any(d["code"] == "input" for d in r["diagnostics"]) for r in records] == [True, False, True]


def test_unknown_analyzer_names_the_valid_choices(capsys):
    code, _ = run(["score", str(CORPUS), "--analyzers", "lodaed"])
    assert code == 2
    assert "unknown analyzer 'lodaed'; available:" in capsys.readouterr().err


def test_python_dash_m_framing_works():
    out = subprocess.run(
        [sys.executable, "-m", "framing", "score", "-", "--quiet"],
        input=b"The ministry said talks went well.",
        capture_output=True,
        cwd=ROOT,
        check=True,
    )
    (record,) = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert record["id"] == "stdin" and record["segments"]["sentences"] == 1


@pytest.mark.parametrize("missing", ["nope.txt", "nope-dir/"])
def test_a_missing_input_is_a_usage_error_naming_it_and_nothing_is_written(tmp_path, missing):
    good = tmp_path / "good.txt"
    good.write_text("The ministry said the talks went well.", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    code, err = run(["score", str(good), str(tmp_path / missing), "-o", str(out)])
    assert code == EXIT_USAGE
    assert err == f"framing score: error: input not found: {tmp_path / missing}\n"
    assert not out.exists() and not (tmp_path / "o.jsonl.partial").exists()


def test_report_with_a_missing_input_writes_no_report(tmp_path):
    out = tmp_path / "report"
    code, err = run(["report", str(CORPUS), str(tmp_path / "typo.jsonl"), "-o", str(out)])
    assert code == EXIT_USAGE and f"input not found: {tmp_path / 'typo.jsonl'}" in err
    assert not out.exists()


def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path, monkeypatch):
    src = tmp_path / "articles.jsonl"
    original = json.dumps({"id": "a", "text": "The ministry said the talks went well."}) + "\n"
    src.write_text(original, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for output in ("articles.jsonl", "./sub/../articles.jsonl", str(src)):
        (tmp_path / "sub").mkdir(exist_ok=True)
        code, err = run(["score", str(src), "-o", output])
        assert code == EXIT_USAGE
        assert f"-o {output} is one of the inputs" in err
    (tmp_path / "link.jsonl").symlink_to(src)
    code, err = run(["score", "link.jsonl", "--rejects", str(src), "-o", "out.jsonl"])
    assert code == EXIT_USAGE and "--rejects" in err
    assert src.read_text(encoding="utf-8") == original
    assert not (tmp_path / "out.jsonl").exists()


def test_export_onto_its_own_store_is_refused(tmp_path):
    store = tmp_path / "s.db"
    code, _ = run(["score", "-", "--store", str(store), "-o", str(tmp_path / "o.jsonl"), "--quiet"],
                  stdin_bytes=b"The ministry said the talks went well.")
    assert code == EXIT_OK
    before = store.read_bytes()
    code, err = run(["export", "--store", str(store), "-o", str(store)])
    assert code == EXIT_USAGE and "is one of the inputs" in err
    assert store.read_bytes() == before


@pytest.mark.parametrize("flag", ["--model", "--frames-model"])
def test_a_bad_model_file_is_one_clear_error_before_scoring(tmp_path, flag):
    bogus = tmp_path / "model.joblib"
    bogus.write_bytes(b"not a model at all")
    out = tmp_path / "o.jsonl"
    code, err = run(["score", str(CORPUS), "-o", str(out), flag, str(bogus)])
    assert code == 1
    assert "framing: error:" in err and "model" in err.lower()
    assert not out.exists()


def test_a_frames_model_trained_by_the_cli_is_used_by_score(tmp_path):
    data = tmp_path / "frames.csv"
    rows = [["text", "pfc"]]
    for i in range(12):
        rows.append([f"Trade and the economy grew {i} percent as exports rose.", "economic"])
        rows.append([f"Troops and the military alliance held drills number {i}.", "security_defense"])
    with open(data, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    model = tmp_path / "frames.joblib"
    assert main(["train", "--task", "frames", "--data", str(data), "--label-column", "pfc", "-o", str(model)],
                stderr=io.StringIO()) == 0
    out = tmp_path / "o.jsonl"
    code, err = run(["score", "-", "-o", str(out), "--analyzers", "frames", "--frames-model", str(model)],
                    stdin_bytes=b"Exports and trade grew while the military alliance held drills.")
    assert code == 0, err
    (record,) = read_jsonl(out)
    assert record["frames"]["model"]["frames"] == ["economic", "security_defense"]
    assert "trained on" in record["frames"]["model"]["model"] and str(data.name) in record["frames"]["model"]["model"]


def test_import_and_help_do_not_load_nltk():
    # Importing nltk takes about a second; commands that never segment text (--help, export,
    # a report from existing scores) and `import framing` in a notebook should not pay it.
    code = (
        "import sys, framing, framing.cli, framing.report\n"
        "from framing.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'nltk' not in sys.modules, sorted(m for m in sys.modules if m.startswith('nltk'))[:5]\n"
        "doc = framing.Document.from_text('Putin said. Xi agreed.')\n"
        "assert 'nltk' in sys.modules and len(doc.sentences) == 2\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr


# --------------------------------------------------------------------------- per-record limits


def _one_long_one_short(tmp_path):
    src = tmp_path / "two.jsonl"
    long_text = seed_text(seed_id("002"))
    src.write_text(json.dumps({"id": "long", "outlet": "A", "text": long_text}) + "\n"
                   + json.dumps({"id": "short", "outlet": "B", "text": "The ministry said the talks went well."}) + "\n",
                   encoding="utf-8")
    return src, len(long_text)


def test_max_chars_rejects_longer_articles_with_id_and_reason_and_scores_the_rest(tmp_path):
    src, length = _one_long_one_short(tmp_path)
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    code, err = run(["score", str(src), "-o", str(out), "--rejects", str(rejects), "--max-chars", "1000"])
    assert code == EXIT_REJECTED
    assert [r["id"] for r in read_jsonl(out)] == ["short"]
    (reject,) = read_jsonl(rejects)
    assert reject == {"id": "long", "origin": f"{src}:1", "reason": f"too large: {length} characters > limit 1000"}
    assert f"rejected {src}:1 (id 'long'): too large: {length} characters > limit 1000" in err
    code, _ = run(["score", str(src), "-o", str(out), "--max-chars", str(length)])
    assert code == EXIT_OK and len(read_jsonl(out)) == 2


def test_report_max_chars_rejects_as_score_does(tmp_path):
    src, length = _one_long_one_short(tmp_path)
    out = tmp_path / "report"
    code, err = run(["report", str(src), "-o", str(out), "--max-chars", "1000", "--quiet"])
    assert code == EXIT_REJECTED
    assert f"(id 'long'): too large: {length} characters > limit 1000" in err
    assert [r["id"] for r in read_jsonl(out / "scores.jsonl")] == ["short"]
    assert [r["id"] for r in read_jsonl(out / "rejects.jsonl")] == ["long"]


def test_report_says_replaced_bytes_on_stderr_as_score_does_and_keeps_the_articles(tmp_path):
    src, expected = _mixed_utf8_jsonl(tmp_path)
    out = tmp_path / "report"
    code, err = run(["report", str(src), "-o", str(out)])
    assert code == EXIT_OK
    assert [line for line in err.splitlines() if line.startswith("framing: warning:")] == expected
    assert err.splitlines()[-1] == (f"framing: report on 3 article(s) written to {out / 'report.html'}"
                                    "; 2 article(s) with invalid UTF-8 bytes replaced")
    records = read_jsonl(out / "scores.jsonl")
    assert [r["id"] for r in records] == ["bad1", "fine", "bad2"]
    assert ["\ufffd" in r["text"] for r in records] == [True, False, True]
    assert "bad1" in (out / "articles.csv").read_text(encoding="utf-8")


def _files(directory) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name, earlier", [("SIGTERM", True), ("SIGINT", False)])
def test_an_interrupted_report_writes_nothing_and_keeps_an_earlier_report_whole(tmp_path, name, earlier):
    from .test_batch import end_group, stop_as_a_user_would, synthetic_articles, write_jsonl

    out = tmp_path / "report"
    if earlier:
        assert run(["report", str(CORPUS / "seeds"), "-o", str(out), "--quiet"])[0] == EXIT_OK
    before = _files(out) if earlier else None
    src = tmp_path / "many.jsonl"
    write_jsonl(src, synthetic_articles(400, per_article=2))
    errors = tmp_path / "stderr.txt"
    with open(errors, "wb") as handle:
        proc = subprocess.Popen([sys.executable, "-m", "framing", "report", str(src), "-o", str(out)], cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=handle)
        try:
            deadline = time.monotonic() + 120
            while not any(p.stat().st_size > 0 for p in tmp_path.glob(".report.partial-*/scores.jsonl")):
                assert proc.poll() is None and time.monotonic() < deadline, "the report did not start scoring"
                time.sleep(0.05)
            assert proc.poll() is None, "the report finished before it could be stopped; use more articles"
            stop_as_a_user_would(proc, name)
            assert proc.wait(timeout=60) == 128 + getattr(signal, name)
        finally:
            end_group(proc)
    (line,) = errors.read_text(encoding="utf-8").splitlines()   # one line, no traceback
    assert line == f"framing: stopped by {name}: no report written; {out} left as it was"
    if earlier:
        assert _files(out) == before          # the earlier report, every file as it was
    else:
        assert not out.exists()
    assert not list(tmp_path.glob(".report.partial-*"))


def test_a_staged_directory_is_moved_in_whole_or_not_at_all(tmp_path):
    from framing.output import staged_directory

    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    (out / "report.md").write_text("old")
    with pytest.raises(ValueError), staged_directory(out) as staged:
        (staged.path / "report.md").write_text("half")
        raise ValueError("a failure half way")
    assert _files(out) == {"keep.txt": b"mine", "report.md": b"old"} and not staged.committed
    with staged_directory(out) as staged:
        (staged.path / "charts").mkdir()
        (staged.path / "charts" / "a.svg").write_text("<svg/>")
        (staged.path / "report.md").write_text("new")
    assert _files(out) == {"charts/a.svg": b"<svg/>", "keep.txt": b"mine", "report.md": b"new"} and staged.committed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]   # no temporary directory left


@pytest.mark.parametrize("command", ["score", "report"])
def test_max_chars_must_be_a_positive_integer(tmp_path, command, capsys):
    code, _ = run([command, str(CORPUS), "-o", str(tmp_path / "o"), "--max-chars", "0"])
    assert code == 2 and "--max-chars: expected a positive integer, got '0'" in capsys.readouterr().err


# --------------------------------------------------------------------------- evaluate-attribution


def test_evaluate_attribution_finds_the_seed_texts_from_the_gold_file_wherever_it_is_run(tmp_path, monkeypatch, capsys):
    gold = str(CORPUS / "annotations" / "attributions.jsonl")
    assert main(["evaluate-attribution", "--gold", gold, "--corpus", str(CORPUS / "seeds")]) == EXIT_OK
    explicit = capsys.readouterr().out
    monkeypatch.chdir(tmp_path)   # no corpus/ here: the default must not depend on the current directory
    assert main(["evaluate-attribution", "--gold", gold]) == EXIT_OK
    assert capsys.readouterr().out == explicit
    assert explicit.startswith("documents: 5\n")


# Gold lines written for the tests, over a text written for the tests.
_TEXT = "The minister said the talks were “constructive” and would go on."
_GOOD = {"doc_id": "t1", "kind": "indirect", "content_start": 18, "content_end": 63, "speaker": "The minister"}


@pytest.mark.parametrize("bad_line, reason", [
    (json.dumps({k: v for k, v in _GOOD.items() if k != "content_end"}),
     "missing field 'content_end' (each line needs doc_id, kind, content_start, content_end)"),
    (json.dumps({**_GOOD, "content_start": "18"}), "field 'content_start' must be int, got '18'"),
    ("{not json", "not JSON (Expecting property name enclosed in double quotes at column 2)"),
    (json.dumps([_GOOD]), "expected a JSON object, got list"),
    (json.dumps({**_GOOD, "content_end": 500}), "content_end 500 is beyond the end of the text of 't1' (64 characters)"),
])
def test_evaluate_attribution_names_the_bad_gold_line_and_field(tmp_path, capsys, bad_line, reason):
    (tmp_path / "t1.txt").write_text(_TEXT, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(_GOOD) + "\n\n" + bad_line + "\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["evaluate-attribution", "--gold", str(gold)], stderr=err) == 1
    assert err.getvalue() == f"framing: error: {gold}:3: {reason}\n"
    assert capsys.readouterr().out == ""


def test_evaluate_attribution_without_texts_says_where_it_looked(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(_GOOD) + "\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["evaluate-attribution", "--gold", str(gold)], stderr=err) == 1
    assert "no texts found for the documents of" in err.getvalue() and "--corpus DIR" in err.getvalue()
    err = io.StringIO()
    assert main(["evaluate-attribution", "--gold", str(gold), "--corpus", str(tmp_path)], stderr=err) == 1
    assert f"no text in {tmp_path} for doc_id 't1'" in err.getvalue()


# --------------------------------------------------------------------------- user lexicons


def test_score_refuses_a_lexicon_named_like_no_shipped_one_before_writing(tmp_path):
    mine = tmp_path / "mine.tsv"
    mine.write_text("# name: my-words\n# version: 1\n# source: written for the tests\n# license: CC0\n"
                    "# columns: term, category, weight, match, note\n"
                    "term\tcategory\tweight\tmatch\tnote\nbeastly\temotive\t0.5\texact\t\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    code, err = run(["score", "-", "-o", str(out), "--lexicon", str(mine)], stdin_bytes=b"A beastly plan, he said.")
    assert code == 1
    assert f"{mine}: lexicon name 'my-words' matches no shipped lexicon" in err
    assert "valid names: affiliations, anonymous-sources, attribution-rules, boilerplate," in err
    assert not out.exists()


def test_score_cleans_with_a_user_boilerplate_file(tmp_path):
    from .test_clean import ARTICLE, USER_BOILERPLATE

    rules = tmp_path / "boilerplate-mine.tsv"
    rules.write_text(USER_BOILERPLATE, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    code, err = run(["score", "-", "-o", str(out), "--lexicon", str(rules), "--quiet"], stdin_bytes=ARTICLE.encode())
    assert code == EXIT_OK, err
    (record,) = read_jsonl(out)
    assert [(r["reason"], ARTICLE[r["start"]:r["end"]]) for r in record["cleaning"]["removed"]] == [
        ("tip-jar", "Tip jar: buy the editor a coffee at example.org")]

"""The report streams over records: its aggregates equal a straightforward in-memory computation
on the same records (the way the report computed them before it streamed: every record in a
list, one article DataFrame, each outlet's bootstrap resamples drawn and gathered in one array),
whatever the input (records, scores JSONL, a --store database) and its order."""

from __future__ import annotations

import copy
import json
import random
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.batch import Store
from framing.cli import main
from framing.report import aggregate
from framing.report import stories as rs
from framing.report.aggregate import (
    FigureTable,
    article_row,
    article_table,
    attributions_of,
    bootstrap_interval,
    frames_of,
    loaded_spans_of,
    outlet_of,
    outlet_seed,
    outlet_table,
)
from framing.report.collect import collect
from framing.report.evidence import SpanIndex, loaded_sentences, outlet_evidence
from framing.report.stories import story_section

from .conftest import SEED_IDS, annotated_record, record, seed_text

# --------------------------------------------------------------------------- the reference

ID_COLUMNS = ["id", "outlet", "title", "date", "words"]


def reference_outlets(records: list[dict], *, n_boot: int, seed: int) -> pd.DataFrame:
    """The outlet table as the report computed it before it streamed (written out again here,
    independently of framing.report.aggregate's bootstrap): an outlet's mean skips undefined
    figures; its resamples are one rng.integers(0, n, (n_boot, n)) draw, gathered at once."""
    articles = article_table(records)
    figures = [c for c in articles.columns if c not in ID_COLUMNS]
    rows = {}
    for outlet, group in articles.sort_values(["outlet", "id"], kind="mergesort").groupby("outlet"):
        values = group[figures].to_numpy(dtype=float)
        n = len(values)
        row = {"n": n, "words": float(group["words"].sum())}
        means = None
        if n >= 2:
            rng = np.random.default_rng(outlet_seed(seed, outlet))
            samples = values[rng.integers(0, n, size=(n_boot, n))]
            defined = ~np.isnan(samples)
            with np.errstate(invalid="ignore", divide="ignore"):
                means = np.where(defined, samples, 0.0).sum(axis=1) / defined.sum(axis=1)
        for j, figure in enumerate(figures):
            column = values[:, j]
            row[figure] = float(np.mean(column[~np.isnan(column)])) if (~np.isnan(column)).any() else np.nan
            low = high = np.nan
            if means is not None and (~np.isnan(column)).sum() >= 2:
                resampled = means[:, j][~np.isnan(means[:, j])]
                low, high = np.percentile(resampled, [2.5, 97.5])
            row[f"{figure}__low"], row[f"{figure}__high"] = low, high
        rows[outlet] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "outlet"
    table["n"] = table["n"].astype(int)
    return table.loc[sorted(table.index, key=lambda o: (-table.loc[o, "n"], o))]


@pytest.fixture(scope="module")
def varied_records(seed_records) -> list[dict]:
    """30 articles for 5 outlets (one without an outlet), made of the scored seeds with new ids
    (written for the tests): outlets mix seeds, some figures are undefined, one article has no
    frame cue at all, and the input order is shuffled."""
    rng = random.Random(11)
    outlets = ["Outlet A", "Outlet B", "Outlet Ω", None, "Outlet C"]
    records = []
    for i in range(30):
        rec = copy.deepcopy(seed_records[(i // 5) % 5])
        rec["id"] = f"v{i:02d}-{rec['id'][:3]}"
        rec["metadata"] = {k: v for k, v in rec["metadata"].items() if k != "outlet"}
        if outlets[i % 5] is not None:
            rec["metadata"]["outlet"] = outlets[i % 5]
        if i % 4 == 1:
            rec["figures"]["sources_entropy"] = None
            rec["figures"]["loaded_per_1000_quoted"] = None
        if i == 7:
            for key in rec["figures"]:
                if key.startswith("frames_pfc_") and key.endswith("_share"):
                    rec["figures"][key] = 0.0
        records.append(rec)
    rng.shuffle(records)
    return records


def write_jsonl(records: list[dict], path) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def write_store(records: list[dict], path) -> None:
    with Store(path) as store:
        for r in records:
            store.put(r["id"], "input", "config", r, {"id": r["id"]})


# --------------------------------------------------------------------------- the outlet table


def test_streamed_outlet_table_equals_the_in_memory_computation(varied_records, tmp_path):
    expected = reference_outlets(varied_records, n_boot=500, seed=4)
    write_jsonl(varied_records, tmp_path / "scores.jsonl")
    write_store(varied_records, tmp_path / "scores.db")
    for source in (varied_records, tmp_path / "scores.jsonl", tmp_path / "scores.db"):
        collected = collect(source, n_boot=500, seed=4)
        try:
            got = collected.outlets
            assert collected.n_articles == 30
        finally:
            collected.close()
        assert list(got.index) == list(expected.index)
        pd.testing.assert_frame_equal(got[expected.columns], expected, rtol=1e-12, check_names=False)
    assert (expected["loaded_score__low"] < expected["loaded_score__high"]).all()  # real intervals to compare


@pytest.mark.parametrize("sequential_max", [4096, 0])  # summed article by article, or gathered
def test_bootstrap_in_blocks_draws_and_averages_the_same_resamples_as_one_draw(sequential_max, monkeypatch):
    monkeypatch.setattr(aggregate, "SEQUENTIAL_MAX", sequential_max)
    rng = np.random.default_rng(5)
    values = rng.normal(size=(37, 6))
    values[rng.random(values.shape) < 0.25] = np.nan
    values[:, 5] = np.nan
    values[3, 5] = 1.0  # a figure defined in one article only: no interval
    whole = bootstrap_interval(values, n_boot=300, rng=np.random.default_rng(9), block=10**9)
    expected_rng = np.random.default_rng(9)
    samples = values[expected_rng.integers(0, 37, size=(300, 37))]
    defined = ~np.isnan(samples)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(defined, samples, 0.0).sum(axis=1) / defined.sum(axis=1)
    for j in range(5):
        column = means[:, j][~np.isnan(means[:, j])]
        assert (whole[0][j], whole[1][j]) == pytest.approx(tuple(np.percentile(column, [2.5, 97.5])), rel=1e-12)
    assert np.isnan(whole[0][5]) and np.isnan(whole[1][5])
    for block in (37 * 12, 100, 12):  # a few resamples per block; one; then a resample's articles in blocks
        low, high = bootstrap_interval(values, n_boot=300, rng=np.random.default_rng(9), block=block)
        np.testing.assert_allclose(low, whole[0], rtol=1e-12)
        np.testing.assert_allclose(high, whole[1], rtol=1e-12)


@st.composite
def article_sets(draw):
    n = draw(st.integers(1, 25))
    outlets = draw(st.lists(st.sampled_from(["A", "B", "Ω", "unknown"]), min_size=n, max_size=n))
    values = st.one_of(st.none(), st.floats(0, 50, allow_nan=False, width=32))
    words = st.one_of(st.integers(0, 3000), st.none())
    return [record(f"a{draw(st.integers(0, 9))}", outlets[i], draw(words), rate=draw(values), share=draw(values))
            for i in range(n)]  # ids may repeat


@settings(max_examples=30, deadline=None)
@given(article_sets(), st.randoms(use_true_random=False))
def test_figure_table_on_disk_holds_the_article_table(tmp_path_factory, records, shuffler):
    shuffled = list(records)
    shuffler.shuffle(shuffled)
    expected = article_table(shuffled)  # articles sharing an id stay in input order, in both
    with FigureTable() as table:
        for rec in shuffled:
            table.add(article_row(rec))
        table.finish()
        pd.testing.assert_frame_equal(table.frame().drop(columns=["title"]), expected.drop(columns=["title"]),
                                      check_dtype=False)
        pd.testing.assert_frame_equal(outlet_table(table, n_boot=100), outlet_table(expected, n_boot=100))
        path = tmp_path_factory.mktemp("csv") / "articles.csv"
        table.write_csv(path)
    assert path.read_text(encoding="utf-8") == expected.to_csv(index=False, float_format="%.6g")


def test_articles_csv_is_written_as_pandas_writes_the_article_table(varied_records, tmp_path):
    with_missing = copy.deepcopy(varied_records[:6])
    with_missing[2]["words"] = None  # words become a float column, as in pandas
    for records in (varied_records, with_missing):
        with FigureTable() as table:
            for rec in records:
                table.add(article_row(rec))
            table.write_csv(tmp_path / "articles.csv")
        expected = article_table(records).to_csv(index=False, float_format="%.6g")
        assert (tmp_path / "articles.csv").read_text(encoding="utf-8") == expected


# --------------------------------------------------------------------------- evidence and the rest


def reference_sentences(records: list[dict], top: int = 5) -> dict[str, list[tuple]]:
    """Every candidate sentence of an outlet's articles sorted at once (the report before it streamed)."""
    by_outlet = defaultdict(list)
    for rec in sorted(records, key=lambda r: str(r["id"])):
        by_outlet[outlet_of(rec)].append(rec)
    out = {}
    for outlet, recs in by_outlet.items():
        found = []
        for rec in recs:
            for item in loaded_sentences(rec)[1]:
                spans = [s for s in loaded_spans_of(rec) if s["start"] >= item["start"] and s["end"] <= item["end"]]
                found.append((-item["score"], str(rec["id"]), item["start"], rec["text"][item["start"]:item["end"]], spans))
        found.sort(key=lambda t: t[:3])
        out[outlet] = [(a, s, text, spans) for _, a, s, text, spans in found[:top]]
    return out


def reference_verbs(records: list[dict], top: int = 6) -> dict[str, tuple[list, int]]:
    by_outlet = defaultdict(list)
    for rec in records:
        for a in attributions_of(rec):
            if a.get("verb_class") == "distancing" and a.get("cue_start") is not None:
                by_outlet[outlet_of(rec)].append((str(rec["id"]), a["cue_start"]))
    return {o: (sorted(v)[:top], len(v)) for o, v in by_outlet.items()}


def test_streamed_evidence_equals_sorting_every_candidate(varied_records):
    records = varied_records + [annotated_record()]  # lexicon-ranked sentences and a distancing verb
    for rec in records[::7]:  # some articles share ids: ties are broken by input order
        twin = copy.deepcopy(rec)
        records.append(twin)
    evidence = outlet_evidence(records)
    expected = reference_sentences(records)
    verbs = reference_verbs(records)
    assert set(evidence) == set(expected)
    for outlet, items in evidence.items():
        got = [(s["article"], s["start"], s["text"], s["spans"]) for s in items["sentences"]]
        assert got == expected[outlet], outlet
        assert [(v["article"], v["cue_start"]) for v in items["distancing"]] == verbs.get(outlet, ([], 0))[0]
        assert items["distancing_total"] == verbs.get(outlet, ([], 0))[1]
    assert evidence["Stephen Lendman"]["sentence_basis"] == ["lexicon"]
    assert evidence["Outlet A"]["sentence_basis"] == ["classifier"]


@settings(max_examples=10, deadline=None)
@given(st.randoms(use_true_random=False))
def test_evidence_does_not_depend_on_article_order(varied_records, shuffler):
    shuffled = list(varied_records)
    shuffler.shuffle(shuffled)
    first, second = outlet_evidence(varied_records), outlet_evidence(shuffled)
    assert first == second


def test_articles_shown_in_full_are_taken_in_turn_from_each_outlet(varied_records, tmp_path):
    write_jsonl(varied_records, tmp_path / "scores.jsonl")
    collected = collect(tmp_path / "scores.jsonl", n_boot=50, max_appendix=7)
    try:
        shown = [r["id"] for r in collected.appendix]
        by_outlet = defaultdict(list)
        for rec in sorted(varied_records, key=lambda r: r["id"]):
            by_outlet[outlet_of(rec)].append(rec["id"])
        queues = [by_outlet[o] for o in collected.outlets.index]
        expected = [q[depth] for depth in range(2) for q in queues if depth < len(q)][:7]
        assert shown == expected
        assert all("text" in r for r in collected.appendix)  # read again in full from the file
        assert set(collected.appendix_figures) == set(shown)
    finally:
        collected.close()


def test_frame_evidence_and_cued_counts_match_the_article_table(varied_records):
    collected = collect(varied_records, n_boot=50)
    try:
        articles = article_table(varied_records)
        frames = collected.frames["pfc"]
        columns = [c for c in articles.columns if c.startswith("frames_pfc_") and c.endswith("_share")]
        cued = articles.assign(c=articles[columns].notna().any(axis=1)).groupby("outlet")["c"].sum()
        assert frames.n.to_dict() == cued.astype(int).to_dict()
        for outlet, item in collected.frame_evidence.items():
            dominant = item["dominant"]
            candidates = []
            for rec in sorted(varied_records, key=lambda r: r["id"]):
                if outlet_of(rec) != outlet:
                    continue
                for s in frames_of(rec).get("sentences") or ():
                    weight = float((s.get("pfc") or {}).get(dominant) or 0.0)
                    if weight > 0:
                        candidates.append((-weight, rec["id"], s["start"]))
            candidates.sort()
            assert [(-x["weight"], x["article"], x["start"]) for x in item["sentences"]] == candidates[:3]
            agreeing = sum(1 for r in varied_records if outlet_of(r) == outlet
                           and (frames_of(r).get("pfc") or {}).get("dominant") == dominant)
            assert item["articles_dominant"] == agreeing
    finally:
        collected.close()


def test_streamed_story_section_equals_the_in_memory_one(varied_records, tmp_path):
    write_jsonl(varied_records, tmp_path / "scores.jsonl")
    collected = collect(tmp_path / "scores.jsonl", n_boot=200, seed=2)
    try:
        got = collected.story_section
    finally:
        collected.close()
    expected = story_section(varied_records, article_table(varied_records), n_boot=200, seed=2)
    pd.testing.assert_frame_equal(got.stories.stories, expected.stories.stories)
    pd.testing.assert_frame_equal(got.effects, expected.effects, rtol=1e-12)
    assert got.shown == expected.shown and len(got.stories.shared(2)) > 0  # copies in several outlets
    # the streamed section reads back the articles of the stories it shows: they are shown alike
    assert rs.shared_stories(got) == rs.shared_stories(expected)
    assert any(c["article"].sentence_spans for s in rs.shared_stories(got) for c in s["columns"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=40), st.integers(0, 70),
       st.integers(0, 70))
def test_span_index_finds_the_spans_inside_a_range(raw, start, end):
    spans = [{"start": s, "end": s + length, "k": k} for k, (s, length) in enumerate(raw)]
    expected = [s for s in spans if s["start"] >= start and s["end"] <= end]
    assert SpanIndex(spans).within(start, end) == expected



def test_a_report_from_parquet_scores_has_the_figures_of_the_jsonl_report(tmp_path):
    pytest.importorskip("pyarrow")
    corpus = tmp_path / "corpus.jsonl"
    rows = [{"id": f"p{i}", "outlet": ["Outlet A", "Outlet B"][i % 2], "title": f"T{i}", "url": f"https://x.org/{i}",
             "text": seed_text(sid)[:3000]} for i, sid in enumerate(SEED_IDS)]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for suffix in ("jsonl", "parquet"):
        assert main(["score", str(corpus), "-o", str(tmp_path / f"scores.{suffix}"), "--quiet", "--workers", "1"]) == 0
        assert main(["report", str(tmp_path / f"scores.{suffix}"), "-o", str(tmp_path / suffix), "--quiet"]) == 0
    for table in ("outlets.csv", "articles.csv"):
        # JSONL records carry figures rounded to 6 decimals, Parquet rows unrounded: equal up to that.
        parquet, jsonl = pd.read_csv(tmp_path / "parquet" / table), pd.read_csv(tmp_path / "jsonl" / table)
        pd.testing.assert_frame_equal(parquet, jsonl, rtol=1e-4, atol=1e-6)
    page = (tmp_path / "parquet" / "report.html").read_text(encoding="utf-8")
    assert "Outlet A" in page and 'href="https://x.org/0"' in page  # metadata kept; no text to highlight
    assert "Text not in the scores" in page

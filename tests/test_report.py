"""The outlet comparison report: aggregation, bootstrap intervals, highlighting, rendering."""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.cli import main
from framing.document import Document
from framing.pipeline import analyze
from framing.report import ArticleView, OutletComparison, build_report, highlight_html, load_results
from framing.report.aggregate import (
    article_table,
    bootstrap_interval,
    frame_table,
    outlet_seed,
    outlet_table,
    speaker_shares,
    standardized,
)
from framing.report.events import SIMILARITY_THRESHOLD, same_event_pairs
from framing.report.evidence import outlet_evidence
from framing.report.highlight import Mark, highlight, segments
from framing.report.render import interval_text

from .conftest import SEED_IDS, annotated_record, record, seed_id, seed_text

# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def sentiment_records(seed_records) -> list[dict]:
    """The seeds as scored when only the sentiment analyzer ran."""
    keep = {"schema_version", "id", "metadata", "text", "text_length", "words", "diagnostics", "cleaning",
            "segments", "sentiment"}
    return [
        {**{k: v for k, v in r.items() if k in keep}, "figures": {k: v for k, v in r["figures"].items() if k.startswith("vader_")}}
        for r in seed_records
    ]


@pytest.fixture(scope="module")
def synthetic_records() -> list[dict]:
    """Written for the tests: 300 articles for 60 fake outlets, each made of seed paragraphs
    sampled and shuffled with a fixed seed (generated here, not committed)."""
    rng = random.Random(7)
    paragraphs = [p for sid in SEED_IDS for p in seed_text(sid).split("\n\n") if len(p.split()) >= 12]
    outlets = [f"Outlet {i:02d}" for i in range(60)]
    weights = [1 + (i % 7) for i in range(60)]  # uneven: some outlets have many articles, some one
    records = []
    for k in range(300):
        outlet = rng.choices(outlets, weights)[0] if k >= 60 else outlets[k]  # every outlet at least once
        text = "\n\n".join(rng.sample(paragraphs, rng.randint(3, 8)))
        doc = Document.from_text(text, id=f"synthetic-{k:03d}", metadata={"outlet": outlet, "title": f"Synthetic {k}"})
        records.append(analyze(doc, analyzers=["sentiment"]).to_dict())
    return records


def no_external_references(page: str) -> list[str]:
    """src/href values that would make the browser fetch something (in-page anchors and inline
    data: images are fine; a link a reader may follow, <a href>, fetches nothing); also catches
    url(...) in CSS."""
    page = re.sub(r"<a\s[^>]*>", "<a>", page)
    found = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']*)', page) + re.findall(r"url\(\s*['\"]?([^'\")]*)", page)
    return [m for m in found if not m.startswith("#") and not m.startswith("data:image/")]


# --------------------------------------------------------------------------- aggregation


@st.composite
def article_sets(draw):
    n = draw(st.integers(1, 25))
    outlets = draw(st.lists(st.sampled_from(["A", "B", "C", "Ω", "unknown"]), min_size=n, max_size=n))
    values = st.one_of(st.none(), st.floats(0, 50, allow_nan=False, width=32))
    return [
        record(f"a{i}", outlets[i], draw(st.integers(0, 3000)), loaded_per_1000_author=draw(values),
               sources_entropy=draw(values))
        for i in range(n)
    ]


@settings(max_examples=40, deadline=None)
@given(article_sets(), st.randoms(use_true_random=False))
def test_outlet_table_does_not_depend_on_article_order(records, shuffler):
    shuffled = list(records)
    shuffler.shuffle(shuffled)
    first = outlet_table(article_table(records), n_boot=200)
    second = outlet_table(article_table(shuffled), n_boot=200)
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(standardized(first), standardized(second))


def test_article_without_outlet_is_grouped_as_unknown():
    table = article_table([record("x", None, 10, f=1.0), record("y", "  ", 10, f=2.0)])
    assert list(table["outlet"]) == ["unknown", "unknown"]


def test_outlet_mean_weighs_articles_equally_and_skips_undefined_figures():
    articles = article_table([
        record("a", "A", 100, rate=10.0, share=None),
        record("b", "A", 900, rate=20.0, share=0.5),
        record("c", "A", 500, rate=30.0, share=0.7),
    ])
    row = outlet_table(articles, n_boot=100).loc["A"]
    assert row["n"] == 3 and row["words"] == 1500
    assert row["rate"] == pytest.approx(20.0)  # not word-weighted (which would be 23.3)
    assert row["share"] == pytest.approx(0.6)


def test_bootstrap_interval_collapses_when_all_articles_agree():
    articles = article_table([record(f"a{i}", "A", 100, rate=0.42) for i in range(5)])
    row = outlet_table(articles).loc["A"]
    assert row["rate__low"] == pytest.approx(0.42) and row["rate__high"] == pytest.approx(0.42)


def test_bootstrap_interval_of_two_values_matches_an_independent_computation():
    articles = article_table([record("a", "A", 100, rate=0.0), record("b", "A", 100, rate=1.0)])
    row = outlet_table(articles, n_boot=2000, seed=3).loc["A"]
    # By hand: the resampled mean is 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4, so the
    # 2.5th and 97.5th percentiles of 2000 draws are 0 and 1.
    assert (row["rate__low"], row["rate__high"]) == (0.0, 1.0)
    # Independently, with numpy and the same generator: articles are sorted by id (a, b).
    rng = np.random.default_rng(outlet_seed(3, "A"))
    means = np.array([0.0, 1.0])[rng.integers(0, 2, size=(2000, 2))].mean(axis=1)
    assert (row["rate__low"], row["rate__high"]) == tuple(np.percentile(means, [2.5, 97.5]))


def test_bootstrap_of_skewed_values_is_inside_the_range_and_around_the_mean():
    values = np.array([0.0, 0.0, 0.0, 1.0, 5.0])
    low, high = bootstrap_interval(values, n_boot=4000, rng=np.random.default_rng(0))
    assert 0.0 <= low[0] < values.mean() < high[0] <= 5.0


def test_outlets_below_the_minimum_n_print_no_interval_and_are_marked():
    rows = [record("a", "Solo", 100, rate=0.3), record("b", "Pair", 100, rate=0.1), record("c", "Pair", 100, rate=0.2)]
    rows += [record(f"f{i}", "Four", 100, rate=0.1 * i) for i in range(4)]
    rows += [record(f"v{i}", "Five", 100, rate=0.1 * i) for i in range(5)]
    outlets = outlet_table(article_table(rows))
    solo = outlets.loc["Solo"]
    assert solo["n"] == 1 and np.isnan(solo["rate__low"]) and np.isnan(solo["rate__high"])
    assert interval_text(solo.to_dict(), "rate") == "0.30 (n=1)"
    # The table keeps the bootstrap from 2 articles (outlets.csv); the report prints it from 5.
    assert not np.isnan(outlets.loc["Pair", "rate__low"])
    assert interval_text(outlets.loc["Pair"].to_dict(), "rate") == "0.15 (n=2)"
    assert interval_text(outlets.loc["Four"].to_dict(), "rate") == "0.15 (n=4)"
    assert re.fullmatch(r"0\.20 \[0\.\d\d, 0\.\d\d\]", interval_text(outlets.loc["Five"].to_dict(), "rate"))
    assert list(outlets.index) == ["Five", "Four", "Pair", "Solo"]  # most articles first


def test_standardized_is_zero_for_a_single_outlet_or_a_constant_figure():
    one = outlet_table(article_table([record("a", "A", 10, rate=3.0, flat=1.0)]))
    assert standardized(one).loc["A"].tolist() == [0.0, 0.0]
    two = outlet_table(article_table([record("a", "A", 10, rate=1.0, flat=1.0), record("b", "B", 10, rate=3.0, flat=1.0)]))
    z = standardized(two)
    assert z.loc["A", "rate"] == pytest.approx(-1.0) and z.loc["B", "rate"] == pytest.approx(1.0)
    assert z["flat"].tolist() == [0.0, 0.0]


def test_breakdowns_and_evidence_read_attribution_and_loaded_json():
    rec = annotated_record()
    assert speaker_shares([rec]).loc["Stephen Lendman", "head_of_state"] == 1.0
    assert speaker_shares([rec], "affiliation").columns.tolist() == ["China"]
    evidence = outlet_evidence([rec])["Stephen Lendman"]
    assert evidence["sentence_basis"] == ["lexicon"]
    top = evidence["sentences"][0]
    assert "megalomaniacal drive" in top["text"] and len(top["spans"]) == 3
    (verb,) = evidence["distancing"]
    assert verb["cue"] == "slammed" and verb["text"].startswith("He slammed")
    assert evidence["speakers"][0] == {"name": "He", "speaker_type": "head_of_state", "affiliation": "China",
                                       "attributions": 1, "articles": 1}


def test_without_attribution_the_breakdowns_are_empty_not_errors(sentiment_records):
    assert speaker_shares(sentiment_records).empty
    evidence = outlet_evidence(sentiment_records)
    assert set(evidence) == {"Stephen Lendman", "New Eastern Outlook", "EIRNS", "Wiki (unidentified)"}
    assert all(not e["speakers_available"] for e in evidence.values())
    assert all(e["sentence_basis"] == ["vader"] for e in evidence.values())


def test_seed_evidence_ranks_sentences_by_classifier_and_lists_speakers(seed_records):
    evidence = outlet_evidence(seed_records)["Stephen Lendman"]
    assert evidence["sentence_basis"] == ["classifier"]
    scores = [s["score"] for s in evidence["sentences"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= p <= 1 for p in scores)
    assert evidence["speakers"] and evidence["speakers"][0]["attributions"] >= evidence["speakers"][-1]["attributions"]


# --------------------------------------------------------------------------- highlighting


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab <>&\"'\n“”é"), max_size=60),
    st.lists(st.tuples(st.integers(-3, 65), st.integers(-3, 65), st.sampled_from(["x", "y", "z"])), max_size=8),
)
def test_segments_round_trip_the_text_and_carry_every_covering_span(text, raw):
    marks = [Mark(s, e, f"cat-{c}", f"{c} <title>") for s, e, c in raw]
    pieces = segments(text, marks)
    assert "".join(p.text for p in pieces) == text
    for piece in pieces:
        assert piece.start < piece.end
        expected = tuple(m for m in marks if max(m.start, 0) <= piece.start and min(m.end, len(text)) >= piece.end
                         and m.start < m.end)
        assert piece.marks == expected  # every covering mark, in the order given
    rendered = str(highlight(text, marks))
    assert html.unescape(re.sub(r"<[^>]*>", "", rendered)) == text


def test_overlapping_loaded_spans_become_nested_classes_with_titles():
    text = "a megalomaniacal drive & more"
    marks = [Mark(2, 16, "cat-pejorative", "pejorative (author)", loaded=True),
             Mark(2, 22, "cat-emotive", "emotive (author)", loaded=True)]
    assert str(highlight(text, marks)) == (
        'a <mark class="cat-pejorative cat-emotive" title="pejorative (author); emotive (author)">megalomaniacal</mark>'
        '<mark class="cat-emotive" title="emotive (author)"> drive</mark> &amp; more'
    )


def test_article_highlight_marks_loaded_spans_attributions_and_removed_chrome():
    rec = annotated_record()
    page = str(highlight_html(rec))
    assert '<mark class="cat-pejorative cat-emotive" title="pejorative (author)' in page
    assert 'class="verb-distancing"' in page and 'class="att-speaker' in page
    assert 'class="removed"' in page  # the seed's chrome (byline, widgets) is shown struck through
    assert html.unescape(re.sub(r"<[^>]*>", "", page)) == rec["text"]
    assert "megalomaniacal" in ArticleView(rec)._repr_html_()


def test_the_classifiers_evidence_words_are_underlined_with_their_score(seed_records, tmp_path):
    rec = next(r for r in seed_records if r["id"] == seed_id("001"))
    page = str(highlight_html(rec))
    evidence = [e for s in rec["loaded_sentences"]["sentences"] for e in s.get("evidence", ())]
    assert evidence and page.count('class="clf-evidence') + page.count(" clf-evidence") >= 1
    first = evidence[0]
    assert f"raises the sentence&#39;s log-odds by {first['score']:+.2f}" in page
    assert html.unescape(re.sub(r"<[^>]*>", "", page)) == rec["text"]
    report = build_report(seed_records, tmp_path, title="Seeds").html.read_text(encoding="utf-8")
    assert "clf-evidence" in report.split('id="evidence"')[1]  # the most loaded sentences show them too


# --------------------------------------------------------------------------- rendering


def test_report_for_the_seed_corpus(seed_records, tmp_path):
    paths = build_report(seed_records, tmp_path, title="Seeds <test>")
    page = paths.html.read_text(encoding="utf-8")
    assert "<title>Seeds &lt;test&gt;</title>" in page
    for outlet in ("Stephen Lendman", "New Eastern Outlook", "EIRNS", "Wiki (unidentified)"):
        assert f"<tr><td>{outlet}</td>" in page
    assert "(n=1)" in page and "(n=2)" in page  # no outlet has the 5 articles an interval is printed from
    assert not re.search(r"\d\.\d\d \[\d\.\d\d, \d\.\d\d\]", page)
    assert "Intervals are printed for outlets with at least 5 articles" in page
    assert "<svg" in page and page.count('<figure id="chart-') == len(paths.charts) == 7  # 5 + 2 frames charts
    assert "Not available" not in page
    assert no_external_references(page) == []
    assert page.count('<article class="article"') == 5
    outlets = pd.read_csv(paths.outlets_csv, index_col="outlet")
    assert outlets.loc["Stephen Lendman", "n"] == 2
    assert len(pd.read_csv(paths.articles_csv)) == 5
    markdown = paths.markdown.read_text(encoding="utf-8")
    for chart in paths.charts:
        assert chart.exists() and f"](charts/{chart.name})" in markdown


def test_report_with_attribution_and_loaded_shows_breakdowns_and_provenance(seed_records, tmp_path):
    records = [r for r in seed_records if not r["id"].startswith("001")] + [annotated_record()]
    page = build_report(records, tmp_path).html.read_text(encoding="utf-8")
    for chart in ("heatmap", "speaker_types", "affiliations", "loaded_categories", "verb_classes"):
        assert f'id="chart-{chart}"' in page
    assert "loaded-language version 1.0" in page
    assert "cue “slammed”" in page


def test_methods_name_each_model_once_and_no_figure_as_a_model(seed_records, tmp_path):
    page = build_report(seed_records, tmp_path).html.read_text(encoding="utf-8")
    methods = page[page.index("<h3>Lexicons and models</h3>") :]
    methods = methods[: methods.index("</ul>")]
    assert methods.count("<li>frames: framing-frames-model v1") == 1
    dominant = {r["frames"]["model"]["dominant"] for r in seed_records}
    # the frames model's dominant frame (a figure, not a model) was once listed as one
    assert not any(f"<li>frames: {frame}</li>" in methods for frame in dominant)


def test_report_stays_bounded_at_60_outlets(synthetic_records, tmp_path):
    paths = build_report(synthetic_records, tmp_path, max_appendix=40, n_boot=500)
    page = paths.html.read_text(encoding="utf-8")
    for i in range(60):
        assert f"<tr><td>Outlet {i:02d}</td>" in page
    heatmap = (tmp_path / "charts" / "heatmap.svg").read_text(encoding="utf-8")
    shown = set(re.findall(r"Outlet \d\d", heatmap))
    assert len(shown) == 25
    assert "Showing the 25 outlets with most articles of 60" in page
    assert page.count('<article class="article"') == 40 and "Showing 40 of 300 articles" in page
    rows = re.findall(r"<tr><td>Outlet \d\d</td><td>(\d+)</td><td>[^<]*</td><td>([^<]*)</td>", page)
    assert {int(n) >= 5 for n, _ in rows} == {True, False}
    for n, cell in rows:  # an interval from 5 articles; below, the value marked with its n
        assert re.fullmatch(r"\d\.\d\d \[\d\.\d\d, \d\.\d\d\]" if int(n) >= 5 else rf"\d\.\d\d \(n={n}\)", cell), cell
    assert len(page.encode()) < 3_000_000
    assert no_external_references(page) == []
    assert len(pd.read_csv(paths.outlets_csv)) == 60 and len(pd.read_csv(paths.articles_csv)) == 300


def test_report_with_sentiment_only_says_what_is_not_available(sentiment_records, tmp_path):
    page = build_report(sentiment_records, tmp_path).html.read_text(encoding="utf-8")
    assert page.count('<figure id="chart-') == 1 and 'id="chart-heatmap"' in page
    assert "Not available (analyzer attribution not run)" in page
    assert "Most strongly worded sentences (VADER)" in page


def test_report_for_one_article(seed_records, tmp_path):
    paths = build_report(seed_records[:1], tmp_path)
    page = paths.html.read_text(encoding="utf-8")
    assert "1 article from 1 outlet." in page and "(n=1)" in page and "<svg" in page


def test_outlet_comparison_for_notebooks(seed_records):
    comparison = OutletComparison(seed_records)
    assert comparison.outlets.loc["Stephen Lendman", "n"] == 2
    shown = comparison._repr_html_()
    assert "<table" in shown and "<svg" in shown and '<article class="article"' not in shown


def test_load_results_streams_a_scores_file(seed_records, tmp_path):
    path = tmp_path / "scores.jsonl"
    path.write_text("".join(json.dumps(r) + "\n\n" for r in seed_records), encoding="utf-8")
    assert [r["id"] for r in load_results(path)] == [r["id"] for r in seed_records]
    path.write_text('{"id": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"scores.jsonl:2: not a JSON record"):
        load_results(path)


def test_cli_report_reads_scores_without_rescoring(seed_records, tmp_path):
    scores = tmp_path / "in.jsonl"
    changed = [dict(r, figures={**r["figures"], "vader_author_mean_abs_compound": 0.999}) for r in seed_records]
    scores.write_text("".join(json.dumps(r) + "\n" for r in changed), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(scores), "-o", str(out), "--quiet"]) == 0
    outlets = pd.read_csv(out / "outlets.csv", index_col="outlet")
    assert (outlets["vader_author_mean_abs_compound"] == 0.999).all()
    assert not (out / "scores.jsonl").exists()


def test_cli_report_scores_a_corpus_first(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text(seed_text(seed_id("003")), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(corpus), "-o", str(out), "--quiet", "--title", "T"]) == 0
    assert len(Path(out / "scores.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    assert "<h1>T</h1>" in (out / "report.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- frames


def frame_record(rid: str, outlet: str, pfc: dict[str, float]) -> dict:
    """A scores record with PFC frame shares only (written for the tests); all-zero = no cue."""
    return record(rid, outlet, 100, **{f"frames_pfc_{f}_share": v for f, v in pfc.items()})


@st.composite
def frame_article_sets(draw):
    n = draw(st.integers(1, 20))
    rows = []
    for i in range(n):
        outlet = draw(st.sampled_from(["A", "B", "Ω"]))
        masses = draw(st.lists(st.floats(0, 5, allow_nan=False, width=32), min_size=3, max_size=3))
        total = sum(masses)
        shares = [m / total if total else 0.0 for m in masses]
        rows.append(frame_record(f"a{i}", outlet, dict(zip(("economic", "legality", "other"), shares, strict=True))))
    return rows


@settings(max_examples=40, deadline=None)
@given(frame_article_sets(), st.randoms(use_true_random=False))
def test_frame_table_does_not_depend_on_article_order(records, shuffler):
    shuffled = list(records)
    shuffler.shuffle(shuffled)
    tables = []
    for rows in (records, shuffled):
        articles = article_table(rows)
        tables.append(frame_table(outlet_table(articles, n_boot=200), articles, "pfc"))
    for part in ("means", "low", "high"):
        pd.testing.assert_frame_equal(getattr(tables[0], part), getattr(tables[1], part))
    pd.testing.assert_series_equal(tables[0].n, tables[1].n)
    sums = tables[0].means.sum(axis=1, min_count=1).dropna()
    assert np.allclose(sums, 1.0)  # outlets' mean shares still sum to 1: no-cue articles are left out


def test_article_without_frame_cues_is_left_out_of_the_outlet_frame_shares():
    rows = [frame_record("a", "A", {"economic": 1.0, "legality": 0.0}),
            frame_record("b", "A", {"economic": 0.0, "legality": 0.0}),  # no cue at all: 0/0
            frame_record("c", "A", {"economic": 0.5, "legality": 0.5})]
    articles = article_table(rows)
    table = frame_table(outlet_table(articles, n_boot=100), articles, "pfc")
    assert table.means.loc["A", "economic"] == pytest.approx(0.75)  # not 0.5 (zeros counted)
    assert table.n["A"] == 2 and list(table.means.columns) == ["economic", "legality"]


@pytest.fixture(scope="module")
def frames_only() -> dict[str, dict]:
    """Seed texts scored with the frames analyzer only, for the same-event pairing."""
    out = {}
    for sid in SEED_IDS:
        out[sid] = analyze(Document.from_text(seed_text(sid), id=sid), analyzers=["frames"]).to_dict()
    return out


def as_article(rid: str, outlet: str, text: str, date: str = "") -> dict:
    doc = Document.from_text(text, id=rid, metadata={"outlet": outlet, "title": rid, "date": date})
    return analyze(doc, analyzers=["frames"]).to_dict()


def test_near_duplicates_from_different_outlets_pair_and_unrelated_or_same_outlet_do_not():
    text = seed_text(seed_id("001"))
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    shortened = "\n\n".join(p for k, p in enumerate(paragraphs) if k % 3 != 1)  # a third of it dropped
    records = [
        as_article("orig", "Outlet A", text),
        as_article("copy-b", "Outlet B", shortened),
        as_article("copy-a", "Outlet A", shortened),  # the same outlet republishing: never shown
        as_article("other", "Outlet C", seed_text(seed_id("003"))),  # same subject, another event
    ]
    result = same_event_pairs(records)
    assert [(p.a.id, p.b.id) for p in result.pairs] == [("copy-a", "copy-b"), ("copy-b", "orig")]
    assert all(p.a.outlet != p.b.outlet for p in result.pairs)
    assert all(p.similarity >= 0.6 for p in result.pairs)  # 1.0 (identical) and 0.77 (a third dropped)
    assert result.closest is not None and result.skipped == ""
    other = [p for p in result.pairs if "other" in (p.a.id, p.b.id)]
    assert other == []
    (pair,) = [p for p in result.pairs if p.a.id == "copy-b"]
    assert pair.differences and all(abs(d.difference) > 0 for d in pair.differences)
    magnitudes = [abs(d.difference) for d in pair.differences]
    assert magnitudes == sorted(magnitudes, reverse=True)


def test_same_event_pairs_respect_dates_and_the_article_cap():
    text = seed_text(seed_id("002"))
    near = [as_article("x", "Outlet A", text, "2021-07-01"), as_article("y", "Outlet B", text, "2021-08-15")]
    result = same_event_pairs(near)
    assert result.pairs == () and result.excluded_by_date == 1
    month_only = [as_article("x", "Outlet A", text, "2021-07"), as_article("y", "Outlet B", text, "2021-08-15")]
    assert len(same_event_pairs(month_only).pairs) == 1  # a partial date does not exclude
    capped = same_event_pairs(near, max_articles=1)
    assert capped.pairs == () and "more than the 1 compared pairwise" in capped.skipped


def test_seed_articles_report_different_events_and_do_not_pair(seed_records):
    result = same_event_pairs(seed_records)
    assert result.pairs == () and result.articles == 5
    assert 0.1 < result.closest < SIMILARITY_THRESHOLD


def test_frames_section_renders_table_charts_evidence_and_methods(seed_records, tmp_path):
    paths = build_report(seed_records, tmp_path)
    page = paths.html.read_text(encoding="utf-8")
    section = page.split('<section id="frames">', 1)[1].split("</section>", 1)[0]
    table = section.split('id="frames-pfc"', 1)[1].split("</table>", 1)[0]
    for outlet in ("Stephen Lendman", "New Eastern Outlook", "EIRNS", "Wiki (unidentified)"):
        assert f"<tr><td>{outlet}</td>" in table
    assert re.search(r"0\.\d\d<br><span class=\"ci\">\(n=2\)</span>", table)  # Lendman: 2 articles, no interval
    for name in ("frames_pfc", "frames_generic"):
        svg = section.split(f'<figure id="chart-{name}">', 1)[1].split("</figure>", 1)[0]
        assert "<svg" in svg and len(re.findall(r"<path\b", svg)) >= 5
        assert (tmp_path / "charts" / f"{name}.svg").exists()
    assert "How to read this:" in section
    assert 'class="frame-cue frame-dominant" title="frame: external regulation (pfc)' in section
    assert 'href="#stories"' in section  # outlets on the same story: the Stories section
    assert 'id="methods-frames"' in page and "cues evoke a frame" in page.lower()
    heatmap = (tmp_path / "charts" / "heatmap.svg").read_text(encoding="utf-8")
    assert "frames_pfc" not in heatmap  # frames stay in their own section
    markdown = paths.markdown.read_text(encoding="utf-8")
    assert "## Frames" in markdown and "| Stephen Lendman | 2 (2) | external regulation |" in markdown
    assert "frames_pfc_economic_share" in pd.read_csv(paths.outlets_csv).columns


def test_report_without_frames_says_so(sentiment_records, tmp_path):
    page = build_report(sentiment_records, tmp_path).html.read_text(encoding="utf-8")
    assert "Not available (analyzer frames not run)." in page


def test_stories_section_shows_each_story_side_by_side_and_the_within_story_effects(tmp_path):
    from tests.story_texts import story_articles

    records = [analyze(Document.from_text(a["text"], id=a["id"], metadata=a["metadata"])).to_dict()
               for a in story_articles()]
    paths = build_report(records, tmp_path, n_boot=100)
    page = paths.html.read_text(encoding="utf-8")
    section = page.split('<section id="stories">', 1)[1].split("</section>", 1)[0]
    assert "<b>3 covered by two outlets or more</b> (9 articles)" in section
    assert section.count('<table class="story-side">') == 3
    flood = section.split("story-s0001", 1)[1].split("</table>", 1)[0]  # the flood: dated first
    assert "tamsin" in flood.split("</h4>", 1)[0]
    for outlet in ("Daily Ledger", "Morning Post", "City Wire"):
        assert f'<th class="text">{outlet}</th>' in flood
    assert "Marlow Creek evacuated as the Tamsin bursts its banks" in flood
    effects_table = section.split('class="overview story-effects"', 1)[1].split("</table>", 1)[0]
    assert effects_table.count("<tr><td>") == 3 and "k=3" in effects_table
    assert '<span class="ci">[' not in effects_table  # 3 stories: below the 5 an interval is printed from
    assert "How to read this:" in section and "which</i> stories the outlet covered" in section
    effects = pd.read_csv(tmp_path / "story_effects.csv")
    assert set(effects["outlet"]) == {"Daily Ledger", "Morning Post", "City Wire"}
    assert (effects.loc[effects["figure"] == "loaded_score", "stories"] == 3).all()
    # every outlet covers every story once: where a figure is defined for all nine articles, the
    # within-story and raw differences agree
    complete = effects.groupby("figure")["story_articles"].transform("sum") == 9
    assert complete.sum() >= 3 * 10
    np.testing.assert_allclose(effects.loc[complete, "within"], effects.loc[complete, "raw_difference"], atol=1e-9)
    assert len(pd.read_csv(tmp_path / "stories.csv")) == 3
    markdown = paths.markdown.read_text(encoding="utf-8")
    assert "## Stories: outlets compared on the same story" in markdown and "| Daily Ledger | 3 |" in markdown

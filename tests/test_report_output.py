"""The report as a reader (and a spreadsheet, and a Markdown renderer) meets it: data cannot
inject HTML, Markdown links or formulas; every link resolves; categories keep their colours;
rejected records and article URLs are shown."""

from __future__ import annotations

import copy
import csv
import json
import re

import mistune
import pytest

from framing.cli import main
from framing.output import csv_safe
from framing.report import build_report
from framing.report.charts import category_colours, category_label, stacked_shares
from framing.report.render import Rejects, article_anchor, link_url

from .conftest import seed_id, seed_text

SCRIPT_OUTLET = '<script>document.title="pwned"</script>Evil & Co | x'
FORMULA_OUTLET = '=HYPERLINK("http://example.invalid","click")'
HOSTILE_TITLE = '<img src=x onerror="document.title=1"> [click](javascript:alert(1)) *star* `tick` | pipe'
TITLES = [HOSTILE_TITLE, "@SUM(A1)", "+1 555", "-12", "\t=1+1"]
URLS = ["javascript:alert(1)", "https://example.org/a?b=1&c=<x>", "ftp://example.org/x", "http://example.org/ok", ""]


@pytest.fixture(scope="module")
def hostile_records(seed_records) -> list[dict]:
    """The scored seeds with metadata written to attack the outputs (written for the tests),
    and a copy of the first in the other outlet, so that a same-event pair shows the titles."""
    records = []
    for i, rec in enumerate(seed_records):
        rec = copy.deepcopy(rec)
        rec["metadata"] = {**rec["metadata"], "outlet": SCRIPT_OUTLET if i < 3 else FORMULA_OUTLET,
                           "title": TITLES[i], "url": URLS[i]}
        if i == 4:
            rec["figures"]["loaded_score"] = -0.5
        records.append(rec)
    twin = copy.deepcopy(records[0])
    twin["id"], twin["metadata"]["outlet"] = "twin", FORMULA_OUTLET
    return records + [twin]


@pytest.fixture(scope="module")
def hostile_report(hostile_records, tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    return build_report(hostile_records, out, title="<b>Report</b> [x](javascript:alert(1))", n_boot=100)


# --------------------------------------------------------------------------- Markdown and HTML


def test_markdown_cells_and_headings_cannot_inject_html_or_links(hostile_report):
    markdown = hostile_report.markdown.read_text(encoding="utf-8")
    assert "<script" not in markdown and "<img" not in markdown and "<b>" not in markdown
    assert "&lt;script&gt;" in markdown and "# &lt;b&gt;Report&lt;/b&gt; \\[x\\](javascript:alert(1))" in markdown
    rendered = mistune.html(markdown)
    assert "<script" not in rendered and "<img src=\"x\"" not in rendered
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", rendered)  # no event-handler attribute on any tag
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', rendered))
    assert "<em>star</em>" not in rendered and "<code>tick</code>" not in rendered  # markup from the data stays text
    assert "*star* `tick`" in rendered
    assert "&lt;script&gt;document.title=" in rendered and "&lt;img src=x" in rendered  # shown as text
    header, row = [line for line in markdown.splitlines() if line.startswith("| ")][:2]
    assert "Evil &amp; Co \\| x" in row
    assert len(re.split(r"(?<!\\)\|", header)) == len(re.split(r"(?<!\\)\|", row))  # the | adds no column


def test_html_escapes_titles_and_outlets_and_links_only_http_urls(hostile_report):
    page = hostile_report.html.read_text(encoding="utf-8")
    assert '<script>document.title="pwned"' not in page and "<img src=x" not in page
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;Evil &amp; Co" in page
    links = re.findall(r'<a class="source" href="([^"]*)"', page)
    assert sorted(links) == ["http://example.org/ok", "https://example.org/a?b=1&amp;c=&lt;x&gt;"]
    assert 'href="javascript:' not in page and 'href="ftp:' not in page
    assert '<span class="source">javascript:alert(1)</span>' in page  # shown, not linked
    assert link_url(" HTTPS://Example.org/x ") == "HTTPS://Example.org/x"
    assert link_url("http://exa mple.org") is None and link_url("https:/no-host") is None


# --------------------------------------------------------------------------- CSV


def test_csv_safe_neutralises_formulas_but_not_numbers():
    for formula in ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-", "+"):
        assert csv_safe(formula) == "'" + formula
    for plain in ("-12", "+3.5", "-0.5e-3", ".5", "text", "", "a=b", " =1"):
        assert csv_safe(plain) == plain
    assert csv_safe(-0.5) == -0.5 and csv_safe(3) == 3 and csv_safe(None) is None


def test_report_csv_cells_cannot_run_as_formulas(hostile_report):
    with open(hostile_report.outlets_csv, encoding="utf-8", newline="") as handle:
        outlets = {row["outlet"]: row for row in csv.DictReader(handle)}
    assert "'" + FORMULA_OUTLET in outlets and FORMULA_OUTLET not in outlets
    with open(hostile_report.articles_csv, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    titles = {row["title"] for row in rows}
    assert {"'+1 555", "'@SUM(A1)", "'\t=1+1", "-12"} <= titles
    assert all(not cell.startswith(("=", "+", "@", "\t", "\r")) for row in rows for cell in row.values())
    assert [row["loaded_score"] for row in rows if row["outlet"] == "'" + FORMULA_OUTLET].count("-0.5") == 1
    assert float(outlets["'" + FORMULA_OUTLET]["n"]) == 3


def test_score_csv_cells_cannot_run_as_formulas(tmp_path):
    source = tmp_path / "in.jsonl"
    text = seed_text(seed_id("003"))[:1500]
    source.write_text(json.dumps({"id": "=cmd", "outlet": "@outlet", "title": "=1+1", "text": text}) + "\n",
                      encoding="utf-8")
    assert main(["score", str(source), "-o", str(tmp_path / "out.csv"), "--quiet", "--workers", "1"]) == 0
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["id"], row["outlet"], row["title"]) == ("'=cmd", "'@outlet", "'=1+1")
    assert float(row["words"]) > 100 and not row["words"].startswith("'")


# --------------------------------------------------------------------------- read by a person


def test_every_link_in_the_page_resolves_to_an_anchor(seed_records, tmp_path):
    paths = build_report(seed_records, tmp_path, max_appendix=2, n_boot=100)
    page = paths.html.read_text(encoding="utf-8")
    targets = re.findall(r'href="#([^"]+)"', page)
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    assert targets and sorted(set(targets) - ids) == []
    shown = re.findall(r'<article class="article" id="([^"]+)"', page)
    assert len(shown) == 2
    stubs = page.split('id="linked-articles"', 1)[1].split("</ul>", 1)[0]
    linked = {t for t in targets if t.startswith("article-")}
    assert linked - set(shown) and linked - set(shown) <= set(re.findall(r'<li id="([^"]+)"', stubs))


def test_article_anchors_differ_for_ids_that_sanitise_alike():
    assert article_anchor("000_abc") == "article-000_abc"
    assert article_anchor("a b") != article_anchor("a-b") and article_anchor("a b").startswith("article-a-b-")


def test_category_colours_are_fixed_per_category_and_labels_have_one_casing():
    first = dict(zip(["head_of_state", "official", "unknown"],
                     category_colours(["head_of_state", "official", "unknown"], "speaker_types"), strict=True))
    second = dict(zip(["unknown", "official", "head_of_state"],
                      category_colours(["unknown", "official", "head_of_state"], "speaker_types"), strict=True))
    assert first == second and len(set(first.values())) == 3
    spare = category_colours(["Atlantis", "Russia", "Lemuria"], "affiliations")
    assert len(set(spare)) == 3 and category_colours(["Lemuria", "Atlantis"], "affiliations")[1] == spare[0]
    assert [category_label(v) for v in ("head_of_state", "Unknown", "unknown", "United States", "scare_quote")] == [
        "head of state", "unknown", "unknown", "United States", "scare quote"]


def legend(svg: str) -> dict[str, str]:
    """Legend label -> the colour of the patch drawn just before it (matplotlib's SVG order)."""
    found = {}
    for match in re.finditer(r"<text[^>]*>([^<]+)</text>", svg):
        fills = re.findall(r"fill: (#[0-9a-f]{6})", svg[: match.start()])
        found[match.group(1)] = fills[-1] if fills else ""
    return found


def test_a_category_keeps_its_colour_when_the_data_change():
    import pandas as pd

    counts = pd.Series({"A": 3, "B": 2})
    one = pd.DataFrame({"head_of_state": [0.6, 0.5], "official": [0.3, 0.5], "unknown": [0.1, 0.0]}, index=["A", "B"])
    two = pd.DataFrame({"official": [0.7, 0.2], "expert": [0.2, 0.3], "head_of_state": [0.1, 0.5]}, index=["A", "B"])
    charts = [stacked_shares(t, counts, name="s", title="t", xlabel="x", caption="c", vocabulary="speaker_types")
              for t in (one, two)]
    first, second = legend(charts[0].svg), legend(charts[1].svg)
    assert first["head of state"] == second["head of state"] == "#4e79a7"
    assert first["official"] == second["official"] and first["official"] != first["head of state"]
    assert "head_of_state" not in charts[0].svg


def test_rejected_records_are_counted_and_their_file_named(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(seed_text(seed_id("003")), encoding="utf-8")
    (corpus / "empty.txt").write_text("   \n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(corpus), "-o", str(out), "--quiet"]) == 3  # some records were rejected
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "1 record could not be scored and is not in this report: listed in <code>rejects.jsonl</code>" in page
    assert "1 record(s) could not be scored" in (out / "report.md").read_text(encoding="utf-8")
    assert len((out / "rejects.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    again = tmp_path / "again"
    assert main(["report", str(out / "scores.jsonl"), "-o", str(again), "--quiet"]) == 0
    assert "not known here" in (again / "report.html").read_text(encoding="utf-8")
    page = build_report([json.loads(line) for line in open(out / "scores.jsonl", encoding="utf-8")], tmp_path / "lib",
                        rejects=Rejects(0, "rejects.jsonl")).html.read_text(encoding="utf-8")
    assert "No record was rejected (<code>rejects.jsonl</code> is empty)." in page


def test_within_story_intervals_are_printed_from_five_stories():
    import pandas as pd

    from framing.report.stories import EFFECT_COLUMNS, StorySection, effect_cells

    rows = [{"outlet": outlet, "figure": "loaded_score", "raw_mean": 0.5, "raw_articles": k, "raw_difference": 0.1,
             "within": 0.2, "within_low": 0.1, "within_high": 0.3, "stories": k, "story_articles": k}
            for outlet, k in (("Five", 5), ("Four", 4))]
    section = StorySection(stories=None, effects=pd.DataFrame(rows, columns=list(EFFECT_COLUMNS)), articles={},
                           shown=["loaded_score"])
    cells = {row["outlet"]: row["cells"][0] for row in effect_cells(section)}
    assert cells["Five"]["interval"] == "[+0.10, +0.30]" and cells["Four"]["interval"] == ""
    assert cells["Four"]["stories"] == 4  # shown as k=4 beside the value

"""Tests for framing.webpage (saved web pages) and web pages through corpus, scoring and the CLI.

The pages are written for the tests: inline below, or tests/fixtures/html (article bodies from
corpus/open inside page templates written for the tests; see make_pages.py there).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from framing import htmltext, webpage
from framing.cli import main
from framing.corpus import Record, Reject, read_inputs
from framing.evaluation.extraction import SnippetCounts, check, evaluate, load_gold
from framing.scoring import ScoreOptions, score_inputs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
GOLD = load_gold(FIXTURES / "gold.jsonl")

ARTICLE = [
    "The two delegations met in Vienna on Tuesday and agreed to resume talks on the grain corridor "
    "within a month, officials from both sides said after the meeting.",
    "\u201cWe have a framework that both capitals can accept,\u201d the lead negotiator told reporters, "
    "adding that the details would be published once the ministers had signed them.",
    "Shipping companies welcomed the announcement but warned that insurance costs would stay high "
    "until the first convoys had passed through the strait without incident.",
]
INSULT = "What a pathetic excuse for journalism. The author is a clueless idiot."


def news_page(*, charset: str = "utf-8", extra_head: str = "") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in ARTICLE)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="{charset}">
<title>Grain talks to resume | The Harbour Gazette</title>
<meta property="og:site_name" content="The Harbour Gazette">
<meta property="og:title" content="Grain talks to resume within a month">
<meta name="author" content="Ines Vidal">
<meta property="article:published_time" content="2023-03-14T09:00:00Z">
<link rel="canonical" href="https://harbourgazette.example/world/grain-talks">
{extra_head}</head>
<body><a href="#main">Skip to main content</a>
<div class="cookie-banner">We use cookies to personalise content and ads. Accept all cookies?</div>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main id="main"><article><h1>Grain talks to resume within a month</h1>
<div class="byline">By Ines Vidal</div>
{paragraphs}
<div class="newsletter"><p>Sign up for our morning newsletter and never miss a story again.</p></div>
</article>
<section id="comments"><h2>Comments</h2><div class="comment"><span class="user">patriot_1776</span>
<p>{INSULT}</p></div></section></main>
<footer>&copy; 2023 The Harbour Gazette. All rights reserved.</footer></body></html>
"""


def read(*inputs, **kwargs):
    return list(read_inputs([str(i) for i in inputs], **kwargs))


def only(items, kind):
    assert len(items) == 1, items
    assert isinstance(items[0], kind), items[0]
    return items[0]


# --------------------------------------------------------------------------- extraction


def test_article_is_kept_and_chrome_dropped_with_the_page_metadata():
    page = webpage.read_page(news_page())
    assert page.reader == "trafilatura"
    for paragraph in ARTICLE:
        assert paragraph in page.text
    for chrome in (INSULT, "cookies", "Sign up for our morning newsletter", "Skip to main", "rights reserved"):
        assert chrome not in page.text
    assert page.text.count("\n\n") >= len(ARTICLE) - 1     # one paragraph per <p>
    assert page.metadata == {
        "title": "Grain talks to resume within a month",
        "author": "Ines Vidal",
        "date": "2023-03-14",
        "outlet": "The Harbour Gazette",
        "url": "https://harbourgazette.example/world/grain-talks",
        "language": "en-GB",
    }


def test_the_old_reader_keeps_the_comment_thread_that_trafilatura_drops():
    assert INSULT in htmltext.extract(news_page()).text
    assert INSULT not in webpage.read_page(news_page()).text


def test_extraction_record_counts_what_was_dropped():
    html = news_page()
    page = webpage.read_page(html, encoding="utf-8")
    extraction = page.extraction
    assert extraction["from"] == "html" and extraction["reader"] == "trafilatura"
    assert extraction["mode"] == "precision" and extraction["encoding"] == "utf-8"
    assert extraction["html_sha256"] == hashlib.sha256(html.encode("utf-8")).hexdigest()
    assert extraction["text_chars"] == len(" ".join(page.text.split()))
    assert extraction["dropped_chars"] == extraction["page_chars"] - extraction["text_chars"] > len(INSULT)


def test_recall_mode_is_recorded_and_unknown_modes_are_refused():
    assert webpage.read_page(news_page(), mode="recall").extraction["mode"] == "recall"
    with pytest.raises(ValueError, match="unknown HTML mode 'fast'; available: precision, recall"):
        webpage.read_page(news_page(), mode="fast")
    with pytest.raises(ValueError, match="available: precision, recall"):
        read_inputs(["x.html"], html_mode="everything")
    with pytest.raises(ValueError, match="available: precision, recall"):
        ScoreOptions(html_mode="everything")


LINK_INDEX = """<html><head><title>Archive: March</title></head><body>
<ul><li><a href="/a">Ministers agree to resume the grain talks</a></li>
<li><a href="/b">Port workers end their strike after three days</a></li></ul></body></html>"""


def test_fallback_reader_when_trafilatura_finds_nothing(tmp_path):
    page = webpage.read_page(LINK_INDEX)    # a page of links: precision mode finds no main text
    assert page.reader == "htmltext"
    assert page.text == htmltext.extract(LINK_INDEX).text
    assert "Ministers agree to resume the grain talks" in page.text
    assert page.extraction["reader"] == "htmltext" and page.extraction["reader_version"] is None
    (tmp_path / "index.html").write_text(LINK_INDEX, encoding="utf-8")
    rec = only(read(tmp_path / "index.html"), Record)
    assert rec.metadata["text_source"] == "htmltext"
    assert rec.metadata["title"] == "Archive: March"


def test_empty_extraction_is_rejected_with_a_reason(tmp_path):
    (tmp_path / "chrome.html").write_text(
        "<html><body><header>The Harbour Gazette</header><nav><a href='/'>Home</a></nav>"
        "<form>Search <input name='q'></form><footer>All rights reserved</footer>"
        "<script>track()</script></body></html>", encoding="utf-8")
    (tmp_path / "blank.html").write_text("<html><head><title>Nothing</title></head><body> </body></html>")
    blank, chrome = read(tmp_path)   # sorted by file name
    assert isinstance(chrome, Reject) and chrome.id == "chrome"
    assert chrome.reason.startswith("no article text: trafilatura found no main text and the fallback reader "
                                    "only page chrome (navigation, headers, footers, forms) in the page's ")
    assert isinstance(blank, Reject)
    assert blank.reason == "no article text: the page has no visible text"


# --------------------------------------------------------------------------- encodings


def test_windows_1252_page_with_a_meta_charset_decodes_correctly(tmp_path):
    html = news_page(charset="windows-1252").replace("Vienna", "Vienna\u2019s caf\u00e9")
    data = html.encode("cp1252")
    assert b"\x93" in data and b"\xe9" in data            # curly quote and e-acute as single bytes
    (tmp_path / "legacy.html").write_bytes(data)
    rec = only(read(tmp_path / "legacy.html"), Record)
    assert "\u201cWe have a framework" in rec.text and "Vienna\u2019s caf\u00e9" in rec.text
    assert "\ufffd" not in rec.text and rec.warnings == ()
    assert rec.extraction["encoding"] == "cp1252"
    assert rec.metadata["html_sha256"] == hashlib.sha256(data).hexdigest()


def test_iso_8859_1_label_is_read_as_windows_1252_like_browsers_do():
    data = news_page(charset="ISO-8859-1").encode("cp1252")   # 0x93/0x94 quotes under a latin-1 label
    decoded = webpage.decode_page(data)
    assert decoded.encoding == "cp1252" and decoded.declared == "iso-8859-1"
    assert "\u201cWe have a framework that both capitals can accept,\u201d" in decoded.text
    http_equiv = data.replace(b'<meta charset="ISO-8859-1">',
                              b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
    again = webpage.decode_page(http_equiv)
    assert again.encoding == "cp1252" and "\u201cWe have a framework" in again.text


def test_undeclared_legacy_bytes_are_read_as_windows_1252_with_a_note_or_rejected_when_strict(tmp_path):
    data = news_page().replace('<meta charset="utf-8">', "").encode("cp1252")
    (tmp_path / "undeclared.html").write_bytes(data)
    rec = only(read(tmp_path / "undeclared.html"), Record)
    assert "\u201cWe have a framework" in rec.text
    assert rec.warnings == ("no charset declared and the page is not valid UTF-8: read as windows-1252",)
    rej = only(read(tmp_path / "undeclared.html", encoding_errors="strict"), Reject)
    assert rej.reason.startswith("invalid UTF-8 at byte offset")


def test_utf8_bytes_under_a_legacy_label_are_read_as_utf8_with_a_note():
    decoded = webpage.decode_page(news_page(charset="windows-1252").encode("utf-8"))
    assert decoded.encoding == "utf-8" and "\u201cWe have" in decoded.text
    assert decoded.note == "the page declares charset 'windows-1252' but its bytes are valid UTF-8: read as UTF-8"


def test_utf16_page_with_a_byte_order_mark_is_decoded():
    decoded = webpage.decode_page(b"\xff\xfe" + news_page().encode("utf-16-le"))
    assert decoded.encoding == "utf-16-le" and decoded.bom == 2 and "\u201cWe have" in decoded.text


# --------------------------------------------------------------------------- metadata precedence


def test_manifest_fields_win_over_the_page_and_the_page_fills_the_rest(tmp_path):
    (tmp_path / "a.html").write_text(news_page(), encoding="utf-8")
    (tmp_path / "b.html").write_text(news_page(), encoding="utf-8")
    with open(tmp_path / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "file", "outlet", "title", "date"],
                                      ["a", "a.html", "Gazette (print edition)", "My own title", ""],
                                      ["b", "b.html", "", "", "2023-03-15"]])
    a, b = read(tmp_path)
    assert a.metadata["outlet"] == "Gazette (print edition)" and a.metadata["title"] == "My own title"
    assert a.metadata["date"] == "2023-03-14"          # an empty manifest cell is "not given"
    assert b.metadata["outlet"] == "The Harbour Gazette" and b.metadata["date"] == "2023-03-15"
    for rec in (a, b):
        assert rec.metadata["author"] == "Ines Vidal" and rec.metadata["language"] == "en-GB"
        assert rec.metadata["url"] == "https://harbourgazette.example/world/grain-talks"
        assert rec.metadata["text_source"] == "trafilatura"


def test_jsonl_and_csv_records_may_give_html_and_their_fields_win(tmp_path):
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"id": "j1", "html": news_page(), "outlet": "Wire copy", "author": None,
                                "notes": "kept"}) + "\n", encoding="utf-8")
    rec = only(read(path), Record)
    assert rec.metadata["outlet"] == "Wire copy" and rec.metadata["notes"] == "kept"
    assert rec.metadata["author"] == "Ines Vidal"      # null means not given
    assert ARTICLE[0] in rec.text and INSULT not in rec.text
    assert rec.metadata["html_sha256"] == hashlib.sha256(news_page().encode("utf-8")).hexdigest()
    with open(tmp_path / "pages.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "html", "title"], ["c1", news_page(), "Given"]])
    rec = only(read(tmp_path / "pages.csv"), Record)
    assert rec.metadata["title"] == "Given" and rec.metadata["outlet"] == "The Harbour Gazette"


# --------------------------------------------------------------------------- scored records


def test_scored_page_keeps_the_offsets_contract_and_the_extraction_record(tmp_path):
    (tmp_path / "p.html").write_text(news_page(), encoding="utf-8")
    (scored,) = score_inputs([str(tmp_path / "p.html")], ScoreOptions(analyzers=["loaded", "attribution"]))
    record = scored.result.to_dict()
    text = record["text"]
    assert record["cleaning"]["extraction"]["reader"] == "trafilatura"
    assert list(record["cleaning"])[:1] == ["extraction"]
    assert record["attribution"]["attributions"], "the quote of the article is attributed"
    for item in record["attribution"]["attributions"]:
        assert text[item["content_start"]:item["content_end"]] in text
        assert item["cue"] == text[item["cue_start"]:item["cue_end"]]
    for span in record["loaded"]["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]
    assert not any(term in text for term in ("idiot", "pathetic"))


def test_score_folder_of_pages_fills_outlet_title_date_and_report_compares_outlets(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    chosen = [g for g in GOLD if g["template"] in ("news_modern", "news_legacy", "news_wire")][:6]
    for g in chosen:
        shutil.copy(FIXTURES / "pages" / g["file"], folder / g["file"])
    out = tmp_path / "x.jsonl"
    err = io.StringIO()
    assert main(["score", str(folder), "-o", str(out), "--workers", "1", "--analyzers", "loaded"], stderr=err) == 0
    records = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert len(records) == len(chosen)
    for g in chosen:
        meta = records[g["file"][:-5]]["metadata"]
        assert (meta["outlet"], meta["title"], meta["date"]) == (g["site"], g["title"], g["date"])
    report = tmp_path / "report"
    assert main(["report", str(folder), "-o", str(report), "--quiet"], stderr=err) == 0
    with open(report / "outlets.csv", encoding="utf-8") as handle:
        outlets = {row["outlet"]: row for row in csv.DictReader(handle)}
    assert set(outlets) == {g["site"] for g in chosen}
    assert all(int(row["n"]) == 2 for row in outlets.values())


def test_html_mode_option_reaches_the_reader(tmp_path):
    (tmp_path / "p.html").write_text(news_page(), encoding="utf-8")
    out = tmp_path / "x.jsonl"
    assert main(["score", str(tmp_path / "p.html"), "-o", str(out), "--workers", "1", "--analyzers", "sentiment",
                 "--html-mode", "recall"], stderr=io.StringIO()) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["cleaning"]["extraction"]["mode"] == "recall"


# --------------------------------------------------------------------------- quality on the fixture pages


def test_snippet_check_counts():
    counts = check("Alpha  beta.\nGamma delta.", keep=["Alpha beta.", "Missing"], drop=["Gamma", "Absent"])
    assert counts == SnippetCounts(tp=1, fn=1, fp=1, tn=1)
    assert counts.precision == counts.recall == counts.f1 == 0.5


@pytest.fixture(scope="module")
def fixture_scores():
    pages = FIXTURES / "pages"
    return {reader: evaluate(GOLD, pages, reader)
            for reader in ("trafilatura (precision)", "htmltext (old reader)")}


def test_extraction_f1_on_the_fixture_pages_is_at_least_0_90(fixture_scores):
    assert fixture_scores["trafilatura (precision)"]["all"].f1 >= 0.90


@pytest.mark.parametrize("kind", ["blog", "wiki", "magazine"])
def test_never_worse_than_the_old_reader_on_the_seeds_kinds_of_pages(fixture_scores, kind):
    ours = fixture_scores["trafilatura (precision)"][kind]
    old = fixture_scores["htmltext (old reader)"][kind]
    assert ours.f1 >= old.f1
    assert ours.recall >= old.recall    # the article itself is not lost for the gain in precision

"""Tests for framing.corpus (reading inputs) and framing.htmltext (the fallback HTML reader).

Every file below is written for the tests into tmp_path, except the seed articles
(corpus/seeds) and the open Wikinews corpus (corpus/open/wikinews-gum.jsonl).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import pickle
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.corpus import DEFAULT_MAX_BYTES, Record, Reject, read_inputs
from framing.htmltext import extract

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "corpus" / "seeds"
WIKINEWS_GUM = REPO / "corpus" / "open" / "wikinews-gum.jsonl"


def read(*inputs, **kwargs):
    return list(read_inputs([str(i) for i in inputs], **kwargs))


def records(items):
    return [i for i in items if isinstance(i, Record)]


def rejects(items):
    return [i for i in items if isinstance(i, Reject)]


def only(items, kind):
    assert len(items) == 1, items
    assert isinstance(items[0], kind), items[0]
    return items[0]


def write_jsonl(path: Path, *objs) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objs), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- .txt


def test_txt_is_read_as_bytes_and_keeps_crlf_and_whitespace(tmp_path):
    text = "  Title\r\n\r\nFirst paragraph.\rOdd CR.\n\tIndented \u2028 line\n\n"
    (tmp_path / "story.txt").write_bytes(text.encode("utf-8"))
    rec = only(read(tmp_path / "story.txt"), Record)
    assert rec.id == "story"
    assert rec.text == text
    assert rec.origin == str(tmp_path / "story.txt")
    assert rec.warnings == ()
    assert rec.metadata == {}


def test_utf8_bom_is_stripped_silently(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfNews today.")
    rec = only(read(tmp_path / "bom.txt"), Record)
    assert rec.text == "News today."
    assert rec.warnings == ()


def test_invalid_utf8_is_replaced_with_a_warning_counting_the_bytes(tmp_path):
    # "café" in Latin-1, then a truncated 3-byte sequence: 1 + 2 bad bytes.
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9 au lait \xe2\x82 end")
    rec = only(read(tmp_path / "latin.txt"), Record)
    assert rec.text == b"caf\xe9 au lait \xe2\x82 end".decode("utf-8", "replace")
    assert rec.text == "caf\ufffd au lait \ufffd end"
    (warning,) = rec.warnings
    assert "3 bytes" in warning
    assert "byte offsets 3, 13 in the file" in warning


def test_invalid_utf8_offsets_count_the_bom(tmp_path):
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbfab\xffc")
    rec = only(read(tmp_path / "b.txt"), Record)
    assert rec.text == "ab\ufffdc"
    assert "1 byte at byte offset 5 " in rec.warnings[0]


def test_strict_encoding_errors_reject_invalid_utf8(tmp_path):
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9")
    rej = only(read(tmp_path / "latin.txt", encoding_errors="strict"), Reject)
    assert rej.id == "latin"
    assert "invalid UTF-8 at byte offset 3" in rej.reason


def test_unknown_encoding_errors_value_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="unknown encoding_errors 'ignore'; available: replace, strict"):
        read_inputs(["x.txt"], encoding_errors="ignore")


def test_nul_bytes_look_binary(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    rej = only(read(tmp_path / "image.txt"), Reject)
    assert rej.reason == "looks binary: contains NUL bytes"
    assert rej.id == "image"


def test_many_control_characters_look_binary(tmp_path):
    (tmp_path / "ctl.txt").write_bytes(bytes(range(1, 9)) * 10 + b"some text")
    rej = only(read(tmp_path / "ctl.txt"), Reject)
    assert rej.reason.startswith("looks binary: 80 of 89 characters are control characters")


def test_mostly_invalid_utf8_looks_binary(tmp_path):
    (tmp_path / "noise.txt").write_bytes(bytes(range(0x80, 0xC0)) + b"ok")
    rej = only(read(tmp_path / "noise.txt"), Reject)
    assert rej.reason == "looks binary: 64 of 66 bytes are not valid UTF-8"


def test_a_few_control_characters_in_real_text_are_kept(tmp_path):
    text = "Page one.\fPage two.\x0bTabbed\tline.\x1b is an escape " + "x" * 100
    (tmp_path / "ok.txt").write_text(text, encoding="utf-8", newline="")
    assert only(read(tmp_path / "ok.txt"), Record).text == text


def test_utf16_file_is_rejected_with_advice(tmp_path):
    (tmp_path / "notepad.txt").write_bytes("Hello".encode("utf-16"))
    rej = only(read(tmp_path / "notepad.txt"), Reject)
    assert "UTF-16" in rej.reason and "convert" in rej.reason


@pytest.mark.parametrize("content", [b"", b"   \r\n\t\n", "\u3000\u00a0".encode()])
def test_empty_or_whitespace_only_file_is_rejected(tmp_path, content):
    (tmp_path / "blank.txt").write_bytes(content)
    rej = only(read(tmp_path / "blank.txt"), Reject)
    assert rej.id == "blank"
    assert rej.reason.startswith("empty text" if not content else "whitespace-only text")


def test_missing_file_and_unsupported_extension_are_rejected(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    items = read(tmp_path / "missing.txt", tmp_path / "notes.docx")
    assert [type(i) for i in items] == [Reject, Reject]
    assert items[0].reason == "file does not exist"
    assert items[0].origin == str(tmp_path / "missing.txt")
    assert items[1].reason.startswith("unsupported file type '.docx'; supported: .txt, .html")


def test_too_large_record_is_rejected_without_losing_the_next(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 50, encoding="utf-8")
    (tmp_path / "small.txt").write_text("short text", encoding="utf-8")
    items = read(tmp_path / "big.txt", tmp_path / "small.txt", max_bytes=100)
    assert items[0] == Reject("big", str(tmp_path / "big.txt"), "too large: 250 bytes > limit 100")
    assert only(items[1:], Record).text == "short text"


def test_text_of_exactly_max_bytes_passes(tmp_path):
    (tmp_path / "edge.txt").write_bytes("é".encode() * 50)  # 100 bytes, 50 characters
    assert only(read(tmp_path / "edge.txt", max_bytes=100), Record).text == "é" * 50
    assert "101 bytes" not in only(read(tmp_path / "edge.txt", max_bytes=99), Reject).reason


def test_ten_megabyte_article_passes_the_default_limit(tmp_path):
    paragraph = "The minister said the talks were “constructive”.\n\n"
    text = paragraph * (10_000_000 // len(paragraph.encode()))
    path = tmp_path / "long.txt"
    path.write_bytes(text.encode())
    assert DEFAULT_MAX_BYTES >= 20_000_000
    rec = only(read(path), Record)
    assert len(rec.text) == len(text) and rec.text == text
    write_jsonl(tmp_path / "long.jsonl", {"id": "long", "text": text})
    assert only(read(tmp_path / "long.jsonl"), Record).text == text


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
@pytest.mark.parametrize("limit", ["max_bytes", "max_chars"])
def test_limits_must_be_positive_integers(bad, limit):
    with pytest.raises(ValueError, match=f"{limit} must be a positive integer"):
        read_inputs(["x.txt"], **{limit: bad})


def test_max_chars_counts_characters_not_bytes(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", {"id": "fifty", "text": "é" * 50}, {"id": "more", "text": "é" * 51})
    fifty, more = read(tmp_path / "a.jsonl", max_chars=50)
    assert fifty.text == "é" * 50  # 100 bytes of UTF-8, 50 characters
    assert more == Reject("more", f"{tmp_path / 'a.jsonl'}:2", "too large: 51 characters > limit 50")


def test_max_chars_above_the_default_byte_limit_lets_a_larger_text_through(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * (DEFAULT_MAX_BYTES // 5 + 1000))  # just over the default limit
    assert only(read(path), Reject).reason.startswith("too large:")
    assert len(only(read(path, max_chars=DEFAULT_MAX_BYTES + 10_000), Record).text) == path.stat().st_size


def test_a_single_path_instead_of_a_list_is_refused():
    with pytest.raises(TypeError, match=r"wrap it in a list: read_inputs\(\['corpus'\]\)"):
        read_inputs("corpus")


PROPERTY = settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
CONTROLS = "".join(map(chr, [*range(9), *range(14, 32), 127]))  # never part of text
LONE_SURROGATES = ("Cs",)  # cannot be written as UTF-8 at all


@PROPERTY
@given(text=st.text(alphabet=st.characters(blacklist_categories=LONE_SURROGATES,
                                           blacklist_characters=CONTROLS)))
def test_any_unicode_text_reads_back_exactly_or_is_refused_as_blank(tmp_path, text):
    path = tmp_path / "prop.txt"
    path.write_bytes(text.encode("utf-8"))
    (item,) = read(path)
    body = text.removeprefix("\ufeff")  # a leading U+FEFF is read as a byte-order mark
    if body.strip():
        assert item == Record("prop", body, {}, str(path))
    else:
        assert item == Reject("prop", str(path), item.reason)
        assert item.reason.split(" ")[0] in ("empty", "whitespace-only")


@PROPERTY
@given(text=st.text(alphabet=st.characters(blacklist_categories=LONE_SURROGATES)))
def test_any_text_with_control_characters_is_read_exactly_or_refused_cleanly(tmp_path, text):
    path = tmp_path / "prop.txt"
    path.write_bytes(text.encode("utf-8"))
    (item,) = read(path)
    if isinstance(item, Record):
        assert item.text == text.removeprefix("\ufeff") and item.warnings == ()
    else:
        assert item.reason.split(" ")[0] in ("empty", "whitespace-only", "looks")
        assert any(c in CONTROLS for c in text) or not text.strip()


# --------------------------------------------------------------------------- .html


PAGE = """<!DOCTYPE html>
<html><head><title>Talks in  Beijing &ndash; Daily Example</title>
<style>p { color: red }</style><script>var ad = "<p>Buy now</p>";</script></head>
<body>
<header><a href="/">Daily Example</a><nav><a href="/world">World</a> | <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Talks in Beijing</h1>
<p>The two leaders met on
   Friday, officials said.</p>
<p>“We are close,” one said.<br>Another &amp; another disagreed.</p>
<aside>Related: Other talks</aside>
<form><input name="email"> Subscribe to our newsletter</form>
</article></main>
<footer>© 2022 Daily Example. All rights reserved.</footer>
</body></html>
"""


def test_html_main_text_is_extracted_without_chrome(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    rec = only(read(tmp_path / "page.html"), Record)
    assert rec.id == "page"
    assert rec.text == (
        "Talks in Beijing\n\n"
        "The two leaders met on Friday, officials said.\n\n"
        "“We are close,” one said.\nAnother & another disagreed."
    )
    for chrome in ("Buy now", "Sport", "Related", "Subscribe", "rights reserved", "color"):
        assert chrome not in rec.text
    # trafilatura reads the title without the site's suffix; the hash is of the page as read
    assert rec.metadata == {"title": "Talks in Beijing", "text_source": "trafilatura",
                            "html_sha256": hashlib.sha256(PAGE.encode("utf-8")).hexdigest()}


def test_html_title_falls_back_to_h1_and_pre_keeps_whitespace():
    page = "<body><div><h1>Head <i>line</i></h1></div><pre>\n  a  b\n    c\n</pre><p>x</p></body>"
    out = extract(page)
    assert out.title == "Head line"
    assert out.text == "Head line\n\n  a  b\n    c\n\nx"


def test_html_table_cells_and_list_items():
    out = extract("<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table>")
    assert out.text == "one\n\ntwo\n\na b"
    assert out.title is None


def test_html_with_no_text_is_rejected(tmp_path):
    (tmp_path / "empty.htm").write_text("<html><script>x()</script><nav>Menu</nav></html>")
    rej = only(read(tmp_path / "empty.htm"), Reject)
    assert rej.reason.startswith("no article text: trafilatura found no main text and the fallback reader only "
                                 "page chrome")


# --------------------------------------------------------------------------- .jsonl


def test_jsonl_records_with_metadata_and_unknown_fields_carried(tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        {"id": "a1", "text": "First.\r\nSecond.", "title": "T", "outlet": "O", "author": "A",
         "date": "2022-02-04", "url": "https://example.org/a1", "license": "CC-BY-4.0",
         "tags": ["x", "y"]},
        {"id": 7, "text": "Numeric id."},
    )
    a, b = read(path)
    assert a == Record("a1", "First.\r\nSecond.",
                       {"title": "T", "outlet": "O", "author": "A", "date": "2022-02-04",
                        "url": "https://example.org/a1", "license": "CC-BY-4.0", "tags": ["x", "y"]},
                       f"{path}:1")
    assert (b.id, b.origin) == ("7", f"{path}:2")


def test_jsonl_bad_lines_are_rejected_and_the_rest_delivered(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": "Fine."}),
        '{"id": "broken", "text": "no closing brace"',
        "",
        "[1, 2]",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "", "text": "empty id"}),
        json.dumps({"id": ["x"], "text": "list id"}),
        json.dumps({"id": "notext"}),
        json.dumps({"id": "numtext", "text": 42}),
        json.dumps({"id": "blank", "text": " \n "}),
        json.dumps({"id": "nul", "text": "a\u0000b"}),
        json.dumps({"id": "ok1", "text": "Again."}),
        json.dumps({"id": "ok2", "text": "Also fine."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(path)
    assert [r.id for r in records(items)] == ["ok1", "ok2"]
    got = {(r.origin.rsplit(":", 1)[1], r.id): r.reason for r in rejects(items)}
    assert got.pop(("2", None)).startswith("malformed JSON: Expecting ',' delimiter: line 1 column")
    assert got == {
        ("4", None): "JSON line is not an object but an array",
        ("5", None): "missing 'id' field",
        ("6", None): "empty 'id' ''",
        ("7", None): "'id' must be a string, got an array ['x']",
        ("8", "notext"): "missing 'text' field",
        ("9", "numtext"): "'text' must be a string, got a number 42",
        ("10", "blank"): "whitespace-only text (3 characters)",
        ("11", "nul"): "looks binary: contains NUL bytes",
        ("12", "ok1"): f"duplicate id 'ok1' (first seen at {path}:1)",
    }


def test_jsonl_invalid_utf8_in_a_line_is_replaced_with_a_warning(tmp_path):
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(b'{"id": "x", "text": "Stra\xdfe"}\n{"id": "y", "text": "clean"}\n')
    x, y = read(path)
    assert x.text == "Stra\ufffde"
    assert x.warnings == ("invalid UTF-8 bytes replaced with U+FFFD (1 byte at byte offset 25 in the line)",)
    assert y.warnings == ()


def test_jsonl_line_separators_inside_strings_do_not_split_records(tmp_path):
    path = tmp_path / "ls.jsonl"
    text = "one\u2028two\u0085three\rfour"
    path.write_bytes((json.dumps({"id": "ls", "text": text}, ensure_ascii=False) + "\n").encode())
    assert only(read(path), Record).text == text


def test_jsonl_line_too_large_is_rejected_and_reading_goes_on(tmp_path):
    path = write_jsonl(tmp_path / "big.jsonl",
                       {"id": "big", "text": "x" * 500}, {"id": "small", "text": "y"})
    big, small = read(path, max_bytes=100)
    assert big == Reject("big", f"{path}:1", "too large: 500 bytes > limit 100")
    assert small.id == "small"


def test_empty_jsonl_is_reported(tmp_path):
    (tmp_path / "none.jsonl").write_text("\n\n")
    rej = only(read(tmp_path / "none.jsonl"), Reject)
    assert rej.reason == "no records: the input is empty"


def test_gzipped_jsonl_is_read_directly(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "g1", "text": "Zipped.", "outlet": "Z"}) + "\n")
        f.write("not json\n")
    items = read(path)
    assert items[0] == Record("g1", "Zipped.", {"outlet": "Z"}, f"{path}:1")
    assert items[1].origin == f"{path}:2" and items[1].reason.startswith("malformed JSON")


def test_truncated_gzip_keeps_the_records_before_the_damage(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    body = "".join(json.dumps({"id": f"r{i}", "text": f"Record {i} " * 50}) + "\n" for i in range(200))
    data = gzip.compress(body.encode())
    path.write_bytes(data[: len(data) // 2])
    items = read(path)
    good = records(items)
    assert 0 < len(good) < 200
    assert [r.id for r in good] == [f"r{i}" for i in range(len(good))]
    last = items[-1]
    assert isinstance(last, Reject) and last.reason.startswith("cannot read further")


def test_open_wikinews_corpus_reads_cleanly_with_licenses(tmp_path):
    items = read(WIKINEWS_GUM)
    assert len(items) == 24 and all(isinstance(i, Record) for i in items)
    raw = [json.loads(line) for line in WIKINEWS_GUM.read_text(encoding="utf-8").splitlines()]
    for rec, obj in zip(items, raw):
        assert rec.text == obj["text"]
        assert rec.metadata["license"].startswith("CC-BY-2.5")
        assert rec.metadata["outlet"] == "Wikinews"
        assert set(rec.metadata) == set(obj) - {"id", "text"}


# --------------------------------------------------------------------------- .csv


def write_csv(path: Path, rows, *, opener=open) -> Path:
    with opener(path, "wt", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_csv_rows_become_records_with_metadata(tmp_path):
    path = write_csv(tmp_path / "a.csv", [
        ["id", "text", "outlet", "date", "notes"],
        ["c1", "Line one.\r\nLine two, with comma.", "Outlet A", "2022-01-01", ""],
        ["c2", 'She said "no".', "Outlet B", "", "kept"],
    ])
    c1, c2 = read(path)
    assert c1 == Record("c1", "Line one.\r\nLine two, with comma.",
                        {"outlet": "Outlet A", "date": "2022-01-01"}, f"{path}:row 1")
    assert c2 == Record("c2", 'She said "no".', {"outlet": "Outlet B", "notes": "kept"}, f"{path}:row 2")


def test_csv_bad_rows_are_rejected_and_the_rest_delivered(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        b"id,text,outlet\n"
        b"r1,Good text,O\n"
        b"r2,Too,many,fields\n"
        b"r3\n"
        b",No id,O\n"
        b"r5,,O\n"
        b"r1,Second r1,O\n"
        b"r7,Caf\xe9,O\n"
    )
    items = read(path)
    assert [r.id for r in records(items)] == ["r1", "r7"]
    assert records(items)[1].warnings[0].startswith("invalid UTF-8 bytes replaced with U+FFFD (1 byte")
    assert [(r.id, r.origin, r.reason) for r in rejects(items)] == [
        ("r2", f"{path}:row 2", "row has 4 fields, header has 3"),
        ("r3", f"{path}:row 3", "row has 1 fields, header has 3"),
        (None, f"{path}:row 4", "empty 'id' ''"),
        ("r5", f"{path}:row 5", "empty text"),
        ("r1", f"{path}:row 6", f"duplicate id 'r1' (first seen at {path}:row 1)"),
    ]


def test_csv_without_required_columns_is_one_reject(tmp_path):
    path = write_csv(tmp_path / "cols.csv", [["id", "body"], ["1", "x"], ["2", "y"]])
    rej = only(read(path), Reject)
    assert rej.reason == "missing required column 'text'; header has: id, body"


def test_csv_field_larger_than_the_limit_is_rejected(tmp_path):
    path = write_csv(tmp_path / "big.csv", [["id", "text"], ["big", "z" * 300], ["ok", "fine"]])
    big, ok = read(path, max_bytes=100)
    assert big == Reject("big", f"{path}:row 1", "too large: 300 bytes > limit 100")
    assert ok.id == "ok"


def test_csv_accepts_fields_beyond_the_csv_module_default_limit(tmp_path):
    text = "A long article. " * 20_000  # 320 000 characters > csv's default 131 072
    path = write_csv(tmp_path / "long.csv", [["id", "text"], ["long", text]])
    assert only(read(path), Record).text == text


def test_gzipped_csv_is_read_directly(tmp_path):
    path = write_csv(tmp_path / "z.csv.gz", [["id", "text"], ["z1", "Gz row."]], opener=gzip.open)
    assert only(read(path), Record) == Record("z1", "Gz row.", {}, f"{path}:row 1")


def test_empty_csv_is_reported(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    assert only(read(tmp_path / "e.csv"), Reject).reason.startswith("no records")


# --------------------------------------------------------------------------- directories


def test_directory_with_manifest_reads_exactly_the_listed_files(tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    for seed in seeds:
        shutil.copy(seed, tmp_path / seed.name)
    (tmp_path / "unlisted.txt").write_text("Not in the manifest.")
    write_csv(tmp_path / "manifest.csv", [
        ["id", "file", "outlet", "author", "title", "date", "url", "notes", "region"],
        ["seed-a", seeds[0].name, "Outlet A", "Stephen Lendman", "", "2019-06-01", "", "written for the tests", "RU"],
        ["", seeds[1].name, "Outlet B", "", "Given title", "", "https://example.org/b", "", ""],
        ["gone", "missing.txt", "Outlet C", "", "", "", "", "", ""],
    ])
    items = read(tmp_path)
    a, b, gone = items
    assert a.id == "seed-a"
    assert a.text == seeds[0].read_bytes().decode("utf-8")
    assert a.origin == str(tmp_path / seeds[0].name)
    assert a.metadata == {"outlet": "Outlet A", "author": "Stephen Lendman", "date": "2019-06-01",
                          "notes": "written for the tests", "region": "RU"}
    assert b.id == seeds[1].stem
    assert b.metadata == {"outlet": "Outlet B", "title": "Given title", "url": "https://example.org/b"}
    assert gone == Reject("gone", f"{tmp_path / 'manifest.csv'}:row 3",
                          "manifest lists 'missing.txt', which does not exist")


def test_manifest_title_wins_over_the_html_title(tmp_path):
    (tmp_path / "p.html").write_text(PAGE)
    (tmp_path / "q.html").write_text(PAGE)
    write_csv(tmp_path / "manifest.csv", [["id", "file", "title"], ["p", "p.html", "From manifest"],
                                          ["q", "q.html", ""]])
    p, q = read(tmp_path)
    assert p.metadata["title"] == "From manifest"
    assert q.metadata["title"] == "Talks in Beijing"


def test_manifest_refuses_multi_record_files(tmp_path):
    write_jsonl(tmp_path / "many.jsonl", {"id": "m", "text": "x"})
    write_csv(tmp_path / "manifest.csv", [["file"], ["many.jsonl"]])
    assert "not a single-document file" in only(read(tmp_path), Reject).reason


def test_directory_without_manifest_is_walked_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b.txt").write_text("Bee.")
    (tmp_path / "a.txt").write_text("Ay.")
    (tmp_path / ".hidden.txt").write_text("Hidden.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hidden dir.")
    (tmp_path / "README.md").write_text("Not a record.")
    (tmp_path / "sub").mkdir()
    write_jsonl(tmp_path / "sub" / "c.jsonl", {"id": "c", "text": "See."})
    (tmp_path / "sub" / "d.html").write_text("<p>Dee.</p>")
    items = read(tmp_path)
    assert [(i.id, i.text) for i in items] == [("a", "Ay."), ("b", "Bee."), ("c", "See."), ("d", "Dee.")]


def test_nested_directory_with_its_own_manifest_uses_it(tmp_path):
    (tmp_path / "top.txt").write_text("Top.")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "listed.txt").write_text("Listed.")
    (sub / "unlisted.txt").write_text("Unlisted.")
    write_csv(sub / "manifest.csv", [["id", "file"], ["L", "listed.txt"]])
    assert [i.id for i in read(tmp_path)] == ["L", "top"]


def test_duplicate_ids_across_files_are_rejected_naming_the_first(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "same.txt").write_text("First.")
    (tmp_path / "two" / "same.txt").write_text("Second.")
    write_jsonl(tmp_path / "x.jsonl", {"id": "same", "text": "Third."})
    first, second, third = read(tmp_path / "one", tmp_path / "two", tmp_path / "x.jsonl")
    assert first.text == "First."
    assert second.reason == f"duplicate id 'same' (first seen at {tmp_path / 'one' / 'same.txt'})"
    assert third.reason == second.reason and third.origin == f"{tmp_path / 'x.jsonl'}:1"


def test_a_rejected_record_does_not_claim_its_id(tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", {"id": "k", "text": ""}, {"id": "k", "text": "Now real."})
    bad, good = read(path)
    assert isinstance(bad, Reject) and good.text == "Now real."


def test_reading_is_lazy(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", {"id": "a", "text": "A."})
    it = read_inputs([str(tmp_path / "a.jsonl"), str(tmp_path / "later.txt")])
    assert next(it).id == "a"
    (tmp_path / "later.txt").write_text("Created after reading began.")
    assert next(it).text == "Created after reading began."


# --------------------------------------------------------------------------- stdin


def test_stdin_plain_text_from_bytes():
    stdin = io.BytesIO(b"\xef\xbb\xbf\n  Headline\r\n\r\nBody \xff.\n")
    rec = only(read("-", stdin=stdin), Record)
    assert rec == Record("stdin", "\n  Headline\r\n\r\nBody \ufffd.\n", {}, "<stdin>", (
        "invalid UTF-8 bytes replaced with U+FFFD (1 byte at byte offset 23 in standard input)",))


def test_stdin_jsonl_is_detected_by_its_first_non_blank_character():
    stdin = io.StringIO('\n  {"id": "s1", "text": "From a pipe."}\n{"id": "s1", "text": "dup"}\nnope\n')
    s1, dup, bad = read("-", stdin=stdin)
    assert s1 == Record("s1", "From a pipe.", {}, "<stdin>:2")
    assert dup.reason == "duplicate id 's1' (first seen at <stdin>:2)"
    assert bad.origin == "<stdin>:4" and bad.reason.startswith("malformed JSON")


def test_stdin_text_stream_with_buffer_is_read_as_bytes():
    raw = io.BytesIO(b"Line\r\nnext")
    stdin = io.TextIOWrapper(raw, encoding="utf-8")
    assert only(read("-", stdin=stdin), Record).text == "Line\r\nnext"


def test_stdin_empty_and_too_large():
    assert only(read("-", stdin=io.StringIO("")), Reject).reason == "empty text"
    big = only(read("-", stdin=io.BytesIO(b"x" * 300), max_bytes=100), Reject)
    assert big == Reject("stdin", "<stdin>", "too large: 300 bytes > limit 100")


# --------------------------------------------------------------------------- the real corpus


def test_seed_articles_read_verbatim():
    items = read(SEEDS)
    assert [r.id for r in items] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for rec in items:
        assert isinstance(rec, Record) and rec.warnings == ()
        assert rec.text == (SEEDS / f"{rec.id}.txt").read_bytes().decode("utf-8").removeprefix("\ufeff")


def test_records_and_rejects_are_frozen_and_picklable(tmp_path):
    rec = Record("a", "text", {"outlet": "O"}, "a.txt", ("w",))
    rej = Reject(None, "a.jsonl:3", "malformed JSON")
    with pytest.raises(AttributeError):
        rec.text = "changed"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(rec)) == rec
    assert pickle.loads(pickle.dumps(rej)) == rej


def test_a_file_named_gz_that_is_not_gzip_is_rejected(tmp_path):
    (tmp_path / "fake.jsonl.gz").write_text('{"id": "f", "text": "plain"}\n')
    (tmp_path / "fake.csv.gz").write_text("id,text\nf,plain\n")
    items = read(tmp_path / "fake.jsonl.gz", tmp_path / "fake.csv.gz")
    assert [(type(i), i.reason) for i in items] == [
        (Reject, "cannot read further: Not a gzipped file (b'{\"')"),
        (Reject, "cannot read further: Not a gzipped file (b'id')"),
    ]


def test_strict_encoding_errors_reject_jsonl_and_csv_rows(tmp_path):
    (tmp_path / "s.jsonl").write_bytes(b'{"id": "j", "text": "\xff"}\n')
    (tmp_path / "s.csv").write_bytes(b"id,text\nc,ab\xff\n")
    j, c = read(tmp_path / "s.jsonl", tmp_path / "s.csv", encoding_errors="strict")
    assert j == Reject("j", f"{tmp_path / 's.jsonl'}:1",
                       "invalid UTF-8 at byte offset 21 in the line (encoding_errors='strict')")
    assert c.reason == "invalid UTF-8 at byte offset 4 in the row's lines (encoding_errors='strict')"


def test_manifest_without_a_file_column_is_one_reject(tmp_path):
    (tmp_path / "a.txt").write_text("A.")
    write_csv(tmp_path / "manifest.csv", [["id", "path"], ["a", "a.txt"]])
    rej = only(read(tmp_path), Reject)
    assert rej == Reject(None, f"{tmp_path / 'manifest.csv'}:header",
                         "missing required column 'file'; header has: id, path")


def test_a_line_far_beyond_the_limit_is_skipped_unparsed_and_reading_goes_on(tmp_path):
    # The line limit allows for escapes and metadata (6 x max_bytes + 1 MiB); beyond
    # it the line is skipped without being held or parsed.
    huge = "q" * (1 << 20) * 2
    path = write_jsonl(tmp_path / "huge.jsonl", {"id": "huge", "text": huge}, {"id": "after", "text": "ok"})
    csv_path = write_csv(tmp_path / "huge.csv", [["id", "text"], ["huge", huge], ["after2", "ok"]])
    items = read(path, csv_path, max_bytes=10)
    assert [type(i) for i in items] == [Reject, Record, Reject, Record]
    assert items[0].origin == f"{path}:1"
    first_line = len(path.read_bytes().split(b"\n")[0]) + 1
    assert items[0].reason == f"too large: line has {first_line} bytes > limit {6 * 10 + (1 << 20)}"
    assert items[2].origin == f"{csv_path}:row 1" and items[2].reason.startswith("too large: line 2 has")
    assert (items[1].id, items[3].id) == ("after", "after2")


def test_crlf_jsonl_and_csv_files(tmp_path):
    (tmp_path / "w.jsonl").write_bytes(b'{"id": "w1", "text": "a\\r\\nb"}\r\n{"id": "w2", "text": "c"}\r\n')
    (tmp_path / "w.csv").write_bytes(b'id,text\r\nw3,"x\r\ny"\r\nw4,z\r\n')
    items = read(tmp_path / "w.jsonl", tmp_path / "w.csv")
    assert [(r.id, r.text) for r in items] == [("w1", "a\r\nb"), ("w2", "c"), ("w3", "x\r\ny"), ("w4", "z")]

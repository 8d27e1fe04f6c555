"""The hand-made attribution gold and the extractor's hard-case fixtures are well-formed.

Checks that every span points where it says, vocabularies are the contract's, and
the committed JSONL files are exactly what their offset scripts produce from the
hand-chosen strings (so nobody edits an offset by hand and drifts).
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
GOLD = ROOT / "corpus" / "annotations" / "attributions.jsonl"
CASES = ROOT / "tests" / "fixtures" / "attribution_cases.jsonl"

KINDS = {"direct", "indirect", "according_to", "floating"}
SPEAKER_TYPES = {"head_of_state", "official", "state_media", "media", "expert", "politician", "ngo",
                 "citizen", "anonymous", "unknown"}
VERB_CLASSES = {"neutral", "emphatic", "endorsing", "distancing", "pejorative", None}
AFFILIATIONS = {"Russia", "China", "United States", "European Union", "NATO", "United Kingdom", "Germany",
                "Japan", "India", "West", "International", "Unknown"}
FIELDS = {"doc_id", "kind", "content_start", "content_end", "content", "speaker", "speaker_mention",
          "speaker_start", "speaker_end", "speaker_type", "affiliation", "cue", "cue_start", "cue_end",
          "verb_class", "note"}
OPEN_MARKS = "\"“‘'"
CLOSE_MARKS = "\"”’'"


def _load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _gold() -> list[tuple[str, dict]]:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    return [(texts.get(r["doc_id"]), r) for r in _load(GOLD)]


def _cases() -> list[tuple[str, dict]]:
    return [(row["text"], rec) for row in _load(CASES) for rec in row["attributions"]]


def _both():
    return [pytest.param(t, r, id=f"gold-{r['doc_id'][:3]}-{r['content_start']}") for t, r in _gold()] + [
        pytest.param(t, r, id=f"case-{r['doc_id']}-{r['content_start']}") for t, r in _cases()]


def _script(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_gold_doc_id_is_a_seed_file_and_every_seed_is_annotated():
    seeds = {p.stem for p in SEEDS.glob("*.txt")}
    docs = {r["doc_id"] for _, r in _gold()}
    assert docs == seeds


@pytest.mark.parametrize("text,rec", _both())
def test_record_spans_round_trip_into_the_text(text, rec):
    assert set(rec) == FIELDS
    assert 0 <= rec["content_start"] < rec["content_end"] <= len(text)
    assert text[rec["content_start"]:rec["content_end"]] == rec["content"]
    assert rec["content"] == rec["content"].strip()
    for name, start, end in (("speaker_mention", "speaker_start", "speaker_end"), ("cue", "cue_start", "cue_end")):
        if rec[name] is None:
            assert rec[start] is None and rec[end] is None
        else:
            assert text[rec[start]:rec[end]] == rec[name]


@pytest.mark.parametrize("text,rec", _both())
def test_record_uses_the_contract_vocabularies(text, rec):
    assert rec["kind"] in KINDS
    assert rec["speaker_type"] in SPEAKER_TYPES
    assert rec["verb_class"] in VERB_CLASSES
    assert all(part in AFFILIATIONS for part in rec["affiliation"].split("; "))
    if rec["speaker"] is None:
        assert rec["speaker_type"] == "unknown"
    else:
        assert (rec["speaker_type"] == "anonymous") == rec["speaker"].startswith("anonymous: ")


@pytest.mark.parametrize("text,rec", _both())
def test_kind_agrees_with_cue_and_verb_class(text, rec):
    kind, cue = rec["kind"], rec["cue"]
    if kind == "floating":
        assert cue is None and rec["verb_class"] is None and rec["speaker_mention"] is None
    else:
        assert cue is not None
    if kind == "according_to" and cue.lower() == "according to":
        assert rec["verb_class"] is None
    elif kind != "floating":
        assert rec["verb_class"] is not None


@pytest.mark.parametrize("text,rec", [p for p in _both() if p.values[1]["kind"] in ("direct", "floating")])
def test_quote_content_sits_inside_quotation_marks(text, rec):
    """Direct and floating content starts after an opening mark and ends at a closing mark,
    or at the end of its paragraph when the quote is not closed there."""
    before = text[:rec["content_start"]].rstrip(" ")
    assert before and before[-1] in OPEN_MARKS
    after = text[rec["content_end"]:]
    assert after[:1] in set(CLOSE_MARKS) | {"\n", ""}
    if after[:1] in ("\n", ""):
        assert "closing mark" in rec["note"] or "multi-paragraph" in rec["note"]


def test_no_duplicate_content_spans():
    seen = [(r["doc_id"], r["content_start"], r["content_end"]) for _, r in _gold() + _cases()]
    assert len(seen) == len(set(seen))


def test_cases_are_marked_written_for_the_tests_and_include_negative_cases():
    rows = _load(CASES)
    assert len({row["id"] for row in rows}) == len(rows) >= 20
    assert all(row["note"] == "written for the tests" for row in rows)
    assert all(rec["doc_id"] == row["id"] for row in rows for rec in row["attributions"])
    assert any(not row["attributions"] for row in rows), "a scare quote / title case with no attribution"


def test_gold_file_is_what_its_offset_script_produces():
    produced = _script(ROOT / "corpus" / "annotations" / "make_attributions.py").collect()
    assert produced == _load(GOLD)


def test_case_file_is_what_its_offset_script_produces():
    produced = _script(ROOT / "tests" / "fixtures" / "make_attribution_cases.py").collect()
    assert produced == _load(CASES)


def test_notes_mark_unclosed_quotes_in_the_gold():
    """Seed 001 has two quotations with no closing mark; both are annotated and say so."""
    unclosed = [r for _, r in _gold() if re.search(r"no closing mark", r["note"])]
    assert {r["content"] for r in unclosed} >= {"new vitality in bilateral relations with Russia.",
                                                "historic mistake of pushing (both countries) too far."}

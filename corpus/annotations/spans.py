"""Offset helper for the hand annotations (not part of the framing package).

The annotator chooses every string by reading the text; this module only turns
those strings into code-point offsets and refuses anything ambiguous, so that a
record can never silently point at the wrong occurrence.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Mapping

FIELDS = (
    "doc_id", "kind", "content_start", "content_end", "content", "speaker",
    "speaker_mention", "speaker_start", "speaker_end", "speaker_type",
    "affiliation", "cue", "cue_start", "cue_end", "verb_class", "note",
)


def _unique(haystack: str, needle: str, what: str) -> int:
    first = haystack.find(needle)
    if first < 0:
        raise ValueError(f"{what}: {needle!r} not found")
    if haystack.find(needle, first + 1) >= 0:
        raise ValueError(f"{what}: {needle!r} occurs more than once; give a context")
    return first


def locate(text: str, needle: str, at: str | None = None, what: str = "span") -> tuple[int, int]:
    """Offsets of `needle`, which must occur exactly once in `at` (itself unique in text)."""
    base = 0 if at is None else _unique(text, at, f"{what} context")
    window = text if at is None else at
    start = base + _unique(window, needle, what)
    return start, start + len(needle)


def locate_range(text: str, begin: str, end: str, at: str | None = None, what: str = "span") -> tuple[int, int]:
    """From the start of `begin` to the end of the first `end` after it."""
    start, begin_end = locate(text, begin, at, what)
    stop = text.find(end, start)
    while 0 <= stop and stop + len(end) < begin_end:
        stop = text.find(end, stop + 1)
    if stop < 0:
        raise ValueError(f"{what}: end {end!r} not found after {begin!r}")
    return start, stop + len(end)


def build_record(text: str, doc_id: str, spec: Mapping[str, Any], speakers: Mapping[str, tuple[str, str]]) -> dict:
    """Turn one hand-written spec into a record with offsets.

    spec keys: kind, content (str) or content_range (begin, end), at, speaker,
    mention, mention_at, cue, cue_at, verb_class, note, and optionally
    speaker_type / affiliation (otherwise looked up in `speakers`).
    """
    at = spec.get("at")
    if "content_range" in spec:
        cs, ce = locate_range(text, *spec["content_range"], at=at, what=f"{doc_id} content")
    else:
        cs, ce = locate(text, spec["content"], at, f"{doc_id} content")
    speaker = spec.get("speaker")
    stype, aff = speakers.get(speaker, (None, None)) if speaker else ("unknown", "Unknown")
    stype = spec.get("speaker_type", stype)
    aff = spec.get("affiliation", aff)
    if stype is None:
        raise ValueError(f"{doc_id}: no speaker_type for {speaker!r}")
    mention = spec.get("mention")
    ss = se = None
    if mention is not None:
        ss, se = locate(text, mention, spec.get("mention_at"), f"{doc_id} mention")
    cue = spec.get("cue")
    qs = qe = None
    if cue is not None:
        qs, qe = locate(text, cue, spec.get("cue_at"), f"{doc_id} cue")
    return {
        "doc_id": doc_id, "kind": spec["kind"], "content_start": cs, "content_end": ce,
        "content": text[cs:ce], "speaker": speaker, "speaker_mention": mention,
        "speaker_start": ss, "speaker_end": se, "speaker_type": stype, "affiliation": aff,
        "cue": cue, "cue_start": qs, "cue_end": qe, "verb_class": spec.get("verb_class"),
        "note": spec.get("note", ""),
    }


def check(text: str, rec: Mapping[str, Any]) -> None:
    """Every span round-trips into the text."""
    assert text[rec["content_start"]:rec["content_end"]] == rec["content"], rec
    for name, s, e in (("speaker_mention", "speaker_start", "speaker_end"), ("cue", "cue_start", "cue_end")):
        if rec[name] is None:
            assert rec[s] is None and rec[e] is None, rec
        else:
            assert text[rec[s]:rec[e]] == rec[name], rec


def build_doc(text: str, doc_id: str, specs: Iterable[Mapping[str, Any]],
              speakers: Mapping[str, tuple[str, str]]) -> list[dict]:
    """All records of one text, checked, in text order (outer spans before inner ones)."""
    recs = [build_record(text, doc_id, s, speakers) for s in specs]
    for rec in recs:
        check(text, rec)
    spans = [(r["content_start"], r["content_end"]) for r in recs]
    if len(spans) != len(set(spans)):
        raise ValueError(f"{doc_id}: two records share a content span")
    return sorted(recs, key=lambda r: (r["content_start"], -r["content_end"]))


def write_jsonl(path: Path, records: Iterable[Mapping[str, Any]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n

"""Shared fixtures: the sample corpus as the repository ships it (never ../shared)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from framing.document import Document
from framing.pipeline import analyze

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = CORPUS / "seeds"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))


def seed_text(seed_id: str) -> str:
    """The seed file's text exactly as a user's file would be read (no newline translation)."""
    return (SEEDS / f"{seed_id}.txt").read_bytes().decode("utf-8")


def seed_id(prefix: str) -> str:
    """The full seed id for a short prefix like '001'."""
    (match,) = [s for s in SEED_IDS if s.startswith(prefix)]
    return match


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, Document]:
    """Segmented seed documents keyed by their 3-digit prefix ('000' ... '004')."""
    return {s[:3]: Document.from_text(seed_text(s), id=s) for s in SEED_IDS}


@pytest.fixture(scope="session")
def manifest_rows() -> list[dict[str, str]]:
    with open(CORPUS / "manifest.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------- scored records (report tests)


def record(rid: str, outlet: str | None, words: int, **figures: float | None) -> dict:
    """A minimal scores record (written for the tests): metadata, words and flat figures."""
    metadata = {"title": f"title {rid}"}
    if outlet is not None:
        metadata["outlet"] = outlet
    return {"schema_version": 1, "id": rid, "metadata": metadata, "words": words, "figures": figures}


@pytest.fixture(scope="session")
def seed_records(manifest_rows) -> list[dict]:
    """The five seeds scored with the analyzers available, with their manifest metadata."""
    by_id = {row["id"]: row for row in manifest_rows}
    records = []
    for sid in SEED_IDS:
        meta = {k: by_id[sid][k] for k in ("outlet", "title", "date") if by_id[sid][k]}
        records.append(analyze(Document.from_text(seed_text(sid), id=sid, metadata=meta)).to_dict())
    return records


def annotated_record() -> dict:
    """Seed 001 with loaded-language and attribution JSON as those analyzers write it, spans
    placed by hand on real words (written for the tests), so breakdowns and evidence can be
    checked before the analyzers land."""
    sid = seed_id("001")
    text = seed_text(sid)
    rec = analyze(Document.from_text(text, id=sid, metadata={"outlet": "Stephen Lendman", "title": "t"})).to_dict()

    def at(word: str, after: int = 0) -> tuple[int, int]:
        start = text.index(word, after)
        return start, start + len(word)

    for analyzer in ("loaded", "loaded_sentences", "attribution", "sources"):
        rec.pop(analyzer, None)  # replaced by the hand-placed JSON below
    mega, drive, menace = at("megalomaniacal"), at("megalomaniacal drive"), at("unparalleled menace")
    he, slammed = at("He slammed"), at("slammed")
    content_start = slammed[1] + 1
    content_end = text.index("\n", content_start)
    rec["loaded"] = {
        "spans": [
            {"start": mega[0], "end": mega[1], "text": "megalomaniacal", "category": "pejorative", "term": "megalomaniac",
             "weight": 0.9, "voice": "author", "negated": False, "in_scare_quote": False},
            # overlaps the first: a multi-word emotive match sharing a word
            {"start": drive[0], "end": drive[1], "text": "megalomaniacal drive", "category": "emotive",
             "term": "megalomaniacal drive", "weight": 0.5, "voice": "author", "negated": False, "in_scare_quote": False},
            {"start": menace[0], "end": menace[1], "text": "unparalleled menace", "category": "hyperbole",
             "term": "unparalleled", "weight": 0.7, "voice": "author", "negated": False, "in_scare_quote": False},
        ],
        "lexicon": {"name": "loaded-language", "version": "1.0", "source": "written by hand for the tests"},
    }
    rec["attribution"] = {
        "attributions": [
            {"kind": "indirect", "speaker": "He", "speaker_start": he[0], "speaker_end": he[0] + 2, "cue": "slammed",
             "cue_start": slammed[0], "cue_end": slammed[1], "content_start": content_start, "content_end": content_end,
             "speaker_type": "head_of_state", "affiliation": "China", "verb_class": "distancing"},
        ],
    }
    return rec

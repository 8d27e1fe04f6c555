"""Checks that the hand-annotated article frame labels are well-formed.

The data is corpus/annotations/frames_articles.csv (guidelines in GUIDELINES-frames.md,
section "Articles"): whole articles of corpus/open with the PFC frames each one puts forward.
Every title and text must be the open corpus record's, verbatim.
"""

import collections
import json
from pathlib import Path

import pytest

from tests.annotation_rows import read_rows
from tests.corpus_text import document_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CSV_PATH = CORPUS / "annotations" / "frames_articles.csv"
COLUMNS = ["id", "source", "selection", "title", "text", "pfc"]
PFC = (
    "economic", "capacity_resources", "morality", "fairness_equality", "legality", "policy",
    "crime_punishment", "security_defense", "health_safety", "quality_of_life",
    "cultural_identity", "public_opinion", "political", "external_regulation", "other",
)  # fmt: skip


@pytest.fixture(scope="module")
def rows():
    return read_rows(CSV_PATH, COLUMNS)


def _titles() -> dict[str, str]:
    titles = {}
    for path in (CORPUS / "open").glob("*.jsonl"):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                titles[record["id"]] = record["title"]
    return titles


def test_a_few_hundred_articles_with_unique_ids(rows):
    assert len(rows) >= 200
    assert len({r["id"] for r in rows}) == len(rows)


def test_titles_and_texts_are_the_open_corpus_records_verbatim(rows):
    titles = _titles()
    for row in rows:
        assert row["source"] in ("wikinews", "kremlin"), row["id"]
        assert document_text(row["source"], row["id"]) == row["text"], row["id"]
        assert titles[row["id"]] == row["title"], row["id"]


def test_selection_is_stated(rows):
    by_source = collections.Counter((r["source"], r["selection"]) for r in rows)
    assert set(by_source) <= {("wikinews", "all"), ("kremlin", "random"), ("kremlin", "topic")}


def test_labels_are_known_slugs_never_empty_and_other_stands_alone(rows):
    for row in rows:
        labels = row["pfc"].split(";")
        assert labels and all(label in PFC for label in labels), row["id"]
        assert len(set(labels)) == len(labels), row["id"]
        assert "other" not in labels or labels == ["other"], row["id"]


def test_every_frame_has_ten_articles(rows):
    counts = collections.Counter(label for r in rows for label in r["pfc"].split(";"))
    assert {frame: counts[frame] for frame in PFC if counts[frame] < 10} == {}

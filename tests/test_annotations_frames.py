"""Checks that the hand-annotated frame sentences are well-formed.

The data is corpus/annotations/frames_sentences.csv (guidelines in
GUIDELINES-frames.md); every sentence marked origin=corpus must occur verbatim in
the document it claims to come from, read from corpus/seeds or corpus/open.
"""
import collections
from pathlib import Path

import pytest

from tests.annotation_rows import read_rows

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CSV_PATH = CORPUS / "annotations" / "frames_sentences.csv"
COLUMNS = ["id", "source", "doc_id", "text", "pfc", "generic", "origin", "note"]
PFC = (
    "economic", "capacity_resources", "morality", "fairness_equality", "legality", "policy",
    "crime_punishment", "security_defense", "health_safety", "quality_of_life",
    "cultural_identity", "public_opinion", "political", "external_regulation", "other",
)
GENERIC = ("conflict", "human_interest", "responsibility", "economic_consequences", "morality")
RARE_OR_NONE = {"other", "fairness_equality", "quality_of_life"}


@pytest.fixture(scope="module")
def rows():
    return read_rows(CSV_PATH, COLUMNS)


def _labels(row, column):
    return [label for label in row[column].split(";") if label]


def test_file_has_enough_rows(rows):
    assert len(rows) >= 300


def test_ids_are_unique_and_texts_not_empty(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert all(r["id"] and r["text"].strip() for r in rows)


def test_sources_and_origins_are_from_the_vocabulary(rows):
    bad = [r["id"] for r in rows
           if r["source"] not in {"seed", "wikinews", "kremlin", "written"}
           or r["origin"] not in {"corpus", "written"}]
    assert bad == []


def test_pfc_labels_are_known_slugs_never_empty_and_other_stands_alone(rows):
    for r in rows:
        labels = _labels(r, "pfc")
        assert labels, r["id"]
        assert set(labels) <= set(PFC), r["id"]
        assert len(labels) == len(set(labels)), r["id"]
        assert "other" not in labels or labels == ["other"], r["id"]


def test_generic_labels_are_known_slugs_and_may_be_empty(rows):
    for r in rows:
        labels = _labels(r, "generic")
        assert set(labels) <= set(GENERIC), r["id"]
        assert len(labels) == len(set(labels)), r["id"]
    assert any(not r["generic"] for r in rows)


def test_written_sentences_stay_at_most_ten_percent(rows):
    written = sum(r["origin"] == "written" for r in rows) / len(rows)
    assert written <= 0.10


def test_every_pfc_frame_but_the_rare_ones_has_eight_positives(rows):
    counts = collections.Counter(label for r in rows for label in _labels(r, "pfc"))
    short = {f: counts[f] for f in PFC if f not in RARE_OR_NONE and counts[f] < 8}
    assert short == {}


def test_every_generic_frame_occurs(rows):
    counts = collections.Counter(label for r in rows for label in _labels(r, "generic"))
    assert set(counts) == set(GENERIC)


def test_sentences_come_from_all_three_sources_and_many_documents(rows):
    by_source = collections.Counter(r["source"] for r in rows)
    assert {"seed", "wikinews", "kremlin"} <= set(by_source)
    assert len({r["doc_id"] for r in rows if r["doc_id"]}) >= 30

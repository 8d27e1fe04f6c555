"""Checks that the hand-labelled loaded/neutral sentences are well-formed.

The data is corpus/annotations/loaded_sentences.csv; every sentence marked
origin=corpus must occur verbatim in the document it claims to come from.
"""
from pathlib import Path

import pytest

from tests.annotation_rows import read_rows

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CSV_PATH = CORPUS / "annotations" / "loaded_sentences.csv"
COLUMNS = ["id", "source", "doc_id", "text", "label", "origin", "note"]


@pytest.fixture(scope="module")
def rows():
    return read_rows(CSV_PATH, COLUMNS)


def test_file_has_enough_rows(rows):
    assert len(rows) >= 600


def test_labels_sources_and_origins_are_from_the_vocabulary(rows):
    bad = [(r["id"], r["label"], r["source"], r["origin"]) for r in rows
           if r["label"] not in {"loaded", "neutral"}
           or r["source"] not in {"seed", "wikinews", "kremlin", "written"}
           or r["origin"] not in {"corpus", "written"}]
    assert bad == []


def test_ids_are_unique_and_texts_not_empty(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert all(r["id"] and r["text"].strip() for r in rows)


def test_both_labels_have_at_least_thirty_percent(rows):
    loaded = sum(r["label"] == "loaded" for r in rows) / len(rows)
    assert 0.30 <= loaded <= 0.70


def test_written_sentences_stay_a_minority(rows):
    written = sum(r["origin"] == "written" for r in rows) / len(rows)
    assert written <= 0.15

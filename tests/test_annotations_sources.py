"""Every hand-annotated sentence file quotes its sources faithfully.

Rows marked origin=corpus must occur verbatim in the document they name (corpus/seeds or
corpus/open); rows written by the annotator are marked as such and name no document.
"""

import csv
from pathlib import Path

import pytest

from tests.corpus_text import document_text

ANNOTATIONS = Path(__file__).resolve().parents[1] / "corpus" / "annotations"
SENTENCE_FILES = ["loaded_sentences.csv", "frames_sentences.csv"]


@pytest.fixture(scope="module", params=SENTENCE_FILES)
def rows(request):
    with (ANNOTATIONS / request.param).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_written_rows_have_no_document_and_corpus_rows_do(rows):
    for r in rows:
        if r["origin"] == "written":
            assert r["source"] == "written" and r["doc_id"] == "", r["id"]
        else:
            assert r["source"] != "written" and r["doc_id"], r["id"]


def test_corpus_sentences_occur_verbatim_in_their_document(rows):
    missing = [
        r["id"]
        for r in rows
        if r["origin"] == "corpus" and (document_text(r["source"], r["doc_id"]) or "").find(r["text"]) < 0
    ]
    assert missing == []

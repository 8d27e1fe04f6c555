"""Read a document of the repository corpus by (source, doc_id), for the tests that
check hand annotations quote their sources verbatim (corpus/seeds, corpus/open)."""
import json
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
JSONL = {
    "wikinews": ["wikinews-2004-2005.jsonl", "wikinews-gum.jsonl"],
    "kremlin": ["kremlin-2021-2022.jsonl"],
}


@cache
def _jsonl_texts(source):
    texts = {}
    for name in JSONL[source]:
        with (CORPUS / "open" / name).open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                texts[record["id"]] = record["text"]
    return texts


def document_text(source, doc_id):
    """Text of a seed file or a jsonl record; None if there is no such document."""
    if source == "seed":
        path = CORPUS / "seeds" / f"{doc_id}.txt"
        return path.read_text(encoding="utf-8") if path.is_file() else None
    if source in JSONL:
        return _jsonl_texts(source).get(doc_id)
    return None

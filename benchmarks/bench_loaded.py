"""Throughput of the loaded-language analyzer against VADER alone, on the sample corpus.

Run:  PYTHONPATH=. python benchmarks/bench_loaded.py [--seconds 3]

Texts: the five seed articles and corpus/open/wikinews-gum.jsonl. Both timings run over the same
segmented documents: (a) VADER ``polarity_scores`` on every sentence; (b) the "loaded" analyzer
with its "sentiment" requirement (VADER per sentence again, plus tokens, lexicon matching, scare
quotes, negation and figures). Segmentation (Punkt, quotations) is done once, outside the clock;
each repetition of (b) starts from a fresh Document so token caches do not carry over.
Each measurement repeats whole passes until ``--seconds`` have gone by. A script, not a test.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from framing.document import Document
from framing.pipeline import Resources, analyze

ROOT = Path(__file__).resolve().parent.parent


def load_documents() -> list[Document]:
    docs = [
        Document.from_text(path.read_bytes().decode("utf-8"), id=path.stem)
        for path in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    ]
    with open(ROOT / "corpus" / "open" / "wikinews-gum.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            docs.append(Document.from_text(record["text"], id=record["id"]))
    return docs


def fresh(doc: Document) -> Document:
    """The same segmentation without the lazily computed token caches."""
    return Document(
        id=doc.id, text=doc.text, metadata=doc.metadata, paragraphs=doc.paragraphs,
        sentences=doc.sentences, quotations=doc.quotations, removed=doc.removed,
        references=doc.references, diagnostics=doc.diagnostics,
    )


def measure(run, seconds: float) -> tuple[int, float]:
    passes, started = 0, time.perf_counter()
    while True:
        run()
        passes += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return passes, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement (default 3)")
    args = parser.parse_args()

    docs = load_documents()
    resources = Resources()
    vader = resources.vader()
    analyze(docs[0], analyzers=["loaded"], resources=resources)  # load lexicons, rules, VADER once
    sentences = [doc.text[s.start : s.end] for doc in docs for s in doc.sentences]
    words = sum(doc.word_count for doc in docs)

    def vader_pass() -> None:
        for sentence in sentences:
            vader.polarity_scores(sentence)

    def loaded_pass() -> None:
        for doc in [fresh(d) for d in docs]:
            analyze(doc, analyzers=["loaded"], resources=resources)

    rows = []
    for name, run in (("VADER alone", vader_pass), ("loaded (+sentiment)", loaded_pass)):
        passes, elapsed = measure(run, args.seconds)
        rows.append((name, passes, elapsed, passes * len(sentences) / elapsed, passes * len(docs) / elapsed))
    print(f"corpus: {len(docs)} articles, {len(sentences)} sentences, {words} words")
    print(f"{'':22}{'passes':>8}{'seconds':>9}{'sentences/s':>14}{'articles/s':>12}")
    for name, passes, elapsed, sps, aps in rows:
        print(f"{name:22}{passes:>8}{elapsed:>9.2f}{sps:>14.0f}{aps:>12.1f}")
    print(f"loaded / VADER time ratio: {rows[0][3] / rows[1][3]:.2f}x")


if __name__ == "__main__":
    main()

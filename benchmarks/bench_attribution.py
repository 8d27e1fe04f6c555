"""Articles per second for the attribution analyzer on the seeds and corpus/open/wikinews-gum.jsonl.

Run: PYTHONPATH=. python benchmarks/bench_attribution.py   (prints figures; not a test)
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from framing.analyzers.attribution import analyze
from framing.document import Document
from framing.pipeline import Resources

ROOT = Path(__file__).resolve().parents[1]


def main(rounds: int = 5) -> None:
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))]
    texts += [json.loads(line)["text"] for line in (ROOT / "corpus" / "open" / "wikinews-gum.jsonl").read_text("utf-8").splitlines() if line.strip()]
    resources = Resources()
    analyze(Document.from_text(texts[0]), resources)  # build gazetteers once
    docs = [Document.from_text(t) for t in texts]
    chars = sum(len(t) for t in texts)
    start = time.perf_counter()
    found = 0
    for _ in range(rounds):
        for doc in [Document.from_text(d.text) for d in docs]:
            found += len(analyze(doc, resources).attributions)
    elapsed = time.perf_counter() - start
    n = rounds * len(texts)
    print(f"articles: {len(texts)} x {rounds} rounds, {chars} chars each round")
    print(f"segmentation + attribution: {n / elapsed:.1f} articles/s, {rounds * chars / elapsed / 1000:.0f} k chars/s")
    print(f"attributions found per round: {found // rounds}")


if __name__ == "__main__":
    main()

"""Speed of the attribution analyzer against VADER over the same sentences.

Corpus: the 5 seeds, corpus/open/wikinews-gum.jsonl and the first 60 Kremlin texts (89 articles).
Documents are segmented (and tokenised) before timing, so both figures cover analysis only.

Run: PYTHONPATH=. python benchmarks/bench_attribution.py [--profile]   (prints figures; not a test)
"""

from __future__ import annotations

import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

from framing.analyzers import loaded
from framing.analyzers.attribution import analyze
from framing.document import Document
from framing.pipeline import Resources

ROOT = Path(__file__).resolve().parents[1]


def texts() -> list[str]:
    out = [p.read_text("utf-8") for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))]
    for name, limit in (("wikinews-gum.jsonl", None), ("kremlin-2021-2022.jsonl", 60)):
        lines = [line for line in (ROOT / "corpus" / "open" / name).read_text("utf-8").splitlines() if line.strip()]
        out += [json.loads(line)["text"] for line in lines[:limit]]
    return out


def main(rounds: int = 3, profile: bool = False) -> None:
    resources = Resources()
    docs = [Document.from_text(t) for t in texts()]
    for doc in docs:
        doc.sentence_tokens()
    analyze(docs[0], resources)  # build gazetteers once
    vader = resources.vader()
    start = time.perf_counter()
    for _ in range(rounds):
        for doc in docs:
            for s in doc.sentences:
                vader.polarity_scores(doc.text[s.start : s.end])
    vader_s = (time.perf_counter() - start) / rounds
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    start = time.perf_counter()
    found = 0
    for _ in range(rounds):
        for doc in docs:
            found += len(analyze(doc, resources).attributions)
    attribution_s = (time.perf_counter() - start) / rounds
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    # in the pipeline the loaded analyzer runs first and its spans are reused (not timed here)
    priors = [{"loaded": loaded.analyze(doc, resources, {})} for doc in docs]
    start = time.perf_counter()
    for _ in range(rounds):
        for doc, prior in zip(docs, priors):
            analyze(doc, resources, prior)
    with_prior_s = (time.perf_counter() - start) / rounds
    print(f"articles: {len(docs)}, {sum(len(d.sentences) for d in docs)} sentences")
    print(f"VADER over the sentences: {vader_s:.2f} s")
    print(f"attribution: {attribution_s:.2f} s ({len(docs) / attribution_s:.0f} articles/s, {attribution_s / vader_s:.1f}x VADER)")
    print(f"attribution after loaded (its spans reused): {with_prior_s:.2f} s ({with_prior_s / vader_s:.1f}x VADER)")
    print(f"attributions found: {found // rounds}")


if __name__ == "__main__":
    main(profile="--profile" in sys.argv[1:])

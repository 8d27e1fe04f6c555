"""Time and memory of story clustering (a script that prints figures, not a test).

    PYTHONPATH=. python benchmarks/bench_stories.py                       # 5k, 10k, 20k, 40k articles
    PYTHONPATH=. python benchmarks/bench_stories.py --sizes 1000 40000 --days 7

Synthetic articles, for scale only (their stories are made up, so the grouping they get says
nothing about quality: `make eval` measures that on labelled events). Each story has its own
few dozen words (names, places) drawn from a shared pool of 200,000 invented words, and 2 to 6
outlets write about it: a title and 250-700 words each, mixing the story's words with common
words drawn from a Zipf-like distribution over the same pool. Stories are dated uniformly over
``--days`` days (default 365; ``--days 7`` puts every article in one window, the worst case for
the window), outlets' articles within two days of their story.

Each size runs in a fresh child process: it builds the articles, adds them to a
``StoryIndex`` one at a time (the texts are not kept) and clusters them with the shipped
settings. It prints the seconds of each step and the peak RSS of the child (getrusage), which
includes Python, numpy, scipy and scikit-learn (about 110 MB before any article).

Target (issue "Same story, different outlets"): 40,000 articles in <= 5 minutes and <= 1.5 GB
peak RSS on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = 200_000


def articles(n: int, days: int, seed: int = 0):
    """``n`` synthetic articles as (id, outlet, title, date, text), story by story."""
    import datetime as dt

    import numpy as np

    rng = np.random.default_rng(seed)
    syllables = ["ka", "ro", "mi", "tes", "lan", "dor", "vi", "nu", "sha", "pel", "gor", "ti", "ba", "qua", "zen"]
    words = np.array(["".join(rng.choice(syllables, size=rng.integers(2, 5))) + str(i % 97) for i in range(VOCABULARY)])
    ranks = np.arange(1, VOCABULARY + 1)
    cumulative = np.cumsum(1.0 / ranks ** 1.1)
    cumulative /= cumulative[-1]
    start = dt.date(2024, 1, 1)
    made = story = 0
    while made < n:
        story += 1
        own = words[rng.integers(VOCABULARY // 10, VOCABULARY, size=30)]
        day = start + dt.timedelta(days=int(rng.integers(0, days)))
        for o in rng.choice(40, size=min(int(rng.integers(2, 7)), n - made), replace=False):
            length = int(rng.integers(250, 700))
            mixed = np.where(rng.random(length) < 0.25, rng.choice(own, size=length),
                             words[np.searchsorted(cumulative, rng.random(length))])
            title = " ".join(rng.choice(own, size=6))
            date = (day + dt.timedelta(days=int(rng.integers(0, 3)))).isoformat()
            yield f"a{made:07d}", f"Outlet {o}", title, date, " ".join(mixed)
            made += 1


def run_one(n: int, days: int) -> dict:
    from framing.stories import StoryIndex

    started = time.perf_counter()
    index = StoryIndex()
    generated_cpu = 0.0
    adding = 0.0
    before_cpu = time.process_time()
    stream = articles(n, days)
    while True:
        c = time.process_time()
        item = next(stream, None)
        generated_cpu += time.process_time() - c
        if item is None:
            break
        aid, outlet, title, date, text = item
        t = time.perf_counter()
        index.add(aid, text, title=title, outlet=outlet, date=date)
        adding += time.perf_counter() - t
    generated = time.perf_counter() - started - adding
    generated_cpu += before_cpu  # CPU spent before the loop (imports) is not the clustering's either
    t = time.perf_counter()
    found = index.cluster()
    clustered = time.perf_counter() - t
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    return {"n": n, "days": days, "add_s": adding, "cluster_s": clustered, "total_s": adding + clustered,
            "generate_s": generated, "peak_mb": peak,
            "cpu_s": usage.ru_utime + usage.ru_stime - generated_cpu, "stories": len(found.stories),
            "shared": int((found.stories["n_outlets"] >= 2).sum()), "vocabulary": len(index.vocabulary)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000, 40000])
    parser.add_argument("--days", type=int, default=365, help="days the stories are spread over (default 365)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.days)))
        return
    print(f"story clustering, synthetic articles over {args.days} days (shipped settings); fresh process per size")
    print(f"{'articles':>9} {'add s':>7} {'cluster s':>9} {'total s':>8} {'CPU s':>7} {'peak RSS MB':>11} "
          f"{'stories':>8} {'shared':>7} {'vocabulary':>10}")
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(n), "--days", str(args.days)],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['n']:>9,} {r['add_s']:>7.1f} {r['cluster_s']:>9.1f} {r['total_s']:>8.1f} {r['cpu_s']:>7.1f} "
              f"{r['peak_mb']:>11.0f} "
              f"{r['stories']:>8,} {r['shared']:>7,} {r['vocabulary']:>10,}", flush=True)
    print("add: tokenising and counting each article (the texts are not kept); cluster: vectors, neighbours, "
          "components and the tables; CPU: both, in CPU seconds (less sensitive than wall time to other load on "
          "the machine). Generating the synthetic texts is not timed.")


if __name__ == "__main__":
    main()

"""Time and memory of scoring ONE article against its size (a script that prints figures, not a test).

    PYTHONPATH=. python benchmarks/bench_size.py                       # all kinds, default sizes
    PYTHONPATH=. python benchmarks/bench_size.py --kinds line --sizes 25000 50000 100000 200000

Kinds of article:

* ``prose``: real-ish prose, body paragraphs of ``corpus/open/*.jsonl`` (chrome removed by
  framing's own cleaner) sampled with a fixed seed and joined by blank lines up to the size;
* ``line``: one line without any punctuation: the words of the same paragraphs, stripped of
  everything but letters and digits, joined by single spaces (what a flattened table or a
  transcript dump looks like; Punkt finds no sentence end in it);
* ``wrapped``: the same words hard-wrapped at ~70 characters, each line ending in a comma (no
  blank line, no sentence end: one paragraph that grows line by line).

Each size runs in a fresh process that first warms up (imports, lexicons, models, on a short
text), then times what a batch worker does for one record (``framing.batch.score_tuple``:
segmentation, every analyzer, the JSON record and the flat row) and ``json.dumps`` of the record
(the output line), in wall-clock and CPU seconds (CPU time is the steadier figure on a shared
machine). Peak RSS is the process's ``ru_maxrss``; "warm RSS" is its RSS after the
warm-up, so the difference is what the article costs.

Targets (issue 16): a 1 MB article scores in well under 30 s; the 200,000-character line in
under 5 s; time grows linearly with size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = {
    "prose": [125_000, 250_000, 500_000, 1_000_000],
    "line": [25_000, 50_000, 100_000, 200_000],
    "wrapped": [125_000, 250_000, 500_000, 1_000_000],
}


def open_paragraphs() -> list[str]:
    from framing.document import Document

    found = []
    for path in sorted((ROOT / "corpus" / "open").glob("*.jsonl")):
        for line in open(path, encoding="utf-8"):
            doc = Document.from_text(json.loads(line)["text"])
            found.extend(doc.text[p.start : p.end] for p in doc.paragraphs if p.end - p.start >= 40)
    return found


def build(kind: str, size: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    pool = open_paragraphs()
    if kind == "prose":
        parts, total = [], 0
        while total < size:
            part = rng.choice(pool)
            parts.append(part)
            total += len(part) + 2
        return "\n\n".join(parts)[:size].rstrip()
    words = [w for p in pool for w in re.findall(r"[^\W_]+", p)]
    start = rng.randrange(len(words))
    chosen, total = [], 0
    while total < size:
        word = words[(start + len(chosen)) % len(words)]
        chosen.append(word)
        total += len(word) + 1
    if kind == "line":
        return " ".join(chosen)[:size].rstrip()
    if kind == "wrapped":
        lines, line = [], []
        for word in chosen:
            line.append(word)
            if sum(map(len, line)) + len(line) >= 70:
                lines.append(" ".join(line) + ",")
                line = []
        return "\n".join(lines)[:size].rstrip()
    raise ValueError(f"unknown kind {kind!r}; available: {', '.join(DEFAULT_SIZES)}")


def rss_mb() -> float:
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        return float("nan")


def measure(kind: str, size: int) -> dict:
    """One article in this (fresh) process."""
    from framing.batch import _as_tuple, score_tuple
    from framing.corpus import Record
    from framing.scoring import ScoreOptions

    options = ScoreOptions()
    text = build(kind, size)
    score_tuple(_as_tuple(Record("warm-up", 'A short text. He said "yes" to it.', {}, "warm-up")), options)
    warm = rss_mb()
    item = _as_tuple(Record("bench", text, {}, "bench"))
    start, cpu = time.perf_counter(), time.process_time()
    outcome = score_tuple(item, options)
    scored, cpu = time.perf_counter() - start, time.process_time() - cpu
    if outcome[0] != "ok":
        raise SystemExit(f"rejected: {outcome[3]}")
    record = outcome[2]
    start = time.perf_counter()
    line = json.dumps(record, ensure_ascii=False)
    dumped = time.perf_counter() - start
    cut = [d for d in record["diagnostics"] if d["code"] == "long-sentence"]
    return {
        "kind": kind, "chars": len(text), "sentences": record["segments"]["sentences"], "cut": len(cut),
        "seconds": scored, "cpu_seconds": cpu, "json_seconds": dumped, "json_mb": len(line.encode("utf-8")) / 1e6,
        "warm_mb": warm, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def in_child(kind: str, size: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, __file__, "--_measure", kind, str(size)],
                         env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{kind} {size}: the measuring process failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="+", default=list(DEFAULT_SIZES), choices=list(DEFAULT_SIZES))
    parser.add_argument("--sizes", type=int, nargs="+", help="characters (default: 4 sizes per kind)")
    parser.add_argument("--_measure", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._measure:
        print(json.dumps(measure(args._measure[0], int(args._measure[1]))))
        return
    print(f"{'kind':>8} {'chars':>10} {'sentences':>9} {'cut':>4} {'score s':>8} {'CPU s':>7} {'CPU s/100k':>10} "
          f"{'json s':>7} {'JSON MB':>8} {'warm MB':>8} {'peak MB':>8}")
    for kind in args.kinds:
        for size in args.sizes or DEFAULT_SIZES[kind]:
            r = in_child(kind, size)
            print(f"{kind:>8} {r['chars']:>10,} {r['sentences']:>9} {r['cut']:>4} {r['seconds']:>8.2f} "
                  f"{r['cpu_seconds']:>7.2f} {r['cpu_seconds'] / r['chars'] * 1e5:>10.2f} "
                  f"{r['json_seconds']:>7.2f} {r['json_mb']:>8.1f} "
                  f"{r['warm_mb']:>8.0f} {r['peak_mb']:>8.0f}", flush=True)


if __name__ == "__main__":
    main()

"""Throughput and memory of batch scoring (a script that prints figures, not a test).

    PYTHONPATH=. python benchmarks/bench_batch.py                 # 1k and 10k articles
    PYTHONPATH=. python benchmarks/bench_batch.py --sizes 1000 10000 100000

Builds a corpus of realistic articles by sampling and shuffling body paragraphs (chrome
removed by framing's own cleaner) of the sample corpus (corpus/seeds) and the open texts
(corpus/open/*.jsonl), streamed to a temporary JSONL file. For each size it scores the file
with 1 worker and with N workers, each in a fresh child process, and prints articles/s,
MB of text/s and peak RSS (psutil when installed: the peak of the parent and of the largest
worker, sampled every 0.1 s; otherwise getrusage). On the same articles it times VADER alone
(``polarity_scores`` over the same sentences, segmented beforehand and not timed) and prints
the ratio of full analysis (1 worker) to it.

Targets (issue "Batch scoring at scale"): full analysis <= 3x VADER alone; 2 workers >= 1.7x
the throughput of 1; peak RSS at 100k within 1.2x of that at 1k.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def body_paragraphs() -> list[str]:
    from framing.document import Document

    texts = [p.read_bytes().decode("utf-8") for p in sorted((CORPUS / "seeds").glob("*.txt"))]
    for path in sorted((CORPUS / "open").glob("*.jsonl")):
        texts.extend(json.loads(line)["text"] for line in open(path, encoding="utf-8"))
    found = []
    for text in texts:
        doc = Document.from_text(text)
        found.extend(doc.text[p.start : p.end] for p in doc.paragraphs if p.end - p.start >= 40)
    return found


def build_corpus(path: Path, n: int, pool: list[str], seed: int = 1) -> int:
    """Stream ``n`` articles of 4-12 sampled paragraphs to ``path``; returns bytes of text."""
    rng = random.Random(seed)
    outlets = [f"Outlet {c}" for c in "ABCDEFGH"]
    size = 0
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(n):
            text = "\n\n".join(rng.sample(pool, rng.randint(4, 12)))
            size += len(text.encode("utf-8"))
            handle.write(json.dumps({"id": f"bench-{i:07d}", "outlet": rng.choice(outlets), "text": text}) + "\n")
    return size


class PeakRss:
    """Peak RSS of this process and of its largest descendant, sampled (needs psutil)."""

    def __init__(self) -> None:
        try:
            import psutil
        except ImportError:
            self.psutil = None
            return
        self.psutil = psutil
        self.parent = self.child = 0
        self.cpu: dict[int, float] = {}     # descendant pid -> last seen user+system seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        me = self.psutil.Process()
        while not self._stop.wait(0.1):
            try:
                self.parent = max(self.parent, me.memory_info().rss)
                for child in me.children(recursive=True):
                    self.child = max(self.child, child.memory_info().rss)
                    times = child.cpu_times()
                    self.cpu[child.pid] = times.user + times.system
            except self.psutil.Error:
                pass

    def stop(self) -> dict:
        self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if self.psutil is None:
            children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
            return {"parent_mb": self_peak / 2**20, "worker_mb": children / 2**20, "how": "getrusage"}
        self._stop.set()
        self._thread.join()
        return {"parent_mb": max(self.parent, self_peak) / 2**20, "worker_mb": self.child / 2**20, "how": "psutil",
                "worker_cpu": sum(self.cpu.values())}


def measure(path: str, workers: int) -> dict:
    """One scoring run (in this process, which the main process started for it)."""
    from framing.batch import BatchCounts, score_batch

    rss = PeakRss()
    counts = BatchCounts()
    cpu0 = time.process_time()
    start = time.perf_counter()
    for item in score_batch([path], workers=workers):
        counts.add(item)
    elapsed = time.perf_counter() - start
    return {
        "workers": workers, "articles": counts.scored, "rejected": counts.rejected, "seconds": elapsed,
        "chars": counts.chars, "parent_cpu": time.process_time() - cpu0, **rss.stop(),
    }


def measure_vader(path: str) -> dict:
    """VADER alone over the same sentences (segmentation done first, not timed)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from framing.document import Document

    sentences = []
    for line in open(path, encoding="utf-8"):
        record = json.loads(line)
        doc = Document.from_text(record["text"], id=record["id"])
        sentences.extend(doc.text[s.start : s.end] for s in doc.sentences)
    vader = SentimentIntensityAnalyzer()
    start, cpu0 = time.perf_counter(), time.process_time()
    for sentence in sentences:
        vader.polarity_scores(sentence)
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu0, "sentences": len(sentences)}


def in_child(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="N (default: CPU count)")
    parser.add_argument("--single-up-to", type=int, default=10000,
                        help="measure 1 worker only for sizes up to this (time box)")
    parser.add_argument("--vader-up-to", type=int, default=10000, help="measure VADER alone up to this size")
    parser.add_argument("--_measure", nargs=2, metavar=("PATH", "WORKERS"), help=argparse.SUPPRESS)
    parser.add_argument("--_vader", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._measure:
        print(json.dumps(measure(args._measure[0], int(args._measure[1]))))
        return
    if args._vader:
        print(json.dumps(measure_vader(args._vader)))
        return

    pool = body_paragraphs()
    print(f"paragraph pool: {len(pool)} body paragraphs; N = {args.workers} workers; cpu_count = {os.cpu_count()}")
    header = (f"{'articles':>9} {'workers':>7} {'art/s':>8} {'MB/s':>6} {'parent MB':>9} {'worker MB':>9} "
              f"{'vs VADER':>8} {'ms CPU/article: parent':>22} {'workers':>7}")
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"bench-{n}.jsonl"
            size = build_corpus(path, n, pool)
            vader = in_child("--_vader", str(path)) if n <= args.vader_up_to else None
            runs = [1, args.workers] if n <= args.single_up_to else [args.workers]
            results = {}
            for workers in runs:
                r = results[workers] = in_child("--_measure", str(path), str(workers))
                ratio = ""
                if vader:  # CPU time (main + workers): robust when other processes share the cores
                    ratio = f"{(r['parent_cpu'] + r.get('worker_cpu', 0)) / vader['cpu']:.1f}x"
                print(f"{n:>9} {workers:>7} {r['articles'] / r['seconds']:>8.1f} {size / r['seconds'] / 1e6:>6.2f} "
                      f"{r['parent_mb']:>9.0f} {r['worker_mb']:>9.0f} {ratio:>8} "
                      f"{1000 * r['parent_cpu'] / n:>22.1f} {1000 * r.get('worker_cpu', 0) / n:>7.1f}", flush=True)
            if 1 in results and args.workers in results and args.workers != 1:
                speedup = results[1]["seconds"] / results[args.workers]["seconds"]
                many = results[args.workers]
                # What N workers could reach on N idle cores: the parent's serial share bounds it.
                total = many["parent_cpu"] + many.get("worker_cpu", 0)
                cores = os.cpu_count() or 1
                slowest = max(many["parent_cpu"], many.get("worker_cpu", 0) / args.workers, total / cores)
                bound = results[1]["parent_cpu"] / slowest if slowest else 0
                print(f"{'':>9} speed-up {args.workers} workers / 1: {speedup:.2f}x measured "
                      f"(CPU accounting bound on idle cores: {bound:.2f}x; load average now "
                      f"{os.getloadavg()[0]:.1f})", flush=True)
            if vader:
                print(f"{'':>9} VADER alone: {vader['sentences']} sentences in {vader['seconds']:.1f} s "
                      f"({vader['cpu']:.1f} s CPU) "
                      f"({n / vader['seconds']:.0f} articles/s); corpus {size / 1e6:.1f} MB", flush=True)


if __name__ == "__main__":
    main()

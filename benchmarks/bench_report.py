"""Time and peak memory of `framing report` at scale (a script that prints figures, not a test).

    PYTHONPATH=. python benchmarks/bench_report.py                          # 4k and 40k articles, 400 outlets
    PYTHONPATH=. python benchmarks/bench_report.py --sizes 4000 40000 --outlets 400 --pool /tmp/pool.jsonl
    PYTHONPATH=. python benchmarks/bench_report.py --long-only              # one long article, 4 sizes

Records: the repository's corpus (the 5 seeds and the 938 articles of corpus/open) is scored
once with all analyzers (`framing score`, kept in ``--pool`` when given, so later runs reuse it).
A store of N articles is synthesised from these real records: each is a scored record drawn at
random (seeded) with a new id, title, date and outlet (outlets get uneven shares, the largest
about 4 times the smallest). The report then runs on the store in a fresh process
(`python -m framing report STORE -o DIR --quiet`); the figures are its wall time, its CPU time
(user + system: on a shared machine the wall time also counts other jobs' turns) and its peak
RSS (``ru_maxrss`` of that process from ``wait4``).

Long articles: one record of about 125 KB, 250 KB, 500 KB and 1 MB is built by repeating a
scored article with every span offset shifted (so the spans, sentences and attributions stay
where they were in each copy), and the report is timed on each (in a fresh process). Time
should grow linearly with size.

Targets (issue 16): a report from 40,000 articles and 400 outlets in <= 1.5 GB peak RSS and
<= 5 minutes on 2 cores; peak RSS at 40k <= 1.3x that at 4k; a 1 MB article reports in < 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def pool_records(path: Path | None, workers: int) -> list[dict[str, Any]]:
    """The scored corpus (943 articles), scored now unless ``path`` already holds it."""
    if path is None or not path.exists():
        target = path or Path(tempfile.mkdtemp(prefix="bench-report-")) / "pool.jsonl"
        inputs = [str(CORPUS)] + sorted(str(p) for p in (CORPUS / "open").glob("*.jsonl"))
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "framing", "score", *inputs, "-o", str(target), "--quiet",
                        "--workers", str(workers)], check=True, cwd=ROOT)
        print(f"scored the pool in {time.perf_counter() - started:.0f} s -> {target}", file=sys.stderr)
        path = target
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def build_store(path: Path, pool: list[dict[str, Any]], n: int, outlets: int, seed: int = 1) -> float:
    """A --store database of ``n`` articles over ``outlets`` outlets; returns its size in MB."""
    from framing.batch import Store

    rng = random.Random(seed)
    names = [f"Outlet {k:03d}" for k in range(outlets)]
    weights = [1 + 3 * (k % 7) / 6 for k in range(outlets)]  # uneven: 1 to 4
    with Store(path) as store:
        for i in range(n):
            source = pool[rng.randrange(len(pool))]
            metadata = dict(source.get("metadata") or {})
            metadata.update(outlet=rng.choices(names, weights)[0] if i >= outlets else names[i],
                            title=f"{metadata.get('title') or 'Untitled'} ({i})",
                            date=f"20{10 + i % 12:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                            url=f"https://example.org/article/{i}")
            record = {**source, "id": f"bench-{i:07d}", "metadata": metadata}
            store.put(record["id"], "input", "config", record, {"id": record["id"]})
    return path.stat().st_size / 1e6


def run_report(inputs: list[Path], out: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of `framing report` in a fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "framing", "report", *map(str, inputs), "-o", str(out),
                                "--quiet"], cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 3):
        raise SystemExit(f"framing report failed with exit code {process.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # ru_maxrss: kilobytes on Linux


def shifted(value: Any, offset: int) -> Any:
    """A copy of a record part with every character offset (``start``, ``end``, ``*_start``,
    ``*_end``) moved by ``offset``."""
    if isinstance(value, dict):
        return {k: (v + offset if isinstance(v, int) and not isinstance(v, bool)
                    and (k in ("start", "end") or k.endswith(("_start", "_end"))) else shifted(v, offset))
                for k, v in value.items()}
    if isinstance(value, list):
        return [shifted(v, offset) for v in value]
    return value


def repeated(record: dict[str, Any], copies: int) -> dict[str, Any]:
    """One article made of ``copies`` copies of ``record``'s text, every list of spans, sentences
    and attributions repeated with its offsets shifted; figures are the first copy's."""
    step = len(record["text"]) + 2

    def merge(parts: list[Any]) -> Any:
        first = parts[0]
        if isinstance(first, list):
            return [item for part in parts for item in part]
        if isinstance(first, dict):
            return {k: merge([p[k] for p in parts]) for k in first}
        return first

    parts = [shifted(record, k * step) for k in range(copies)]
    out = merge(parts)
    out["text"] = "\n\n".join(record["text"] for _ in range(copies))
    out["figures"] = record.get("figures")
    out["id"] = f"long-{copies}"
    out["text_length"] = len(out["text"])
    return out


def long_articles(pool: list[dict[str, Any]], work: Path) -> None:
    base = max((r for r in pool if r.get("text") and len(r["text"]) < 20_000), key=lambda r: len(r["text"]))
    print(f"\nOne long article (copies of {base['id']}, {len(base['text']):,} characters), report in a fresh process:")
    print("| characters | sentences | loaded spans | wall s | CPU s | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for target in (125_000, 250_000, 500_000, 1_000_000):
        copies = max(1, round(target / (len(base["text"]) + 2)))
        record = repeated(base, copies)
        path = work / f"long-{copies}.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        seconds, cpu, rss = run_report([path], work / f"long-{copies}")
        sentences = len((record.get("sentiment") or {}).get("sentences") or ())
        spans = len((record.get("loaded") or {}).get("spans") or ())
        print(f"| {len(record['text']):,} | {sentences:,} | {spans:,} | {seconds:.1f} | {cpu:.1f} | {rss:.0f} |",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 40000])
    parser.add_argument("--outlets", type=int, default=400)
    parser.add_argument("--pool", type=Path, help="scored corpus (JSONL): read if it exists, else written")
    parser.add_argument("--workers", type=int, default=2, help="workers for scoring the pool")
    parser.add_argument("--long-only", action="store_true", help="only the long-article timings")
    parser.add_argument("--no-long", action="store_true", help="skip the long-article timings")
    parser.add_argument("--store", type=Path, help="with one size: keep the synthesised store here (reused if present)")
    args = parser.parse_args()
    pool = pool_records(args.pool, args.workers)
    print(f"pool: {len(pool)} scored articles, mean record {sum(len(json.dumps(r)) for r in pool) / len(pool) / 1e3:.0f} KB")
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        work = Path(tmp)
        if not args.long_only:
            print("| articles | outlets | store MB | wall s | CPU s | peak RSS MB |")
            print("|---:|---:|---:|---:|---:|---:|")
            peaks = []
            for n in args.sizes:
                store = args.store if args.store and len(args.sizes) == 1 else work / f"store-{n}.db"
                megabytes = store.stat().st_size / 1e6 if store.exists() else build_store(store, pool, n, args.outlets)
                seconds, cpu, rss = run_report([store], work / f"report-{n}")
                peaks.append(rss)
                print(f"| {n:,} | {args.outlets} | {megabytes:.0f} | {seconds:.1f} | {cpu:.1f} | {rss:.0f} |", flush=True)
                if store.parent == work:
                    store.unlink()
            if len(peaks) > 1:
                print(f"peak RSS at {args.sizes[-1]:,} / at {args.sizes[0]:,}: {peaks[-1] / peaks[0]:.2f}x")
        if not args.no_long:
            long_articles(pool, work)


if __name__ == "__main__":
    main()

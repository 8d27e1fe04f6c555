"""``python -m framing.evaluation`` (what ``make eval`` runs): the quality table.

Every analyzer that has an independent human-annotated set is scored beside plain baselines on
the same data and folds; sets that are absent are skipped with one line each.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date

from framing.evaluation.harness import SECTIONS, EvalData, Figure, format_table, run


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m framing.evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("--eval-data", metavar="DIR", help="the eval-data folder (default: ../shared/eval-data)")
    parser.add_argument(
        "--only", metavar="SECTIONS", help=f"comma-separated subset of: {', '.join(SECTIONS)} (default: all)"
    )
    parser.add_argument("--markdown", metavar="FILE", help="also write the table (Markdown) to FILE")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else None
    for name in sections or ():
        if name not in SECTIONS:
            parser.error(f"unknown section {name!r}; available: {', '.join(SECTIONS)}")

    data = EvalData.locate(args.eval_data)
    started = time.perf_counter()

    def progress(figure: Figure) -> None:
        margin = "" if figure.margin is None else f"  (ours − best baseline {figure.margin:+.3f})"
        ours = "–" if figure.ours is None else f"{figure.ours:.3f}"
        print(f"  {figure.task} · {figure.dataset} · {figure.metric}: {ours}{margin}", file=sys.stderr, flush=True)

    def section_done(name: str, seconds: float, count: int) -> None:
        print(f"[{name}] {count} figure(s) in {seconds:.0f} s", file=sys.stderr, flush=True)

    figures = run(data, sections, on_figure=progress, on_section=section_done)
    for line in data.skipped:
        print(line)
    heading = f"framing quality table: commit {_commit()}, {date.today().isoformat()}, eval data {data.root}"
    print(f"\n{heading} ({time.perf_counter() - started:.0f} s)\n")
    print(format_table(figures) if figures else "(no figures: no evaluation data found)")
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as handle:
            handle.write(f"{heading}\n\n{format_table(figures)}\n")
    if args.json:
        import json

        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump([f.to_dict() for f in figures], handle, indent=1, ensure_ascii=False)
            handle.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

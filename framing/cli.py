"""The ``framing`` command: parses arguments, calls the library, prints. No logic of its own.

Exit status: 0 success; 1 a fatal error (bad arguments to a file, unreadable model...); 2 usage
error; 3 the run finished but some records were rejected (listed on stderr and in --rejects).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from framing import __version__
from framing import analyzers as registry
from framing.batch import ENGINES, BatchCounts, export_store, score_batch
from framing.output import OUTPUT_FORMATS, open_writer, output_format_for
from framing.scoring import ScoreOptions

EXIT_OK, EXIT_FATAL, EXIT_USAGE, EXIT_REJECTED = 0, 1, 2, 3


def _analyzer_list(value: str) -> list[str]:
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    for name in chosen:
        try:
            registry.get(name)
        except ValueError as error:  # argparse shows ArgumentTypeError messages verbatim
            raise argparse.ArgumentTypeError(str(error)) from None
    return chosen


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="framing",
        description="Media-bias and framing analysis: loaded language, attribution, sources.",
    )
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    score = commands.add_parser("score", help="score articles and write one result per article")
    score.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories, or - for stdin")
    score.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    score.add_argument("--format", choices=OUTPUT_FORMATS, help="default: from the output suffix, else jsonl")
    score.add_argument("--rejects", metavar="PATH", help="write rejected records (id, origin, reason) as JSONL")
    score.add_argument(
        "--analyzers",
        type=_analyzer_list,
        metavar="NAMES",
        help=f"comma-separated subset of: {', '.join(registry.names())} (default: all)",
    )
    score.add_argument("--lexicon", action="append", default=[], metavar="FILE", help="extra lexicon file (repeatable)")
    score.add_argument(
        "--replace-categories",
        action="store_true",
        help="user lexicon categories replace the shipped ones instead of adding to them",
    )
    score.add_argument("--model", metavar="MODEL", help="a sentence classifier trained with 'framing train'")
    score.add_argument("--no-text", action="store_true", help="leave the article text out of JSONL output")
    score.add_argument("--quiet", action="store_true", help="no progress or summary on stderr")
    score.add_argument("--workers", type=_positive_int, metavar="N", help="worker processes (default: CPU count)")
    score.add_argument("--unordered", action="store_true", help="write results as they finish, not in input order")
    score.add_argument(
        "--store", metavar="PATH", help="SQLite store of results: unchanged articles are not analysed again"
    )
    score.add_argument(
        "--only-new", action="store_true", help="with --store: write only articles analysed in this run"
    )
    score.add_argument("--engine", choices=ENGINES, default="local", help="local processes or a Dask cluster")
    score.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster)")
    score.set_defaults(run=_run_score)

    export = commands.add_parser("export", help="write the results held in a store")
    export.add_argument("--store", required=True, metavar="PATH", help="a store written by 'framing score --store'")
    export.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    export.add_argument("--format", choices=OUTPUT_FORMATS, help="default: from the output suffix, else jsonl")
    export.add_argument("--no-text", action="store_true", help="leave the article text out of JSONL output")
    export.set_defaults(run=_run_export)
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return number


def _progress_bar(stderr: TextIO, quiet: bool) -> Any:
    """A tqdm bar on stderr when it is a terminal, else None."""
    if quiet or not getattr(stderr, "isatty", lambda: False)():
        return None
    from tqdm import tqdm

    return tqdm(file=stderr, unit=" articles", dynamic_ncols=True)


def _run_score(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    options = ScoreOptions(
        analyzers=args.analyzers,
        lexicon_files=tuple(args.lexicon),
        replace_categories=args.replace_categories,
        model=args.model,
    )
    if args.only_new and not args.store:
        stderr.write("framing: error: --only-new needs --store\n")
        return EXIT_USAGE
    output_format = output_format_for(args.output, args.format)
    rejects_file = open(args.rejects, "w", encoding="utf-8") if args.rejects else None
    counts = BatchCounts()
    bar = _progress_bar(stderr, args.quiet)
    items = score_batch(
        args.inputs, options, workers=args.workers, ordered=not args.unordered, store=args.store,
        engine=args.engine, scheduler=args.scheduler, stdin=stdin,
    )
    try:
        with open_writer(args.output, output_format, include_text=not args.no_text) as writer:
            for item in items:
                counts.add(item)
                if bar is not None:
                    bar.update()
                    bar.set_postfix(rejects=counts.rejected, refresh=False)
                if item.reject is None:
                    if not (args.only_new and item.from_store):
                        writer.write_record(item.record, item.row)
                else:
                    reject = item.reject
                    stderr.write(f"framing: rejected {reject.origin} (id {reject.id!r}): {reject.reason}\n")
                    if rejects_file:
                        rejects_file.write(
                            json.dumps({"id": reject.id, "origin": reject.origin, "reason": reject.reason}, ensure_ascii=False)
                            + "\n"
                        )
    finally:
        if bar is not None:
            bar.close()
        if rejects_file:
            rejects_file.close()
    if not args.quiet:
        stderr.write(f"framing: {counts.line()}\n")
    return EXIT_REJECTED if counts.rejected else EXIT_OK


def _run_export(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    written = export_store(args.store, args.output, output_format_for(args.output, args.format),
                           include_text=not args.no_text)
    stderr.write(f"framing: exported {written} article(s)\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, *, stdin: Any = None, stderr: TextIO | None = None) -> int:
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit.code or 0)
    try:
        return args.run(args, stdin if stdin is not None else sys.stdin.buffer, stderr)
    except (OSError, ValueError, ImportError, sqlite3.Error) as error:
        stderr.write(f"framing: error: {error}\n")
        return EXIT_FATAL


def entry_point() -> None:
    raise SystemExit(main())


if __name__ == "__main__":
    entry_point()


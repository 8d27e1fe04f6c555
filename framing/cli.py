"""The ``framing`` command: parses arguments, calls the library, prints. No logic of its own.

Exit status: 0 success; 1 a fatal error (bad arguments to a file, unreadable model...); 2 usage
error; 3 the run finished but some records were rejected (listed on stderr and in --rejects).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from framing import __version__
from framing import analyzers as registry
from framing.output import open_writer

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
    score.add_argument("--format", choices=("jsonl", "csv"), help="default: from the output suffix, else jsonl")
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
    score.set_defaults(run=_run_score)

    report = commands.add_parser("report", help="compare outlets: HTML/Markdown report, CSV tables, charts")
    report.add_argument(
        "inputs", nargs="+", metavar="INPUT",
        help="scores .jsonl files (used as they are) or a corpus as for 'score' (scored first)",
    )
    report.add_argument("-o", "--output", required=True, metavar="DIR", help="directory for the report files")
    report.add_argument("--title", help="report title (default: 'Outlet comparison')")
    report.add_argument("--max-appendix", type=int, default=50, metavar="N", help="articles shown in full (default 50)")
    report.add_argument("--quiet", action="store_true", help="no summary on stderr")
    report.set_defaults(run=_run_report)

    evaluate = commands.add_parser("evaluate-attribution", help="score the attribution extractor against gold")
    evaluate.add_argument("--gold", required=True, metavar="FILE", help="gold attributions (JSONL)")
    evaluate.add_argument("--corpus", metavar="DIR", help="texts: <id>.txt files or a manifest.csv (default: corpus/seeds)")
    evaluate.add_argument("--errors", action="store_true", help="also list missed, spurious and mismatched items")
    evaluate.set_defaults(run=_run_evaluate_attribution)

    train = commands.add_parser("train", help="train the loaded-sentence classifier on a labelled CSV")
    _labelled_data_arguments(train)
    train.add_argument("-o", "--output", required=True, metavar="MODEL", help="model file to write")
    train.set_defaults(run=_run_train)

    evaluate = commands.add_parser("evaluate", help="precision, recall and F1 of a sentence classifier")
    _labelled_data_arguments(evaluate)
    how = evaluate.add_mutually_exclusive_group(required=True)
    how.add_argument("--model", metavar="MODEL", help="evaluate this trained model on --data")
    how.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation of a fresh model on --data")
    evaluate.set_defaults(run=_run_evaluate)
    return parser


def _labelled_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, metavar="FILE.csv", help="CSV with a header row")
    parser.add_argument("--text-column", default="text", help="default: text")
    parser.add_argument("--label-column", default="label", help="default: label")
    parser.add_argument(
        "--positive",
        metavar="LABEL",
        help="the label meaning 'loaded' (default: a label named loaded/1/true/yes/positive/biased, else the last alphabetically)",
    )


def _run_score(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    from framing.scoring import ScoreOptions, score_inputs  # imported here: needs framing.corpus

    options = ScoreOptions(
        analyzers=args.analyzers,
        lexicon_files=tuple(args.lexicon),
        replace_categories=args.replace_categories,
        model=args.model,
    )
    output_format = args.format or ("csv" if str(args.output).endswith(".csv") else "jsonl")
    rejects_file = open(args.rejects, "w", encoding="utf-8") if args.rejects else None
    scored = rejected = 0
    try:
        with open_writer(args.output, output_format, include_text=not args.no_text) as writer:
            for item in score_inputs(args.inputs, options, stdin=stdin):
                if item.result is not None:
                    writer.write(item.result)
                    scored += 1
                else:
                    rejected += 1
                    reject = item.reject
                    stderr.write(f"framing: rejected {reject.origin} (id {reject.id!r}): {reject.reason}\n")
                    if rejects_file:
                        rejects_file.write(
                            json.dumps({"id": reject.id, "origin": reject.origin, "reason": reject.reason}, ensure_ascii=False)
                            + "\n"
                        )
    finally:
        if rejects_file:
            rejects_file.close()
    if not args.quiet:
        stderr.write(f"framing: scored {scored} article(s), rejected {rejected}\n")
    return EXIT_REJECTED if rejected else EXIT_OK


def _run_report(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    from pathlib import Path

    from framing.report import build_report, load_or_score

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)

    def on_reject(reject: Any) -> None:
        stderr.write(f"framing: rejected {reject.origin} (id {reject.id!r}): {reject.reason}\n")

    loaded = load_or_score(args.inputs, scores_out=out / "scores.jsonl", on_reject=on_reject)
    if loaded.scored or loaded.rejects:
        with open(out / "rejects.jsonl", "w", encoding="utf-8") as handle:
            for reject in loaded.rejects:
                handle.write(json.dumps({"id": reject.id, "origin": reject.origin, "reason": reject.reason},
                                        ensure_ascii=False) + "\n")
    paths = build_report(loaded.records, out, title=args.title, max_appendix=args.max_appendix)
    if not args.quiet:
        stderr.write(f"framing: report on {len(loaded.records)} article(s) written to {paths.html}\n")
    return EXIT_REJECTED if loaded.rejects else EXIT_OK


def _run_evaluate_attribution(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    from framing.evaluation.attribution import evaluate_files

    result = evaluate_files(args.gold, args.corpus)
    out = sys.stdout
    out.write(result.summary() + "\n")
    if args.errors:
        for error in result.errors:
            out.write(json.dumps(error, ensure_ascii=False) + "\n")


def _read_labelled(args: argparse.Namespace) -> Any:
    from framing.models.classifier import read_labelled

    data = read_labelled(args.data, args.text_column, args.label_column, args.positive)
    counts = ", ".join(f"{n} {label}" for label, n in data.counts().items())
    print(f"{args.data}: {len(data)} sentences ({counts}); positive label {data.positive_label!r}: {data.positive_rule}")
    return data


def _run_train(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    from framing.models.classifier import save_model, train

    model = train(_read_labelled(args))
    save_model(model, args.output)
    print(f"wrote {args.output}")
    return EXIT_OK


def _run_evaluate(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    from framing.models.classifier import cross_validate, evaluate, load_model

    if args.model:
        model = load_model(args.model)  # before reading the data: a bad model fails fast
        data = _read_labelled(args)
        report = evaluate(model, data)
    else:
        report = cross_validate(_read_labelled(args), args.cv)
    print(report.format())
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
    except (OSError, ValueError) as error:
        stderr.write(f"framing: error: {error}\n")
        return EXIT_FATAL


def entry_point() -> None:
    raise SystemExit(main())


if __name__ == "__main__":
    entry_point()


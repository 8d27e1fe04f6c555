"""The ``framing`` command: parses arguments, calls the library, prints. No logic of its own.

Exit status: 0 success; 1 a fatal error (bad arguments to a file, unreadable model...); 2 usage
error; 3 the run finished but some records were rejected (listed on stderr and in --rejects);
130 stopped by SIGINT (Ctrl-C), 143 stopped by SIGTERM (128 + the signal number, as shells do).
"""

from __future__ import annotations

import argparse
import json
import signal
import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from typing import Any, TextIO

from framing import __version__
from framing import analyzers as registry
from framing.batch import ENGINES, BatchCounts, export_store, score_batch, warned_note
from framing.corpus import DEFAULT_MAX_BYTES
from framing.output import OUTPUT_FORMATS, open_writer, output_format_for, staged_directory
from framing.scoring import ScoreOptions
from framing.webpage import DEFAULT_HTML_MODE, HTML_MODES

EXIT_OK, EXIT_FATAL, EXIT_USAGE, EXIT_REJECTED = 0, 1, 2, 3


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM, raised where the main thread is, so that every ``finally`` runs: the
    workers are ended, the store committed, the ``.partial`` output removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` (once: a second signal during the clean-up
    is ignored, so the clean-up is not itself interrupted). Handlers are restored afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        for other in (signal.SIGINT, signal.SIGTERM):
            signal.signal(other, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


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
    score.add_argument(
        "--frames-model",
        action="append",
        metavar="MODEL",
        help="a frames classifier trained with 'framing train --task frames'; repeat to give a sentence-level and "
        "an article-level model (each file says its level)",
    )
    _max_chars_argument(score)
    _html_mode_argument(score)
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

    report = commands.add_parser("report", help="compare outlets: HTML/Markdown report, CSV tables, charts")
    report.add_argument(
        "inputs", nargs="+", metavar="INPUT",
        help="scores .jsonl files or 'score --store' databases (used as they are), or a corpus as for 'score' "
        "(scored first)",
    )
    report.add_argument("-o", "--output", required=True, metavar="DIR", help="directory for the report files")
    report.add_argument("--title", help="report title (default: 'Outlet comparison')")
    report.add_argument("--max-appendix", type=int, default=50, metavar="N", help="articles shown in full (default 50)")
    _max_chars_argument(report)
    report.add_argument("--quiet", action="store_true", help="no summary on stderr")
    _html_mode_argument(report)
    report.set_defaults(run=_run_report)

    stories = commands.add_parser("stories", help="group articles into stories: the same event in different outlets")
    stories.add_argument(
        "inputs", nargs="+", metavar="INPUT",
        help="scores .jsonl files, 'score --store' databases, or a corpus as for 'score' (read, not scored)",
    )
    stories.add_argument("-o", "--output", default="-", help="stories CSV, one row per story (default: stdout)")
    stories.add_argument("--articles", metavar="CSV", help="also write one row per article with its story")
    stories.add_argument("--threshold", type=float, default=None, metavar="COSINE",
                         help="least cosine similarity of two neighbours (default: the evaluated setting)")
    stories.add_argument("--window-days", type=int, default=None, metavar="DAYS",
                         help="articles dated further apart are never neighbours (default: the evaluated setting)")
    stories.add_argument("--no-dates", action="store_true", help="ignore dates (compare every article with every other)")
    stories.add_argument("--neighbours", type=_positive_int, default=None, metavar="K",
                         help="neighbours kept per article (default: the evaluated setting)")
    stories.add_argument("--min-outlets", type=_positive_int, default=1, metavar="N",
                         help="write only stories covered by at least N outlets (default 1: every story)")
    stories.add_argument("--quiet", action="store_true", help="no summary on stderr")
    stories.set_defaults(run=_run_stories)

    evaluate_attribution = commands.add_parser("evaluate-attribution", help="score the attribution extractor against gold")
    evaluate_attribution.add_argument("--gold", required=True, metavar="FILE", help="gold attributions (JSONL)")
    evaluate_attribution.add_argument(
        "--corpus", metavar="DIR",
        help="texts: <id>.txt files or a manifest.csv (default: found from the gold file: its directory or the nearest "
             "one above it that holds every text, e.g. corpus/ for corpus/annotations/attributions.jsonl)")
    evaluate_attribution.add_argument("--errors", action="store_true", help="also list missed, spurious and mismatched items")
    evaluate_attribution.set_defaults(run=_run_evaluate_attribution)

    train = commands.add_parser("train", help="train the loaded-sentence or the frames classifier on a labelled CSV")
    _labelled_data_arguments(train)
    train.add_argument("-o", "--output", required=True, metavar="MODEL", help="model file to write")
    train.set_defaults(run=_run_train)

    evaluate = commands.add_parser("evaluate", help="precision, recall and F1 of a sentence classifier")
    _labelled_data_arguments(evaluate)
    how = evaluate.add_mutually_exclusive_group(required=True)
    how.add_argument("--model", metavar="MODEL", help="evaluate this trained model on --data")
    how.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation of a fresh model on --data")
    how.add_argument(
        "--lexicon-only",
        action="store_true",
        help="--task frames: score the lexicon cue detector (cue mass >= 0.5 evokes a frame) instead of a model",
    )
    evaluate.add_argument(
        "--baseline",
        action="store_true",
        help="also score a plain TF-IDF word+char logistic regression on the same folds (with --model: trained "
        "on the model's own training file) and print the model's margin over it",
    )
    evaluate.add_argument(
        "--group-column",
        metavar="COLUMN",
        help="--cv, two labels: keep the sentences sharing this column's value (e.g. an article id) in one fold",
    )
    evaluate.set_defaults(run=_run_evaluate)

    export = commands.add_parser("export", help="write the results held in a store")
    export.add_argument("--store", required=True, metavar="PATH", help="a store written by 'framing score --store'")
    export.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    export.add_argument("--format", choices=OUTPUT_FORMATS, help="default: from the output suffix, else jsonl")
    export.add_argument("--no-text", action="store_true", help="leave the article text out of JSONL output")
    export.set_defaults(run=_run_export)
    return parser


def _max_chars_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-chars", type=_positive_int, metavar="N",
        help=f"reject articles whose text has more than N characters (default: only texts over "
             f"{DEFAULT_MAX_BYTES // 2**20} MiB of UTF-8 are rejected; see docs/batch.md for memory per article)",
    )


def _html_mode_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--html-mode",
        choices=HTML_MODES,
        default=DEFAULT_HTML_MODE,
        help="web pages (.html): precision drops doubtful blocks (default), recall keeps more of the page",
    )


def _labelled_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--task",
        choices=("loaded", "frames"),
        default="loaded",
        help="loaded: two labels per sentence (default); frames: any number of frames per sentence",
    )
    parser.add_argument("--data", required=True, metavar="FILE.csv", help="CSV with a header row")
    parser.add_argument("--text-column", default="text", help="default: text")
    parser.add_argument(
        "--label-column",
        default="label",
        help="default: label. With --task frames: one column of frame names separated by --delimiter, "
        "or a comma-separated list of 0/1 columns, one per frame",
    )
    parser.add_argument("--delimiter", default=";", help="--task frames: separator in a frame-names column (default: ;)")
    parser.add_argument(
        "--level",
        choices=("auto", "sentence", "article"),
        default="auto",
        help="--task frames: whether each row is a sentence or a whole article (article labels are learned from "
        "whole-article features); auto (default): article when the median text has 60+ words or most texts "
        "have a line break",
    )
    parser.add_argument(
        "--title-column",
        metavar="COLUMN",
        help="--task frames: a column of article titles, read as each text's first line (the headline)",
    )
    parser.add_argument(
        "--min-positives",
        type=int,
        default=None,
        metavar="N",
        help="--task frames: drop frames with fewer than N positive sentences (default: 10; not applied with --model)",
    )
    parser.add_argument(
        "--positive",
        metavar="LABEL",
        help="the label meaning 'loaded' (default: a label named loaded/1/true/yes/positive/biased, else the last alphabetically)",
    )


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return number


class UsageError(Exception):
    """A command line that cannot be run as given (exit status 2), found before anything is written."""


def _check_inputs_exist(inputs: Sequence[str]) -> None:
    """Refuse a missing input before anything is written (a typo must not cost an output)."""
    from pathlib import Path

    missing = [p for p in inputs if p != "-" and not Path(p).exists()]
    if missing:
        raise UsageError(f"input not found: {', '.join(missing)}")


def _check_not_overwriting(inputs: Sequence[str], writes: Sequence[tuple[str, str | None]]) -> None:
    """Refuse an output that is one of the inputs after resolving paths (it would be replaced by
    the results): ``writes`` are (option, path) pairs, ``None`` or ``-`` meaning not given."""
    from pathlib import Path

    files = [Path(p).resolve() for p in inputs if p != "-"]
    for option, path in writes:
        if path in (None, "-"):
            continue
        target = Path(path).resolve()
        if any(target == f or (target.exists() and f.exists() and target.samefile(f)) for f in files):
            raise UsageError(f"{option} {path} is one of the inputs; it would be overwritten: choose another path")


def _warn(stderr: TextIO, origin: str | None, doc_id: str, warnings: Sequence[str]) -> None:
    """One line for an article scored with warnings from reading (invalid UTF-8 bytes replaced)."""
    stderr.write(f"framing: warning: {origin} (id {doc_id!r}): {'; '.join(warnings)}\n")


def _progress_bar(stderr: TextIO, quiet: bool) -> Any:
    """A tqdm bar on stderr when it is a terminal, else None."""
    if quiet or not getattr(stderr, "isatty", lambda: False)():
        return None
    from tqdm import tqdm

    return tqdm(file=stderr, unit=" articles", dynamic_ncols=True)


def _run_score(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    _check_inputs_exist(args.inputs)
    _check_not_overwriting(args.inputs, [("-o", args.output), ("--rejects", args.rejects), ("--store", args.store)])
    options = ScoreOptions(
        analyzers=args.analyzers,
        lexicon_files=tuple(args.lexicon),
        replace_categories=args.replace_categories,
        model=args.model,
        frames_model=tuple(args.frames_model or ()),
        max_chars=args.max_chars,
        html_mode=args.html_mode,
    )
    options.check_models()
    if args.only_new and not args.store:
        stderr.write("framing: error: --only-new needs --store\n")
        return EXIT_USAGE
    output_format = output_format_for(args.output, args.format)
    rejects_file = open(args.rejects, "w", encoding="utf-8") if args.rejects else None
    counts = BatchCounts()
    bar = _progress_bar(stderr, args.quiet)
    items = score_batch(
        args.inputs, options, workers=args.workers, ordered=not args.unordered, store=args.store,
        counts=counts, engine=args.engine, scheduler=args.scheduler, stdin=stdin,
    )
    try:
        # closing(items): on an interruption the batch ends its workers and commits its store
        # now, before the writer removes the partial output.
        with open_writer(args.output, output_format, include_text=not args.no_text) as writer, closing(items):
            for item in items:
                if bar is not None:
                    bar.update()
                    bar.set_postfix(rejects=counts.rejected, refresh=False)
                if item.reject is None:
                    if item.warnings:
                        _warn(stderr, item.origin, item.record["id"], item.warnings)
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
    except Interrupted as stop:
        if bar is not None:
            bar.close()
            bar = None
        unwritten = f"; {args.output} not written" if args.output != "-" else ""
        resume = "; the store keeps every article scored (run again to resume)" if args.store else ""
        stderr.write(f"framing: stopped by {stop.name}: {counts.stopped_line()}{unwritten}{resume}\n")
        return stop.exit_status
    finally:
        if bar is not None:
            bar.close()
        if rejects_file:
            rejects_file.close()
    if not args.quiet:
        stderr.write(f"framing: {counts.line()}\n")
    return EXIT_REJECTED if counts.rejected else EXIT_OK


def _run_export(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    _check_not_overwriting([args.store], [("-o", args.output)])
    written = export_store(args.store, args.output, output_format_for(args.output, args.format),
                           include_text=not args.no_text)
    stderr.write(f"framing: exported {written} article(s)\n")
    return EXIT_OK


def _run_report(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    from framing.report import build_report, load_or_score
    from framing.report.render import Rejects

    _check_inputs_exist(args.inputs)   # before anything is written: no empty report for a mistyped path

    def on_reject(reject: Any) -> None:
        stderr.write(f"framing: rejected {reject.origin} (id {reject.id!r}): {reject.reason}\n")

    def on_warning(item: Any) -> None:
        _warn(stderr, item.origin, item.result.id, item.warnings)

    # Written beside the output directory and moved into it when complete: an interrupted run
    # leaves the directory as it was (an earlier report in it stays whole).
    staged = None
    try:
        with staged_directory(args.output) as staged:
            out = staged.path
            loaded = load_or_score(args.inputs, options=ScoreOptions(max_chars=args.max_chars, html_mode=args.html_mode),
                                   scores_out=out / "scores.jsonl", on_reject=on_reject, on_warning=on_warning)
            rejects = None  # not known when the report reads existing scores
            if loaded.scored or loaded.rejects:
                with open(out / "rejects.jsonl", "w", encoding="utf-8") as handle:
                    for reject in loaded.rejects:
                        handle.write(json.dumps({"id": reject.id, "origin": reject.origin, "reason": reject.reason},
                                                ensure_ascii=False) + "\n")
                rejects = Rejects(len(loaded.rejects), "rejects.jsonl")  # beside the report
            paths = build_report(loaded.records, out, title=args.title, max_appendix=args.max_appendix,
                                 rejects=rejects)
    except Interrupted as stop:
        done = (f"after the report was written to {args.output}" if staged is not None and staged.committed
                else f"no report written; {args.output} left as it was")
        stderr.write(f"framing: stopped by {stop.name}: {done}\n")
        return stop.exit_status
    if not args.quiet:
        stderr.write(f"framing: report on {paths.articles} article(s) written to "
                     f"{staged.final / paths.html.name}{warned_note(loaded.warned)}\n")
    return EXIT_REJECTED if loaded.rejects else EXIT_OK


def _run_stories(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    from framing import stories as st

    rejected = []

    def on_reject(reject: Any) -> None:
        rejected.append(reject)
        stderr.write(f"framing: rejected {reject.origin} (id {reject.id!r}): {reject.reason}\n")

    if args.no_dates and args.window_days is not None:
        raise ValueError("--no-dates and --window-days contradict each other; give one")
    options: dict[str, Any] = {"window_days": None} if args.no_dates else {}
    for name in ("threshold", "window_days", "neighbours"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    found = st.read_stories(args.inputs, on_reject=on_reject, **options)
    table = found.shared(args.min_outlets)
    table.to_csv(sys.stdout if args.output == "-" else args.output, index=False)
    if args.articles:
        found.articles.to_csv(args.articles, index=False)
    if not args.quiet:
        settings = found.settings
        window = "dates ignored" if settings.window_days is None else f"window {settings.window_days} days"
        stderr.write(f"framing: {len(found.articles)} article(s) in {len(found.stories)} stories, "
                     f"{len(found.shared(2))} covered by two outlets or more (threshold {settings.threshold:.2f}, "
                     f"{window}, {settings.neighbours} neighbours)\n")
    return EXIT_REJECTED if rejected else EXIT_OK


def _run_evaluate_attribution(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    from framing.evaluation.attribution import evaluate_files

    result = evaluate_files(args.gold, args.corpus)
    out = sys.stdout
    out.write(result.summary() + "\n")
    if args.errors:
        for error in result.errors:
            out.write(json.dumps(error, ensure_ascii=False) + "\n")
    return EXIT_OK


def _read_labelled(args: argparse.Namespace, path: str | None = None, positive: str | None = None) -> Any:
    from framing.models.classifier import read_labelled

    path = path or args.data
    group_column = getattr(args, "group_column", None)
    data = read_labelled(path, args.text_column, args.label_column, positive or args.positive, group_column)
    counts = ", ".join(f"{n} {label}" for label, n in data.counts().items())
    print(f"{path}: {len(data)} sentences ({counts}); positive label {data.positive_label!r}: {data.positive_rule}")
    return data


def _training_file(model: Any) -> str:
    """The file a model was trained on, for --baseline with --model: it must still be there, unchanged."""
    import hashlib
    from pathlib import Path

    recorded = str(model.trained_on.get("file") or "")
    if not recorded or not Path(recorded).is_file():
        raise ValueError(
            f"--baseline with --model trains the baseline on the model's training file, {recorded or '(not recorded)'!r}, "
            "which is not found; use --cv K to compare both on the same folds of your data"
        )
    expected = model.trained_on.get("sha256")
    if expected and hashlib.sha256(Path(recorded).read_bytes()).hexdigest() != expected:
        raise ValueError(f"--baseline with --model: {recorded} has changed since the model was trained on it")
    return recorded


def _read_frames(args: argparse.Namespace, frames: Sequence[str] | None = None, level: str | None = None) -> Any:
    from framing.frames.data import MIN_POSITIVES, read_multilabel

    if args.positive is not None:
        raise ValueError("--positive applies to --task loaded only")
    columns = [c.strip() for c in args.label_column.split(",") if c.strip()]
    delimited = {"label_column": columns[0]} if len(columns) == 1 else {"label_columns": columns}
    minimum = 0 if frames is not None else (MIN_POSITIVES if args.min_positives is None else args.min_positives)
    if level is None and args.level != "auto":
        level = args.level
    data = read_multilabel(
        args.data, args.text_column, delimiter=args.delimiter, min_positives=minimum, frames=frames,
        level=level, title_column=args.title_column, **delimited,
    )
    detected = " (detected; --level to choose)" if args.level == "auto" and level is None else ""
    print(f"{args.data}: {data.describe()}{detected}")
    return data


def _frames_only(args: argparse.Namespace) -> None:
    if args.task != "frames" and (args.level != "auto" or args.title_column):
        raise ValueError("--level and --title-column apply to --task frames only")


def _run_train(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    _frames_only(args)
    if args.task == "frames":
        from framing.frames import model as frames
        from framing.frames.thresholds import INNER_FOLDS

        model = frames.train(_read_frames(args))
        frames.save_model(model, args.output)
        chosen = ", ".join(f"{f} {t:.2f}" for f, t in zip(model.frames, model.thresholds, strict=True))
        print(f"{model.level}-level model; thresholds (inner {INNER_FOLDS}-fold cross-validation): {chosen}")
        print(f"wrote {args.output}")
        return EXIT_OK
    from framing.models.classifier import save_model, train

    model = train(_read_labelled(args))
    save_model(model, args.output)
    print(f"wrote {args.output}")
    return EXIT_OK


def _run_evaluate(args: argparse.Namespace, stdin: Any, stderr: TextIO) -> int:
    from framing.models.baseline import baseline_pipeline

    _frames_only(args)
    if args.lexicon_only and args.task != "frames":
        raise ValueError("--lexicon-only applies to --task frames only")
    if args.group_column and (args.task != "loaded" or not args.cv):
        raise ValueError("--group-column applies to --cv with two labels (--task loaded) only")
    if args.task == "frames":
        from framing.frames import evaluation as frames
        from framing.frames.data import read_multilabel
        from framing.frames.model import load_model

        baseline = None
        if args.model:
            model = load_model(args.model)  # before reading the data: a bad model fails fast
            data = _read_frames(args, model.frames, model.level if args.level == "auto" else None)
            report = frames.evaluate(model, data)
            if args.baseline:
                columns = list(model.trained_on.get("label_columns") or [])
                trained = _training_file(model)
                delimited = {"label_column": columns[0]} if len(columns) == 1 else {"label_columns": columns}
                train_data = read_multilabel(trained, args.text_column, delimiter=args.delimiter, min_positives=0,
                                             frames=model.frames, level=model.level,
                                             title_column=model.trained_on.get("title_column"), **delimited)
                baseline = frames.baseline_beside(
                    report, frames.evaluate_template(baseline_pipeline(multilabel=True), train_data, data),
                    f"trained on {trained}, scored on the same data",
                )
        elif args.lexicon_only:
            data = _read_frames(args)
            report = frames.evaluate_lexicon(data)
            if args.baseline:
                k = min(5, *data.counts().values())  # fewer folds when a frame has fewer than 5 positives
                baseline = frames.baseline_beside(
                    report, frames.cross_validate(data, k, template=baseline_pipeline(multilabel=True)),
                    f"{k}-fold cross-validation on the same data (the lexicon is not trained on it)",
                )
        else:
            data = _read_frames(args)
            report = frames.cross_validate(data, args.cv)
            if args.baseline:
                baseline = frames.baseline_beside(
                    report, frames.cross_validate(data, args.cv, template=baseline_pipeline(multilabel=True))
                )
        print(report.format())
        if baseline:
            print("\n" + baseline)
        return EXIT_OK
    from framing.models.classifier import baseline_beside, cross_validate, evaluate, evaluate_template, load_model

    if args.model:
        model = load_model(args.model)  # before reading the data: a bad model fails fast
        data = _read_labelled(args)
        report = evaluate(model, data)
        print(report.format())
        if args.baseline:
            train_data = _read_labelled(args, _training_file(model), positive=model.positive_label)
            print("\n" + baseline_beside(report, evaluate_template(baseline_pipeline(), train_data, data)))
        return EXIT_OK
    data = _read_labelled(args)
    grouped = bool(args.group_column)
    report = cross_validate(data, args.cv, grouped=grouped)
    print(report.format())
    if args.baseline:
        print("\n" + baseline_beside(report, cross_validate(data, args.cv, grouped=grouped, template=baseline_pipeline())))
    return EXIT_OK


def main(argv: Sequence[str] | None = None, *, stdin: Any = None, stderr: TextIO | None = None) -> int:
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit.code or 0)
    try:
        with _stop_on_signals():
            return args.run(args, stdin if stdin is not None else sys.stdin.buffer, stderr)
    except Interrupted as stop:
        stderr.write(f"framing: stopped by {stop.name}\n")
        return stop.exit_status
    except UsageError as error:
        stderr.write(f"framing {args.command}: error: {error}\n")
        return EXIT_USAGE
    except (OSError, ValueError, ImportError, sqlite3.Error) as error:
        stderr.write(f"framing: error: {error}\n")
        return EXIT_FATAL


def entry_point() -> None:
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:  # Ctrl-C before the handlers were installed (while importing)
        raise SystemExit(128 + signal.SIGINT) from None


if __name__ == "__main__":
    entry_point()


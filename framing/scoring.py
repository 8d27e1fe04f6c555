"""Score a stream of input records: read -> Document -> analyze, one record at a time.

A problem with one record never stops the run: unreadable or invalid records arrive from
``framing.corpus`` as ``Reject``; an analyzer that fails on one article turns into a reject for
that article (with the error), and the rest are scored.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from framing.corpus import Record, Reject, read_inputs
from framing.document import Document
from framing.pipeline import ArticleResult, Resources, analyze
from framing.spans import Diagnostic
from framing.webpage import DEFAULT_HTML_MODE, HTML_MODES


@dataclass(frozen=True)
class ScoreOptions:
    analyzers: Sequence[str] | None = None
    lexicon_files: tuple[str | os.PathLike, ...] = ()
    replace_categories: bool = False
    model: str | os.PathLike | None = None
    frames_model: str | os.PathLike | tuple[str | os.PathLike, ...] | None = None  # one file per level at most
    max_chars: int | None = None  # records with longer texts are rejected (read_inputs(max_chars=...))
    # How web pages are read (framing.webpage.HTML_MODES): it changes the text, not the analysis.
    html_mode: str = DEFAULT_HTML_MODE

    def __post_init__(self) -> None:
        # One file or several (one per level): always kept as a tuple, so options hash and compare.
        frames = self.frames_model
        paths = () if frames is None else (frames,) if isinstance(frames, (str, os.PathLike)) else tuple(frames)
        object.__setattr__(self, "frames_model", paths)
        if self.html_mode not in HTML_MODES:
            raise ValueError(f"unknown html_mode {self.html_mode!r}; available: {', '.join(HTML_MODES)}")

    def resources(self) -> Resources:
        return Resources(
            lexicon_files=self.lexicon_files,
            replace_categories=self.replace_categories,
            model=self.model,
            frames_model=self.frames_model,
        )

    def check_models(self) -> None:
        """Load the user's model files now, so a bad file is one clear error, not a reject per article."""
        resources = self.resources()
        if self.model is not None:
            resources.sentence_model()
        if self.frames_model:
            resources.frames_model()


@dataclass(frozen=True)
class Scored:
    """One outcome of a run: a result, or a reject saying why there is none.

    Batch runs (``framing.batch``) give the JSON-ready ``record`` (``ArticleResult.to_dict()``)
    and flat figures ``row`` instead of ``result``; ``from_store`` says the record was read
    from a store rather than analysed in this run. ``origin`` (file and line) and ``warnings``
    (what reading the input said, e.g. invalid UTF-8 bytes replaced; also ``input``
    diagnostics of the result) come from the input record.
    """

    result: ArticleResult | None = None
    reject: Reject | None = None
    record: Mapping[str, Any] | None = None
    row: Mapping[str, Any] | None = None
    from_store: bool = False
    origin: str | None = None
    warnings: tuple[str, ...] = ()


def document_from_record(record: Record, resources: Resources | None = None) -> Document:
    """The record's Document, cleaned with the rules of ``resources`` (user boilerplate included)."""
    rules = resources.chrome_rules() if resources is not None else None
    doc = Document.from_text(record.text, id=record.id, metadata=record.metadata, chrome_rules=rules)
    if not record.warnings:
        return doc
    warnings = tuple(Diagnostic("input", w) for w in record.warnings)
    return Document(
        id=doc.id,
        text=doc.text,
        metadata=doc.metadata,
        paragraphs=doc.paragraphs,
        sentences=doc.sentences,
        quotations=doc.quotations,
        removed=doc.removed,
        references=doc.references,
        diagnostics=warnings + doc.diagnostics,
    )


def score_record(record: Record, resources: Resources, analyzers: Sequence[str] | None) -> Scored:
    try:
        doc = document_from_record(record, resources)
        result = analyze(doc, analyzers=analyzers, resources=resources)
        if record.extraction:   # a web page: the cleaning record starts with what extraction dropped
            result = replace(result, cleaning={"extraction": dict(record.extraction), **result.cleaning})
        return Scored(result=result, origin=record.origin, warnings=tuple(record.warnings))
    except Exception as error:  # noqa: BLE001 - one bad article must not stop the batch
        return Scored(reject=Reject(record.id, record.origin, f"analysis failed: {type(error).__name__}: {error}"))


def score_records(
    items: Iterable[Record | Reject], options: ScoreOptions | None = None, resources: Resources | None = None
) -> Iterator[Scored]:
    options = options or ScoreOptions()
    resources = resources or options.resources()
    for item in items:
        if isinstance(item, Reject):
            yield Scored(reject=item)
        else:
            yield score_record(item, resources, options.analyzers)


def score_inputs(inputs: Iterable[str], options: ScoreOptions | None = None, *, stdin: Any = None) -> Iterator[Scored]:
    """Read and score files/directories/stdin, streaming."""
    options = options or ScoreOptions()
    reader = read_inputs(inputs, stdin=stdin, max_chars=options.max_chars, html_mode=options.html_mode)
    yield from score_records(reader, options)

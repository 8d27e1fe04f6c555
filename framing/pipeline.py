"""Run analyzers over documents: load -> segment -> analyze.

``Resources`` holds everything analyzers read (lexicon tables, VADER, the sentence classifier,
gazetteers), loaded lazily and once per process; there is no global state, so two
configurations can live side by side and each worker process builds its own.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from framing import analyzers as registry
from framing.clean import Rule, rules_from_table
from framing.document import Document
from framing.lexicons import PROVENANCE_COLUMNS, LexiconError, Table, available, load_shipped, load_table
from framing.results import SCHEMA_VERSION, to_jsonable
from framing.spans import Diagnostic


class Resources:
    """Lexicons, models and gazetteers for one configuration, loaded on first use.

    ``lexicon_files``: user lexicon files in the shipped format; each is merged into the shipped
    table of the same ``name`` (header ``# name:``) — adding entries, or replacing the categories
    it defines when ``replace_categories`` is true. ``model``: a path to a trained sentence
    classifier, or None for the shipped default; ``frames_model``: a frames model file, or a
    sequence of them, at most one per level (each file says whether it scores sentences or whole
    articles); the sentence level falls back to the shipped model, the article level to none.
    ``tables``: tables to use as they are instead of the shipped ones of those resource names
    (e.g. ``{"loaded": table}``: an evaluation that learns the learned words again without the
    data it scores).
    """

    def __init__(
        self,
        *,
        lexicon_files: Sequence[str | os.PathLike] = (),
        replace_categories: bool = False,
        model: str | os.PathLike | None = None,
        frames_model: str | os.PathLike | Sequence[str | os.PathLike] | None = None,
        tables: Mapping[str, Table] | None = None,
    ) -> None:
        self.lexicon_files = tuple(Path(p) for p in lexicon_files)
        self._given_tables = dict(tables or {})
        self.replace_categories = replace_categories
        self.model_path = Path(model) if model is not None else None
        given = [] if frames_model is None else [frames_model] if isinstance(frames_model, (str, os.PathLike)) else frames_model
        self.frames_model_paths = tuple(Path(p) for p in given)
        self._memo: dict[str, Any] = {}
        self._user_tables = [load_table(p) for p in self.lexicon_files]  # fail early, with file:line
        self._check_user_tables()

    def _check_user_tables(self) -> None:
        """Refuse a user table that would never be used: its ``# name:`` matches no shipped
        table, or its columns are not that table's. Cleaning rules are compiled now, so a bad
        pattern fails before any article is read."""
        if not self._user_tables:
            return
        shipped = {table.name: table for table in map(load_table, available())}
        for path, user in zip(self.lexicon_files, self._user_tables, strict=True):
            target = shipped.get(user.name)
            if target is None:
                raise LexiconError(
                    f"{path}: lexicon name {user.name!r} matches no shipped lexicon, so it would never be "
                    f"used; valid names: {', '.join(sorted(shipped))}"
                )
            _as_shipped_columns(user, target.columns, path)  # raises if the columns differ
            if user.name == "boilerplate":
                rules_from_table(user, str(path))

    def memo(self, key: str, factory: Callable[[], Any]) -> Any:
        """Build something once per Resources (compiled matchers, models...)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]

    def table(self, name: str) -> Table:
        """A shipped table merged with the user's tables of the same name (or the table given
        for ``name`` in ``tables``)."""
        if name in self._given_tables:
            return self._given_tables[name]
        return self.memo(f"table:{name}", lambda: self._merged(name))

    def _merged(self, name: str) -> Table:
        shipped = load_shipped(name)
        extra = [t for t in self._user_tables if t.meta.get("name") == shipped.meta.get("name")]
        if not extra:
            return shipped
        rows = list(shipped.rows)
        for user in extra:
            user_rows = _as_shipped_columns(user, shipped.columns)
            if self.replace_categories and "category" in shipped.columns:
                replaced = {r["category"] for r in user_rows}
                rows = [r for r in rows if r["category"] not in replaced]
            rows.extend(user_rows)
        version = "+".join([shipped.version] + [f"user-{u.version}" for u in extra])
        return Table({**shipped.meta, "version": version}, shipped.columns, tuple(rows))

    def chrome_rules(self) -> tuple[Rule, ...]:
        """The cleaning rules: ``boilerplate.tsv`` merged with the user's boilerplate tables."""
        return self.memo("chrome_rules", lambda: rules_from_table(self.table("boilerplate")))

    def vader(self) -> Any:
        def build() -> Any:
            from framing.analyzers.sentiment import Vader

            return Vader()

        return self.memo("vader", build)

    def sentence_model(self) -> Any:
        """The loaded-sentence classifier (``framing.models.classifier.TrainedModel``): the file
        given as ``model``, else the shipped default; a bad file raises ``ModelFormatError``."""

        def build() -> Any:
            from framing.models.classifier import load_default_model, load_model

            return load_model(self.model_path) if self.model_path else load_default_model()

        return self.memo("sentence_model", build)

    def frames_model(self, level: str = "sentence") -> Any:
        """The frames model of ``level`` (``framing.frames.model.FramesModel``): the file given
        in ``frames_model`` for that level, else for sentences the shipped default; else None."""
        return self.memo("frames_models", self._frames_models).get(level)

    def _frames_models(self) -> dict[str, Any]:
        from framing.frames import model as frames

        models: dict[str, Any] = {}
        for path in self.frames_model_paths:
            found = frames.load_model(path)
            if found.level in models:
                raise ValueError(f"two {found.level}-level frames models given ({path} and another); give at most one per level")
            models[found.level] = found
        if "sentence" not in models and frames.has_default_model():
            models["sentence"] = frames.load_default_model()
        return models

    def fingerprint(self) -> str:
        """Changes whenever any data behind the results changes: the shipped lexicons, Punkt
        parameters and models, and the user's lexicon and model files (for caches and stores)."""
        return self.memo("fingerprint", self._fingerprint)

    def _fingerprint(self) -> str:
        digest = hashlib.sha256()
        for name, data in _shipped_data_files():
            digest.update(name.encode())
            digest.update(data)
        models = [p for p in (self.model_path, *self.frames_model_paths) if p]
        for path in (*self.lexicon_files, *models):
            digest.update(str(path).encode())
            digest.update(Path(path).read_bytes())
        digest.update(str(self.replace_categories).encode())
        for name, table in sorted(self._given_tables.items()):
            digest.update(name.encode())
            digest.update(repr((sorted(table.meta.items()), [sorted(r.items()) for r in table.rows])).encode())
        return digest.hexdigest()[:16]


def _as_shipped_columns(user: Table, columns: Sequence[str], path: object = None) -> list[Mapping[str, str]]:
    """A user table's rows in the shipped table's columns. A user table may leave out the
    provenance columns (``provenance, score, sources``: the lexicon format before they were
    added); its rows are then provenance ``user``. Any other difference is an error."""
    missing = [c for c in columns if c not in user.columns]
    unknown = [c for c in user.columns if c not in columns]
    if unknown or set(missing) - set(PROVENANCE_COLUMNS):
        raise LexiconError(
            f"{path or 'user lexicon'}: lexicon {user.meta.get('name')!r} has columns {', '.join(user.columns)}; "
            f"expected {', '.join(columns)} (the provenance columns {', '.join(PROVENANCE_COLUMNS)} may be left out)"
        )
    if not missing:
        return list(user.rows)
    filled = {"provenance": "user", "score": "", "sources": ""}
    return [MappingProxyType({c: row[c] if c in row else filled[c] for c in columns}) for row in user.rows]


def _shipped_data_files() -> list[tuple[str, bytes]]:
    """(name, bytes) of every data file the package ships, in a stable order."""
    found = []
    for package, suffixes in (
        ("framing.lexicons", (".tsv",)),
        ("framing.data", (".json",)),
        ("framing.models", (".joblib", ".pkl", ".json")),
    ):
        for entry in sorted(resources.files(package).iterdir(), key=lambda e: e.name):
            if entry.name.endswith(suffixes):
                found.append((f"{package}/{entry.name}", entry.read_bytes()))
    return found


@dataclass(frozen=True)
class ArticleResult:
    """Everything framing says about one article."""

    id: str
    metadata: Mapping[str, Any]
    text: str
    text_length: int
    words: int
    diagnostics: tuple[Diagnostic, ...]
    cleaning: Mapping[str, Any]
    segments: Mapping[str, Any]
    analyses: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        """The JSON record. With the text included it is self-contained: spans can be shown."""
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "metadata": to_jsonable(self.metadata),
            **({"text": self.text} if include_text else {}),
            "text_length": self.text_length,
            "words": self.words,
            "diagnostics": to_jsonable(self.diagnostics),
            "cleaning": to_jsonable(self.cleaning),
            "segments": to_jsonable(self.segments),
            **{name: to_jsonable(result) for name, result in self.analyses.items()},
            # The flat article-level figures, so readers of the JSONL (the report) need not
            # know how each analyzer derives them from its spans.
            "figures": to_jsonable(self.analyzer_figures()),
        }

    def analyzer_figures(self) -> dict[str, Any]:
        """Each analyzer's flat figures, merged (keys are prefixed by the analyzers)."""
        row: dict[str, Any] = {}
        for result in self.analyses.values():
            figures = getattr(result, "figures", None)
            if callable(figures):
                row.update(figures())
        return row

    def figures(self) -> dict[str, Any]:
        """Flat article-level figures (the CSV row): metadata first, then each analyzer's."""
        row: dict[str, Any] = {"id": self.id}
        for key, value in self.metadata.items():
            if isinstance(value, (str, int, float, bool)) or value is None:
                row[key] = value
        row.update(text_length=self.text_length, words=self.words, diagnostics=len(self.diagnostics))
        row.update(self.analyzer_figures())
        return row


def analyze(
    doc: Document,
    *,
    analyzers: Iterable[str] | None = None,
    resources: Resources | None = None,
) -> ArticleResult:
    """Run the selected analyzers (default: all registered) on one document."""
    resources = resources or default_resources()
    analyses: dict[str, Any] = {}
    for analyzer in registry.resolve(analyzers):
        analyses[analyzer.name] = analyzer.analyze(doc, resources, analyses)
    return ArticleResult(
        id=doc.id,
        metadata=doc.metadata,
        text=doc.text,
        text_length=len(doc.text),
        words=doc.word_count,
        diagnostics=doc.diagnostics,
        cleaning={"removed": doc.removed, "references": doc.references},
        segments={
            "paragraphs": len(doc.paragraphs),
            "sentences": len(doc.sentences),
            "quotations": [
                {
                    "start": q.start,
                    "end": q.end,
                    "content_start": q.content_start,
                    "content_end": q.content_end,
                    "closed": q.closed,
                    "level": q.level,
                    "paragraphs": q.paragraphs,
                }
                for q in doc.quotations
            ],
        },
        analyses=analyses,
    )


def analyze_text(
    text: str, *, id: str = "text", metadata: Mapping[str, Any] | None = None,
    resources: Resources | None = None, **kwargs: Any,
) -> ArticleResult:
    """Convenience: segment (with the cleaning rules of ``resources``) and analyze a string in one call."""
    resources = resources or default_resources()
    doc = Document.from_text(text, id=id, metadata=metadata, chrome_rules=resources.chrome_rules())
    return analyze(doc, resources=resources, **kwargs)


_DEFAULT: Resources | None = None


def default_resources() -> Resources:
    """The shipped configuration, built once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Resources()
    return _DEFAULT


def iter_analyze(
    documents: Iterable[Document], *, analyzers: Iterable[str] | None = None, resources: Resources | None = None
) -> Iterator[ArticleResult]:
    analyzers = list(analyzers) if analyzers is not None else None
    for doc in documents:
        yield analyze(doc, analyzers=analyzers, resources=resources)

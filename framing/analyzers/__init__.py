"""The analyzer registry: every analyzer is looked up here by name.

An analyzer is a pure function ``analyze(doc, resources, prior) -> Result`` registered under a
name with a version (bumped whenever its output changes; batch scoring uses it as a cache key),
the names of the analyzers whose results it needs from ``prior`` (``requires``: they are run
too), and of those whose results it reuses when they run anyway (``after``: same output without
them, but cheaper with them, so they are ordered first). The CLI takes its choices from this
registry, never from a second hand-written list.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Built-in analyzer modules, imported on first use so that `import framing` stays cheap. Most
# live in this package; one whose analyzer is part of a larger package lives there (frames:
# lexicon, model and analyzer together in framing.frames).
_BUILTIN_MODULES = (
    f"{__name__}.sentiment", f"{__name__}.loaded", f"{__name__}.loaded_sentences", f"{__name__}.attribution",
    f"{__name__}.sources", "framing.frames.analyzer",
)
_REGISTRY: dict[str, Analyzer] = {}
_loaded_builtins = False


@dataclass(frozen=True)
class Analyzer:
    name: str
    version: str
    analyze: Callable[..., Any]
    requires: tuple[str, ...] = ()
    description: str = ""
    after: tuple[str, ...] = ()


def register(analyzer: Analyzer) -> Analyzer:
    """Add an analyzer; a second analyzer under a taken name is refused."""
    if analyzer.name in _REGISTRY and _REGISTRY[analyzer.name] is not analyzer:
        raise ValueError(f"an analyzer named {analyzer.name!r} is already registered")
    _REGISTRY[analyzer.name] = analyzer
    return analyzer


def _ensure_builtins() -> None:
    global _loaded_builtins
    if not _loaded_builtins:
        _loaded_builtins = True
        for module in _BUILTIN_MODULES:
            importlib.import_module(module)


def names() -> list[str]:
    _ensure_builtins()
    return sorted(_REGISTRY)


def get(name: str) -> Analyzer:
    _ensure_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown analyzer {name!r}; available: {', '.join(names())}") from None


def resolve(selected: Iterable[str] | None = None) -> list[Analyzer]:
    """The selected analyzers (default: all) plus their requirements, in dependency order;
    an analyzer runs after the selected analyzers it lists in ``after``."""
    wanted = names() if selected is None else list(selected)
    chosen: set[str] = set()  # the selection with all its requirements
    pending = list(wanted)
    while pending:
        name = pending.pop()
        if name not in chosen:
            chosen.add(name)
            pending.extend(get(name).requires)
    ordered: list[Analyzer] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        analyzer = get(name)
        if analyzer in ordered:
            return
        if name in visiting:
            raise ValueError(f"analyzer {name!r} depends on itself")
        visiting.add(name)
        for requirement in analyzer.requires:
            visit(requirement)
        for earlier in analyzer.after:
            if earlier in chosen:
                visit(earlier)
        visiting.discard(name)
        ordered.append(analyzer)

    for name in wanted:
        visit(name)
    return ordered


def versions(analyzers: Iterable[Analyzer]) -> Mapping[str, str]:
    return {a.name: a.version for a in analyzers}

"""The quality harness behind ``make eval``: every analyzer beside a plain baseline, on data
annotated by people who did not build it.

Each section is a module of this package with a ``figures(data) -> Iterator[Figure]`` function.
A section reads its sets through :class:`EvalData`, which knows where the independent sets live
(``../shared/eval-data`` from the project root, not distributed with the package) and answers
"absent" instead of failing, so that a missing set costs one line of output and never an error.

A :class:`Figure` is one row of the table: what was measured, on which data and protocol, our
value, each baseline's value on the same data and folds, and a ceiling (annotator agreement)
where one exists.
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

# Relative to the project root, where `make eval` runs; FRAMING_EVAL_DATA or --eval-data override it.
DEFAULT_EVAL_DATA = Path("../shared/eval-data")

# Section name -> module of this package, in the order the table prints them.
SECTIONS: dict[str, str] = {
    "attribution": "framing.evaluation.attribution_polnear",
    "loaded-sentences": "framing.evaluation.loaded_sentences",
    "loaded-words": "framing.evaluation.loaded_words",
    "frames": "framing.evaluation.frames",
    "stories": "framing.evaluation.stories",
}


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its baselines (same data, same folds) and an optional ceiling."""

    task: str  # "attribution", "loaded sentences", ...
    dataset: str  # "PolNeAR dev", "Lim 2020 (grouped 5-fold)", ...
    metric: str  # "content F1", "macro-F1", ...
    ours: float | None
    baselines: tuple[tuple[str, float], ...] = ()
    ceiling: float | None = None
    note: str = ""

    @property
    def best_baseline(self) -> tuple[str, float] | None:
        return max(self.baselines, key=lambda b: b[1]) if self.baselines else None

    @property
    def margin(self) -> float | None:
        """Ours minus the strongest baseline (positive: we beat every baseline)."""
        best = self.best_baseline
        return None if best is None or self.ours is None else self.ours - best[1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task, "dataset": self.dataset, "metric": self.metric, "ours": self.ours,
            "baselines": dict(self.baselines), "ceiling": self.ceiling, "margin": self.margin, "note": self.note,
        }


@dataclass
class EvalData:
    """The eval-data folder, or the knowledge that it is absent."""

    root: Path
    skipped: list[str] = field(default_factory=list)

    @classmethod
    def locate(cls, path: str | os.PathLike | None = None) -> EvalData:
        chosen = path or os.environ.get("FRAMING_EVAL_DATA") or DEFAULT_EVAL_DATA
        return cls(Path(chosen))

    def has(self, *relative: str) -> bool:
        """True when every file is there; otherwise records one skip line per missing file."""
        if not self.root.is_dir():
            self._skip(f"eval data not found at {self.root} (not distributed); every independent set skipped")
            return False
        missing = [rel for rel in relative if not (self.root / rel).is_file()]
        for rel in missing:
            self._skip(f"eval data not found at {self.root / rel} (not distributed); skipped")
        return not missing

    def _skip(self, line: str) -> None:
        if line not in self.skipped:  # several sections read the same file: say it once
            self.skipped.append(line)

    def path(self, relative: str) -> Path:
        return self.root / relative

    def jsonl(self, relative: str) -> list[dict[str, Any]]:
        with open(self.root / relative, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    def csv_rows(self, relative: str) -> list[dict[str, str]]:
        with open(self.root / relative, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def baselines_module(self) -> ModuleType:
        """eval-data's own ``baselines.py``: its extractors and its model are the floors, used as
        they are so that our baseline figures are the README's."""
        spec = importlib.util.spec_from_file_location("eval_data_baselines", self.root / "baselines.py")
        if spec is None or spec.loader is None:
            raise FileNotFoundError(self.root / "baselines.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


def section_module(name: str) -> ModuleType:
    try:
        return importlib.import_module(SECTIONS[name])
    except KeyError:
        raise ValueError(f"unknown evaluation section {name!r}; available: {', '.join(SECTIONS)}") from None


def run(
    data: EvalData,
    sections: Sequence[str] | None = None,
    *,
    on_figure: Callable[[Figure], None] | None = None,
    on_section: Callable[[str, float, int], None] | None = None,
) -> list[Figure]:
    """Run the sections in table order; ``on_figure`` sees each figure as it is measured and
    ``on_section`` each section's name, seconds and number of figures."""
    figures: list[Figure] = []
    for name in sections or list(SECTIONS):
        module = section_module(name)
        started = time.perf_counter()
        count = 0
        for figure in module.figures(data):
            figures.append(figure)
            count += 1
            if on_figure:
                on_figure(figure)
        if on_section:
            on_section(name, time.perf_counter() - started, count)
    return figures


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def format_table(figures: Iterable[Figure]) -> str:
    """The Markdown table `make eval` prints and docs/quality.md carries."""
    lines = [
        "| task | data (protocol) | metric | ours | baselines (same data and folds) | ours − best baseline | ceiling | notes |",
        "|---|---|---|---:|---|---:|---:|---|",
    ]
    for f in figures:
        baselines = "; ".join(f"{name} {value:.3f}" for name, value in f.baselines) or "–"
        margin = "–" if f.margin is None else f"{f.margin:+.3f}"
        cells = (f.task, f.dataset, f.metric, _number(f.ours), baselines, margin, _number(f.ceiling), f.note)
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)

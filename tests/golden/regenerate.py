"""Regenerate a golden file on purpose: ``PYTHONPATH=. python -m tests.golden.regenerate attribution``.

The diff of the regenerated file is what a reviewer reads to see how the output changed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent
SEEDS = ROOT / "corpus" / "seeds"


def attribution_records(resources: Any = None) -> list[dict[str, Any]]:
    """(doc, kind, speaker, cue, verb_class, content) of every attribution on the five seeds."""
    from framing.analyzers.attribution import extract
    from framing.document import Document
    from framing.pipeline import Resources

    resources = resources or Resources()
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        for a in extract(Document.from_text(text, id=path.stem), resources):
            out.append({
                "doc": path.stem,
                "kind": a.kind,
                "speaker": a.speaker,
                "cue": a.cue,
                "verb_class": a.verb_class,
                "content": text[a.content_start : a.content_end],
            })
    return out


def _seed_results(resources: Any = None) -> list[tuple[str, str, Any]]:
    from framing.document import Document
    from framing.pipeline import Resources, analyze

    resources = resources or Resources()
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        out.append((path.stem, text, analyze(Document.from_text(text, id=path.stem), resources=resources)))
    return out


def _rounded(value: Any) -> Any:
    # 4 decimals: golden numbers must not flip on the last float digits of another platform
    return round(value, 4) if isinstance(value, float) else value


def figure_records(resources: Any = None) -> list[dict[str, Any]]:
    """Every article-level figure of every analyzer on the five seeds (the CSV row)."""
    return [
        {"doc": doc, **{k: _rounded(v) for k, v in result.figures().items() if k != "id"}}
        for doc, _, result in _seed_results(resources)
    ]


def loaded_records(resources: Any = None) -> list[dict[str, Any]]:
    """Every loaded-language finding on the five seeds: the spans behind the loaded figures."""
    return [
        {"doc": doc, "category": span.category, "voice": span.voice, "negated": span.negated, "text": text[span.start : span.end]}
        for doc, text, result in _seed_results(resources)
        for span in result.analyses["loaded"].spans
    ]


def dump(records: list[dict[str, Any]]) -> str:
    """One record per line, so a diff shows one changed attribution per line."""
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"


GENERATORS = {
    "attribution": ("attribution_seeds.json", attribution_records),
    "figures": ("figures_seeds.json", figure_records),
    "loaded": ("loaded_seeds.json", loaded_records),
}


def main(argv: list[str]) -> int:
    names = argv or sorted(GENERATORS)
    for name in names:
        if name not in GENERATORS:
            sys.stderr.write(f"unknown golden file {name!r}; available: {', '.join(sorted(GENERATORS))}\n")
            return 2
        filename, generate = GENERATORS[name]
        (GOLDEN / filename).write_text(dump(generate()), encoding="utf-8")
        sys.stdout.write(f"wrote tests/golden/{filename}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

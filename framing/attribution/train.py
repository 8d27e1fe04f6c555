"""Build the shipped attribution tagger from PolNeAR train: ``make attribution-model``.

    python -m framing.attribution.train [--eval-data DIR] [-o framing/models/attribution_crf.joblib]

Reads ``attribution/polnear-train.jsonl`` from eval-data (not distributed). Without it, says so
in one line and leaves the shipped model as it is. Deterministic: the articles are read in file
order, crfsuite's L-BFGS has no random state, and the header holds no time stamp. CRFsuite
trains; the file holds the trained weights as arrays (:mod:`framing.attribution.crf`), which is
what the analyzer tags with.

The model holds feature weights only: feature names are single lower-cased tokens with a prefix
(``w=said``, ``-1w|w=he|said``), shapes, suffixes and lexicon tags; no text of the corpus beyond
single tokens (and pairs of adjacent tokens) is in it. ``--check`` prints the longest feature name.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from framing.attribution.features import TokenView, build_view
from framing.attribution.tagger import DEFAULT_PARAMS, FORMAT, gold_labels, save_model, train

TRAIN = "attribution/polnear-train.jsonl"
MODEL_VERSION = "1"  # the weights; how the file stores them is the header's "encoding"
TRAINING_DATA = (
    "PolNeAR train split (Newell, Margolin & Ruths, 'An Attribution Relations Corpus for Political "
    "News', LREC 2018; github.com/networkdynamics/PolNeAR @ c3eee83): 820 US election news articles, "
    "19,307 attributions. No licence stated for the data: used for training only; the texts are not "
    "redistributed (the model holds feature weights, no texts)."
)


def document_view(text: str, resources: Any) -> TokenView:
    """A document's tagger view as the analyzer builds it (rule spans included as features)."""
    from framing.attribution.lexicon import gazetteer
    from framing.attribution.rules import RuleExtractor, finish
    from framing.document import Document

    doc = Document.from_text(text, id="train")
    gaz = gazetteer(resources)
    ex = RuleExtractor(doc, gaz)
    rules = finish(doc, ex.run(), gaz)
    return build_view(doc, [ex._sentence(si) for si in range(len(doc.sentences))], gaz, rules)


def examples(rows: Sequence[dict[str, Any]], resources: Any) -> Iterator[tuple[TokenView, list[str]]]:
    for row in rows:
        view = document_view(row["text"], resources)
        yield view, gold_labels(view, row["attributions"])


def build(rows: Sequence[dict[str, Any]], output: str | Path, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Train on ``rows`` and write the model file; returns its header fields."""
    from importlib.metadata import version

    from framing import __version__
    from framing.pipeline import default_resources

    resources = default_resources()
    settings = {**DEFAULT_PARAMS, **(params or {})}
    crf = train(examples(rows, resources), params=settings)
    fields = {
        "framing_version": __version__,
        "model_version": MODEL_VERSION,
        "python_crfsuite_version": version("python-crfsuite"),
        "training_data": TRAINING_DATA,
        "training_articles": len(rows),
        "training_sha256": hashlib.sha256("".join(r["id"] for r in rows).encode()).hexdigest(),
        "labels": list(crf.labels),
        "params": settings,
        "command": "make attribution-model",
        "evaluation": "make eval (PolNeAR dev, attribution section); docs/attribution.md",
    }
    save_model(output, crf, fields)
    return fields


def longest_feature(path: str | Path) -> str:
    """The longest feature name in a model file (to check it holds no running text)."""
    from framing.attribution.tagger import load_tagger

    tagger = load_tagger(path)
    return max(tagger.feature_names(), key=len)


def main(argv: list[str] | None = None) -> int:
    from framing.evaluation.harness import EvalData

    parser = argparse.ArgumentParser(description="Train the attribution tagger on PolNeAR train.")
    parser.add_argument("--eval-data", metavar="DIR")
    parser.add_argument("-o", "--output", default="framing/models/attribution_crf.joblib")
    parser.add_argument("--check", action="store_true", help="print the model's longest feature name and exit")
    args = parser.parse_args(argv)
    if args.check:
        name = longest_feature(args.output)
        print(f"{args.output}: longest feature name ({len(name)} chars): {name!r}")
        return 0
    data = EvalData.locate(args.eval_data)
    if not data.has(TRAIN):
        print(f"{data.skipped[-1]}; the shipped model {args.output} stays as it is")
        return 0
    rows = data.jsonl(TRAIN)
    fields = build(rows, args.output)
    size = Path(args.output).stat().st_size
    print(f"wrote {args.output} ({FORMAT} v{fields['model_version']}, {size / 1e6:.1f} MB) from {len(rows)} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Rebuild the shipped loaded-sentence classifier (``make model``).

``python -m framing.models.build_loaded [--eval-data DIR] [-o MODEL]`` trains
:func:`framing.models.classifier.build_pipeline` on every labelled sentence set it finds: the
repository's hand labels (``corpus/annotations/loaded_sentences.csv``, always) and, when the
eval-data folder is there, the Ukraine, Lim 2020 and WikiNPOV (biased vs cw-hard) sets as
:mod:`framing.evaluation.datasets` reads them. The classifier chooses its C and dataset
weighting on inner folds that leave one set out at a time and keep each article whole, and
calibrates its probabilities on those folds (:mod:`framing.models.linear`). Without eval-data
it trains on the hand labels alone and says so.

The model file's header carries the model card: the sets with their sizes and terms, what
training chose, and the command. The eval-data texts are read at training time only; the
model file holds weights, vocabularies and numbers, no sentence.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from framing.models.classifier import LabelledData, make_data, save_model, train

DEFAULT_OUTPUT = Path("framing/models/loaded_default.joblib")
COMMAND = "make model (python -m framing.models.build_loaded --eval-data ../shared/eval-data)"


def pooled_data(sets: Sequence) -> LabelledData:
    """The sets as one :class:`LabelledData`: each sentence keeps its set (``datasets``) and its
    article (``groups``, prefixed with the set's name)."""
    texts, labels, groups, datasets = [], [], [], []
    for s in sets:
        texts.extend(s.texts)
        labels.extend(s.labels())
        groups.extend(f"{s.name}/{g}" for g in (s.groups or [f"#{i}" for i in range(len(s))]))
        datasets.extend([s.name] * len(s))
    from framing.evaluation.datasets import POSITIVE

    return make_data(texts, labels, POSITIVE, groups=groups, datasets=datasets, source=" + ".join(s.name for s in sets))


def card(sets: Sequence) -> dict:
    return {
        "training_data": [
            {"name": s.name, "sentences": len(s), "loaded": s.positives, "terms": s.terms} for s in sets
        ],
        "terms": "The eval-data sets are research or non-commercial data that framing does not redistribute: "
        "this file holds the model's weights, vocabulary and numbers only, no sentence. Ukraine: CC BY-NC per "
        "its Zenodo record, treat as non-commercial; Lim 2020: research use only; WikiNPOV: no licence stated.",
        "command": COMMAND,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m framing.models.build_loaded", description=__doc__.splitlines()[0])
    parser.add_argument("--eval-data", metavar="DIR", help="the eval-data folder (default: ../shared/eval-data)")
    parser.add_argument("-o", "--output", default=str(DEFAULT_OUTPUT), metavar="MODEL")
    args = parser.parse_args(argv)
    from framing.evaluation.datasets import sentence_sets
    from framing.evaluation.harness import EvalData

    data = EvalData.locate(args.eval_data)
    sets = sentence_sets(data)
    for line in data.skipped:
        print(line)
    if not sets:
        print("no labelled sentences found (corpus/annotations/loaded_sentences.csv): run from the project root")
        return 1
    if len(sets) == 1:
        print("eval data not found: training on the in-house labels alone (corpus/annotations/loaded_sentences.csv)")
        from framing.models.classifier import read_labelled

        model = train(read_labelled("corpus/annotations/loaded_sentences.csv", positive="loaded", group_column="doc_id"),
                      card=card(sets))
    else:
        model = train(pooled_data(sets), card=card(sets))
    save_model(model, args.output)
    chosen = model.card
    print(f"trained on {', '.join(f'{s.name} ({len(s)})' for s in sets)}: C={chosen.get('C')}, "
          f"dataset weighting {chosen.get('dataset_weighting')!r}, threshold {model.threshold:.3f}")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

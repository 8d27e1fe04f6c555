"""The report's inputs: existing scores (JSONL files, ``--store`` databases), or a corpus to
score first."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from framing.batch import is_store_file, iter_store_records
from framing.corpus import Reject
from framing.report.aggregate import is_scores_file, iter_results
from framing.scoring import ScoreOptions, score_inputs


@dataclass
class Loaded:
    records: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    scored: int = 0  # articles scored here (0 when every input was a scores file)


def load_or_score(
    inputs: Sequence[str | os.PathLike],
    *,
    options: ScoreOptions | None = None,
    scores_out: str | os.PathLike | None = None,
    on_reject: Callable[[Reject], None] | None = None,
) -> Loaded:
    """Records for the report. Each input that is a JSONL file whose first record has
    ``schema_version``, or a store written by ``framing score --store``, is read as scores (no
    re-scoring); all other inputs are a corpus, scored with ``framing.scoring`` (written to
    ``scores_out`` when given)."""
    loaded = Loaded()
    stores = [p for p in inputs if is_store_file(p)]
    scores = [p for p in inputs if p not in stores and is_scores_file(p)]
    corpus = [str(p) for p in inputs if p not in stores and p not in scores]
    for path in stores:
        loaded.records.extend(iter_store_records(path))
    for path in scores:
        loaded.records.extend(iter_results(path))
    if corpus:
        handle = open(scores_out, "w", encoding="utf-8") if scores_out else None
        try:
            for item in score_inputs(corpus, options):
                if item.result is None:
                    loaded.rejects.append(item.reject)
                    if on_reject:
                        on_reject(item.reject)
                    continue
                record = item.result.to_dict()
                loaded.records.append(record)
                loaded.scored += 1
                if handle:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        finally:
            if handle:
                handle.close()
    return loaded

"""Score the attribution extractor against gold attributions (corpus/annotations/attributions.jsonl).

Matching: a predicted attribution matches a gold one when it covers more than 30% of the gold
content characters; pairs are made one-to-one, greedily by overlap (largest first). On matched
pairs we report speaker accuracy (normalised canonical names equal, or both anonymous),
speaker-type accuracy and verb-class accuracy (on pairs whose gold has a verb class).
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framing.evaluation.spans import PRF, match_spans


@dataclass(frozen=True)
class Accuracy:
    correct: int
    total: int

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class AttributionEvaluation:
    documents: int
    quotes: PRF
    direct: PRF
    speaker: Accuracy
    speaker_type: Accuracy
    verb_class: Accuracy
    errors: tuple[Mapping[str, Any], ...]  # unmatched and mismatched items, for reading

    def summary(self) -> str:
        lines = [f"documents: {self.documents}"]
        for label, prf in (("all kinds", self.quotes), ("direct only", self.direct)):
            lines.append(
                f"{label:12} P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}  "
                f"(tp {prf.true_positives}, predicted {prf.predicted}, gold {prf.gold})"
            )
        for label, acc in (("speaker", self.speaker), ("speaker type", self.speaker_type), ("verb class", self.verb_class)):
            lines.append(f"{label:12} accuracy {acc.value:.3f} ({acc.correct}/{acc.total})")
        return "\n".join(lines)


def normalise_name(name: str | None) -> str:
    if not name:
        return ""
    name = unicodedata.normalize("NFKC", name).casefold().replace("’", "'")
    return " ".join(name.split())


def _is_anonymous(item: Mapping[str, Any]) -> bool:
    return item.get("speaker_type") == "anonymous" or str(item.get("speaker") or "").startswith("anonymous")


def match(predicted: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one pairs (predicted index, gold index), greedy by overlap (:mod:`framing.evaluation.spans`)."""
    def spans(items: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
        return [(item["content_start"], item["content_end"]) for item in items]

    return sorted(match_spans(spans(predicted), spans(gold)))


def evaluate(pairs_of_docs: Iterable[tuple[Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]], str]]) -> AttributionEvaluation:
    """``pairs_of_docs``: (predicted, gold, doc_id) per document, both as dicts with content offsets."""
    tp = npred = ngold = 0
    dtp = dpred = dgold = 0
    speaker = stype = vclass = [0, 0]
    speaker, stype, vclass = [0, 0], [0, 0], [0, 0]
    errors: list[dict[str, Any]] = []
    documents = 0
    for predicted, gold, doc_id in pairs_of_docs:
        documents += 1
        pairs = match(predicted, gold)
        tp += len(pairs)
        npred += len(predicted)
        ngold += len(gold)
        direct_p = [p for p in predicted if p["kind"] == "direct"]
        direct_g = [g for g in gold if g["kind"] == "direct"]
        dtp += len(match(direct_p, direct_g))
        dpred += len(direct_p)
        dgold += len(direct_g)
        matched_p = {pi for pi, _ in pairs}
        matched_g = {gi for _, gi in pairs}
        for pi, gi in pairs:
            p, g = predicted[pi], gold[gi]
            same = (_is_anonymous(p) and _is_anonymous(g)) or (
                normalise_name(p.get("speaker")) == normalise_name(g.get("speaker")) and normalise_name(g.get("speaker"))
            ) or (not g.get("speaker") and not p.get("speaker") and not _is_anonymous(g))
            speaker[0] += bool(same)
            speaker[1] += 1
            stype[0] += p.get("speaker_type") == g.get("speaker_type")
            stype[1] += 1
            if g.get("verb_class"):
                vclass[0] += p.get("verb_class") == g.get("verb_class")
                vclass[1] += 1
            if not same or p.get("speaker_type") != g.get("speaker_type"):
                errors.append({"doc_id": doc_id, "error": "speaker", "gold": dict(g), "predicted": dict(p)})
        errors.extend({"doc_id": doc_id, "error": "missed", "gold": dict(gold[gi])} for gi in range(len(gold)) if gi not in matched_g)
        errors.extend({"doc_id": doc_id, "error": "spurious", "predicted": dict(predicted[pi])} for pi in range(len(predicted)) if pi not in matched_p)
    return AttributionEvaluation(
        documents=documents,
        quotes=PRF(tp, npred, ngold),
        direct=PRF(dtp, dpred, dgold),
        speaker=Accuracy(*speaker),
        speaker_type=Accuracy(*stype),
        verb_class=Accuracy(*vclass),
        errors=tuple(errors),
    )


# Fields every gold line needs, with their JSON type (speaker, speaker_type, verb_class are optional).
GOLD_FIELDS: Mapping[str, type] = {"doc_id": str, "kind": str, "content_start": int, "content_end": int}


class GoldFormatError(ValueError):
    """A gold file that is not what the evaluation reads; the message is ``path:line: reason``."""


def _read_gold_lines(path: str | Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, record) of each gold line, every one checked for the fields it needs."""
    out = []
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise GoldFormatError(f"{where}: not JSON ({error.msg} at column {error.colno})") from None
            if not isinstance(record, dict):
                raise GoldFormatError(f"{where}: expected a JSON object, got {type(record).__name__}")
            for name, kind in GOLD_FIELDS.items():
                if name not in record:
                    raise GoldFormatError(
                        f"{where}: missing field {name!r} (each line needs {', '.join(GOLD_FIELDS)})")
                value = record[name]
                if not isinstance(value, kind) or isinstance(value, bool):
                    raise GoldFormatError(f"{where}: field {name!r} must be {kind.__name__}, got {value!r:.60}")
            if not 0 <= record["content_start"] <= record["content_end"]:
                raise GoldFormatError(f"{where}: content_start {record['content_start']} and content_end "
                                      f"{record['content_end']} are not 0 <= start <= end")
            out.append((lineno, record))
    return out


def read_gold(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Gold attributions by doc id; a malformed line raises :class:`GoldFormatError` naming it."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for _, record in _read_gold_lines(path):
        by_doc.setdefault(record["doc_id"], []).append(record)
    return by_doc


def _text_paths(root: Path, doc_ids: Iterable[str]) -> dict[str, Path] | None:
    """The text file of every doc id under ``root`` (listed in its manifest.csv, columns ``id``
    and ``path`` or ``file``, else ``<id>.txt``), or None when one of them is missing."""
    manifest = root / "manifest.csv"
    listed: dict[str, Path] = {}
    if manifest.is_file():
        with open(manifest, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rel = row.get("path") or row.get("file") or ""
                if row.get("id") and rel:
                    candidate = root / rel
                    listed[row["id"]] = candidate if candidate.is_file() else root.parent / rel
    paths = {doc_id: listed.get(doc_id, root / f"{doc_id}.txt") for doc_id in doc_ids}
    return paths if all(p.is_file() for p in paths.values()) else None


def default_corpus(gold_path: str | Path, doc_ids: Iterable[str]) -> Path:
    """Where the texts of a gold file are when no corpus is given: found from the gold file,
    never from the current directory. The gold file's directory or the nearest one above it
    that holds every text (through its ``manifest.csv``, or as ``<id>.txt``). For this
    repository's ``corpus/annotations/attributions.jsonl`` that is ``corpus/``, whose manifest
    lists the seeds, wherever the command is run from."""
    doc_ids = list(doc_ids)
    start = Path(gold_path).resolve().parent
    for root in (start, *start.parents):
        if _text_paths(root, doc_ids) is not None:
            return root
    raise FileNotFoundError(
        f"no texts found for the documents of {gold_path}: looked for a manifest.csv listing them or "
        f"<id>.txt files in {start} and the directories above it; give the texts with --corpus DIR"
    )


def _doc_texts(doc_ids: Iterable[str], corpus: str | Path) -> dict[str, str]:
    """Texts by doc id from ``corpus`` (a directory with a manifest.csv or ``<id>.txt`` files),
    exactly as stored (bytes decoded, newlines untouched, as framing score reads them)."""
    root = Path(corpus)
    doc_ids = list(doc_ids)
    paths = _text_paths(root, doc_ids)
    if paths is None:
        missing = [d for d in doc_ids if (_text_paths(root, [d]) is None)]
        raise FileNotFoundError(f"no text in {root} for doc_id {', '.join(map(repr, missing[:5]))}"
                                f"{' and more' if len(missing) > 5 else ''} (neither listed in its manifest.csv "
                                f"nor <id>.txt)")
    return {doc_id: path.read_bytes().decode("utf-8") for doc_id, path in paths.items()}


def evaluate_files(gold_path: str | Path, corpus: str | Path | None = None, resources: Any = None) -> AttributionEvaluation:
    from framing.analyzers.attribution import extract
    from framing.document import Document
    from framing.pipeline import default_resources
    from framing.results import to_jsonable

    resources = resources or default_resources()
    lines = _read_gold_lines(gold_path)
    gold: dict[str, list[dict[str, Any]]] = {}
    for _, record in lines:
        gold.setdefault(record["doc_id"], []).append(record)
    texts = _doc_texts(gold, corpus if corpus is not None else default_corpus(gold_path, gold))
    for lineno, record in lines:
        length = len(texts[record["doc_id"]])
        if record["content_end"] > length:
            raise GoldFormatError(f"{gold_path}:{lineno}: content_end {record['content_end']} is beyond the end "
                                  f"of the text of {record['doc_id']!r} ({length} characters)")

    def docs() -> Iterable[tuple[list[dict[str, Any]], list[dict[str, Any]], str]]:
        for doc_id, records in gold.items():
            doc = Document.from_text(texts[doc_id], id=doc_id)
            predicted = [to_jsonable(a) for a in extract(doc, resources)]
            yield predicted, records, doc_id

    return evaluate(docs())

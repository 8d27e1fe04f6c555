"""The labelled sentence sets the loaded-language evaluation (and training) reads.

One in-house set (``corpus/annotations/loaded_sentences.csv``, labelled by this project: label it
as in-house wherever it is quoted) and three independent ones from eval-data, each reduced to
"loaded" (biased) vs "neutral" by a rule stated here once:

- **Ukraine** (Färber et al., CIKM 2020): loaded when the crowd judged the sentence subjective
  or biased (the authors' binary ``labels.subjective`` or ``labels.biased``); grouped by article.
- **Lim 2020** (Lim et al., LREC 2020): loaded when the mean crowd rating is >= 2.5 (``label``);
  grouped by article.
- **WikiNPOV** (Hube & Fetahu, WSDM 2019): NPOV-tagged biased statements vs the ``cw-hard``
  neutral statements (crowd-judged not biased: the hard negatives); statements are independent.

Their texts are read from eval-data at run time and never copied into the repository.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from framing.evaluation.harness import EvalData
from framing.models.classifier import LabelledData, make_data

POSITIVE, NEGATIVE = "loaded", "neutral"
IN_HOUSE_FILE = Path("corpus/annotations/loaded_sentences.csv")  # relative to the project root

UKRAINE = "loaded/ukraine-news-bias.jsonl"
LIM = "loaded/lim2020-biased-sentences.jsonl"
NPOV = "loaded/wiki-npov.jsonl"


@dataclass(frozen=True)
class SentenceSet:
    name: str
    texts: tuple[str, ...]
    loaded: tuple[bool, ...]
    groups: tuple[str, ...] | None  # article of each sentence; None where sentences stand alone
    terms: str  # licence terms, as eval-data's README states them

    def labels(self) -> list[str]:
        return [POSITIVE if flag else NEGATIVE for flag in self.loaded]

    def data(self) -> LabelledData:
        return make_data(self.texts, self.labels(), POSITIVE, groups=self.groups or (), source=self.name)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def positives(self) -> int:
        return sum(self.loaded)


def in_house(path: Path = IN_HOUSE_FILE) -> SentenceSet | None:
    if not path.is_file():
        return None
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["text"].strip()]
    return SentenceSet(
        "in-house (repo)",
        tuple(r["text"] for r in rows),
        tuple(r["label"] == POSITIVE for r in rows),
        tuple(r["doc_id"] for r in rows),
        "this repository's hand labels (CC BY 4.0; seeds and open corpora texts)",
    )


def ukraine(data: EvalData) -> SentenceSet:
    rows = data.jsonl(UKRAINE)
    return SentenceSet(
        "Ukraine",
        tuple(r["text"] for r in rows),
        tuple(bool(r["labels"]["subjective"] or r["labels"]["biased"]) for r in rows),
        tuple(str(r["article"]) for r in rows),
        "no licence in the repository; Zenodo copy CC BY-NC: non-commercial, not redistributed",
    )


def lim(data: EvalData) -> SentenceSet:
    rows = data.jsonl(LIM)
    return SentenceSet(
        "Lim 2020",
        tuple(r["text"] for r in rows),
        tuple(r["label"] == "biased" for r in rows),
        tuple(str(r["article"]) for r in rows),
        "research use only, not redistributed",
    )


def wiki_npov(data: EvalData, neutral_set: str = "cw-hard") -> SentenceSet:
    rows = [r for r in data.jsonl(NPOV) if r["label"] == "biased" or r["neutral_set"] == neutral_set]
    return SentenceSet(
        f"WikiNPOV (vs {neutral_set})",
        tuple(r["text"] for r in rows),
        tuple(r["label"] == "biased" for r in rows),
        None,
        "no licence stated; evaluation and training only, not redistributed",
    )


def sentence_sets(data: EvalData, *, with_in_house: bool = True) -> list[SentenceSet]:
    """Every set that is present, the in-house one first; absent eval-data files are recorded
    as skips on ``data``."""
    sets: list[SentenceSet] = []
    if with_in_house:
        own = in_house()
        if own is not None:
            sets.append(own)
    for relative, reader in ((UKRAINE, ukraine), (LIM, lim), (NPOV, wiki_npov)):
        if data.has(relative):
            sets.append(reader(data))
    return sets


def labelled_sets(data: EvalData) -> list:
    """Every set that is present as :class:`framing.models.learned_lexicon.LabelledSet` (what the
    learned lexicon is learned from), the in-house one first."""
    from framing.models.learned_lexicon import LabelledSet

    return [LabelledSet(s.name, s.texts, s.loaded) for s in sentence_sets(data)]


def pooled(sets: Sequence[SentenceSet]) -> SentenceSet:
    """Several sets as one training set; groups are prefixed with the set name."""
    texts, loaded, groups = [], [], []
    for s in sets:
        texts.extend(s.texts)
        loaded.extend(s.loaded)
        groups.extend(f"{s.name}/{g}" for g in (s.groups or [str(i) for i in range(len(s))]))
    return SentenceSet(" + ".join(s.name for s in sets), tuple(texts), tuple(loaded), tuple(groups), "")

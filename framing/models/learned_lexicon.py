"""The learned loaded-language lexicon: words whose loadedness comes from annotated sentences.

Method: weighted log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn
2008, "Fightin' Words", section 3.5). For each labelled set separately, every content word's
(Snowball stem's) count in the sentences annotators called loaded (``y_L``, of ``n_L`` words) is
compared with its count in the neutral ones (``y_N`` of ``n_N``), smoothed by a prior
``a_w = PRIOR_MASS * f_w`` where ``f_w`` is the word's share of all the sets' words::

    delta_w = log((y_L + a_w) / (n_L + a0 - y_L - a_w)) - log((y_N + a_w) / (n_N + a0 - y_N - a_w))
    z_w     = delta_w / sqrt(1 / (y_L + a_w) + 1 / (y_N + a_w))

The sets' z-scores are combined with Stouffer's rule, ``Z_w = sum(z_w) / sqrt(k)``, so a word
must lean towards "loaded" in several sets (each labelled differently, on different topics) to
score high, and a word that marks one set's subject scores high in that set only.

Which words can enter (a rule, not a silent choice):

- **content words**: alphabetic tokens of at least 3 letters that are not in scikit-learn's
  English stop-word list;
- **not names**: a word capitalised in at least half of its occurrences after the first token
  of a sentence (names of people, places, events, organisations) is left out, and so is any
  word listed in the gazetteers ``affiliations.tsv`` (countries, demonyms, capitals),
  ``people.tsv`` and ``organisations.tsv``;
- **not a topic word**: words whose stem is the stem of a word listed in
  ``loaded_learned_stop.tsv`` (reviewed by hand: words that only mark the subject of a set's
  news, such as "sanctions", "soldiers", "airlines", each with its reason) are left out;
- **not everyday news vocabulary**: the ``COMMON_WORDS`` (300) most frequent content words (by
  stem) of the open news corpora in ``corpus/open`` (Wikinews and Kremlin transcripts) are left
  out: "make", "things", "political", "information" occur in any news text and cannot mark
  one sentence as loaded, however their counts lean in the annotated sets;
- **not already in the hand lexicon**: a word the hand lexicon (``loaded.tsv``) matches in any
  of its written forms, or whose stem is the stem of a one-word hand entry, keeps its hand
  entry (so a learned entry never competes with a hand one for a word);
- **evidence from more than one set**: ``Z_w >= min_z`` and ``z_w > 0`` in at least
  ``MIN_SETS`` sets (or in every set when fewer are given).

``min_z`` is chosen among ``MIN_Z_CANDIDATES`` (the z of two-sided 5%, 1% and 0.1% levels) on
the sets the lexicon is learned from, never on a set it is then evaluated on:
:func:`choose_min_z` leaves each set out in turn, learns from the others with every candidate
threshold, and keeps the threshold whose lexicon best ranks the left-out set's sentences (mean
AUC of the weighted count of learned words).

Each entry keeps its provenance: ``provenance`` ``learned``, ``score`` the combined z-score,
``sources`` the sets it was learned from with their own z-scores. ``weight`` (used like a hand
weight in the ``loaded`` analyzer's figures) is ``min(1, Z / WEIGHT_Z)`` with ``WEIGHT_Z`` = 8,
rounded to 2 decimals: about 0.25-0.5, a hedge's to a mid-strength hand word's weight. Entries match by stem, with the
most frequent written form as the term. Only words and numbers are written: no sentence of the
sets is stored.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from framing.lexicons import Table, load_table
from framing.segment import TOKEN_RE, normalise

__all__ = [
    "LabelledSet",
    "LearnedWord",
    "choose_min_z",
    "learn",
    "learned_table",
    "write_table",
]

PRIOR_MASS = 1000.0  # a0: total pseudo-count of the informative prior, per set
MIN_SETS = 2  # a word must lean "loaded" in at least this many sets (all sets when fewer)
MIN_COUNT = 3  # occurrences in loaded sentences, over all sets
CAPITALISED_SHARE = 0.5  # capitalised in at least this share of non-initial occurrences: a name
COMMON_WORDS = 300  # the most frequent content words of the open news corpora are left out
BACKGROUND = Path("corpus/open")  # relative to the project root, where `make model` runs
# weight = min(1, Z / WEIGHT_Z): a z-score says how sure the data are that a word leans "loaded",
# not how strongly it loads a sentence, and the learned words' tie to loaded sentences is weak
# per word; so z = 2 weighs 0.25 (a hedge's weight) and only z = 8 would weigh as much as the
# hand lexicon's strongest labels.
WEIGHT_Z = 8.0
# Conventional two-sided significance levels (5%, 1%, 0.1%): a word must at least be more
# often in loaded sentences than the prior explains at the 5% level. Lower thresholds ranked
# held-out sets' sentences a little better (more coverage) but let in hundreds of common
# words ("means", "share", "make") that would be highlighted in every article.
MIN_Z_CANDIDATES = (1.96, 2.58, 3.29)
CATEGORY = "learned"
COLUMNS = ("term", "category", "weight", "match", "provenance", "score", "sources", "note")
STOP_LIST = "loaded_learned_stop"


@dataclass(frozen=True)
class LabelledSet:
    """Sentences of one annotated set: their texts and whether annotators called each loaded."""

    name: str
    texts: Sequence[str]
    loaded: Sequence[bool]


@dataclass(frozen=True)
class LearnedWord:
    stem: str
    term: str  # most frequent written form (lower case)
    z: float  # combined (Stouffer) z-score
    per_set: tuple[tuple[str, float], ...]  # (set name, z in that set)

    @property
    def weight(self) -> float:
        return round(min(1.0, max(self.z, 0.0) / WEIGHT_Z), 2) or 0.01


# -- counting -----------------------------------------------------------------------------


@dataclass
class _Counts:
    loaded: Counter
    neutral: Counter
    forms: dict[str, Counter]
    capitalised: Counter  # non-initial occurrences written with a capital
    non_initial: Counter


def _stemmer():
    from framing.lexmatch import stem

    return stem


def _count(labelled: LabelledSet, stop_words: frozenset[str]) -> _Counts:
    stem = _stemmer()
    counts = _Counts(Counter(), Counter(), defaultdict(Counter), Counter(), Counter())
    for text, loaded in zip(labelled.texts, labelled.loaded, strict=True):
        side = counts.loaded if loaded else counts.neutral
        for i, match in enumerate(TOKEN_RE.finditer(text)):
            token = match.group()
            word = normalise(token)
            if len(word) < 3 or not word.isalpha() or word in stop_words:
                continue
            key = stem(word)
            side[key] += 1
            counts.forms[key][word] += 1
            if i > 0:
                counts.non_initial[key] += 1
                counts.capitalised[key] += token[0].isupper()
    return counts


def _z_scores(counts: _Counts, prior: Counter, prior_total: int) -> dict[str, float]:
    """Monroe et al.'s z-score of every word of ``prior`` in one set (positive: loaded)."""
    n_loaded, n_neutral = sum(counts.loaded.values()), sum(counts.neutral.values())
    z = {}
    for key, background in prior.items():
        a = PRIOR_MASS * background / prior_total
        y_l, y_n = counts.loaded.get(key, 0), counts.neutral.get(key, 0)
        delta = math.log((y_l + a) / (n_loaded + PRIOR_MASS - y_l - a)) - math.log(
            (y_n + a) / (n_neutral + PRIOR_MASS - y_n - a)
        )
        z[key] = delta / math.sqrt(1.0 / (y_l + a) + 1.0 / (y_n + a))
    return z


# -- exclusions ---------------------------------------------------------------------------


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def _gazetteer_words() -> frozenset[str]:
    """Lower-cased words of the names in affiliations, people and organisations."""
    words: set[str] = set()
    for name, columns in (("affiliations", ("term",)), ("people", ("name", "aliases")), ("organisations", ("name", "aliases"))):
        for row in load_table(name).rows:
            for column in columns:
                for value in row.get(column, "").split("|"):
                    words.update(normalise(w) for w in value.split() if w)
    return frozenset(words)


def common_stems(folder: Path = BACKGROUND, top: int = COMMON_WORDS) -> frozenset[str]:
    """The stems of the ``top`` most frequent content words of the texts in ``folder``'s
    ``*.jsonl`` files (field ``text``); empty when the folder is absent."""
    import json

    stem = _stemmer()
    stop = _stop_words()
    counts: Counter = Counter()
    for path in sorted(Path(folder).glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                for match in TOKEN_RE.finditer(json.loads(line).get("text") or ""):
                    word = normalise(match.group())
                    if len(word) >= 3 and word.isalpha() and word not in stop:
                        counts[stem(word)] += 1
    return frozenset(key for key, _ in counts.most_common(top))


def topic_stop_list() -> dict[str, str]:
    """The reviewed topic words (``loaded_learned_stop.tsv``): lower-cased word -> reason."""
    return {normalise(r["term"]): r["reason"] for r in load_table(STOP_LIST).rows}


def _in_hand_lexicon(hand: Table) -> Any:
    """A test ``(stem, forms) -> bool``: would a learned stem entry meet a hand entry? True when
    the hand lexicon matches any written form of the word, or a one-word hand entry has the same
    stem (a learned ``like`` would otherwise also match the hand hedge ``likely``, whose stem
    is "like"). Learned entries then never compete with hand entries for a word."""
    from framing.lexmatch import LexiconMatcher

    stem = _stemmer()
    matcher = LexiconMatcher.from_table(hand)
    stems = {stem(normalise(r["term"])) for r in hand.rows if " " not in r["term"].strip()}
    return lambda key, forms: key in stems or any(matcher.find(form) for form in forms)


# -- learning -----------------------------------------------------------------------------


class _Learner:
    """Counts made once per set, so that lexicons from any subset of the sets and any
    threshold cost only arithmetic."""

    def __init__(self, sets: Sequence[LabelledSet], hand: Table | None = None) -> None:
        if not sets:
            raise ValueError("no labelled sets to learn a lexicon from")
        stop = _stop_words()
        self.sets = list(sets)
        self.counts = [_count(s, stop) for s in self.sets]
        self.excluded_words = _gazetteer_words()
        stem = _stemmer()
        self.common = common_stems()
        self.excluded_stems = frozenset(stem(word) for word in topic_stop_list()) | self.common
        self.in_hand = _in_hand_lexicon(hand if hand is not None else load_table("loaded"))

    def learn(self, indices: Sequence[int], min_z: float) -> list[LearnedWord]:
        chosen = [self.counts[i] for i in indices]
        prior: Counter = Counter()
        for counts in chosen:
            prior.update(counts.loaded)
            prior.update(counts.neutral)
        total = sum(prior.values())
        per_set = [_z_scores(counts, prior, total) for counts in chosen]
        needed = min(MIN_SETS, len(chosen))
        found = []
        for key in prior:
            zs = [z[key] for z in per_set]
            combined = sum(zs) / math.sqrt(len(zs))
            if combined < min_z or sum(z > 0 for z in zs) < needed:
                continue
            if sum(c.loaded.get(key, 0) for c in chosen) < MIN_COUNT:
                continue
            forms: Counter = Counter()
            capitalised = non_initial = 0
            for counts in chosen:
                forms.update(counts.forms.get(key, {}))
                capitalised += counts.capitalised.get(key, 0)
                non_initial += counts.non_initial.get(key, 0)
            if non_initial and capitalised / non_initial >= CAPITALISED_SHARE:
                continue
            if key in self.excluded_stems or any(form in self.excluded_words for form in forms):
                continue
            if self.in_hand(key, forms):
                continue
            term = max(forms.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]
            names = tuple(self.sets[i].name for i in indices)
            found.append(LearnedWord(key, term, combined, tuple(zip(names, zs))))
        found.sort(key=lambda w: (-w.z, w.term))
        return found

    def auc(self, index: int, words: Iterable[LearnedWord]) -> float:
        """AUC of the summed weight of ``words`` in each sentence of set ``index`` for its labels."""
        from sklearn.metrics import roc_auc_score

        stem = _stemmer()
        weights = {w.stem: w.weight for w in words}
        labelled = self.sets[index]
        scores = [
            sum(weights.get(stem(normalise(m.group())), 0.0) for m in TOKEN_RE.finditer(text)) for text in labelled.texts
        ]
        y = np.asarray(labelled.loaded, dtype=bool)
        if y.all() or not y.any():
            return 0.5
        return float(roc_auc_score(y, scores))


def choose_min_z(learner: _Learner, candidates: Sequence[float] = MIN_Z_CANDIDATES) -> tuple[float, dict[float, float]]:
    """The threshold whose lexicons, learned without each set in turn, best rank that set's
    sentences (mean AUC); with one set, the middle candidate (nothing to hold out)."""
    if len(learner.sets) < 2:
        middle = sorted(candidates)[len(candidates) // 2]
        return middle, {}
    scores = {}
    for min_z in candidates:
        aucs = []
        for held_out in range(len(learner.sets)):
            others = [i for i in range(len(learner.sets)) if i != held_out]
            aucs.append(learner.auc(held_out, learner.learn(others, min_z)))
        scores[min_z] = float(np.mean(aucs))
    best = max(scores, key=lambda z: (scores[z], z))  # ties: the stricter threshold
    return best, scores


@dataclass(frozen=True)
class LearnedLexicon:
    words: tuple[LearnedWord, ...]
    min_z: float
    threshold_scores: dict[float, float]
    sets: tuple[str, ...]
    common_words: int = 0  # how many common stems were left out by rule (0: no background corpus)


def learn(sets: Sequence[LabelledSet], *, hand: Table | None = None, min_z: float | None = None) -> LearnedLexicon:
    """Learn the lexicon from ``sets`` (``min_z`` chosen on them when not given)."""
    learner = _Learner(sets, hand)
    scores: dict[float, float] = {}
    if min_z is None:
        min_z, scores = choose_min_z(learner)
    words = learner.learn(range(len(sets)), min_z)
    return LearnedLexicon(tuple(words), min_z, scores, tuple(s.name for s in sets), len(learner.common))


# -- the table ----------------------------------------------------------------------------


def _source_line(lexicon: LearnedLexicon) -> str:
    common = (
        f"the {COMMON_WORDS} most frequent content words of {BACKGROUND.as_posix()}"
        if lexicon.common_words
        else f"(no common-word rule: {BACKGROUND.as_posix()} was not found)"
    )
    tried = ", ".join(f"{z:g}: {auc:.3f}" for z, auc in sorted(lexicon.threshold_scores.items()))
    chosen = f"min_z {lexicon.min_z:g}" + (f" (chosen by leave-one-set-out AUC; {tried})" if tried else "")
    return (
        "learned by framing.models.learned_lexicon (python -m framing.models.learned_lexicon) from sentences "
        f"annotated as loaded or neutral in: {', '.join(lexicon.sets)}. Weighted log-odds with an informative "
        f"Dirichlet prior (Monroe, Colaresi & Quinn 2008; prior mass {PRIOR_MASS:g}), per set, combined by "
        f"Stouffer's rule; {chosen}; z > 0 in at least {MIN_SETS} sets; content words only; names, gazetteer "
        f"words, the reviewed topic words of loaded_learned_stop.tsv, {common} and words of the hand lexicon "
        "left out. Only words and scores are stored, no sentence of the sets."
    )


def learned_table(lexicon: LearnedLexicon, version: str = "1.0") -> Table:
    meta = {
        "name": "loaded-language",
        "version": f"learned-{version}",
        "source": _source_line(lexicon),
        "license": "CC-BY-4.0 (the word list and scores, computed by the framing project); the annotated sets "
        "it was learned from keep their own terms and are not distributed",
        "columns": ", ".join(COLUMNS),
    }
    rows = []
    for word in lexicon.words:
        sources = "; ".join(f"{name} z={z:.2f}" for name, z in word.per_set)
        rows.append(
            MappingProxyType(
                {
                    "term": word.term,
                    "category": CATEGORY,
                    "weight": f"{word.weight:.2f}",
                    "match": "stem",
                    "provenance": "learned",
                    "score": f"{word.z:.2f}",
                    "sources": sources,
                    "note": "",
                }
            )
        )
    return Table(MappingProxyType(meta), COLUMNS, tuple(rows))


def write_table(table: Table, path: str | Path) -> None:
    lines = [f"# {key}: {table.meta[key]}" for key in ("name", "version", "source", "license", "columns")]
    lines.append("\t".join(table.columns))
    lines.extend("\t".join(row.get(c, "") for c in table.columns) for row in table.rows)
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m framing.models.learned_lexicon", description=__doc__.splitlines()[0])
    parser.add_argument("--eval-data", metavar="DIR", help="the eval-data folder (default: ../shared/eval-data)")
    parser.add_argument("-o", "--output", default="framing/lexicons/loaded_learned.tsv", metavar="FILE")
    args = parser.parse_args(argv)
    from framing.evaluation.datasets import labelled_sets
    from framing.evaluation.harness import EvalData

    data = EvalData.locate(args.eval_data)
    sets = labelled_sets(data)
    for line in data.skipped:
        print(line)
    if len(sets) < 2:
        print(f"fewer than 2 annotated sets found ({len(sets)}); the shipped {args.output} is kept as it is")
        return 0
    lexicon = learn(sets)
    write_table(learned_table(lexicon), args.output)
    print(f"wrote {args.output}: {len(lexicon.words)} learned words (min_z {lexicon.min_z:g}) from {', '.join(lexicon.sets)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

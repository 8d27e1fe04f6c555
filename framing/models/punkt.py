"""Train the Punkt sentence-splitter parameters that ship in ``framing/data/punkt_en.json``.

Reproduce the shipped file with::

    python -m framing.models.punkt corpus/open/*.jsonl -o framing/data/punkt_en.json

Punkt learns abbreviations ("Mr.", "U.S.", "Gen."), collocations and frequent sentence starters
from raw text without labels. We train it on the open news and Kremlin texts in ``corpus/open``
and add a short hand-written list of abbreviations common in news that those texts may lack.

The same run counts how each word is written in mid-sentence (``common_words``): words written
in lower case there at least ``COMMON_LOWER_SHARE`` of the time (and at least
``COMMON_MIN_LOWER`` times) are ordinary words, so "However" or "People" opening a sentence is
not a name. Punkt's own orthographic flags only say *whether* a word was ever capitalised
mid-sentence, and in real text nearly every common word is, somewhere (headings, lists, a
quotation starting mid-sentence), so they cannot tell "however" from "Rice".
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

# Written by hand: titles and abbreviations frequent in English news copy.
EXTRA_ABBREVIATIONS = (
    "mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep rev st jr sr inc corp ltd co "
    "jan feb mar apr jun jul aug sep sept oct nov dec vs etc approx dept univ u.s u.k "
    "u.n e.g i.e a.m p.m"
).split()


def _plausible(abbreviation: str) -> bool:
    """Keep learned abbreviations with an inner period ("d.c") or of one or two letters ("j").

    On a corpus this small Punkt also learns ordinary words that happened to end sentences
    ("vain.", "dust."); treating those as abbreviations would glue sentences together.
    """
    return ("." in abbreviation.strip(".") or len(abbreviation) <= 2) and abbreviation.strip(". ") != ""


COMMON_LOWER_SHARE = 0.9
COMMON_MIN_LOWER = 3


def train(texts: Iterable[str]) -> dict:
    texts = list(texts)
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = False
    for text in texts:
        trainer.train(text, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    return {
        "about": "NLTK Punkt parameters trained by framing.models.punkt on corpus/open/*.jsonl",
        "abbrev_types": sorted({a for a in params.abbrev_types if _plausible(a)} | set(EXTRA_ABBREVIATIONS)),
        "collocations": sorted([list(pair) for pair in params.collocations]),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(sorted(params.ortho_context.items())),
        "common_words": common_words(texts, PunktSentenceTokenizer(params)),
    }


def common_words(texts: Iterable[str], splitter: PunktSentenceTokenizer) -> list[str]:
    """Words written in lower case in mid-sentence at least COMMON_LOWER_SHARE of the times they
    occur there (and at least COMMON_MIN_LOWER times). Mid-sentence: after a word or a comma,
    so that a capital after a quotation mark, a colon or a dash (a quotation or heading
    starting) does not count."""
    from framing.segment import TOKEN_RE

    lower: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for text in texts:
        for paragraph in text.split("\n"):
            for sentence in splitter.tokenize(paragraph):
                tokens = TOKEN_RE.findall(sentence)
                for previous, token in zip(tokens, tokens[1:]):
                    if not token[:1].isalpha() or not (previous[:1].isalnum() or previous == ","):
                        continue
                    if token.islower():
                        lower[token] += 1
                    elif token[0].isupper() and token[1:].islower():
                        capitalised[token.lower()] += 1
    return sorted(
        word for word, n in lower.items()
        if n >= COMMON_MIN_LOWER and n >= COMMON_LOWER_SHARE * (n + capitalised[word])
    )  # fmt: skip


def _texts(paths: Iterable[Path]) -> Iterable[str]:
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)["text"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path, help="JSONL files with a 'text' field")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    params = train(_texts(args.corpora))
    args.output.write_text(json.dumps(params, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

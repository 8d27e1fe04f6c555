"""Loaded language: lexicon cues, scare quotes and negation, split by voice.

Every finding is a span into the original text. A finding is a cue for a reader to check, not a
verdict: "regime" is name-calling in "the Biden regime" and technical in "the visa regime".

What is found
-------------
- **Lexicon matches** from the ``loaded`` lexicon (shipped: the hand lexicon
  ``framing/lexicons/loaded.tsv`` and the learned words of ``loaded_learned.tsv``, plus any
  user lexicon of the same name) with :mod:`framing.lexmatch`; categories pejorative,
  emotive, hyperbole, booster, hedge, doubt, intensifier, learned (and any a user lexicon
  adds). Each span carries its row's ``provenance`` (``hand``, ``learned``, ``user``; ``rule``
  for scare quotes) and, for a learned word, its ``score`` (the z-score it was learned with).
  A capitalised "May" next to a number is the month, not the hedge, and is skipped.
- **Scare quotes** (category ``scare_quote``, weight ``SCARE_QUOTE_WEIGHT``): a level-0, closed,
  one-paragraph quotation of at most ``SCARE_QUOTE_MAX_WORDS`` words that is not a full sentence
  (its content does not both start with a capital and end with . ! ? …, and it is not all there
  is of its sentence) and that nobody is named as saying: no reporting verb
  (``reporting_verbs.tsv``, e.g. said, called, slammed, praised) and no naming or title cue
  (``loaded_rules.tsv``, e.g. dubbed, termed, known as, according to, titled, book) in its
  clause before it, and its content is not in Title Case (the name of a work). The clause runs
  back to the sentence start or the nearest ; — – ( ) [ ]; commas and colons do not end it, so
  'He said, "nonsense"' stays attributed. Seed 001: 'on the phony pretext of "democracy"' is
  a scare quote; 'what he called a "new vitality ..."' is not (attributed, and long).

Voice
-----
A finding is in the **quoted** voice when it lies inside the content of a level-0 quotation
(``doc.quote_at``), otherwise in the **author** voice. Scare quotes are the author's voice: the
author chose to put those words forward (to mock or distance), so lexicon words inside them
count as the author's and are flagged ``in_scare_quote``. Words are counted per voice the same
way, token by token. A sentence's voice is the sentiment analyzer's (quoted when at least half
of its characters are quoted), so the VADER figures and the sentence figures agree.

Negation
--------
A lexicon match is ``negated`` when a negator (``loaded_rules.tsv``: not, no, never, n't,
neither, nor, without, hardly) is among the ``NEGATION_WINDOW`` (3) word tokens before it, with
no punctuation in between. A match never negates itself ("never" is also a hyperbole entry), and
a multi-word term that contains its negator ("not a single", "no doubt", "not clear") is its own
entry. Effect on the figures: the words were still put before the reader — "not a regime" still
introduces the label — so a negated match counts with its full weight and is flagged; the one
exception is certainty: a negated **booster** ("not clearly", "never certainly") is counted as a
**hedge** (its ``category`` becomes ``hedge``, ``lexicon_category`` keeps ``booster``).

Figures and the summary score
-----------------------------
For each voice (author, quoted) and overall: words, findings per 1,000 words, per category per
1,000 words, weighted findings (sum of weights) per 1,000 words, the share of sentences of that
voice with at least one finding in that voice, and VADER intensity (mean |compound| and share of
sentences with |compound| >= 0.5) from ``prior["sentiment"]``.

``loaded_score`` is computed from the author's voice only (the outlet's own wording)::

    lexical = 1 - exp(-W / SCORE_K)       W = weighted author findings per 1,000 author words
    loaded_score = LEXICAL_SHARE * lexical + (1 - LEXICAL_SHARE) * V
                                          V = author-voice VADER mean |compound|

It is in [0, 1], rises monotonically with both W and V, and is 0 for an article with no author
words. ``SCORE_K`` = 15: W = 15 (e.g. 25 cues of average weight 0.6 in 1,000 words) gives
lexical = 0.63. Measured with lexicon 1.0: Wikinews articles in ``corpus/open`` have a median
W of 2-3 (lexical ~0.15), Kremlin transcripts 4; the opinion seeds 6-32 (seed 001: W = 32,
lexical 0.88). V adds a floor of ~0.07-0.1 even for neutral news. See ``docs/loaded.md``.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from framing.analyzers import Analyzer, register
from framing.analyzers import sentiment as sentiment_analyzer
from framing.document import Document
from framing.lexmatch import LexiconMatch, LexiconMatcher, loaded_matcher, normalise
from framing.segment import is_word as _is_word_slow
from framing.segment import token_spans
from framing.spans import Quotation, Span

SCORE_K = 15.0
LEXICAL_SHARE = 0.75
SCARE_QUOTE_WEIGHT = 0.7
SCARE_QUOTE_MAX_WORDS = 4
NEGATION_WINDOW = 3
SCARE_QUOTE = "scare_quote"
_CLAUSE_BREAKS = frozenset(";—–()[]")
_SENTENCE_FINAL = frozenset(".!?…")
_FLIP_WHEN_NEGATED = {"booster": "hedge"}
VOICES = ("author", "quoted")


@dataclass(frozen=True, slots=True)
class LoadedSpan:
    start: int
    end: int
    text: str
    category: str  # as counted: a negated booster counts as "hedge"
    term: str
    weight: float
    voice: str  # "author" or "quoted"
    negated: bool
    in_scare_quote: bool = False
    lexicon_category: str = ""  # as listed in the lexicon ("scare_quote" for the rule)
    provenance: str = "hand"  # the lexicon row's: "hand", "learned" or "user"; "rule" for scare quotes
    score: float | None = None  # a learned row's z-score (how strongly annotators' data tie it to loading)


@dataclass(frozen=True, slots=True)
class LoadedSentence:
    start: int
    end: int
    voice: str
    matches: int  # findings inside the sentence, any voice
    weight: float  # their summed weight


@dataclass(frozen=True, slots=True)
class VoiceFigures:
    words: int
    sentences: int
    matches: int
    per_1000: float
    weighted_per_1000: float
    per_category_per_1000: Mapping[str, float]
    sentence_share: float
    negated: int
    scare_quotes: int
    vader_mean_abs_compound: float
    vader_strong_share: float


@dataclass(frozen=True, slots=True)
class LexiconInfo:
    name: str
    version: str
    terms: int


@dataclass(frozen=True)
class LoadedResult:
    lexicon: LexiconInfo
    categories: tuple[str, ...]
    spans: tuple[LoadedSpan, ...]
    sentences: tuple[LoadedSentence, ...]
    author: VoiceFigures
    quoted: VoiceFigures
    overall: VoiceFigures
    loaded_score: float
    # The lexicon matcher's own output per sentence (before the month and negation rules), so
    # that loaded_sentences can reuse it instead of matching the same tokens again. Not part of
    # the JSON record: the spans above are the evidence.
    lexicon_matches: tuple[tuple[LexiconMatch, ...], ...] = field(default=(), repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "lexicon_matches"}

    def figures(self) -> dict[str, float | int]:
        row: dict[str, float | int] = {
            "loaded_score": self.loaded_score,
            "loaded_per_1000": self.overall.per_1000,
            "loaded_weighted_per_1000": self.overall.weighted_per_1000,
            "loaded_sentence_share": self.overall.sentence_share,
            "loaded_scare_quotes": self.overall.scare_quotes,
            "loaded_negated": self.overall.negated,
        }
        for voice in VOICES:
            figures: VoiceFigures = getattr(self, voice)
            row[f"loaded_words_{voice}"] = figures.words
            row[f"loaded_matches_{voice}"] = figures.matches
            row[f"loaded_per_1000_{voice}"] = figures.per_1000
            row[f"loaded_weighted_per_1000_{voice}"] = figures.weighted_per_1000
            row[f"loaded_sentence_share_{voice}"] = figures.sentence_share
            for category, value in figures.per_category_per_1000.items():
                row[f"loaded_{category}_per_1000_{voice}"] = value
            # mean |compound| by voice is already a sentiment figure; the strong share is not.
            row[f"loaded_vader_strong_share_{voice}"] = figures.vader_strong_share
        return row


# -- rules (data in framing/lexicons/loaded_rules.tsv and reporting_verbs.tsv) ----------


@dataclass(frozen=True)
class _Rules:
    negators: frozenset[str]
    clitics: tuple[str, ...]  # negators written as word endings ("n't")
    cues: LexiconMatcher  # reporting verbs, naming and title cues


def _rules(resources: Any) -> _Rules:
    def build() -> _Rules:
        rules = resources.table("loaded_rules").rows
        negators = [normalise(r["term"]) for r in rules if r["rule"] == "negator"]
        cues = [(r["term"], r["rule"], 1.0, "exact") for r in rules if r["rule"] != "negator"]
        for row in resources.table("reporting_verbs").rows:
            cues.extend((form.strip(), "reporting", 1.0, "exact") for form in row["forms"].split(",") if form.strip())
        return _Rules(
            negators=frozenset(n for n in negators if "'" not in n),
            clitics=tuple(n for n in negators if "'" in n),
            cues=LexiconMatcher(cues, name="loaded-cues"),
        )

    return resources.memo("loaded:rules", build)


def is_word(token: str) -> bool:
    """``framing.segment.is_word``, with the common case (a letter or digit first) short-cut."""
    return token[:1].isalnum() or _is_word_slow(token)


def _lookup(text: str) -> str:
    """A token's lookup form, editorial brackets dropped: '(n)o' -> 'no'."""
    return normalise(text).replace("(", "").replace(")", "")


def _is_negator(word: str, rules: _Rules) -> bool:
    return word in rules.negators or any(word.endswith(c) and len(word) > len(c) for c in rules.clitics)


# -- scare quotes -----------------------------------------------------------------------


def _is_full_sentence(content: str) -> bool:
    stripped = content.strip().rstrip("\"'”’»")
    return bool(stripped) and stripped[0].isupper() and stripped[-1] in _SENTENCE_FINAL


def _is_title_case(words: list[str]) -> bool:
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    return bool(words) and words[0][:1].isupper() and bool(long_words) and all(w[0].isupper() for w in long_words)


def _clause_before(text: str, tokens: Sequence[Span], offset: int) -> list[Span]:
    """Tokens of the sentence before ``offset``, back to the nearest clause break."""
    clause: list[Span] = []
    for token in reversed(tokens):
        if token.start >= offset:
            continue
        if text[token.start : token.end] in _CLAUSE_BREAKS:
            break
        clause.append(token)
    clause.reverse()
    return clause


def find_scare_quotes(doc: Document, rules: _Rules) -> list[Quotation]:
    """Short, unattributed, non-sentence quotations in the author's voice (see module doc)."""
    text = doc.text
    starts = [s.start for s in doc.sentences]
    found = []
    for q in doc.quotations:
        if q.level != 0 or not q.closed or q.paragraphs != 1:
            continue
        words = [text[s:e] for s, e in token_spans(text, q.content_start, q.content_end) if is_word(text[s:e])]
        if not 1 <= len(words) <= SCARE_QUOTE_MAX_WORDS or _is_full_sentence(text[q.content_start : q.content_end]):
            continue
        index = bisect_right(starts, q.start) - 1
        if index < 0 or doc.sentences[index].end < q.end:
            continue  # not inside one sentence
        tokens = doc.sentence_tokens()[index]
        outside = [t for t in tokens if (t.end <= q.start or t.start >= q.end) and is_word(text[t.start : t.end])]
        if not outside:
            continue  # the quotation is its whole sentence
        clause = _clause_before(text, tokens, q.start)
        if rules.cues.find_in_tokens(text, clause) or _is_title_case(words):
            continue
        found.append(q)
    return found


# -- the analyzer -----------------------------------------------------------------------


def _is_month(text: str, tokens: Sequence[Span], index: int, match: LexiconMatch) -> bool:
    """A capitalised "May" next to a number is the month."""
    if match.term != "may" or not text[match.start].isupper():
        return False
    neighbours = [tokens[j] for j in (index - 1, index + 1) if 0 <= j < len(tokens)]
    return any(text[t.start].isdigit() for t in neighbours)


def _negated(text: str, tokens: Sequence[Span], index: int, rules: _Rules) -> bool:
    for j in range(index - 1, max(index - 1 - NEGATION_WINDOW, -1), -1):
        token = text[tokens[j].start : tokens[j].end]
        if not is_word(token):
            return False  # punctuation ends the clause
        if _is_negator(_lookup(token), rules):
            return True
    return False


def _voice_figures(
    voice: str | None,
    spans: Sequence[LoadedSpan],
    sentences: Sequence[LoadedSentence],
    sentence_spans: Sequence[Sequence[LoadedSpan]],
    words: int,
    categories: Sequence[str],
    vader: sentiment_analyzer.IntensityFigures,
) -> VoiceFigures:
    mine = [s for s in spans if voice is None or s.voice == voice]
    chosen = [i for i, s in enumerate(sentences) if voice is None or s.voice == voice]
    with_finding = sum(1 for i in chosen if any(voice is None or s.voice == voice for s in sentence_spans[i]))

    def rate(count: float) -> float:
        return 1000.0 * count / words if words else 0.0

    return VoiceFigures(
        words=words,
        sentences=len(chosen),
        matches=len(mine),
        per_1000=rate(len(mine)),
        weighted_per_1000=rate(sum(s.weight for s in mine)),
        per_category_per_1000={c: rate(sum(1 for s in mine if s.category == c)) for c in categories},
        sentence_share=with_finding / len(chosen) if chosen else 0.0,
        negated=sum(1 for s in mine if s.negated),
        scare_quotes=sum(1 for s in mine if s.category == SCARE_QUOTE),
        vader_mean_abs_compound=vader.mean_abs_compound,
        vader_strong_share=vader.strong_share,
    )


def summary_score(author_weighted_per_1000: float, author_vader_mean_abs: float) -> float:
    """``loaded_score``: see the module docstring for the formula."""
    lexical = 1.0 - math.exp(-max(author_weighted_per_1000, 0.0) / SCORE_K)
    return LEXICAL_SHARE * lexical + (1.0 - LEXICAL_SHARE) * min(max(author_vader_mean_abs, 0.0), 1.0)


def _provenance(resources: Any) -> dict[tuple[str, str], tuple[str, float | None]]:
    """(term, category) -> (provenance, score) of every row of the loaded lexicon."""

    def build() -> dict[tuple[str, str], tuple[str, float | None]]:
        found = {}
        for row in resources.table("loaded").rows:
            score = row.get("score") or ""
            found[(row["term"], row["category"])] = (row.get("provenance") or "user", float(score) if score else None)
        return found

    return resources.memo("loaded:provenance", build)


def analyze(doc: Document, resources: Any, prior: Mapping[str, Any] | None = None) -> LoadedResult:
    text = doc.text
    matcher = loaded_matcher(resources)
    provenance = _provenance(resources)
    rules = _rules(resources)
    sentiment = (prior or {}).get("sentiment")
    if sentiment is None or len(sentiment.sentences) != len(doc.sentences):
        sentiment = sentiment_analyzer.analyze(doc, resources, prior)

    scare_quotes = find_scare_quotes(doc, rules)
    scare_starts = {q.start for q in scare_quotes}

    def voice_at(offset: int) -> tuple[str, bool]:
        quote = doc.quote_at(offset)
        if quote is None:
            return "author", False
        if quote.start in scare_starts:
            return "author", True
        return "quoted", False

    spans: list[LoadedSpan] = []
    per_sentence: list[list[LoadedSpan]] = []
    raw_matches: list[tuple[LexiconMatch, ...]] = []
    words = {"author": 0, "quoted": 0}
    scare_by_start = {q.start: q for q in scare_quotes}
    # Level-0 quotations never overlap, so they are sorted by both content start and end: the
    # last one opening before a sentence ends is the only one that can reach into it. Sentences
    # that no quotation reaches (most of them) count their words as the author's without
    # looking up every token's voice, and hold no scare quote.
    outer = [q for q in doc.quotations if q.level == 0]
    outer_starts = [q.content_start for q in outer]

    def any_quote_in(start: int, end: int) -> bool:
        index = bisect_left(outer_starts, end) - 1
        return index >= 0 and outer[index].content_end > start

    sentence_words = doc.sentence_words()
    for k, (sentence, tokens, lookup) in enumerate(zip(doc.sentences, doc.sentence_tokens(), doc.sentence_lookups(), strict=True)):
        found: list[LoadedSpan] = []
        starts = [t.start for t in tokens]
        if not any_quote_in(sentence.start, sentence.end):
            words["author"] += len(sentence_words[k])
        else:
            for token in tokens:
                if is_word(text[token.start : token.end]):
                    words[voice_at(token.start)[0]] += 1
                quote = scare_by_start.get(token.start)
                if quote is not None:
                    found.append(
                        LoadedSpan(
                            quote.start, quote.end, text[quote.start : quote.end], SCARE_QUOTE,
                            normalise(text[quote.content_start : quote.content_end].strip()),
                            SCARE_QUOTE_WEIGHT, "author", False, True, SCARE_QUOTE, "rule",
                        )
                    )
        raw_matches.append(tuple(matcher.find_in_tokens(text, tokens, lookup)))
        for match in raw_matches[-1]:
            index = bisect_right(starts, match.start) - 1
            if _is_month(text, tokens, index, match):
                continue
            negated = _negated(text, tokens, index, rules)
            category = _FLIP_WHEN_NEGATED.get(match.category, match.category) if negated else match.category
            voice, in_scare = voice_at(match.start)
            origin, score = provenance.get((match.term, match.category), ("user", None))
            found.append(
                LoadedSpan(
                    match.start, match.end, text[match.start : match.end], category, match.term,
                    match.weight, voice, negated, in_scare, match.category, origin, score,
                )
            )
        found.sort(key=lambda s: (s.start, s.end))
        per_sentence.append(found)
        spans.extend(found)

    sentences = tuple(
        LoadedSentence(span.start, span.end, scored.voice, len(found), sum(s.weight for s in found))
        for span, scored, found in zip(doc.sentences, sentiment.sentences, per_sentence, strict=True)
    )
    categories = tuple(dict.fromkeys((*matcher.categories, *_FLIP_WHEN_NEGATED.values(), SCARE_QUOTE)))
    figures = {
        voice: _voice_figures(voice, spans, sentences, per_sentence, words[voice], categories, getattr(sentiment, voice))
        for voice in VOICES
    }
    overall = _voice_figures(None, spans, sentences, per_sentence, sum(words.values()), categories, sentiment.overall)
    author = figures["author"]
    return LoadedResult(
        lexicon=LexiconInfo(matcher.name, matcher.version, matcher.size),
        categories=categories,
        spans=tuple(spans),
        sentences=sentences,
        author=author,
        quoted=figures["quoted"],
        overall=overall,
        loaded_score=summary_score(author.weighted_per_1000, author.vader_mean_abs_compound),
        lexicon_matches=tuple(raw_matches),
    )


ANALYZER = register(
    Analyzer(
        name="loaded",
        version="2",
        analyze=analyze,
        requires=("sentiment",),
        description="loaded-language cues, scare quotes and negation, by voice",
    )
)

"""Sentiment intensity per sentence with VADER, split by voice.

VADER (Hutto & Gilbert 2014) scores each sentence's compound polarity in [-1, 1]. Framing
reports intensity, not direction: how strongly worded a sentence is, whichever way. A sentence
belongs to the quoted voice when most of its characters are inside a quotation, otherwise to
the author's voice, so an outlet is not charged with the intensity of the people it quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

from framing.analyzers import Analyzer, register
from framing.document import Document

STRONG = 0.5  # |compound| at or above this is a strongly polar sentence (VADER's own ±0.05 is too lax)


@dataclass(frozen=True, slots=True)
class SentenceSentiment:
    start: int
    end: int
    compound: float
    positive: float
    negative: float
    voice: str  # "author" or "quoted"


@dataclass(frozen=True, slots=True)
class IntensityFigures:
    sentences: int
    mean_abs_compound: float
    strong_share: float


@dataclass(frozen=True)
class SentimentResult:
    sentences: tuple[SentenceSentiment, ...]
    overall: IntensityFigures
    author: IntensityFigures
    quoted: IntensityFigures

    def figures(self) -> dict[str, float | int]:
        return {
            "vader_mean_abs_compound": self.overall.mean_abs_compound,
            "vader_strong_share": self.overall.strong_share,
            "vader_author_mean_abs_compound": self.author.mean_abs_compound,
            "vader_quoted_mean_abs_compound": self.quoted.mean_abs_compound,
        }


class Vader(SentimentIntensityAnalyzer):
    """vaderSentiment 3.3.2's analyzer, with the same scores, minus one pass that does nothing
    on text without emoji.

    ``polarity_scores`` first rebuilds the text character by character, replacing each emoji
    with its description: a Python loop over every character, about a sixth of VADER's time on
    news sentences. Without an emoji character the rebuilt text *is* the text, so that loop is
    skipped; the rest below is vaderSentiment's own code (MIT licence, C.J. Hutto), unchanged.
    Text with an emoji goes through vaderSentiment's method as it is. Tests compare both on
    every sentence of the corpus.
    """

    def __init__(self) -> None:
        super().__init__()
        # The loop tests one character at a time, so only one-character emoji can ever match.
        self._emoji_chars = frozenset(e for e in self.emojis if len(e) == 1)

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)
        text = text.strip()
        sentitext = SentiText(text)
        sentiments: list[float] = []
        words_and_emoticons = sentitext.words_and_emoticons
        for i, item in enumerate(words_and_emoticons):
            valence = 0
            if item.lower() in BOOSTER_DICT:
                sentiments.append(valence)
                continue
            if i < len(words_and_emoticons) - 1 and item.lower() == "kind" and words_and_emoticons[i + 1].lower() == "of":
                sentiments.append(valence)
                continue
            sentiments = self.sentiment_valence(valence, sentitext, item, i, sentiments)
        sentiments = self._but_check(words_and_emoticons, sentiments)
        return self.score_valence(sentiments, text)


def intensity(scores: list[float]) -> IntensityFigures:
    if not scores:
        return IntensityFigures(0, 0.0, 0.0)
    return IntensityFigures(
        sentences=len(scores),
        mean_abs_compound=sum(abs(c) for c in scores) / len(scores),
        strong_share=sum(abs(c) >= STRONG for c in scores) / len(scores),
    )


def analyze(doc: Document, resources: Any, prior: Any = None) -> SentimentResult:
    vader = resources.vader()
    sentences = []
    for span, voice in zip(doc.sentences, doc.sentence_voices(), strict=True):
        scores = vader.polarity_scores(doc.text[span.start : span.end])
        sentences.append(
            SentenceSentiment(span.start, span.end, scores["compound"], scores["pos"], scores["neg"], voice)
        )
    return SentimentResult(
        sentences=tuple(sentences),
        overall=intensity([s.compound for s in sentences]),
        author=intensity([s.compound for s in sentences if s.voice == "author"]),
        quoted=intensity([s.compound for s in sentences if s.voice == "quoted"]),
    )


ANALYZER = register(
    Analyzer(
        name="sentiment",
        version="1",
        analyze=analyze,
        description="VADER sentiment intensity per sentence, by voice",
    )
)

"""The sentiment analyzer's VADER scores exactly as vaderSentiment does, on real text."""
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from framing.analyzers.sentiment import Vader
from framing.document import Document
from tests.corpus_text import CORPUS, JSONL, _jsonl_texts

REFERENCE = SentimentIntensityAnalyzer()
FAST = Vader()


def corpus_sentences():
    """Every sentence of the seeds and the open corpora, as the pipeline hands them to VADER."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((CORPUS / "seeds").glob("*.txt"))]
    texts += [text for source in JSONL for text in _jsonl_texts(source).values()]
    for text in texts:
        doc = Document.from_text(text)
        yield from (doc.text[s.start : s.end] for s in doc.sentences)


def test_same_scores_as_vadersentiment_on_the_whole_corpus():
    sentences = list(corpus_sentences())
    assert len(sentences) > 10_000
    differing = [s for s in sentences if FAST.polarity_scores(s) != REFERENCE.polarity_scores(s)]
    assert differing == []


@pytest.mark.parametrize(
    "text",
    [
        # written for the tests: emoji (the path handed to vaderSentiment), emoticons, padding
        "Great news for Moscow 😀 but not for Kyiv",
        "The summit 👍👍 was a success",
        "  The talks were a disaster!!!  ",
        "\tSo happy :) with the deal\n",
        "",
        "   ",
        "THIS IS GOOD but the rest was terrible",
    ],
)
def test_same_scores_on_emoji_emoticons_and_whitespace(text):
    assert FAST.polarity_scores(text) == REFERENCE.polarity_scores(text)


def test_emoji_are_scored_through_their_descriptions():
    # The fast path must not swallow emoji: a smiling face carries positive valence in VADER.
    assert FAST.polarity_scores("The talks ended 😀")["compound"] > FAST.polarity_scores("The talks ended")["compound"]

"""The compiled lexicon matcher: match types, multi-word terms, hyphens, offsets."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from framing.lexicons import load_table
from framing.lexmatch import LexiconMatch, LexiconMatcher, loaded_matcher
from framing.pipeline import Resources
from tests.conftest import SEED_IDS, seed_text

# A small lexicon written for the tests.
TEST_LEXICON = """\
# name: test-loaded
# version: 0.1
# source: written for the tests
# license: CC-BY-4.0
# columns: term, category, weight, match, note
term\tcategory\tweight\tmatch\tnote
regime\tpejorative\t0.8\tstem
criminal regime\tpejorative\t0.95\tstem
slam\temotive\t0.6\tstem
war party\tpejorative\t0.9\texact
so-called\tdoubt\t0.8\texact
pseudo\tdoubt\t0.5\tprefix
dominate\temotive\t0.4\tstem
clearly\tbooster\t0.5\texact
won't\tbooster\t0.1\texact
"""


@pytest.fixture
def matcher(tmp_path: Path) -> LexiconMatcher:
    path = tmp_path / "test.tsv"
    path.write_text(TEST_LEXICON, encoding="utf-8")
    return LexiconMatcher.from_table(load_table(path))


def surfaces(matcher: LexiconMatcher, text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.term) for m in matcher.find(text)]


def test_stem_entries_match_inflections(matcher):
    text = "Ruling regimes kept slamming the regime; he slammed it."
    assert surfaces(matcher, text) == [
        ("regimes", "regime"),
        ("slamming", "slam"),
        ("regime", "regime"),
        ("slammed", "slam"),
    ]


def test_longest_multiword_term_wins_and_matches_do_not_overlap(matcher):
    text = "A criminal regime and its war party."
    found = matcher.find(text)
    assert [(text[m.start : m.end], m.term) for m in found] == [
        ("criminal regime", "criminal regime"),
        ("war party", "war party"),
    ]
    assert found[0] == LexiconMatch(2, 17, "criminal regime", "pejorative", 0.95)


def test_punctuation_breaks_multiword_terms(matcher):
    assert surfaces(matcher, "a war, party") == []


def test_exact_entries_do_not_match_inflections(matcher):
    assert surfaces(matcher, "war parties") == []


def test_hyphenated_token_is_looked_up_whole_then_by_parts(matcher):
    text = "the so-called vote in the US-dominated West and a pseudo-democracy in war-torn lands"
    assert surfaces(matcher, text) == [
        ("so-called", "so-called"),
        ("dominated", "dominate"),
        ("pseudo-democracy", "pseudo"),
    ]


def test_curly_apostrophes_are_normalised_for_lookup_only(matcher):
    text = "what clearly won’t happen"
    assert surfaces(matcher, text) == [("clearly", "clearly"), ("won’t", "won't")]


def test_find_respects_start_and_end(matcher):
    text = "regime. regime. regime."
    assert [m.start for m in matcher.find(text, 8, 15)] == [8]


def test_later_row_wins_for_the_same_term():
    matcher = LexiconMatcher([("regime", "pejorative", 0.8, "stem"), ("regime", "custom", 0.3, "stem")])
    (m,) = matcher.find("the regime")
    assert (m.category, m.weight) == ("custom", 0.3)
    assert matcher.categories == ("pejorative", "custom")


def test_unknown_match_type_is_refused_with_the_term():
    with pytest.raises(ValueError, match="'regime'.*unknown match 'fuzzy'"):
        LexiconMatcher([("regime", "pejorative", 0.8, "fuzzy")])


def test_shipped_matcher_is_built_once_per_resources_and_knows_its_lexicon():
    resources = Resources()
    matcher = loaded_matcher(resources)
    assert loaded_matcher(resources) is matcher
    assert matcher.name == "loaded-language" and matcher.version
    assert set(matcher.categories) == {
        "pejorative", "emotive", "hyperbole", "booster", "hedge", "doubt", "intensifier", "learned",
    }


@pytest.mark.parametrize("seed", SEED_IDS)
def test_offsets_round_trip_on_the_seeds(seed):
    text = seed_text(seed)
    matcher = loaded_matcher(Resources())
    found = matcher.find(text)
    assert found
    for m in found:
        surface = text[m.start : m.end]
        assert surface.strip() == surface and surface
    assert all(a.end <= b.start for a, b in pairwise(found))


@pytest.mark.parametrize("seed", SEED_IDS)
def test_token_kinds_and_precomputed_words_give_the_same_matches(seed):
    # What the analyzers pass (Token tuples with the document's lookup words) must match
    # exactly what plain offsets or Span objects give, with the words computed here.
    from framing.document import Document, Span

    doc = Document.from_text(seed_text(seed))
    matcher = loaded_matcher(Resources())
    total = 0
    for tokens, words in zip(doc.sentence_tokens(), doc.sentence_lookups(), strict=True):
        reference = matcher.find_in_tokens(doc.text, [Span(t.start, t.end) for t in tokens])
        assert matcher.find_in_tokens(doc.text, tokens, words) == reference
        assert matcher.find_in_tokens(doc.text, [(t.start, t.end) for t in tokens]) == reference
        total += len(reference)
    assert total >= 5


def test_seed_001_regime_and_phony_are_found():
    text = seed_text(SEED_IDS[1])
    found = {(text[m.start : m.end], m.category) for m in loaded_matcher(Resources()).find(text)}
    assert ("regime", "pejorative") in found
    assert ("regimes", "pejorative") in found
    assert ("phony", "doubt") in found

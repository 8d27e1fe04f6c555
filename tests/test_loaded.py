"""The loaded-language analyzer on the seed articles, plus sentences written for the tests."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import analyzers
from framing.analyzers.loaded import LoadedResult, LoadedSpan, summary_score
from framing.document import Document
from framing.lexicons import LexiconError
from framing.pipeline import Resources, analyze
from framing.results import to_jsonable
from tests.conftest import CORPUS, SEED_IDS, seed_id, seed_text

RESOURCES = Resources()


def loaded(doc: Document, resources: Resources = RESOURCES) -> LoadedResult:
    return analyze(doc, analyzers=["loaded"], resources=resources).analyses["loaded"]


@pytest.fixture(scope="module")
def results(seed_docs) -> dict[str, LoadedResult]:
    return {key: loaded(doc) for key, doc in seed_docs.items()}


def span_at(result: LoadedResult, text: str, phrase: str, word: str) -> LoadedSpan:
    """The finding that covers ``word`` where it occurs inside ``phrase`` in ``text``."""
    start = text.index(phrase) + phrase.index(word)
    (span,) = [s for s in result.spans if s.start <= start < s.end and s.category != "scare_quote"]
    assert text[span.start : span.end] == span.text
    return span


def written(text: str) -> LoadedResult:
    return loaded(Document.from_text(text, id="written-for-the-tests"))


# -- categories, voice and inflections on the seeds --------------------------------------


def test_biden_regime_is_the_authors_pejorative_label(results, seed_docs):
    span = span_at(results["001"], seed_docs["001"].text, "the Biden regime's threat", "regime")
    assert (span.category, span.voice, span.negated) == ("pejorative", "author", False)


def test_inflected_regimes_match_the_stem_entry(results, seed_docs):
    span = span_at(results["001"], seed_docs["001"].text, "their ruling regimes assault", "regimes")
    assert (span.term, span.category, span.voice) == ("regime", "pejorative", "author")


def test_phony_pretext_is_the_authors_doubt(results, seed_docs):
    text = seed_docs["001"].text
    for word in ("phony", "pretext"):
        span = span_at(results["001"], text, "on the phony pretext of", word)
        assert (span.category, span.voice) == ("doubt", "author")


def test_diabolical_agenda_is_emotive(results, seed_docs):
    span = span_at(results["000"], seed_docs["000"].text, "diabolical agenda", "diabolical")
    assert (span.category, span.voice) == ("emotive", "author")


def test_multiword_terms_match_as_one_span(results, seed_docs):
    war_party = span_at(results["000"], seed_docs["000"].text, "its war party abhor", "war party")
    assert (war_party.text, war_party.category) == ("war party", "pejorative")
    again = span_at(results["001"], seed_docs["001"].text, "time and again", "time")
    assert (again.text, again.category) == ("time and again", "hyperbole")


def test_unprecedented_in_putins_quote_is_the_quoted_voice(results, seed_docs):
    span = span_at(results["000"], seed_docs["000"].text, "an unprecedented level", "unprecedented")
    assert (span.category, span.voice) == ("hyperbole", "quoted")


def test_ryabkovs_toxic_source_is_the_quoted_voice(results, seed_docs):
    text = seed_docs["001"].text
    toxic = span_at(results["001"], text, "this toxic source of permanent hostile actions", "toxic")
    hostile = span_at(results["001"], text, "permanent hostile actions", "hostile")
    assert (toxic.category, toxic.voice) == ("emotive", "quoted")
    assert (hostile.category, hostile.voice) == ("emotive", "quoted")


def test_clearly_wont_happen_is_an_unnegated_author_booster(results, seed_docs):
    span = span_at(results["001"], seed_docs["001"].text, "what clearly won't happen", "clearly")
    assert (span.category, span.voice, span.negated) == ("booster", "author", False)


def test_month_may_is_not_a_hedge(results, seed_docs):
    text = seed_docs["000"].text
    at = text.index("In May 2019") + 3
    assert not [s for s in results["000"].spans if s.start == at]


# -- scare quotes --------------------------------------------------------------------------


def scare_texts(result: LoadedResult) -> set[str]:
    return {s.text.strip("\"“”‘’") for s in result.spans if s.category == "scare_quote"}


def test_democracy_on_a_phony_pretext_is_a_scare_quote(results):
    (span,) = [s for s in results["001"].spans if s.category == "scare_quote" and "democracy" in s.text]
    assert (span.text, span.voice, span.weight > 0) == ('"democracy"', "author", True)


def test_attributed_quotations_are_not_scare_quotes(results):
    found = scare_texts(results["001"])
    assert "model" not in found  # 'Both leaders praised "model" Sino/Russia relations'
    assert "forces in the world" not in found  # 'He slammed "forces in the world"'
    assert not any(t.startswith("new vitality") for t in found)  # 'what he called a "new vitality ...'


def test_lexicon_words_inside_a_scare_quote_are_the_authors():
    result = written('They call it peace; we see a "diabolical scheme" at work.')
    assert scare_texts(result) == {"diabolical scheme"}
    (word,) = [s for s in result.spans if s.term == "diabolical"]
    assert (word.voice, word.in_scare_quote) == ("author", True)


def test_a_quoted_full_sentence_or_a_title_is_not_a_scare_quote():
    result = written('He wrote "Stop." Then the book "Waging Financial War" sold out; we read "Banker Occupation" twice.')
    assert scare_texts(result) == set()


# -- negation ------------------------------------------------------------------------------


def test_a_negated_label_still_counts_and_is_flagged():
    result = written("This is not a regime. This is a regime.")
    first, second = [s for s in result.spans if s.term == "regime"]
    assert (first.negated, first.category, first.weight) == (True, "pejorative", second.weight)
    assert second.negated is False
    assert result.author.per_category_per_1000["pejorative"] == pytest.approx(1000 * 2 / result.author.words)
    assert result.figures()["loaded_negated"] == 1


def test_a_negated_booster_counts_as_a_hedge():
    result = written("The outcome was not clearly decided.")
    (span,) = [s for s in result.spans if s.term == "clearly"]
    assert (span.negated, span.category, span.lexicon_category) == (True, "hedge", "booster")
    assert result.author.per_category_per_1000["booster"] == 0


def test_punctuation_and_distance_end_negation_and_never_does_not_negate_itself():
    result = written("It is not, clearly, decided. No one here ever said it was truly a regime. They will never surrender.")
    negated = {s.text: s.negated for s in result.spans}
    assert negated["clearly"] is False
    assert negated["regime"] is False  # "No" is more than 3 words before
    assert negated["never"] is False


def test_seed_no_attempt_to_sow_discord_is_negated_in_the_quoted_voice(results, seed_docs):
    span = span_at(results["001"], seed_docs["001"].text, "attempt to sow discord", "sow")
    assert (span.text, span.negated, span.voice) == ("sow discord", True, "quoted")


# -- figures are explained by the spans ------------------------------------------------------


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_figures_recomputed_from_spans(results, seed_docs, key):
    result, doc = results[key], seed_docs[key]
    for voice in ("author", "quoted"):
        figures = getattr(result, voice)
        mine = [s for s in result.spans if s.voice == voice]
        assert figures.per_1000 == pytest.approx(1000 * len(mine) / figures.words)
        assert figures.weighted_per_1000 == pytest.approx(1000 * sum(s.weight for s in mine) / figures.words)
        for category, rate in figures.per_category_per_1000.items():
            assert rate == pytest.approx(1000 * sum(s.category == category for s in mine) / figures.words)
        sentences = [s for s in result.sentences if s.voice == voice]
        hit = [s for s in sentences if any(x.voice == voice and s.start <= x.start < s.end for x in mine)]
        assert figures.sentence_share == pytest.approx(len(hit) / len(sentences))
    assert result.author.words + result.quoted.words == doc.word_count
    assert sum(s.matches for s in result.sentences) == len(result.spans)
    assert result.loaded_score == pytest.approx(
        summary_score(result.author.weighted_per_1000, result.author.vader_mean_abs_compound)
    )


def test_opinion_seed_scores_above_wikinews(results):
    with open(CORPUS / "open" / "wikinews-gum.jsonl", encoding="utf-8") as handle:
        wiki = [loaded(Document.from_text(json.loads(line)["text"])).loaded_score for line in handle]
    assert results["001"].loaded_score > max(wiki)


def test_result_carries_the_lexicon_and_serialises(results):
    result = results["001"]
    assert (result.lexicon.name, result.lexicon.terms > 100) == ("loaded-language", True)
    data = to_jsonable(result)
    assert {"start", "end", "text", "category", "term", "weight", "voice", "negated"} <= set(data["spans"][0])
    assert set(data["sentences"][0]) >= {"start", "end", "voice", "matches"}
    figures = result.figures()
    for category in ("pejorative", "emotive", "hyperbole", "booster", "hedge", "doubt", "intensifier", "scare_quote"):
        assert f"loaded_{category}_per_1000_author" in figures
    assert "vader_author_mean_abs_compound" not in figures  # the sentiment analyzer's figure


def test_registered_with_its_sentiment_requirement():
    analyzer = analyzers.get("loaded")
    assert analyzer.requires == ("sentiment",)
    assert [a.name for a in analyzers.resolve(["loaded"])] == ["sentiment", "loaded"]


# -- user lexicons -------------------------------------------------------------------------

USER_HEADER = """\
# name: loaded-language
# version: 0.1
# source: written for the tests
# license: CC-BY-4.0
# columns: term, category, weight, match, note
term\tcategory\tweight\tmatch\tnote
"""


def test_a_user_lexicon_adds_a_term_and_a_category(tmp_path: Path):
    path = tmp_path / "mine.tsv"
    path.write_text(USER_HEADER + "slam\temotive\t0.6\tstem\nbarricade\tmilitarist\t0.5\tstem\n", encoding="utf-8")
    resources = Resources(lexicon_files=[path])
    doc = Document.from_text(seed_text(seed_id("001")), id="001")
    result = loaded(doc, resources)
    slammed = span_at(result, doc.text, "He slammed", "slammed")
    assert (slammed.term, slammed.category, slammed.voice) == ("slam", "emotive", "author")
    barricade = span_at(result, doc.text, "to barricade (itself)", "barricade")
    assert (barricade.category, barricade.voice) == ("militarist", "quoted")
    assert result.figures()["loaded_militarist_per_1000_quoted"] > 0
    assert "user-0.1" in result.lexicon.version
    assert "slamming" in [s.text for s in written_with(resources, "They keep slamming the door.").spans]


def written_with(resources: Resources, text: str) -> LoadedResult:
    return loaded(Document.from_text(text, id="written-for-the-tests"), resources)


# -- provenance: hand, learned and user words ------------------------------------------------


def _first_learned_row():
    from framing.lexicons import load_table

    return load_table("loaded_learned").rows[0]


def test_spans_carry_their_provenance_and_a_learned_words_score():
    row = _first_learned_row()
    # Written for the tests: a hand word (regime), a learned word, a scare quote.
    result = written(f'The regime is {row["term"]}; its "friends" fool nobody.')
    by_text = {span.text.lower(): span for span in result.spans}
    assert (by_text["regime"].provenance, by_text["regime"].score) == ("hand", None)
    learned = by_text[row["term"]]
    assert (learned.category, learned.provenance) == ("learned", "learned")
    assert learned.score == pytest.approx(float(row["score"])) and learned.weight == pytest.approx(float(row["weight"]))
    assert by_text['"friends"'].provenance == "rule"
    assert {"provenance", "score"} <= set(to_jsonable(result)["spans"][0])


def test_a_user_lexicon_in_the_format_without_provenance_columns_is_provenance_user(tmp_path: Path):
    path = tmp_path / "mine.tsv"
    path.write_text(USER_HEADER + "barricade\tmilitarist\t0.5\tstem\n", encoding="utf-8")
    result = written_with(Resources(lexicon_files=[path]), "They barricaded the road.")
    (span,) = [s for s in result.spans if s.category == "militarist"]
    assert (span.provenance, span.score) == ("user", None)


def test_a_user_lexicon_in_the_provenance_format_adds_its_rows_as_written(tmp_path: Path):
    path = tmp_path / "mine.tsv"
    header = USER_HEADER.replace("match, note", "match, provenance, score, sources, note").replace(
        "match\tnote", "match\tprovenance\tscore\tsources\tnote"
    )
    path.write_text(header + "barricade\tmilitarist\t0.5\tstem\tlearned\t2.5\tmy newsroom's labels\t\n", encoding="utf-8")
    result = written_with(Resources(lexicon_files=[path]), "They barricaded the road.")
    (span,) = [s for s in result.spans if s.category == "militarist"]
    assert (span.provenance, span.score) == ("learned", 2.5)


def test_a_user_lexicon_replaces_the_learned_words_with_replace_categories(tmp_path: Path):
    row = _first_learned_row()
    path = tmp_path / "mine.tsv"
    path.write_text(USER_HEADER + "barricade\tlearned\t0.5\tstem\n", encoding="utf-8")
    text = f"They barricaded the road and called it {row['term']}."
    added = written_with(Resources(lexicon_files=[path]), text)
    assert {s.text.lower() for s in added.spans if s.category == "learned"} == {"barricaded", row["term"]}
    replaced = written_with(Resources(lexicon_files=[path], replace_categories=True), text)
    assert [s.text for s in replaced.spans if s.category == "learned"] == ["barricaded"]
    assert replaced.spans[0].provenance == "user"


def test_a_user_lexicon_with_unknown_columns_is_refused(tmp_path: Path):
    path = tmp_path / "mine.tsv"
    header = USER_HEADER.replace("match, note", "match, colour, note").replace("match\tnote", "match\tcolour\tnote")
    path.write_text(header + "barricade\tmilitarist\t0.5\tstem\tred\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="has columns term, category, weight, match, colour, note; expected"):
        loaded(Document.from_text("They barricaded the road.", id="x"), Resources(lexicon_files=[path]))


def test_a_bad_user_lexicon_fails_with_file_and_line(tmp_path: Path):
    path = tmp_path / "bad.tsv"
    path.write_text(USER_HEADER + "slam\temotive\tstrong\tstem\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"{path}:7: weight 'strong'"):
        Resources(lexicon_files=[path])


# -- properties ------------------------------------------------------------------------------


def check_invariants(doc: Document, result: LoadedResult) -> None:
    for span in result.spans:
        assert doc.text[span.start : span.end] == span.text
        assert span.voice in ("author", "quoted")
    for key, value in result.figures().items():
        assert math.isfinite(value) and value >= 0, key
        if "share" in key or key == "loaded_score":
            assert value <= 1, key


@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_spans_round_trip(seed):
    doc = Document.from_text(seed_text(seed), id=seed)
    check_invariants(doc, loaded(doc))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_unicode_is_analyzed_with_round_tripping_spans(text):
    doc = Document.from_text(text)
    check_invariants(doc, loaded(doc))


WORDS = st.sampled_from(
    ['regime', 'not', '"democracy"', "clearly", "never", "won’t", "so-called", ",", ".", "said", "“toxic", "source”",
     "war", "party", "US-dominated", "é", "\n\n", "(n)o", "'", "—", "May", "2019"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=40))
def test_news_like_word_soup_is_analyzed_with_round_tripping_spans(words):
    text = " ".join(words)
    doc = Document.from_text(text)
    check_invariants(doc, loaded(doc))

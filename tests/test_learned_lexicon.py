"""The learned lexicon: weighted log-odds with an informative Dirichlet prior over labelled
sets, the exclusion rules, the choice of threshold and the table it writes. The sentences are
written for the tests (two small "sets" labelled by hand as loaded or neutral)."""

from __future__ import annotations

import pytest

from framing.lexicons import load_shipped, load_table
from framing.models.learned_lexicon import (
    CATEGORY,
    MIN_Z_CANDIDATES,
    LabelledSet,
    _Learner,
    choose_min_z,
    learn,
    learned_table,
    write_table,
)

# Loaded sentences use "sleazy" (in both sets), "banana" (only set A's loaded sentences;
# set B uses it in neutral ones), the name "Zorbania" (capitalised), "sanctions" (a reviewed
# topic word) and "regime" (a hand-lexicon word).
SET_A = LabelledSet(
    "set A",
    [
        "The sleazy decision shocked everyone in Zorbania.",
        "A sleazy banana tax on the poor, imposed by the regime.",
        "This sleazy banana scheme insults every voter.",
        "Sleazy sanctions hit the poorest families hardest.",
        "The regime's sleazy banana lies must stop.",
        "Zorbania suffers under sleazy sanctions again.",
        "The council met on Tuesday to discuss the budget.",
        "Officials published the annual report in March.",
        "The committee will vote on the proposal next week.",
        "Rainfall was slightly above average this spring.",
        "The minister visited two schools on Monday.",
        "Sanctions were discussed at the meeting in Zorbania.",
    ],
    [True] * 6 + [False] * 6,
)
SET_B = LabelledSet(
    "set B",
    [
        "Such sleazy claims deserve nothing but contempt.",
        "The sleazy plan betrays the workers once more.",
        "A sleazy attack on the free press, again.",
        "The regime keeps telling sleazy stories.",
        "The market sold a banana for two coins.",
        "A banana shipment arrived at the port on Friday.",
        "The banana harvest was larger than last year.",
        "Workers repaired the bridge over the weekend.",
        "The library opens at nine in the morning.",
        "The report lists sanctions imposed since 2019.",
    ],
    [True] * 4 + [False] * 6,
)
WRITTEN = SET_A.texts + SET_B.texts


@pytest.fixture(scope="module")
def learner():
    return _Learner([SET_A, SET_B])


def test_a_word_loaded_in_both_sets_is_learned_with_each_sets_z(learner):
    words = {w.term: w for w in learner.learn([0, 1], min_z=0.5)}
    sleazy = words["sleazy"]
    assert sleazy.z > 0.5 and [name for name, _ in sleazy.per_set] == ["set A", "set B"]
    assert all(z > 0 for _, z in sleazy.per_set)
    assert sleazy.z == pytest.approx(sum(z for _, z in sleazy.per_set) / 2**0.5)
    assert 0 < sleazy.weight <= 1


def test_a_word_loaded_in_one_set_only_is_not_learned(learner):
    assert "banana" not in {w.term for w in learner.learn([0, 1], min_z=0.0)}
    # learned from set A alone (one set: z > 0 there is enough), it is
    assert "banana" in {w.term for w in learner.learn([0], min_z=0.0)}


def test_names_topic_words_and_hand_words_are_left_out(learner):
    terms = {w.term for w in learner.learn([0, 1], min_z=-10.0)}
    assert "zorbania" not in terms  # capitalised mid-sentence: a name
    assert "sanctions" not in terms  # in loaded_learned_stop.tsv
    assert "regime" not in terms  # a hand-lexicon word
    assert "the" not in terms and "must" not in terms  # stop words


def test_everyday_news_words_are_left_out(learner):
    from framing.lexmatch import stem

    # the 300 most frequent content words of corpus/open (Wikinews, Kremlin transcripts)
    assert len(learner.common) == 300 and {stem("make"), stem("political")} <= learner.common
    assert stem("sleazy") not in learner.common
    shipped = {stem(r["term"]) for r in load_table("loaded_learned").rows}
    assert not shipped & learner.common


def test_the_threshold_is_chosen_by_leaving_each_set_out(learner):
    min_z, scores = choose_min_z(learner)
    assert set(scores) == set(MIN_Z_CANDIDATES) and min_z in MIN_Z_CANDIDATES
    assert scores[min_z] == max(scores.values())
    single, nothing = choose_min_z(_Learner([SET_A]))
    assert nothing == {} and single in MIN_Z_CANDIDATES


def test_the_table_round_trips_through_the_strict_loader_and_holds_no_sentence(tmp_path):
    lexicon = learn([SET_A, SET_B], min_z=0.5)
    path = tmp_path / "learned.tsv"
    write_table(learned_table(lexicon, version="test"), path)
    table = load_table(path)
    assert table.name == "loaded-language" and table.columns == load_table("loaded").columns
    assert "set A, set B" in table.meta["source"]
    row = next(r for r in table.rows if r["term"] == "sleazy")
    assert (row["category"], row["provenance"], row["match"]) == (CATEGORY, "learned", "stem")
    assert float(row["score"]) == pytest.approx(next(w.z for w in lexicon.words if w.term == "sleazy"), abs=0.01)
    assert row["sources"].startswith("set A z=") and "; set B z=" in row["sources"]
    written = path.read_text(encoding="utf-8")
    assert not any(sentence in written for sentence in WRITTEN)


def test_the_shipped_learned_words_are_read_with_the_hand_lexicon():
    combined = load_shipped("loaded")
    learned = [r for r in combined.rows if r["provenance"] == "learned"]
    assert learned and all(r["category"] == CATEGORY for r in learned)
    assert len(combined.rows) == len(load_table("loaded").rows) + len(learned)

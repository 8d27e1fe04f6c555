"""Story clustering (framing.stories) on texts written for the tests, and outlet effects measured
within stories (framing.report.stories) on constructed figure tables."""

from __future__ import annotations

import json
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from framing.cli import main
from framing.report.stories import effect_figures, within_story_effects
from framing.stories import STORY_COLUMNS, StoryIndex, date_range, find_stories, read_stories
from tests.story_texts import LATER_RATES, OUTLETS, story_articles


def later_rates() -> dict:
    date, outlet, title, text = LATER_RATES
    return {"id": "rates-later", "text": text, "metadata": {"title": title, "outlet": outlet, "date": date}}


def groups(stories) -> set[frozenset[str]]:
    return {frozenset(ids.split("; ")) for ids in stories.stories["article_ids"]}


def gold(articles) -> set[frozenset[str]]:
    by_event: dict[str, set[str]] = {}
    for a in articles:
        by_event.setdefault(a["event"], set()).add(a["id"])
    return {frozenset(ids) for ids in by_event.values()}


# --------------------------------------------------------------------------- clustering


def test_three_events_told_by_three_outlets_in_their_own_words_are_three_stories():
    articles = story_articles()
    found = find_stories(articles)
    assert groups(found) == gold(articles)
    assert list(found.stories.columns) == list(STORY_COLUMNS)
    assert (found.stories["n_outlets"] == 3).all() and (found.stories["n_articles"] == 3).all()
    assert set(found.stories["outlets"]) == {"; ".join(sorted(OUTLETS))}
    terms = dict(zip(found.stories["article_ids"].str.split("; ").str[0].str.split("-").str[0], found.stories["top_terms"]))
    assert "tamsin" in terms["flood"] and "kestrel" in terms["strike"] and "halvorsen" in terms["rates"]


def test_a_later_decision_on_the_same_subject_is_kept_apart_by_the_date_window_only():
    articles = story_articles() + [later_rates()]
    with_dates = find_stories(articles)
    assert frozenset({"rates-later"}) in groups(with_dates)
    without_dates = find_stories(articles, window_days=None)
    (rates,) = [g for g in groups(without_dates) if "rates-later" in g]
    assert rates == {"rates-later", "rates-city", "rates-daily", "rates-morning"}  # the words alone join them
    assert without_dates.settings.window_days is None


def test_partial_dates_stand_for_their_whole_month_or_year():
    assert date_range("2025-03-04T10:00:00Z") == (date_range("2025-03-04")[0],) * 2
    first, last = date_range("2024-02")
    assert last - first == 28  # a leap February
    first, last = date_range("2021")
    assert last - first == 364
    assert date_range("March 2021") is None and date_range("2021-13") is None and date_range(None) is None
    articles = story_articles()
    for a in articles:
        if a["event"] == "rates":
            a["metadata"]["date"] = "2025-03"  # the month of the decision: still within the window
    assert groups(find_stories(articles)) == gold(articles)
    for a in articles:
        if a["id"] == "rates-city":
            a["metadata"]["date"] = "2024"  # a year earlier: too far from the others
    assert frozenset({"rates-city"}) in groups(find_stories(articles))


def test_stories_do_not_depend_on_the_order_of_the_articles():
    articles = story_articles() + [later_rates()]
    expected = find_stories(articles)
    shuffled = articles[:]
    random.Random(3).shuffle(shuffled)
    again = find_stories(shuffled)
    pd.testing.assert_frame_equal(expected.stories, again.stories)
    pd.testing.assert_frame_equal(expected.articles, again.articles)


def test_a_high_threshold_leaves_every_article_alone_and_one_neighbour_still_links_pairs():
    articles = story_articles()
    assert (find_stories(articles, threshold=0.99).stories["n_articles"] == 1).all()
    pairs_only = find_stories(articles, neighbours=1)
    assert all(len(g) <= 3 for g in groups(pairs_only)) and any(len(g) >= 2 for g in groups(pairs_only))
    assert all(len({a.split("-")[0] for a in g}) == 1 for g in groups(pairs_only))  # never across events


def test_story_index_refuses_duplicates_and_bad_settings_and_handles_no_articles():
    index = StoryIndex()
    index.add("a", "Some words about a flood in a town.")
    with pytest.raises(ValueError, match="duplicate article id 'a'"):
        index.add("a", "Other words.")
    with pytest.raises(ValueError, match="threshold"):
        index.cluster(threshold=1.5)
    with pytest.raises(ValueError, match="neighbours"):
        index.cluster(neighbours=0)
    with pytest.raises(TypeError, match="single string"):
        find_stories("not a list")
    empty = find_stories([])
    assert empty.stories.empty and empty.articles.empty and list(empty.stories.columns) == list(STORY_COLUMNS)
    alone = index.cluster()
    assert alone.stories["article_ids"].tolist() == ["a"] and alone.stories["outlets"].tolist() == ["unknown"]


def test_an_article_of_stop_words_only_is_a_story_of_its_own():
    found = find_stories(story_articles() + [{"id": "empty", "text": "and the of it", "metadata": {}}])
    assert frozenset({"empty"}) in groups(found)


def test_read_stories_takes_a_corpus_and_the_cli_writes_the_tables(tmp_path):
    corpus = tmp_path / "articles.jsonl"
    with open(corpus, "w", encoding="utf-8") as handle:
        for a in story_articles():
            handle.write(json.dumps({"id": a["id"], "text": a["text"], **a["metadata"]}) + "\n")
        handle.write('{"id": "broken", "text": \n')  # a bad line: rejected, the rest grouped
    rejects = []
    found = read_stories([str(corpus)], on_reject=rejects.append)
    assert groups(found) == gold(story_articles()) and [r.id for r in rejects] == [None]
    out, per_article = tmp_path / "stories.csv", tmp_path / "articles.csv"
    status = main(["stories", str(corpus), "-o", str(out), "--articles", str(per_article), "--quiet"])
    assert status == 3  # finished, with a rejected record
    table = pd.read_csv(out)
    assert list(table.columns) == list(STORY_COLUMNS) and len(table) == 3
    assert set(pd.read_csv(per_article)["story"]) == set(table["story"])
    status = main(["stories", str(corpus), "-o", str(out), "--min-outlets", "4", "--quiet"])
    assert status == 3 and pd.read_csv(out).empty


def test_cli_refuses_contradicting_date_options(tmp_path, capsys):
    corpus = tmp_path / "a.jsonl"
    corpus.write_text(json.dumps({"id": "x", "text": "words"}) + "\n", encoding="utf-8")
    assert main(["stories", str(corpus), "--no-dates", "--window-days", "3"]) == 1
    assert "contradict" in capsys.readouterr().err


# --------------------------------------------------------------------------- within-story effects


def balanced_table(seed: int = 0) -> pd.DataFrame:
    """Every outlet covers every story with two articles; figures differ by outlet and story."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(8):
        topic = rng.normal(0, 1)
        for o, shift in (("A", 0.5), ("B", 0.0), ("C", -0.2)):
            for k in range(2):
                rows.append({"id": f"{s}-{o}-{k}", "outlet": o, "story": f"s{s}",
                             "loaded_score": topic + shift + rng.normal(0, 0.1), "sources_official_share": rng.random()})
    return pd.DataFrame(rows)


def test_within_story_effects_equal_the_raw_differences_when_every_outlet_covers_every_story_equally():
    table = balanced_table()
    effects = within_story_effects(table, n_boot=500)
    assert len(effects) == 6 and (effects["stories"] == 8).all() and (effects["story_articles"] == 16).all()
    np.testing.assert_allclose(effects["within"], effects["raw_difference"], atol=1e-12)
    loaded = effects[effects["figure"] == "loaded_score"].set_index("outlet")
    assert loaded.loc["A", "within"] > 0.4 and loaded.loc["C", "within"] < 0  # the outlets' own shifts
    assert (loaded["within_low"] <= loaded["within"]).all() and (loaded["within"] <= loaded["within_high"]).all()


def test_within_story_effects_remove_a_pure_difference_of_topics():
    """A and B write identically on the stories both cover (same figure per story), but A also
    covers war stories, where everyone's figure is high, alone: the raw averages differ, the
    within-story effects are zero."""
    rows = []
    for s in range(6):
        level = 0.1 + 0.05 * s
        for o in ("A", "B"):
            rows.append({"id": f"shared{s}-{o}", "outlet": o, "story": f"shared{s}", "loaded_score": level})
    for s in range(4):
        rows.append({"id": f"war{s}-A", "outlet": "A", "story": f"war{s}", "loaded_score": 0.8})
    effects = within_story_effects(pd.DataFrame(rows), ["loaded_score"], n_boot=200).set_index("outlet")
    assert effects.loc["A", "raw_mean"] > effects.loc["B", "raw_mean"] + 0.2
    assert effects.loc["A", "raw_difference"] > 0.2
    assert effects.loc["A", "within"] == pytest.approx(0.0) and effects.loc["B", "within"] == pytest.approx(0.0)
    assert effects.loc["A", "stories"] == 6  # the war stories (one outlet) do not enter
    assert effects.loc["A", "within_low"] == pytest.approx(0.0) and effects.loc["A", "within_high"] == pytest.approx(0.0)


def test_each_other_outlet_weighs_the_same_in_a_story_and_undefined_figures_are_left_out():
    rows = [
        {"id": "a1", "outlet": "A", "story": "s", "x": 1.0},
        {"id": "b1", "outlet": "B", "story": "s", "x": 0.0},
        {"id": "b2", "outlet": "B", "story": "s", "x": 0.0},
        {"id": "b3", "outlet": "B", "story": "s", "x": 0.0},
        {"id": "c1", "outlet": "C", "story": "s", "x": 0.5},
        {"id": "c2", "outlet": "C", "story": "s", "x": np.nan},  # undefined: left out of C's mean
        {"id": "d1", "outlet": "D", "story": "s", "x": np.nan},  # no defined figure: not an "other outlet"
    ]
    effects = within_story_effects(pd.DataFrame(rows), ["x"], n_boot=100).set_index("outlet")
    assert effects.loc["A", "within"] == pytest.approx(1.0 - (0.0 + 0.5) / 2)  # outlets B and C weigh 1/2 each
    assert effects.loc["C", "within"] == pytest.approx(0.5 - 0.5)
    assert effects.loc["C", "story_articles"] == 1 and effects.loc["C", "raw_articles"] == 1
    assert np.isnan(effects.loc["D", "within"]) and effects.loc["D", "stories"] == 0
    assert np.isnan(effects.loc["A", "within_low"])  # one story: no interval


def test_within_story_effects_do_not_depend_on_row_order_and_are_seeded():
    table = balanced_table(seed=4)
    table.loc[table.sample(frac=0.5, random_state=1).index, "story"] = "s-late"  # uneven coverage
    one = within_story_effects(table, n_boot=300, seed=7)
    two = within_story_effects(table.sample(frac=1.0, random_state=2), n_boot=300, seed=7)
    pd.testing.assert_frame_equal(one, two)
    other_seed = within_story_effects(table, n_boot=300, seed=8)
    assert not np.allclose(one["within_low"], other_seed["within_low"])
    np.testing.assert_allclose(one["within"], other_seed["within"])


def test_within_story_effects_name_missing_columns_and_figures():
    with pytest.raises(ValueError, match="missing: story"):
        within_story_effects(pd.DataFrame({"id": [], "outlet": []}))
    with pytest.raises(ValueError, match="unknown figure"):
        within_story_effects(balanced_table(), ["nope"])
    assert within_story_effects(balanced_table().iloc[0:0]).empty


def test_effect_figures_are_the_headline_figures_then_the_codebook_frames():
    names = ["words", "frames_pfc_economic_share", "sources_official_share", "loaded_score",
             "frames_generic_conflict_share", "frames_pfc_legality_share", "other"]
    assert effect_figures(names) == ["loaded_score", "sources_official_share", "frames_pfc_economic_share",
                                     "frames_pfc_legality_share"]


def test_leaving_common_terms_out_of_the_search_keeps_the_exact_similarities(monkeypatch):
    import framing.stories as stories_module

    index = StoryIndex()
    for a in story_articles() + [later_rates()]:
        index.add_record(a)
    vectors = index.vectors()
    settings = stories_module.StorySettings(threshold=0.2, window_days=None)
    full = index.neighbour_graph(vectors, settings).toarray()
    exact = (vectors @ vectors.T).toarray()
    assert full[full > 0] == pytest.approx(exact[full > 0], abs=1e-6)
    monkeypatch.setattr(stories_module, "SEARCH_MAX_DF", 4)  # words in 5+ of the 10 articles: not searched
    np.testing.assert_allclose(index.neighbour_graph(vectors, settings).toarray(), full, atol=1e-6)
    monkeypatch.setattr(stories_module, "SEARCH_MAX_DF", 2)  # even the rate story's names are not searched ...
    pruned = index.neighbour_graph(vectors, settings).toarray()
    assert 0 < np.count_nonzero(pruned) < np.count_nonzero(full)  # ... so pairs sharing only those are missed,
    assert pruned[pruned > 0] == pytest.approx(exact[pruned > 0], abs=1e-6)  # and the found ones are exact


# --------------------------------------------------------------------------- the make eval section


def test_pair_scores_and_purity_count_cross_outlet_pairs_only():
    from framing.evaluation.stories import PairScores, cross_outlet_pairs, purity

    outlets = ["A", "B", "A", "C"]
    events = ["e1", "e1", "e1", "e2"]
    found = ["s1", "s1", "s2", "s2"]
    assert cross_outlet_pairs(outlets, events) == {(0, 1), (1, 2)}  # (0, 2): same outlet, not counted
    assert cross_outlet_pairs(outlets, found) == {(0, 1), (2, 3)}
    scores = PairScores.of(cross_outlet_pairs(outlets, events), cross_outlet_pairs(outlets, found))
    assert (scores.precision, scores.recall, scores.f1) == (0.5, 0.5, 0.5)
    assert purity(events, found) == 3 / 4  # s1 pure; s2 one of two


def test_the_eval_section_runs_on_eval_data_laid_out_like_lim(tmp_path):
    """Eval-data files in the Lim layout, made from the texts written for these tests."""
    from framing.evaluation.harness import run

    root = tmp_path / "eval-data"
    (root / "loaded").mkdir(parents=True)
    with open(root / "loaded/lim2020-articles.jsonl", "w", encoding="utf-8") as articles, \
            open(root / "loaded/lim2020-biased-sentences.jsonl", "w", encoding="utf-8") as sentences:
        for a in story_articles():
            articles.write(json.dumps({"article": a["id"], "event": a["event"], "outlet": a["metadata"]["outlet"],
                                       "title": a["metadata"]["title"]}) + "\n")
            parts = [p + "." for p in a["text"].split(". ")]
            for position, text in reversed(list(enumerate(parts))):  # out of order: rebuilt by position
                sentences.write(json.dumps({"article": a["id"], "position": position, "text": text}) + "\n")
    from framing.evaluation.harness import EvalData

    data = EvalData(root)
    figures = run(data, ["stories"])
    dev = [f for f in figures if f.dataset.startswith("Lim 2020") and "dev" in f.dataset]
    assert [f.metric for f in dev] == ["cross-outlet pair F1", "cluster purity"]
    assert dev[0].ours == 1.0 and dev[1].ours == 1.0 and "(9/9 predicted, 9 gold)" in dev[0].note
    assert dev[0].baselines[0][0].startswith("events.py pairing")
    held = [f for f in figures if "held out" in f.dataset]
    assert held and held[0].metric == "cross-outlet pair F1" and 0.0 <= held[0].ours <= 1.0
    own = [f for f in figures if f.dataset.startswith("in-house Wikinews")]
    assert own and 0.0 < own[0].ours <= 1.0  # the repository's own hand labels need no eval data
    assert any("ukraine" in line for line in data.skipped)


def test_a_chain_of_articles_each_like_the_next_is_split_and_never_joins_its_ends(monkeypatch):
    """Sixteen texts written for the test from invented words: each has words of its own and
    shares a third of its words with the one before and a third with the one after, so
    neighbours link them one after the other although the first and last share nothing."""
    from framing.stories import MIN_COHESION, _cohesion

    def block(stem: str) -> str:
        return " ".join(f"{stem}{k}" for k in "abcdefghijkl")

    index = StoryIndex()
    for i in range(16):
        index.add(f"link{i:02d}", f"{block(f'shared{i}x')} {block(f'own{i}x')} {block(f'shared{i + 1}x')}",
                  outlet=f"Outlet {i}")
    vectors = index.vectors()
    assert (vectors[0] @ vectors[1].T).toarray()[0, 0] > 0.25 and (vectors[0] @ vectors[15].T).nnz == 0
    assert _cohesion(vectors) < MIN_COHESION  # the whole chain is not one story
    found = index.cluster()
    stories = groups(found)
    assert all(not {"link00", "link15"} <= story for story in stories)
    position = {aid: i for i, aid in enumerate(index.ids)}
    for story in stories:
        if len(story) >= 3:
            assert _cohesion(vectors[[position[a] for a in story]]) >= MIN_COHESION
    import framing.stories as stories_module

    monkeypatch.setattr(stories_module, "MIN_COHESION", 0.0)  # without the cohesion rule: one chained story
    assert groups(index.cluster()) == {frozenset(index.ids)}


def test_an_undated_article_joins_one_dated_story_and_does_not_bridge_two():
    articles = story_articles() + [later_rates()]
    (first,) = [a for a in articles if a["id"] == "rates-daily"]
    bridge = {"id": "undated", "text": first["text"] + " " + later_rates()["text"],  # both decisions at once
              "metadata": {"title": "", "outlet": "Evening Star", "date": ""}}
    found = find_stories(articles + [bridge])
    (later,) = [g for g in groups(found) if "rates-later" in g]
    (earlier,) = [g for g in groups(found) if "rates-daily" in g]
    assert later != earlier  # still two stories, six weeks apart
    assert "undated" in later | earlier


@settings(max_examples=500, deadline=None)
@given(hst.text(alphabet=hst.sampled_from("ab_1 .,-'éΣς\u0130\n"), max_size=300), hst.integers(0, 60))
def test_the_first_words_are_those_of_the_whole_text_tokenised(text, count):
    # the index tokenises only a prefix of long texts; a word cut by the prefix's end must not count
    from framing.stories import _TOKEN, _first_words

    assert _first_words(text, count) == _TOKEN.findall(text)[:count]

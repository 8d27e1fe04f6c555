"""Tests for framing.lexicons: the shipped tables parse and follow the contract's
vocabularies, and malformed files (written for the tests in tmp_path) are refused
with the right file:line."""
from __future__ import annotations

import collections
from importlib.resources import files
from pathlib import Path

import pytest

from framing.lexicons import LexiconError, Table, available, load_shipped, load_table

SHIPPED = (
    "affiliations",
    "anonymous_sources",
    "attribution_rules",
    "boilerplate",
    "frames_generic",
    "frames_pfc",
    "loaded",
    "loaded_learned",
    "loaded_learned_stop",
    "loaded_rules",
    "organisations",
    "people",
    "reporting_verbs",
    "sentence_cues",
    "speaker_roles",
)
LEARNED = ("loaded_learned",)  # computed from annotated data, not written by hand
SPEAKER_TYPES = {
    "head_of_state", "official", "state_media", "media", "expert",
    "politician", "ngo", "citizen", "anonymous", "unknown",
}
VERB_CLASSES = {"neutral", "emphatic", "endorsing", "distancing", "pejorative"}
LOADED_CATEGORIES = {
    "pejorative", "emotive", "hyperbole", "booster", "hedge", "doubt", "intensifier",
}
PFC_FRAMES = (
    "economic", "capacity_resources", "morality", "fairness_equality", "legality", "policy",
    "crime_punishment", "security_defense", "health_safety", "quality_of_life",
    "cultural_identity", "public_opinion", "political", "external_regulation", "other",
)
GENERIC_FRAMES = (
    "conflict", "human_interest", "responsibility", "economic_consequences", "morality",
)
ORG_KINDS = {"government", "media", "think_tank", "ngo", "company", "intergovernmental", "party"}
SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"

HEADER = (
    "# name: test-lexicon\n"
    "# version: 0.1\n"
    "# source: written for the tests\n"
    "# license: CC-BY-4.0\n"
    "# columns: term, category, weight, match, note\n"
    "term\tcategory\tweight\tmatch\tnote\n"
)


def _rows(name):
    return load_table(name).rows


def _column(name, column):
    return collections.Counter(row[column] for row in _rows(name))


def test_available_lists_every_shipped_table():
    assert available() == sorted(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_table_parses_with_metadata(name):
    table = load_table(name)
    assert isinstance(table, Table)
    assert table.rows, name
    assert table.version
    assert table.meta["license"].startswith("CC-BY-4.0")
    if name in LEARNED:
        assert "learned by framing.models.learned_lexicon" in table.meta["source"]
    else:
        assert "written by hand for framing" in table.meta["source"]
    assert table.columns == tuple(table.rows[0].keys())


def test_resource_name_with_suffix_and_path_give_the_same_table(tmp_path):
    by_name = load_table("loaded")
    assert load_table("loaded.tsv") == by_name
    copy = tmp_path / "my_loaded.tsv"
    copy.write_text(
        files("framing.lexicons").joinpath("loaded.tsv").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert load_table(copy).rows == by_name.rows
    assert load_table(str(copy)).name == "loaded-language"


def test_unknown_resource_name_lists_the_available_ones():
    with pytest.raises(LexiconError, match=r"unknown lexicon 'lodaed'; available: affiliations, "):
        load_table("lodaed")


# -- provenance: the hand lexicon and the learned words beside it ---------------------------

PROVENANCE_HEADER = (
    "# name: test-lexicon\n"
    "# version: 0.1\n"
    "# source: written for the tests\n"
    "# license: CC-BY-4.0\n"
    "# columns: term, category, weight, match, provenance, score, sources, note\n"
    "term\tcategory\tweight\tmatch\tprovenance\tscore\tsources\tnote\n"
)


def test_every_hand_row_says_hand_and_carries_no_score():
    for row in _rows("loaded"):
        assert (row["provenance"], row["score"], row["sources"]) == ("hand", "", ""), row


def test_every_learned_row_keeps_its_z_score_and_source_sets():
    table = load_table("loaded_learned")
    assert table.name == "loaded-language" and table.columns == load_table("loaded").columns
    assert "Monroe, Colaresi & Quinn 2008" in table.meta["source"]
    for row in table.rows:
        assert row["provenance"] == "learned" and row["category"] == "learned" and row["match"] == "stem"
        assert float(row["score"]) > 0 and 0 < float(row["weight"]) <= 1
        # each source set with its own z-score, e.g. "in-house (repo) z=1.86; Ukraine z=1.11"
        assert all(" z=" in part for part in row["sources"].split("; ")), row
        assert row["term"].isalpha() and row["term"] == row["term"].lower(), row


def test_the_learned_words_leave_out_the_reviewed_topic_words_and_names():
    learned = {row["term"] for row in load_table("loaded_learned").rows}
    stop = {row["term"] for row in load_table("loaded_learned_stop").rows}
    assert stop and all(row["reason"] for row in load_table("loaded_learned_stop").rows)
    assert not learned & stop
    gazetteer = {row["term"].lower() for row in _rows("affiliations")}
    assert not learned & gazetteer


def test_learned_words_never_compete_with_hand_words_for_a_word():
    from framing.lexmatch import LexiconMatcher, stem

    hand = load_table("loaded")
    hand_stems = {stem(row["term"]) for row in hand.rows if " " not in row["term"]}
    matcher = LexiconMatcher.from_table(hand)
    for row in load_table("loaded_learned").rows:
        assert stem(row["term"]) not in hand_stems, row["term"]
        assert not matcher.find(row["term"]), row["term"]


def test_load_shipped_reads_the_hand_table_then_its_learned_companion():
    combined = load_shipped("loaded")
    hand, learned = load_table("loaded"), load_table("loaded_learned")
    assert combined.rows == hand.rows + learned.rows
    assert combined.version == f"{hand.version}+{learned.version}"
    assert load_shipped("reporting_verbs") == load_table("reporting_verbs")  # no companion


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("regime\tpejorative\t0.8\tstem\tguessed\t\t\n", "unknown provenance 'guessed'"),
        ("regime\tpejorative\t0.8\tstem\tlearned\thigh\tset A z=2\n", "a learned row needs a numeric score, got 'high'"),
        ("regime\tpejorative\t0.8\tstem\tlearned\t2.5\t\n", "a learned row must name its sources"),
        ("regime\tpejorative\t0.8\tstem\tlearned\tnan\tset A z=2\n", "score 'nan' is not finite"),
        ("regime\tpejorative\t0.8\tstem\thand\t2.5\t\n", "a hand row has no score or sources"),
    ],
)
def test_bad_provenance_is_refused_with_file_and_line(tmp_path, row, message):
    path = tmp_path / "bad.tsv"
    path.write_text(PROVENANCE_HEADER + row, encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"{path}:7: {message}"):
        load_table(path)


def test_loaded_categories_are_the_contract_ones_with_at_least_25_each():
    counts = _column("loaded", "category")
    assert set(counts) == LOADED_CATEGORIES
    assert min(counts.values()) >= 25, counts
    assert 350 <= sum(counts.values()) <= 600


def test_loaded_terms_are_lower_case_single_spaced_and_weighted():
    for row in _rows("loaded"):
        assert row["term"] == row["term"].lower(), row
        assert row["term"] == " ".join(row["term"].split()), row
        assert 0 < float(row["weight"]) <= 1
        assert row["match"] in {"stem", "exact", "prefix"}


@pytest.mark.parametrize(
    ("term", "category"),
    [
        ("regime", "pejorative"),
        ("war party", "pejorative"),
        ("hardliner", "pejorative"),
        ("diabolical", "emotive"),
        ("menace", "emotive"),
        ("phony", "doubt"),
        ("toxic", "emotive"),
        ("pretext", "doubt"),
        ("unprecedented", "hyperbole"),
        ("megalomaniacal", "hyperbole"),
        ("clearly", "booster"),
        ("likely", "hedge"),
        ("hugely", "intensifier"),
    ],
)
def test_seed_words_have_the_expected_category(term, category):
    found = {row["category"] for row in _rows("loaded") if row["term"] == term}
    assert found == {category}
    # and the word really occurs in a seed article, so the entry is grounded
    seeds = " ".join(p.read_text(encoding="utf-8").lower() for p in SEEDS.glob("*.txt"))
    assert term in seeds


def test_function_words_that_stems_would_overmatch_are_exact():
    match = {row["term"]: row["match"] for row in _rows("loaded")}
    for term in ("all", "never", "may", "likely", "might"):
        assert match[term] == "exact", term
    may_note = next(row["note"] for row in _rows("loaded") if row["term"] == "may")
    assert "month" in may_note


def _verb_class_of_form(form):
    return {row["class"] for row in _rows("reporting_verbs") if form in row["forms"].split(",")}


@pytest.mark.parametrize(
    ("form", "verb_class"),
    [
        ("slammed", "pejorative"),
        ("claimed", "distancing"),
        ("stressed", "emphatic"),
        ("noted", "endorsing"),
        ("said", "neutral"),
        ("pointed out", "endorsing"),
        ("lashed out at", "pejorative"),
    ],
)
def test_reporting_verb_forms_map_to_their_class(form, verb_class):
    assert _verb_class_of_form(form) == {verb_class}


def test_reporting_verbs_cover_all_classes_and_forms_are_unique():
    rows = _rows("reporting_verbs")
    assert {row["class"] for row in rows} == VERB_CLASSES
    assert 80 <= len(rows) <= 170  # a hand-curated list, not a dump (raised for the attribution2 cues)
    forms = collections.Counter(f for row in rows for f in row["forms"].split(","))
    assert [f for f, n in forms.items() if n > 1] == []
    for row in rows:
        assert row["lemma"] in row["forms"].split(","), row
        assert all(f == f.strip() and f for f in row["forms"].split(",")), row


def test_speaker_roles_use_the_vocabulary_and_are_lower_case():
    rows = _rows("speaker_roles")
    assert {row["speaker_type"] for row in rows} <= SPEAKER_TYPES
    assert all(row["term"] == row["term"].lower() for row in rows)
    roles = {row["term"]: row["speaker_type"] for row in rows}
    assert roles["spokeswoman"] == "official"
    assert roles["political observer"] == "expert"
    assert roles["prime minister"] == "head_of_state"


def test_gazetteers_use_the_vocabularies_and_known_affiliations():
    affiliations = {row["affiliation"] for row in _rows("affiliations")} | {"Unknown"}
    for name in ("organisations", "people"):
        for row in _rows(name):
            assert row["speaker_type"] in SPEAKER_TYPES, (name, row)
            assert row["affiliation"] in affiliations, (name, row)
    for row in _rows("organisations"):
        assert row["kind"] in ORG_KINDS, row
        assert "|" not in row["domain"] and " " not in row["domain"], row


def test_gazetteer_names_and_aliases_are_unambiguous():
    for name in ("organisations", "people"):
        surface = collections.Counter(
            alias
            for row in _rows(name)
            for alias in [row["name"], *filter(None, row["aliases"].split("|"))]
        )
        assert [s for s, n in surface.items() if n > 1] == [], name


def test_seed_speakers_and_outlets_resolve():
    people = {row["name"]: row for row in _rows("people")}
    assert people["Maria Zakharova"]["speaker_type"] == "official"
    assert "Sergei Lavrov" in people["Sergey Lavrov"]["aliases"].split("|")
    orgs = {row["name"]: row for row in _rows("organisations")}
    assert orgs["Global Times"]["speaker_type"] == "state_media"
    assert orgs["Global Times"]["domain"] == "globaltimes.cn"
    assert "GT" in orgs["Global Times"]["aliases"].split("|")
    assert orgs["Wedge Infinity"]["affiliation"] == "Japan"
    aff = {row["term"]: row["affiliation"] for row in _rows("affiliations")}
    assert aff["Kremlin"] == "Russia" and aff["Beijing"] == "China"
    assert aff["Washington"] == "United States" and aff["US"] == "United States"
    assert "us" not in aff  # the pronoun must not be a country


def test_anonymous_sources_include_the_classic_phrases():
    terms = {row["term"] for row in _rows("anonymous_sources")}
    assert {"officials", "sources close to", "people familiar with", "a senior official"} <= terms


# --- malformed files ------------------------------------------------------------


def _write(tmp_path, body, header=HEADER):
    path = tmp_path / "bad.tsv"
    path.write_text(header + body, encoding="utf-8")
    return path


def _error(path):
    with pytest.raises(LexiconError) as info:
        load_table(path)
    assert isinstance(info.value, ValueError)
    return str(info.value)


def test_a_wellformed_file_written_for_the_tests_loads(tmp_path):
    path = _write(tmp_path, "regime\tpejorative\t0.8\tstem\tnote\n\n# comment\nmay\thedge\t0.2\texact\n")
    table = load_table(path)
    assert table.name == "test-lexicon" and table.version == "0.1"
    assert [row["term"] for row in table.rows] == ["regime", "may"]
    assert table.rows[1]["note"] == ""  # omitted trailing field


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("regime\tpejorative\t0.8\tstem\tnote\textra\n", 7, "6 fields"),
        ("\tpejorative\t0.8\tstem\n", 7, "empty 'term'"),
        ("ok\thedge\t0.2\texact\nregime\tpejorative\theavy\tstem\n", 8, "weight 'heavy' is not a number"),
        ("regime\tpejorative\t1.5\tstem\n", 7, "outside (0, 1]"),
        ("regime\tpejorative\t0\tstem\n", 7, "outside (0, 1]"),
        ("regime\tpejorative\tnan\tstem\n", 7, "outside (0, 1]"),
        ("regime\tpejorative\t0.8\tfuzzy\n", 7, "unknown match 'fuzzy'"),
        ("regime\tpejorative\t0.8\tstem\n\nregime\tpejorative\t0.5\texact\n", 9, "duplicate"),
        ("war  party\tpejorative\t0.8\texact\n", 7, "single spaces"),
    ],
)
def test_malformed_rows_fail_with_file_and_line(tmp_path, body, line, reason):
    path = _write(tmp_path, body)
    message = _error(path)
    assert message.startswith(f"{path}:{line}: "), message
    assert reason in message


def test_same_term_in_two_categories_is_not_a_duplicate(tmp_path):
    path = _write(tmp_path, "really\tbooster\t0.3\texact\nreally\tintensifier\t0.3\texact\n")
    assert len(load_table(path).rows) == 2


def test_missing_metadata_is_reported_at_the_header_row(tmp_path):
    header = HEADER.replace("# license: CC-BY-4.0\n", "")
    path = _write(tmp_path, "regime\tpejorative\t0.8\tstem\n", header=header)
    assert _error(path) == f"{path}:5: missing metadata: license"


def test_header_row_must_match_the_columns_metadata(tmp_path):
    header = HEADER.replace("term\tcategory\tweight", "term\tweight\tcategory")
    path = _write(tmp_path, "", header=header)
    message = _error(path)
    assert message.startswith(f"{path}:6: header row")


def test_file_without_a_header_row_is_refused(tmp_path):
    path = _write(tmp_path, "", header="# name: x\n# version: 1\n")
    assert _error(path).startswith(f"{path}:2: no header row")


# --- frame cue tables (issue 8): frames_pfc.tsv and frames_generic.tsv ---

FRAME_TABLES = {"frames_pfc": PFC_FRAMES, "frames_generic": GENERIC_FRAMES}


@pytest.mark.parametrize(("name", "frames"), FRAME_TABLES.items())
def test_frame_tables_use_the_contract_columns_and_slugs(name, frames):
    table = load_table(name)
    assert table.columns == ("term", "frame", "weight", "match", "note")
    assert {row["frame"] for row in table.rows} <= set(frames)


@pytest.mark.parametrize(("name", "frames"), FRAME_TABLES.items())
def test_every_frame_but_other_has_at_least_20_cues(name, frames):
    counts = _column(name, "frame")
    short = {f: counts[f] for f in frames if f != "other" and counts[f] < 20}
    assert short == {}
    assert counts["other"] == 0  # "other" is the absence of a frame, never cued


@pytest.mark.parametrize("name", FRAME_TABLES)
def test_frame_cues_are_lower_case_weighted_and_matched(name):
    for row in _rows(name):
        assert row["term"] == row["term"].lower(), row
        assert row["term"] == " ".join(row["term"].split()), row
        assert 0 < float(row["weight"]) <= 1, row
        assert row["match"] in {"stem", "exact", "prefix"}, row


def test_frame_table_names_follow_the_contract():
    assert load_table("frames_pfc").name == "frames-pfc"
    assert load_table("frames_generic").name == "frames-generic"
    assert "Boydstun" in load_table("frames_pfc").meta["source"]
    assert "Semetko" in load_table("frames_generic").meta["source"]


def test_a_term_may_cue_several_frames():
    frames = {row["frame"]: float(row["weight"]) for row in _rows("frames_pfc")
              if row["term"] == "sanctions"}
    assert set(frames) == {"economic", "external_regulation"}


def test_same_term_in_two_frames_is_not_a_duplicate_but_twice_in_one_is(tmp_path):
    header = HEADER.replace("term, category,", "term, frame,").replace(
        "term\tcategory\t", "term\tframe\t")
    ok = _write(tmp_path, "tax\teconomic\t0.8\tstem\ntax\tpolicy\t0.4\tstem\n", header=header)
    assert [row["frame"] for row in load_table(ok).rows] == ["economic", "policy"]
    bad = tmp_path / "twice.tsv"
    bad.write_text(header + "tax\teconomic\t0.8\tstem\ntax\teconomic\t0.4\texact\n",
                   encoding="utf-8")
    message = _error(bad)
    assert message.startswith(f"{bad}:8: duplicate term + frame"), message


@pytest.mark.parametrize(
    "term",
    ["import", "imports", "international", "initiative", "hospital", "identity",
     "wage", "responsibility", "personal", "criticism"],
)
def test_frame_cues_whose_stem_over_matches_the_corpus_are_exact(term):
    rows = [row for name in FRAME_TABLES for row in _rows(name) if row["term"] == term]
    assert rows, term
    assert {row["match"] for row in rows} == {"exact"}, rows


def test_a_user_lexicon_whose_name_matches_no_shipped_table_is_refused_with_the_valid_names(tmp_path):
    from framing.pipeline import Resources

    path = tmp_path / "mine.tsv"
    path.write_text("# name: loaded\n# version: 1\n# source: written for the tests\n# license: CC0\n"
                    "# columns: term, category, weight, match, note\n"
                    "term\tcategory\tweight\tmatch\tnote\nbeastly\temotive\t0.5\texact\t\n", encoding="utf-8")
    names = sorted({load_table(name).name for name in available()})  # loaded_learned.tsv shares loaded-language
    assert "loaded-language" in names and "loaded" not in names
    with pytest.raises(LexiconError) as refused:
        Resources(lexicon_files=[path])
    assert str(refused.value) == (f"{path}: lexicon name 'loaded' matches no shipped lexicon, so it would never be "
                                  f"used; valid names: {', '.join(names)}")
    path.write_text(path.read_text(encoding="utf-8").replace("# name: loaded\n", "# name: loaded-language\n")
                    .replace("term, category, weight, match, note", "term, category, weight, match")
                    .replace("match\tnote", "match").replace("exact\t", "exact"), encoding="utf-8")
    with pytest.raises(LexiconError, match="has columns term, category, weight, match; expected term, category, "
                                           "weight, match, provenance, score, sources, note \\(the provenance columns"):
        Resources(lexicon_files=[path])

"""The attribution analyzer on the seed articles, the hard-case fixtures and arbitrary text.

The cases that name one rule's behaviour (a colon lead-in, a relayed read-out, an addressee
before 'that', …) test the rule pass (``mode="rules"``), one of the analyzer's two components;
the combined output (rules and the PolNeAR-trained tagger, framing.attribution.combine) is what
the seed gold, the golden file and the round-trip properties below measure, and
tests/test_attribution_tagger.py tests the tagger's side.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import analyzers
from framing.analyzers.attribution import AttributionResult, _Extractor, analyze, gazetteer
from framing.analyzers.attribution import extract as extract_combined
from framing.document import Document
from framing.evaluation.attribution import evaluate, evaluate_files, match, normalise_name
from framing.pipeline import Resources
from framing.results import to_jsonable

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
CASES = [json.loads(line) for line in (ROOT / "tests" / "fixtures" / "attribution_cases.jsonl").read_text("utf-8").splitlines() if line.strip()]
RESOURCES = Resources()


def extract(doc: Document, resources: Resources) -> list:
    """The rule pass alone (see the module docstring)."""
    return extract_combined(doc, resources, mode="rules")


def seed(prefix: str) -> tuple[str, list]:
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    text = path.read_text(encoding="utf-8")
    return text, extract(Document.from_text(text, id=path.stem), RESOURCES)


def containing(text: str, attributions: list, fragment: str) -> list:
    return [a for a in attributions if fragment in text[a.content_start : a.content_end]]


def test_registered_by_name():
    assert analyzers.get("attribution").name == "attribution"


def test_ryabkov_quote_and_floating_follow_up():
    text, found = seed("001")
    direct = [a for a in containing(text, found, "barricade") if a.kind == "direct"]
    assert len(direct) == 1
    a = direct[0]
    assert (a.speaker, a.speaker_type, a.affiliation, a.cue, a.verb_class) == (
        "Sergey Ryabkov", "official", "Russia", "said", "neutral")
    assert text[a.speaker_start : a.speaker_end].endswith("Sergey Ryabkov")
    floating = containing(text, found, "cut back the role of the dollar")
    assert [(f.kind, f.speaker) for f in floating] == [("floating", "Sergey Ryabkov")]


def test_zakharova_explained_is_endorsing():
    text, found = seed("001")
    hits = containing(text, found, "a gradual departure")
    assert {a.kind for a in hits} == {"direct", "indirect"}
    for a in hits:
        assert (a.speaker, a.cue, a.verb_class, a.affiliation) == ("Maria Zakharova", "explained", "endorsing", "Russia")


def test_he_slammed_resolves_to_xi_and_is_pejorative():
    text, found = seed("001")
    hits = [a for a in found if a.cue == "slammed"]
    assert hits and all(a.speaker == "Xi Jinping" and a.verb_class == "pejorative" for a in hits)
    assert text[hits[0].speaker_start : hits[0].speaker_end] == "He"


def test_colon_lead_in_with_quoted_paragraphs_is_putin_throughout():
    text, found = seed("000")
    lead = containing(text, found, "at a very high level")
    assert [(a.kind, a.speaker, a.cue) for a in lead] == [("direct", "Vladimir Putin", "saying")]
    assert text[lead[0].speaker_start : lead[0].speaker_end] == "Russia’s president"
    for fragment in ("To say we have strategic", "(W)e have", "‘Comprehensive’ means", "‘Strategic’ means"):
        hits = containing(text, found, fragment)
        assert [(a.kind, a.speaker) for a in hits] == [("floating", "Vladimir Putin")], fragment


def test_global_times_multi_paragraph_quote_with_cue_after_it():
    text, found = seed("003")
    last = containing(text, found, "need to reflect on themselves")
    assert [(a.kind, a.speaker, a.speaker_type, a.affiliation, a.cue) for a in last] == [
        ("direct", "Global Times", "state_media", "China", "concludes")]
    first = containing(text, found, "the greatest value of China-Russia relations")
    assert [(a.kind, a.speaker) for a in first] == [("floating", "Global Times")]


def test_read_out_relayed_by_tass():
    text, found = seed("003")
    ministry = [a for a in found if a.cue == "emphasized"]
    assert ministry and ministry[0].speaker == "Chinese Foreign Ministry" and ministry[0].via == "TASS"


def test_speaker_named_after_the_quote():
    text, found = seed("002")
    hits = containing(text, found, "I believe that under the guidance")
    assert [(a.kind, a.speaker, a.cue, a.speaker_type) for a in hits] == [("direct", "Xi Jinping", "added", "head_of_state")]


def test_according_to_after_and_before_the_content():
    text, found = seed("002")
    welt = [a for a in found if a.kind == "according_to" and a.speaker == "Welt"]
    assert welt and text[welt[0].content_start : welt[0].content_end].startswith("More than three decades")
    assert welt[0].verb_class is None
    text, found = seed("001")
    ruan = [a for a in found if a.kind == "according_to" and a.speaker == "Ruan Zongze"]
    assert ruan and text[ruan[0].content_start : ruan[0].content_end].startswith("China and Russia prioritize")


def test_possessed_speech_noun_and_pronouns_stay_with_the_subject_not_a_mentioned_name():
    text, found = seed("000")
    hope = [a for a in found if a.cue == "expressed hope"]
    assert [(a.kind, a.speaker) for a in hope] == [("indirect", "Vladimir Putin")]
    assert text[hope[0].speaker_start : hope[0].speaker_end] == "His"
    vowed = [a for a in found if a.cue == "vowed"]  # Assad is named in the sentence before, Putin spoke
    assert [(a.speaker, text[a.speaker_start : a.speaker_end]) for a in vowed] == [("Vladimir Putin", "He")]
    wished = [a for a in found if a.cue == "wished"]
    assert [(a.kind, a.speaker, a.verb_class) for a in wished] == [("direct", "Vladimir Putin", "neutral")]


def test_collective_speakers_both_leaders_and_they():
    text, found = seed("001")
    praised = containing(text, found, "model")
    assert ("direct", "Xi Jinping; Vladimir Putin") in [(a.kind, a.speaker) for a in praised]
    pledged = [a for a in found if text[a.speaker_start or 0 : a.speaker_end or 0] == "They"]
    assert [(a.cue, a.speaker, a.affiliation) for a in pledged] == [("pledged", "Xi Jinping; Vladimir Putin", "China; Russia")]


def test_both_countries_are_their_governments():
    text, found = seed("002")
    stressed = containing(text, found, "they do not seek it")
    assert [(a.kind, a.speaker_type, set(a.speaker.lower().split("; "))) for a in stressed] == [
        ("indirect", "official", {"chinese government", "russian government"})]


def test_they_without_a_group_is_left_unresolved_not_named():
    # written for the tests
    text = "The researchers met in Geneva. They said the results would be published in May."
    found = extract(Document.from_text(text), RESOURCES)
    assert [(a.kind, a.speaker, a.speaker_type) for a in found] == [("indirect", None, "unknown")]


def test_addressee_between_verb_and_that():
    # written for the tests
    text = "Kremlin spokesman Dmitry Peskov told reporters that the visit had been postponed."
    found = extract(Document.from_text(text), RESOURCES)
    assert [(a.speaker, text[a.content_start : a.content_end]) for a in found] == [
        ("Dmitry Peskov", "the visit had been postponed")]


def test_anonymous_source_gets_a_description_not_a_name():
    # written for the tests
    text = 'The talks stalled on Monday. "There is no deal yet," officials said.'
    found = extract(Document.from_text(text), RESOURCES)
    assert [(a.kind, a.speaker, a.speaker_type) for a in found] == [("direct", "anonymous: officials", "anonymous")]


@pytest.mark.parametrize("case", CASES, ids=[c.get("id", str(i)) for i, c in enumerate(CASES)])
def test_hard_cases(case, request):
    if case.get("id") == "nested_quotes":
        request.applymarker(pytest.mark.xfail(strict=True, reason="attributions nested inside a quotation "
                                              "are not handled yet"))
    predicted = [to_jsonable(a) for a in extract(Document.from_text(case["text"]), RESOURCES)]
    gold = case["attributions"]
    pairs = match(predicted, gold)
    assert len(pairs) == len(gold)
    for p, g in pairs:
        if gold[g]["speaker_type"] == "anonymous":
            assert predicted[p]["speaker_type"] == "anonymous"
        else:
            assert normalise_name(predicted[p]["speaker"]) == normalise_name(gold[g]["speaker"])


def _open_samples() -> list[str]:
    path = ROOT / "corpus" / "open" / "wikinews-gum.jsonl"
    return [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip()]


def _assert_round_trip(doc: Document, result: AttributionResult) -> None:
    n = len(doc.text)
    for a in result.attributions:
        assert 0 <= a.content_start < a.content_end <= n
        assert a.kind in ("direct", "indirect", "according_to", "floating")
        for lo, hi in ((a.speaker_start, a.speaker_end), (a.cue_start, a.cue_end), (a.quote_start, a.quote_end)):
            assert (lo is None) == (hi is None)
            if lo is not None:
                assert 0 <= lo < hi <= n and doc.text[lo:hi].strip() == doc.text[lo:hi]
        if a.cue is not None:
            assert doc.text[a.cue_start : a.cue_end] == a.cue
    for u in result.unattributed:
        assert 0 <= u.start < u.end <= n
        for hit in u.cues:
            assert u.start <= hit.start < hit.end <= u.end


@pytest.mark.parametrize(
    ("record_id", "fragment"),
    [
        # Sentence adverbs and ordinary words opening real Kremlin sentences; each was the
        # "speaker" of an attribution until is_common_word learned word case from counts.
        ("kremlin-68228", "However, we can already say in all confidence"),
        ("kremlin-68418", "Unfortunately, we cannot say that the organisation"),
        ("kremlin-68373", "Please note that we must not allow"),
        ("kremlin-67427", "Hope was expressed that serious talks"),
    ],
)
def test_ordinary_words_opening_a_sentence_are_nobodys_name(record_id, fragment):
    found = _kremlin_attributions(record_id, fragment)
    opener = fragment.split()[0].strip(",")
    assert all(a.speaker != opener for a in found), found


@pytest.mark.parametrize(
    ("record_id", "fragment", "speaker"),
    [
        ("kremlin-67438", "People say buying coal is too costly", "anonymous: People"),
        ("kremlin-68669", "Others say that of course not", "anonymous: Others"),
    ],
)
def test_vague_collectives_are_anonymous_sources(record_id, fragment, speaker):
    (found,) = _kremlin_attributions(record_id, fragment)
    assert (found.speaker, found.speaker_type) == (speaker, "anonymous")


def test_a_capitalised_name_that_is_also_a_word_stays_a_name():
    assert {a.speaker for a in _kremlin_attributions("kremlin-67828", "Lenin criticised this plan")} == {"Lenin"}
    # written for the tests: "The" opens names, so it is not stripped like "However"
    found = extract(Document.from_text("The Daily Telegraph reported that the talks had failed.", id="w"), RESOURCES)
    assert [a.speaker for a in found] == ["The Daily Telegraph"]


@pytest.mark.parametrize("text", [p.read_text("utf-8") for p in SEEDS] + _open_samples())
def test_spans_round_trip_on_seeds_and_open_corpus(text):
    doc = Document.from_text(text)
    result = analyze(doc, RESOURCES)
    _assert_round_trip(doc, result)
    figures = result.figures()
    assert figures["attribution_count"] == sum(not a.inside for a in result.attributions)  # statements
    assert 0.0 <= figures["unattributed_share"] <= 1.0


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
       | st.lists(st.sampled_from(['"', "“", "”", "‘", "’", "'", "said", "he", "Putin", "according", "to", ",", ".", ":",
                                    "\n\n", " ", "officials", "Xi", "stressed", "that", "the", "daily"]), max_size=60).map("".join))
def test_any_text_is_analyzed_and_spans_round_trip(text):
    doc = Document.from_text(text)
    _assert_round_trip(doc, analyze(doc, RESOURCES))


def test_evaluation_counts_a_tiny_known_case():
    gold = [
        {"kind": "direct", "content_start": 0, "content_end": 10, "speaker": "A", "speaker_type": "official", "verb_class": "neutral"},
        {"kind": "indirect", "content_start": 20, "content_end": 30, "speaker": "B", "speaker_type": "expert", "verb_class": "emphatic"},
        {"kind": "direct", "content_start": 40, "content_end": 50, "speaker": None, "speaker_type": "anonymous", "verb_class": None},
    ]
    predicted = [
        {"kind": "direct", "content_start": 2, "content_end": 10, "speaker": "a", "speaker_type": "official", "verb_class": "neutral"},
        {"kind": "indirect", "content_start": 27, "content_end": 35, "speaker": "B", "speaker_type": "expert", "verb_class": "neutral"},  # 30%: no match
        {"kind": "direct", "content_start": 40, "content_end": 50, "speaker": "anonymous: officials", "speaker_type": "anonymous", "verb_class": None},
        {"kind": "direct", "content_start": 60, "content_end": 70, "speaker": "C", "speaker_type": "media", "verb_class": None},
    ]
    result = evaluate([(predicted, gold, "d")])
    assert (result.quotes.true_positives, result.quotes.predicted, result.quotes.gold) == (2, 4, 3)
    assert result.quotes.precision == pytest.approx(0.5)
    assert result.quotes.recall == pytest.approx(2 / 3)
    assert result.direct.true_positives == 2 and result.direct.gold == 2 and result.direct.predicted == 3
    assert (result.speaker.correct, result.speaker.total) == (2, 2)
    assert (result.verb_class.correct, result.verb_class.total) == (1, 1)


def test_evaluation_on_the_seed_gold_beats_a_floor():
    result = evaluate_files(ROOT / "corpus" / "annotations" / "attributions.jsonl", ROOT / "corpus" / "seeds", RESOURCES)
    assert result.documents == 5
    assert result.quotes.f1 >= 0.8 and result.direct.f1 >= 0.9
    # The combined analyzer (version 6) names fewer seed speakers right than the rules alone
    # (0.821 against 0.918): the PolNeAR-trained tagger overrules rule records whose speakers the
    # rules got right (docs/attribution.md, "What the tagger costs on the seeds").
    assert result.speaker.value >= 0.8


def test_the_rule_pass_alone_keeps_its_seed_figures(monkeypatch):
    import framing.attribution.combine as combine

    monkeypatch.setattr(combine, "shipped_tagger", lambda: None)
    result = evaluate_files(ROOT / "corpus" / "annotations" / "attributions.jsonl", ROOT / "corpus" / "seeds", RESOURCES)
    assert result.quotes.f1 >= 0.88 and result.direct.f1 >= 0.93
    assert result.speaker.value >= 0.9


def test_seed_output_matches_the_reviewed_golden_file():
    # Regenerate on purpose with `PYTHONPATH=. python -m tests.golden.regenerate attribution`
    # and review the diff: every changed line is one changed attribution.
    from tests.golden.regenerate import GOLDEN, attribution_records

    golden = json.loads((GOLDEN / "attribution_seeds.json").read_text("utf-8"))
    assert attribution_records(RESOURCES) == golden


# -- transcripts: the speaker's own voice is not a cited source ---------------------------------

def _kremlin_sentence(record_id: str, fragment: str) -> str:
    """The sentence of a real Kremlin text (corpus/open) that contains ``fragment``."""
    import json as _json
    from pathlib import Path as _Path

    path = _Path(__file__).resolve().parent.parent / "corpus" / "open" / "kremlin-2021-2022.jsonl"
    for line in path.open(encoding="utf-8"):
        record = _json.loads(line)
        if record["id"] == record_id:
            doc = Document.from_text(record["text"], id=record_id)
            (sentence,) = [doc.text[s.start : s.end] for s in doc.sentences if fragment in doc.text[s.start : s.end]]
            return sentence
    raise AssertionError(f"{record_id} not in the Kremlin corpus")


def _kremlin_attributions(record_id: str, fragment: str) -> list:
    """What the extractor finds in that real Kremlin sentence, on its own."""
    return extract(Document.from_text(_kremlin_sentence(record_id, fragment), id="k"), RESOURCES)


@pytest.mark.parametrize(
    ("record_id", "fragment"),
    [
        ("kremlin-67345", "and I have said that not all countries"),
        ("kremlin-68571", "but I assure you that we were much more accurate"),
    ],
)
def test_first_person_reports_in_a_transcript_are_not_attributions(record_id, fragment):
    found = _kremlin_attributions(record_id, fragment)
    assert all((a.speaker or "").lower() not in {"i", "you"} for a in found), found


def test_agentless_it_and_sentence_openers_name_nobody():
    found = _kremlin_attributions("kremlin-67487", "It was confirmed that the negotiations")
    assert found and all(a.speaker is None for a in found)
    # written for the tests: an adverb opening the sentence is not a speaker's name
    text = "However, officials said that the talks would resume. Incidentally, Lavrov said the date was set."
    speakers = {a.speaker for a in extract(Document.from_text(text, id="w"), RESOURCES)}
    assert "However" not in speakers and "Incidentally" not in speakers
    assert "Sergey Lavrov" in speakers


@pytest.mark.parametrize("text", [p.read_text("utf-8") for p in SEEDS] + _open_samples())
def test_token_quotedness_agrees_with_the_quotations(text):
    """Sentences wholly outside or inside a quotation take a shortcut when their tokens are
    built; the others are walked token by token. Both must agree with the quotations: a token
    is quoted when it is a quotation mark or lies in the content of an outermost quotation."""
    doc = Document.from_text(text)
    ex = _Extractor(doc, gazetteer(RESOURCES))
    marks = {q.start for q in ex.quotes} | {q.end - 1 for q in ex.quotes if q.closed}
    for si, spans in enumerate(doc.sentence_tokens()):
        sentence = ex._sentence(si)
        assert sentence.starts == [t.start for t in spans] and sentence.ends == [t.end for t in spans]
        assert sentence.quoted == [t.start in marks or doc.in_quotation(t.start) for t in spans]
        toks = ex._tokens(si)
        assert [t.text for t in toks] == [doc.text[t.start : t.end] for t in spans]
        assert toks.lows == [t.low for t in toks] == [doc.text[t.start : t.end].lower().replace("’", "'").replace("‘", "'") for t in spans]


def test_quotedness_is_checked_on_sentences_of_every_shape():
    """The seeds hold sentences outside quotations, wholly quoted ones and mixed ones, so the
    test above exercises every way quotedness is computed."""
    shapes = set()
    for path in SEEDS:
        ex = _Extractor(Document.from_text(path.read_text("utf-8")), gazetteer(RESOURCES))
        for si in range(len(ex.doc.sentences)):
            quoted = ex._sentence(si).quoted
            shapes.add("mixed" if len(set(quoted)) > 1 else "quoted" if all(quoted) else "outside")
    assert shapes == {"outside", "quoted", "mixed"}


def _brute_longest(phrases, lows, lo, hi, *, ending):
    """The longest phrase of the table starting at ``lo`` (or ending at ``hi``) within lows[lo:hi]."""
    for n in range(hi - lo, 0, -1):
        key = tuple(lows[hi - n : hi] if ending else lows[lo : lo + n])
        if key in phrases.map:
            return n, phrases.map[key]
    return None


def test_phrase_lookup_agrees_with_trying_every_length():
    """Phrase lookups try only the lengths some phrase starting (ending) with the word has;
    on the seeds they must find what trying every length finds, for every gazetteer."""
    gaz = gazetteer(RESOURCES)
    tables = {"verbs": gaz.verbs, "roles": gaz.roles, "affiliations": gaz.affiliations, "anonymous": gaz.anonymous, "entities": gaz.entities}
    found = dict.fromkeys(tables, 0)
    for path in SEEDS:
        ex = _Extractor(Document.from_text(path.read_text("utf-8")), gazetteer(RESOURCES))
        for si in range(len(ex.doc.sentences)):
            lows = ex._sentence(si).lows
            for name, phrases in tables.items():
                for i in range(len(lows)):
                    limit = min(len(lows), i + 3)  # a limit cutting off longer phrases
                    assert phrases.match(lows, i) == _brute_longest(phrases, lows, i, len(lows), ending=False)
                    assert phrases.match(lows, i, limit) == _brute_longest(phrases, lows, i, limit, ending=False)
                    assert phrases.ending_at(lows, i + 1, max(0, i - 2)) == _brute_longest(phrases, lows, max(0, i - 2), i + 1, ending=True)
                    found[name] += phrases.match(lows, i) is not None and phrases.match(lows, i)[0] > 1
    # multi-word phrases of these tables occur in the seeds (no multi-word anonymous source does)
    assert all(found[name] for name in ("verbs", "roles", "affiliations", "entities")), found

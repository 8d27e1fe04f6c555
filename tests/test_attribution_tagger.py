"""The attribution package beyond the rules: the CRF tagger and its model file, speaker
resolution, transcript labels, statements with quotations inside them, scare quotes.

Every text here was written for these tests; the expected speakers and spans are read off the
text by hand.
"""

from __future__ import annotations

import re

import joblib
import pytest

from framing.attribution import extract
from framing.attribution.combine import analyze
from framing.attribution.features import batch, batch_features, build_view, token_features
from framing.attribution.lexicon import Who, first_names, gazetteer
from framing.attribution.rules import RuleExtractor, finish
from framing.attribution.speakers import SourceResolver
from framing.attribution.tagger import (
    FORMAT,
    LABELS,
    AttributionTagger,
    chunks,
    decode,
    gold_labels,
    load_tagger,
    save_model,
    shipped_tagger,
    train_crfsuite,
)
from framing.document import Document
from framing.models.modelfile import ModelFormatError
from framing.pipeline import Resources

RESOURCES = Resources()


def _rule_pass(text: str):
    doc = Document.from_text(text, id="t")
    gaz = gazetteer(RESOURCES)
    ex = RuleExtractor(doc, gaz)
    rules = finish(doc, ex.run(), gaz)
    view = build_view(doc, [ex._sentence(si) for si in range(len(doc.sentences))], gaz, rules)
    return doc, ex, rules, view


def _resolve(text: str, phrase: str, nth: int = 0) -> Who:
    """Resolve the nth whole-word occurrence of ``phrase`` as a source, as the combiner does."""
    _doc, ex, rules, view = _rule_pass(text)
    resolver = SourceResolver(ex, view)
    for a in rules:
        if a.speaker and a.speaker_start is not None:
            resolver.add(a.speaker_start, Who(a.speaker, a.speaker_type, a.affiliation, "person"), (a.speaker_start, a.speaker_end))
    start = [m.start() for m in re.finditer(rf"\b{re.escape(phrase)}\b", text)][nth]
    return resolver.resolve(start, start + len(phrase))


# -- speakers -----------------------------------------------------------------------------------


def test_pronouns_resolve_to_the_nearest_named_person_of_their_gender():
    text = ("Senator Maria Lopez opened the hearing. John Smith, the committee chairman, followed her. "
            "She said the budget was balanced, and he disagreed.")
    assert _resolve(text, "She").name == "Maria Lopez"
    assert _resolve(text, "he").name == "John Smith"


def test_a_role_resolves_to_the_nearest_earlier_speaker_of_its_gender():
    text = ('"We are ready," Tom Brown said on Monday. Jane Doe, a spokeswoman for the ministry, spoke next. '
            'The spokeswoman added that a deal was close.')
    assert _resolve(text, "The spokeswoman").name == "Jane Doe"


def test_a_pronoun_with_no_earlier_person_stays_unknown():
    who = _resolve("He said the plant would close next year.", "He")
    assert who.name is None and who.type == "unknown"


def test_an_organisation_stays_an_organisation():
    who = _resolve("The Kremlin said the talks would continue. It added that nothing was agreed.", "The Kremlin")
    assert who.kind == "org"


def test_a_relative_pronoun_refers_to_the_name_before_it_not_to_an_acronym():
    who = _resolve("The plan was backed by Michael Reyes, who said it would pass easily.", "who")
    assert who.name == "Michael Reyes"


def test_a_day_of_the_week_is_not_part_of_a_speaker():
    text = "Michael Reyes on Monday said the plan would pass."
    assert _resolve(text, "Michael Reyes on Monday").name == "Michael Reyes"


def test_first_names_carry_a_gender_and_ambiguous_names_are_left_out():
    names = first_names()
    assert names["maria"] == "female" and names["john"] == "male"
    assert "jordan" in names or "taylor" not in names  # a name on both lists needs a 4:1 ratio


# -- rules: transcripts, statements, scare quotes ------------------------------------------------


def test_transcript_labels_are_direct_attributions_and_turns_continue():
    text = ("President of Russia Vladimir Putin: Good afternoon, colleagues. We have a lot to discuss today.\n\n"
            "Let us begin with the budget, which is our main item.\n\n"
            "Prime Minister Mikhail Mishustin: Thank you, Mr President. The budget is ready.")
    found = extract(Document.from_text(text, id="t"), RESOURCES, mode="rules")
    direct = [a for a in found if a.kind == "direct"]
    assert [a.speaker for a in direct] == ["Vladimir Putin", "Mikhail Mishustin"]
    assert text[direct[0].content_start : direct[0].content_end].startswith("Good afternoon")
    (turn,) = [a for a in found if a.kind == "floating"]
    assert turn.speaker == "Vladimir Putin" and text[turn.content_start:].startswith("Let us begin")


def test_a_colon_after_an_ordinary_phrase_is_no_speaker_label():
    text = "The reasons are simple: the plant is old and the market is small."
    found = extract(Document.from_text(text, id="t"), RESOURCES, mode="rules")
    assert not [a for a in found if a.cue == ":"]


def test_a_quoted_phrase_inside_reported_speech_is_one_statement():
    text = 'Lavrov said the talks were "very constructive" and would continue next month in Geneva.'
    result = analyze(Document.from_text(text, id="t"), RESOURCES)
    statements = [a for a in result.attributions if not a.inside]
    assert len(statements) == 1 and statements[0].speaker == "Sergey Lavrov"
    assert result.figures()["attribution_count"] == 1
    inner = [a for a in result.attributions if a.inside]
    assert all(text[a.content_start : a.content_end] == "very constructive" for a in inner)


def test_scare_quotes_without_a_speech_verb_are_no_attribution():
    text = 'The so-called "reforms" of the pension system failed again this year.'
    assert extract(Document.from_text(text, id="t"), RESOURCES) == []


# -- the tagger's labels and decoding -----------------------------------------------------------


TAGGER_TEXT = '"The economy is strong," the mayor said. "Jobs are coming back."\n\nShe thanked the council.'


def test_gold_labels_resume_a_content_after_its_source_and_cue():
    _doc, _ex, _rules, view = _rule_pass(TAGGER_TEXT)
    mayor = TAGGER_TEXT.index("the mayor")
    said = TAGGER_TEXT.index("said")
    first = (0, TAGGER_TEXT.index(",") + 2)
    second = (TAGGER_TEXT.index('"Jobs'), TAGGER_TEXT.index("back.") + 6)
    gold = [{"source": [[mayor, mayor + 9]], "cue": [[said, said + 4]], "content": [list(first), list(second)]}]
    labels = gold_labels(view, gold)
    words = view.words(0, len(view.lows))
    assert labels[words.index("mayor")] == "I-SRC" and labels[words.index("said")] == "B-CUE"
    assert labels[words.index("Jobs") - 1] == "I-CON"  # the resumed fragment continues the content
    (found,) = decode(view, labels)
    assert (found.content[0], found.content[1]) == (0, second[1])
    assert found.source == (mayor, mayor + 9) and found.cue == (said, said + 4)


def test_chunks_split_on_b_tags_and_mark_resumed_ones():
    found = chunks(["B-CON", "I-CON", "B-CON", "O", "I-CON", "B-SRC"])
    assert [(c.role, c.lo, c.hi, c.resumed) for c in found] == [
        ("CON", 0, 2, False), ("CON", 2, 3, False), ("CON", 4, 5, True), ("SRC", 5, 6, False)
    ]


def test_token_features_see_the_paragraph_around_the_token():
    _doc, _ex, _rules, view = _rule_pass(TAGGER_TEXT)
    b = batch(view)
    words = b.words
    said = token_features(b, words.index("said"))
    assert "w=said" in said and "-1w=mayor" in said and "-2w=the" in said and "+1w=." in said and "+2w=\"" in said
    assert "w|+1w=said|." in said and "-1w|w=mayor|said" in said and "q=out" in said
    first = token_features(b, 0)
    assert "q=in" in first and "sent:first" in first and "para:first" in first and "-1pad" in first and "-2pad" in first
    # the second paragraph's first token sees no neighbour across the paragraph break
    she = token_features(b, words.index("She"))
    assert "-1pad" in she and "-2pad" in she and not any(f.startswith("-1w|w=") for f in she)
    # the last token of the first paragraph sees none after it
    back = token_features(b, words.index("She") - 1)
    assert "+1pad" in back and "+2pad" in back and "-2w=back" in back and "-1w=." in back
    # sequences are paragraphs: a content runs across sentences
    assert [words[lo:hi][0] for lo, hi in b.sequences] == ['"', "She"]


# -- the model file ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_crfsuite() -> bytes:
    """A CRF trained with CRFsuite on the test text alone: it learns that text's labels."""
    _doc, _ex, _rules, view = _rule_pass(TAGGER_TEXT)
    mayor, said = TAGGER_TEXT.index("the mayor"), TAGGER_TEXT.index("said")
    gold = [{"source": [[mayor, mayor + 9]], "cue": [[said, said + 4]], "content": [[1, 24]]}]
    return train_crfsuite([(view, gold_labels(view, gold))], params={"max_iterations": 50, "c1": 0.0, "feature.minfreq": 0})


@pytest.fixture(scope="module")
def tiny_model(tiny_crfsuite):
    from framing.attribution.crf import CRF

    return CRF.from_crfsuite(tiny_crfsuite)


def test_scores_and_labels_are_crfsuites_own(tiny_crfsuite, tiny_model):
    """The NumPy tagger sums the same weights as CRFsuite and decodes the same labels, on text
    the model has not seen (features it never met score nothing)."""
    import numpy as np
    import pycrfsuite

    reference = pycrfsuite.Tagger()
    reference.open_inmemory(tiny_crfsuite)
    text = ('"Prices will fall," the minister said on Tuesday. Critics said that was unlikely.\n\n'
            'According to the bank, inflation is slowing: "We are confident," its governor told reporters.\n\n'
            # one long paragraph: decoded in chunks (crf.viterbi), joined exactly
            + " ".join(['The mayor said the council would meet again. "We will not wait," she told the press, '
                        'and officials said the plan was ready.'] * 6))
    _doc, _ex, _rules, view = _rule_pass(text)
    b = batch(view)
    features = batch_features(b)
    scores = tiny_model.emissions(b)
    assert np.allclose(scores, [tiny_model.vector(f) for f in features], atol=1e-9)
    assert max(hi - lo for lo, hi in b.sequences) > 100
    ours = tiny_model.tag(b)
    theirs = [label for lo, hi in b.sequences for label in reference.tag(features[lo:hi])]
    assert ours == theirs and set(ours) - {"O"}  # and the model does tag something


def _plain_viterbi(scores, transitions, sequences):
    """Viterbi one token at a time, in floating point (the textbook recursion)."""
    import numpy as np

    out = np.zeros(len(scores), dtype=int)
    for lo, hi in sequences:
        delta, back = scores[lo].copy(), []
        for t in range(lo + 1, hi):
            candidates = delta[:, None] + transitions
            back.append(candidates.argmax(axis=0))
            delta = candidates.max(axis=0) + scores[t]
        label = int(delta.argmax())
        out[hi - 1] = label
        for t in range(hi - 1, lo, -1):
            label = int(back[t - lo - 1][label])
            out[t - 1] = label
    return out


def test_chunked_viterbi_finds_the_textbook_path():
    """Long sequences are cut into chunks decoded from every first label and joined: the
    labels are those of the plain recursion, for short and long sequences in one batch."""
    import numpy as np

    from framing.attribution.crf import viterbi

    rng = np.random.default_rng(7)
    for lengths in ([1], [3, 1, 5], [64, 65, 2], [500, 7, 130, 1, 81], [2000]):
        bounds = np.cumsum([0, *lengths])
        sequences = list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))
        scores = rng.normal(scale=3.0, size=(int(bounds[-1]), 7))
        transitions = rng.normal(scale=2.0, size=(7, 7))
        assert (viterbi(scores, transitions, sequences) == _plain_viterbi(scores, transitions, sequences)).all(), lengths
    assert len(viterbi(np.zeros((0, 7)), np.zeros((7, 7)), [])) == 0


def test_a_saved_model_loads_and_tags_as_trained(tmp_path, tiny_model):
    path = tmp_path / "crf.joblib"
    save_model(path, tiny_model, {"framing_version": "test", "model_version": "t1", "training_data": "written for the tests"})
    tagger = load_tagger(path)
    assert tagger.version == "t1" and tagger.header["format"] == FORMAT
    assert tagger.header["labels"] == list(tiny_model.labels) and set(tagger.header["labels"]) <= set(LABELS)
    _doc, _ex, _rules, view = _rule_pass(TAGGER_TEXT)
    labels = tagger.labels(view)
    words = view.words(0, len(view.lows))
    assert labels[words.index("said")] == "B-CUE" and labels[words.index("mayor")] == "I-SRC"


def test_a_model_of_another_kind_or_format_version_is_refused(tmp_path, tiny_crfsuite, tiny_model):
    other = tmp_path / "other.joblib"
    joblib.dump({"format": "framing-frames-model", "format_version": 1, "pipeline": b""}, other)
    with pytest.raises(ModelFormatError, match="not a framing-attribution-crf model"):
        load_tagger(other)
    future = tmp_path / "future.joblib"
    joblib.dump({"format": FORMAT, "format_version": 99, "model": tiny_model.to_bytes()}, future)
    with pytest.raises(ModelFormatError, match="make attribution-model"):
        load_tagger(future)
    # a model file of version 6.0, CRFsuite's own bytes: rebuilt, not misread
    crfsuite_bytes = tmp_path / "crfsuite.joblib"
    joblib.dump({"format": FORMAT, "format_version": 1, "model": tiny_crfsuite}, crfsuite_bytes)
    with pytest.raises(ModelFormatError, match="rebuild it with `make attribution-model`"):
        load_tagger(crfsuite_bytes)
    with pytest.raises(FileNotFoundError):
        load_tagger(tmp_path / "missing.joblib")


_UNPICKLED: list[str] = []


def _trip() -> None:
    _UNPICKLED.append("ran")


class _Tripwire:
    """Unpickling it calls a function: the model loader must refuse it unread."""

    def __reduce__(self):
        return _trip, ()


def test_a_model_file_holding_anything_but_plain_values_is_refused_unread(tmp_path, tiny_model):
    armed = tmp_path / "armed.joblib"
    joblib.dump({"format": FORMAT, "format_version": 1, "encoding": "framing-crf-arrays-1", "model": tiny_model.to_bytes(),
                 "extra": _Tripwire()}, armed, compress=("zlib", 6))
    with pytest.raises(ModelFormatError, match="not a framing-attribution-crf model .*cannot read it"):
        load_tagger(armed)
    assert _UNPICKLED == []
    joblib.load(armed)  # what the loader did before: the tripwire goes off
    assert _UNPICKLED == ["ran"]


def test_the_shipped_model_names_its_training_data_and_holds_no_running_text():
    tagger = shipped_tagger()
    assert isinstance(tagger, AttributionTagger)
    assert "PolNeAR" in tagger.header["training_data"] and "not redistributed" in tagger.header["training_data"]
    names = tagger.feature_names()
    assert names and max(len(n) for n in names) < 80
    # a feature holds at most two adjacent tokens (w|+1w=said|that), never a phrase of the corpus
    assert all(n.count(" ") == 0 for n in names)

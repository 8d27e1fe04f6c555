"""The quality harness (`make eval`) and `framing evaluate --baseline`.

Never reads ../shared: the PolNeAR-shaped article below and its gold attributions were written
and annotated by hand for these tests (in-house), and the labelled sentences are the in-house
fixtures of tests/fixtures.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from framing.cli import main
from framing.evaluation import attribution_polnear as polnear
from framing.evaluation.harness import SECTIONS, EvalData, Figure, format_table, run
from framing.evaluation.spans import match_spans, outer, span_prf

FIXTURES = Path(__file__).parent / "fixtures"
LOADED = FIXTURES / "seed_sentences_labelled.csv"
FRAMES = FIXTURES / "frames_seed_sentences.csv"

# Written for this test. Gold (hand-annotated): three attributions.
ARTICLE = (
    "Talks on the new bridge resumed on Monday.\n\n"
    'The transport minister, Anna Berg, said the talks had been "very constructive" and that a deal '
    "could follow within weeks.\n\n"
    "According to the regional council, the bridge will cost 40 million euros.\n\n"
    '"We are not convinced," said Tom Hale, who leads the opposition.'
)


def _span(text: str, needle: str) -> list[int]:
    start = ARTICLE.index(needle)
    return [start, start + len(needle)]


GOLD = [
    {
        "id": "T1", "kind": "Attribution",
        "source": [_span(ARTICLE, "The transport minister, Anna Berg")], "cue": [_span(ARTICLE, "said")],
        "content": [_span(ARTICLE, 'the talks had been "very constructive" and that a deal could follow within weeks')],
    },
    {
        "id": "T2", "kind": "Attribution",
        "source": [_span(ARTICLE, "the regional council")], "cue": [_span(ARTICLE, "According to")],
        "content": [_span(ARTICLE, "the bridge will cost 40 million euros")],
    },
    {
        "id": "T3", "kind": "Attribution",
        "source": [_span(ARTICLE, "Tom Hale")], "cue": [[ARTICLE.index("said Tom"), ARTICLE.index("said Tom") + 4]],
        "content": [_span(ARTICLE, "We are not convinced,")],
    },
]
ROW = {"id": "test-1", "text": ARTICLE, "attributions": GOLD, "other_annotations": {}}


# -- span matching ----------------------------------------------------------------------------


def test_a_prediction_matches_when_it_covers_more_than_30_percent_of_the_gold():
    gold = [(0, 100)]
    assert match_spans([(0, 31)], gold) == [(0, 0)]
    assert match_spans([(0, 30)], gold) == []  # exactly 30% is not more than 30%
    assert match_spans([(90, 200)], gold) == []


def test_matching_is_one_to_one_and_prefers_the_larger_overlap():
    gold = [(0, 10), (10, 20)]
    # One long prediction covers both golds: it counts once, for the gold it overlaps most.
    assert span_prf([(0, 20)], gold).true_positives == 1
    assert match_spans([(4, 20), (0, 9)], gold) == [(1, 0), (0, 1)]


def test_fragments_become_one_span_from_first_start_to_last_end():
    assert outer([[5, 9], [20, 30]]) == (5, 30)
    assert outer([]) is None


# -- the attribution section ---------------------------------------------------------------------


def test_a_perfect_extractor_scores_one_on_every_role():
    def perfect(text):
        return [polnear.Predicted(outer(a["content"]), outer(a["source"]), outer(a["cue"])) for a in GOLD]

    scores = polnear.score([ROW], perfect)
    assert {role: prf.f1 for role, prf in scores.roles.items()} == {"content": 1.0, "source": 1.0, "cue": 1.0}


def test_our_extractor_finds_the_hand_annotated_attributions():
    scores = polnear.score([ROW], polnear.ours)
    content = scores.roles["content"]
    assert content.gold == 3
    assert content.true_positives >= 2, scores.summary()
    # Named speakers are resolved to the names the gold source spans contain.
    assert scores.speaker_total >= 2 and scores.speaker_correct == scores.speaker_total, scores.summary()


def test_a_wrong_speaker_name_is_counted_wrong():
    def misattributed(text):
        return [
            polnear.Predicted(outer(a["content"]), None, outer(a["cue"]), speaker="Somebody Else") for a in GOLD
        ]

    scores = polnear.score([ROW], misattributed)
    # "the regional council" names nobody and has no earlier named source; the other two are wrong.
    assert scores.speaker_correct == 0 and scores.speaker_total == 3


def test_a_pronoun_source_is_judged_by_the_name_it_refers_to():
    text = 'Anna Berg said the talks went well. "We will sign," she said.'
    gold = [
        {"source": [[0, 9]], "cue": [[10, 14]], "content": [[15, 34]]},
        {"source": [[text.index("she"), text.index("she") + 3]], "cue": [[text.index("she said") + 4, text.index("she said") + 8]],
         "content": [[text.index("We"), text.index("sign,") + 5]]},
    ]
    row = {"text": text, "attributions": gold, "other_annotations": {}}

    def resolved(name):
        return lambda _text: [polnear.Predicted(outer(a["content"]), outer(a["source"]), outer(a["cue"]), speaker=name) for a in gold]

    assert polnear.score([row], resolved("Anna Berg")).speaker_correct == 2
    assert polnear.score([row], resolved("Tom Hale")).speaker_correct == 0


def test_annotator_agreement_of_identical_annotations_is_one():
    row = dict(ROW, other_annotations={"second": GOLD})
    assert polnear.agreement([row]) == {"content": 1.0, "source": 1.0, "cue": 1.0}


def _fake_eval_data(root: Path) -> EvalData:
    """A PolNeAR-shaped dev file holding the test article, and floors in eval-data's shape."""
    (root / "attribution").mkdir(parents=True)
    row = dict(ROW, other_annotations={"second": GOLD[:2]})
    (root / "attribution" / "polnear-dev.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    (root / "baselines.py").write_text(
        "import re\n"
        "def quote_spans(text):\n"
        "    return [m.span(1) for m in re.finditer(r'\"([^\"]+)\"', text)]\n"
        "def quotes_plus_reporting(text):\n"
        "    return quote_spans(text)\n",
        encoding="utf-8",
    )
    return EvalData(root)


def test_the_attribution_section_prints_ours_beside_the_floors_and_the_ceiling(tmp_path):
    figures = list(run(_fake_eval_data(tmp_path), ["attribution"]))
    content = next(f for f in figures if f.metric == "content F1")
    assert [name for name, _ in content.baselines] == ["quotes", "quotes+said-sentences"]
    # The floors find the two quotations only; one of them is a content.
    assert dict(content.baselines)["quotes"] == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))
    assert content.ceiling == pytest.approx(0.8)  # the second annotator found 2 of 3
    assert content.ours is not None and content.margin == pytest.approx(content.ours - max(dict(content.baselines).values()))
    assert {f.metric for f in figures} >= {"content F1", "source F1", "cue F1"}


def test_absent_eval_data_skips_with_one_line_per_missing_file(tmp_path):
    data = EvalData(tmp_path / "not-here")
    figures = run(data, ["attribution", "loaded-words"])
    assert figures == []
    assert data.skipped and all("not found" in line and "skipped" in line for line in data.skipped)
    assert len(data.skipped) == len(set(data.skipped))


# Written for the tests: a Lim-shaped set (sentences labelled by hand as biased or not).
LIM_ROWS = [
    ("The sleazy deal betrays every worker in the county.", "biased"),
    ("A sleazy cabal of donors keeps buying the mayor's silence.", "biased"),
    ("The council approved the budget for road repairs on Monday.", "not-biased"),
    ("The library will open an hour earlier from next week.", "not-biased"),
    ("Officials counted 1,200 votes in the second district.", "not-biased"),
    ("This shameless stunt insults the intelligence of voters.", "biased"),
]


def test_the_word_level_section_learns_its_words_without_the_set_it_scores(tmp_path):
    from framing.evaluation.datasets import sentence_sets
    from framing.evaluation.loaded_words import resources_learned_without

    (tmp_path / "loaded").mkdir()
    with open(tmp_path / "loaded" / "lim2020-biased-sentences.jsonl", "w", encoding="utf-8") as handle:
        for i, (text, label) in enumerate(LIM_ROWS):
            handle.write(json.dumps({"text": text, "label": label, "article": f"a{i % 2}"}) + "\n")
    data = EvalData(tmp_path)
    sets = sentence_sets(data)
    lim = next(s for s in sets if s.name == "Lim 2020")
    resources, _ = resources_learned_without(lim, sets, tmp_path)
    learned = [r for r in resources.table("loaded").rows if r["provenance"] == "learned"]
    assert all("Lim 2020" not in r["sources"] for r in learned)
    assert not [r for r in learned if r["sources"].count("z=") != len(sets) - 1]
    figures = run(data, ["loaded-words"])
    assert [f.metric for f in figures] == [
        "highlighted words per 100, loaded ÷ neutral", "AUC, any highlight", "AUC, weighted count",
    ]
    assert "learned without this set" in figures[0].note and dict(figures[2].baselines)["VADER |v|>=2"] >= 0


def test_unknown_section_names_the_valid_ones():
    with pytest.raises(ValueError, match="available: " + ", ".join(SECTIONS)):
        run(EvalData(Path("nowhere")), ["atribution"])


def test_the_table_shows_the_margin_over_the_best_baseline():
    table = format_table([Figure("t", "d", "m", 0.5, (("a", 0.4), ("b", 0.6)), ceiling=0.9)])
    assert "| -0.100 | 0.900 |" in table and "a 0.400; b 0.600" in table


# -- framing evaluate --baseline -----------------------------------------------------------------


def test_evaluate_cv_baseline_scores_the_plain_model_on_the_same_folds(capsys):
    assert main(["evaluate", "--data", str(LOADED), "--cv", "3", "--baseline"]) == 0
    out = capsys.readouterr().out
    model_part, baseline_part = out.split("baseline (TF-IDF word+char logistic regression), same folds:")
    assert "3-fold cross-validation" in model_part
    assert "model − baseline:" in baseline_part and "folds" in baseline_part


def test_evaluate_cv_grouped_keeps_each_group_in_one_fold(tmp_path, capsys):
    grouped = tmp_path / "grouped.csv"
    with open(LOADED, encoding="utf-8", newline="") as source, open(grouped, "w", encoding="utf-8", newline="") as out:
        rows = list(csv.DictReader(source))
        writer = csv.DictWriter(out, ["id", "text", "label", "article"])
        writer.writeheader()
        for row in rows:
            writer.writerow(dict(row, article=row["id"][:3]))
    assert main(["evaluate", "--data", str(grouped), "--cv", "3", "--group-column", "article", "--baseline"]) == 0
    out = capsys.readouterr().out
    assert out.count("grouped (5 groups kept whole)") == 1 and "model − baseline" in out


def test_evaluate_model_baseline_trains_on_the_models_own_training_file(tmp_path, capsys):
    train_file = tmp_path / "train.csv"
    train_file.write_bytes(LOADED.read_bytes())
    model = tmp_path / "m.joblib"
    assert main(["train", "--data", str(train_file), "-o", str(model)]) == 0
    assert main(["evaluate", "--data", str(LOADED), "--model", str(model), "--baseline"]) == 0
    out = capsys.readouterr().out
    assert "held-out evaluation" in out and "model − baseline" in out
    # A changed training file can no longer stand for the model's training data.
    train_file.write_text(LOADED.read_text(encoding="utf-8") + "x,One more plain sentence.,neutral\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["evaluate", "--data", str(LOADED), "--model", str(model), "--baseline"], stderr=err) == 1
    assert "has changed since the model was trained" in err.getvalue()


@pytest.mark.parametrize("mode", [["--cv", "3"], ["--lexicon-only"]])
def test_frames_evaluate_baseline(mode, capsys):
    args = ["evaluate", "--task", "frames", "--data", str(FRAMES), "--label-column", "pfc", "--min-positives", "3"]
    assert main(args + mode + ["--baseline"]) == 0
    out = capsys.readouterr().out
    assert "baseline (TF-IDF word+char logistic regression, one-vs-rest, threshold 0.5)" in out
    assert "micro-F1" in out.split("baseline (")[1] and "model − baseline" in out


def test_frames_evaluate_model_baseline(tmp_path, capsys):
    model = tmp_path / "frames.joblib"
    common = ["--task", "frames", "--data", str(FRAMES), "--label-column", "pfc", "--min-positives", "3"]
    assert main(["train", *common, "-o", str(model)]) == 0
    assert main(["evaluate", *common, "--model", str(model), "--baseline"]) == 0
    out = capsys.readouterr().out
    assert f"trained on {FRAMES}" in out and "model − baseline" in out


def test_group_column_needs_cv_and_two_labels(capsys):
    err = io.StringIO()
    args = ["evaluate", "--task", "frames", "--data", str(FRAMES), "--label-column", "pfc", "--cv", "3", "--group-column", "id"]
    assert main(args, stderr=err) == 1
    assert "--group-column applies to --cv" in err.getvalue()

"""Frames: cue spans on real seed sentences, article shares and dominant frame, the multi-label
classifier's estimator contract, the model file, the CLI, and the shipped model."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

from framing import analyzers as registry
from framing.cli import main
from framing.document import Document
from framing.frames import analyzer as frames_analyzer
from framing.frames import data as D
from framing.frames import features as FF
from framing.frames import model as M
from framing.frames.lexicon import FRAMES, FrameLexicon, frame_lexicon
from framing.lexicons import load_table
from framing.models import classifier as loaded_classifier
from framing.models.modelfile import ModelFormatError
from framing.pipeline import Resources, analyze
from framing.results import to_jsonable
from framing.segment import token_spans
from tests.corpus_text import _jsonl_texts
from tests.test_classifier import EDGE_SENTENCES

FIXTURE = Path(__file__).parent / "fixtures" / "frames_seed_sentences.csv"
LOADED_FIXTURE = Path(__file__).parent / "fixtures" / "seed_sentences_labelled.csv"

# Real seed sentences (verbatim) and a frame each one evokes, read by hand.
SEED_CUES = [
    ("Xii and Putin also said they'll increase bilateral trade in their own currencies, bypassing the dollar.",
     "economic", {"trade", "currencies", "dollar"}),
    ("America has become nervous about a possible military alliance between Russia and China, although both "
     "countries have repeatedly stressed that they do not seek it.", "security_defense", {"military alliance"}),
    ("Taking this step is in response to the Biden regime's threat to disconnect Russia from the Brussels-based "
     "SWIFT financial system.", "economic", {"financial"}),
    ("They prioritize world peace, stability, cooperative relations with other nations and compliance with the "
     "rule of law.", "legality", {"rule of law"}),
    ("Despite this year’s change in US political leadership, Western opposition to China and Russia has grown "
     "stronger.", "political", {"political leadership"}),
    ("The two countries also vowed to “counter the politicization of culture, attempts at ‘cancelling the "
     "culture’ of certain countries and peoples.", "cultural_identity", {"culture"}),
    ("Despite the negative impact of the COVID-19 pandemic, trade turnover between China and Russia exceeded "
     "$100 billion for the third year in a row.", "health_safety", {"pandemic"}),
    ("On June 28, Chinese President Xi Jinping met with Russian President Vladimir Putin via videoconference.",
     None, set()),
]  # fmt: skip


@pytest.fixture(scope="module")
def lexicon() -> FrameLexicon:
    return FrameLexicon.shipped()


@pytest.fixture(scope="module")
def fixture_data() -> D.MultiLabelData:
    return D.read_multilabel(FIXTURE, label_column="pfc", min_positives=3)


# -- cues on real sentences -------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "frame", "words"), SEED_CUES)
def test_seed_sentences_evoke_their_frame(lexicon, sentence, frame, words):
    cues = lexicon.find_in_tokens(sentence, token_spans(sentence))
    found = {sentence[c.start : c.end].lower() for c in cues if c.scheme == "pfc" and c.frame == frame}
    assert words <= found
    if frame is None:
        assert not [c for c in cues if c.scheme == "pfc" and c.frame not in ("external_regulation", "political")]


def test_one_term_cues_several_frames_in_one_pass(lexicon):
    text = "The sanctions hurt."
    cues = lexicon.find_in_tokens(text, token_spans(text))
    frames = {(c.scheme, c.frame) for c in cues if text[c.start : c.end] == "sanctions"}
    assert {("pfc", "economic"), ("pfc", "external_regulation")} <= frames


def test_unknown_frame_in_a_lexicon_is_refused(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text(
        "# name: frames-pfc\n# version: t\n# source: written for the tests\n# license: CC0\n"
        "# columns: term, frame, weight, match, note\nterm\tframe\tweight\tmatch\tnote\ntariff\teconomy\t0.9\texact\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"unknown pfc frame 'economy'; expected one of economic, capacity_resources"):
        FrameLexicon({"pfc": load_table(path)})


# -- the analyzer ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_results(seed_docs):
    resources = Resources()
    return {k: analyze(doc, analyzers=["frames"], resources=resources).analyses["frames"] for k, doc in seed_docs.items()}


def test_registered_under_frames():
    assert "frames" in registry.names()


def test_cue_spans_round_trip_and_carry_voice(seed_docs, seed_results):
    for key, result in seed_results.items():
        doc = seed_docs[key]
        assert result.spans
        for span in result.spans:
            assert doc.text[span.start : span.end] == span.text
            assert span.scheme in FRAMES and span.frame in FRAMES[span.scheme]
            assert span.voice == ("author" if doc.quote_at(span.start) is None else "quoted")
            assert 0 < span.weight <= 1


def test_quoted_cues_are_marked_quoted(seed_docs, seed_results):
    # seed 001: Ryabkov's words "need(s) to barricade (itself) against the US financial and economic system"
    doc, result = seed_docs["001"], seed_results["001"]
    (financial,) = {s for s in result.spans if s.text == "financial" and s.scheme == "pfc" and "barricade" in doc.text[s.start - 80 : s.start]}
    assert financial.voice == "quoted"


def test_shares_sum_to_one_and_dominant_has_evidence(seed_docs, seed_results):
    for key, result in seed_results.items():
        doc = seed_docs[key]
        for scheme in ("pfc", "generic"):
            figures = getattr(result, scheme)
            assert set(figures.shares) == set(FRAMES[scheme])
            assert sum(figures.shares.values()) == pytest.approx(1.0)
            assert figures.dominant == max(figures.shares, key=figures.shares.get)
            assert figures.evidence
            for sentence in figures.evidence:
                assert doc.text[sentence.start : sentence.end] == sentence.text
                masses = [s for s in result.sentences if s.start == sentence.start]
                assert getattr(masses[0], scheme)[figures.dominant] == pytest.approx(sentence.weight)
            weights = [e.weight for e in figures.evidence]
            assert weights == sorted(weights, reverse=True)
            assert all(0 <= v <= 1 for v in figures.sentence_shares.values())


def test_seed_002_on_international_relations_is_external_regulation(seed_results):
    assert seed_results["002"].pfc.dominant == "external_regulation"


def test_article_without_cues_has_zero_shares_and_no_dominant():
    doc = Document.from_text("Hello there.\n", id="plain")
    result = analyze(doc, analyzers=["frames"], resources=Resources()).analyses["frames"]
    assert result.spans == () and result.pfc.dominant is None and result.pfc.evidence == ()
    assert sum(result.pfc.shares.values()) == 0
    assert result.figures()["frames_pfc_dominant"] == ""


def test_figures_and_json_expose_what_the_report_needs(seed_results):
    result = seed_results["001"]
    figures = result.figures()
    for frame in FRAMES["pfc"]:
        assert figures[f"frames_pfc_{frame}_share"] == result.pfc.shares[frame]
    for frame in FRAMES["generic"]:
        assert f"frames_generic_{frame}_share" in figures
    assert figures["frames_pfc_dominant"] == result.pfc.dominant
    assert figures["frames_generic_dominant"] == result.generic.dominant
    data = to_jsonable(result)
    for scheme in ("pfc", "generic"):
        assert set(data[scheme]) >= {"shares", "dominant", "evidence"}
        assert {"start", "end", "text"} <= set(data[scheme]["evidence"][0])


def test_model_figures_are_separate_and_per_sentence(seed_docs, seed_results):
    result = seed_results["001"]
    assert result.model is not None  # the shipped model
    frames = result.model.frames
    for sentence in result.sentences:
        assert set(sentence.probabilities) == set(frames)
        assert all(0 <= p <= 1 for p in sentence.probabilities.values())
    for frame in frames:
        mean = np.mean([s.probabilities[frame] for s in result.sentences])
        assert result.model.shares[frame] == pytest.approx(mean)
        assert result.figures()[f"frames_model_{frame}_mean_probability"] == pytest.approx(mean)


# -- FrameFeatures: the estimator contract -------------------------------------------------------


def test_init_only_stores_parameters_and_clone_keeps_them():
    features = FF.FrameFeatures(schemes=("pfc",), cap=None)
    assert features.get_params() == {"lexicons": None, "schemes": ("pfc",), "cap": None}
    assert not [a for a in vars(features) if a.endswith("_")]
    assert clone(features).get_params() == features.get_params()
    with pytest.raises(TypeError):
        FF.FrameFeatures(None)  # type: ignore[misc]


def test_bad_parameters_are_refused_in_fit():
    with pytest.raises(ValueError, match="unknown frame scheme 'media'"):
        FF.FrameFeatures(schemes=("media",)).fit(["x"])
    with pytest.raises(ValueError, match="cap must be None or a positive number"):
        FF.FrameFeatures(cap=-1).fit(["x"])
    with pytest.raises(ValueError, match="lexicons must be None or a mapping"):
        FF.FrameFeatures(lexicons=["a"]).fit(["x"])


def test_feature_names_match_transform_width_and_values(fixture_data):
    features = FF.FrameFeatures().fit(fixture_data.texts)
    names = list(features.get_feature_names_out())
    matrix = features.transform(fixture_data.texts)
    assert matrix.shape == (len(fixture_data), len(names)) == (len(fixture_data), 15 + 5 + 1)
    row = features.transform([SEED_CUES[0][0]]).toarray()[0]
    assert row[names.index("pfc:economic")] == 1.0  # three economic cues, capped at 1
    assert row[names.index("frames:any")] == 1.0
    assert row[names.index("pfc:other")] == 0.0


@pytest.mark.parametrize("method", ["fit", "transform", "fit_transform"])
def test_a_single_string_is_refused(method):
    features = FF.FrameFeatures()
    if method == "transform":
        features.fit(["one sentence"])
    with pytest.raises(ValueError, match="FrameFeatures.*iterable over raw text sentences expected, str object received"):
        getattr(features, method)(SEED_CUES[0][0])


def test_not_fitted_raises():
    with pytest.raises(NotFittedError):
        FF.FrameFeatures().transform(["x"])
    with pytest.raises(NotFittedError):
        FF.FrameFeatures().get_feature_names_out()


def test_pickle_round_trip_gives_identical_predictions(fixture_data):
    features = FF.FrameFeatures().fit(fixture_data.texts)
    restored = pickle.loads(pickle.dumps(features))
    assert (restored.transform(fixture_data.texts) != features.transform(fixture_data.texts)).nnz == 0
    pipeline = M.build_pipeline().fit(list(fixture_data.texts), fixture_data.Y)
    again = pickle.loads(pickle.dumps(pipeline))
    np.testing.assert_array_equal(again.predict_proba(list(fixture_data.texts)), pipeline.predict_proba(list(fixture_data.texts)))


def test_pipeline_and_grid_search(fixture_data):
    pipeline = Pipeline(
        [("frames", FF.FrameFeatures()), ("clf", OneVsRestClassifier(LogisticRegression(class_weight="balanced")))]
    )
    search = GridSearchCV(
        pipeline,
        {"frames__cap": [1.0, None], "clf__estimator__C": [0.5, 2.0]},
        cv=KFold(3, shuffle=True, random_state=0),
        scoring="f1_micro",
    )
    search.fit(list(fixture_data.texts), fixture_data.Y)
    assert set(search.best_params_) == {"frames__cap", "clf__estimator__C"}
    assert search.predict([SEED_CUES[0][0]]).shape == (1, len(fixture_data.frames))


def test_stacked_predict_proba_equals_the_pipeline(fixture_data):
    model = M.train(fixture_data)
    np.testing.assert_allclose(model.predict_proba(fixture_data.texts), model.pipeline.predict_proba(list(fixture_data.texts)))


# -- the fast feature path ---------------------------------------------------------------------

# Written for the tests: frame cues inside hyphenated compounds, after possessives and
# abbreviations, around punctuation (the matcher's compound and multi-word paths).
CUE_EDGES = (
    "The trade-war hurt U.S. farmers' incomes, anti-sanctions protesters said.",
    "Military-alliance talks ... stalled; the economy’s growth (and jobs) fell!",
    "sanctions sanctions SANCTIONS",
)


def _sentences(docs) -> list[str]:
    return [doc.text[s.start : s.end] for doc in docs for s in doc.sentences]


def _assert_same_matrix(ours, theirs) -> None:
    assert ours.shape == theirs.shape
    for name in ("indptr", "indices", "data"):  # entry for entry, in the same order
        np.testing.assert_array_equal(getattr(ours, name), getattr(theirs, name))


@pytest.fixture(scope="module")
def shipped_frames() -> M.FramesModel:
    return M.load_default_model()


def test_fast_features_equal_the_pipeline_on_the_shipped_model(shipped_frames, seed_docs):
    texts = [*_sentences(seed_docs.values()), *EDGE_SENTENCES, *CUE_EDGES]
    fast = shipped_frames.predict_proba(texts)
    assert shipped_frames._features, "the shipped pipeline should compile to the fast features"
    _assert_same_matrix(shipped_frames._features.transform(texts), shipped_frames.pipeline[:-1].transform(texts))
    np.testing.assert_allclose(fast, shipped_frames.pipeline.predict_proba(texts), rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "params",
    [
        {"features__words__analyzer": "char_wb", "features__words__ngram_range": (3, 4), "features__words__sublinear_tf": False},
        {"features__words__ngram_range": (2, 3), "features__words__min_df": 1, "features__words__use_idf": False},
    ],
)
def test_fast_features_equal_the_pipeline_with_other_tfidf_settings(fixture_data, params):
    model = M.train(fixture_data, **params)
    texts = [*fixture_data.texts, *EDGE_SENTENCES, *CUE_EDGES]
    fast = model.predict_proba(texts)
    assert model._features
    _assert_same_matrix(model._features.transform(texts), model.pipeline[:-1].transform(texts))
    np.testing.assert_allclose(fast, model.pipeline.predict_proba(texts), rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "params", [{"features__words__binary": True}, {"features__transformer_weights": {"words": 1.0, "frames": 2.0}}]
)
def test_a_pipeline_of_another_shape_is_transformed_by_scikit_learn(fixture_data, params):
    model = M.train(fixture_data, **params)
    texts = [*fixture_data.texts, *EDGE_SENTENCES]
    probabilities = model.predict_proba(texts)
    assert model._features is False and model.lexicon() is None
    np.testing.assert_allclose(probabilities, model.pipeline.predict_proba(texts), rtol=0, atol=1e-12)


def test_fast_features_refuse_non_strings_and_misaligned_cues(shipped_frames):
    with pytest.raises(TypeError, match="sentence 1 is int"):
        shipped_frames.predict_proba(["fine", 3])
    with pytest.raises(ValueError, match="one sequence per text"):
        shipped_frames.predict_proba(["one", "two"], cues=[[]])


def test_sentence_tokens_are_the_tokens_of_the_sentence_text(seed_docs):
    # Why the analyzer's cues can stand for the model's: FrameFeatures tokenizes each sentence's
    # own text, the analyzer matches doc.sentence_tokens(); on the whole corpus they coincide.
    texts = [*_jsonl_texts("wikinews").values(), *_jsonl_texts("kremlin").values()]
    for doc in [*seed_docs.values(), *(Document.from_text(t, id="open") for t in texts)]:
        for span, tokens in zip(doc.sentences, doc.sentence_tokens(), strict=True):
            shifted = [(t.start - span.start, t.end - span.start) for t in tokens]
            assert shifted == token_spans(doc.text[span.start : span.end])


def test_the_analyzer_passes_its_cues_to_the_model_without_changing_a_probability(seed_docs):
    resources = Resources()
    model, lexicon = resources.frames_model(), frame_lexicon(resources)
    for doc in seed_docs.values():
        cues = [lexicon.find_in_tokens(doc.text, tokens) for tokens in doc.sentence_tokens()]
        assert frames_analyzer._reusable_cues(resources, model, lexicon, cues) is cues
        texts = _sentences([doc])
        probabilities = model.predict_proba(texts)
        np.testing.assert_array_equal(model.predict_proba(texts, cues=cues), probabilities)
        result = analyze(doc, analyzers=["frames"], resources=resources).analyses["frames"]
        assert [list(s.probabilities.values()) for s in result.sentences] == probabilities.tolist()
    # the cues are used, not ignored: without them the cue features are 0 and probabilities move
    assert not np.array_equal(model.predict_proba(texts, cues=[[] for _ in texts]), probabilities)


def test_cues_of_a_user_extended_frame_lexicon_are_not_passed_to_the_model(seed_docs, tmp_path):
    path = tmp_path / "user.tsv"
    path.write_text(
        "# name: frames-pfc\n# version: t\n# source: written for the tests\n# license: CC0\n"
        "# columns: term, frame, weight, match, note\nterm\tframe\tweight\tmatch\tnote\npresident\tpolitical\t0.9\texact\n",
        encoding="utf-8",
    )
    resources = Resources(lexicon_files=[path])
    doc = seed_docs["002"]
    result = analyze(doc, analyzers=["frames"], resources=resources).analyses["frames"]
    assert any(s.term == "president" for s in result.spans)
    assert frames_analyzer._reusable_cues(resources, resources.frames_model(), frame_lexicon(resources), []) is None
    expected = M.load_default_model().predict_proba(_sentences([doc]))  # the model's own lexicon, matched by it
    assert [list(s.probabilities.values()) for s in result.sentences] == expected.tolist()


# -- data --------------------------------------------------------------------------------------


def test_read_delimited_and_binary_columns_agree(tmp_path, fixture_data):
    frames = list(fixture_data.frames)
    binary = tmp_path / "binary.csv"
    lines = ["sentence," + ",".join(frames)]
    for text, row in zip(fixture_data.texts, fixture_data.Y, strict=True):
        lines.append('"' + text.replace('"', '""') + '",' + ",".join(str(v) for v in row))
    binary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = D.read_multilabel(binary, "sentence", label_columns=frames, min_positives=3)
    assert again.frames == fixture_data.frames and again.texts == fixture_data.texts
    np.testing.assert_array_equal(again.Y, fixture_data.Y)


def test_rare_frames_are_dropped_and_named(fixture_data):
    assert ("political", 2) in fixture_data.dropped and "political" not in fixture_data.frames
    assert "dropped, fewer than 3 positives" in fixture_data.describe()


def test_read_errors_name_the_problem(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("text,economic\na sentence,maybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.csv:2: column 'economic' is 'maybe'; expected 0 or 1"):
        D.read_multilabel(path, label_columns=["economic"], min_positives=0)
    with pytest.raises(ValueError, match=r"no column 'frames' \(--label-column\)"):
        D.read_multilabel(path, label_column="frames")


def test_iterative_folds_spread_every_frame(fixture_data):
    folds = D.iterative_folds(fixture_data.Y, 3)
    assert sorted(np.concatenate(folds)) == list(range(len(fixture_data)))
    for j, n in enumerate(fixture_data.Y.sum(axis=0)):
        per_fold = [fixture_data.Y[f, j].sum() for f in folds]
        assert max(per_fold) - min(per_fold) <= 1, (fixture_data.frames[j], per_fold, n)


# -- model files and the CLI -------------------------------------------------------------------


def test_save_and_load_round_trip(tmp_path, fixture_data):
    model = M.train(fixture_data)
    path = tmp_path / "frames.joblib"
    M.save_model(model, path)
    loaded = M.load_model(path)
    assert loaded.frames == fixture_data.frames and loaded.trained_on["n"] == len(fixture_data)
    np.testing.assert_array_equal(loaded.predict_proba(fixture_data.texts), model.predict_proba(fixture_data.texts))


def test_models_of_the_other_kind_are_refused_clearly(tmp_path, fixture_data):
    frames_model = tmp_path / "frames.joblib"
    M.save_model(M.train(fixture_data), frames_model)
    with pytest.raises(ModelFormatError, match=r"is a frames model .*not a loaded-sentence model; use it with --task frames"):
        loaded_classifier.load_model(frames_model)
    with pytest.raises(ModelFormatError, match=r"is a loaded-sentence model .*not a frames model; use it with --task loaded"):
        M.load_model(_shipped_loaded_model(), name="loaded_default.joblib")
    with pytest.raises(ModelFormatError, match="is not a framing frames model"):
        M.load_model(FIXTURE)


def _shipped_loaded_model() -> io.BytesIO:
    from importlib import resources

    return io.BytesIO(resources.files("framing.models").joinpath("loaded_default.joblib").read_bytes())


def test_cli_round_trip_on_a_delimited_column(tmp_path, capsys):
    model = tmp_path / "m.joblib"
    args = ["--task", "frames", "--data", str(FIXTURE), "--label-column", "pfc", "--delimiter", ";"]
    assert main(["train", *args, "--min-positives", "3", "-o", str(model)]) == 0
    assert "dropped, fewer than 3 positives" in capsys.readouterr().out
    assert main(["evaluate", *args, "--model", str(model)]) == 0
    out = capsys.readouterr().out
    assert "held-out evaluation on 34 sentences" in out and "micro-F1" in out and "macro-F1" in out
    assert "economic" in out and "external_regulation" in out
    assert main(["evaluate", *args, "--min-positives", "3", "--cv", "3"]) == 0
    assert "3-fold cross-validation" in capsys.readouterr().out
    assert main(["evaluate", *args, "--lexicon-only"]) == 0
    assert "lexicon-only detection" in capsys.readouterr().out


def test_cli_round_trip_on_binary_columns(tmp_path, capsys):
    data = tmp_path / "binary.csv"
    data.write_text(
        "text,economic,security_defense\n"
        + "".join(f'"{t}",1,0\n' for t in ["Trade in roubles grew.", "The dollar fell.", "Prices rose again.", "Investment slowed."])
        + "".join(f'"{t}",0,1\n' for t in ["The army moved.", "Troops crossed the border.", "Missiles were tested.", "The alliance drilled."]),
        encoding="utf-8",
    )  # written for the tests
    model = tmp_path / "m.joblib"
    args = ["--task", "frames", "--data", str(data), "--label-column", "economic,security_defense"]
    assert main(["train", *args, "--min-positives", "2", "-o", str(model)]) == 0
    assert main(["evaluate", *args, "--model", str(model)]) == 0
    out = capsys.readouterr().out
    assert "held-out evaluation on 8 sentences, 2 frames" in out


def test_cli_wrong_model_kind_is_an_error_message(tmp_path):
    stderr = io.StringIO()
    args = ["evaluate", "--task", "frames", "--data", str(FIXTURE), "--label-column", "pfc", "--model"]
    assert main([*args, "framing/models/loaded_default.joblib"], stderr=stderr) == 1
    assert "is a loaded-sentence model" in stderr.getvalue() and "--task loaded" in stderr.getvalue()


def test_task_loaded_stays_the_default(tmp_path, capsys):
    model = tmp_path / "m.joblib"
    assert main(["train", "--data", str(LOADED_FIXTURE), "-o", str(model)]) == 0
    assert loaded_classifier.load_model(model).positive_label == "loaded"


# -- the shipped model -------------------------------------------------------------------------


def test_the_shipped_model_names_its_training_data():
    model = M.load_default_model()
    assert model.trained_on["file"] == "corpus/annotations/frames_sentences.csv"
    assert model.trained_on["n"] >= 300
    assert set(model.frames) <= set(FRAMES["pfc"])


def test_the_shipped_model_on_unseen_sentences():
    # Written for the tests (not in the gold): one economic, one military sentence.
    economic, military = M.load_default_model().predict_proba(
        ["Exports of grain rose by a fifth and the central bank cut interest rates.",
         "Warships and fighter jets held exercises near the disputed strait."]
    )  # fmt: skip
    frames = M.load_default_model().frames
    assert economic[frames.index("economic")] > 0.5 > military[frames.index("economic")]
    assert military[frames.index("security_defense")] > 0.5 > economic[frames.index("security_defense")]

"""The loaded-sentence classifier: the feature transformer's estimator contract, training and
evaluation, the model file format, the CLI, and the shipped model's behaviour on seed sentences."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
from scipy.special import expit
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from framing.cli import main
from framing.document import Document
from framing.models.classifier import (
    EVIDENCE_MIN_SCORE,
    ModelFormatError,
    build_pipeline,
    choose_positive,
    cross_validate,
    evaluate,
    load_default_model,
    load_model,
    make_data,
    read_labelled,
    save_model,
    train,
)
from framing.models.features import LoadedFeatures, word_tokens
from framing.pipeline import Resources, analyze
from framing.results import to_jsonable

FIXTURE = Path(__file__).parent / "fixtures" / "seed_sentences_labelled.csv"

# Seed 001, sentence 5 and seed 002, sentence 13 (verbatim).
SEED_LOADED = (
    "Their worldview and policies are in stark contrast to Washington's megalomaniacal drive for hegemony, "
    "its imperial arrogance and forever war agenda, the unparalleled menace it pose to humanity."
)
SEED_PLAIN = "On June 28, Chinese President Xi Jinping met with Russian President Vladimir Putin via videoconference."

# Written for the tests (not in any training file): a tirade and a plain report on one topic.
WRITTEN_LOADED = "The reckless warmongers in Brussels keep peddling their shameless lies about a peaceful neighbour."
WRITTEN_PLAIN = "The foreign ministers of both countries met in Brussels on Tuesday to discuss trade."

# Written for the tests: a three-term lexicon in the shipped format.
TINY_LEXICON = """# name: loaded-language
# version: test
# source: written for the tests
# license: CC-BY-4.0
# columns: term, category, weight, match, note
term\tcategory\tweight\tmatch\tnote
hegemony\tpejorative\t0.8\tstem
arrogance\temotive\t0.6\tstem
perhaps\thedge\t0.5\texact
"""


@pytest.fixture(scope="module")
def data():
    return read_labelled(FIXTURE)


@pytest.fixture
def tiny_lexicon(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.tsv"
    path.write_text(TINY_LEXICON, encoding="utf-8")
    return path


# -- LoadedFeatures: the scikit-learn estimator contract ------------------------------------


def test_init_only_stores_parameters_and_clone_keeps_them(tiny_lexicon):
    features = LoadedFeatures(lexicon=str(tiny_lexicon), use_vader=False)
    assert features.get_params() == {
        "lexicon": str(tiny_lexicon), "use_vader": False, "extra": False, "standardize": False, "scale": 1.0,
    }
    assert not [a for a in vars(features) if a.endswith("_")]  # nothing learned before fit
    copy = clone(features)
    assert copy is not features and copy.get_params() == features.get_params()
    assert LoadedFeatures(use_vader=7).get_params()["use_vader"] == 7  # validation waits for fit


def test_parameters_are_keyword_only():
    with pytest.raises(TypeError):
        LoadedFeatures(None, True)  # type: ignore[misc]


def test_bad_parameters_are_refused_in_fit():
    with pytest.raises(ValueError, match="use_vader must be True or False"):
        LoadedFeatures(use_vader="yes").fit(["a sentence"])
    with pytest.raises(ValueError, match="lexicon must be None"):
        LoadedFeatures(lexicon=42).fit(["a sentence"])


def test_feature_names_match_transform_width(data):
    for use_vader in (True, False):
        features = LoadedFeatures(use_vader=use_vader).fit(data.texts)
        matrix = features.transform(data.texts)
        names = features.get_feature_names_out()
        assert matrix.shape == (len(data.texts), len(names))
        assert ("vader:compound" in names) is use_vader
        assert len(set(names)) == len(names)
        assert np.isfinite(matrix.toarray()).all()


def test_lexicon_features_come_from_the_given_lexicon(tiny_lexicon):
    features = LoadedFeatures(lexicon=tiny_lexicon, use_vader=False).fit([SEED_LOADED])
    assert features.categories_ == ("emotive", "hedge", "pejorative")
    row = dict(zip(features.get_feature_names_out(), features.transform([SEED_LOADED]).toarray()[0], strict=True))
    assert row["lex:pejorative:count"] > 0 and row["lex:emotive:count"] > 0  # hegemony, arrogance
    assert row["lex:hedge:count"] == 0 and row["lex:any"] == 1
    plain = dict(zip(features.get_feature_names_out(), features.transform([SEED_PLAIN]).toarray()[0], strict=True))
    assert plain["lex:any"] == 0


def test_punctuation_and_shape_features():
    features = LoadedFeatures(use_vader=False).fit(["x"])
    names = list(features.get_feature_names_out())
    row = features.transform(['The "experts" LIED again!!']).toarray()[0]
    assert row[names.index("punct:exclamations")] == pytest.approx(np.log1p(2))
    assert row[names.index("punct:quoted_share")] > 0
    assert row[names.index("shape:caps_share")] == pytest.approx(1 / 4)


@pytest.mark.parametrize("method", ["fit", "transform", "fit_transform"])
def test_a_single_string_is_refused(method):
    features = LoadedFeatures(use_vader=False)
    if method == "transform":
        features.fit(["one sentence"])
    with pytest.raises(ValueError, match="iterable over raw text sentences expected, str object received"):
        getattr(features, method)(SEED_PLAIN)


def test_non_string_items_are_refused():
    with pytest.raises(TypeError, match="sentence 1 is int"):
        LoadedFeatures(use_vader=False).fit(["fine", 3])


def test_transform_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError):
        LoadedFeatures().transform([SEED_PLAIN])
    with pytest.raises(NotFittedError):
        LoadedFeatures().get_feature_names_out()


def test_pickle_round_trip_keeps_the_lexicon_and_the_output(tiny_lexicon, data):
    features = LoadedFeatures(lexicon=tiny_lexicon).fit(data.texts)
    restored = pickle.loads(pickle.dumps(features))
    assert (restored.transform(data.texts) != features.transform(data.texts)).nnz == 0
    tiny_lexicon.unlink()  # the fitted table travels inside the estimator, not the path
    assert (pickle.loads(pickle.dumps(restored)).transform([SEED_LOADED]) != features.transform([SEED_LOADED])).nnz == 0


def test_pipeline_pickle_round_trip_gives_identical_predictions(data):
    pipeline = build_pipeline().fit(list(data.texts), data.y)
    restored = pickle.loads(pickle.dumps(pipeline))
    np.testing.assert_array_equal(restored.predict_proba(list(data.texts)), pipeline.predict_proba(list(data.texts)))


def test_grid_search_over_a_features_parameter_and_c(data):
    pipeline = Pipeline([("features", LoadedFeatures()), ("clf", LogisticRegression(class_weight="balanced"))])
    search = GridSearchCV(
        pipeline,
        {"features__use_vader": [True, False], "clf__C": [0.5, 5.0]},
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="f1_macro",
    )
    search.fit(list(data.texts), data.y)
    assert set(search.best_params_) == {"features__use_vader", "clf__C"}
    assert len(search.cv_results_["params"]) == 4
    assert search.best_estimator_.named_steps["features"].use_vader == search.best_params_["features__use_vader"]


def test_full_pipeline_grid_search_over_union_parameters(data):
    search = GridSearchCV(
        build_pipeline(),
        {"features__lexicon__use_vader": [False, True], "clf__Cs": [(1.0,), (4.0,)]},
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
        scoring="f1_macro",
    ).fit(list(data.texts), data.y)
    assert 0.0 <= search.best_score_ <= 1.0


# -- labelled data and the two-label rule ---------------------------------------------------


def test_the_positive_label_rule():
    assert choose_positive(["neutral", "loaded"])[0] == "loaded"
    assert choose_positive(["0", "1"])[0] == "1"
    assert choose_positive(["plain", "Biased"])[0] == "Biased"
    positive, rule = choose_positive(["calm", "heated"])
    assert positive == "heated" and "last alphabetically" in rule
    assert choose_positive(["calm", "heated"], "calm") == ("calm", "given with --positive")


def test_wrong_number_of_labels_names_the_labels():
    with pytest.raises(ValueError, match=r"expected exactly 2 labels, found 3: 'loaded', 'neutral', 'unsure'"):
        choose_positive(["loaded", "neutral", "unsure"])
    with pytest.raises(ValueError, match=r"found 1: 'loaded'"):
        choose_positive(["loaded", "loaded"])
    with pytest.raises(ValueError, match="positive label 'hot' is not one of the labels found"):
        choose_positive(["calm", "heated"], "hot")


def test_read_labelled_with_other_column_names(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text(f'sentence,verdict\n"{SEED_LOADED}",heated\n"{SEED_PLAIN}",calm\n', encoding="utf-8")
    data = read_labelled(path, text_column="sentence", label_column="verdict")
    assert data.positive_label == "heated" and list(data.y) == [1, 0]
    with pytest.raises(ValueError, match=r"no column 'text' \(--text-column\); columns: sentence, verdict"):
        read_labelled(path)


def test_read_labelled_three_labels_is_an_error_naming_them(tmp_path):
    path = tmp_path / "three.csv"
    path.write_text("text,label\na,loaded\nb,neutral\nc,unsure\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"three.csv: expected exactly 2 labels, found 3: 'loaded', 'neutral', 'unsure'"):
        read_labelled(path)


def test_read_labelled_reports_a_row_without_label(tmp_path):
    path = tmp_path / "gap.csv"
    path.write_text("text,label\na,loaded\nb,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"gap.csv:3: empty label"):
        read_labelled(path)


# -- training, evaluation, the model file ---------------------------------------------------


def test_cross_validation_reports_per_class_scores_and_folds(data):
    report = cross_validate(data, 3)
    assert [c.label for c in report.classes] == ["neutral", "loaded"]
    assert sum(c.support for c in report.classes) == len(data) == report.n
    assert len(report.fold_macro_f1) == 3
    assert report.macro_f1 == pytest.approx(np.mean([c.f1 for c in report.classes]))
    assert "macro-F1 per fold" in report.format()
    with pytest.raises(ValueError, match="at least 20 sentences of each label"):
        cross_validate(data, 20)


def test_save_and_load_round_trip(tmp_path, data):
    model = train(data)
    path = tmp_path / "model.joblib"
    save_model(model, path)
    loaded = load_model(path)
    assert loaded.labels == ("neutral", "loaded") and loaded.trained_on["n"] == len(data)
    assert loaded.trained_on["sha256"] == data.sha256
    np.testing.assert_array_equal(loaded.predict_proba(data.texts), model.predict_proba(data.texts))
    assert evaluate(loaded, data).n == len(data)


def _tamper(path: Path, **changes) -> None:
    header = joblib.load(path)
    header.update(changes)
    joblib.dump(header, path)


def test_a_model_from_another_format_version_is_refused_helpfully(tmp_path, data):
    path = tmp_path / "model.joblib"
    save_model(train(data), path)
    _tamper(path, format_version=99, framing_version="9.9.9")
    with pytest.raises(ModelFormatError, match=r"format version 99 .*saved by framing 9\.9\.9.*retrain with `framing train"):
        load_model(path)


def test_a_model_from_another_sklearn_release_is_refused_before_unpickling(tmp_path, data):
    path = tmp_path / "model.joblib"
    save_model(train(data), path)
    _tamper(path, sklearn_version="0.24.2", pipeline=b"not a pickle")  # never unpickled
    with pytest.raises(ModelFormatError, match=r"saved by framing .* / scikit-learn 0\.24\.2; this is framing"):
        load_model(path)


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    with pytest.raises(ModelFormatError, match="is not a framing sentence model"):
        load_model(FIXTURE)
    other = tmp_path / "dict.joblib"
    joblib.dump({"hello": 1}, other)
    with pytest.raises(ModelFormatError, match="no 'framing-sentence-model' header"):
        load_model(other)


def test_evaluate_refuses_data_with_other_labels(data):
    model = train(data)
    other = make_data(["a", "b"], ["calm", "heated"])
    with pytest.raises(ValueError, match="are not the model's"):
        evaluate(model, other)


# -- the CLI --------------------------------------------------------------------------------


def test_cli_train_then_evaluate_then_cross_validate(tmp_path, capsys):
    model = tmp_path / "m.joblib"
    assert main(["train", "--data", str(FIXTURE), "-o", str(model)]) == 0
    out = capsys.readouterr().out
    assert "positive label 'loaded': named like a positive label" in out and model.exists()

    assert main(["evaluate", "--data", str(FIXTURE), "--model", str(model)]) == 0
    out = capsys.readouterr().out
    assert "held-out evaluation on 32 sentences" in out and "macro-F1" in out
    assert "loaded" in out and "neutral" in out

    assert main(["evaluate", "--data", str(FIXTURE), "--cv", "3"]) == 0
    out = capsys.readouterr().out
    assert "3-fold cross-validation" in out and "±" in out


def test_cli_errors_are_messages_not_tracebacks(tmp_path):
    three = tmp_path / "three.csv"
    three.write_text("text,label\na,x\nb,y\nc,z\n", encoding="utf-8")
    stderr = io.StringIO()
    assert main(["train", "--data", str(three), "-o", str(tmp_path / "m")], stderr=stderr) == 1
    assert "found 3: 'x', 'y', 'z'" in stderr.getvalue()
    stderr = io.StringIO()
    assert main(["evaluate", "--data", str(FIXTURE), "--model", str(FIXTURE)], stderr=stderr) == 1
    assert "is not a framing sentence model" in stderr.getvalue()


def test_score_uses_the_model_given_with_model(tmp_path, data):
    path = tmp_path / "m.joblib"
    save_model(train(data), path)
    doc = Document.from_text(f"{SEED_LOADED}\n\n{SEED_PLAIN}\n", id="two")
    result = analyze(doc, analyzers=["loaded_sentences"], resources=Resources(model=path))
    assert "n=32" in result.analyses["loaded_sentences"].model


# -- the shipped model and the analyzer -----------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_default_model()


def test_the_shipped_model_loads_and_names_its_training_data(shipped):
    assert shipped.positive_label == "loaded"
    # Trained by `make model`: the in-house labels and, where eval-data was present, three
    # independent sets; the model card names each with its terms.
    names = [s["name"] for s in shipped.trained_on.get("sets", [{"name": "in-house (repo)"}])]
    assert names[0] == "in-house (repo)" and shipped.trained_on["n"] >= 798
    data = shipped.card["training_data"]
    assert [d["name"] for d in data] == names and all(d["terms"] for d in data)
    assert "weights only" in shipped.card["terms"] or "no sentence" in shipped.card["terms"]
    assert shipped.card["command"].startswith("make model")
    assert 0 < shipped.threshold < 1 and shipped.card["threshold"] == pytest.approx(shipped.threshold)


def test_the_shipped_model_ranks_a_loaded_seed_sentence_above_a_plain_one(shipped):
    loaded, plain = shipped.predict_proba([SEED_LOADED, SEED_PLAIN])
    assert loaded > 0.5 > plain


def test_the_shipped_model_ranks_unseen_sentences_the_same_way(shipped):
    loaded, plain = shipped.predict_proba([WRITTEN_LOADED, WRITTEN_PLAIN])
    assert loaded > plain


def test_analyzer_scores_every_sentence_with_offsets_into_the_text(seed_docs):
    doc = seed_docs["001"]
    result = analyze(doc, analyzers=["loaded_sentences"], resources=Resources()).analyses["loaded_sentences"]
    assert len(result.sentences) == len(doc.sentences)
    for sentence, span in zip(result.sentences, doc.sentences, strict=True):
        assert (sentence.start, sentence.end) == (span.start, span.end)
        assert 0.0 <= sentence.probability <= 1.0
        assert sentence.label == ("loaded" if sentence.probability >= result.threshold else "neutral")
    (target,) = [s for s in result.sentences if doc.text[s.start : s.end] == SEED_LOADED]
    assert target.label == "loaded" and target.voice == "author"
    figures = result.figures()
    assert figures["loaded_sentences_share"] == pytest.approx(
        sum(s.probability >= result.threshold for s in result.sentences) / len(result.sentences)
    )
    assert 0 < figures["loaded_sentences_mean_probability"] < 1


def test_analyzer_on_a_document_without_sentences():
    doc = Document.from_text("", id="empty")
    result = analyze(doc, analyzers=["loaded_sentences"], resources=Resources()).analyses["loaded_sentences"]
    assert result.sentences == () and result.figures()["loaded_sentences_share"] == 0.0


# -- the fast scoring path ------------------------------------------------------------------

# Written for the tests: inputs at the edges of the TF-IDF arithmetic (no n-gram in the
# vocabulary, only punctuation, runs of whitespace, Greek final sigma, dotted capital I, a word
# repeated so counts exceed 1).
EDGE_SENTENCES = (
    "",
    "   ",
    "!!! ??? ...",
    "Qxzv wqpf",
    "ΟΔΟΣ Σ and the   regime\tregime regime’s “lies”",
    "İstanbul’s mayor said: hegemony, HEGEMONY, hegemony!",
)


def _seed_sentences(seed_docs) -> list[str]:
    return [doc.text[s.start : s.end] for doc in seed_docs.values() for s in doc.sentences]


def test_fast_path_equals_the_pipeline_on_the_shipped_model(shipped, seed_docs):
    texts = [*_seed_sentences(seed_docs), *EDGE_SENTENCES, WRITTEN_LOADED, WRITTEN_PLAIN]
    fast = shipped.predict_proba(texts)
    assert shipped._scorer, "the shipped pipeline should compile to the fast scorer"
    np.testing.assert_allclose(fast, shipped.pipeline.predict_proba(texts)[:, 1], rtol=0, atol=1e-12)
    # a second call goes through the per-word n-gram cache and must give the same numbers
    np.testing.assert_array_equal(shipped.predict_proba(texts), fast)


def _with_chars(**options):
    """Union settings with a character block beside the shipped word and lexicon blocks."""
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=options.pop("sublinear", True))
    chars = TfidfVectorizer(analyzer=options.pop("analyzer", "char_wb"), ngram_range=(3, 4), use_idf=options.pop("use_idf", True))
    return [("words", words), ("chars", chars), ("lexicon", LoadedFeatures(use_vader=False, extra=True, standardize=True))]


def test_fast_path_equals_the_pipeline_with_other_tfidf_settings(data):
    model = train(data, features__transformer_list=_with_chars(sublinear=False, use_idf=False))
    texts = [*data.texts, *EDGE_SENTENCES]
    fast = model.predict_proba(texts)
    assert model._scorer
    np.testing.assert_allclose(fast, model.pipeline.predict_proba(texts)[:, 1], rtol=0, atol=1e-12)


def test_fast_path_equals_the_pipeline_with_a_plain_logistic_regression(data):
    model = train(data, clf=LogisticRegression(C=2.0, max_iter=2000), features__transformer_list=_with_chars())
    texts = [*data.texts, *EDGE_SENTENCES]
    fast = model.predict_proba(texts)
    assert model._scorer and model.threshold == 0.5
    np.testing.assert_allclose(fast, model.pipeline.predict_proba(texts)[:, 1], rtol=0, atol=1e-12)


def test_a_pipeline_of_another_shape_is_scored_by_scikit_learn(data):
    model = train(data, features__transformer_list=_with_chars(analyzer="char"))
    texts = [*data.texts, *EDGE_SENTENCES]
    probabilities = model.predict_proba(texts)
    assert model._scorer is False
    np.testing.assert_array_equal(probabilities, model.pipeline.predict_proba(texts)[:, 1])


def test_fast_path_refuses_non_strings(shipped):
    with pytest.raises(TypeError, match="sentence 1 is int"):
        shipped.predict_proba(["fine", 3])


# -- loaded_sentences reuses the loaded analyzer's lexicon matches ---------------------------

# Written for the tests: a user lexicon row that matches words of every seed article.
USER_LEXICON = TINY_LEXICON.replace("hegemony\tpejorative\t0.8\tstem\n", "president\tpejorative\t0.8\tstem\n")


def _sentence_probabilities(doc, resources, analyzers):
    result = analyze(doc, analyzers=analyzers, resources=resources).analyses["loaded_sentences"]
    return np.array([s.probability for s in result.sentences])


def test_loaded_sentences_reuses_the_loaded_matches_with_the_same_result(seed_docs):
    from framing.analyzers import loaded_sentences

    resources = Resources()
    for doc in seed_docs.values():
        prior = {"loaded": analyze(doc, analyzers=["loaded"], resources=resources).analyses["loaded"]}
        model = resources.sentence_model()
        assert loaded_sentences._reusable_matches(doc, resources, model, prior) is not None
        np.testing.assert_array_equal(
            _sentence_probabilities(doc, resources, ["loaded", "loaded_sentences"]),
            _sentence_probabilities(doc, resources, ["loaded_sentences"]),
        )


def test_matches_of_a_user_extended_lexicon_are_not_reused(seed_docs, tmp_path):
    from framing.analyzers import loaded_sentences

    path = tmp_path / "user.tsv"
    path.write_text(USER_LEXICON, encoding="utf-8")
    resources = Resources(lexicon_files=[path])
    doc = seed_docs["002"]
    prior = {"loaded": analyze(doc, analyzers=["loaded"], resources=resources).analyses["loaded"]}
    assert any(m.term == "president" for sentence in prior["loaded"].lexicon_matches for m in sentence)
    assert loaded_sentences._reusable_matches(doc, resources, resources.sentence_model(), prior) is None
    np.testing.assert_array_equal(
        _sentence_probabilities(doc, resources, ["loaded", "loaded_sentences"]),
        _sentence_probabilities(doc, Resources(), ["loaded_sentences"]),
    )


def test_the_documents_word_tokens_give_the_same_probabilities_as_tokenizing_again(seed_docs, shipped):
    # loaded_sentences hands the model Document.sentence_words() instead of letting it
    # tokenize each sentence on its own: the two must be the same words.
    for doc in seed_docs.values():
        texts = [doc.text[s.start : s.end] for s in doc.sentences]
        np.testing.assert_array_equal(shipped.predict_proba(texts, words=doc.sentence_words()), shipped.predict_proba(texts))
    with pytest.raises(ValueError, match="words: expected one entry per text"):
        shipped.predict_proba(texts, words=doc.sentence_words()[:-1])


def test_raw_lexicon_matches_stay_out_of_the_json_record(seed_docs):
    result = analyze(seed_docs["001"], analyzers=["loaded"], resources=Resources()).analyses["loaded"]
    assert result.lexicon_matches and "lexicon_matches" not in to_jsonable(result)


# -- explanations: the words behind each probability -----------------------------------------

# Written for the tests; the loaded words of each, marked by hand: the words a reader would
# point to as the loaded wording.
EXPLAINED = (
    (WRITTEN_LOADED, {"reckless", "warmongers", "peddling", "shameless", "lies"}),
    ("Critics say the so-called reform is a cynical ploy to silence dissent.", {"so-called", "cynical", "ploy"}),
)


def test_the_evidence_of_a_loaded_sentence_is_its_loaded_words(shipped):
    probabilities, evidence = shipped.score([text for text, _ in EXPLAINED])
    for (text, loaded_words), p, found in zip(EXPLAINED, probabilities, evidence, strict=True):
        assert p > shipped.threshold
        words = [text[e.start : e.end].lower() for e in found]
        assert words[0] in loaded_words and len(set(words) & loaded_words) >= 2, words
        assert [e.score for e in found] == sorted((e.score for e in found), reverse=True)
        assert all(e.score >= EVIDENCE_MIN_SCORE for e in found)


def test_a_plain_sentence_has_weaker_evidence_than_a_loaded_one(shipped):
    _, (loaded, plain) = shipped.score([WRITTEN_LOADED, WRITTEN_PLAIN])
    assert max((e.score for e in plain), default=0.0) < loaded[0].score / 3


def test_word_shares_and_the_rest_add_up_to_the_probability(shipped):
    for text in (WRITTEN_LOADED, WRITTEN_PLAIN, SEED_LOADED, *EDGE_SENTENCES):
        shares, rest = shipped._scorer.decision_parts(text)
        slope, offset = shipped.pipeline.steps[-1][1].calibration_
        assert len(shares) == len(word_tokens(text))
        assert expit(slope * (shares.sum() + rest) + offset) == pytest.approx(shipped.predict_proba([text])[0], abs=1e-12)


def test_evidence_is_the_same_whatever_the_caller_hands_over(shipped, seed_docs):
    doc = seed_docs["001"]
    texts = [doc.text[s.start : s.end] for s in doc.sentences]
    alone = shipped.score(texts)
    resources = Resources()
    prior = analyze(doc, analyzers=["sentiment", "loaded"], resources=resources).analyses
    from framing.analyzers.loaded_sentences import _reusable_matches, _vader_scores

    handed = shipped.score(
        texts, lexicon_matches=_reusable_matches(doc, resources, shipped, prior), words=doc.sentence_words(),
        vader=_vader_scores(doc, prior), origins=[s.start for s in doc.sentences],
    )
    np.testing.assert_allclose(handed[0], alone[0], rtol=0, atol=1e-12)
    assert [[(e.start, e.end) for e in found] for found in handed[1]] == [[(e.start, e.end) for e in found] for found in alone[1]]


def test_the_analyzer_returns_evidence_spans_into_the_text(seed_docs):
    doc = seed_docs["001"]
    result = analyze(doc, analyzers=["sentiment", "loaded", "loaded_sentences"], resources=Resources())
    scored = result.analyses["loaded_sentences"]
    (target,) = [s for s in scored.sentences if doc.text[s.start : s.end] == SEED_LOADED]
    assert {e.text for e in target.evidence} & {"megalomaniacal", "hegemony", "menace", "arrogance"}
    for sentence in scored.sentences:
        for e in sentence.evidence:
            assert sentence.start <= e.start < e.end <= sentence.end and doc.text[e.start : e.end] == e.text
    record = to_jsonable(scored)
    assert {"start", "end", "text", "score"} <= set(record["sentences"][0]["evidence"][0])


def test_the_sentiment_analyzers_vader_scores_give_the_same_probabilities(seed_docs):
    for doc in seed_docs.values():
        with_prior = analyze(doc, analyzers=["sentiment", "loaded_sentences"], resources=Resources())
        without = analyze(doc, analyzers=["loaded_sentences"], resources=Resources())
        np.testing.assert_allclose(
            [s.probability for s in with_prior.analyses["loaded_sentences"].sentences],
            [s.probability for s in without.analyses["loaded_sentences"].sentences],
            rtol=0, atol=1e-12,
        )


def test_a_model_the_fast_path_cannot_read_gives_no_evidence(data):
    model = train(data, features__transformer_list=_with_chars(analyzer="char"))
    probabilities, evidence = model.score([WRITTEN_LOADED])
    assert evidence is None and 0 <= probabilities[0] <= 1

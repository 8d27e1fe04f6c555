"""Frames at two levels: sentence and article labels, per-frame thresholds chosen on training
folds only, the article-level features, the model file, and the analyzer with an article model.

Article data: corpus/annotations/frames_articles.csv, whole articles of corpus/open labelled
by hand for this project (see corpus/annotations/README.md); sentence data: the hand-labelled
seed sentences of tests/fixtures/frames_seed_sentences.csv.
"""

from __future__ import annotations

import csv
import io
import json
import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.base import clone

from framing.cli import main
from framing.document import Document
from framing.frames import analyzer as frames_analyzer
from framing.frames import data as D
from framing.frames import evaluation as E
from framing.frames import model as M
from framing.frames import thresholds as T
from framing.frames.features import ArticleFrameFeatures, FrameFeatures, headline_and_lead
from framing.models.baseline import baseline_pipeline
from framing.models.modelfile import ModelFormatError
from framing.pipeline import Resources, analyze

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "corpus" / "annotations" / "frames_articles.csv"
SENTENCES = Path(__file__).parent / "fixtures" / "frames_seed_sentences.csv"
SUBSET = 60  # articles used where a whole CLI round trip or a cross-validation runs


@pytest.fixture(scope="module")
def article_csv(tmp_path_factory) -> Path:
    """The first SUBSET hand-labelled articles, as a user's article CSV (id, title, text, pfc)."""
    with ARTICLES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:SUBSET]
    path = tmp_path_factory.mktemp("articles") / "articles.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["id", "title", "text", "pfc"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def articles() -> D.MultiLabelData:
    return D.read_multilabel(ARTICLES, label_column="pfc", title_column="title")


@pytest.fixture(scope="module")
def article_model(articles) -> M.FramesModel:
    return M.train(articles)


@pytest.fixture(scope="module")
def sentences() -> D.MultiLabelData:
    return D.read_multilabel(SENTENCES, label_column="pfc", min_positives=3)


# -- the level ---------------------------------------------------------------------------------


def test_the_level_is_detected_from_the_texts(articles, sentences):
    assert articles.level == "article" and sentences.level == "sentence"
    assert "242 articles" in articles.describe()
    # written for the test: two short paragraphs read as an article, one long line as a sentence
    assert D.detect_level(["Troops moved.\n\nThe talks failed.", "Prices rose.\nBanks shut."]) == "article"
    assert D.detect_level(["Troops moved north after the talks failed."]) == "sentence"


def test_a_title_column_becomes_the_first_line(articles):
    with ARTICLES.open(encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    assert articles.texts[0] == f"{first['title']}\n\n{first['text']}"
    assert articles.title_column == "title"


def test_an_unknown_level_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown level 'paragraph'; expected one of sentence, article"):
        D.read_multilabel(SENTENCES, label_column="pfc", min_positives=3, level="paragraph")


def test_article_labels_train_on_whole_article_features(article_model, articles):
    assert article_model.level == "article" and article_model.trained_on["n"] == len(articles) == 242
    blocks = dict(article_model.pipeline[0].transformer_list)
    assert isinstance(blocks["frames"], ArticleFrameFeatures) and "chars" in blocks
    # one row of probabilities per article, not per sentence
    probabilities = article_model.predict_proba(articles.texts[:3])
    assert probabilities.shape == (3, len(articles.frames))


def test_the_sentence_level_keeps_the_sentence_features(sentences):
    model = M.train(sentences)
    assert model.level == "sentence"
    assert isinstance(dict(model.pipeline[0].transformer_list)["frames"], FrameFeatures)


def test_cli_level_article_and_sentence(article_csv, tmp_path, capsys):
    common = ["--task", "frames", "--data", str(article_csv), "--label-column", "pfc", "--title-column", "title",
              "--min-positives", "6"]  # fmt: skip
    model = tmp_path / "articles.joblib"
    assert main(["train", *common, "-o", str(model)]) == 0
    out = capsys.readouterr().out
    assert f"{SUBSET} articles" in out and "(detected; --level to choose)" in out and "article-level model" in out
    assert M.load_model(model).level == "article"
    assert main(["evaluate", *common, "--cv", "3", "--baseline"]) == 0
    out = capsys.readouterr().out
    assert f"3-fold cross-validation on {SUBSET} articles" in out
    assert "per-frame thresholds chosen by inner cross-validation on the training texts" in out
    assert "one-vs-rest, threshold 0.5), same folds" in out and "model − baseline" in out
    forced = tmp_path / "as-sentences.joblib"
    assert main(["train", *common, "--level", "sentence", "-o", str(forced)]) == 0
    assert f"{SUBSET} sentences" in capsys.readouterr().out
    assert M.load_model(forced).level == "sentence"


def test_level_and_title_column_apply_to_frames_only(tmp_path):
    stderr = io.StringIO()
    code = main(["train", "--data", str(SENTENCES), "--label-column", "pfc", "--level", "article", "-o",
                 str(tmp_path / "m.joblib")], stderr=stderr)  # fmt: skip
    assert code == 1 and "--level and --title-column apply to --task frames only" in stderr.getvalue()


# -- thresholds --------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["sentence", "article"])
def test_thresholds_are_chosen_on_training_folds_only(monkeypatch, sentences, articles, level):
    """Record which rows each threshold choice saw: in every fold, exactly that fold's
    training rows and none of its test rows. Choosing thresholds on all the data, or on the
    pooled out-of-fold predictions, would make this fail."""
    data = sentences if level == "sentence" else D.make_multilabel(
        articles.texts[:SUBSET], [set(np.array(articles.frames)[row == 1]) for row in articles.Y[:SUBSET]],
        min_positives=6, level="article",
    )  # fmt: skip
    index = {text: i for i, text in enumerate(data.texts)}
    assert len(index) == len(data)  # every row identified by its text
    seen: list[set[int]] = []
    real = T.inner_probabilities

    def recording(estimator, texts, Y, cv, random_state=0):
        seen.append({index[t] for t in texts})
        return real(estimator, texts, Y, cv, random_state)

    monkeypatch.setattr(T, "inner_probabilities", recording)
    E.cross_validate(data, 3)
    folds = D.iterative_folds(data.Y, 3)
    assert len(seen) == len(folds) == 3
    for rows, test in zip(seen, folds, strict=True):
        assert rows.isdisjoint(test.tolist())
        assert rows == set(range(len(data))) - set(test.tolist())


def test_thresholds_are_halfway_between_each_frames_best_and_the_common_best():
    Y = np.array([[1, 0], [1, 0], [0, 0], [0, 1]])
    P = np.array([[0.30, 0.9], [0.25, 0.8], [0.10, 0.7], [0.05, 0.95]])
    # frame 0: any threshold in (0.10, 0.25] separates; nearest 0.5 on the grid is 0.25.
    # frame 1: only 0.95 gets the one positive without the three negatives.
    assert T.best_frame_thresholds(P, Y).tolist() == [0.25, 0.95]
    assert T.best_frame_thresholds(P, np.zeros_like(Y)).tolist() == [0.5, 0.5]  # no positives: keep 0.5
    # one threshold for both: 0.15-0.25 give micro-F1 0.6 (3 of 3 positives, 4 false), the best;
    # nearest 0.5 is 0.25
    assert T.best_common_threshold(P, Y) == 0.25
    assert T.choose_thresholds(P, Y).tolist() == [0.25, 0.6]


def test_decide_gives_at_least_min_frames():
    P = np.array([[0.2, 0.1, 0.6], [0.1, 0.3, 0.2]])
    thresholds = [0.5, 0.2, 0.7]
    assert T.decide(P, thresholds).tolist() == [[0, 0, 0], [0, 1, 0]]
    # row 0: the largest probability / threshold is 0.6 / 0.7 (frame 2), not 0.2 / 0.5
    assert T.decide(P, thresholds, min_frames=1).tolist() == [[0, 0, 1], [0, 1, 0]]


def test_min_frames_auto_follows_the_training_labels(sentences):
    model = T.ThresholdedFrames(M.build_pipeline(), cv=2).fit(list(sentences.texts), sentences.Y)
    assert model.min_frames_ == int(bool(sentences.Y.sum(axis=1).all()))
    Y = sentences.Y.copy()
    Y[0] = 0  # one sentence evokes none of the frames
    assert T.ThresholdedFrames(M.build_pipeline(), cv=2).fit(list(sentences.texts), Y).min_frames_ == 0


def test_thresholded_frames_checks_its_parameters(sentences):
    texts, Y = list(sentences.texts), sentences.Y
    with pytest.raises(ValueError, match="cv must be a whole number >= 2"):
        T.ThresholdedFrames(M.build_pipeline(), cv=1).fit(texts, Y)
    with pytest.raises(ValueError, match="min_frames must be 'auto', 0 or 1"):
        T.ThresholdedFrames(M.build_pipeline(), min_frames=2).fit(texts, Y)
    assert clone(T.ThresholdedFrames(M.build_pipeline(), cv=4)).get_params()["cv"] == 4


def test_the_baseline_decides_at_one_half_and_ours_by_its_thresholds(sentences):
    ours = E.cross_validate(sentences, 3)
    base = E.cross_validate(sentences, 3, template=baseline_pipeline(multilabel=True))
    assert ours.decisions.startswith("per-frame thresholds") and base.decisions == "threshold 0.5"


# -- article features --------------------------------------------------------------------------

# Written for the tests: a headline, a lead and a body, each with one cue of a different frame.
ARTICLE = "Sanctions bite\n\nThe army moved north on Monday.\n\nLater, the court heard the case."


def test_headline_and_lead_positions():
    headline, lead = headline_and_lead(ARTICLE, lead_words=6)
    assert ARTICLE[:headline] == "Sanctions bite"
    assert ARTICLE[headline:lead].split() == ["The", "army", "moved", "north", "on", "Monday."]
    # a first line ending like a sentence is no headline; a text shorter than the lead is all lead
    assert headline_and_lead("It rained.\n\nThen it stopped.", 50) == (0, len("It rained.\n\nThen it stopped."))


def test_cues_count_more_in_the_headline_and_the_lead():
    features = ArticleFrameFeatures(headline_weight=3.0, lead_weight=2.0, lead_words=6).fit([ARTICLE])
    names = list(features.get_feature_names_out())
    row = features.transform([ARTICLE]).toarray()[0]
    flat = ArticleFrameFeatures(headline_weight=1.0, lead_weight=1.0, lead_words=6).fit([ARTICLE])
    flat_row = flat.transform([ARTICLE]).toarray()[0]
    economic, security, legality = (names.index(f"pfc:{f}") for f in ("economic", "security_defense", "legality"))
    # "Sanctions" (headline) x3, "army" (lead) x2, "court" (body) x1: log(1 + weighted mass)
    assert np.expm1(row[economic]) == pytest.approx(3 * np.expm1(flat_row[economic]))
    assert np.expm1(row[security]) == pytest.approx(2 * np.expm1(flat_row[security]))
    assert row[legality] == pytest.approx(flat_row[legality])
    shares = [names.index(n) for n in names if n.startswith("pfc:") and n.endswith(":share")]
    assert row[shares].sum() == pytest.approx(1.0)


def test_article_features_follow_the_estimator_contract(articles):
    features = ArticleFrameFeatures(lead_words=30)
    assert clone(features).get_params() == features.get_params()
    assert not [a for a in vars(features) if a.endswith("_")]
    features.fit(articles.texts[:20])
    matrix = features.transform(articles.texts[:20])
    assert matrix.shape == (20, len(features.get_feature_names_out())) == (20, 2 * (15 + 5))
    again = pickle.loads(pickle.dumps(features))
    assert (again.transform(articles.texts[:20]) != matrix).nnz == 0
    with pytest.raises(ValueError, match="ArticleFrameFeatures.fit: iterable over raw text"):
        ArticleFrameFeatures().fit(ARTICLE)
    with pytest.raises(ValueError, match="lead_words must be a whole number >= 0"):
        ArticleFrameFeatures(lead_words=-1).fit([ARTICLE])
    with pytest.raises(ValueError, match="headline_weight must be a positive number"):
        ArticleFrameFeatures(headline_weight=0).fit([ARTICLE])


def test_the_article_model_fast_path_equals_the_pipeline(article_model, articles):
    texts = list(articles.texts[:40])
    assert article_model._compiled() and article_model.lexicon() is None  # article cues are matched by the model
    np.testing.assert_allclose(
        article_model.predict_proba(texts), article_model.pipeline.predict_proba(texts), rtol=0, atol=1e-12
    )


# -- model files -------------------------------------------------------------------------------


def test_an_article_model_survives_save_and_load(article_model, articles, tmp_path):
    path = tmp_path / "articles.joblib"
    M.save_model(article_model, path)
    loaded = M.load_model(path)
    assert (loaded.level, loaded.thresholds, loaded.min_frames) == (
        "article", article_model.thresholds, article_model.min_frames
    )
    assert loaded.trained_on["title_column"] == "title"
    texts = list(articles.texts[:10])
    np.testing.assert_array_equal(loaded.predict_proba(texts), article_model.predict_proba(texts))
    assert loaded.predict(texts) == article_model.predict(texts)
    assert all(frames for frames in loaded.predict(texts))  # every training article had a frame: min_frames 1
    assert loaded.min_frames == 1


def test_a_model_file_from_before_levels_is_refused_clearly(article_model, tmp_path):
    path = tmp_path / "old.joblib"
    M.save_model(article_model, path)
    header = joblib.load(path)
    del header["level"], header["thresholds"]
    joblib.dump(header, path)
    with pytest.raises(ModelFormatError, match="before its header had level, thresholds.*retrain with"):
        M.load_model(path)


# -- the analyzer with an article model --------------------------------------------------------


def test_the_analyzer_scores_the_whole_article_with_an_article_model(article_model, tmp_path):
    path = tmp_path / "articles.joblib"
    M.save_model(article_model, path)
    resources = Resources(frames_model=[path])
    assert resources.frames_model("article") is not None and resources.frames_model() is not None  # + shipped
    text = "Troops and tanks crossed the border at dawn.\n\nThe defence ministry said the army would hold the line."
    doc = Document.from_text(text, id="w", metadata={"title": "Army on the border"})  # written for the test
    assert frames_analyzer.article_text(doc).startswith("Army on the border\n\n")
    result = analyze(doc, analyzers=["frames"], resources=resources).analyses["frames"]
    article = result.article_model
    expected = article_model.predict_proba([frames_analyzer.article_text(doc)])[0]
    assert [article.probabilities[f] for f in article.frames] == expected.tolist()
    assert "security_defense" in article.predicted and article.dominant == "security_defense"
    figures = result.figures()
    assert figures["frames_article_frames"] == ";".join(article.predicted)
    assert figures["frames_article_security_defense_probability"] == article.probabilities["security_defense"]
    assert result.model is not None  # the sentence model still scores the sentences


def test_two_models_of_one_level_are_refused(article_model, tmp_path):
    paths = [tmp_path / "a.joblib", tmp_path / "b.joblib"]
    for path in paths:
        M.save_model(article_model, path)
    with pytest.raises(ValueError, match="two article-level frames models given"):
        Resources(frames_model=paths).frames_model()


def test_score_takes_an_article_model_beside_the_shipped_sentence_model(article_model, tmp_path):
    path = tmp_path / "articles.joblib"
    M.save_model(article_model, path)
    out = tmp_path / "out.jsonl"
    text = "Parliament passed the budget.\n\nThe opposition voted against the law in the election year.\n"
    code = main(["score", "-", "-o", str(out), "--analyzers", "frames", "--frames-model", str(path), "--quiet"],
                stdin=io.BytesIO(text.encode()))  # fmt: skip
    assert code == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["frames"]["article_model"]["model"].startswith("framing-frames-model v1 (articles)")
    assert record["frames"]["model"]["model"].startswith("framing-frames-model v1 (sentences)")

"""CalibratedLogistic: C and dataset weighting chosen on inner folds, calibrated probabilities,
the estimator contract. Data: the repository's hand-labelled sentences
(corpus/annotations/loaded_sentences.csv), whose ``source`` column (Kremlin transcripts,
Wikinews, seed articles, sentences written by the annotator) stands for the datasets."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import numpy as np
import pytest
from scipy.special import expit
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer

from framing.models.linear import CalibratedLogistic, dataset_weights

LABELS = Path(__file__).resolve().parent.parent / "corpus" / "annotations" / "loaded_sentences.csv"


@pytest.fixture(scope="module")
def labelled():
    with open(LABELS, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["text"].strip()]
    texts = [r["text"] for r in rows]
    y = np.array([r["label"] == "loaded" for r in rows], dtype=np.int64)
    X = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit_transform(texts)
    return X, y, np.array([r["source"] for r in rows]), np.array([r["doc_id"] for r in rows])


def test_parameters_are_stored_and_clone_keeps_them():
    model = CalibratedLogistic(Cs=(0.5, 2.0), weightings=("dataset",), inner_folds=4)
    assert model.get_params() == {
        "Cs": (0.5, 2.0), "weightings": ("dataset",), "inner_folds": 4, "max_iter": 5000, "random_state": 0,
    }
    assert clone(model).get_params() == model.get_params()
    assert not [a for a in vars(model) if a.endswith("_")]


def test_choices_are_made_on_inner_folds_that_leave_each_dataset_out(labelled):
    X, y, sources, articles = labelled
    model = CalibratedLogistic().fit(X, y, groups=articles, datasets=sources)
    assert len(model.Cs) >= 4
    assert set(model.selection_) == {(c, w) for c in model.Cs for w in ("sentence", "dataset")}
    assert model.selection_[(model.C_, model.weighting_)] == max(model.selection_.values())
    assert all(0 <= v <= 1 for v in model.selection_.values())
    assert set(model.dataset_factors_) == set(sources)
    if model.weighting_ == "dataset":  # every source weighs the same in total
        totals = {s: model.dataset_factors_[s] * int((sources == s).sum()) for s in set(sources)}
        assert max(totals.values()) == pytest.approx(min(totals.values()))


def test_one_dataset_uses_grouped_inner_folds_and_only_the_first_weighting(labelled):
    X, y, _, articles = labelled
    model = CalibratedLogistic(Cs=(0.25, 1.0)).fit(X, y, groups=articles)
    assert set(model.selection_) == {(0.25, "sentence"), (1.0, "sentence")}
    assert model.dataset_factors_ == {"data": 1.0}


def test_probabilities_are_calibrated_and_the_label_is_the_balanced_decision(labelled):
    X, y, sources, articles = labelled
    model = CalibratedLogistic().fit(X, y, groups=articles, datasets=sources)
    slope, offset = model.calibration_
    assert slope > 0 and model.threshold_ == pytest.approx(expit(offset))
    p = model.predict_proba(X)[:, 1]
    np.testing.assert_allclose(p, expit(slope * model.decision_function(X) + offset))
    np.testing.assert_array_equal(model.predict(X), (model.decision_function(X) >= 0).astype(int))
    np.testing.assert_array_equal(model.predict(X), (p >= model.threshold_).astype(int))
    # On the out-of-fold decisions it was fitted to (each source left out in turn), the mean
    # probability equals the share of loaded sentences overall and is close to it in each bin.
    table = np.array(model.reliability_)
    assert len(table) == 10 and table[:, 2].sum() == pytest.approx(1.0)
    assert np.average(table[:, 0], weights=table[:, 2]) == pytest.approx(np.average(table[:, 1], weights=table[:, 2]), abs=1e-3)
    assert np.all(np.diff(table[:, 0]) >= 0)
    assert np.abs(table[:, 0] - table[:, 1]).max() < 0.2


def test_dataset_weights_balance_classes_within_each_dataset():
    y = np.array([1, 0, 0, 0, 1, 1, 0, 0])
    sets = np.array(["a", "a", "a", "a", "b", "b", "b", "b"])
    weights = dataset_weights(y, sets, "sentence")
    for name in ("a", "b"):
        mask = sets == name
        assert weights[mask & (y == 1)].sum() == pytest.approx(weights[mask & (y == 0)].sum())
    assert weights.mean() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unknown weighting 'article'"):
        dataset_weights(y, sets, "article")


def test_too_little_data_for_inner_folds_fits_without_selection(labelled):
    X, y, _, _ = labelled
    few = np.concatenate([np.flatnonzero(y == 1)[:1], np.flatnonzero(y == 0)[:5]])
    model = CalibratedLogistic(Cs=(0.1, 1.0, 10.0)).fit(X[few], y[few])
    assert model.selection_ == {} and model.C_ == 1.0 and model.calibration_ == (1.0, 0.0)


def test_bad_labels_and_parameters_are_refused(labelled):
    X, y, _, _ = labelled
    with pytest.raises(ValueError, match=r"needs labels 0 and 1, got \[0, 1, 2\]"):
        CalibratedLogistic().fit(X[:3], np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="Cs must be positive"):
        CalibratedLogistic(Cs=(0.0,)).fit(X, y)
    with pytest.raises(ValueError, match="unknown weighting 'article'"):
        CalibratedLogistic(weightings=("article",)).fit(X, y)


def test_pickling_keeps_the_predictions(labelled):
    X, y, sources, articles = labelled
    model = CalibratedLogistic(Cs=(0.5,)).fit(X, y, groups=articles, datasets=sources)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict_proba(X), model.predict_proba(X))

"""The plain baseline every classifier is measured against: TF-IDF words + characters, logistic
regression.

Word 1–2-grams and ``char_wb`` 2–5-grams (sublinear tf; characters need two documents), a
logistic regression with balanced class weights: the model of eval-data's ``baselines.py``, so
that ``framing evaluate --baseline`` and ``make eval`` print the same floors as its README.
For several labels per text (frames) it is one such regression per label (one-vs-rest).

A model that does not beat this on the same folds does not earn its extra machinery.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline, make_pipeline, make_union

NAME = "TF-IDF word+char logistic regression"


def baseline_pipeline(*, multilabel: bool = False) -> Pipeline:
    """The untrained baseline; ``multilabel``: one-vs-rest over a 0/1 label matrix."""
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
    )
    regression = LogisticRegression(max_iter=3000, class_weight="balanced")
    return make_pipeline(features, OneVsRestClassifier(regression) if multilabel else regression)

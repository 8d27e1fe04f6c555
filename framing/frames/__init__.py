"""Frames: which frames a sentence or an article puts its story in, and how well we can tell.

One package, one part per module, in the order data flows through them:

- ``lexicon``     the frame slugs of both schemes and the cue lexicons, compiled once;
- ``data``        frame-labelled sentences or articles (CSV), their level, stratified folds;
- ``features``    frame-cue features of a sentence, and of an article (headline and lead count more);
- ``thresholds``  per-frame decision thresholds chosen by inner cross-validation on training texts;
- ``model``       the scikit-learn pipeline of each level, ``FramesModel``, model files, the shipped model;
- ``evaluation``  per-frame and micro/macro scores, cross-validation, the lexicon-only detector;
- ``analyzer``    the ``frames`` analyzer: cue spans, frame shares, the models' figures per article.

Nothing is imported here, so that ``framing.frames.lexicon`` costs no scikit-learn import.
"""

"""Attribution: who speaks, and how the article introduces them.

The steps, one module each: :mod:`~framing.attribution.candidates` (sentence tokens and
quotation pieces), :mod:`~framing.attribution.verbs` (cues), :mod:`~framing.attribution.speakers`
(who speaks), :mod:`~framing.attribution.spans` (what a cue governs), :mod:`~framing.attribution.rules`
(the rule pass), :mod:`~framing.attribution.features` and :mod:`~framing.attribution.tagger` (the
CRF trained on PolNeAR), :mod:`~framing.attribution.combine` (where rules and tagger meet) and
:mod:`~framing.attribution.unattributed`. Word lists live in ``framing/lexicons/*.tsv``
(:mod:`~framing.attribution.lexicon`). See docs/attribution.md.
"""

from framing.attribution.combine import analyze, extract
from framing.attribution.lexicon import Gazetteer, gazetteer
from framing.attribution.records import (
    KINDS,
    VERB_CLASSES,
    Attribution,
    AttributionResult,
    Speaker,
    UnattributedAssertion,
)

__all__ = [
    "KINDS", "VERB_CLASSES", "Attribution", "AttributionResult", "Gazetteer", "Speaker",
    "UnattributedAssertion", "analyze", "extract", "gazetteer",
]

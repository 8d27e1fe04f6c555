"""The ``attribution`` analyzer: quotations and reported speech, who speaks, with which verb.

The work is done by the :mod:`framing.attribution` package (rules, the CRF tagger and where
they combine); this module registers it and keeps the names other modules import from here.
"""

from __future__ import annotations

from framing.analyzers import Analyzer, register
from framing.attribution import (
    KINDS,
    VERB_CLASSES,
    Attribution,
    AttributionResult,
    Gazetteer,
    Speaker,
    UnattributedAssertion,
    analyze,
    extract,
    gazetteer,
)
from framing.attribution.rules import RuleExtractor

_Extractor = RuleExtractor  # the rule pass alone (tests read its per-sentence tokens)

__all__ = [
    "ANALYZER", "KINDS", "VERB_CLASSES", "Attribution", "AttributionResult", "Gazetteer", "Speaker",
    "UnattributedAssertion", "analyze", "extract", "gazetteer",
]

ANALYZER = register(
    Analyzer(
        name="attribution",
        version="6",
        analyze=analyze,
        description="quotations and reported speech (rules and a CRF tagger): speaker, cue verb class, content; unattributed assertions",
        after=("loaded",),  # reuses its lexicon matches for evaluative reporting
    )
)

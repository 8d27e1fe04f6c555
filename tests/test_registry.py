"""The analyzer registry's ordering: requirements first, reused results first when selected."""
from framing import analyzers
from framing.pipeline import Resources, analyze


def _names(selected=None):
    return [a.name for a in analyzers.resolve(selected)]


def test_attribution_runs_after_loaded_when_both_run():
    order = _names()
    assert order.index("loaded") < order.index("attribution")
    assert order.index("sentiment") < order.index("loaded")  # a hard requirement
    assert order.index("attribution") < order.index("sources")


def test_a_soft_predecessor_is_not_added_to_the_selection():
    assert _names(["attribution"]) == ["attribution"]
    # ... but a requirement's soft predecessor counts once it is selected
    assert _names(["sources", "loaded"]) == ["sentiment", "loaded", "attribution", "sources"]


def test_attribution_is_the_same_with_or_without_loaded_before_it(seed_docs):
    resources = Resources()
    for doc in seed_docs.values():
        alone = analyze(doc, analyzers=["attribution"], resources=resources).analyses["attribution"]
        after = analyze(doc, analyzers=["loaded", "attribution"], resources=resources).analyses["attribution"]
        assert alone == after

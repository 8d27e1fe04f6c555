"""Golden files: the analyzers' output on the sample corpus, reviewed by a person.

When a change alters output on purpose, regenerate with
``PYTHONPATH=. python -m tests.golden.regenerate figures loaded`` and review the diff: each
changed figure or finding is one line. Figures are rounded to 4 decimals, and the versions they
depend on (vaderSentiment, scikit-learn's minor release) are pinned in pyproject.toml.
"""

from __future__ import annotations

import json

import pytest

from tests.golden.regenerate import GOLDEN, figure_records, loaded_records


@pytest.fixture(scope="module")
def resources():
    from framing.pipeline import Resources

    return Resources()


def _golden(name: str):
    return json.loads((GOLDEN / name).read_text("utf-8"))


def test_article_figures_match_the_reviewed_golden_file(resources):
    current, golden = figure_records(resources), _golden("figures_seeds.json")
    assert [r["doc"] for r in current] == [r["doc"] for r in golden]
    for now, then in zip(current, golden):
        changed = {k: (then.get(k), now.get(k)) for k in set(now) | set(then) if now.get(k) != then.get(k)}
        assert not changed, f"{now['doc']}: figures changed (golden, now): {changed}"


def test_loaded_findings_match_the_reviewed_golden_file(resources):
    assert loaded_records(resources) == _golden("loaded_seeds.json")

"""Separate an article's prose from site chrome, without deleting anything.

Cleaning only classifies lines: comment forms, share widgets, navigation, bylines, duplicated
titles and reference lists are recorded as ``Removed`` spans (with the reason) and kept out of
analysis; the text itself is never changed. A wiki-style reference list is not thrown away:
each entry becomes a citation span, which the sources analyzer reads as evidence.

The rules live in ``framing/lexicons/boilerplate.tsv`` so users can extend them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from framing.lexicons import LexiconError, Table, load_table
from framing.segment import iter_lines, strip_span
from framing.spans import Removed, Span

_REFERENCE_ENTRY = re.compile(r"^\s*(?:[-*•]\s*)?(?:↑|\^|\[\d+\]|\d{1,3}[.)]\s)")
_DUPLICATE_TITLE_WINDOW = 8  # lines at the top where a repeated title is looked for
SCOPES = ("line", "tail", "references")


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    scope: str
    reason: str


@dataclass(frozen=True)
class CleanResult:
    """Line spans that carry prose, plus everything set aside and why."""

    kept_lines: tuple[tuple[int, int], ...]
    removed: tuple[Removed, ...]
    references: tuple[Span, ...]


@lru_cache(maxsize=8)
def load_rules(source: str = "boilerplate") -> tuple[Rule, ...]:
    return rules_from_table(load_table(source), source)


def rules_from_table(table: Table, where: str = "boilerplate") -> tuple[Rule, ...]:
    """Cleaning rules from a table in the format of ``boilerplate.tsv`` (the shipped one, or the
    shipped one merged with a user's: ``Resources.chrome_rules()``)."""
    rules = []
    for row in table.rows:
        if row["scope"] not in SCOPES:
            raise LexiconError(f"{where}: unknown scope {row['scope']!r}; expected {', '.join(SCOPES)}")
        try:
            pattern = re.compile(row["pattern"])
        except re.error as error:
            raise LexiconError(f"{where}: pattern {row['pattern']!r} is not a regular expression: {error}") from None
        rules.append(Rule(pattern, row["scope"], row["reason"]))
    return tuple(rules)


def _match(rules: tuple[Rule, ...], line: str) -> Rule | None:
    for rule in rules:
        if rule.pattern.fullmatch(line):
            return rule
    return None


def clean(text: str, rules: tuple[Rule, ...] | None = None) -> CleanResult:
    rules = load_rules() if rules is None else rules
    lines = iter_lines(text)
    labels: list[str | None] = [None] * len(lines)  # None = prose; else the reason
    references: list[Span] = []
    seen_top: set[str] = set()
    visible = 0
    i = 0
    while i < len(lines):
        start, end = lines[i]
        line = " ".join(text[start:end].split())  # NBSPs and runs of spaces compare equal
        if not line:
            i += 1
            continue
        visible += 1
        if visible <= _DUPLICATE_TITLE_WINDOW and line in seen_top and len(line) < 200:
            labels[i] = "duplicate-title"
            i += 1
            continue
        if visible <= _DUPLICATE_TITLE_WINDOW:
            seen_top.add(line)
        rule = _match(rules, line)
        if rule is None:
            i += 1
            continue
        if rule.scope == "line":
            labels[i] = rule.reason
        elif rule.scope == "tail":
            for j in range(i, len(lines)):
                labels[j] = rule.reason
            break
        else:  # a reference-list heading counts only when entries follow it
            entries = []
            j = i + 1
            while j < len(lines):
                s, e = lines[j]
                entry = text[s:e]
                if entry.strip() and not _REFERENCE_ENTRY.match(entry):
                    break
                if entry.strip():
                    entries.append(j)
                j += 1
            if entries:
                labels[i] = rule.reason
                for j in entries:
                    labels[j] = "reference-list"
                    references.append(Span(*strip_span(text, *lines[j])))
                i = j
                continue
        i += 1

    kept: list[tuple[int, int]] = []
    removed: list[Removed] = []
    for (start, end), label in zip(lines, labels):
        if label is None:
            kept.append((start, end))
            continue
        kept.append((start, start))  # the line's slot stays, as a blank paragraph separator
        start, end = strip_span(text, start, end)
        if start == end:
            continue
        if removed and removed[-1].reason == label and not text[removed[-1].end : start].strip():
            removed[-1] = Removed(removed[-1].start, end, label)  # one span per run of lines
        else:
            removed.append(Removed(start, end, label))
    return CleanResult(tuple(kept), tuple(removed), tuple(references))

"""Token features for the attribution tagger: one function per token, reading our data files.

A document is seen as a :class:`TokenView`: every token of its prose with its lower-cased form,
whether it lies inside a quotation, its sentence and paragraph, plus per-token lexicon tags found
once per sentence (reporting verbs and their class, roles, organisations and people, anonymous
sources, demonyms, pronouns, first names with their gender, "according to"). The tagger's
sequences are paragraphs: a content span often runs over several sentences.

:func:`token_features` turns token ``i`` of a paragraph into a list of feature strings (each
feature present has value 1; crfsuite reads them as such). Features of a word that do not depend
on its context (identity, shape, suffix, lexicon class) are computed once per word form and
cached, since most tokens are frequent words.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from framing.attribution.lexicon import Gazetteer, first_names

_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")
QUOTE_MARKS = frozenset("\"“”„«»'‘’")


@dataclass
class TokenView:
    """One document's tokens as parallel lists, with the per-token lexicon tags."""

    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    lows: list[str] = field(default_factory=list)
    quoted: list[bool] = field(default_factory=list)
    sentence: list[int] = field(default_factory=list)  # sentence index of each token
    paragraph: list[int] = field(default_factory=list)  # index into ``paragraphs`` of each token
    tags: list[tuple[str, ...]] = field(default_factory=list)  # lexicon tags of each token
    cue: list[bool] = field(default_factory=list)  # a reporting-verb candidate (or 'according to')
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # token ranges [lo, hi)
    sentences: list[tuple[int, int]] = field(default_factory=list)

    def words(self, lo: int, hi: int) -> list[str]:
        return [self.text[s:e] for s, e in zip(self.starts[lo:hi], self.ends[lo:hi])]


def _lexicon_tags(lows: list[str], gaz: Gazetteer) -> tuple[list[tuple[str, ...]], list[bool]]:
    """Lexicon tags per token of one sentence (longest match, one table at a time)."""
    n = len(lows)
    tags: list[list[str]] = [[] for _ in range(n)]
    cue = [False] * n
    tables = (
        ("verb", gaz.verbs, lambda v: v[1]),
        ("role", gaz.roles, lambda v: v[1]),
        ("ent", gaz.entities, lambda v: v.kind),
        ("anon", gaz.anonymous, lambda v: "1"),
        ("aff", gaz.affiliations, lambda v: "1"),
    )
    for name, phrases, value in tables:
        first = phrases.first
        i = 0
        while i < n:
            if lows[i] in first:
                found = phrases.match(lows, i)
                if found:
                    k, v = found
                    label = f"{name}={value(v)}"
                    for t in range(i, i + k):
                        tags[t].append(label if t == i else f"{name}:I")
                    if name == "verb":
                        for t in range(i, i + k):
                            cue[t] = True
                        if v[0] in gaz.weak_verbs:
                            tags[i].append("verb:weak")
                    i += k
                    continue
            i += 1
    for i, low in enumerate(lows):
        if low == "according" and i + 1 < n and lows[i + 1] == "to":
            tags[i].append("acc")
            tags[i + 1].append("acc:I")
            cue[i] = cue[i + 1] = True
    return [tuple(t) for t in tags], cue


def build_view(doc: Any, sentences: list[Any], gaz: Gazetteer, rules: Sequence[Any] = ()) -> TokenView:
    """The tagger's view of ``doc``; ``sentences`` are the rule pass's per-sentence token lists
    (``starts``, ``ends``, ``lows``, ``quoted``), so tokens are built once for both. ``rules``:
    the rule pass's attributions, whose source, cue and content spans become token tags (the
    tagger learns where the rules are right and where they miss)."""
    view = TokenView(doc.text)
    para_starts = [p.start for p in doc.paragraphs]
    current_para, para_lo = -1, 0
    for si, s in enumerate(sentences):
        if not s.lows:
            view.sentences.append((len(view.lows), len(view.lows)))
            continue
        pi = bisect_right(para_starts, s.starts[0]) - 1
        if pi != current_para:
            if current_para >= 0 and len(view.lows) > para_lo:
                view.paragraphs.append((para_lo, len(view.lows)))
            current_para, para_lo = pi, len(view.lows)
        ordinal = len(view.paragraphs)  # the paragraph's index among the view's paragraphs
        lo = len(view.lows)
        tags, cue = _lexicon_tags(s.lows, gaz)
        view.starts.extend(s.starts)
        view.ends.extend(s.ends)
        view.lows.extend(s.lows)
        view.quoted.extend(s.quoted)
        view.sentence.extend([si] * len(s.lows))
        view.paragraph.extend([ordinal] * len(s.lows))
        view.tags.extend(tags)
        view.cue.extend(cue)
        view.sentences.append((lo, len(view.lows)))
    if len(view.lows) > para_lo:
        view.paragraphs.append((para_lo, len(view.lows)))
    if rules:
        _rule_tags(view, rules)
    return view


def _rule_tags(view: TokenView, rules: Sequence[Any]) -> None:
    starts = view.starts
    tags = view.tags
    for a in rules:
        spans = (
            ("SRC", a.speaker_start, a.speaker_end),
            ("CUE", a.cue_start, a.cue_end),
            (f"CON-{a.kind}", a.content_start, a.content_end),
        )
        for role, lo, hi in spans:
            if lo is None:
                continue
            first, last = bisect_left(starts, lo), bisect_left(starts, hi)
            for t in range(first, last):
                tags[t] = (*tags[t], f"rule={role}" if t == first else f"rule:I={role}")


# -- per-word features (cached) ---------------------------------------------------------------


def _shape(word: str) -> str:
    s = _DIGIT.sub("d", word)
    s = _UPPER.sub("X", s)
    s = _LOWER.sub("x", s)
    out = []
    for ch in s:  # collapse runs: 'Xxxxx' -> 'Xx'
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)[:6]


@lru_cache(maxsize=200_000)
def word_features(word: str, low: str) -> tuple[str, ...]:
    """Features of a word form that do not depend on its context."""
    feats = [f"w={low}", f"shape={_shape(word)}"]
    if len(low) > 3:
        feats.append(f"suf={low[-3:]}")
    if word[:1].isupper():
        feats.append("cap")
    if word.isupper() and len(word) > 1:
        feats.append("upper")
    if not word[:1].isalnum():
        feats.append("punct")
    if word in QUOTE_MARKS:
        feats.append("qmark")
    gender = first_names().get(low)
    if gender and word[:1].isupper():
        feats.append(f"fname={gender}")
    return tuple(feats)


_CONTEXT_KEYS = ("w", "shape")


@lru_cache(maxsize=400_000)
def _shifted(word: str, low: str, offset: int) -> tuple[str, ...]:
    """The context features a neighbour at ``offset`` contributes (its identity and shape)."""
    return tuple(f"{offset:+d}{f}" for f in word_features(word, low) if f.split("=", 1)[0] in _CONTEXT_KEYS or f in ("cap", "qmark"))


# -- per-token features -----------------------------------------------------------------------


def _bin(distance: int) -> str:
    if distance <= 0:
        return "0"
    if distance <= 2:
        return str(distance)
    if distance <= 5:
        return "3-5"
    if distance <= 10:
        return "6-10"
    return "11+"


@dataclass
class Paragraph:
    """One tagger sequence (tokens ``[lo, hi)`` of the view, within one paragraph) and what its
    tokens share, computed once in a linear sweep: the paragraph's own features and, per token,
    its place among the sentence's cues and bounds."""

    view: TokenView
    lo: int
    hi: int
    words: list[str]
    shared: list[str]  # features of every token of the sequence
    context: list[list[str]]  # per token: sentence position and cue neighbourhood


def paragraph_context(view: TokenView, lo: int, hi: int, previous: tuple[int, int] | None) -> Paragraph:
    n = hi - lo
    words = view.words(lo, hi)
    lows, quoted, cue, sentence = view.lows, view.quoted, view.cue, view.sentence
    shared = []
    if quoted[lo]:
        shared.append("para:quoted-start")
    if previous is not None and previous[1] > previous[0]:
        if lows[previous[1] - 1] == ":":
            shared.append("para:after-colon")
        if quoted[previous[1] - 1]:
            shared.append("para:after-quote")
    if view.paragraph[lo] == 0:
        shared.append("para:first")
    context: list[list[str]] = [[] for _ in range(n)]
    # sentence bounds and order within the sequence
    first_sentence = sentence[lo]
    k = 0
    while k < n:
        si = sentence[lo + k]
        end = k
        while end < n and sentence[lo + end] == si:
            end += 1
        order = f"sent:n={min(si - first_sentence, 2)}"
        for m in range(k, end):
            context[m].append(order)
        context[k].append("sent:first")
        context[end - 1].append("sent:last")
        # cues of this sentence: distance to the nearest on each side, and 'that' after one
        cues = [m for m in range(k, end) if cue[lo + m] and not quoted[lo + m]]
        left = None
        ci = 0
        for m in range(k, end):
            while ci < len(cues) and cues[ci] < m:
                left = cues[ci]
                ci += 1
            right = cues[ci] if ci < len(cues) and cues[ci] > m else (cues[ci + 1] if ci + 1 < len(cues) else None)
            context[m].append(f"cue:L={_bin(m - left)}" if left is not None else "cue:L=no")
            context[m].append(f"cue:R={_bin(right - m)}" if right is not None else "cue:R=no")
        for c in cues:
            for j in range(c + 1, min(c + 6, end)):
                if lows[lo + j] in ("that", ":", ",") and not quoted[lo + j]:
                    for m in range(j + 1, end):
                        context[m].append("after-cue-that")
                    break
            else:
                continue
            break
        k = end
    # cues elsewhere in the paragraph, before or after the token's sentence
    seen = False
    for m in range(n):
        if seen and "cue:L=no" in context[m]:
            context[m].append("cue:para-before")
        if cue[lo + m] and not quoted[lo + m]:
            seen = True
    seen = False
    for m in range(n - 1, -1, -1):
        if seen and "cue:R=no" in context[m]:
            context[m].append("cue:para-after")
        if cue[lo + m] and not quoted[lo + m]:
            seen = True
    return Paragraph(view=view, lo=lo, hi=hi, words=words, shared=shared, context=context)


def token_features(para: Paragraph, i: int) -> list[str]:
    """Features of token ``i`` of a sequence (each feature a string of value 1)."""
    view, lo, hi = para.view, para.lo, para.hi
    t = lo + i
    words, lows, tags = para.words, view.lows, view.tags
    feats = ["bias", *word_features(words[i], lows[t])]
    n = hi - lo
    for offset in (-2, -1, 1, 2):
        k = i + offset
        if 0 <= k < n:
            feats.extend(_shifted(words[k], lows[lo + k], offset))
        else:
            feats.append(f"{offset:+d}pad")
    if i > 0:
        feats.append(f"-1w|w={lows[t - 1]}|{lows[t]}")
    if i + 1 < n:
        feats.append(f"w|+1w={lows[t]}|{lows[t + 1]}")
    feats.extend(tags[t])
    if i > 0:
        feats.extend(_prefixed(tags[t - 1], "-1"))
    if i + 1 < n:
        feats.extend(_prefixed(tags[t + 1], "+1"))
    feats.append("q=in" if view.quoted[t] else "q=out")
    feats.extend(para.shared)
    feats.extend(para.context[i])
    return feats


@lru_cache(maxsize=20_000)
def _prefixed(tags: tuple[str, ...], prefix: str) -> tuple[str, ...]:
    return tuple(prefix + tag for tag in tags)


def sequence_features(para: Paragraph) -> list[list[str]]:
    """:func:`token_features` for every token of a sequence, in one pass: each token's
    context-free part and what it lends its neighbours are looked up once."""
    view, lo, hi = para.view, para.lo, para.hi
    words, lows, tags, quoted = para.words, view.lows[lo:hi], view.tags[lo:hi], view.quoted[lo:hi]
    n = hi - lo
    shifted = {offset: [_shifted(words[k], lows[k], offset) for k in range(n)] for offset in (-2, -1, 1, 2)}
    left_tags = [_prefixed(tag, "-1") for tag in tags]
    right_tags = [_prefixed(tag, "+1") for tag in tags]
    shared = para.shared
    out = []
    for i in range(n):
        low = lows[i]
        feats = ["bias", *word_features(words[i], low)]
        feats.extend(shifted[-2][i - 2] if i >= 2 else ("-2pad",))
        if i >= 1:
            feats.extend(shifted[-1][i - 1])
            feats.append(f"-1w|w={lows[i - 1]}|{low}")
            feats.extend(left_tags[i - 1])
        else:
            feats.append("-1pad")
        if i + 1 < n:
            feats.extend(shifted[1][i + 1])
            feats.append(f"w|+1w={low}|{lows[i + 1]}")
            feats.extend(right_tags[i + 1])
        else:
            feats.append("+1pad")
        feats.extend(shifted[2][i + 2] if i + 2 < n else ("+2pad",))
        feats.extend(tags[i])
        feats.append("q=in" if quoted[i] else "q=out")
        feats.extend(shared)
        feats.extend(para.context[i])
        out.append(feats)
    return out


def paragraph_features(view: TokenView, lo: int, hi: int, previous: tuple[int, int] | None) -> list[list[str]]:
    return sequence_features(paragraph_context(view, lo, hi, previous))

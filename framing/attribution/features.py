"""Token features for the attribution tagger, reading our data files.

A document is seen as a :class:`TokenView`: every token of its prose with its lower-cased form,
whether it lies inside a quotation, its sentence and paragraph, plus per-token lexicon tags found
once per sentence (reporting verbs and their class, roles, organisations and people, anonymous
sources, demonyms, "according to") and the rule pass's spans.

A token's features (:func:`token_features`) are feature strings, each of value 1, in groups that
each depend on one *key*:

- the word itself (``w=``, shape, suffix, capitalisation, first-name gender): key, the word;
- each neighbour (its word, shape, capitalisation): key, that word;
- the two word pairs around it (``-1w|w=he|said``): key, the pair;
- its lexicon and rule tags and its neighbours': key, the tag tuple;
- its place among the paragraph's sentences and cues, quotedness, the paragraph's own features:
  small categorical codes (:class:`Context`), computed for a whole paragraph at once.

The tagger (:mod:`framing.attribution.crf`) never builds the strings at run time: it sums the
weights of each key's strings once per key (a word's features once per word form) and adds the
cached sums up per token. The strings are what training reads and what defines the features;
``tests/test_attribution_tagger.py`` checks that both ways give the same scores.

Every feature is computed within the token's paragraph; the CRF's sequences (what its transitions
link) are paragraphs (:data:`SEQUENCE_UNIT`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from framing.attribution.lexicon import Gazetteer, first_names, norm

_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")
QUOTE_MARKS = frozenset("\"“”„«»'‘’")
OFFSETS = (-2, -1, 1, 2)  # the neighbours whose word and shape are features (±1 also lend word pairs and tags)


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


_NO_TAGS: tuple[str, ...] = ()


_TABLES = ("verb", "role", "ent", "anon", "aff")


@lru_cache(maxsize=4)
def _tables(gaz: Gazetteer) -> tuple[list[tuple[str, Any]], frozenset[str]]:
    """The phrase tables whose matches tag tokens, in order, and every word that starts a phrase
    of one of them."""
    tables = list(zip(_TABLES, (gaz.verbs, gaz.roles, gaz.entities, gaz.anonymous, gaz.affiliations)))
    return tables, frozenset().union(*(phrases.first for _, phrases in tables))


def _lexicon_tags(view: TokenView, gaz: Gazetteer) -> None:
    """Lexicon tags of every token (longest match within a sentence, one table at a time), and
    which tokens are cue candidates (a reporting verb or "according to")."""
    lows, sentence, sentences = view.lows, view.sentence, view.sentences
    n = len(lows)
    tags: list[Any] = [_NO_TAGS] * n
    cue = [False] * n
    tables, firsts = _tables(gaz)
    candidates = [c for c, low in enumerate(lows) if low in firsts]
    for name, phrases in tables:
        first = phrases.first
        i = 0
        for c in [c for c in candidates if lows[c] in first]:
            if c < i:
                continue
            found = phrases.match(lows, c, sentences[sentence[c]][1])
            if not found:
                continue
            k, v = found
            value = v[1] if name in ("verb", "role") else v.kind if name == "ent" else "1"
            tags[c] = (*tags[c], f"{name}={value}")
            for t in range(c + 1, c + k):
                tags[t] = (*tags[t], f"{name}:I")
            if name == "verb":
                for t in range(c, c + k):
                    cue[t] = True
                if v[0] in gaz.weak_verbs:
                    tags[c] = (*tags[c], "verb:weak")
            i = c + k
    for c in [c for c, low in enumerate(lows) if low == "according"]:
        if c + 1 < n and lows[c + 1] == "to" and sentence[c + 1] == sentence[c]:
            tags[c] = (*tags[c], "acc")
            tags[c + 1] = (*tags[c + 1], "acc:I")
            cue[c] = cue[c + 1] = True
    view.tags, view.cue = tags, cue


def build_view(doc: Any, sentences: list[Any], gaz: Gazetteer, rules: Sequence[Any] = ()) -> TokenView:
    """The tagger's view of ``doc``; ``sentences`` are the rule pass's per-sentence token lists
    (``starts``, ``ends``, ``lows``, ``quoted``), so tokens are built once for both. ``rules``:
    the rule pass's attributions, whose source, cue and content spans become token tags (the
    tagger learns where the rules are right and where they miss)."""
    view = TokenView(doc.text)
    para_starts = [p.start for p in doc.paragraphs]
    current_para, para_lo = -1, 0
    for si, s in enumerate(sentences):
        lo = len(view.lows)
        if not s.lows:
            view.sentences.append((lo, lo))
            continue
        pi = bisect_right(para_starts, s.starts[0]) - 1
        if pi != current_para:
            if current_para >= 0 and lo > para_lo:
                view.paragraphs.append((para_lo, lo))
            current_para, para_lo = pi, lo
        ordinal = len(view.paragraphs)  # the paragraph's index among the view's paragraphs
        view.starts.extend(s.starts)
        view.ends.extend(s.ends)
        view.lows.extend(s.lows)
        view.quoted.extend(s.quoted)
        view.sentence.extend([si] * len(s.lows))
        view.paragraph.extend([ordinal] * len(s.lows))
        view.sentences.append((lo, len(view.lows)))
    if len(view.lows) > para_lo:
        view.paragraphs.append((para_lo, len(view.lows)))
    _lexicon_tags(view, gaz)
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


# -- the strings of each key ------------------------------------------------------------------


def _shape(word: str) -> str:
    s = _DIGIT.sub("d", word)
    s = _UPPER.sub("X", s)
    s = _LOWER.sub("x", s)
    out = []
    for ch in s:  # collapse runs: 'Xxxxx' -> 'Xx'
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)[:6]


@lru_cache(maxsize=100_000)
def word_features(word: str) -> tuple[str, ...]:
    """Features of a word form that do not depend on its context."""
    low = norm(word)
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


def neighbour_features(word: str, offset: int) -> tuple[str, ...]:
    """What a neighbour ``offset`` tokens away contributes: its word, shape, capitalisation."""
    return tuple(f"{offset:+d}{f}" for f in word_features(word) if f.startswith(("w=", "shape=")) or f in ("cap", "qmark"))


def pad_feature(offset: int) -> str:
    """The feature of a neighbour position beyond the paragraph."""
    return f"{offset:+d}pad"


PAIR_PREFIXES = ("-1w|w=", "w|+1w=")  # a word pair as its right token's feature, as its left token's


def pair_features(left: str, right: str) -> tuple[str, str]:
    """A word pair (lower-cased) as the right token's ``-1w|w`` and the left token's ``w|+1w``."""
    key = f"{left}|{right}"
    return PAIR_PREFIXES[0] + key, PAIR_PREFIXES[1] + key


@lru_cache(maxsize=20_000)
def tag_features(tags: tuple[str, ...], prefix: str) -> tuple[str, ...]:
    """A token's tags as its own features (prefix ''), or as its right neighbour's ('-1') or
    left neighbour's ('+1')."""
    return tuple(prefix + tag for tag in tags)


# -- context: categorical codes per token -----------------------------------------------------

CUE_BINS = ("no", "1", "2", "3-5", "6-10", "11+")


def _bin_codes(distance: np.ndarray) -> np.ndarray:
    """Distance (>= 1) to a cue as an index into CUE_BINS (1 .. 5)."""
    return np.searchsorted(np.array([1, 2, 3, 6, 11]), distance, side="right")


# name -> the strings of each code (a code's strings are the features of a token having it)
CONTEXT_COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "q": (("q=out",), ("q=in",)),
    "sent_n": (("sent:n=0",), ("sent:n=1",), ("sent:n=2",)),
    "sent_first": ((), ("sent:first",)),
    "sent_last": ((), ("sent:last",)),
    "cue_left": tuple((f"cue:L={b}",) for b in CUE_BINS),
    "cue_right": tuple((f"cue:R={b}",) for b in CUE_BINS),
    "after_cue": ((), ("after-cue-that",)),
    "para_before": ((), ("cue:para-before",)),
    "para_after": ((), ("cue:para-after",)),
}
PARAGRAPH_FLAGS = ("para:quoted-start", "para:after-colon", "para:after-quote", "para:first")


@dataclass
class Context:
    """The categorical features of tokens: one code array per :data:`CONTEXT_COLUMNS` entry
    (all of them as one number: :attr:`code`), and a code for the paragraph's own flags
    (bit k set: ``PARAGRAPH_FLAGS[k]``)."""

    codes: dict[str, np.ndarray]
    paragraph: np.ndarray

    def take(self, index: np.ndarray) -> Context:
        return Context({name: codes[index] for name, codes in self.codes.items()}, self.paragraph[index])

    @property
    def code(self) -> np.ndarray:
        """Every column's code as one number (mixed radix, columns in CONTEXT_COLUMNS order)."""
        code = np.zeros(len(self.paragraph), dtype=np.intp)
        for name, strings in CONTEXT_COLUMNS.items():
            code *= len(strings)
            code += self.codes[name]
        return code


def context_table(rows: dict[str, np.ndarray]) -> np.ndarray:
    """The summed rows of every combination of codes, indexed by :attr:`Context.code`, from
    one row per code of each column (``rows[name][code]``)."""
    table = np.zeros((1, next(iter(rows.values())).shape[1]))
    for name in CONTEXT_COLUMNS:
        table = (table[:, None, :] + rows[name][None, :, :]).reshape(-1, table.shape[1])
    return table


@lru_cache(maxsize=16)
def paragraph_flag_features(code: int) -> tuple[str, ...]:
    return tuple(name for k, name in enumerate(PARAGRAPH_FLAGS) if code >> k & 1)


def context(view: TokenView) -> Context:
    """:class:`Context` of every token of the view."""
    n = len(view.lows)
    sentence = np.repeat(np.arange(len(view.sentences)), [hi - lo for lo, hi in view.sentences])
    para = np.repeat(np.arange(len(view.paragraphs)), [hi - lo for lo, hi in view.paragraphs])
    quoted = np.array(view.quoted, dtype=bool)
    cue = np.array(view.cue, dtype=bool) & ~quoted
    pos = np.arange(n)
    new_para = np.ones(n, bool)
    new_para[1:] = para[1:] != para[:-1]
    new_sentence = np.ones(n, bool)
    new_sentence[1:] = sentence[1:] != sentence[:-1]
    para_first = np.maximum.accumulate(np.where(new_para, pos, 0)) if n else pos
    para_last = np.minimum.accumulate(np.where(_ends(new_para), pos, n)[::-1])[::-1] if n else pos
    # the sentence's place in its paragraph (0, 1, 2 or more; by sentence number, as before:
    # an empty sentence between two counts)
    sent_n = np.minimum(sentence - sentence[para_first], 2)
    # the nearest cue on each side in the same sentence (strictly before / after the token)
    cues = np.flatnonzero(cue)
    if len(cues):
        left_at = np.searchsorted(cues, pos, side="left") - 1
        left = cues[np.maximum(left_at, 0)]
        has_left = (left_at >= 0) & (sentence[left] == sentence)
        right_at = np.searchsorted(cues, pos, side="right")
        right = cues[np.minimum(right_at, len(cues) - 1)]
        has_right = (right_at < len(cues)) & (sentence[right] == sentence)
        cue_left = np.where(has_left, _bin_codes(pos - left), 0)
        cue_right = np.where(has_right, _bin_codes(right - pos), 0)
    else:
        has_left = has_right = np.zeros(n, bool)
        cue_left = cue_right = np.zeros(n, np.intp)
    # cues elsewhere in the paragraph: before the token's sentence, after it
    seen = np.cumsum(cue)
    before_para = seen[para_first] - cue[para_first]
    para_before = ~has_left & (seen - cue - before_para > 0)
    para_after = ~has_right & (seen[para_last] - seen > 0)
    # 'that', ':' or ',' within five tokens after the sentence's first such cue: the rest of the
    # sentence follows a complementiser
    after_cue = np.zeros(n, bool)
    lows, quoted_list, sentence_of, sentences = view.lows, view.quoted, view.sentence, view.sentences
    done = -1
    for c in cues.tolist():
        s = sentence_of[c]
        if s == done:
            continue
        end = sentences[s][1]
        for j in range(c + 1, min(c + 6, end)):
            if lows[j] in ("that", ":", ",") and not quoted_list[j]:
                after_cue[j + 1 : end] = True
                done = s
                break
    # the paragraph's own flags
    flags = np.zeros(n, np.intp)
    for k, (lo, hi) in enumerate(view.paragraphs):
        code = 0
        if view.quoted[lo]:
            code |= 1
        if k > 0:
            plo, phi = view.paragraphs[k - 1]
            if phi > plo and view.lows[phi - 1] == ":":
                code |= 2
            if phi > plo and view.quoted[phi - 1]:
                code |= 4
        if k == 0:
            code |= 8
        flags[lo:hi] = code
    codes = {
        "q": quoted.astype(np.intp),
        "sent_n": sent_n,
        "sent_first": new_sentence.astype(np.intp),
        "sent_last": _ends(new_sentence).astype(np.intp),
        "cue_left": cue_left,
        "cue_right": cue_right,
        "after_cue": after_cue.astype(np.intp),
        "para_before": para_before.astype(np.intp),
        "para_after": para_after.astype(np.intp),
    }
    return Context(codes, flags)


def _ends(starts: np.ndarray) -> np.ndarray:
    """Where each run ends, from where each run starts."""
    ends = np.ones(len(starts), bool)
    ends[:-1] = starts[1:]
    return ends


# -- the features of a token ------------------------------------------------------------------


@dataclass
class Batch:
    """The tokens of some paragraphs of a view, concatenated in text order, with everything their
    features depend on: ``index`` (view token of each batch token), surface ``words``, lower-cased
    ``lows``, whether each token opens / closes its paragraph, the :class:`Context` codes, and the
    CRF's sequences as batch ranges ``[lo, hi)``."""

    view: TokenView
    paragraphs: list[int]
    index: np.ndarray
    words: list[str]
    lows: list[str]
    tags: list[tuple[str, ...]]
    para_start: np.ndarray
    para_end: np.ndarray
    para_first: np.ndarray  # the batch index of the first token of each token's paragraph
    para_last: np.ndarray
    context: Context
    sequences: list[tuple[int, int]]

    def __len__(self) -> int:
        return len(self.words)


SEQUENCE_UNIT = "paragraph"  # what the CRF's transitions link (contents run across sentences)


def batch(view: TokenView, paragraphs: Sequence[int] | None = None, unit: str | None = None) -> Batch:
    """The batch of the chosen paragraphs (all by default); sequences are paragraphs (or
    sentences: ``unit``)."""
    unit = unit or SEQUENCE_UNIT
    chosen = list(range(len(view.paragraphs)) if paragraphs is None else paragraphs)
    ranges = [view.paragraphs[k] for k in chosen]
    if len(chosen) == len(view.paragraphs):
        ranges = [(ranges[0][0], ranges[-1][1])] if ranges else []  # every paragraph: one slice
    text, starts, ends = view.text, view.starts, view.ends
    everything = len(chosen) == len(view.paragraphs)
    words: list[str] = []
    lows: list[str] = view.lows if everything else []
    tags: list[tuple[str, ...]] = view.tags if everything else []
    for lo, hi in ranges:
        words.extend([text[s:e] for s, e in zip(starts[lo:hi], ends[lo:hi])])
        if not everything:
            lows.extend(view.lows[lo:hi])
            tags.extend(view.tags[lo:hi])
    index = np.concatenate([np.arange(lo, hi) for lo, hi in ranges]) if ranges else np.zeros(0, int)
    # the CRF's sequences, as batch ranges: the chosen paragraphs' sentences, or the paragraphs
    sequences = []
    offset = 0
    for k in chosen:
        lo, hi = view.paragraphs[k]
        if unit == "sentence":
            first, last = view.sentence[lo], view.sentence[hi - 1]
            sequences.extend((offset + a - lo, offset + c - lo) for a, c in view.sentences[first : last + 1] if c > a)
        else:
            sequences.append((offset, offset + hi - lo))
        offset += hi - lo
    n = len(words)
    whole = context(view)
    para = np.repeat(np.arange(len(chosen)), [view.paragraphs[k][1] - view.paragraphs[k][0] for k in chosen])
    para_start = np.ones(n, bool)
    para_start[1:] = para[1:] != para[:-1]
    para_end = _ends(para_start)
    pos = np.arange(n)
    first = np.maximum.accumulate(np.where(para_start, pos, 0)) if n else pos
    last = np.minimum.accumulate(np.where(para_end, pos, n)[::-1])[::-1] if n else pos
    return Batch(view, chosen, index, words, lows, tags, para_start, para_end, first, last,
                 whole if everything else whole.take(index), sequences)


def token_features(b: Batch, i: int) -> list[str]:
    """Features of token ``i`` of a batch (each feature a string of value 1), in the order the
    shipped model was trained with (CRFsuite numbers attributes in the order it meets them, so
    the order is part of what makes ``make attribution-model`` reproduce the file)."""
    words, lows, tags = b.words, b.lows, b.tags
    feats = ["bias", *word_features(words[i])]
    lo, hi = int(b.para_first[i]), int(b.para_last[i])  # the token's paragraph
    for offset in OFFSETS:
        k = i + offset
        if not lo <= k <= hi:
            feats.append(pad_feature(offset))
            continue
        feats.extend(neighbour_features(words[k], offset))
        if offset == -1:
            feats.append(pair_features(lows[k], lows[i])[0])
            feats.extend(tag_features(tags[k], "-1"))
        elif offset == 1:
            feats.append(pair_features(lows[i], lows[k])[1])
            feats.extend(tag_features(tags[k], "+1"))
    feats.extend(tags[i])
    codes = b.context.codes
    feats.extend(CONTEXT_COLUMNS["q"][int(codes["q"][i])])
    feats.extend(paragraph_flag_features(int(b.context.paragraph[i])))
    for name, strings in CONTEXT_COLUMNS.items():
        if name != "q":
            feats.extend(strings[int(codes[name][i])])
    return feats


def batch_features(b: Batch) -> list[list[str]]:
    """:func:`token_features` of every token of the batch (what training reads)."""
    return [token_features(b, i) for i in range(len(b))]

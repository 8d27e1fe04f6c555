"""A compiled lexicon matcher: find lexicon terms in text as exact character spans.

Built once from a lexicon table (rows with ``term``, ``category``, ``weight``, ``match``) and
reused for every article; ``find`` only does dictionary lookups, never builds a regex.

Matching rules
--------------
- Text is split with :func:`framing.segment.token_spans`. Each word is looked up in lower case
  with curly apostrophes (’ ‘ ʼ) read as ``'``, for lookup only: offsets always point into the
  original text, so ``text[m.start:m.end]`` is the surface form as written.
- ``exact`` entries match the exact lower-cased word form(s); ``stem`` entries match any word
  whose Snowball (English) stem equals the stem of the term's word, so ``regime`` finds
  "regimes" and ``slam`` finds "slamming"; ``prefix`` entries match words that start with the
  term (in a multi-word ``prefix`` term only the last word is a prefix, the others are exact).
- Multi-word terms match consecutive word tokens; punctuation between words breaks them.
  Matching is leftmost-longest and matches never overlap: at each token the longest term
  starting there wins (ties: the later table row, so a user lexicon row overrides a shipped
  one), and scanning resumes after it.
- A hyphenated token ("so-called", "US-dominated", "war-torn") is first looked up whole, so
  hyphenated entries such as ``so-called`` or ``saber-rattling`` match as written, and a whole
  compound can start a multi-word term. Only when nothing matches from the whole token are its
  parts looked up, each as its own word, with multi-word terms allowed inside the compound but
  not across its end: "US-dominated" can match ``dominate``; "war-torn" matches only if ``war``
  or ``torn`` is itself an entry.
- When two rows share a term and match type, the later row wins (user rows come after the
  shipped ones, see :class:`framing.pipeline.Resources`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from framing.segment import normalise, token_spans

__all__ = ["LexiconMatch", "LexiconMatcher", "loaded_matcher", "normalise", "stem"]

MATCH_TYPES = ("stem", "exact", "prefix")
HYPHENS = "-‑"  # ASCII hyphen-minus and the non-breaking hyphen, as in segment.TOKEN_RE


@dataclass(frozen=True, slots=True)
class LexiconMatch:
    start: int
    end: int
    term: str
    category: str
    weight: float


@dataclass(frozen=True, slots=True)
class _Entry:
    term: str
    category: str
    weight: float
    order: int  # table row number: breaks ties between equally long matches


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of a normalised word (cached: news vocabulary is Zipfian)."""
    return _stemmer().stem(word)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from nltk.stem.snowball import SnowballStemmer  # here: importing nltk takes about a second

    return SnowballStemmer("english")


def _can_match(word: str) -> bool:
    return bool(word) and (word[0].isalnum() or word[0] == "'")


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets of the hyphen-separated parts of ``text[start:end]`` (empty parts dropped)."""
    parts, lo = [], start
    for i in range(start, end + 1):
        if i == end or text[i] in HYPHENS:
            if i > lo:
                parts.append((lo, i))
            lo = i + 1
    return parts


class LexiconMatcher:
    """Leftmost-longest, non-overlapping lexicon matching over word tokens."""

    __slots__ = ("categories", "name", "version", "size", "_root", "_prefix_lengths", "_starts", "_keys")

    def __init__(
        self,
        entries: Iterable[tuple[str, str, float, str]],
        *,
        name: str = "",
        version: str = "",
    ) -> None:
        """``entries``: ``(term, category, weight, match)``; prefer :meth:`from_table`."""
        root: dict[Any, Any] = {}
        categories: dict[str, None] = {}
        prefix_lengths: set[int] = set()
        size = 0
        for order, (term, category, weight, match) in enumerate(entries):
            if match not in MATCH_TYPES:
                raise ValueError(f"term {term!r}: unknown match {match!r}; expected one of {', '.join(MATCH_TYPES)}")
            words = normalise(term).split()
            if not words:
                raise ValueError(f"empty term in category {category!r}")
            node = root
            for position, word in enumerate(words):
                if match == "stem":
                    key = ("s", stem(word))
                elif match == "prefix" and position == len(words) - 1:
                    key = ("p", word)
                    prefix_lengths.add(len(word))
                else:
                    key = ("x", word)
                node = node.setdefault(key, {})
            node[None] = _Entry(term, category, float(weight), order)  # None marks a complete term
            categories.setdefault(category, None)
            size += 1
        self._root = root
        self._prefix_lengths = tuple(sorted(prefix_lengths))
        self.categories: tuple[str, ...] = tuple(categories)
        self.name = name
        self.version = version
        self.size = size
        # Per word, cached per matcher (news vocabulary is Zipfian): which trie branches it can
        # start (most words start none), and its trie keys when it may continue a term.
        self._keys = lru_cache(maxsize=16384)(self._word_keys)
        self._starts = lru_cache(maxsize=65536)(self._children_of_root)

    @classmethod
    def from_table(cls, table: Any) -> LexiconMatcher:
        """Compile a table whose rows have ``term``, ``category``, ``weight``, ``match``."""
        meta: Mapping[str, str] = getattr(table, "meta", {}) or {}
        rows = getattr(table, "rows", table)
        return cls(
            ((r["term"], r["category"], float(r["weight"]), r["match"] or "exact") for r in rows),
            name=meta.get("name", ""),
            version=meta.get("version", ""),
        )

    # -- matching -----------------------------------------------------------------------

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[LexiconMatch]:
        """All matches in ``text[start:end]``, in text order."""
        return self.find_in_tokens(text, token_spans(text, start, end))

    def find_in_tokens(
        self, text: str, tokens: Sequence[Any], words: Sequence[str] | None = None
    ) -> list[LexiconMatch]:
        """Matches over already computed tokens: ``(start, end)`` pairs (``Token``) or ``Span``-likes.

        ``words``: the tokens' :func:`normalise` forms, when the caller has them already
        (``Document.sentence_lookups()``), so that several matchers do not each recompute them."""
        # One kind of token per call (as every caller passes): decide the kind once, not per token.
        if tokens and not isinstance(tokens[0], tuple):
            tokens = [(t.start, t.end) for t in tokens]
        if words is None:
            words = [normalise(text[s:e]) for s, e in tokens]
        starts = self._starts
        # Most words start no term and, being alphanumeric, hold no hyphen: one cached lookup
        # and one C call rule them out here, so the loop below visits only the few candidates.
        candidates = [i for i, w in enumerate(words) if starts(w) or not w.isalnum()]
        out: list[LexiconMatch] = []
        free = 0  # tokens before this one are inside a match already
        for i in candidates:
            if i < free:
                continue
            word = words[i]
            found = self._longest(words, i) if starts(word) else None
            if found is not None:
                length, entry = found
                out.append(LexiconMatch(tokens[i][0], tokens[i + length - 1][1], entry.term, entry.category, entry.weight))
                free = i + length
                continue
            if not word.isalnum() and any(h in word for h in HYPHENS):
                parts = _parts(text, *tokens[i])
                if len(parts) > 1:
                    out.extend(self.find_in_tokens(text, parts))
        return out

    def _children_of_root(self, word: str) -> tuple[dict[Any, Any], ...]:
        return tuple(child for key in self._word_keys(word) if (child := self._root.get(key)) is not None)

    def _word_keys(self, word: str) -> tuple[tuple[str, str], ...]:
        keys = [("x", word), ("s", stem(word))]
        for n in self._prefix_lengths:
            if n > len(word):
                break
            keys.append(("p", word[:n]))
        return tuple(keys)

    def _longest(self, words: list[str], i: int) -> tuple[int, _Entry] | None:
        """The longest term starting at word ``i`` (ties: the later table row)."""
        best: tuple[int, _Entry] | None = None
        if not _can_match(words[i]):
            return None
        frontier: Sequence[dict[Any, Any]] = self._starts(words[i])
        j = i
        while frontier:
            length = j - i + 1
            for node in frontier:
                entry = node.get(None)
                if entry is not None and (best is None or length > best[0] or entry.order > best[1].order):
                    best = (length, entry)
            j += 1
            if j >= len(words) or not _can_match(words[j]):
                break  # punctuation ends any multi-word term
            keys = self._keys(words[j])
            frontier = [child for node in frontier for key in keys if (child := node.get(key)) is not None]
        return best

    def __repr__(self) -> str:
        return f"LexiconMatcher(name={self.name!r}, version={self.version!r}, terms={self.size})"


def loaded_matcher(resources: Any) -> LexiconMatcher:
    """The loaded-language matcher of ``resources`` (shipped + user lexicons), built once."""
    return resources.memo("lexmatch:loaded", lambda: LexiconMatcher.from_table(resources.table("loaded")))

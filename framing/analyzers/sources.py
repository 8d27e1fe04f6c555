"""Who an article lets speak, and what it cites: source diversity, outlets, links, references.

Reads the ``attribution`` analyzer's result (attributions are read by attribute name only, so
any object with the documented fields works) and groups attributions by canonical speaker into
*sources*. Over the sources it reports shares by speaker type and affiliation, Shannon entropy
(natural log, in nats), Pielou's evenness and Gini-Simpson diversity. Separately it lists what
the article cites: outlets named in the prose or quoted as speakers, hyperlinks and bare domains
anywhere in the text (chrome included), and the entries of a wiki-style reference list parsed
into citations. Outlet names, aliases and domains come from ``organisations.tsv``.

Every finding carries ``start``/``end`` offsets into the original text. The formulas and edge
cases are documented in ``docs/sources.md``.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from framing.analyzers import Analyzer, register
from framing.document import Document
from framing.segment import count_words
from framing.spans import Diagnostic, Span

SPEAKER_TYPES = (
    "head_of_state",
    "official",
    "state_media",
    "media",
    "expert",
    "politician",
    "ngo",
    "citizen",
    "anonymous",
    "unknown",
)
OFFICIAL_TYPES = frozenset({"head_of_state", "official"})  # state_media is reported on its own
MEDIA_TYPES = frozenset({"media", "state_media"})
QUOTE_KINDS = frozenset({"direct", "floating"})  # attributions that carry the speaker's own words
UNKNOWN_SPEAKER = "unknown"
UNKNOWN_AFFILIATION = "Unknown"
# Organisation kinds whose names identify the publisher of a reference entry. Government and
# party names ("Beijing", "the Kremlin") are left out: in a reference they are usually the topic.
PUBLISHER_KINDS = frozenset({"media", "think_tank"})


# -- metrics: one per function, over category counts (order irrelevant, zeros ignored) --------


def _proportions(counts: Iterable[float]) -> list[float]:
    values = [float(c) for c in counts]
    for value in values:
        if value < 0 or not math.isfinite(value):
            raise ValueError(f"counts must be finite and non-negative, got {value!r}")
    total = sum(values)
    return [v / total for v in values if v > 0]


def shannon_entropy(counts: Iterable[float]) -> float:
    """H = -Σ p ln p in nats (natural log); 0.0 for no counts or a single category."""
    return max(0.0, -sum(p * math.log(p) for p in _proportions(counts)))


def evenness(counts: Iterable[float]) -> float | None:
    """Pielou's J = H / ln K (K nonzero categories) in [0, 1]; None when K <= 1."""
    proportions = _proportions(counts)
    if len(proportions) <= 1:
        return None
    value = -sum(p * math.log(p) for p in proportions) / math.log(len(proportions))
    return min(1.0, max(0.0, value))


def simpson(counts: Iterable[float]) -> float:
    """Gini-Simpson 1 - Σ p²: chance that two draws (with replacement) differ; 0.0 if empty."""
    proportions = _proportions(counts)
    return max(0.0, 1.0 - sum(p * p for p in proportions)) if proportions else 0.0


def top_share(counts: Iterable[float]) -> float | None:
    """Share of the largest category; None when there are no counts."""
    proportions = _proportions(counts)
    return max(proportions) if proportions else None


def share(part: float, total: float) -> float | None:
    """``part / total``; None when the total is zero (a share of nothing is undefined)."""
    return part / total if total else None


# -- result types ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """One distinct source: all attributions to the same canonical speaker."""

    name: str
    speaker_type: str
    affiliation: str | None
    attributions: int
    quotes: int  # direct + floating quotations
    quoted_words: int  # words inside the content of those quotations
    evidence: tuple[Span, ...]  # content span of each attribution


@dataclass(frozen=True, slots=True)
class CategoryShare:
    category: str
    attributions: int
    attribution_share: float
    quoted_words: int
    word_share: float | None  # None when the article quotes no words at all


@dataclass(frozen=True, slots=True)
class Diversity:
    categories: int  # K, categories with a nonzero count
    entropy: float  # nats
    evenness: float | None
    simpson: float


@dataclass(frozen=True, slots=True)
class OutletMention:
    """An outlet named in the text (or quoted as a speaker), resolved to its canonical name."""

    start: int
    end: int
    outlet: str
    domain: str | None
    affiliation: str | None
    via: str  # "attribution" (quoted as a speaker) or "prose" (named in the body text)


@dataclass(frozen=True, slots=True)
class Link:
    start: int
    end: int
    url: str  # as written
    domain: str  # lower case, without "www."


@dataclass(frozen=True, slots=True)
class Citation:
    """One reference-list entry; parts that could not be read are None, never guessed."""

    start: int
    end: int
    title: str | None
    author: str | None
    outlet: str | None
    outlet_via: str | None  # "name" (written in the entry) or "domain" (known domain of an outlet)
    date: str | None  # as written
    domain: str | None
    url: str | None  # only when written with a scheme or www.


@dataclass(frozen=True)
class SourcesResult:
    sources: tuple[Source, ...]
    attributions: int
    quoted_words: int
    by_type: tuple[CategoryShare, ...]
    by_affiliation: tuple[CategoryShare, ...]
    source_diversity: Diversity  # over sources, weighted by attributions
    type_diversity: Diversity  # over speaker types, weighted by attributions
    top_source_share: float | None
    official_share: float | None  # head_of_state + official
    state_media_share: float | None
    anonymous_share: float | None
    outlets: tuple[OutletMention, ...]
    links: tuple[Link, ...]
    citations: tuple[Citation, ...]
    cited_outlets: tuple[str, ...]  # distinct: outlet mentions, media sources, citation outlets
    domains: tuple[str, ...]  # distinct, from links
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    def figures(self) -> dict[str, float | int | None]:
        shares = {c.category: c.attribution_share for c in self.by_type}
        row: dict[str, float | int | None] = {
            "sources_distinct": len(self.sources),
            "sources_attributions": self.attributions,
            "sources_entropy": self.source_diversity.entropy,
            "sources_evenness": self.source_diversity.evenness,
            "sources_simpson": self.source_diversity.simpson,
            "sources_type_entropy": self.type_diversity.entropy,
            "sources_type_evenness": self.type_diversity.evenness,
            "sources_type_simpson": self.type_diversity.simpson,
            "sources_top_share": self.top_source_share,
            "sources_official_share": self.official_share,
            "sources_state_media_share": self.state_media_share,
            "sources_anonymous_share": self.anonymous_share,
            "sources_cited_outlets": len(self.cited_outlets),
            "sources_citations": len(self.citations),
            "sources_links": len(self.links),
            "sources_domains": len(self.domains),
        }
        for speaker_type in SPEAKER_TYPES:
            value = shares.get(speaker_type, 0.0) if self.attributions else None
            row[f"sources_type_{speaker_type}_share"] = value
        return row


# -- grouping attributions into sources ----------------------------------------------------------


def _most_common(values: Iterable[Any], default: Any) -> Any:
    counted = Counter(v for v in values if v is not None)
    return counted.most_common(1)[0][0] if counted else default


def group_sources(text: str, attributions: Sequence[Any]) -> tuple[Source, ...]:
    """Attributions grouped by canonical speaker (None -> "unknown"), most attributed first."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for a in attributions:
        groups[a.speaker or UNKNOWN_SPEAKER].append(a)
    sources = []
    for name, group in groups.items():
        quotes = [a for a in group if a.kind in QUOTE_KINDS]
        sources.append(
            Source(
                name=name,
                speaker_type=_most_common((a.speaker_type for a in group), "unknown"),
                affiliation=_most_common((a.affiliation for a in group), None),
                attributions=len(group),
                quotes=len(quotes),
                quoted_words=sum(count_words(text, a.content_start, a.content_end) for a in quotes),
                evidence=tuple(Span(a.content_start, a.content_end) for a in group),
            )
        )
    first_seen = {name: min(a.content_start for a in group) for name, group in groups.items()}
    return tuple(sorted(sources, key=lambda s: (-s.attributions, first_seen[s.name])))


def category_shares(sources: Sequence[Source], key: str, missing: str) -> tuple[CategoryShare, ...]:
    """Shares of attributions and of quoted words per value of ``Source.<key>``."""
    attributions: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for source in sources:
        category = getattr(source, key) or missing
        attributions[category] += source.attributions
        words[category] += source.quoted_words
    total, total_words = sum(attributions.values()), sum(words.values())
    return tuple(
        CategoryShare(category, n, n / total, words[category], share(words[category], total_words))
        for category, n in sorted(attributions.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def diversity(counts: Sequence[float]) -> Diversity:
    return Diversity(
        categories=sum(1 for c in counts if c > 0),
        entropy=shannon_entropy(counts),
        evenness=evenness(counts),
        simpson=simpson(counts),
    )


# -- organisations: names, aliases, domains ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    aliases: tuple[str, ...]
    speaker_type: str
    affiliation: str | None
    kind: str
    domain: str | None


def _alternation(names: Iterable[str]) -> str:
    unique = sorted({n for n in names if n}, key=lambda n: (-len(n), n))  # longest first
    return "|".join(re.escape(n) for n in unique) or r"(?!x)x"


def _trie(names: Iterable[str], *, word_start: bool = False) -> str:
    """A regex matching the same names as :func:`_alternation`, longest first, but as a
    character trie: at a position the engine tries one branch per possible next character
    instead of every name in turn (three times faster over prose, with ~150 outlet names).

    Names that can both match at one position are prefixes of one another, so trying the
    longer continuation first (a greedy optional group) picks the same name as the
    longest-first alternation. With ``word_start`` a ``(?<!\\w.)`` check follows each first
    character: the same test as a leading ``(?<![\\w])``, made after a cheap literal one."""
    root: dict[str, dict] = {}
    for name in {n for n in names if n}:
        node = root
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}  # a name ends here

    def branch(node: dict[str, dict], first: bool) -> str:
        alternatives = [
            re.escape(ch) + (r"(?<!\w.)" if first else "") + branch(child, False)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
        return f"(?:{body})?" if "" in node else body

    return branch(root, word_start) or r"(?!x)x"


class OrganisationIndex:
    """Look organisations up by name or alias, by domain, and find outlet names in text."""

    def __init__(self, organisations: Iterable[Organisation]) -> None:
        self.organisations = tuple(organisations)
        self._by_name: dict[str, Organisation] = {}  # exact spelling first: "The Times" vs "the Times"
        self._by_folded_name: dict[str, Organisation] = {}
        self._by_domain: dict[str, Organisation] = {}
        for org in self.organisations:
            for name in (org.name, *org.aliases):
                self._by_name.setdefault(name, org)
                self._by_folded_name.setdefault(name.casefold(), org)
            if org.domain:
                self._by_domain.setdefault(org.domain, org)
        media = [o for o in self.organisations if o.kind == "media"]
        publishers = [o for o in self.organisations if o.kind in PUBLISHER_KINDS]
        bounded = r"(?<![\w])(?:{})(?![\w])"
        # Prose: case-sensitive, so "Welt" the outlet is found but "welt" the word is not.
        # (The same names and bounds as ``bounded`` would give, as a trie: this scans every
        # paragraph of every article.)
        media_names = [n for o in media for n in (o.name, *o.aliases)]
        self.media_pattern = re.compile(rf"(?:{_trie(media_names, word_start=True)})(?![\w])")
        # References: case-insensitive, entries are often in capitals ("TOM DISPATCH").
        self.publisher_pattern = re.compile(
            bounded.format(_alternation(n for o in publishers for n in (o.name, *o.aliases))), re.IGNORECASE
        )

    @classmethod
    def from_table(cls, table: Any) -> OrganisationIndex:
        return cls(
            Organisation(
                name=row["name"],
                aliases=tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip()),
                speaker_type=row.get("speaker_type", "") or "unknown",
                affiliation=row.get("affiliation") or None,
                kind=row.get("kind", ""),
                domain=normalise_domain(row["domain"]) if row.get("domain") else None,
            )
            for row in table.rows
        )

    def by_name(self, name: str | None) -> Organisation | None:
        if not name:
            return None
        return self._by_name.get(name) or self._by_folded_name.get(name.casefold())

    def by_domain(self, domain: str | None) -> Organisation | None:
        """The organisation whose domain is ``domain`` or a parent of it (news.cctv.com -> cctv.com)."""
        parts = (domain or "").split(".")
        for i in range(len(parts) - 1):
            org = self._by_domain.get(".".join(parts[i:]))
            if org is not None:
                return org
        return None


def organisation_index(resources: Any) -> tuple[OrganisationIndex, tuple[Diagnostic, ...]]:
    def build() -> tuple[OrganisationIndex, tuple[Diagnostic, ...]]:
        try:
            return OrganisationIndex.from_table(resources.table("organisations")), ()
        except (OSError, ValueError) as exc:  # missing or malformed table: report, carry on
            problem = Diagnostic("no-organisations", f"organisations table unavailable ({exc}); outlets not named")
            return OrganisationIndex(()), (problem,)

    return resources.memo("sources:organisations", build)


# -- links and domains ---------------------------------------------------------------------------

LINK_RE = re.compile(
    r"""
    (?:https?://|www\.)[^\s<>"“”‘’]+                              # URL, or www. without a scheme
    | (?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24}  # bare lower-case domain
      (?![\w@-])(?:/[^\s<>"“”‘’]*)?                                 # ... and an optional path
    """,
    re.VERBOSE,
)
_TRAILING = ".,;:!?)]}'\"’”"
# Every match of LINK_RE holds one of these, and no match holds whitespace.
_LINK_HINT = re.compile(r"\.[a-z]|://|www\.")


def normalise_domain(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def find_links(text: str, start: int = 0, end: int | None = None) -> tuple[Link, ...]:
    """URLs, www. addresses and bare domains (``sott.net``) in ``text[start:end]``."""
    links = []
    for match in _link_matches(text, start, len(text) if end is None else end):
        s, e = match.span()
        while e > s and text[e - 1] in _TRAILING:
            e -= 1
        url = text[s:e]
        host = urlsplit(url if "://" in url else f"http://{url}").hostname
        if host and "." in host:
            links.append(Link(s, e, url, normalise_domain(host)))
    return tuple(links)


def _link_matches(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``LINK_RE.finditer(text, start, end)``, run only over the whitespace-free stretches that
    hold a ``_LINK_HINT`` (most text holds none, and scanning it with LINK_RE is slow).

    The same matches: a match lies inside one stretch and holds a hint, and a stretch is
    scanned from its start (or ``start``) to its end (or ``end``) as the whole-text scan would:
    the lookbehind still sees the character before, the lookahead a space or ``end`` as before."""
    done = start  # end of the last stretch scanned
    for hint in _LINK_HINT.finditer(text, start, end):
        if hint.start() < done:
            continue  # in the stretch just scanned
        lo = hint.start()
        while lo > done and not text[lo - 1].isspace():
            lo -= 1
        hi = hint.end()
        while hi < end and not text[hi].isspace():
            hi += 1
        yield from LINK_RE.finditer(text, lo, hi)
        done = hi


# -- outlets named in the text -------------------------------------------------------------------


def outlet_mentions(doc: Document, attributions: Sequence[Any], index: OrganisationIndex) -> tuple[OutletMention, ...]:
    """Media quoted as speakers, plus media outlet names found in the body paragraphs."""
    mentions: list[OutletMention] = []
    for a in attributions:
        # Without a speaker mention (a floating quote) there is no name to point at; the outlet
        # still counts as cited through its source entry (see ``analyze``).
        if a.speaker_type not in MEDIA_TYPES or not a.speaker or a.speaker_start is None:
            continue
        org = index.by_name(a.speaker)
        affiliation = a.affiliation or (org.affiliation if org else None)
        domain = org.domain if org else None
        mentions.append(OutletMention(a.speaker_start, a.speaker_end, a.speaker, domain, affiliation, "attribution"))
    taken = [(m.start, m.end) for m in mentions]
    for paragraph in doc.paragraphs:
        for match in index.media_pattern.finditer(doc.text, paragraph.start, paragraph.end):
            s, e = match.span()
            if any(s < te and ts < e for ts, te in taken):
                continue  # already counted as a quoted speaker
            org = index.by_name(match.group())
            mentions.append(OutletMention(s, e, org.name, org.domain, org.affiliation, "prose"))
    return tuple(sorted(mentions, key=lambda m: (m.start, m.end)))


# -- reference-list entries ----------------------------------------------------------------------

_MARKER = re.compile(r"\s*(?:[-*•]\s*)?(?:(?:↑|\^|\[\d+\]|\d{1,3}[.)])\s*)+")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE_RE = re.compile(
    rf"""\b(?:\d{{4}}-\d{{2}}-\d{{2}}                     # 2024-05-16
         | {_MONTH}\s+\d{{1,2}},?\s+\d{{4}}              # January 12, 2019 / Oct. 12, 2022
         | \d{{1,2}}\s+{_MONTH},?\s+(?:\d{{4}}|\d{{2}})  # 12 Jan 2019 / 17 MAY, 2024 / 27 MAY 24
         )(?!\d)""",
    re.VERBOSE | re.IGNORECASE,
)
_BY = re.compile(r"^by\s+", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-Z]\.|[A-Z][\w'’.-]*|van|von|de|der|da|del|al|bin|la|le)$")


def _looks_like_name(segment: str) -> bool:
    """'John S. Van Oudenaren', 'PEPE ESCOBAR': two to five capitalised words, no digits."""
    words = segment.split()
    return 2 <= len(words) <= 5 and all(_NAME_WORD.match(w) for w in words) and not any(c.isdigit() for c in segment)


def _clean_part(part: str) -> str:
    return part.strip().strip("[]").strip().rstrip(".").strip()


def _without_links(text: str, links: Sequence[Link], offset: int) -> str:
    """``text`` (found at ``offset``) with the links in it blanked out, so "tass.com" is no name."""
    chars = list(text)
    for link in links:
        for i in range(max(link.start - offset, 0), min(link.end - offset, len(chars))):
            chars[i] = " "
    return "".join(chars)


def parse_citation(text: str, span: Span, index: OrganisationIndex) -> Citation:
    """Read a reference entry as "title, [by] author, outlet, date. domain" where parts exist."""
    start, end = span.start, span.end
    body_start = _MARKER.match(text, start, end).end()
    links = find_links(text, body_start, end)
    first = links[0] if links else None
    dates = [
        m for m in DATE_RE.finditer(text, body_start, end) if not any(lk.start <= m.start() < lk.end for lk in links)
    ]
    date = dates[-1] if dates else None
    head_end = date.start() if date else (first.start if first else end)
    tail = text[date.end() : end] if date else ""

    # Split the part before the date on commas, dropping pieces that are only links.
    parts: list[str] = []
    for piece in text[body_start:head_end].split(","):
        cleaned = _clean_part(piece)
        if cleaned and not any(lk.url == cleaned for lk in links):
            parts.append(cleaned)

    outlet_at, outlet, outlet_via = None, None, None
    for i, part in enumerate([*parts[1:], _without_links(tail, links, date.end() if date else end)], 1):
        match = index.publisher_pattern.search(part)
        if match:
            outlet, outlet_via = index.by_name(match.group()).name, "name"
            outlet_at = i if i < len(parts) else None  # None: found after the date
            break
    if outlet is None and first is not None:
        org = index.by_domain(first.domain)
        if org is not None:
            outlet, outlet_via = org.name, "domain"

    # The author: a part written "by ..."; failing that the name-like part just before the
    # outlet, or (no outlet found) the last name-like part. The first part is always the title.
    candidates = range(1, outlet_at if outlet_at is not None else len(parts))
    author_at = next((i for i in candidates if _BY.match(parts[i])), None)
    if author_at is None:
        named = [i for i in candidates if _looks_like_name(parts[i])]
        if named and (outlet_at is None or named[-1] == outlet_at - 1):
            author_at = named[-1]
    author = _BY.sub("", parts[author_at]) if author_at is not None else None
    title_parts = parts[: next(i for i in (author_at, outlet_at, len(parts)) if i is not None)]
    return Citation(
        start=start,
        end=end,
        title=", ".join(title_parts) or None,
        author=author or None,
        outlet=outlet,
        outlet_via=outlet_via,
        date=date.group() if date else None,
        domain=first.domain if first else None,
        url=first.url if first and ("://" in first.url or first.url.startswith("www.")) else None,
    )


# -- the analyzer --------------------------------------------------------------------------------


def analyze(doc: Document, resources: Any, prior: Mapping[str, Any]) -> SourcesResult:
    attributions = tuple(prior["attribution"].attributions)
    index, diagnostics = organisation_index(resources)
    sources = group_sources(doc.text, attributions)
    counts = [s.attributions for s in sources]
    total = sum(counts)
    type_counts = Counter(s.speaker_type for s in sources for _ in range(s.attributions))
    outlets = outlet_mentions(doc, attributions, index)
    citations = tuple(parse_citation(doc.text, span, index) for span in doc.references)
    links = find_links(doc.text)
    cited = {m.outlet for m in outlets} | {c.outlet for c in citations if c.outlet}
    cited |= {s.name for s in sources if s.speaker_type in MEDIA_TYPES}
    return SourcesResult(
        sources=sources,
        attributions=total,
        quoted_words=sum(s.quoted_words for s in sources),
        by_type=category_shares(sources, "speaker_type", "unknown"),
        by_affiliation=category_shares(sources, "affiliation", UNKNOWN_AFFILIATION),
        source_diversity=diversity(counts),
        type_diversity=diversity(list(type_counts.values())),
        top_source_share=top_share(counts),
        official_share=share(sum(type_counts[t] for t in OFFICIAL_TYPES), total),
        state_media_share=share(type_counts["state_media"], total),
        anonymous_share=share(type_counts["anonymous"], total),
        outlets=outlets,
        links=links,
        citations=citations,
        cited_outlets=tuple(sorted(cited)),
        domains=tuple(sorted({link.domain for link in links})),
        diagnostics=diagnostics,
    )


ANALYZER = register(
    Analyzer(
        name="sources",
        version="1",
        analyze=analyze,
        requires=("attribution",),
        description="source diversity (types, affiliations, entropy) and cited outlets, links, references",
    )
)

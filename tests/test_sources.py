"""The sources analyzer: diversity metrics, source grouping, outlets, links and citations."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import analyzers as registry
from framing.analyzers import sources
from framing.analyzers.sources import (
    OrganisationIndex,
    evenness,
    find_links,
    group_sources,
    outlet_mentions,
    parse_citation,
    shannon_entropy,
    simpson,
    top_share,
)
from framing.document import Document, Span
from framing.lexicons import LexiconError, load_table
from framing.pipeline import Resources, analyze

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


def seed(prefix: str) -> Document:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return Document.from_text(path.read_text(encoding="utf-8"), id=path.stem)


@pytest.fixture(scope="module")
def shipped_index() -> OrganisationIndex:
    """Organisations from the shipped framing/lexicons/organisations.tsv."""
    return OrganisationIndex.from_table(load_table("organisations"))


# -- stand-ins for the attribution analyzer's result, written for the tests -----------------------


@dataclass(frozen=True)
class StandInAttribution:
    """Has the fields of attribution.Attribution that sources reads (it reads them by name)."""

    kind: str
    speaker: str | None
    content_start: int
    content_end: int
    speaker_type: str = "unknown"
    affiliation: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str = ""
    cue_start: int | None = None
    cue_end: int | None = None
    verb_class: str = "neutral"


@dataclass(frozen=True)
class StandInAttributionResult:
    attributions: tuple[StandInAttribution, ...]


class ResourcesWithoutTables(Resources):
    """Resources whose lexicon tables are all missing, written for the tests."""

    def table(self, name: str) -> Any:
        raise LexiconError(f"unknown lexicon {name!r}")


def attribute(text: str, content: str, speaker: str | None, kind: str = "direct", **fields: Any) -> StandInAttribution:
    """An attribution whose content span is the first occurrence of ``content`` in ``text``."""
    start = text.index(content)
    speaker_at = text.find(speaker) if speaker else -1
    return StandInAttribution(
        kind=kind,
        speaker=speaker,
        content_start=start,
        content_end=start + len(content),
        speaker_start=speaker_at if speaker_at >= 0 else None,
        speaker_end=speaker_at + len(speaker) if speaker_at >= 0 else None,
        **fields,
    )


# -- metrics by hand -----------------------------------------------------------------------------


def test_two_equal_categories_are_maximally_even() -> None:
    assert shannon_entropy([1, 1]) == pytest.approx(math.log(2))
    assert evenness([1, 1]) == pytest.approx(1.0)
    assert simpson([1, 1]) == pytest.approx(0.5)
    assert top_share([1, 1]) == pytest.approx(0.5)


def test_three_to_one() -> None:
    assert shannon_entropy([3, 1]) == pytest.approx(0.562335, abs=1e-6)  # -(.75 ln .75 + .25 ln .25)
    assert evenness([3, 1]) == pytest.approx(0.562335 / math.log(2), abs=1e-6)
    assert simpson([3, 1]) == pytest.approx(1 - (0.75**2 + 0.25**2))  # 0.375
    assert top_share([3, 1]) == pytest.approx(0.75)


def test_four_equal_categories() -> None:
    assert shannon_entropy([2, 2, 2, 2]) == pytest.approx(math.log(4))
    assert simpson([2, 2, 2, 2]) == pytest.approx(0.75)


def test_empty_and_single_category_edge_cases() -> None:
    assert shannon_entropy([]) == 0.0
    assert simpson([]) == 0.0
    assert evenness([]) is None
    assert top_share([]) is None
    assert shannon_entropy([5]) == 0.0
    assert simpson([5]) == 0.0
    assert evenness([5]) is None  # one category: evenness undefined, not "perfectly even"
    assert evenness([5, 0, 0]) is None  # zeros are not categories


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="-1"):
        shannon_entropy([2, -1])


counts_strategy = st.lists(st.integers(min_value=0, max_value=10_000), max_size=30)


@given(counts_strategy, st.randoms(use_true_random=False))
def test_metrics_ignore_order_and_stay_in_range(counts: list[int], rnd: Any) -> None:
    shuffled = list(counts)
    rnd.shuffle(shuffled)
    h, j, d = shannon_entropy(counts), evenness(counts), simpson(counts)
    assert shannon_entropy(shuffled) == pytest.approx(h)
    assert simpson(shuffled) == pytest.approx(d)
    assert (evenness(shuffled) is None) == (j is None)
    k = sum(1 for c in counts if c > 0)
    assert math.isfinite(h) and 0.0 <= h <= math.log(max(k, 1)) + 1e-9
    assert 0.0 <= d < 1.0
    if j is None:
        assert k <= 1
    else:
        assert 0.0 <= j <= 1.0
        assert evenness(shuffled) == pytest.approx(j)


# -- grouping attributions into sources (seed 002, stand-in attributions) --------------------------

BIDEN_QUOTE = (
    "We stand ready to strengthen the cohesion of Western democracies to respond to the harmful actions of "
    "the governments of China and Russia"
)
LAVROV_QUOTE = (
    "We cannot ignore the Western group’s desire to put itself in a privileged position. "
    "Strengthening relations with China remains one of Moscow’s top foreign policy priorities."
)


@pytest.fixture(scope="module")
def seed_002_attributions() -> tuple[Document, tuple[StandInAttribution, ...]]:
    doc = seed("002")
    t = doc.text
    head = {"speaker_type": "head_of_state"}
    return doc, (
        attribute(t, "a living practice of building", "Xi Jinping", affiliation="China", **head),
        attribute(t, "I believe that under the guidance", "Xi Jinping", affiliation="China", **head),
        attribute(t, "Amid the growing geopolitical turbulence", "Vladimir Putin", affiliation="Russia", **head),
        attribute(t, BIDEN_QUOTE, "Joe Biden", affiliation="United States", **head),
        attribute(
            t, "The USA and some other Western countries", "Ren Guoqiang", speaker_type="official", affiliation="China"
        ),
        attribute(t, LAVROV_QUOTE, "Sergey Lavrov", speaker_type="official", affiliation="Russia"),
        attribute(
            t,
            "ironically, this confrontation with the United States",
            "Wedge Infinity",
            kind="indirect",
            speaker_type="media",
            affiliation="Japan",
        ),
        attribute(
            t,
            "the fronts on the world stage have once again become clear",
            "Welt",
            kind="according_to",
            speaker_type="media",
            affiliation="Germany",
        ),
    )


def test_attributions_group_into_sources(seed_002_attributions: Any) -> None:
    doc, attributions = seed_002_attributions
    grouped = group_sources(doc.text, attributions)
    assert [s.name for s in grouped][:2] == ["Xi Jinping", "Vladimir Putin"]  # most attributed, then first seen
    assert len(grouped) == 7
    xi = grouped[0]
    assert (xi.attributions, xi.quotes, xi.speaker_type, xi.affiliation) == (2, 2, "head_of_state", "China")
    assert [doc.text[e.start : e.end][:12] for e in xi.evidence] == ["a living pra", "I believe th"]
    welt = next(s for s in grouped if s.name == "Welt")
    assert (welt.quotes, welt.quoted_words) == (0, 0)  # an according-to paraphrase quotes no words


def test_quoted_words_counted_by_hand(seed_002_attributions: Any) -> None:
    doc, attributions = seed_002_attributions
    by_name = {s.name: s for s in group_sources(doc.text, attributions)}
    # Counted by hand: 26 words, plus the possessive clitics of "group’s" and "Moscow’s", which
    # framing's tokenizer (and so doc.word_count) counts as words of their own.
    assert by_name["Sergey Lavrov"].quoted_words == 28
    # "We stand ready ... of China and Russia": 23 words.
    assert by_name["Joe Biden"].quoted_words == 23


def test_article_shares_and_diversity(seed_002_attributions: Any, shipped_index: OrganisationIndex) -> None:
    doc, attributions = seed_002_attributions
    result = sources.analyze(doc, Resources(), {"attribution": StandInAttributionResult(attributions)})
    assert result.attributions == 8
    assert result.official_share == pytest.approx(6 / 8)  # 4 head_of_state + 2 official
    assert result.state_media_share == 0.0
    assert result.anonymous_share == 0.0
    assert result.top_source_share == pytest.approx(2 / 8)
    assert result.source_diversity.entropy == pytest.approx(shannon_entropy([2, 1, 1, 1, 1, 1, 1]))
    assert result.type_diversity.categories == 3
    assert result.type_diversity.simpson == pytest.approx(1 - (0.5**2 + 0.25**2 + 0.25**2))
    by_type = {c.category: c for c in result.by_type}
    assert by_type["media"].attribution_share == pytest.approx(0.25)
    assert by_type["media"].word_share == 0.0
    by_affiliation = {c.category: c.attributions for c in result.by_affiliation}
    assert by_affiliation == {"China": 3, "Russia": 2, "United States": 1, "Japan": 1, "Germany": 1}
    figures = result.figures()
    assert figures["sources_distinct"] == 7
    assert figures["sources_type_head_of_state_share"] == pytest.approx(0.5)
    assert figures["sources_type_citizen_share"] == 0.0
    assert all(isinstance(v, (int, float)) or v is None for v in figures.values())
    # The two media speakers are cited outlets, with their spans on the names as written.
    assert {m.outlet for m in result.outlets if m.via == "attribution"} == {"Wedge Infinity", "Welt"}
    for mention in result.outlets:
        assert doc.text[mention.start : mention.end] in {"Wedge Infinity", "Welt", "The Washington Post"}
    assert result.cited_outlets == ("Washington Post", "Wedge Infinity", "Welt")


def test_unknown_and_anonymous_speakers() -> None:
    text = "Officials said it was over. “It is not,” someone replied. Sources close to the talks disagreed."
    attributions = (
        attribute(text, "it was over", "anonymous: officials", kind="indirect", speaker_type="anonymous"),
        attribute(text, "It is not,", None, kind="floating"),
        attribute(
            text, "disagreed", "anonymous: sources close to the talks", kind="indirect", speaker_type="anonymous"
        ),
    )
    doc = Document.from_text(text, id="written-for-the-tests")
    result = sources.analyze(doc, ResourcesWithoutTables(), {"attribution": StandInAttributionResult(attributions)})
    assert [s.name for s in result.sources] == [
        "anonymous: officials",
        "unknown",
        "anonymous: sources close to the talks",
    ]
    assert result.anonymous_share == pytest.approx(2 / 3)
    assert result.official_share == 0.0
    assert result.sources[1].quoted_words == 3
    assert [d.code for d in result.diagnostics] == ["no-organisations"]  # reported, not raised


def test_no_attributions_gives_undefined_shares_not_zeros() -> None:
    doc = Document.from_text("A short note with nobody quoted.", id="written-for-the-tests")
    result = sources.analyze(doc, ResourcesWithoutTables(), {"attribution": StandInAttributionResult(())})
    figures = result.figures()
    assert figures["sources_distinct"] == 0
    assert figures["sources_entropy"] == 0.0
    assert figures["sources_evenness"] is None
    assert figures["sources_official_share"] is None
    assert figures["sources_type_official_share"] is None


# -- links ---------------------------------------------------------------------------------------


def test_seed_001_trailing_url_line_is_a_link() -> None:
    doc = seed("001")
    links = find_links(doc.text)
    assert [(doc.text[lk.start : lk.end], lk.domain) for lk in links] == [
        ("www.universityofreason.com/a/29887/KWADzukm", "universityofreason.com")
    ]


@pytest.mark.parametrize("prefix", ["000", "002", "003"])
def test_seeds_without_links_have_none(prefix: str) -> None:
    assert find_links(seed(prefix).text) == ()


def test_link_forms_written_for_the_tests() -> None:
    text = "See https://www.Example.org/a?b=1), or news.cctv.com. Not U.S. policy, nor e.g. this."
    links = find_links(text)
    assert [(lk.url, lk.domain) for lk in links] == [
        ("https://www.Example.org/a?b=1", "example.org"),
        ("news.cctv.com", "news.cctv.com"),
    ]


def _open_texts() -> list[str]:
    """The seeds and the open corpora (Wikinews with its links, Kremlin transcripts)."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    for path in sorted((SEEDS.parent / "open").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip()]
    return texts


LINKS_WRITTEN_FOR_THE_TESTS = (
    "See https://www.Example.org/a?b=1), or news.cctv.com. Not U.S. policy, nor e.g. this.\n"
    "Mail a@b.com; (www.x.org/y) and foo.bar-baz.co.uk/p?q,\u00a0x.io\u2003tass.ru/en. "
    "http://a.b https://c.d/e, www. www.ww1.example 1.2.3 a.b.c.d.e.f.gg.hh\n"
    "http://EXAMPLE.COM/Path www.EXAMPLE.ORG http://localhost:8080/x\n"
)


def test_link_search_finds_what_a_scan_of_the_whole_text_finds() -> None:
    """Links are looked for only where a hint ('.x', '://', 'www.') is; the matches must be
    those of LINK_RE run over all of the text (and over any slice of it)."""
    texts = _open_texts() + [LINKS_WRITTEN_FOR_THE_TESTS]
    assert sum(bool(sources.LINK_RE.search(text)) for text in texts) >= 10
    for text in texts:
        assert [m.span() for m in sources._link_matches(text, 0, len(text))] == [
            m.span() for m in sources.LINK_RE.finditer(text)
        ]
    text = LINKS_WRITTEN_FOR_THE_TESTS
    for start, end in [(0, 40), (5, len(text)), (60, 95), (96, 140), (121, 200)]:
        assert [m.span() for m in sources._link_matches(text, start, end)] == [
            m.span() for m in sources.LINK_RE.finditer(text, start, end)
        ]


def test_media_trie_finds_what_the_longest_first_alternation_finds(shipped_index: OrganisationIndex) -> None:
    """Outlet names in prose are found with a character trie; it must pick the same names as
    the plain longest-first alternation, including where one name is a prefix of another."""
    names = [n for o in shipped_index.organisations if o.kind == "media" for n in (o.name, *o.aliases)]
    assert any(a != b and b.startswith(a) for a in names for b in names)  # e.g. a short alias
    plain = re.compile(rf"(?<![\w])(?:{sources._alternation(names)})(?![\w])")
    texts = _open_texts() + [" ".join(names), "".join(names), ", ".join(n + "s" for n in names)]
    for text in texts:
        assert [m.span() for m in shipped_index.media_pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]


# -- outlets named in prose ----------------------------------------------------------------------


MEDIA_IN_PROSE = {
    "002": [
        ("The Washington Post", "Washington Post", "washingtonpost.com", "United States"),
        ("Wedge Infinity", "Wedge Infinity", "wedge.ismedia.jp", "Japan"),
        ("Welt", "Welt", "welt.de", "Germany"),  # "according to Welt, German TV channel"
    ],
    "003": [
        ("EIRNS", "Executive Intelligence Review", "larouchepub.com", "United States"),  # the dateline
        ("Washington Post", "Washington Post", "washingtonpost.com", "United States"),
        ("TASS", "TASS", "tass.com", "Russia"),  # "TASS reports"
        ("Global Times", "Global Times", "globaltimes.cn", "China"),
        ("Global Times", "Global Times", "globaltimes.cn", "China"),
    ],
}


@pytest.mark.parametrize("prefix", sorted(MEDIA_IN_PROSE))
def test_media_named_in_seed_prose(prefix: str, shipped_index: OrganisationIndex) -> None:
    doc = seed(prefix)
    found = [
        (doc.text[m.start : m.end], m.outlet, m.domain, m.affiliation) for m in outlet_mentions(doc, (), shipped_index)
    ]
    assert found == MEDIA_IN_PROSE[prefix]


def test_prose_names_are_case_sensitive(shipped_index: OrganisationIndex) -> None:
    doc = Document.from_text("Die neue welt order, said nobody at tass.", id="written-for-the-tests")
    assert outlet_mentions(doc, (), shipped_index) == ()


# -- the seed-004 reference list -----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_004_citations(shipped_index: OrganisationIndex) -> list[Any]:
    doc = seed("004")
    assert len(doc.references) == 16
    return [parse_citation(doc.text, span, shipped_index) for span in doc.references]


def test_national_interest_entry(seed_004_citations: list[Any]) -> None:
    c = seed_004_citations[4]
    assert c.title == "America’s Nightmare: The Sino-Russian Entente"
    assert c.author == "John S. Van Oudenaren"
    assert (c.outlet, c.outlet_via) == ("The National Interest", "name")
    assert (c.date, c.domain, c.url) == ("January 12, 2019", "nationalinterest.org", None)


def test_reuters_entry_keeps_the_republishing_domain(seed_004_citations: list[Any]) -> None:
    c = seed_004_citations[7]
    assert c.title == "Putin and Xi agree to ‘no limits’ partnership at Olympics"
    assert c.author is None
    assert (c.outlet, c.date, c.domain) == ("Reuters", "February 4, 2022", "thechinaproject.com")


def test_tass_entry_outlet_comes_from_its_domain(seed_004_citations: list[Any]) -> None:
    c = seed_004_citations[15]
    assert c.title == "US directly responsible for emergence, escalation of Ukrainian crisis — Beijing"
    assert (c.outlet, c.outlet_via) == ("TASS", "domain")  # "tass.com" is a link, not the name
    assert (c.date, c.domain) == ("17 MAY, 2024", "tass.com")


def test_entries_with_a_by_author(seed_004_citations: list[Any]) -> None:
    punchline, mccoy = seed_004_citations[5], seed_004_citations[8]
    assert (punchline.author, punchline.outlet, punchline.date) == (
        "M. K. BHADRAKUMAR",
        "Indian Punchline",
        "MAY 2, 2020",
    )
    assert punchline.domain == "indianpunchline.com"
    # "By Alfred W. McCoy , TOM DISPATCH, ... truthout.org. First published in TomDispatch https://..."
    assert (mccoy.author, mccoy.outlet, mccoy.outlet_via) == ("Alfred W. McCoy", "TomDispatch", "name")
    assert (mccoy.domain, mccoy.url) == ("truthout.org", None)  # domain and url come from the first link


def test_publisher_named_in_the_entry_wins_over_the_hosting_domain(seed_004_citations: list[Any]) -> None:
    c = seed_004_citations[2]  # "..., Center for National Interest, 12 Jan 2019. www.sott.net"
    assert (c.author, c.outlet, c.outlet_via) == ("John S. Van Oudenaren", "Center for the National Interest", "name")
    assert (c.domain, c.url) == ("sott.net", "www.sott.net")


def test_government_names_never_become_a_reference_outlet(tmp_path: Path) -> None:
    table = tmp_path / "organisations.tsv"
    table.write_text(
        "# name: organisations\n# version: 1\n# source: written for the tests\n# license: CC-BY-4.0\n"
        "# columns: name, aliases, speaker_type, affiliation, kind, domain, note\n"
        "name\taliases\tspeaker_type\taffiliation\tkind\tdomain\tnote\n"
        "Chinese government\tBeijing\tofficial\tChina\tgovernment\tgov.cn\n",
        encoding="utf-8",
    )
    index = OrganisationIndex.from_table(load_table(table))
    text = "- ↑ Talks stall, trade war widens — Beijing, 17 MAY, 2024."  # written for the tests
    citation = parse_citation(text, Span(0, len(text)), index)
    assert (citation.title, citation.outlet, citation.date) == (
        "Talks stall, trade war widens — Beijing",
        None,
        "17 MAY, 2024",
    )


def test_title_with_a_comma_and_a_url(seed_004_citations: list[Any]) -> None:
    wsj, lavrov = seed_004_citations[10], seed_004_citations[0]
    assert wsj.title == "Fifty Years After Nixon’s Visit, China Tilts Back Toward Russia"
    assert (wsj.author, wsj.outlet, wsj.domain) == ("James T. Areddy", "Wall Street Journal", None)
    assert lavrov.url is not None and lavrov.url.startswith("https://thesaker.is/foreign-minister")
    assert (lavrov.domain, lavrov.author, lavrov.date) == ("thesaker.is", None, "March 19, 2022")


def test_sparse_entries_leave_parts_unknown(seed_004_citations: list[Any]) -> None:
    x = seed_004_citations[12]  # "BUILDING A NEW WORLD ORDER, x.com"
    assert (x.title, x.author, x.outlet, x.date, x.domain) == ("BUILDING A NEW WORLD ORDER", None, None, None, "x.com")
    crooke = seed_004_citations[14]
    assert (crooke.author, crooke.date, crooke.domain) == ("ALASTAIR CROOKE", "27 MAY 24", "thealtworld.com")


def test_citation_spans_are_the_reference_entries(seed_004_citations: list[Any]) -> None:
    doc = seed("004")
    for citation, span in zip(seed_004_citations, doc.references, strict=True):
        assert (citation.start, citation.end) == (span.start, span.end)
        assert doc.text[citation.start : citation.end].startswith("- ↑ ")


def test_exact_spelling_decides_between_outlets_sharing_a_name(shipped_index: OrganisationIndex) -> None:
    # "the Times" is an alias of the New York Times; "The Times" is the London paper.
    assert shipped_index.by_name("the Times").name == "New York Times"
    assert shipped_index.by_name("The Times").name == "The Times"
    assert shipped_index.by_name("reuters").name == "Reuters"  # any case when no exact spelling


# -- end to end on the seeds, with the real attribution analyzer ---------------------------------

SEED_PREFIXES = ("000", "001", "002", "003", "004")


@pytest.fixture(scope="module")
def seed_results() -> dict[str, tuple[Document, Any]]:
    resources = Resources()
    out = {}
    for prefix in SEED_PREFIXES:
        doc = seed(prefix)
        result = analyze(doc, analyzers=["sources"], resources=resources)
        out[prefix] = (doc, result)
    return out


def test_sources_is_registered_after_attribution() -> None:
    analyzer = registry.get("sources")
    assert analyzer.requires == ("attribution",)
    order = [a.name for a in registry.resolve(["sources"])]
    assert order.index("attribution") < order.index("sources")


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_seed_spans_round_trip_into_the_text(prefix: str, seed_results: Any) -> None:
    doc, article = seed_results[prefix]
    result = article.analyses["sources"]
    attribution_spans = {(a.content_start, a.content_end) for a in article.analyses["attribution"].attributions}
    for source in result.sources:
        for span in source.evidence:
            assert (span.start, span.end) in attribution_spans
            assert 0 <= span.start <= span.end <= len(doc.text)
    for mention in result.outlets:
        written = doc.text[mention.start : mention.end]
        assert written.strip() == written and written
        if mention.via == "prose":
            assert shipped_organisations().by_name(written).name == mention.outlet
    for link in result.links:
        assert doc.text[link.start : link.end] == link.url
    for citation in result.citations:
        assert (citation.start, citation.end) in {(r.start, r.end) for r in doc.references}


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_seed_figures_are_finite_and_in_range(prefix: str, seed_results: Any) -> None:
    result = seed_results[prefix][1].analyses["sources"]
    figures = result.figures()
    for key, value in figures.items():
        assert value is None or (isinstance(value, (int, float)) and math.isfinite(value)), key
        if key.endswith("_share") and value is not None:
            assert 0.0 <= value <= 1.0, key
    type_shares = [v for k, v in figures.items() if k.startswith("sources_type_") and k.endswith("_share")]
    if result.attributions:
        assert sum(type_shares) == pytest.approx(1.0)
        assert sum(c.attribution_share for c in result.by_affiliation) == pytest.approx(1.0)
    assert sum(s.attributions for s in result.sources) == result.attributions
    assert figures["sources_distinct"] == len({s.name for s in result.sources})


def test_seed_002_end_to_end(seed_results: Any) -> None:
    result = seed_results["002"][1].analyses["sources"]
    by_name = {s.name: s for s in result.sources}
    assert by_name["Welt"].speaker_type == "media" and by_name["Welt"].affiliation == "Germany"
    assert by_name["Sergey Lavrov"].quoted_words == 28  # counted by hand above
    assert result.cited_outlets == ("Washington Post", "Wedge Infinity", "Welt")
    assert result.official_share == pytest.approx(
        sum(s.attributions for s in result.sources if s.speaker_type in {"head_of_state", "official"})
        / result.attributions
    )


@pytest.mark.xfail(strict=True, reason=(
    "attribution 6: the PolNeAR-trained tagger overrules the rule records of seed 003 (Global Times' "
    "floating quotations, TASS relaying the read-out), so Yang Jiechi becomes the top source"
))
def test_seed_003_leans_on_state_media(seed_results: Any) -> None:
    result = seed_results["003"][1].analyses["sources"]
    top = result.sources[0]
    assert (top.name, top.speaker_type, top.affiliation) == ("Global Times", "state_media", "China")
    # Global Times and TASS (which relays the Chinese read-out) are the state media voices.
    state_media = [s for s in result.sources if s.speaker_type == "state_media"]
    assert {s.name for s in state_media} == {"Global Times", "TASS"}
    assert result.state_media_share == pytest.approx(sum(s.attributions for s in state_media) / result.attributions)
    assert {"TASS", "Washington Post", "Global Times"} <= set(result.cited_outlets)


def test_seed_004_cites_its_reference_list(seed_results: Any) -> None:
    doc, article = seed_results["004"]
    result = article.analyses["sources"]
    figures = result.figures()
    assert figures["sources_citations"] == 16
    assert figures["sources_links"] == 13  # 8 bare domains, 3 www. addresses, 2 full URLs; all in the reference list
    assert {"Reuters", "TASS", "The National Interest", "CCTV"} <= set(result.cited_outlets)
    first_reference = doc.references[0].start
    assert all(link.start >= first_reference for link in result.links)


def test_seed_001_link_is_counted(seed_results: Any) -> None:
    result = seed_results["001"][1].analyses["sources"]
    assert result.domains == ("universityofreason.com",)
    assert "Global Times" in result.cited_outlets


@given(st.text(max_size=300))
@settings(max_examples=60, deadline=None)
def test_any_text_is_analyzed_with_spans_in_range(text: str) -> None:
    doc = Document.from_text(text, id="hypothesis")
    result = analyze(doc, analyzers=["sources"], resources=_PROPERTY_RESOURCES).analyses["sources"]
    spans = [*result.outlets, *result.links, *result.citations, *(e for s in result.sources for e in s.evidence)]
    assert all(0 <= s.start <= s.end <= len(text) for s in spans)
    assert all(doc.text[lk.start : lk.end] == lk.url for lk in result.links)


_PROPERTY_RESOURCES = Resources()


def shipped_organisations() -> OrganisationIndex:
    return OrganisationIndex.from_table(load_table("organisations"))

"""Chrome is set aside as recorded spans, never deleted; wiki references become citations."""

from __future__ import annotations

from framing.clean import clean
from framing.document import Document


def removed_texts(doc: Document) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in doc.removed:
        out.setdefault(r.reason, []).append(doc.text[r.start : r.end])
    return out


def prose(doc: Document) -> str:
    return "\n".join(doc.text[p.start : p.end] for p in doc.paragraphs)


def test_blog_chrome_in_seed_000(seed_docs):
    doc = seed_docs["000"]
    removed = removed_texts(doc)
    assert removed["byline"] == ["by Stephen Lendman ( – Home – Stephen Lendman)"]
    assert removed["duplicate-title"] == ["Sino/Russian Ties That Bind"]  # NBSP in the first copy
    (promo,) = removed["author-promo"]
    assert promo.startswith("VISIT MY WEBSITE") and promo.endswith("%d bloggers like this:")
    body = prose(doc)
    for chrome in ("Leave a Reply", "You are commenting using", "Connecting to %s", "Up ↑", "Wall Street books"):
        assert chrome not in body
    assert body.rstrip().endswith("by Washington’s diabolical agenda.")


def test_republisher_and_magazine_chrome(seed_docs):
    removed = removed_texts(seed_docs["001"])
    assert removed["image-placeholder"] == ["Article Image"] and removed["share-widget"] == ["IPFS"]
    assert removed["bare-url"] == ["www.universityofreason.com/a/29887/KWADzukm"]
    neo = seed_docs["002"]
    assert "Leave a Reply" not in prose(neo) and "Powered by WordPress" not in prose(neo)
    assert removed_texts(neo)["signature"][0].startswith("Vladimir Odintsov, political observer")
    eir = removed_texts(seed_docs["003"])
    assert eir["navigation"][0] == "Go to home page" and eir["navigation"][1].startswith("Back to top")


def test_wiki_reference_list_is_kept_as_citations(seed_docs):
    doc = seed_docs["004"]
    refs = [doc.text[r.start : r.end] for r in doc.references]
    assert len(refs) == 16
    assert refs[0].startswith("- ↑ Foreign Minister Sergey Lavrov")
    assert refs[-1].endswith("tass.com")
    assert "References" not in prose(doc) and "tass.com" not in prose(doc)
    assert prose(doc).rstrip().endswith("for the greater good of multipolarity.")


def test_removed_spans_cover_only_what_they_say(seed_docs):
    for doc in seed_docs.values():
        for r in doc.removed:
            assert doc.text[r.start : r.end].strip() == doc.text[r.start : r.end]
            for p in doc.paragraphs:  # no prose paragraph overlaps removed chrome
                assert p.end <= r.start or p.start >= r.end


def test_ordinary_prose_is_untouched_written_for_the_tests():
    text = "Officials met on Monday.\n\nThey agreed to talk again by phone.\n"
    result = clean(text)
    assert result.removed == () and result.references == ()


def test_prose_beginning_with_by_is_not_a_byline_written_for_the_tests():
    doc = Document.from_text("by the end of the year, trade grew.\n\nBy contrast, exports fell sharply last month.")
    assert not doc.removed

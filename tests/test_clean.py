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


# A user's boilerplate table, written for the tests: a tip-jar line this site prints under posts.
USER_BOILERPLATE = (
    "# name: boilerplate\n# version: mine-1\n# source: written for the tests\n# license: CC0\n"
    "# columns: pattern, scope, reason, note\n"
    "pattern\tscope\treason\tnote\n"
    "Tip jar: buy the editor a coffee.*\tline\ttip-jar\tthe site's donation line\n"
)
ARTICLE = (
    "The council met on Monday.\n\nTip jar: buy the editor a coffee at example.org\n\n"
    "The vote was postponed until spring, the mayor said."
)


def test_a_user_boilerplate_file_reaches_cleaning(tmp_path):
    from framing.corpus import Record
    from framing.pipeline import Resources
    from framing.scoring import document_from_record, score_record

    path = tmp_path / "boilerplate-mine.tsv"
    path.write_text(USER_BOILERPLATE, encoding="utf-8")
    record = Record("t", ARTICLE, {}, "test")
    shipped_only = document_from_record(record, Resources())
    assert "Tip jar" in prose(shipped_only) and not removed_texts(shipped_only)

    resources = Resources(lexicon_files=[path])
    doc = document_from_record(record, resources)
    assert removed_texts(doc) == {"tip-jar": ["Tip jar: buy the editor a coffee at example.org"]}
    assert "Tip jar" not in prose(doc) and "The vote was postponed" in prose(doc)
    result = score_record(record, resources, ["sentiment"]).result
    assert result.to_dict()["segments"]["sentences"] == 2
    assert removed_texts(Document.from_text(ARTICLE, chrome_rules=resources.chrome_rules())) == removed_texts(doc)


def test_a_user_boilerplate_rule_that_is_not_a_regex_is_refused_before_reading(tmp_path):
    import pytest

    from framing.lexicons import LexiconError
    from framing.pipeline import Resources

    path = tmp_path / "bad.tsv"
    path.write_text(USER_BOILERPLATE.replace("Tip jar: buy the editor a coffee.*", "Tip jar: (unclosed"),
                    encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"{path}: pattern 'Tip jar: \(unclosed' is not a regular expression"):
        Resources(lexicon_files=[path])

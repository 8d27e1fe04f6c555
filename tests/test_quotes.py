"""Quotation detection on real seed sentences (and a few cases written for the tests)."""

from __future__ import annotations

from framing.document import Document


def quotes_of(doc: Document, level: int | None = None) -> list[str]:
    return [doc.text[q.content_start : q.content_end] for q in doc.quotations if level is None or q.level == level]


def test_curly_quotes_in_seed_000(seed_docs):
    doc = seed_docs["000"]
    assert "constructive partnership." in quotes_of(doc, 0)
    assert "To say we have strategic cooperation is not enough anymore." in quotes_of(doc, 0)


def test_single_inside_double_is_nested_in_seed_000(seed_docs):
    # “ ‘Comprehensive’ means that we work virtually on all major avenues.”
    doc = seed_docs["000"]
    assert "Comprehensive" in quotes_of(doc, 1)
    assert "Strategic" in quotes_of(doc, 1)
    outer = [q for q in doc.quotations if q.level == 0 and "Comprehensive’ means" in doc.text[q.start : q.end]]
    inner = [q for q in doc.quotations if q.level == 1 and doc.text[q.content_start : q.content_end] == "Comprehensive"]
    assert outer and inner and outer[0].start < inner[0].start < inner[0].end <= outer[0].end


def test_unclosed_quote_in_seed_001_is_a_diagnostic_and_ends_at_its_paragraph(seed_docs):
    # Xi praised what he called a "new vitality in bilateral relations with Russia.   (no closing mark)
    doc = seed_docs["001"]
    unclosed = [q for q in doc.quotations if not q.closed]
    contents = [doc.text[q.content_start : q.content_end] for q in unclosed]
    assert "new vitality in bilateral relations with Russia." in contents
    assert any("historic mistake of pushing (both countries) too far." == c for c in contents)
    codes = [(d.code, doc.text[d.start : d.start + 14]) for d in doc.diagnostics]
    assert ("unclosed-quotation", '"new vitality ') in codes
    # the article is not lost: the next paragraph's quote is still found on its own
    assert "forces in the world" in quotes_of(doc, 0)


def test_straight_quotes_pair_in_seed_001(seed_docs):
    doc = seed_docs["001"]
    assert "democracy" in quotes_of(doc, 0)
    assert "human rights" in quotes_of(doc, 0)


def test_quote_over_two_paragraphs_in_seed_003(seed_docs):
    # “the greatest value ... system....\n\n“The comprehensive ... themselves,” Global Times concludes.
    doc = seed_docs["003"]
    (multi,) = [q for q in doc.quotations if q.paragraphs > 1]
    content = doc.text[multi.content_start : multi.content_end]
    assert content.startswith("the greatest value of China-Russia relations")
    assert content.endswith("And they need to reflect on themselves,")
    assert multi.closed and multi.paragraphs == 2
    assert not [d for d in doc.diagnostics if d.code == "unclosed-quotation"]


def test_mixed_straight_open_curly_close_in_seed_004(seed_docs):
    doc = seed_docs["004"]
    contents = quotes_of(doc, 0)
    assert any(c.startswith("as Biden took office in 2021") and c.endswith("may dissolve") for c in contents)
    assert "take the acknowledgement of cultural and civilizational diversity" in contents


def test_apostrophes_are_not_quotes(seed_docs):
    doc = seed_docs["002"]  # "The two countries’ peoples", "Russia’s", "Moscow’s"
    for q in doc.quotations:
        assert q.open_mark not in "’'" or q.level > 0


def test_multi_paragraph_quote_with_straight_marks_written_for_the_tests():
    text = 'He said:\n\n"First paragraph of the statement.\n\n"Second paragraph, still quoted."\n\nThen prose.'
    doc = Document.from_text(text, clean=False)
    (q,) = doc.quotations
    assert q.paragraphs == 2 and q.closed
    assert doc.text[q.content_start : q.content_end] == (
        'First paragraph of the statement.\n\n"Second paragraph, still quoted.'
    )
    assert doc.in_quotation(text.index("Second")) and not doc.in_quotation(text.index("Then"))


def test_stray_closing_mark_is_reported_written_for_the_tests():
    doc = Document.from_text("A sentence that ends oddly.” Next one.", clean=False)
    assert [d.code for d in doc.diagnostics] == ["unmatched-closing-quote"]


def test_straight_quotes_without_spaces_pair_from_the_kremlin_corpus():
    # Real sentences from corpus/open/kremlin-2021-2022.jsonl (kremlin-68697, kremlin-68689)
    for text, expected in [
        ('The message reads, in part:"It is a pleasure to note that the theatre thrives."', "It is a pleasure to note that the theatre thrives."),
        ('including the launch of the"printing press"– uncontrolled emission', "printing press"),
    ]:
        doc = Document.from_text(text, clean=False)
        assert quotes_of(doc, 0) == [expected] and not doc.diagnostics


def test_elided_years_are_apostrophes_written_for_the_tests():
    doc = Document.from_text("Before the '67 war and in the ’90s, he said 'no'.", clean=False)
    assert quotes_of(doc) == ["no"] and not doc.diagnostics

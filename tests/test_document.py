"""Document: segments are offsets into the untouched original text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.document import Document

from .conftest import seed_id, seed_text


def assert_well_formed(doc: Document) -> None:
    n = len(doc.text)
    for group in (doc.paragraphs, doc.sentences, doc.tokens, doc.references, doc.removed):
        for span in group:
            assert 0 <= span.start <= span.end <= n
    for q in doc.quotations:
        assert 0 <= q.start < q.content_start <= q.content_end <= q.end <= n
        assert doc.text[q.start] == q.open_mark
        if q.closed:
            assert doc.text[q.end - 1] == q.close_mark
    for d in doc.diagnostics:
        if d.start is not None:
            assert 0 <= d.start <= (d.end if d.end is not None else n) <= n
    # sentences lie inside paragraphs, in order, without overlap
    for a, b in zip(doc.sentences, doc.sentences[1:]):
        assert a.end <= b.start
    for s in doc.sentences:
        assert any(p.start <= s.start and s.end <= p.end for p in doc.paragraphs)
        assert doc.text[s.start : s.end] == doc.text[s.start : s.end].strip()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_unicode_text_segments_without_error_and_spans_stay_in_the_text(text):
    doc = Document.from_text(text, id="x")
    assert doc.text is text  # never rewritten
    assert_well_formed(doc)


quote_heavy = st.text(alphabet=st.sampled_from(list("ab .,\n\"“”‘’'«»:—(W)")), max_size=300)


@settings(max_examples=300, deadline=None)
@given(quote_heavy)
def test_quote_heavy_text_never_raises_and_quotes_nest_properly(text):
    doc = Document.from_text(text, id="q")
    assert_well_formed(doc)
    outer = [q for q in doc.quotations if q.level == 0]
    for a, b in zip(outer, outer[1:]):
        assert a.end <= b.start  # outermost quotations never overlap


@settings(max_examples=300, deadline=None)
@given(quote_heavy, st.data())
def test_quoted_share_counts_exactly_the_characters_inside_outer_quotations(text, data):
    doc = Document.from_text(text, id="q")
    inside = [False] * len(text)
    for q in doc.quotations:
        if q.level == 0:
            inside[q.content_start : q.content_end] = [True] * (q.content_end - q.content_start)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = sum(inside[start:end]) / (end - start) if end > start else 0.0
    assert doc.quoted_share(start, end) == expected
    for sentence, voice in zip(doc.sentences, doc.sentence_voices(), strict=True):
        share = sum(inside[sentence.start : sentence.end]) / (sentence.end - sentence.start)
        assert voice == ("quoted" if share >= 0.5 else "author")


def test_seed_documents_are_well_formed(seed_docs):
    for doc in seed_docs.values():
        assert_well_formed(doc)
        assert doc.sentences and doc.paragraphs and doc.word_count > 300


def test_tokens_keep_editorial_insertions_as_words(seed_docs):
    doc = seed_docs["001"]
    words = {doc.text[t.start : t.end] for t in doc.tokens}
    assert "(n)o" in words  # Putin said "(n)o attempt to sow discord ..."
    assert "need(s)" in words  # Moscow "need(s) to barricade (itself) ..."
    assert "(P)articular" in words
    assert "(W)e" in {seed_docs["000"].text[t.start : t.end] for t in seed_docs["000"].tokens}


def test_possessive_is_split_but_hyphenated_compound_is_one_token(seed_docs):
    doc = seed_docs["001"]
    words = [doc.text[t.start : t.end] for t in doc.tokens]
    assert "Washington" in words and "'s" in words
    assert "US-dominated" in words


def test_sentence_lookups_are_the_lookup_forms_of_the_sentence_tokens(seed_docs):
    from framing.segment import normalise

    doc = seed_docs["002"]
    assert [len(w) for w in doc.sentence_lookups()] == [len(t) for t in doc.sentence_tokens()]
    for tokens, words in zip(doc.sentence_tokens(), doc.sentence_lookups(), strict=True):
        assert words == [normalise(t.text_in(doc.text)) for t in tokens]
    # Curly apostrophes become straight ones for lookup only: the text keeps them.
    curly = [w for words in doc.sentence_lookups() for w in words if "'" in w]
    assert "’" in doc.text and curly and not any("’" in w for words in doc.sentence_lookups() for w in words)


def test_from_text_refuses_bytes_with_a_clear_message():
    import pytest

    with pytest.raises(TypeError, match="must be str"):
        Document.from_text(b"bytes")  # type: ignore[arg-type]


def test_empty_text_gives_a_diagnostic_not_an_exception():
    doc = Document.from_text("   \n\n ", id="empty")
    assert doc.sentences == () and [d.code for d in doc.diagnostics] == ["no-prose"]


def test_windows_line_endings_keep_offsets_exact():
    text = seed_text(seed_id("002")).replace("\n", "\r\n")
    doc = Document.from_text(text, id="crlf")
    assert_well_formed(doc)
    unix = Document.from_text(seed_text(seed_id("002")), id="lf")
    assert len(doc.sentences) == len(unix.sentences)
    assert [doc.text[s.start : s.end].replace("\r\n", "\n") for s in doc.sentences] == [
        unix.text[s.start : s.end] for s in unix.sentences
    ]


def test_resources_fingerprint_follows_shipped_and_user_data(tmp_path):
    from framing.pipeline import Resources

    shipped = Resources().fingerprint()
    assert shipped == Resources().fingerprint()  # stable across instances
    user = tmp_path / "extra.tsv"
    user.write_text(
        "# name: loaded-language\n# version: u1\n# source: test\n# license: CC0\n"
        "# columns: term, category, weight, match, note\n"
        "term\tcategory\tweight\tmatch\tnote\nbeastly\temotive\t0.5\texact\twritten for the tests\n",
        encoding="utf-8",
    )
    with_user = Resources(lexicon_files=[user]).fingerprint()
    assert with_user != shipped
    user.write_text(user.read_text(encoding="utf-8").replace("0.5", "0.6"), encoding="utf-8")
    assert Resources(lexicon_files=[user]).fingerprint() != with_user


def test_run_on_line_is_cut_into_sentences_within_the_limit_with_a_diagnostic():
    # A line without any sentence end, as when a table or a transcript is flattened.
    text = " ".join(f"the council voted {i} times on the plan" for i in range(400))
    doc = Document.from_text(text, id="run-on", max_sentence_chars=1000)
    assert len(doc.sentences) > 1 and all(s.end - s.start <= 1000 for s in doc.sentences)
    (cut,) = [d for d in doc.diagnostics if d.code == "long-sentence"]
    assert (cut.start, cut.end) == (0, len(text))
    assert f"{len(text)} characters" in cut.message and f"{len(doc.sentences)} pieces" in cut.message
    assert_well_formed(doc)


def test_sentences_within_the_limit_are_not_cut(seed_docs):
    for doc in seed_docs.values():
        assert not [d for d in doc.diagnostics if d.code == "long-sentence"]
        longest = max(s.end - s.start for s in doc.sentences)
        again = Document.from_text(doc.text, id=doc.id, max_sentence_chars=longest)
        assert again.sentences == doc.sentences

"""Paragraphs, sentences and tokens on real text; no NLTK data package is needed."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from framing.segment import _ends_sentence, paragraph_spans, sentence_spans, split_long, token_spans


def test_one_paragraph_per_line_in_the_wiki_seed(seed_docs):
    doc = seed_docs["004"]
    paragraphs = [doc.text[p.start : p.end] for p in doc.paragraphs]
    assert paragraphs[0] == "Sino-Russian Entente"
    assert "No limits partnership" in paragraphs and "Disagreements" in paragraphs


def test_soft_wrapped_lines_join_into_one_paragraph_written_for_the_tests():
    text = "The ministry said on Monday that the talks\nwould continue next week in Geneva, and that\nboth sides were hopeful.\n\nNew paragraph."
    spans = paragraph_spans(text)
    assert [text[s:e] for s, e in spans][1] == "New paragraph."
    assert len(spans) == 2


def test_abbreviations_do_not_split_sentences(seed_docs):
    doc = seed_docs["003"]
    sentences = [doc.text[s.start : s.end] for s in doc.sentences]
    # "... the efforts of the U.S. and its allies ..." stays one sentence
    assert any("The efforts of the U.S. and its allies" in s and s.endswith("together, “and the heavier the pressure, the more steadfast the support from the other country will be.”") for s in sentences)


def test_sentences_of_a_paragraph(seed_docs):
    doc = seed_docs["002"]
    p = doc.paragraphs[1]
    sentences = [doc.text[s:e] for s, e in sentence_spans(doc.text, p.start, p.end)]
    assert sentences[0].startswith("Twenty years ago, President Vladimir Putin")
    assert len(sentences) == 3


def test_tokens_cover_urls_numbers_and_abbreviations():
    text = "Trade hit $100 billion, up 5.5%, per www.example.org/x and the U.S. side."
    tokens = [text[s:e] for s, e in token_spans(text)]
    assert "$100" in tokens and "5.5%" in tokens and "www.example.org/x" in tokens and "U.S." in tokens


def test_works_with_an_empty_nltk_data_folder(tmp_path):
    """Users have no NLTK data packages: scoring must not need any."""
    env = {**os.environ, "NLTK_DATA": str(tmp_path), "HOME": str(tmp_path)}
    code = (
        "import framing; r = framing.analyze_text('Mr. Smith said: \"It is a phony pretext.\" He left.');"
        "print(r.segments['sentences'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "2"


def test_closing_quote_and_citation_marks_end_their_sentence(seed_docs):
    doc = seed_docs["004"]
    sentences = [doc.text[s.start : s.end] for s in doc.sentences]
    # "... from US unipolar hegemony.[5][6]" and '... certain countries and peoples."' in the wiki seed
    assert any(s.endswith("from US unipolar hegemony.[5][6]") for s in sentences)
    assert any(s.endswith('of certain countries and peoples."') for s in sentences)
    assert any(s.startswith("Alastair Crooke says the joint statement") for s in sentences)
    assert not any(s.startswith(("[", '"Alastair')) for s in sentences)


# The rule as it was first written, over a copy of the paragraph: the reference that the
# backwards scan (which copies nothing, so long paragraphs stay linear) must agree with.
_CITATIONS_AT_END = re.compile(r"(?:\[\d+\])+\s*$")


def _ends_sentence_by_regex(line: str) -> bool:
    line = _CITATIONS_AT_END.sub("", line).rstrip()
    return not line or line[-1] in ".!?:;…\"”’»)"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1٣[] .;”)\n\t")), max_size=40))
def test_sentence_end_rule_reads_the_tail_as_the_regex_reads_the_copy(line):
    assert _ends_sentence(line, 0, len(line)) == _ends_sentence_by_regex(line)
    framed = f"xx{line}yy"
    assert _ends_sentence(framed, 2, 2 + len(line)) == _ends_sentence_by_regex(line)


def test_sentence_end_rule_on_cited_lines_written_for_the_tests():
    assert _ends_sentence("It was signed.[3][4]", 0, 20)
    assert not _ends_sentence("the talks would continue [3]", 0, 28)
    assert _ends_sentence("[12]", 0, 4)


def test_hard_wrapped_lines_without_sentence_ends_make_one_paragraph():
    lines = [f"line {i} of a list that runs on and on with a comma at the end of each," for i in range(2000)]
    text = "\n".join(lines)
    assert paragraph_spans(text) == [(0, len(text))]


def test_run_on_text_is_cut_at_spaces_into_pieces_within_the_limit():
    text = " ".join(f"word{i}" for i in range(3000))  # ~26,000 characters, no sentence end
    pieces = split_long(text, 0, len(text), 1000)
    assert all(e - s <= 1000 for s, e in pieces)
    assert " ".join(text[s:e] for s, e in pieces) == text  # cut at single spaces: nothing lost
    assert all(text[s:e].split()[0].startswith("word") for s, e in pieces)  # words stay whole


def test_text_without_spaces_is_cut_hard_at_the_limit():
    assert split_long("x" * 2500, 0, 2500, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]
    assert split_long("short enough", 0, 12, 1000) == [(0, 12)]

"""Paragraphs, sentences and tokens on real text; no NLTK data package is needed."""

from __future__ import annotations

import os
import subprocess
import sys

from framing.segment import paragraph_spans, sentence_spans, token_spans


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

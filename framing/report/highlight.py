"""Highlighting spans of an article's text in HTML, correct when spans overlap.

All span boundaries cut the text into non-overlapping segments; each segment carries every span
that covers it (classes and hover titles merged), and its text is escaped. Joining the segments'
texts gives back the text exactly.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from framing.report.aggregate import attributions_of, loaded_spans_of


@dataclass(frozen=True)
class Mark:
    """One thing to highlight: ``text[start:end]`` with a CSS class and a hover title."""

    start: int
    end: int
    css: str
    title: str = ""
    loaded: bool = False  # shown as <mark> (loaded language), else as <span>


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str
    marks: tuple[Mark, ...]


def css_name(value: Any) -> str:
    """A safe CSS class fragment for a category or class name from the data."""
    return re.sub(r"[^a-z0-9_-]+", "-", str(value).lower()).strip("-") or "other"


def segments(text: str, marks: Iterable[Mark], start: int = 0, end: int | None = None) -> list[Segment]:
    """Cut ``text[start:end]`` at every mark boundary; each piece lists the marks covering it.

    Marks outside the range are clipped; empty or inverted marks are ignored.
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    clipped = []
    for mark in marks:
        s, e = max(mark.start, start), min(mark.end, end)
        if s < e:
            clipped.append((s, e, mark))
    cuts = sorted({start, end, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    # Sweep from left to right: every boundary is a cut, so a mark covers the piece [left, right)
    # exactly when it starts at or before ``left`` and ends after it. Linear in cuts and marks
    # (plus sorting the few marks active at once), not cuts x marks.
    by_start = sorted(range(len(clipped)), key=lambda i: clipped[i][0])
    active: set[int] = set()
    ending: list[tuple[int, int]] = []
    pieces = []
    k = 0
    for left, right in zip(cuts, cuts[1:], strict=False):
        while k < len(by_start) and clipped[by_start[k]][0] <= left:
            active.add(by_start[k])
            heapq.heappush(ending, (clipped[by_start[k]][1], by_start[k]))
            k += 1
        while ending and ending[0][0] <= left:
            active.discard(heapq.heappop(ending)[1])
        covering = tuple(clipped[i][2] for i in sorted(active))
        pieces.append(Segment(left, right, text[left:right], covering))
    return pieces


def render_segments(pieces: Sequence[Segment]) -> Markup:
    out = []
    for piece in pieces:
        body = escape(piece.text)
        if not piece.marks:
            out.append(str(body))
            continue
        classes = " ".join(dict.fromkeys(m.css for m in piece.marks))
        title = "; ".join(dict.fromkeys(m.title for m in piece.marks if m.title))
        tag = "mark" if any(m.loaded for m in piece.marks) else "span"
        out.append(f'<{tag} class="{escape(classes)}" title="{escape(title)}">{body}</{tag}>')
    return Markup("".join(out))


def highlight(text: str, marks: Iterable[Mark], start: int = 0, end: int | None = None) -> Markup:
    """Escaped HTML of ``text[start:end]`` with the marks highlighted."""
    return render_segments(segments(text, marks, start, end))


def loaded_marks(spans: Iterable[Mapping[str, Any]]) -> list[Mark]:
    marks = []
    for span in spans:
        category = span.get("category") or "other"
        notes = [str(span.get("voice") or "")]
        if span.get("negated"):
            notes.append("negated")
        if span.get("in_scare_quote"):
            notes.append("in scare quotes")
        detail = ", ".join(n for n in notes if n)
        term = f" — term “{span['term']}”" if span.get("term") else ""
        weight = f", weight {span['weight']}" if span.get("weight") is not None else ""
        if span.get("provenance") == "learned" and span.get("score") is not None:
            weight += f", learned from annotated sentences (z = {float(span['score']):.2f})"
        marks.append(
            Mark(
                int(span["start"]),
                int(span["end"]),
                f"cat-{css_name(category)}" + (" negated" if span.get("negated") else ""),
                f"{category}" + (f" ({detail})" if detail else "") + term + weight,
                loaded=True,
            )
        )
    return marks


def scare_quote_marks(record: Mapping[str, Any]) -> list[Mark]:
    loaded = record.get("loaded")
    if not isinstance(loaded, Mapping):
        return []
    quotes = loaded.get("scare_quotes") or ()
    return [
        Mark(int(q["start"]), int(q["end"]), "cat-scare_quote", "scare quote (author)", loaded=True)
        for q in quotes
        if isinstance(q, Mapping) and "start" in q and "end" in q
    ]


def classifier_evidence(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The sentence classifier's evidence: in each sentence it scored, the words that raise the
    sentence's probability most (``loaded_sentences`` evidence spans), as
    ``{start, end, score, probability}``."""
    classified = record.get("loaded_sentences")
    sentences = classified.get("sentences") if isinstance(classified, Mapping) else None
    found = []
    for sentence in sentences or ():
        if not isinstance(sentence, Mapping):
            continue
        probability = float(sentence.get("probability") or 0.0)
        for e in sentence.get("evidence") or ():
            if isinstance(e, Mapping) and "start" in e and "end" in e:
                found.append({"start": int(e["start"]), "end": int(e["end"]),
                              "score": float(e.get("score") or 0.0), "probability": probability})
    return found


def evidence_marks(evidence: Iterable[Mapping[str, Any]]) -> list[Mark]:
    """Underlines for the classifier's evidence words (:func:`classifier_evidence`)."""
    return [
        Mark(int(e["start"]), int(e["end"]), "clf-evidence",
             f"classifier: raises the sentence's log-odds by {float(e['score']):+.2f} "
             f"(sentence probability {float(e['probability']):.2f})")
        for e in evidence
    ]


def attribution_marks(record: Mapping[str, Any]) -> list[Mark]:
    marks = []
    for a in attributions_of(record):
        speaker = a.get("speaker") or "unnamed"
        who = ", ".join(str(v) for v in (a.get("speaker_type"), a.get("affiliation")) if v)
        if a.get("speaker_start") is not None and a.get("speaker_end") is not None:
            marks.append(Mark(int(a["speaker_start"]), int(a["speaker_end"]), "att-speaker",
                              f"speaker: {speaker}" + (f" ({who})" if who else "")))
        if a.get("cue_start") is not None and a.get("cue_end") is not None:
            verb_class = a.get("verb_class") or "cue"
            marks.append(Mark(int(a["cue_start"]), int(a["cue_end"]), f"verb-{css_name(verb_class)}",
                              f"reporting cue ({verb_class}, {a.get('kind') or 'attribution'})"))
        if a.get("content_start") is not None and a.get("content_end") is not None:
            marks.append(Mark(int(a["content_start"]), int(a["content_end"]), "att-content",
                              f"attributed to {speaker} ({a.get('kind') or 'attribution'})"))
    attribution = record.get("attribution")
    if isinstance(attribution, Mapping):
        for u in attribution.get("unattributed") or attribution.get("unattributed_assertions") or ():
            if isinstance(u, Mapping) and "start" in u and "end" in u:
                marks.append(Mark(int(u["start"]), int(u["end"]), "unattributed", "assertion without attribution"))
    return marks


def article_marks(record: Mapping[str, Any]) -> list[Mark]:
    """Everything the appendix highlights in one article: removed chrome, quotations,
    loaded spans, the classifier's evidence words and scare quotes, attributions (speaker,
    cue, content)."""
    marks = [
        Mark(int(r["start"]), int(r["end"]), "removed", f"removed before analysis: {r.get('reason', '')}")
        for r in (record.get("cleaning") or {}).get("removed") or ()
    ]
    marks += [
        Mark(int(r["start"]), int(r["end"]), "reference", "reference-list entry (not analyzed as prose)")
        for r in (record.get("cleaning") or {}).get("references") or ()
    ]
    if not attributions_of(record):
        marks += [
            Mark(int(q["content_start"]), int(q["content_end"]), "quote", "quotation")
            for q in (record.get("segments") or {}).get("quotations") or ()
            if q.get("level", 0) == 0
        ]
    marks += loaded_marks(loaded_spans_of(record))
    marks += evidence_marks(classifier_evidence(record))
    marks += scare_quote_marks(record)
    marks += attribution_marks(record)
    return marks


def highlight_html(record: Mapping[str, Any]) -> Markup:
    """One article's text with everything the report highlights, as escaped HTML."""
    text = record.get("text")
    if not isinstance(text, str):
        return Markup('<p class="na">Text not in the scores (scored with --no-text): nothing to highlight.</p>')
    return Markup('<div class="article-text">') + highlight(text, article_marks(record)) + Markup("</div>")


LEGEND = (
    ("cat-pejorative", "loaded: pejorative"),
    ("cat-emotive", "loaded: emotive"),
    ("cat-hyperbole", "loaded: hyperbole"),
    ("cat-booster", "loaded: booster / intensifier"),
    ("cat-hedge", "loaded: hedge / doubt"),
    ("cat-learned", "loaded: learned from annotated sentences"),
    ("cat-scare_quote", "scare quote"),
    ("clf-evidence", "classifier: words that raise the sentence's probability"),
    ("att-speaker", "speaker"),
    ("verb-distancing", "reporting verb (distancing)"),
    ("verb-neutral", "reporting verb (other classes)"),
    ("att-content", "attributed content"),
    ("unattributed", "assertion without attribution"),
    ("quote", "quotation"),
    ("removed", "removed chrome (not analyzed)"),
)


def legend_html() -> Markup:
    items = "".join(f'<span class="{escape(css)}">{escape(label)}</span> ' for css, label in LEGEND)
    return Markup(f'<p class="legend">Legend (hover a highlight for details): {items}</p>')


class ArticleView:
    """One article's highlighted text for notebooks: ``ArticleView(record)`` displays itself."""

    def __init__(self, record: Mapping[str, Any]) -> None:
        self.record = dict(record.to_dict()) if hasattr(record, "to_dict") else dict(record)

    def _repr_html_(self) -> str:
        from framing.report.render import STYLE

        title = escape((self.record.get("metadata") or {}).get("title") or self.record.get("id"))
        return str(Markup(f"<div class=\"framing-report\"><style>{STYLE}</style><h4>{title}</h4>")
                   + legend_html() + highlight_html(self.record) + Markup("</div>"))

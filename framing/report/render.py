"""Render the outlet comparison: report.html (one self-contained file), report.md with chart
files beside it, outlets.csv and articles.csv. Reads results only; never re-analyzes text.

What comes from the data is made safe where it lands: HTML is escaped by the template, Markdown
cells and headings are HTML-escaped and their Markdown markup backslash-escaped (``md``), CSV
text cells that a spreadsheet would run as a formula get a leading apostrophe
(``framing.output.csv_safe``), and an article's URL becomes a link only when it is http(s).
"""

from __future__ import annotations

import html
import importlib.metadata
import math
import os
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import pandas as pd
from markupsafe import Markup

from framing.output import csv_safe
from framing.report import aggregate as agg
from framing.report import charts as ch
from framing.report import stories as rs
from framing.report.collect import Collected, collect
from framing.report.highlight import Mark, evidence_marks, highlight, highlight_html, legend_html, loaded_marks

STYLE = importlib_resources.files("framing.report").joinpath("report.css").read_text(encoding="utf-8")

MAX_TABLE_FIGURES = 9  # columns of the HTML overview table; all figures are in outlets.csv
MAX_TABLE_OUTLETS = 300  # rows of the HTML overview table
MAX_EVIDENCE_OUTLETS = 25

# What each figure means (shown in the methods section and as column hover titles). Figures
# not listed here are shown under their own name with a generic description by prefix.
FIGURE_INFO: dict[str, tuple[str, str]] = {
    "loaded_score": ("loaded score", "0–1 summary of the author's voice: lexicon cue weight per 1,000 author words (saturating) combined with author-voice VADER intensity"),
    "loaded_per_1000_author": ("loaded /1k words (author)", "loaded-language lexicon matches per 1,000 words outside quotations"),
    "loaded_per_1000_quoted": ("loaded /1k words (quoted)", "loaded-language lexicon matches per 1,000 words inside quotations"),
    "loaded_per_1000": ("loaded /1k words", "loaded-language lexicon matches per 1,000 words of the body"),
    "loaded_sentence_share": ("sentences with loaded cues", "share of sentences with at least one lexicon match"),
    "loaded_sentences_author_share": ("loaded sentences (classifier, author)", "share of the author's sentences the sentence classifier labels loaded"),
    "loaded_sentences_share": ("loaded sentences (classifier)", "share of all sentences the sentence classifier labels loaded"),
    "vader_author_mean_abs_compound": ("VADER intensity (author)", "mean |compound| of VADER over the author's sentences, 0–1: how strongly worded, either way"),
    "vader_quoted_mean_abs_compound": ("VADER intensity (quoted)", "mean |compound| of VADER over sentences mostly inside quotations"),
    "vader_mean_abs_compound": ("VADER intensity (all)", "mean |compound| of VADER over all body sentences"),
    "vader_strong_share": ("strongly polar sentences", "share of sentences with |compound| ≥ 0.5"),
    "sources_distinct": ("distinct sources", "number of distinct speakers/sources the article attributes statements to"),
    "sources_entropy": ("source entropy", "Shannon entropy (nats) of attributions over sources: higher = more, and more evenly used, sources"),
    "sources_evenness": ("source evenness", "entropy divided by its maximum for that number of sources (0–1)"),
    "sources_simpson": ("Simpson diversity", "probability that two attributions drawn at random come from different sources"),
    "sources_top_share": ("top source share", "share of attributions going to the article's most quoted source"),
    "sources_official_share": ("official sources", "share of attributions to heads of state/government and officials"),
    "sources_state_media_share": ("state-media sources", "share of attributions to state media"),
    "sources_anonymous_share": ("anonymous sources", "share of attributions to anonymous sources"),
    "attribution_distancing_share": ("distancing verbs", "share of attributions with a reporting verb whose verb is distancing (claimed, alleged…)"),
    "unattributed_share": ("unattributed assertions", "share of the author's sentences asserting an evaluative claim without a source"),
    "unattributed_assertions": ("unattributed assertions (count)", "author sentences with evaluative cues and no attribution, per article"),
}
ANALYZER_OF_PREFIX = (("vader", "sentiment"), ("loaded_sentence", "classifier"), ("loaded", "loaded"),
                      ("sources", "sources"), ("attribution", "attribution"), ("unattributed", "attribution"))


def without_frames(figures: Iterable[str]) -> list[str]:
    """The figures outside the frames section (all of them when only frames were scored)."""
    figures = list(figures)
    return [f for f in figures if not agg.is_frame_figure(f)] or figures


def frame_name(slug: str) -> str:
    return slug.replace("_", " ")


def figure_label(name: str) -> str:
    return FIGURE_INFO.get(name, (name.replace("_", " "), ""))[0]


def figure_description(name: str) -> str:
    if name in FIGURE_INFO:
        return FIGURE_INFO[name][1]
    for prefix, analyzer in ANALYZER_OF_PREFIX:
        if name.startswith(prefix):
            return f"a figure of the {analyzer} analyzer (see its documentation)"
    return "an article-level figure"


def fmt(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, (int, float)):
        return f"{value:.0f}" if abs(value) >= 100 else f"{value:.{digits}f}"
    return str(value)


def interval_text(row: Mapping[str, Any], figure: str) -> str:
    """'0.42 [0.31, 0.55]', or '0.42 (n=3)' when the outlet has fewer than
    ``MIN_INTERVAL_N`` articles (no interval printed)."""
    mean, low, high = row.get(figure), row.get(f"{figure}__low"), row.get(f"{figure}__high")
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "n/a"
    n = int(row.get("n", 0))
    if n < agg.MIN_INTERVAL_N:
        return f"{fmt(mean)} (n={n})"
    if low is None or (isinstance(low, float) and math.isnan(low)):
        return f"{fmt(mean)} [no interval]"
    return f"{fmt(mean)} [{fmt(low)}, {fmt(high)}]"


@dataclass(frozen=True)
class ReportPaths:
    out_dir: Path
    html: Path
    markdown: Path
    outlets_csv: Path
    articles_csv: Path
    charts: tuple[Path, ...] = field(default=())
    articles: int = 0  # articles in the report


@dataclass
class Comparison(Collected):
    """Everything the renderers need: the aggregates (``collect``) and the charts drawn from
    them. ``close()`` drops the article table (a temporary database)."""

    charts: list[ch.Chart] = field(default_factory=list)
    missing_charts: list[tuple[str, str]] = field(default_factory=list)
    frame_charts: list[ch.Chart] = field(default_factory=list)

    @classmethod
    def build(cls, source: Any, *, n_boot: int = 2000, seed: int = 0, top: int = ch.TOP_OUTLETS,
              max_appendix: int = 50) -> Comparison:
        collected = collect(source, n_boot=n_boot, seed=seed, max_appendix=max_appendix)
        self = cls(**{f.name: getattr(collected, f.name) for f in fields(Collected)})
        try:
            self._make_charts(top)
            self._make_frame_charts(top)
        except BaseException:
            self.close()
            raise
        return self

    def _make_frame_charts(self, top: int) -> None:
        counts = self.outlets["n"] if not self.outlets.empty else pd.Series(dtype=int)
        xlabel = "mean share of the article's frame-cue weight (lexicon), over the outlet's articles with cues"
        for scheme, title, caption, most in (
            ("pfc", "Frames per outlet: Policy Frames Codebook dimensions",
             "Each bar is one outlet: how its articles' frame cues split over the codebook's dimensions, averaged "
             "over its articles (bars sum to 100%); compare a colour's length across bars. The rarest dimensions "
             "are grouped in grey; cues evoke a frame, they do not prove the article adopts it.", 10),
            ("generic", "Generic news frames per outlet",
             "The same for the five generic news frames (Semetko & Valkenburg): a longer segment means more of the "
             "outlet's generic-frame cues point to that frame.", 10),
        ):
            table = self.frames.get(scheme)
            if table is None or table.empty:
                continue
            labels = {f: frame_name(f) for f in table.means.columns}
            chart = ch.stacked_shares(
                table.means, counts, name=f"frames_{scheme}", title=title, xlabel=xlabel, caption=caption, top=top,
                max_categories=most, rest_label="rarer frames", labels=labels, vocabulary=f"frames_{scheme}")
            if chart is not None:
                self.frame_charts.append(chart)

    def _make_charts(self, top: int) -> None:
        counts = self.outlets["n"] if not self.outlets.empty else pd.Series(dtype=int)
        labels = {f: figure_label(f) for f in self.z.columns}
        shown = agg.headline_figures(without_frames(self.z.columns))
        planned = [
            ("Figures per outlet (standardized)", "any analyzer",
             lambda: ch.heatmap(self.outlets, self.z[shown], labels, top=top)),
            ("Speaker types per outlet", "attribution or sources", lambda: ch.stacked_shares(
                self.speaker_types, counts, name="speaker_types", title="Who is quoted: speaker types per outlet",
                xlabel="share of the outlet's attributions (pooled over its articles)",
                caption="Each bar is one outlet's attributed statements split by the kind of speaker; compare the "
                        "coloured segments' lengths across bars (all bars sum to 100%).", top=top,
                vocabulary="speaker_types")),
            ("Affiliations per outlet", "attribution or sources", lambda: ch.stacked_shares(
                self.affiliations, counts, name="affiliations", title="Whose side speaks: speaker affiliations per outlet",
                xlabel="share of the outlet's attributions (pooled over its articles)",
                caption="Each bar is one outlet's attributed statements split by the country or bloc the speaker "
                        "belongs to; a bar dominated by one colour means one side does most of the talking.", top=top,
                vocabulary="affiliations")),
            ("Loaded-language categories per outlet", "loaded", lambda: ch.grouped_rates(
                self.loaded_categories, counts, name="loaded_categories", title="Loaded-language categories per outlet",
                xlabel="lexicon matches per 1,000 words (pooled: outlet's matches / outlet's words)",
                caption="Each panel is one category of loaded wording; a longer bar means the outlet uses that "
                        "category more often per 1,000 words — matches are cues to check, not verdicts.", top=top,
                vocabulary="loaded")),
            ("Reporting-verb classes per outlet", "attribution", lambda: ch.stacked_shares(
                self.verb_classes, counts, name="verb_classes", title="How speakers are introduced: reporting-verb classes",
                xlabel="share of the outlet's attributions with a reporting verb (pooled)",
                caption="Each bar splits an outlet's reporting verbs into neutral (said), emphatic, endorsing, "
                        "distancing (claimed) and pejorative classes; more distancing means more doubt cast on "
                        "speakers.", top=top, vocabulary="verb_classes")),
        ]
        for title, needs, make in planned:
            chart = make()
            if chart is None:
                self.missing_charts.append((title, needs))
            else:
                self.charts.append(chart)


def comparison(results: Any, **kwargs: Any) -> Comparison:
    """The comparison of ``results``: a scores path (JSONL, store, Parquet), paths, or records."""
    return Comparison.build(results, **kwargs)


# --------------------------------------------------------------------------- html


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("framing.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["fmt"] = fmt
    env.filters["anchor"] = article_anchor
    env.filters["label"] = ch.category_label
    return env


def article_anchor(article_id: str) -> str:
    """The id of an article's entry in the appendix: ``article-`` and the id with anything but
    letters, digits, ``-`` and ``_`` replaced, plus a checksum of the id when something was
    replaced (so two ids never share an anchor)."""
    rid = str(article_id)
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in rid)
    if safe != rid:
        safe += f"-{zlib.crc32(rid.encode('utf-8', 'surrogatepass')):08x}"
    return "article-" + safe


def link_url(url: Any) -> str | None:
    """The URL to link, or None when it is not an absolute http(s) URL (then shown as text)."""
    text = str(url or "").strip()
    if not text or any(c.isspace() or ord(c) < 32 for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _vader_version() -> str:
    try:
        return importlib.metadata.version("vaderSentiment")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _marked_excerpt(item: Mapping[str, Any], spans: list[Mapping[str, Any]] | None = None,
                    cue: tuple[int, int] | None = None) -> Markup:
    """The excerpt ``item["text"]`` (the article's text from ``item["start"]``) with the spans,
    the classifier's evidence words and the cue highlighted."""
    marks: list[Mark] = loaded_marks(spans or []) + evidence_marks(item.get("classifier") or ())
    if cue is not None:
        marks.append(Mark(cue[0], cue[1], "verb-distancing", "distancing reporting verb"))
    return _excerpt(item, marks)


def _excerpt(item: Mapping[str, Any], marks: Iterable[Mark]) -> Markup:
    offset = int(item["start"])
    shifted = [Mark(m.start - offset, m.end - offset, m.css, m.title, m.loaded) for m in marks]
    return highlight(item["text"], shifted)


SCHEME_TITLES = {"pfc": "Policy Frames Codebook dimensions", "generic": "Generic news frames"}


def frame_cell(table: agg.FrameTable, outlet: str, frame: str) -> tuple[str, str]:
    """(mean, interval) texts of one outlet's frame share: '[low, high]', '(n=3)' (fewer than
    ``MIN_INTERVAL_N`` articles with cues: no interval printed), or 'n/a' (no article with cues)."""
    mean = float(table.means.loc[outlet, frame])
    if math.isnan(mean):
        return "n/a", ""
    n = int(table.n.get(outlet, 0))
    if n < agg.MIN_INTERVAL_N:
        return fmt(mean), f"(n={n})"
    low, high = float(table.low.loc[outlet, frame]), float(table.high.loc[outlet, frame])
    if math.isnan(low):
        return fmt(mean), "(no interval)"
    return fmt(mean), f"[{fmt(low)}, {fmt(high)}]"


def frame_marks(spans: Iterable[Mapping[str, Any]], dominant: str | None) -> list[Mark]:
    """Frame cues as highlights: the dominant frame's cues stronger; hover names the frame."""
    return [
        Mark(int(s["start"]), int(s["end"]), "frame-cue" + (" frame-dominant" if s.get("frame") == dominant else ""),
             f"frame: {frame_name(str(s.get('frame')))} ({s.get('scheme')}) — cue “{s.get('term') or s.get('text')}”, "
             f"weight {s.get('weight')}, {s.get('voice') or 'author'} voice")
        for s in spans
    ]


def frames_context(comp: Comparison, limit_outlets: int) -> dict[str, Any]:
    tables = []
    for scheme, table in comp.frames.items():
        if table.empty:
            continue
        outlets = list(table.means.index)[:limit_outlets]
        tables.append({
            "scheme": scheme, "title": SCHEME_TITLES.get(scheme, scheme),
            "frames": [(f, frame_name(f)) for f in table.means.columns],
            "rows": [{"outlet": o, "n": int(comp.outlets.loc[o, "n"]), "cued": int(table.n.get(o, 0)),
                      "cells": [frame_cell(table, o, f) for f in table.means.columns]} for o in outlets],
            "more": max(0, len(table.means.index) - limit_outlets),
        })
    evidence = []
    for outlet in list(comp.outlets.index)[:MAX_EVIDENCE_OUTLETS]:
        item = comp.frame_evidence.get(outlet)
        if not item:
            continue
        runner_up = None
        if item["dominant"]:
            rest = comp.frames["pfc"].means.loc[outlet].drop(item["dominant"]).dropna()
            runner_up = (frame_name(str(rest.idxmax())), fmt(float(rest.max()))) if not rest.empty and rest.max() > 0 else None
        sentences = [{**x, "html": _excerpt(x, frame_marks(x["spans"], item["dominant"]))} for x in item["sentences"]]
        evidence.append({**item, "outlet": outlet, "n": int(comp.outlets.loc[outlet, "n"]),
                         "dominant_name": frame_name(item["dominant"]) if item["dominant"] else "",
                         "share_text": fmt(item["share"]), "runner_up": runner_up, "sentences": sentences})
    return {
        "frame_tables": tables,
        "frame_charts": [{"title": c.title, "caption": c.caption, "note": c.note, "svg": Markup(c.svg), "name": c.name}
                         for c in comp.frame_charts],
        "frame_evidence": evidence,
        "frame_name": frame_name,
    }


def stories_context(comp: Comparison) -> dict[str, Any]:
    """The Stories section: within-story outlet effects beside the raw averages, and the stories
    covered by several outlets side by side with each article's most loaded sentence."""
    section = comp.story_section
    if section is None:
        return {"stories": None}
    shared = rs.shared_stories(section)
    for story in shared:
        for column in story["columns"]:
            article = column["article"]
            column["sentence_html"] = highlight(article.sentence, loaded_marks(article.sentence_spans)) \
                if article.sentence else ""
            column["figure_cells"] = [(figure_label(f), fmt(v)) for f, v in column["figures"]]
    settings = section.stories.settings
    return {"stories": {
        "settings": settings, "total": len(section.stories.stories), "articles": len(section.stories.articles),
        "shared": len(section.stories.shared(2)),
        "shared_articles": int(section.stories.shared(2)["n_articles"].sum()),
        "figures": [(f, frame_name(f.removeprefix("frames_pfc_").removesuffix("_share")) + " (frame share)"
                     if agg.is_frame_figure(f) else figure_label(f), figure_description(f)) for f in section.shown],
        "rows": rs.effect_cells(section), "list": shared,
        "title_weight": section.stories.weights[0], "lead_weight": section.stories.weights[1],
    }}


@dataclass(frozen=True)
class Rejects:
    """What the report says about records that could not be scored: how many, and the file
    listing them (None: the report read existing scores and cannot know)."""

    count: int
    file: str = ""


def linked_stubs(context: Mapping[str, Any], shown: set[str]) -> list[dict[str, Any]]:
    """Entries for the articles the page links to but does not show in full (the evidence
    sections): title, outlet, date and URL, under the anchor the links point to."""
    found: dict[str, dict[str, Any]] = {}
    items = [x for e in context["evidence"] for x in e["sentences"] + e["distancing"]]
    items += [x for e in context["frame_evidence"] for x in e["sentences"]]
    for item in items:
        found.setdefault(item["article"], {k: item.get(k, "") for k in ("title", "outlet", "date", "url")})
    return [
        {"id": rid, "anchor": article_anchor(rid), **info, "title": info["title"] or rid, "link": link_url(info["url"])}
        for rid, info in sorted(found.items(), key=lambda kv: (kv[1]["outlet"], kv[0])) if rid not in shown
    ]


def render_html(comp: Comparison, *, title: str, max_appendix: int = 50, chart_top: int = ch.TOP_OUTLETS,
                rejects: Rejects | None = None) -> str:
    outlets = comp.outlets
    figures = agg.outlet_figures(outlets)
    table_figures = agg.headline_figures(without_frames(figures), MAX_TABLE_FIGURES)
    rows = []
    for outlet, row in outlets.head(MAX_TABLE_OUTLETS).iterrows():
        values = row.to_dict()
        rows.append({"outlet": outlet, "n": int(values["n"]), "words": fmt(values["words"]),
                     "cells": [interval_text(values, f) for f in table_figures]})
    evidence = []
    for outlet in list(outlets.index)[:MAX_EVIDENCE_OUTLETS]:
        ev = comp.evidence.get(outlet, {})
        sentences = [{**s, "html": _marked_excerpt(s, s["spans"])} for s in ev.get("sentences", [])]
        verbs = [{**v, "html": _marked_excerpt(v, cue=(v["cue_start"], v["cue_end"]))} for v in ev.get("distancing", [])]
        evidence.append({"outlet": outlet, "n": int(outlets.loc[outlet, "n"]), **ev, "sentences": sentences,
                         "distancing": verbs})
    appendix = []
    for record in comp.appendix[:max_appendix]:
        rid = str(record.get("id"))
        text = record.get("text") if isinstance(record.get("text"), str) else ""
        figures_of = comp.appendix_figures.get(rid, {})
        metadata = record.get("metadata") or {}
        removed = [
            {"reason": r.get("reason", ""), "start": r["start"], "end": r["end"],
             "excerpt": _clip(text[r["start"]:r["end"]])}
            for r in (record.get("cleaning") or {}).get("removed") or ()
        ]
        appendix.append({
            "id": rid, "anchor": article_anchor(rid), "outlet": agg.outlet_of(record),
            "title": metadata.get("title") or rid, "date": metadata.get("date") or "",
            "url": str(metadata.get("url") or ""), "link": link_url(metadata.get("url")),
            "words": record.get("words"),
            "figures": [(figure_label(f), fmt(figures_of[f])) for f in table_figures if f in figures_of],
            "removed": removed, "references": len((record.get("cleaning") or {}).get("references") or ()),
            "diagnostics": record.get("diagnostics") or [], "html": highlight_html(record),
        })
    context = {
        "title": title,
        "style": Markup(STYLE),
        "n_articles": comp.n_articles,
        "n_outlets": len(outlets),
        "analyzers": comp.analyzers,
        "missing_analyzers": [a for a in ("loaded", "loaded_sentences", "attribution", "sources")
                              if a not in comp.analyzers],
        "table_figures": [(f, figure_label(f), figure_description(f)) for f in table_figures],
        "more_figures": len(figures) - len(table_figures),
        "rows": rows,
        "more_outlets": max(0, len(outlets) - MAX_TABLE_OUTLETS),
        "charts": [{"title": c.title, "caption": c.caption, "note": c.note, "svg": Markup(c.svg), "name": c.name}
                   for c in comp.charts],
        "missing_charts": comp.missing_charts,
        "evidence": evidence,
        "more_evidence": max(0, len(outlets) - MAX_EVIDENCE_OUTLETS),
        "appendix": appendix,
        "appendix_total": comp.n_articles,
        "legend": legend_html(),
        "figures_info": [(f, figure_label(f), figure_description(f)) for f in figures if not agg.is_frame_figure(f)],
        "frame_figures": sum(agg.is_frame_figure(f) for f in figures),
        "frames_available": any(not t.empty for t in comp.frames.values()),
        **frames_context(comp, MAX_TABLE_OUTLETS),
        **stories_context(comp),
        "provenance": comp.provenance,
        "vader_version": _vader_version(),
        "min_interval_n": agg.MIN_INTERVAL_N,
        "few_outlets": int((outlets["n"] < agg.MIN_INTERVAL_N).sum()) if not outlets.empty else 0,
        "rejects": rejects,
    }
    context["stubs"] = linked_stubs(context, {a["id"] for a in appendix})
    return _environment().get_template("report.html.j2").render(**context)


def _clip(text: str, width: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- markdown / csv

_MARKDOWN_MARKUP = re.compile(r"([\\`*_\[\]|])")


def md(value: Any) -> str:
    """Text from the data for a Markdown cell or heading: on one line, HTML escaped (a title's
    ``<script>`` stays text when the Markdown is rendered) and Markdown's own markup
    backslash-escaped (no link, image, code span or emphasis comes from the data)."""
    text = html.escape(" ".join(str(value).split()), quote=False)
    return _MARKDOWN_MARKUP.sub(r"\\\1", text)


def md_code(name: str) -> str:
    """A figure name as inline code when it is a plain identifier, else as escaped text."""
    return f"`{name}`" if re.fullmatch(r"[A-Za-z0-9_.-]+", name) else md(name)


def _md_cell(value: Any) -> str:
    """Text the report writes itself (numbers, intervals) for a table cell."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def rejects_line(rejects: Rejects | None) -> str:
    if rejects is None:
        return ("Records rejected when these scores were made are not in them and not known here "
                "(`framing score --rejects FILE` lists them).")
    if rejects.count:
        return (f"{rejects.count} record(s) could not be scored and are not in this report: "
                f"see {md(rejects.file) if rejects.file else 'the messages of the run'} (id, origin, reason).")
    return "No record was rejected."


def render_markdown(comp: Comparison, *, title: str, chart_files: Mapping[str, str],
                    rejects: Rejects | None = None) -> str:
    outlets = comp.outlets
    figures = agg.headline_figures(without_frames(agg.outlet_figures(outlets)), MAX_TABLE_FIGURES)
    lines = [f"# {md(title)}", "",
             f"{comp.n_articles} articles from {len(outlets)} outlets. Analyzers in the results: "
             f"{md(', '.join(comp.analyzers)) or 'none'}. The full report with highlighted evidence is report.html; "
             "all figures are in outlets.csv and articles.csv.", "", rejects_line(rejects), "",
             "## Outlets", "",
             "Outlet mean of its articles' figures with a bootstrap 95% interval over articles. Intervals are "
             f"printed for outlets with at least {agg.MIN_INTERVAL_N} articles; below that the value is marked "
             "with its number of articles, e.g. (n=2), and has no interval (outlets.csv has the intervals from "
             "2 articles).", ""]
    header = ["outlet", "n"] + [figure_label(f) for f in figures]
    lines.append("| " + " | ".join(md(h) for h in header) + " |")
    lines.append("|" + "---|" * len(header))
    for outlet, row in outlets.head(MAX_TABLE_OUTLETS).iterrows():
        values = row.to_dict()
        cells = [md(outlet), int(values["n"])] + [_md_cell(interval_text(values, f)) for f in figures]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    if len(outlets) > MAX_TABLE_OUTLETS:
        lines.append(f"\n({len(outlets) - MAX_TABLE_OUTLETS} more outlets in outlets.csv.)")
    lines += ["", "## Charts", ""]
    for chart in comp.charts:
        lines += [f"### {md(chart.title)}", "", f"![{md(chart.title)}]({chart_files[chart.name]})", "",
                  f"*{chart.caption}*"]
        if chart.note:
            lines += ["", chart.note]
        lines.append("")
    for missing, needs in comp.missing_charts:
        lines += [f"### {md(missing)}", "", f"Not available (analyzer {needs} not run).", ""]
    lines += markdown_frames(comp, chart_files)
    lines += markdown_stories(comp)
    lines += ["## Figures", ""]
    for f in agg.outlet_figures(outlets):
        if not agg.is_frame_figure(f):
            lines.append(f"- {md_code(f)} — {md(figure_description(f))}")
    lines += ["", "## Caveats", "",
              "- A lexicon match is a cue for a reader to check, not a verdict on the article.",
              "- Samples are small; the topic mix differs between outlets, and figures follow topics.",
              f"- Outlets with fewer than {agg.MIN_INTERVAL_N} articles have no printed interval.",
              "- In outlets.csv and articles.csv a text cell starting with =, +, -, @, a tab or a carriage return "
              "begins with an added ' so that spreadsheets do not run it as a formula.", ""]
    return "\n".join(lines)


def markdown_frames(comp: Comparison, chart_files: Mapping[str, str]) -> list[str]:
    lines = ["## Frames", ""]
    if not any(not t.empty for t in comp.frames.values()):
        return lines + ["Not available (analyzer frames not run).", ""]
    lines += ["Lexicon cue shares: an outlet's mean over its articles with cues of each article's share of frame-cue "
              f"weight, with a bootstrap 95% interval from {agg.MIN_INTERVAL_N} articles with cues (below that the "
              "value is marked with that number, e.g. (n=2)). Cues evoke a frame; they do not prove the article adopts "
              "it. Frame figures (and the model's mean probabilities) are in outlets.csv; see report.html for the "
              "evidence sentences and the methods.", ""]
    for scheme, table in comp.frames.items():
        if table.empty:
            continue
        frames = list(table.means.columns)
        lines += [f"### {md(SCHEME_TITLES.get(scheme, scheme))}", ""]
        header = ["outlet", "n (cued)", "dominant"] + [frame_name(f) for f in frames]
        lines += ["| " + " | ".join(md(h) for h in header) + " |", "|" + "---|" * len(header)]
        for outlet in list(table.means.index)[:MAX_TABLE_OUTLETS]:
            cells = [_md_cell(" ".join(frame_cell(table, outlet, f)).strip()) for f in frames]
            dominant = agg.dominant_frame(table.means.loc[outlet])
            row = [md(outlet), f"{int(comp.outlets.loc[outlet, 'n'])} ({int(table.n.get(outlet, 0))})",
                   md(frame_name(dominant)) if dominant else "none"] + cells
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    for chart in comp.frame_charts:
        lines += [f"### {md(chart.title)}", "", f"![{md(chart.title)}]({chart_files[chart.name]})", "",
                  f"*{chart.caption}*", ""]
    return lines


def markdown_stories(comp: Comparison) -> list[str]:
    section = comp.story_section
    lines = ["## Stories: outlets compared on the same story", ""]
    if section is None or section.stories.stories.empty:
        return lines + ["No articles with text to group into stories.", ""]
    shared = section.stories.shared(2)
    lines += [f"{len(section.stories.stories)} stories found automatically (see report.html for how); {len(shared)} "
              f"covered by two outlets or more ({int(shared['n_articles'].sum())} articles). Each cell: the outlet's "
              "within-story difference (its articles minus the other outlets' on the same stories; bootstrap 95% "
              f"interval over stories, printed from {agg.MIN_INTERVAL_N} stories), then the raw difference (its average minus the other outlets' averages, "
              "all stories). Where the two differ, the raw difference owes that much to which stories the outlet "
              "covered. All figures: story_effects.csv; stories: stories.csv.", ""]
    rows = rs.effect_cells(section)
    if rows:
        header = ["outlet", "shared stories"] + [figure_label(f) for f in section.shown]
        lines += ["| " + " | ".join(md(h) for h in header) + " |", "|" + "---|" * len(header)]
        for row in rows:
            cells = [f"{c['within']} {c['interval']} (raw {c['raw']})".replace("  ", " ") for c in row["cells"]]
            lines.append("| " + " | ".join([md(row["outlet"]), str(row["stories"]), *map(_md_cell, cells)]) + " |")
        lines.append("")
    else:
        lines += ["No story is covered by two outlets: there is nothing to compare within stories.", ""]
    for story in rs.shared_stories(section):
        dates = story["first_date"] + (f" – {story['last_date']}" if story["last_date"] != story["first_date"] else "")
        lines += [f"### {md(story['story'])}: {md(story['top_terms'])}" + (f" ({md(dates)})" if dates else ""), ""]
        for column in story["columns"]:
            article = column["article"]
            more = f" (+{column['more']} more)" if column["more"] else ""
            lines.append(f"- **{md(column['outlet'])}**: “{md(article.title or article.id)}”{more}"
                         + (f" — most loaded sentence: “{md(article.sentence.strip())}”" if article.sentence else ""))
        lines.append("")
    return lines


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text cells, column names and index made safe (``csv_safe``); numeric
    columns keep their type (and so their formatting)."""
    safe = frame.rename(index=csv_safe, columns=csv_safe)
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(csv_safe)
    return safe


def write_outlets_csv(outlets: pd.DataFrame, path: str | os.PathLike) -> None:
    """outlets.csv: the outlet table, outlet names and column names made safe (``csv_safe``)."""
    csv_safe_frame(outlets).to_csv(path, float_format="%.6g")


def build_report(results_or_path: Any, out_dir: str | os.PathLike, *, title: str | None = None,
                 max_appendix: int = 50, n_boot: int = 2000, seed: int = 0, top: int = ch.TOP_OUTLETS,
                 rejects: Rejects | None = None) -> ReportPaths:
    """Write report.html, report.md, charts/*.svg, outlets.csv and articles.csv into ``out_dir``.

    ``results_or_path``: a scores path (JSONL, ``--store`` database or Parquet), a list of
    them, ``inputs.Records``, or records / ``ArticleResult`` objects. Paths are streamed (the
    report holds no record after reading it; see ``framing.report.collect``); records given as
    objects are kept in memory as they are. ``rejects``: what to say about records that could
    not be scored (None: not known)."""
    out = Path(out_dir)
    (out / "charts").mkdir(parents=True, exist_ok=True)
    comp = comparison(results_or_path, n_boot=n_boot, seed=seed, top=top, max_appendix=max_appendix)
    try:
        title = title or "Outlet comparison"
        chart_paths = []
        chart_files = {}
        for chart in comp.charts + comp.frame_charts:
            path = out / "charts" / f"{chart.name}.svg"
            path.write_text('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + chart.svg, encoding="utf-8")
            chart_paths.append(path)
            chart_files[chart.name] = f"charts/{chart.name}.svg"
        paths = ReportPaths(out, out / "report.html", out / "report.md", out / "outlets.csv", out / "articles.csv",
                            tuple(chart_paths), comp.n_articles)
        paths.html.write_text(render_html(comp, title=title, max_appendix=max_appendix, rejects=rejects),
                              encoding="utf-8")
        paths.markdown.write_text(render_markdown(comp, title=title, chart_files=chart_files, rejects=rejects),
                                  encoding="utf-8")
        write_outlets_csv(comp.outlets, paths.outlets_csv)
        comp.table.write_csv(paths.articles_csv, cell=csv_safe)
        if comp.story_section is not None:
            csv_safe_frame(comp.story_section.stories.stories).to_csv(out / "stories.csv", index=False)
            csv_safe_frame(comp.story_section.effects).to_csv(out / "story_effects.csv", index=False,
                                                             float_format="%.6g")
    finally:
        comp.close()
    return paths


class OutletComparison:
    """The outlet comparison for notebooks: ``.outlets`` (DataFrame), ``.articles``, and the
    overview table with the charts when displayed."""

    def __init__(self, results: Any, **kwargs: Any) -> None:
        self.comparison = comparison(results, **{"max_appendix": 0, **kwargs})
        try:
            self.outlets = self.comparison.outlets
            self.articles = self.comparison.articles
        finally:
            self.comparison.close()

    def _repr_html_(self) -> str:
        html_text = render_html(self.comparison, title="Outlet comparison", max_appendix=0)
        body = html_text.split("<!--overview-->", 1)[-1].split("<!--/charts-->", 1)[0]
        return f'<div class="framing-report"><style>{STYLE}</style>{body}</div>'

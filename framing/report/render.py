"""Render the outlet comparison: report.html (one self-contained file), report.md with chart
files beside it, outlets.csv and articles.csv. Reads results only; never re-analyzes text."""

from __future__ import annotations

import importlib.metadata
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from framing.report import aggregate as agg
from framing.report import charts as ch
from framing.report import events as ev
from framing.report.highlight import Mark, highlight, highlight_html, legend_html, loaded_marks

STYLE = importlib_resources.files("framing.report").joinpath("report.css").read_text(encoding="utf-8")

MAX_TABLE_FIGURES = 9  # columns of the HTML overview table; all figures are in outlets.csv
MAX_TABLE_OUTLETS = 300  # rows of the HTML overview table
MAX_EVIDENCE_OUTLETS = 25
MAX_EVENT_PAIRS = 20  # same-event pairs shown in the HTML (most similar first)

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
    """'0.42 [0.31, 0.55]', or '0.42 (n=1)' when the outlet has a single article."""
    mean, low, high = row.get(figure), row.get(f"{figure}__low"), row.get(f"{figure}__high")
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "n/a"
    if int(row.get("n", 0)) < 2:
        return f"{fmt(mean)} (n=1)"
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


@dataclass
class Comparison:
    """Everything the renderers need, computed once from the results."""

    records: list[dict[str, Any]]
    articles: pd.DataFrame
    outlets: pd.DataFrame
    z: pd.DataFrame
    speaker_types: pd.DataFrame
    affiliations: pd.DataFrame
    verb_classes: pd.DataFrame
    loaded_categories: pd.DataFrame
    evidence: dict[str, dict[str, Any]]
    analyzers: list[str]
    charts: list[ch.Chart]
    missing_charts: list[tuple[str, str]]
    frames: dict[str, agg.FrameTable] = field(default_factory=dict)
    frame_evidence: dict[str, dict[str, Any]] = field(default_factory=dict)
    frame_charts: list[ch.Chart] = field(default_factory=list)
    event_pairs: ev.EventPairs | None = None

    @classmethod
    def build(cls, records: list[dict[str, Any]], *, n_boot: int = 2000, seed: int = 0, top: int = ch.TOP_OUTLETS
              ) -> Comparison:
        articles = agg.article_table(records)
        outlets = agg.outlet_table(articles, n_boot=n_boot, seed=seed)
        figures = agg.outlet_figures(outlets)
        z = agg.standardized(outlets, figures)
        analyzers = sorted({k for r in records for k, v in r.items() if isinstance(v, Mapping)}
                           - {"metadata", "cleaning", "segments", "figures"})
        self = cls(
            records=records, articles=articles, outlets=outlets, z=z,
            speaker_types=agg.speaker_shares(records, "speaker_type"),
            affiliations=agg.speaker_shares(records, "affiliation"),
            verb_classes=agg.verb_class_shares(records),
            loaded_categories=agg.loaded_category_rates(records),
            evidence=agg.outlet_evidence(records), analyzers=analyzers, charts=[], missing_charts=[],
        )
        self.frames = {s: agg.frame_table(outlets, articles, s) for s in agg.FRAME_SCHEMES}
        if not self.frames["pfc"].empty:
            self.frame_evidence = agg.frame_evidence(records, self.frames["pfc"])
            self.event_pairs = ev.same_event_pairs(records)
        self._make_charts(top)
        self._make_frame_charts(top)
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
                max_categories=most, rest_label="rarer frames", labels=labels)
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
                        "coloured segments' lengths across bars (all bars sum to 100%).", top=top)),
            ("Affiliations per outlet", "attribution or sources", lambda: ch.stacked_shares(
                self.affiliations, counts, name="affiliations", title="Whose side speaks: speaker affiliations per outlet",
                xlabel="share of the outlet's attributions (pooled over its articles)",
                caption="Each bar is one outlet's attributed statements split by the country or bloc the speaker "
                        "belongs to; a bar dominated by one colour means one side does most of the talking.", top=top)),
            ("Loaded-language categories per outlet", "loaded", lambda: ch.grouped_rates(
                self.loaded_categories, counts, name="loaded_categories", title="Loaded-language categories per outlet",
                xlabel="lexicon matches per 1,000 words (pooled: outlet's matches / outlet's words)",
                caption="Each panel is one category of loaded wording; a longer bar means the outlet uses that "
                        "category more often per 1,000 words — matches are cues to check, not verdicts.", top=top)),
            ("Reporting-verb classes per outlet", "attribution", lambda: ch.stacked_shares(
                self.verb_classes, counts, name="verb_classes", title="How speakers are introduced: reporting-verb classes",
                xlabel="share of the outlet's attributions with a reporting verb (pooled)",
                caption="Each bar splits an outlet's reporting verbs into neutral (said), emphatic, endorsing, "
                        "distancing (claimed) and pejorative classes; more distancing means more doubt cast on "
                        "speakers.", top=top)),
        ]
        for title, needs, make in planned:
            chart = make()
            if chart is None:
                self.missing_charts.append((title, needs))
            else:
                self.charts.append(chart)


def comparison(results: Any, **kwargs: Any) -> Comparison:
    return Comparison.build(agg.load_results(results), **kwargs)


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
    env.filters["anchor"] = _anchor
    return env


def appendix_records(records: list[dict[str, Any]], outlets: pd.DataFrame, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` articles, taken round-robin over outlets (most articles first), so every
    outlet is represented before any gets a second article."""
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for record in sorted(records, key=lambda r: str(r.get("id"))):
        by_outlet.setdefault(agg.outlet_of(record), []).append(record)
    queues = [by_outlet[o] for o in outlets.index if o in by_outlet]
    chosen: list[dict[str, Any]] = []
    depth = 0
    while len(chosen) < limit and any(depth < len(q) for q in queues):
        for queue in queues:
            if depth < len(queue) and len(chosen) < limit:
                chosen.append(queue[depth])
        depth += 1
    return chosen


def _provenance(records: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Lexicons and models named in the results (any ``lexicon``/``lexicons``/``model`` entry)."""
    seen: dict[tuple, dict[str, str]] = {}
    for record in records:
        for analyzer, value in record.items():
            if not isinstance(value, Mapping) or analyzer in ("metadata", "cleaning", "segments", "figures"):
                continue
            for key in ("lexicon", "lexicons", "model", "models", "article_model"):
                for item in _entries(value.get(key)):
                    if isinstance(item, Mapping):
                        info = {k: str(item.get(k) or "") for k in ("name", "version", "source", "license")}
                        if any(info.values()):
                            seen.setdefault((analyzer, tuple(sorted(info.items()))), {"analyzer": analyzer, **info})
                    elif isinstance(item, str) and item:
                        seen.setdefault((analyzer, item), {"analyzer": analyzer, "name": item, "version": "",
                                                           "source": "", "license": ""})
    return list(seen.values())


def _entries(entry: Any) -> list[Any]:
    """A provenance entry as a list: a list as is; a model's figures (named by their ``model``
    field), a mapping of name -> info, or one info."""
    if isinstance(entry, list):
        return entry
    if isinstance(entry, Mapping) and isinstance(entry.get("model"), str):
        return [entry["model"]]  # e.g. frames.model: the model's description plus its figures
    if isinstance(entry, Mapping) and not ("name" in entry or "version" in entry):
        return list(entry.values())
    return [entry]


def _vader_version() -> str:
    try:
        return importlib.metadata.version("vaderSentiment")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _marked_excerpt(record_text: str, item: Mapping[str, Any], spans: list[Mapping[str, Any]] | None = None,
                    cue: tuple[int, int] | None = None) -> Markup:
    marks: list[Mark] = loaded_marks(spans or [])
    if cue is not None:
        marks.append(Mark(cue[0], cue[1], "verb-distancing", "distancing reporting verb"))
    return highlight(record_text, marks, int(item["start"]), int(item["end"]))


SCHEME_TITLES = {"pfc": "Policy Frames Codebook dimensions", "generic": "Generic news frames"}


def frame_cell(table: agg.FrameTable, outlet: str, frame: str) -> tuple[str, str]:
    """(mean, interval) texts of one outlet's frame share: '[low, high]', 'n=1' (one article
    with cues: no interval), or 'n/a' (no article with cues)."""
    mean = float(table.means.loc[outlet, frame])
    if math.isnan(mean):
        return "n/a", ""
    low, high = float(table.low.loc[outlet, frame]), float(table.high.loc[outlet, frame])
    if math.isnan(low):
        return fmt(mean), "(n=1)" if int(table.n.get(outlet, 0)) < 2 else "(no interval)"
    return fmt(mean), f"[{fmt(low)}, {fmt(high)}]"


def frame_marks(spans: Iterable[Mapping[str, Any]], dominant: str | None) -> list[Mark]:
    """Frame cues as highlights: the dominant frame's cues stronger; hover names the frame."""
    return [
        Mark(int(s["start"]), int(s["end"]), "frame-cue" + (" frame-dominant" if s.get("frame") == dominant else ""),
             f"frame: {frame_name(str(s.get('frame')))} ({s.get('scheme')}) — cue “{s.get('term') or s.get('text')}”, "
             f"weight {s.get('weight')}, {s.get('voice') or 'author'} voice")
        for s in spans
    ]


def frames_context(comp: Comparison, texts: Mapping[str, str], limit_outlets: int) -> dict[str, Any]:
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
        sentences = [
            {**x, "html": highlight(texts[x["article"]], frame_marks(x["spans"], item["dominant"]), x["start"], x["end"])}
            for x in item["sentences"] if x["article"] in texts
        ]
        evidence.append({**item, "outlet": outlet, "n": int(comp.outlets.loc[outlet, "n"]),
                         "dominant_name": frame_name(item["dominant"]) if item["dominant"] else "",
                         "share_text": fmt(item["share"]), "runner_up": runner_up, "sentences": sentences})
    pairs = comp.event_pairs
    return {
        "frame_tables": tables,
        "frame_charts": [{"title": c.title, "caption": c.caption, "note": c.note, "svg": Markup(c.svg), "name": c.name}
                         for c in comp.frame_charts],
        "frame_evidence": evidence,
        "pairs": pairs,
        "pairs_shown": list(pairs.pairs[:MAX_EVENT_PAIRS]) if pairs else [],
        "frame_name": frame_name,
    }


def render_html(comp: Comparison, *, title: str, max_appendix: int = 50, chart_top: int = ch.TOP_OUTLETS) -> str:
    outlets = comp.outlets
    figures = agg.outlet_figures(outlets)
    table_figures = agg.headline_figures(without_frames(figures), MAX_TABLE_FIGURES)
    rows = []
    for outlet, row in outlets.head(MAX_TABLE_OUTLETS).iterrows():
        values = row.to_dict()
        rows.append({"outlet": outlet, "n": int(values["n"]), "words": fmt(values["words"]),
                     "cells": [interval_text(values, f) for f in table_figures]})
    texts = {str(r.get("id")): r.get("text") for r in comp.records if isinstance(r.get("text"), str)}
    evidence = []
    for outlet in list(outlets.index)[:MAX_EVIDENCE_OUTLETS]:
        ev = comp.evidence.get(outlet, {})
        sentences = [
            {**s, "html": _marked_excerpt(texts[s["article"]], s, s["spans"])} for s in ev.get("sentences", [])
            if s["article"] in texts
        ]
        verbs = [
            {**v, "html": _marked_excerpt(texts[v["article"]], v, cue=(v["cue_start"], v["cue_end"]))}
            for v in ev.get("distancing", []) if v["article"] in texts
        ]
        evidence.append({"outlet": outlet, "n": int(outlets.loc[outlet, "n"]), **ev, "sentences": sentences,
                         "distancing": verbs})
    appendix = []
    chosen = appendix_records(comp.records, outlets, max_appendix)
    article_rows = comp.articles.set_index("id") if not comp.articles.empty else None
    for record in chosen:
        rid = str(record.get("id"))
        text = record.get("text") if isinstance(record.get("text"), str) else ""
        article_figures = []
        if article_rows is not None and rid in article_rows.index:
            row = article_rows.loc[rid]
            row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
            article_figures = [(figure_label(f), fmt(row[f])) for f in table_figures if f in row.index]
        removed = [
            {"reason": r.get("reason", ""), "start": r["start"], "end": r["end"],
             "excerpt": _clip(text[r["start"]:r["end"]])}
            for r in (record.get("cleaning") or {}).get("removed") or ()
        ]
        appendix.append({
            "id": rid, "anchor": "article-" + _anchor(rid), "outlet": agg.outlet_of(record),
            "title": (record.get("metadata") or {}).get("title") or rid,
            "date": (record.get("metadata") or {}).get("date") or "",
            "words": record.get("words"), "figures": article_figures, "removed": removed,
            "references": len((record.get("cleaning") or {}).get("references") or ()),
            "diagnostics": record.get("diagnostics") or [], "html": highlight_html(record),
        })
    context = {
        "title": title,
        "style": Markup(STYLE),
        "n_articles": len(comp.articles),
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
        "appendix_total": len(comp.records),
        "legend": legend_html(),
        "figures_info": [(f, figure_label(f), figure_description(f)) for f in figures if not agg.is_frame_figure(f)],
        "frame_figures": sum(agg.is_frame_figure(f) for f in figures),
        "frames_available": any(not t.empty for t in comp.frames.values()),
        **frames_context(comp, texts, MAX_TABLE_OUTLETS),
        "provenance": _provenance(comp.records),
        "vader_version": _vader_version(),
        "single_outlets": int((outlets["n"] == 1).sum()) if not outlets.empty else 0,
    }
    return _environment().get_template("report.html.j2").render(**context)


def _clip(text: str, width: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _anchor(value: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in value)


# --------------------------------------------------------------------------- markdown / csv


def _md_cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render_markdown(comp: Comparison, *, title: str, chart_files: Mapping[str, str]) -> str:
    outlets = comp.outlets
    figures = agg.headline_figures(without_frames(agg.outlet_figures(outlets)), MAX_TABLE_FIGURES)
    lines = [f"# {title}", "",
             f"{len(comp.articles)} articles from {len(outlets)} outlets. Analyzers in the results: "
             f"{', '.join(comp.analyzers) or 'none'}. The full report with highlighted evidence is report.html; "
             "all figures are in outlets.csv and articles.csv.", "",
             "## Outlets", "",
             "Outlet mean of its articles' figures with a bootstrap 95% interval over articles; "
             "outlets with one article (n=1) have no interval.", ""]
    header = ["outlet", "n"] + [figure_label(f) for f in figures]
    lines.append("| " + " | ".join(_md_cell(h) for h in header) + " |")
    lines.append("|" + "---|" * len(header))
    for outlet, row in outlets.head(MAX_TABLE_OUTLETS).iterrows():
        values = row.to_dict()
        cells = [outlet, int(values["n"])] + [interval_text(values, f) for f in figures]
        lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    if len(outlets) > MAX_TABLE_OUTLETS:
        lines.append(f"\n({len(outlets) - MAX_TABLE_OUTLETS} more outlets in outlets.csv.)")
    lines += ["", "## Charts", ""]
    for chart in comp.charts:
        lines += [f"### {chart.title}", "", f"![{chart.title}]({chart_files[chart.name]})", "", f"*{chart.caption}*"]
        if chart.note:
            lines += ["", chart.note]
        lines.append("")
    for missing, needs in comp.missing_charts:
        lines += [f"### {missing}", "", f"Not available (analyzer {needs} not run).", ""]
    lines += markdown_frames(comp, chart_files)
    lines += ["## Figures", ""]
    for f in agg.outlet_figures(outlets):
        if not agg.is_frame_figure(f):
            lines.append(f"- `{f}` — {figure_description(f)}")
    lines += ["", "## Caveats", "",
              "- A lexicon match is a cue for a reader to check, not a verdict on the article.",
              "- Samples are small; the topic mix differs between outlets, and figures follow topics.",
              "- Outlets with one article have no interval.", ""]
    return "\n".join(lines)


def markdown_frames(comp: Comparison, chart_files: Mapping[str, str]) -> list[str]:
    lines = ["## Frames", ""]
    if not any(not t.empty for t in comp.frames.values()):
        return lines + ["Not available (analyzer frames not run).", ""]
    lines += ["Lexicon cue shares: an outlet's mean over its articles with cues of each article's share of frame-cue "
              "weight, with a bootstrap 95% interval (n=1: one article with cues). Cues evoke a frame; they do not "
              "prove the article adopts it. Frame figures (and the model's mean probabilities) are in outlets.csv; "
              "see report.html for the evidence sentences and the methods.", ""]
    for scheme, table in comp.frames.items():
        if table.empty:
            continue
        frames = list(table.means.columns)
        lines += [f"### {SCHEME_TITLES.get(scheme, scheme)}", ""]
        header = ["outlet", "n (cued)", "dominant"] + [frame_name(f) for f in frames]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for outlet in list(table.means.index)[:MAX_TABLE_OUTLETS]:
            cells = [" ".join(frame_cell(table, outlet, f)).strip() for f in frames]
            dominant = agg.dominant_frame(table.means.loc[outlet])
            row = [outlet, f"{int(comp.outlets.loc[outlet, 'n'])} ({int(table.n.get(outlet, 0))})",
                   frame_name(dominant) if dominant else "none"] + cells
            lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
        lines.append("")
    for chart in comp.frame_charts:
        lines += [f"### {chart.title}", "", f"![{chart.title}]({chart_files[chart.name]})", "", f"*{chart.caption}*", ""]
    pairs = comp.event_pairs
    if pairs is not None:
        lines += ["### Same event, different outlets", "",
                  f"Automatic pairing: articles of different outlets with TF-IDF cosine similarity ≥ {pairs.threshold:.2f} "
                  f"(full dates at most {pairs.max_days} days apart). Check both articles before drawing conclusions.", ""]
        if pairs.skipped:
            lines += [f"Not computed: {pairs.skipped}.", ""]
        elif not pairs.pairs:
            closest = (f" The most similar cross-outlet pair ({' and '.join(pairs.closest_ids)}) scores "
                       f"{pairs.closest:.2f}." if pairs.closest is not None else "")
            lines += [f"No cross-outlet pair reached the threshold among {pairs.articles} articles.{closest}", ""]
        for p in pairs.pairs[:MAX_EVENT_PAIRS]:
            differences = "; ".join(f"{frame_name(d.frame)} {d.share_a:.2f} vs {d.share_b:.2f}" for d in p.differences)
            lines.append(f"- {p.a.outlet} “{p.a.title or p.a.id}” ↔ {p.b.outlet} “{p.b.title or p.b.id}” "
                         f"(similarity {p.similarity:.2f}): {differences or 'no frame cues to compare'}")
        lines.append("")
    return lines


def build_report(results_or_path: Any, out_dir: str | os.PathLike, *, title: str | None = None,
                 max_appendix: int = 50, n_boot: int = 2000, seed: int = 0, top: int = ch.TOP_OUTLETS) -> ReportPaths:
    """Write report.html, report.md, charts/*.svg, outlets.csv and articles.csv into ``out_dir``."""
    out = Path(out_dir)
    (out / "charts").mkdir(parents=True, exist_ok=True)
    comp = comparison(results_or_path, n_boot=n_boot, seed=seed, top=top)
    title = title or "Outlet comparison"
    chart_paths = []
    chart_files = {}
    for chart in comp.charts + comp.frame_charts:
        path = out / "charts" / f"{chart.name}.svg"
        path.write_text('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + chart.svg, encoding="utf-8")
        chart_paths.append(path)
        chart_files[chart.name] = f"charts/{chart.name}.svg"
    paths = ReportPaths(out, out / "report.html", out / "report.md", out / "outlets.csv", out / "articles.csv",
                        tuple(chart_paths))
    paths.html.write_text(render_html(comp, title=title, max_appendix=max_appendix), encoding="utf-8")
    paths.markdown.write_text(render_markdown(comp, title=title, chart_files=chart_files), encoding="utf-8")
    comp.outlets.to_csv(paths.outlets_csv, float_format="%.6g")
    comp.articles.to_csv(paths.articles_csv, index=False, float_format="%.6g")
    return paths


class OutletComparison:
    """The outlet comparison for notebooks: ``.outlets`` (DataFrame), ``.articles``, and the
    overview table with the charts when displayed."""

    def __init__(self, results: Any, **kwargs: Any) -> None:
        self.comparison = comparison(results, **kwargs)
        self.outlets = self.comparison.outlets
        self.articles = self.comparison.articles

    def _repr_html_(self) -> str:
        html = render_html(self.comparison, title="Outlet comparison", max_appendix=0)
        body = html.split("<!--overview-->", 1)[-1].split("<!--/charts-->", 1)[0]
        return f'<div class="framing-report"><style>{STYLE}</style>{body}</div>'

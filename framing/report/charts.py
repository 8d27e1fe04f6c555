"""The report's charts (matplotlib) as SVG strings to inline into HTML.

Each chart function takes the aggregated tables and returns a ``Chart`` (SVG, a title, a
one-sentence caption on how to read it) or ``None`` when its data is absent. Charts show the
``top`` outlets by article count (horizontal bars, readable at 50+ outlets); all outlets are
in the CSV.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass

import matplotlib
import numpy as np
import pandas as pd

# Figures are built with the object API (matplotlib.figure.Figure), never pyplot: no global
# backend switch, so importing the report in Jupyter leaves the notebook's inline charts alone.
from matplotlib.figure import Figure

TOP_OUTLETS = 25

# Text stays text (selectable, small); fixed hash salt and no date: the same data gives the
# same SVG bytes, so the committed sample report only changes when the results change.
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "framing-report",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# Colours for categories outside the fixed maps below (chosen from a hash of the name).
SPARE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5",
]
REST_COLOUR = "#d9d9d9"
UNKNOWN_COLOUR = "#bab0ac"

# One colour per category, the same in every report (not by rank in one report's data). Keys are
# the values the analyzers write; each chart's vocabulary has its own map, so a chart never shows
# one colour twice for categories listed here.
COLOURS: dict[str, dict[str, str]] = {
    "speaker_types": {  # framing.analyzers.sources.SPEAKER_TYPES
        "head_of_state": "#4e79a7", "official": "#76b7b2", "state_media": "#e15759", "media": "#f28e2b",
        "expert": "#59a14f", "politician": "#edc948", "ngo": "#b07aa1", "citizen": "#ff9da7",
        "anonymous": "#9c755f", "unknown": UNKNOWN_COLOUR,
    },
    "affiliations": {  # the most frequent labels of lexicons/affiliations.tsv
        "Russia": "#e15759", "China": "#f28e2b", "United States": "#4e79a7", "European Union": "#76b7b2",
        "Ukraine": "#edc948", "United Kingdom": "#59a14f", "NATO": "#86bcb6", "West": "#9c755f",
        "International": "#b07aa1", "Belarus": "#ff9da7", "Kazakhstan": "#d37295", "India": "#8cd17d",
        "Unknown": UNKNOWN_COLOUR, "unknown": UNKNOWN_COLOUR,
    },
    "verb_classes": {  # framing.analyzers.attribution.VERB_CLASSES
        "neutral": "#4e79a7", "emphatic": "#f28e2b", "endorsing": "#59a14f", "distancing": "#e15759",
        "pejorative": "#7a0000",
    },
    "loaded": {  # lexicons/loaded.tsv categories (the hues of the report's highlights)
        "pejorative": "#e15759", "emotive": "#f28e2b", "hyperbole": "#d37295", "booster": "#edc948",
        "intensifier": "#b6992d", "hedge": "#4e79a7", "doubt": "#a0cbe8", "scare_quote": "#b07aa1",
        "other": UNKNOWN_COLOUR,
    },
    "frames_pfc": {  # framing.framelex.PFC_FRAMES
        "economic": "#1f77b4", "capacity_resources": "#aec7e8", "morality": "#ff7f0e",
        "fairness_equality": "#ffbb78", "legality": "#2ca02c", "policy": "#98df8a", "crime_punishment": "#d62728",
        "security_defense": "#ff9896", "health_safety": "#9467bd", "quality_of_life": "#c5b0d5",
        "cultural_identity": "#8c564b", "public_opinion": "#c49c94", "political": "#e377c2",
        "external_regulation": "#17becf", "other": "#7f7f7f",
    },
    "frames_generic": {  # framing.framelex.GENERIC_FRAMES
        "conflict": "#d62728", "human_interest": "#ff7f0e", "responsibility": "#1f77b4",
        "economic_consequences": "#2ca02c", "morality": "#9467bd",
    },
}


def category_label(value: object) -> str:
    """How a category is written in charts and tables: lower case words for the analyzers'
    slugs ("head_of_state" -> "head of state", "Unknown" -> "unknown"); names as they are."""
    text = str(value)
    if text == "Unknown":
        return "unknown"
    return text.replace("_", " ") if text == text.lower() else text


def category_colours(categories: list[str], vocabulary: str) -> list[str]:
    """A colour per category: from the vocabulary's fixed map, else from a hash of the name
    (the next free spare colour when that one is taken in this chart)."""
    fixed = COLOURS.get(vocabulary, {})
    taken = {fixed[c] for c in categories if c in fixed}
    colours = []
    for category in categories:
        if category in fixed:
            colours.append(fixed[category])
            continue
        start = zlib.crc32(str(category).encode("utf-8", "surrogatepass")) % len(SPARE)
        free = [SPARE[(start + k) % len(SPARE)] for k in range(len(SPARE))]
        colour = next((c for c in free if c not in taken), free[0])
        taken.add(colour)
        colours.append(colour)
    return colours


@dataclass(frozen=True)
class Chart:
    name: str  # file stem, e.g. "heatmap"
    title: str
    caption: str  # "how to read this", one sentence
    svg: str
    note: str = ""  # e.g. "showing the 25 outlets with most articles of 60"


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    # Inline use: drop the XML declaration and DOCTYPE (the DTD is an external reference).
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    return svg


def _short(label: str, width: int = 32) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _top(table: pd.DataFrame, counts: pd.Series, top: int) -> tuple[pd.DataFrame, str]:
    """The ``top`` outlets by article count, in the outlet table's order."""
    order = [o for o in counts.index if o in table.index][:top]
    note = ""
    if len(table.index) > top:
        note = f"Showing the {top} outlets with most articles of {len(table.index)}; all are in outlets.csv."
    return table.loc[order], note


def heatmap(outlets: pd.DataFrame, z: pd.DataFrame, labels: dict[str, str], *, top: int = TOP_OUTLETS) -> Chart | None:
    """Outlets × figures, coloured by z-score across outlets, annotated with the outlet means."""
    figures = [f for f in z.columns if outlets[f].notna().any()]
    if not figures or outlets.empty:
        return None
    shown, note = _top(outlets, outlets["n"], top)
    zs = z.loc[shown.index, figures].to_numpy(dtype=float)
    means = shown[figures].to_numpy(dtype=float)
    rows, cols = zs.shape
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(max(5.0, 1.0 + 0.95 * cols), max(1.6, 0.8 + 0.34 * rows)))
        ax = fig.subplots()
        masked = np.ma.masked_invalid(zs)
        cmap = matplotlib.colormaps["RdBu_r"].with_extremes(bad="#eeeeee")
        image = ax.imshow(masked, cmap=cmap, vmin=-2.5, vmax=2.5, aspect="auto")
        for i in range(rows):
            for j in range(cols):
                value = means[i, j]
                text = "n/a" if np.isnan(value) else f"{value:.2f}"
                dark = not np.isnan(zs[i, j]) and abs(zs[i, j]) > 1.6
                ax.text(j, i, text, ha="center", va="center", fontsize=7.5, color="white" if dark else "#222222")
        ax.set_xticks(range(cols), [labels.get(f, f) for f in figures], rotation=35, ha="right")
        ax.set_yticks(range(rows), [f"{_short(str(o))} (n={int(n)})" for o, n in shown["n"].items()])
        ax.set_xlabel("figure (cell text: outlet mean of its articles)")
        ax.set_ylabel("outlet (n = articles)")
        ax.tick_params(length=0)
        bar = fig.colorbar(image, ax=ax, fraction=0.035, pad=0.02)
        bar.set_label("z-score across outlets")
        svg = _svg(fig)
    caption = (
        "Each cell compares one outlet with the others on one figure: red is above the average of the "
        "outlets shown, blue below, in standard deviations (grey: not available); the number is the outlet's "
        "raw mean, and with a single outlet every cell is neutral."
    )
    return Chart("heatmap", "Figures per outlet (standardized)", caption, svg, note)


def stacked_shares(
    shares: pd.DataFrame, counts: pd.Series, *, name: str, title: str, xlabel: str, caption: str,
    top: int = TOP_OUTLETS, max_categories: int = 10, rest_label: str = "other", labels: dict[str, str] | None = None,
    vocabulary: str = "",
) -> Chart | None:
    """Horizontal 100% stacked bars: one bar per outlet, one segment per category. Beyond
    ``max_categories``, the rarest categories are drawn as one grey ``rest_label`` segment.
    Colours come from ``COLOURS[vocabulary]`` (``category_colours``); labels default to
    ``category_label``."""
    if shares is None or shares.empty:
        return None
    shown, note = _top(shares, counts, top)
    shown = shown.fillna(0.0)
    if shown.shape[1] > max_categories:  # rare categories together, so the legend stays readable
        keep = list(shown.columns[: max_categories - 1])
        rest = shown.drop(columns=keep)
        label = f"{rest_label} ({rest.shape[1]})" if rest_label != "other" else rest_label
        shown = pd.concat([shown[keep], rest.sum(axis=1).rename(label)], axis=1)
        colours = category_colours([str(c) for c in keep], vocabulary) + [REST_COLOUR]
    else:
        colours = category_colours([str(c) for c in shown.columns], vocabulary)
    labels = labels or {}
    rows = len(shown)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7.5, max(1.5, 0.7 + 0.32 * rows)))
        ax = fig.subplots()
        left = np.zeros(rows)
        positions = np.arange(rows)
        for k, category in enumerate(shown.columns):
            values = shown[category].to_numpy(dtype=float)
            ax.barh(positions, values, left=left, color=colours[k], label=labels.get(category, category_label(category)),
                    height=0.7)
            left += values
        ax.set_yticks(positions, [f"{_short(str(o))} (n={int(counts.get(o, 0))})" for o in shown.index])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        ax.set_xlabel(xlabel)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        svg = _svg(fig)
    return Chart(name, title, caption, svg, note)


def grouped_rates(
    rates: pd.DataFrame, counts: pd.Series, *, name: str, title: str, xlabel: str, caption: str, top: int = TOP_OUTLETS,
    vocabulary: str = "",
) -> Chart | None:
    """Small multiples: one horizontal bar panel per category, outlets on the y axis; each
    category in its fixed colour (``category_colours``)."""
    if rates is None or rates.empty:
        return None
    shown, note = _top(rates, counts, top)
    categories = list(shown.columns[:8])
    rows = len(shown)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(max(4.0, 1.6 * len(categories) + 2.2), max(1.5, 0.7 + 0.3 * rows)))
        axes = fig.subplots(1, len(categories), sharey=True, squeeze=False)
        positions = np.arange(rows)
        top_value = float(np.nanmax(shown[categories].to_numpy(dtype=float))) if rows else 1.0
        colours = category_colours([str(c) for c in categories], vocabulary)
        for ax, category, colour in zip(axes[0], categories, colours, strict=True):
            ax.barh(positions, shown[category].fillna(0.0), color=colour, height=0.7)
            ax.set_title(category_label(category), fontsize=8.5)
            ax.set_xlim(0, (top_value or 1.0) * 1.1)
            ax.tick_params(axis="x", labelsize=7)
        axes[0][0].set_yticks(positions, [f"{_short(str(o), 26)} (n={int(counts.get(o, 0))})" for o in shown.index])
        axes[0][0].invert_yaxis()
        fig.supxlabel(xlabel, fontsize=9, y=-0.04)
        svg = _svg(fig)
    return Chart(name, title, caption, svg, note)

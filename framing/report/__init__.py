"""Outlet comparison report: aggregate scored articles per outlet and render HTML, Markdown, CSV.

    >>> from framing.report import build_report
    >>> build_report("scores.jsonl", "reports/mine")          # doctest: +SKIP

Reads results (scores JSONL files, ``--store`` databases, Parquet scores, or records and
``ArticleResult`` objects) only; never re-analyzes text. Files are streamed: one pass over the
records (``collect``), none of them held, so memory does not grow with the number of articles
(docs/report.md). In a notebook, ``OutletComparison(results)`` and ``ArticleView(record)``
display themselves.
"""

from framing.report.aggregate import article_table, load_results, outlet_table, standardized
from framing.report.highlight import ArticleView, highlight_html, segments
from framing.report.inputs import load_or_score
from framing.report.render import OutletComparison, ReportPaths, build_report

__all__ = [
    "ArticleView",
    "OutletComparison",
    "ReportPaths",
    "article_table",
    "build_report",
    "highlight_html",
    "load_or_score",
    "load_results",
    "outlet_table",
    "segments",
    "standardized",
]

"""framing: media-bias and framing analysis of news articles.

    >>> import framing
    >>> result = framing.analyze_text("The regime slammed the so-called reforms.")

Data flows one way: load (``framing.corpus``) -> segment (``Document.from_text``) ->
analyze (``framing.analyze``) -> aggregate and render (``framing.report``).
"""

__version__ = "0.1.0"

from framing.document import Diagnostic, Document, Quotation, Removed, Span  # noqa: E402
from framing.pipeline import ArticleResult, Resources, analyze, analyze_text  # noqa: E402

__all__ = [
    "__version__",
    "ArticleResult",
    "Diagnostic",
    "Document",
    "Quotation",
    "Removed",
    "Resources",
    "Span",
    "analyze",
    "analyze_text",
]

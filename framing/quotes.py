"""Find quotations: straight and curly marks, nesting, multi-paragraph quotes, unbalanced marks.

The detector never raises on odd input. A mark it cannot pair becomes a ``Diagnostic`` and the
quotation is closed at the end of its paragraph, so one typo never loses an article.

Conventions handled on purpose:
- Double marks (" “ ” „ « ») pair with any double mark and single marks (' ‘ ’ ‹ ›) with any
  single mark, because real copy mixes them (seed 004 opens with " and closes with ”).
- A straight mark opens after whitespace, an opening bracket, a dash or another opening mark,
  and closes otherwise.
- ’ and ' between two letters are apostrophes (Russia’s); after a letter and before a non-letter
  they close a single quotation only when one is open (countries’ is a plural possessive).
- Multi-paragraph quotes follow the typographic rule: each paragraph of the quote opens with a
  mark, only the last one closes. A quotation still open at the end of a paragraph continues when
  the next paragraph starts with an opening mark of the same kind; otherwise it is unclosed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from framing.spans import Diagnostic, Quotation

DOUBLE_MARKS = frozenset('"“”„«»')
SINGLE_MARKS = frozenset("'‘’‹›")
OPENING_ONLY = frozenset("“„«‘‹")
CLOSING_ONLY = frozenset("”»’›")
_OPENING_CONTEXT = frozenset("([{—–-/:")
_MARK = re.compile("[" + re.escape("".join(sorted(DOUBLE_MARKS | SINGLE_MARKS))) + "]")


@dataclass
class _Open:
    start: int
    mark: str
    kind: str  # "double" or "single"
    paragraphs: int = 1


def _kind(mark: str) -> str:
    return "double" if mark in DOUBLE_MARKS else "single"


def _is_apostrophe(text: str, i: int, lo: int) -> bool:
    """Russia’s, don't, and elided years ('67, ’90s) are apostrophes, not quotation marks."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    elided_year = text[i + 1 : i + 3].isdigit() and (i + 3 >= len(text) or not text[i + 3].isdigit())
    return (before.isalnum() and after.isalnum()) or elided_year


def find_quotations(
    text: str, paragraphs: list[tuple[int, int]]
) -> tuple[list[Quotation], list[Diagnostic]]:
    """Quotations inside the given paragraph spans (in order), and diagnostics."""
    quotations: list[Quotation] = []
    diagnostics: list[Diagnostic] = []
    stack: list[_Open] = []

    for index, (lo, hi) in enumerate(paragraphs):
        i = lo
        # A paragraph that continues an open quotation starts with an opening mark; skip it.
        if stack:
            first = text[lo] if lo < hi else ""
            if first and _kind(first) == stack[0].kind and first not in CLOSING_ONLY:
                stack[0].paragraphs += 1
                i = lo + 1
            else:  # pragma: no cover - unreachable: stack is emptied at paragraph end otherwise
                stack.clear()
        # Only quotation marks change the state: jump from one to the next with the regex
        # engine instead of stepping through every character of the paragraph in Python.
        for mark in _MARK.finditer(text, i, hi):
            i, ch = mark.start(), mark.group()
            if ch in DOUBLE_MARKS:
                _double_mark(text, i, lo, ch, stack, quotations, diagnostics)
            elif not _is_apostrophe(text, i, lo):
                _single_mark(text, i, lo, ch, stack, quotations, diagnostics)

        if stack:
            next_first = _first_char(text, paragraphs, index + 1)
            outer = stack[0]
            continues = (
                len(stack) == 1
                and next_first is not None
                and _kind(next_first) == outer.kind
                and next_first not in CLOSING_ONLY
                and outer.kind == "double"
            )
            if not continues:
                while stack:
                    dangling = stack.pop()
                    if dangling.kind == "single" and stack:
                        # A lone ‘ inside a closed-at-end double quote is usually an apostrophe
                        # of the ’90s kind; do not report it as a quotation.
                        continue
                    diagnostics.append(_unclosed(dangling, text, hi))
                    _close(dangling, text, hi, "", len(stack), quotations, closed=False)
    quotations.sort(key=lambda q: (q.start, q.level))
    return quotations, diagnostics


def _looks_opening(text: str, i: int, lo: int) -> bool:
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isspace() and (before.isspace() or before in _OPENING_CONTEXT or before in DOUBLE_MARKS
                                    or before in SINGLE_MARKS)


def _looks_closing(text: str, i: int, lo: int) -> bool:
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _double_mark(text, i, lo, ch, stack, quotations, diagnostics) -> None:
    """Double marks pair by state first: with a double quotation open, a mark closes it (unless
    it is an unmistakable “ opening a nested quotation); with none open, it opens one (unless it
    can only be a closing mark). Context alone misreads copy like `in part:"It` or `the"press"`."""
    if any(o.kind == "double" for o in stack):
        if ch in OPENING_ONLY and _looks_opening(text, i, lo) and not _looks_closing(text, i, lo):
            stack.append(_Open(i, ch, "double"))
            return
        while stack[-1].kind != "double":  # single quotations left open inside it
            dangling = stack.pop()
            diagnostics.append(_unclosed(dangling, text, i))
            _close(dangling, text, i, "", len(stack), quotations, closed=False)
        _close(stack.pop(), text, i, ch, len(stack), quotations)
    elif _looks_closing(text, i, lo) and not _looks_opening(text, i, lo) and (ch in CLOSING_ONLY or ch == '"'):
        diagnostics.append(
            Diagnostic("unmatched-closing-quote", f"closing quotation mark {ch!r} with no opening mark", i, i + 1)
        )
    else:
        stack.append(_Open(i, ch, "double"))


def _single_mark(text, i, lo, ch, stack, quotations, diagnostics) -> None:
    """Single marks open only where an opening is plain (after a space or an opening mark) and
    close only an open single quotation; anything else is an apostrophe (countries’, ’90s)."""
    if stack and stack[-1].kind == "single" and (ch in CLOSING_ONLY or ch == "'" or ch == "›"):
        if _looks_closing(text, i, lo) or not _looks_opening(text, i, lo):
            _close(stack.pop(), text, i, ch, len(stack), quotations)
            return
    if ch not in CLOSING_ONLY and _looks_opening(text, i, lo):
        stack.append(_Open(i, ch, "single"))


def _first_char(text: str, paragraphs: list[tuple[int, int]], index: int) -> str | None:
    if index >= len(paragraphs):
        return None
    lo, hi = paragraphs[index]
    return text[lo] if lo < hi else None


def _close(
    opened: _Open,
    text: str,
    at: int,
    mark: str,
    level: int,
    out: list[Quotation],
    *,
    closed: bool = True,
) -> None:
    end = at + 1 if closed else at
    out.append(
        Quotation(
            start=opened.start,
            end=end,
            content_start=opened.start + 1,
            content_end=at,
            open_mark=opened.mark,
            close_mark=mark if closed else "",
            closed=closed,
            level=level,
            paragraphs=opened.paragraphs,
        )
    )


def _unclosed(opened: _Open, text: str, paragraph_end: int) -> Diagnostic:
    snippet = text[opened.start : min(paragraph_end, opened.start + 60)]
    return Diagnostic(
        "unclosed-quotation",
        f"quotation opened with {opened.mark!r} is never closed; treated as ending at the end "
        f"of its paragraph: {snippet!r}",
        opened.start,
        paragraph_end,
    )

"""Text anchoring: find a quote in a document, and check that spans agree with the text.

Offsets are Unicode code points (Python ``str`` indices), start inclusive, end exclusive:
the W3C TextPositionSelector convention. They are computed here from quotes, never typed.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN, CLOSE = "[[", "]]"


class SpanError(ValueError):
    """A span specification that does not pick exactly one place in the text."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote: str


def offsets_of(text: str, needle: str) -> list[int]:
    """Every code point offset at which ``needle`` starts in ``text``, overlapping ones included."""
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def locate(text: str, spec: str, occurrence: int | None = None) -> Span:
    """Return the span that ``spec`` picks out of ``text``.

    ``spec`` is text copied from the document. ``[[`` and ``]]`` may mark the quoted part
    inside surrounding context ("[[Kim]] said"); without markers the whole spec is the quote.
    The context must occur exactly once, unless ``occurrence`` (1-based) picks one.
    Raises SpanError naming the spec when it is missing, ambiguous or malformed.
    """
    if spec.count(OPEN) > 1 or spec.count(CLOSE) > 1 or (OPEN in spec) != (CLOSE in spec):
        raise SpanError(f"malformed span markers in {spec!r}")
    if OPEN in spec:
        before, rest = spec.split(OPEN, 1)
        quote, after = rest.split(CLOSE, 1)
    else:
        before, quote, after = "", spec, ""
    if not quote:
        raise SpanError(f"empty quote in {spec!r}")
    context = before + quote + after
    hits = offsets_of(text, context)
    if not hits:
        raise SpanError(f"span not found in text: {context!r}")
    if occurrence is None:
        if len(hits) > 1:
            raise SpanError(f"span occurs {len(hits)} times, add context or occurrence: {context!r}")
        at = hits[0]
    else:
        if not 1 <= occurrence <= len(hits):
            raise SpanError(f"occurrence {occurrence} asked, {len(hits)} found: {context!r}")
        at = hits[occurrence - 1]
    start = at + len(before)
    return Span(start, start + len(quote), quote)

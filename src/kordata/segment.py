"""Sentence segmentation of a source text, used to build table sentences and the coverage report."""

from __future__ import annotations

import re

# A sentence ends at . ! or ? followed by white space and a capital letter or an opening quote.
# The seed texts are short news reports with one paragraph per line; a rule this simple is
# checked against them in tests, and a library segmenter would be a heavy dependency for it.
_BOUNDARY = re.compile(r'(?<=[.!?])\s+(?=[A-Z"“])')


def sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) code point offsets of each sentence, in order; empty lines are skipped."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        piece_start = 0
        for match in [*list(_BOUNDARY.finditer(line)), None]:
            piece_end = match.start() if match else len(line)
            piece = line[piece_start:piece_end]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece) - len(piece.rstrip())
                spans.append((line_start + piece_start + lead, line_start + piece_end - trail))
            if match:
                piece_start = match.end()
        line_start += len(line) + 1
    return spans

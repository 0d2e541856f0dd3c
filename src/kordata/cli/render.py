"""A table preview that fits the terminal: ``kordata show``.

Written here rather than with pandas' ``to_string`` (which wraps a wide table into blocks and prints
missing values as <NA>, NaN or NaT by dtype) or rich (which squeezes every column to a few
characters): whole columns are kept while they fit the width, each cell is cut to a readable
maximum with an ellipsis, missing values are shown one way (MISSING), and the footer says how many
rows and columns are shown and which columns were left out.
"""

from __future__ import annotations

from collections.abc import Sequence

MISSING = "<NA>"
MAX_CELL = 40  # characters of one cell before it is cut with an ellipsis
MIN_CELL = 6
GAP = "  "


def cell(value: object) -> str:
    """One value as shown: MISSING for a missing value, dates as ISO dates, line breaks as spaces."""
    try:
        import pandas as pd

        if value is None or (not isinstance(value, str | bytes) and bool(pd.isna(value))):
            return MISSING
        if isinstance(value, pd.Timestamp):
            return value.date().isoformat() if value == value.normalize() else value.isoformat()
    except (TypeError, ValueError):  # a list or an array: not a scalar missing value
        pass
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).split())


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def fit(header: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> tuple[list[str], list[str]]:
    """Lines of the table cut to ``width`` characters, and the names of the columns left out.
    Columns are taken in order while they fit; the first is always shown (cut if it must be)."""
    natural = [min(MAX_CELL, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(header)]
    shown: list[int] = []
    used = 0
    for i, w in enumerate(natural):
        gap = len(GAP) if shown else 0
        room = width - used - gap
        if room <= 0 or (shown and room < min(w, MIN_CELL)):
            break
        natural[i] = min(w, room)
        shown.append(i)
        used += gap + natural[i]
        if natural[i] < w:  # this column had to be cut: the next would not fit either
            break
    widths = {i: natural[i] for i in shown}
    lines = [GAP.join(cut(header[i], widths[i]).ljust(widths[i]) for i in shown).rstrip()]
    lines += [GAP.join(cut(r[i], widths[i]).ljust(widths[i]) for i in shown).rstrip() for r in rows]
    return lines, [header[i] for i in range(len(header)) if i not in widths]

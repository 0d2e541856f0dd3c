"""Calendar bounds of EDTF strings, computed column-wise with pandas (no per-row Python).

Covers what kordata's tables use: YYYY, YYYY-MM, YYYY-MM-DD with X for unspecified digits,
a trailing qualifier (? ~ %), and intervals A/B with open ('..') or unknown ('') ends.
The bound of anything else (an unspecified year, an open end) is NaT. The validator checks
syntax with the ``edtf`` library, and a test checks these bounds against it.
"""
from __future__ import annotations

import pandas as pd

_DATE = r"^(?P<y>[0-9X]{4})(?:-(?P<m>[0-9X]{2}))?(?:-(?P<d>[0-9X]{2}))?[?~%]?$"


def _bounds(part: pd.Series) -> tuple[pd.Series, pd.Series]:
    parts = part.astype("string").str.extract(_DATE)
    year_known = parts["y"].str.fullmatch(r"\d{4}").fillna(False).astype(bool)
    month_known = parts["m"].str.fullmatch(r"\d{2}").fillna(False).astype(bool)
    day_known = (parts["d"].str.fullmatch(r"\d{2}").fillna(False).astype(bool)) & month_known
    first = (parts["y"] + "-" + parts["m"].where(month_known, "01") + "-" + parts["d"].where(day_known, "01"))
    lower = pd.to_datetime(first.where(year_known), format="%Y-%m-%d", errors="coerce")
    year_end = pd.to_datetime((parts["y"] + "-12-31").where(year_known), format="%Y-%m-%d", errors="coerce")
    month_end = lower + pd.offsets.MonthEnd(0)
    upper = lower.where(day_known, month_end.where(month_known, year_end))
    return lower.astype("datetime64[s]"), upper.astype("datetime64[s]")


def edtf_bounds(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(lower, upper) calendar dates of each EDTF value; NaT where unknown, open or empty."""
    text = values.astype("string")
    if not len(text):
        empty = pd.Series([], dtype="datetime64[s]", index=values.index)
        return empty, empty.copy()
    split = text.str.split("/", n=1, expand=True)
    if split.shape[1] == 1:
        lower, upper = _bounds(split[0])
    else:
        is_interval = split[1].notna()
        lo_start, up_start = _bounds(split[0])
        lo_end, up_end = _bounds(split[1].fillna(""))
        lower = lo_start
        upper = up_end.where(is_interval, up_start)
    return lower.rename(None), upper.rename(None)

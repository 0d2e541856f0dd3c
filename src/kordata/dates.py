"""Calendar bounds of EDTF strings.

Covers what kordata's tables use: YYYY, YYYY-MM, YYYY-MM-DD with X for unspecified digits,
a trailing qualifier (? ~ %), and intervals A/B with open ('..') or unknown ('') ends.
The bound of anything else (an unspecified year, an open end) is NaT. Bounds are computed
once per distinct value and mapped onto the column (a table has few distinct dates), so the
cost per row is one lookup. The validator checks syntax with the ``edtf`` library, and a test
checks these bounds against it.
"""

from __future__ import annotations

import calendar
import re

import pandas as pd

_DATE = re.compile(r"^(?P<y>[0-9X]{4})(?:-(?P<m>[0-9X]{2}))?(?:-(?P<d>[0-9X]{2}))?[?~%]?$")


def _one(part: str) -> tuple[str | None, str | None]:
    """(lower, upper) ISO dates of one EDTF date (not an interval); None where unknown."""
    match = _DATE.match(part)
    if not match or not match["y"].isdigit():
        return None, None
    year, month, day = int(match["y"]), match["m"], match["d"]
    if not (month and month.isdigit() and 1 <= int(month) <= 12):
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    m = int(month)
    last = calendar.monthrange(year, m)[1]
    if not (day and day.isdigit() and 1 <= int(day) <= last):
        return f"{year:04d}-{m:02d}-01", f"{year:04d}-{m:02d}-{last:02d}"
    return (f"{year:04d}-{m:02d}-{int(day):02d}",) * 2


def _value(value: str) -> tuple[str | None, str | None]:
    if "/" in value:
        start, end = value.split("/", 1)
        return _one(start)[0], _one(end)[1]
    return _one(value)


def edtf_bounds(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(lower, upper) calendar dates of each EDTF value as datetime64[s]; NaT where unknown, open or empty."""
    distinct = [v for v in pd.unique(values.dropna()) if isinstance(v, str) and v]
    bounds = {v: _value(v) for v in distinct}  # one computation per distinct value, not per row
    lower = values.map({v: b[0] for v, b in bounds.items()})
    upper = values.map({v: b[1] for v, b in bounds.items()})
    as_dates = lambda s: pd.to_datetime(s.astype("object"), format="%Y-%m-%d", errors="coerce").astype("datetime64[s]")
    return as_dates(lower).rename(None), as_dates(upper).rename(None)

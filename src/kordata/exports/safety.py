"""Spreadsheet safety: neutralise cells a spreadsheet would run as formulas (CSV injection).

A text cell beginning with =, +, -, @, a tab or a carriage return is prefixed with a single
quote, as OWASP recommends; numeric columns are left alone (a negative number is a number).
"""

from __future__ import annotations

import pandas as pd

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame, numeric: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot start a formula; columns named in ``numeric``
    (numbers kept as text) are left alone, so "-3" stays a number."""
    out = frame.copy()
    for column in out.columns:
        if column in numeric:
            continue
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
            text = series.astype("string")
            risky = text.str.startswith(DANGEROUS_PREFIXES).fillna(False).astype(bool)
            if risky.any():
                out[column] = text.where(~risky, "'" + text)
    return out

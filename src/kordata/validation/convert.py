"""Conversion of text cells to typed columns by Table Schema type, column-wise."""

from __future__ import annotations

import pandas as pd

from .report import Failure

_BOOL = {"true": True, "false": False}


_NUMBER_PATTERNS = {"integer": r"^[+-]?\d{1,18}$", "number": r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"}


def _numbers(series: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """Integer or number cells converted by pyarrow (regex test, then cast): (typed column, ok-mask).
    Only plain decimal notation is accepted: 'NaN', 'inf' and '1,000' are not numbers here."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow(series)
    ok = pc.match_substring_regex(arr, _NUMBER_PATTERNS[kind])
    target, dtype = (pa.int64(), "Int64") if kind == "integer" else (pa.float64(), "Float64")
    values = pc.cast(pc.if_else(ok, arr, pa.scalar(None, pa.string())), target)
    column = pd.Series(pd.array(values, dtype=dtype), index=series.index)
    return column, pd.Series(ok.to_numpy(zero_copy_only=False), index=series.index)


def failures_at(
    raw: pd.DataFrame, mask: pd.Series, table: str, id_column: str, column: str, rule: str, message: str, values: pd.Series | None = None
) -> list[Failure]:
    """One Failure per row where ``mask`` is true; loops only over failing rows."""
    import numpy as np

    flags = np.asarray(mask.fillna(False) if isinstance(mask, pd.Series) else mask, dtype=bool)
    if not flags.any():
        return []
    rows = raw.index[flags]
    shown = values if values is not None else (raw.get(column, None))
    ids = raw[id_column]
    return [
        Failure(table, rule, message, row=int(i) + 2, row_id=str(ids.at[i]), column=column, value="" if shown is None else str(shown.at[i]))
        for i in rows
    ]


def typed_frame(raw: pd.DataFrame, fields: list[dict], table: str, id_column: str, failures: list[Failure]) -> pd.DataFrame:
    """Convert text cells by field type; record a 'type' failure for each non-empty cell that does not convert."""
    out = {}
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        text = raw[name].astype("string")
        empty = text == ""
        if kind in ("integer", "number"):
            column, ok = _numbers(raw[name], kind)
            bad = ~empty & ~ok
        elif kind == "boolean":
            column = text.map(_BOOL).astype("boolean")
            bad = ~empty & column.isna()
        elif kind == "date":
            column = pd.to_datetime(text.where(~empty), format="%Y-%m-%d", errors="coerce")
            bad = ~empty & column.isna()
        else:
            column, bad = text.where(~empty), pd.Series(False, index=text.index)
        failures += failures_at(raw, bad, table, id_column, name, "type", f"not a valid {kind}")
        out[name] = column
    return pd.DataFrame(out, index=raw.index)


def _arrow(values):
    """An Arrow view of a column (zero-copy for Arrow-backed strings)."""
    import pyarrow as pa

    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values
    if isinstance(values, pd.Series):
        values = values.array
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([str(v) for v in values], type=pa.string())


def isin(series: pd.Series, values) -> pd.Series:
    """series.isin(values) through pyarrow's hash kernel (pandas' isin on Arrow strings is ~20× slower)."""
    import pyarrow.compute as pc

    found = pc.is_in(_arrow(series), value_set=_arrow(pd.Series(values, dtype="str")))
    return pd.Series(found.to_numpy(zero_copy_only=False), index=series.index)


def lookup(series: pd.Series, keys: pd.Series, values: pd.Series) -> pd.Series:
    """For each cell of ``series``, the value at the same position as the cell in ``keys`` (first match);
    missing where absent. A vectorised dict lookup (pyarrow index_in + take)."""
    import pyarrow.compute as pc

    positions = pc.index_in(_arrow(series), value_set=_arrow(keys))
    taken = pc.take(_arrow(values), positions)
    return pd.Series(taken.to_pandas(), index=series.index)


def non_negative_ints(series: pd.Series):
    """Non-negative integers of a text column as an int64 numpy array; -1 where a cell is not one.
    (pyarrow kernels: a regex test and a cast, no Python per cell.)"""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow(series)
    ok = pc.match_substring_regex(arr, r"^\d{1,15}$")
    values = pc.cast(pc.if_else(ok, arr, pa.scalar("-1")), pa.int64())
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.int64)


def utf8_slice(series: pd.Series, first: int, last: int) -> bytes:
    """The UTF-8 bytes of cells first..last-1 of a string column, concatenated, read straight from
    the Arrow buffers (no Python object per cell)."""
    import numpy as np
    import pyarrow as pa

    arr = _arrow(series)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.slice(first, last - first)
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=width, count=len(arr) + 1, offset=arr.offset * np.dtype(width).itemsize)
    data = arr.buffers()[2]
    return data.to_pybytes()[offsets[0] : offsets[-1]] if data is not None else b""

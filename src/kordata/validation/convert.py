"""Conversion of text cells to typed columns by Table Schema type, column-wise."""
from __future__ import annotations

import pandas as pd

from .report import Failure

_BOOL = {"true": True, "false": False}


def failures_at(raw: pd.DataFrame, mask: pd.Series, table: str, id_column: str, column: str, rule: str, message: str,
                values: pd.Series | None = None) -> list[Failure]:
    """One Failure per row where ``mask`` is true; loops only over failing rows."""
    rows = mask[mask.fillna(False).astype(bool)].index
    shown = values if values is not None else (raw[column] if column in raw else None)
    ids = raw[id_column]
    return [Failure(table, rule, message, row=int(i) + 2, row_id=str(ids.at[i]), column=column,
                    value="" if shown is None else str(shown.at[i])) for i in rows]


def typed_frame(raw: pd.DataFrame, fields: list[dict], table: str, id_column: str, failures: list[Failure]) -> pd.DataFrame:
    """Convert text cells by field type; record a 'type' failure for each non-empty cell that does not convert."""
    out = {}
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        text = raw[name].astype("string")
        empty = text == ""
        if kind == "integer":
            ok = text.str.fullmatch(r"[+-]?\d{1,18}")
            column = pd.to_numeric(text.where(ok), errors="coerce").astype("Int64")
            bad = ~empty & ~ok
        elif kind == "number":
            ok = text.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
            column = pd.to_numeric(text.where(ok), errors="coerce").astype("Float64")
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

"""Conversion of text cells to typed columns by Table Schema type, column-wise, read exactly as
frictionless reads them.

A cell written in kordata's canonical form (``12000``, ``-3``, ``0.5``, ``true``, ``2024-10-15``)
is converted by pyarrow kernels, with no Python per cell. Any other non-empty cell is read by
frictionless' own cell reader for that field (imported only when such a cell exists, once per
distinct value), so that kordata's layer 1 accepts and refuses exactly what Table Schema and
frictionless do: ``+0``, ``007``, ``1_000``, ``NaN`` and ``TRUE`` are valid Table Schema values.
Such a cell is valid for layer 1 but is not what kordata writes: it is listed as a layer-2
``canonical`` failure. For string fields with a pattern, cells that are not plain ASCII or that
hold a line break are also read by frictionless (Python's ``re`` and RE2 differ on them), and the
cells frictionless reads are exempt from layer 1's vectorised constraint checks (``fallback``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .report import Failure

_BOOL = {"true": True, "false": False}
INT64_DIGITS = 18  # canonical integers have at most 18 digits: they fit int64 without overflow checks

# The form kordata writes; anything else that Table Schema accepts is reported as non-canonical.
CANONICAL = {
    "integer": rf"^(0|-?[1-9][0-9]{{0,{INT64_DIGITS - 1}}})$",
    "number": r"^(0|-?(0\.[0-9]*[1-9]|[1-9][0-9]*(\.[0-9]*[1-9])?))$",
    "boolean": r"^(true|false)$",
    "date": r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
}


@dataclass
class Conversion:
    """A typed frame, with the failures found on the way."""

    frame: pd.DataFrame
    failures: list[Failure] = field(default_factory=list)  # layer 1: type and constraint failures of cells frictionless read
    canonical: list[Failure] = field(default_factory=list)  # layer 2: valid values not in kordata's canonical form
    fallback: dict[str, np.ndarray] = field(default_factory=dict)  # per column: cells read (and checked) by frictionless


def constraint_message(rule: str, constraints: dict, kind: str = "") -> str:
    """The message of a failed Table Schema constraint (shared by both readers of a cell)."""
    value = constraints.get(rule)
    if rule == "type":
        return f"not a valid {kind}"
    if rule == "required":
        return "a value is required"
    if rule == "enum" and isinstance(value, list):
        return f"not one of the vocabulary: {', '.join(map(str, value))}"
    if rule == "pattern":
        return f"does not match {value}"
    if rule == "unique":
        return "value is not unique: it already appears in an earlier row"
    return f"{rule} is {value}"


def failures_at(
    raw: pd.DataFrame, mask: pd.Series, table: str, id_column: str, column: str, rule: str, message: str, values: pd.Series | None = None
) -> list[Failure]:
    """One Failure per row where ``mask`` is true (``mask`` is positional); loops only over failing
    rows. The row number is the frame's index + 2 (see kordata.validation.raw)."""
    flags = np.asarray(mask.fillna(False) if isinstance(mask, pd.Series) else mask, dtype=bool)
    if not flags.any():
        return []
    positions = np.flatnonzero(flags)
    labels = raw.index[positions]
    shown = values if values is not None else raw[column] if column in raw.columns else None
    ids = raw[id_column] if id_column in raw.columns else None
    return [
        Failure(
            table,
            rule,
            message,
            row=int(label) + 2,
            row_id="" if ids is None else str(ids.iat[p]),
            column=column,
            value="" if shown is None or pd.isna(shown.iat[p]) else str(shown.iat[p]),
        )
        for p, label in zip(positions, labels, strict=True)
    ]


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


def flags(result) -> np.ndarray:
    """A pyarrow boolean result as a numpy bool array (nulls as False)."""
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(result, False).to_numpy(zero_copy_only=False), dtype=bool)


def _strings_with_nulls(arr) -> pd.Series:
    """A text column with empty cells as nulls, sharing the text's buffers (only a validity bitmap is new)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = []
    for chunk in arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]:
        if chunk.offset:
            chunk = pa.concat_arrays([chunk])
        valid = pc.not_equal(chunk, "")
        if valid.null_count == 0 and pc.all(valid).as_py() is not False:
            chunks.append(chunk)
            continue
        chunks.append(pa.Array.from_buffers(chunk.type, len(chunk), [valid.buffers()[1], *chunk.buffers()[1:]]))
    chunked = pa.chunked_array(chunks, type=arr.type)
    return pd.Series(pd.arrays.ArrowExtensionArray(chunked))


def _cell_reader(field: dict):
    """frictionless' reader of one cell of this field (type and constraints), or None when
    frictionless cannot build it (then such cells count as type failures)."""
    try:
        from frictionless import Field

        return Field.from_descriptor(dict(field)).create_cell_reader()
    except Exception:  # frictionless refuses descriptors kordata's schema check accepts: be strict
        return None


def _python_value(value, kind: str):
    """A value frictionless read, as the typed column holds it (None when it cannot hold it)."""
    if value is None:
        return None
    if kind == "integer":
        return int(value) if -(2**63) <= int(value) < 2**63 else None
    if kind == "number":
        number = float(value)
        return None if number != number or number in (float("inf"), float("-inf")) else number
    if kind == "date":
        return pd.Timestamp(value) if isinstance(value, dt.date) else None
    return value


def _canonical_text(value, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "date":
        return value.isoformat()
    if kind == "number":
        from decimal import Decimal

        if isinstance(value, Decimal) and value.is_finite():
            text = format(value.normalize(), "f")
            return text.rstrip("0").rstrip(".") if "." in text else text
        return "(no canonical form: kordata writes finite numbers only)"
    return str(value)


def typed_frame(raw: pd.DataFrame, fields: list[dict], table: str, id_column: str, plain: bool = False) -> Conversion:
    """Convert text cells by field type. Cells that do not convert become <NA> with a 'type'
    failure; valid but non-canonical cells get a layer-2 'canonical' failure. ``plain``: the file is
    ASCII with no line break inside a cell (no string cell needs frictionless' reader for a pattern)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out: dict[str, pd.Series] = {}
    result = Conversion(pd.DataFrame())
    for f in fields:
        name, kind = f["name"], f.get("type", "string")
        arr = _arrow(raw[name])
        constraints = f.get("constraints") or {}
        if kind == "string":
            out[name] = _strings_with_nulls(arr)
            if "pattern" in constraints and not plain:
                present = flags(pc.not_equal(arr, ""))
                unusual = present & ~flags(pc.string_is_ascii(arr)) | flags(pc.match_substring(arr, "\n"))
                if unusual.any():
                    result.fallback[name] = unusual
                    _read_by_frictionless(raw, f, table, id_column, unusual, None, result)
            continue
        present = flags(pc.not_equal(arr, ""))
        canonical = present & flags(pc.match_substring_regex(arr, CANONICAL[kind]))
        usable = pc.if_else(pa.array(canonical), arr, pa.scalar(None, pa.string()))
        if kind == "integer":
            column = pd.Series(pd.array(pc.cast(usable, pa.int64()), dtype="Int64"))
        elif kind == "number":
            column = pd.Series(pd.array(pc.cast(usable, pa.float64()), dtype="Float64"))
        elif kind == "boolean":
            column = pd.Series(pd.array(pc.equal(usable, "true"), dtype="boolean"))
        else:
            parsed = pd.to_datetime(pd.Series(usable.to_pandas()), format="%Y-%m-%d", errors="coerce")
            bad_dates = canonical & parsed.isna().to_numpy()
            canonical &= ~bad_dates  # 2024-02-30 has the form but is no date: frictionless decides
            column = parsed.astype("datetime64[s]")
        column.index = raw.index
        others = present & ~canonical
        if others.any():
            result.fallback[name] = others
            _read_by_frictionless(raw, f, table, id_column, others, column, result)
        out[name] = column
    for series in out.values():
        series.index = raw.index
    result.frame = pd.DataFrame(out, index=raw.index)
    return result


def _read_by_frictionless(
    raw: pd.DataFrame, f: dict, table: str, id_column: str, mask: np.ndarray, column: pd.Series | None, result: Conversion
) -> None:
    """Read the cells under ``mask`` with frictionless' cell reader (once per distinct value):
    failures for cells it refuses, typed values and canonical-form failures for cells it accepts."""
    name, kind = f["name"], f.get("type", "string")
    constraints = f.get("constraints") or {}
    reader = _cell_reader(f)
    texts = raw[name].to_numpy(dtype=object)
    verdicts: dict[str, tuple[object, dict | None]] = {}
    for text in pd.unique(texts[mask]):
        if reader is None:
            verdicts[text] = (None, {"type": "not readable"})
            continue
        try:
            verdicts[text] = reader(text)
        except Exception:  # a reader that raises refuses the value
            verdicts[text] = (None, {"type": "not readable"})
    ids = raw[id_column].to_numpy(dtype=object) if id_column in raw.columns else None
    for position in np.flatnonzero(mask):
        text = texts[position]
        value, notes = verdicts[text]
        where = dict(row=int(raw.index[position]) + 2, row_id="" if ids is None else str(ids[position]), column=name, value=str(text))
        if notes:
            for rule in notes:
                result.failures.append(Failure(table, rule, constraint_message(rule, constraints, kind), **where))
            if column is not None:
                column.iat[position] = None
            continue
        if column is None:
            continue
        typed = _python_value(value, kind)
        column.iat[position] = typed
        canonical = _canonical_text(value, kind)
        detail = "" if typed is not None or kind != "integer" else " (outside the 64-bit integer range kordata's readers use)"
        result.canonical.append(
            Failure(
                table,
                "canonical",
                f"a valid Table Schema {kind}, but not written as kordata writes it: {canonical}{detail}",
                **where,
            )
        )


def isin(series: pd.Series, values) -> pd.Series:
    """series.isin(values) through pyarrow's hash kernel (pandas' isin on Arrow strings is ~20× slower)."""
    import pyarrow.compute as pc

    found = pc.is_in(_arrow(series), value_set=_arrow(pd.Series(values, dtype="str")))
    return pd.Series(flags(found), index=series.index)


def lookup(series: pd.Series, keys: pd.Series, values: pd.Series) -> pd.Series:
    """For each cell of ``series``, the value at the same position as the cell in ``keys`` (first match);
    missing where absent. A vectorised dict lookup (pyarrow index_in + take)."""
    import pyarrow.compute as pc

    positions = pc.index_in(_arrow(series), value_set=_arrow(keys))
    taken = pc.take(_arrow(values), positions)
    return pd.Series(taken.to_pandas(), index=series.index)


CANONICAL_OFFSET = r"^(0|[1-9][0-9]{0,14})$"  # a code point offset: a non-negative integer as kordata writes it


def non_negative_ints(series: pd.Series):
    """Offsets of a text column as an int64 numpy array; -1 where a cell is not a canonical
    non-negative integer ('-0', '+0', '007' and 18-digit values are -1: the provenance check fails them).
    (pyarrow kernels: a regex test and a cast, no Python per cell.)"""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow(series)
    ok = pc.match_substring_regex(arr, CANONICAL_OFFSET)
    values = pc.cast(pc.if_else(ok, arr, pa.scalar("-1")), pa.int64())
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.int64)


def utf8_slice(series: pd.Series, first: int, last: int) -> bytes:
    """The UTF-8 bytes of cells first..last-1 of a string column, concatenated, read straight from
    the Arrow buffers (no Python object per cell)."""
    import pyarrow as pa

    arr = _arrow(series)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.slice(first, last - first)
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=width, count=len(arr) + 1, offset=arr.offset * np.dtype(width).itemsize)
    data = arr.buffers()[2]
    return data.slice(int(offsets[0]), int(offsets[-1] - offsets[0])).to_pybytes() if data is not None else b""

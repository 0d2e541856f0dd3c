"""Layer 1, kordata's own engine: what ``frictionless validate`` checks, column-wise.

Per resource: bytes and sha256 against the descriptor; header; each cell's type; required,
unique, enum, pattern, length and range constraints; the primary key; every foreign key.
Rules are named as frictionless names its errors or constraints where one exists (hash-count,
byte-count, blank-row, extra-cell, missing-cell, type, required, unique, enum, pattern,
minLength, maxLength, minimum, maximum, primary-key, foreign-key). The test suite runs
frictionless itself beside it on the shipped package and on every kind of broken copy, and
checks that both find the same rows, in both directions.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from ..errors import KordataError
from ..package import Package, anchored_pattern
from .convert import constraint_message, failures_at, flags, isin
from .raw import RawTables
from .report import CheckResult, Failure


def _resource_integrity(package: Package, raw: RawTables, name: str) -> list[Failure]:
    failures: list[Failure] = []
    resource = package.resource(name)
    if name not in raw.file_stats:
        return failures
    size, digest = raw.file_stats[name]
    expected_hash = str(resource.get("hash", ""))
    if expected_hash:
        algorithm, _, value = expected_hash.rpartition(":")
        if algorithm not in ("", "sha256"):
            failures.append(Failure(name, "hash-count", f"unsupported hash algorithm {algorithm!r}; use sha256", value=expected_hash))
        elif value != digest:
            failures.append(Failure(name, "hash-count", f"the file's sha256 is {digest}, not the descriptor's", value=expected_hash))
    if "bytes" in resource and resource["bytes"] != size:
        failures.append(Failure(name, "byte-count", f"the file has {size} bytes, not the descriptor's", value=str(resource["bytes"])))
    return failures


def _typed_values(typed: pd.DataFrame, frame: pd.DataFrame, column: str, kind: str) -> pd.Series:
    """The values uniqueness is judged on: the text for strings, the parsed value otherwise (as frictionless)."""
    return frame[column] if kind == "string" else typed[column]


def _bound(value, kind: str):
    return pd.Timestamp(value) if kind == "date" else value


def _pattern_matches(arr, pattern: str) -> np.ndarray:
    """The Table Schema pattern test (the whole cell matches) with RE2, for ASCII cells without line
    breaks (on which RE2 and Python's re agree). The pattern is anchored as ``^(?:pattern)$``;
    frictionless anchors ``^pattern$``, which differs only for a top-level alternation (none in
    kordata's schemas, which a copy cannot change: kordata.validation.release_check). A pattern
    RE2 refuses never reaches this point: the schema check refuses it (kordata.package.re2_refusal),
    so no cell is ever matched by a backtracking engine here."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return flags(pc.match_substring_regex(arr, anchored_pattern(pattern)))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise KordataError(f"pattern not supported by kordata's engine: {pattern!r}") from None


def _constraint_failures(package: Package, raw: RawTables, name: str) -> list[Failure]:
    """Required, unique, enum, pattern, length and range constraints of every field, on Arrow arrays
    (pyarrow kernels; pandas only where a duplicate is possible). Cells that frictionless' own reader
    checked (see kordata.validation.convert) are not checked twice."""
    import pyarrow as pa
    import pyarrow.compute as pc

    frame, typed = raw.frames.get(name), raw.typed(name)
    if frame is None or typed is None:  # an unreadable table: its read failure is already reported
        return []
    id_col = raw.id_column(name)
    failures = list(raw.type_failures.get(name, []))
    fallback: dict[str, np.ndarray] = raw.checked_by_frictionless.get(name, {})

    for field in package.fields(name):
        column, c, kind = field["name"], field.get("constraints", {}), field.get("type", "string")
        arr = pa.array(frame[column].array)
        present = typed[column].notna().to_numpy() if kind == "string" else flags(pc.not_equal(arr, ""))
        fast = present & ~fallback.get(column, np.zeros(len(frame), dtype=bool))
        if kind != "string":
            fast &= typed[column].notna().to_numpy()

        def fail(mask, rule: str, column=column, c=c, kind=kind) -> None:
            failures.extend(failures_at(frame, mask, name, id_col, column, rule, constraint_message(rule, c, kind)))

        if c.get("required"):
            fail(~present, "required")
        if c.get("unique"):
            values = _typed_values(typed, frame, column, kind)
            judged = present & values.notna().to_numpy()
            if pc.count_distinct(arr).as_py() < len(arr) or kind != "string":
                fail(judged & values.where(judged).duplicated(keep="first").to_numpy(), "unique")
        if "enum" in c:
            fail(fast & ~flags(pc.is_in(arr, value_set=pa.array([str(v) for v in c["enum"]]))), "enum")
        if "pattern" in c:
            fail(fast & ~_pattern_matches(arr, c["pattern"]), "pattern")
        if "minLength" in c or "maxLength" in c:
            lengths = np.asarray(pc.utf8_length(arr).to_numpy(zero_copy_only=False))
            if "minLength" in c:
                fail(fast & (lengths < c["minLength"]), "minLength")
            if "maxLength" in c:
                fail(fast & (lengths > c["maxLength"]), "maxLength")
        for key, compare in (
            ("minimum", lambda s, v: s < v),
            ("maximum", lambda s, v: s > v),
            ("exclusiveMinimum", lambda s, v: s <= v),
            ("exclusiveMaximum", lambda s, v: s >= v),
        ):
            if key in c and kind in ("integer", "number", "date"):
                outside = compare(typed[column], _bound(c[key], kind)).fillna(False).to_numpy(dtype=bool)
                fail(fast & outside, key)
    pk = package.schema(name).get("primaryKey") or []
    pk = [pk] if isinstance(pk, str) else pk
    kinds = {f["name"]: f.get("type", "string") for f in package.fields(name)}
    unique_field = len(pk) == 1 and any(f["name"] == pk[0] and (f.get("constraints") or {}).get("unique") for f in package.fields(name))
    # a one-field key that is also 'unique' is checked once, above (the same rows; frictionless names both)
    unique_text = len(pk) == 1 and kinds.get(pk[0]) == "string" and pc.count_distinct(pa.array(frame[pk[0]].array)).as_py() == len(frame)
    if pk and not unique_field and not unique_text:  # (a quick distinct count spares the duplicate search on valid tables)
        keys = pd.DataFrame({k: _typed_values(typed, frame, k, kinds[k]) for k in pk})
        complete = keys.notna().all(axis=1).to_numpy()
        dup = complete & keys.duplicated(keep="first").to_numpy()
        failures += failures_at(frame, dup, name, id_col, ",".join(pk), "primary-key", "primary key is not unique")
    return failures


def _as_list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


def _foreign_key_failures(package: Package, raw: RawTables, name: str) -> list[Failure]:
    import pyarrow as pa
    import pyarrow.compute as pc

    failures: list[Failure] = []
    frame = raw.frames.get(name)
    if frame is None:  # an unreadable table: its read failure is already reported
        return failures
    for fk in package.schema(name).get("foreignKeys", []):
        fields = _as_list(fk["fields"])
        ref = fk["reference"]
        target_name = ref.get("resource") or name
        target_fields = _as_list(ref["fields"])
        target = raw.frames.get(target_name) if target_name in package.table_names else None
        if target is None or not set(target_fields) <= set(target.columns):
            # as frictionless: no row can be shown to resolve, so the check fails for the table, once
            reason = (
                f"the package has no table {target_name}"
                if target_name not in package.table_names
                else f"table {target_name} could not be read"
                if target is None
                else f"table {target_name} has no field {', '.join(sorted(set(target_fields) - set(target.columns)))}"
            )
            failures.append(Failure(name, "foreign-key", f"cannot be checked: {reason}", column=",".join(fields)))
            continue
        present = np.logical_and.reduce([flags(pc.not_equal(pa.array(frame[f].array), "")) for f in fields])
        if len(fields) == 1:
            resolves = isin(frame[fields[0]], target[target_fields[0]]).to_numpy()
            shown = frame[fields[0]]
        else:
            keys = pd.MultiIndex.from_frame(target[target_fields])
            resolves = np.asarray(pd.MultiIndex.from_frame(frame[fields]).isin(keys), dtype=bool)
            shown = frame[fields].agg("|".join, axis=1)
        failures += failures_at(
            frame,
            present & ~resolves,
            name,
            raw.id_column(name),
            ",".join(fields),
            "foreign-key",
            f"no row of {target_name} has {'/'.join(target_fields)} equal to this value",
            values=shown,
        )
    return failures


def integrity_check(package: Package, raw: RawTables) -> CheckResult:
    started = time.perf_counter()
    result = CheckResult(
        1, "files", "every file exists, is UTF-8 CSV with LF line endings and no blank or ragged rows, and matches its bytes and sha256"
    )
    for name in package.table_names:
        result.failures += _resource_integrity(package, raw, name)
    result.failures += raw.failures  # files that could not be read at all
    result.seconds = time.perf_counter() - started
    return result


def table_schema_check() -> CheckResult:
    return CheckResult(
        1, "table-schema", "header, types, required, unique, enum, pattern, length and range constraints and primary key of every table"
    )


def table_schema_failures(package: Package, raw: RawTables, name: str) -> list[Failure]:
    """Layer 1's Table Schema failures of one table (uses the typed frame while it is in memory)."""
    return _constraint_failures(package, raw, name) if raw.frames.get(name) is not None else []


def foreign_key_check(package: Package, raw: RawTables) -> CheckResult:
    started = time.perf_counter()
    result = CheckResult(1, "foreign-keys", "every foreign key resolves")
    for name in package.table_names:
        if raw.frames.get(name) is not None:
            result.failures += _foreign_key_failures(package, raw, name)
    result.seconds = time.perf_counter() - started
    return result

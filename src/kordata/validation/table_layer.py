"""Layer 1, kordata's own engine: what ``frictionless validate`` checks, column-wise.

Per resource: bytes and sha256 against the descriptor; header; each cell's type; required,
unique, enum, pattern, minimum and maximum constraints; the primary key; every foreign key.
Rules are named as frictionless names its errors where one exists (hash-count, byte-count,
type, required, unique, enum, pattern, minimum, maximum, primary-key, foreign-key). The
test suite runs frictionless itself beside it on the shipped package and on broken copies,
and checks that both find the same rows.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from ..errors import KordataError
from ..package import Package
from .convert import failures_at, isin
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


def _constraint_failures(package: Package, raw: RawTables, name: str) -> list[Failure]:
    """Required, unique, enum, pattern, minimum and maximum of every field, on Arrow arrays
    (pyarrow kernels; pandas only where a duplicate is possible)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    frame, typed = raw.frames.get(name), raw.typed(name)
    if frame is None or typed is None:  # an unreadable table: its read failure is already reported
        return []
    id_col = raw.id_column(name)
    failures = list(raw.type_failures.get(name, []))

    def flags(result) -> np.ndarray:
        return np.asarray(result.to_numpy(zero_copy_only=False), dtype=bool)

    for field in package.fields(name):
        column, c = field["name"], field.get("constraints", {})
        arr = pa.array(frame[column].array)
        present = flags(pc.not_equal(arr, ""))
        if c.get("required"):
            failures += failures_at(frame, ~present, name, id_col, column, "required", "a value is required")
        if c.get("unique") and pc.count_distinct(arr).as_py() < len(arr):
            dup = frame[column].duplicated(keep="first").to_numpy()
            failures += failures_at(
                frame, present & dup, name, id_col, column, "unique", "value is not unique: it already appears in an earlier row"
            )
        if "enum" in c:
            inside = flags(pc.is_in(arr, value_set=pa.array([str(v) for v in c["enum"]])))
            failures += failures_at(
                frame, present & ~inside, name, id_col, column, "enum", f"not one of the vocabulary: {', '.join(map(str, c['enum']))}"
            )
        if "pattern" in c:
            ok = flags(pc.match_substring_regex(arr, f"^(?:{c['pattern']})$"))
            failures += failures_at(frame, present & ~ok, name, id_col, column, "pattern", f"does not match {c['pattern']}")
        for key, rule, compare in (("minimum", "minimum", lambda s, v: s < v), ("maximum", "maximum", lambda s, v: s > v)):
            if key in c and field.get("type") in ("integer", "number"):
                failures += failures_at(
                    frame, compare(typed[column], c[key]).fillna(False).astype(bool), name, id_col, column, rule, f"{key} is {c[key]}"
                )
    pk = package.schema(name).get("primaryKey") or []
    if len(pk) > 1:
        dup = frame.duplicated(subset=pk, keep="first")
        failures += failures_at(frame, dup, name, id_col, ",".join(pk), "primary-key", "primary key is not unique")
    elif len(pk) == 1 and not any(f["name"] == pk[0] and f.get("constraints", {}).get("unique") for f in package.fields(name)):
        failures += failures_at(
            frame, frame[pk[0]].duplicated(keep="first"), name, id_col, pk[0], "primary-key", "primary key is not unique"
        )
    return failures


def _foreign_key_failures(package: Package, raw: RawTables, name: str) -> list[Failure]:
    failures: list[Failure] = []
    frame = raw.frames.get(name)
    if frame is None:  # an unreadable table: its read failure is already reported
        return failures
    for fk in package.schema(name).get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        target_name = ref.get("resource") or name
        target_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        target = raw.frames.get(target_name)
        present = frame[fields].ne("").all(axis=1)
        if target is None:  # the referenced table could not be read: no reference into it can be shown to resolve
            failures += failures_at(
                frame,
                present,
                name,
                raw.id_column(name),
                ",".join(fields),
                "foreign-key",
                f"cannot be resolved: table {target_name} could not be read",
                values=frame[fields[0]],
            )
            continue
        if len(fields) == 1:
            resolves = isin(frame[fields[0]], target[target_fields[0]])
            shown = frame[fields[0]]
        else:
            keys = pd.MultiIndex.from_frame(target[target_fields])
            resolves = pd.Series(pd.MultiIndex.from_frame(frame[fields]).isin(keys), index=frame.index)
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


def key_columns(package: Package, name: str) -> set[str]:
    """Columns of ``name`` that foreign keys use, on either side (kept for the foreign-key check)."""
    used = set()
    for other in package.table_names:
        try:
            foreign_keys = package.schema(other).get("foreignKeys", [])
        except KordataError:  # an unreadable schema is reported by the integrity check
            continue
        for fk in foreign_keys:
            target = fk["reference"].get("resource") or other
            if other == name:
                used.update(fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]])
            if target == name:
                fields = fk["reference"]["fields"]
                used.update(fields if isinstance(fields, list) else [fields])
    return used


def integrity_check(package: Package, raw: RawTables) -> CheckResult:
    started = time.perf_counter()
    result = CheckResult(1, "integrity", "every file exists and matches the descriptor's bytes and sha256")
    for name in package.table_names:
        result.failures += _resource_integrity(package, raw, name)
    result.failures += raw.failures  # files that could not be read at all
    result.seconds = time.perf_counter() - started
    return result


def table_schema_check() -> CheckResult:
    return CheckResult(1, "table-schema", "header, types, required, unique, enum, pattern, minimum, maximum and primary key of every table")


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

"""Layer 2: pandera DataFrame schemas derived from schemas/*.json, plus the table-level rules.

kordata translates the Table Schemas itself instead of using pandera's
``from_frictionless_schema``, which drops foreign keys and missing values, makes optional
integers non-nullable and leaves dates unparsed (see the toolchain notes). Cells are first
converted from text by the schema's type; a cell that does not convert is a 'type' failure.
"""
from __future__ import annotations

import re
import time

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ..package import Package
from .raw import RawTables
from .report import CheckResult, Failure
from .rules import RULES

_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean", "date": "datetime64[ns]"}
_BOOL = {"true": True, "false": False}
# pandera's names for its built-in checks -> the Table Schema constraint each one enforces
_CONSTRAINT_OF = {"isin": "enum", "str_matches": "pattern", "greater_than_or_equal_to": "minimum",
                  "less_than_or_equal_to": "maximum", "str_length": "length"}


def _column(field: dict) -> pa.Column:
    c = field.get("constraints", {})
    checks = []
    if "enum" in c:
        checks.append(pa.Check.isin(c["enum"], name="enum"))
    if "pattern" in c:
        checks.append(pa.Check.str_matches(f"(?:{c['pattern']})\\Z", name="pattern"))
    if "minimum" in c:
        checks.append(pa.Check.ge(c["minimum"], name="minimum"))
    if "maximum" in c:
        checks.append(pa.Check.le(c["maximum"], name="maximum"))
    if "minLength" in c:
        checks.append(pa.Check.str_length(min_value=c["minLength"], name="minLength"))
    if "maxLength" in c:
        checks.append(pa.Check.str_length(max_value=c["maxLength"], name="maxLength"))
    return pa.Column(_DTYPES.get(field.get("type", "string"), "string"), checks=checks,
                     nullable=not c.get("required", False), unique=bool(c.get("unique", False)),
                     required=True, name=field["name"], title=field.get("title"), description=field.get("description"))


def dataframe_schema(package: Package, name: str) -> pa.DataFrameSchema:
    """The pandera schema of a table: one column per field, in order, plus the table's rules."""
    schema = package.schema(name)
    pk = schema.get("primaryKey") or []
    rules = [pa.Check((lambda df, r=rule: r.check(df).fillna(False).astype(bool)), name=rule.name)
             for rule in RULES.get(name, [])]
    return pa.DataFrameSchema({f["name"]: _column(f) for f in schema["fields"]}, checks=rules, strict=True, ordered=True,
                              unique=pk if len(pk) > 1 else None, name=name)


def typed_frame(raw: pd.DataFrame, fields: list[dict], table: str, id_column: str, failures: list[Failure]) -> pd.DataFrame:
    """Convert text cells by field type; record a 'type' failure for each cell that does not convert."""
    out = {}
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        text = raw[name].astype("string")
        empty = text == ""
        if kind == "integer":
            values = pd.to_numeric(text.where(~empty), errors="coerce")
            bad = ~empty & (values.isna() | ~text.str.fullmatch(r"[+-]?\d+").fillna(False).astype(bool))
            column = values.where(~bad).astype("Float64").astype("Int64") if len(values) else values.astype("Int64")
        elif kind == "number":
            values = pd.to_numeric(text.where(~empty), errors="coerce")
            bad = ~empty & (values.isna() | text.str.contains(r"(?i)nan|inf", regex=True).fillna(False).astype(bool))
            column = values.where(~bad).astype("Float64")
        elif kind == "boolean":
            column = text.map(_BOOL).astype("boolean")
            bad = ~empty & column.isna()
        elif kind == "date":
            column = pd.to_datetime(text.where(~empty), format="%Y-%m-%d", errors="coerce")
            bad = ~empty & column.isna()
        else:
            column, bad = text.where(~empty), pd.Series(False, index=text.index)
        for index in bad[bad].index:
            failures.append(Failure(table, "type", f"not a valid {kind}", row=int(index) + 2,
                                    row_id=str(raw.at[index, id_column]), column=name, value=str(raw.at[index, name])))
        out[name] = column
    return pd.DataFrame(out, index=raw.index)


def _schema_failures(exc: SchemaErrors, raw: pd.DataFrame, table: str, id_column: str, schema: pa.DataFrameSchema) -> list[Failure]:
    failures, seen = [], set()
    descriptions = {rule.name: rule.description for rule in RULES.get(table, [])}
    cases = exc.failure_cases
    for case in cases.itertuples(index=False):
        if case.check in descriptions:  # a row-level rule: pandera lists it once per column; report it once per row
            if (case.index, case.check) in seen:
                continue
            seen.add((case.index, case.check))
        index = case.index
        row = int(index) + 2 if index is not None and not pd.isna(index) else None
        row_id = str(raw.at[int(index), id_column]) if row is not None else ""
        column = "" if case.column is None or case.column == table or case.check in descriptions else str(case.column)
        check = str(case.check)
        if check.startswith("not_nullable"):
            rule, message = "required", "a value is required"
        elif check.startswith("field_uniqueness") or check.startswith("multiple_fields_uniqueness"):
            rule, message = "unique", "value is not unique"
        else:
            rule = re.sub(r"\(.*", "", check)
            message = descriptions.get(rule) or f"violates constraint {_CONSTRAINT_OF.get(rule, rule)}: {check}"
            rule = _CONSTRAINT_OF.get(rule, rule)
        value = "" if row is None and column == "" else str(case.failure_case)
        if rule in descriptions:
            value = ""
        failures.append(Failure(table, rule, message, row=row, row_id=row_id, column=column, value=value))
    return failures


def run(package: Package, raw: RawTables) -> list[CheckResult]:
    """One check per table: its pandera schema on the typed frame."""
    results = []
    for name in package.table_names:
        started = time.perf_counter()
        result = CheckResult(2, f"schema:{name}", f"pandera schema of {name} (types, required, unique, enum, pattern, range, rules)")
        frame = raw.frames.get(name)
        if frame is None:
            result.skipped = "table could not be read; see layer 3 'readable'"
        else:
            fields = package.fields(name)
            id_column = raw.id_column(name)
            typed = typed_frame(frame, fields, name, id_column, result.failures)
            schema = dataframe_schema(package, name)
            try:
                schema.validate(typed, lazy=True)
            except SchemaErrors as exc:
                result.failures.extend(_schema_failures(exc, frame, name, id_column, schema))
        result.seconds = time.perf_counter() - started
        results.append(result)
    return results

"""Layer 2: pandera DataFrame schemas derived from schemas/*.json, plus the table-level rules.

kordata translates the Table Schemas itself instead of using pandera's
``from_frictionless_schema``, which drops foreign keys and missing values, makes optional
integers non-nullable and leaves dates unparsed (see the toolchain notes). pandera checks the
frames converted by kordata.validation.convert (shared with layer 1).
"""

from __future__ import annotations

import re
import sys
import time
from contextlib import contextmanager

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ..package import Package
from ..tableschema import field_type
from .raw import RawTables
from .report import CheckResult, Failure
from .rules import RULES

# pandera's names for its built-in checks -> the Table Schema constraint each one enforces
_CONSTRAINT_OF = {
    "isin": "enum",
    "str_matches": "pattern",
    "greater_than_or_equal_to": "minimum",
    "less_than_or_equal_to": "maximum",
    "str_length": "length",
}


@contextmanager
def _without_hypothesis():
    """pandera imports hypothesis, when it is installed, to offer data-synthesis strategies that
    kordata never uses; the import costs ~0.2 s per process (a third of validating the shipped
    package). While kordata builds and runs its schemas, an absent hypothesis is simulated, unless
    the program has imported hypothesis itself."""
    blocked = "hypothesis" not in sys.modules
    if blocked:
        sys.modules["hypothesis"] = None  # type: ignore[assignment]  # makes `import hypothesis` raise ImportError, which pandera handles
    try:
        yield
    finally:
        if blocked and sys.modules.get("hypothesis", 0) is None:
            del sys.modules["hypothesis"]


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
    return pa.Column(
        field_type(field).pandas,
        checks=checks,
        nullable=not c.get("required", False),
        unique=bool(c.get("unique", False)),
        required=True,
        name=field["name"],
        title=field.get("title"),
        description=field.get("description"),
    )


def dataframe_schema(package: Package, name: str) -> pa.DataFrameSchema:
    """The pandera schema of a table: one column per field, in order, plus the table's rules."""
    schema = package.schema(name)
    pk = schema.get("primaryKey") or []
    rules = [pa.Check((lambda df, r=rule: r.check(df).fillna(False).astype(bool)), name=rule.name) for rule in RULES.get(name, [])]
    return pa.DataFrameSchema(
        {f["name"]: _column(f) for f in schema["fields"]},
        checks=rules,
        strict=True,
        ordered=True,
        unique=pk if len(pk) > 1 else None,
        name=name,
    )


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


def check_table(package: Package, raw: RawTables, name: str) -> CheckResult:
    """Layer 2 for one table: its pandera schema on the typed frame."""
    started = time.perf_counter()
    result = CheckResult(2, f"schema:{name}", f"pandera schema of {name} (types, required, unique, enum, pattern, range, rules)")
    frame = raw.frames.get(name)
    if frame is None:
        result.skipped = "table could not be read; see layer 1 'integrity'"
    else:
        id_column = raw.id_column(name)
        typed = raw.typed(name)  # conversion failures are reported once, by layer 1
        with _without_hypothesis():
            schema = dataframe_schema(package, name)
            try:
                schema.validate(typed, lazy=True, inplace=True)
            except SchemaErrors as exc:
                result.failures.extend(_schema_failures(exc, frame, name, id_column, schema))
    result.seconds = time.perf_counter() - started
    return result

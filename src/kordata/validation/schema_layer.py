"""Layer 2: kordata's rules that a Table Schema cannot say, one table at a time.

- ``rows:<table>``: rules across the fields of one row (kordata.validation.rules), run as pandera
  DataFrame checks on the typed frame. The pandera schema declares no column checks: types,
  vocabularies, patterns, ranges and keys are layer 1's (one home per rule). A rule
  fails only where it can be evaluated: a row whose cell layer 1 already reported (a missing or
  unreadable value) is not reported again.
- ``cell-forms``: every number, integer, boolean and date is written as kordata writes it (layer 1
  accepts any form Table Schema accepts, such as ``+0``, ``007`` or ``TRUE``).
- ``characters``: no text cell holds a control character (except a line break or tab in free
  text), a zero-width character or a bidirectional override.

kordata builds the pandera schemas itself instead of using pandera's ``from_frictionless_schema``,
which drops foreign keys and missing values (see the toolchain notes).
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


def usable_rules(name: str, typed: pd.DataFrame) -> tuple[list, list[Failure]]:
    """The table's rules that its columns allow, and a failure for each rule that needs a column the
    schema does not have (a rule is never silently dropped)."""
    usable, failures = [], []
    for rule in RULES.get(name, []):
        try:
            rule.check(typed.head(0))
        except KeyError as exc:
            failures.append(Failure(name, rule.name, f"cannot be checked: the schema has no column {exc}"))
            continue
        usable.append(rule)
    return usable, failures


def dataframe_schema(package: Package, name: str, rules: list | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a table: its rules across the fields of a row. Columns and their types are
    layer 1's (the typed frame is built from the Table Schema), so the schema declares none."""
    package.schema(name)
    chosen = RULES.get(name, []) if rules is None else rules
    checks = [pa.Check((lambda df, r=rule: _evaluable(r, df)), name=rule.name) for rule in chosen]
    return pa.DataFrameSchema(checks=checks, name=name)


def _evaluable(rule, frame: pd.DataFrame) -> pd.Series:
    """The rule's verdict per row; a row where it cannot be evaluated (a value missing) passes."""
    return rule.check(frame).fillna(True).astype(bool)


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
    """Layer 2's row rules for one table: its pandera schema on the typed frame."""
    started = time.perf_counter()
    result = CheckResult(2, f"rows:{name}", f"rules across the fields of a row of {name} (pandera)")
    frame = raw.frames.get(name)
    if frame is None:
        result.skipped = "table could not be read; see layer 1"
    else:
        id_column = raw.id_column(name)
        typed = raw.typed(name)
        rules, result.failures = usable_rules(name, typed)
        with _without_hypothesis():
            schema = dataframe_schema(package, name, rules)
            try:
                schema.validate(typed, lazy=True, inplace=True)
            except SchemaErrors as exc:
                result.failures.extend(_schema_failures(exc, frame, name, id_column, schema))
    result.seconds = time.perf_counter() - started
    return result


# C0 controls except tab and line feed, DEL, C1 controls; zero-width characters and the byte order
# mark; bidirectional embeddings, overrides and isolates (which can make text display other than it reads).
FORBIDDEN = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
FORBIDDEN_RE = f"[{FORBIDDEN}]"
LINE_BREAK_RE = "[\t\n]"


def free_text(field: dict) -> bool:
    """A string field without a vocabulary or a pattern: prose, where a tab or a line break may occur."""
    constraints = field.get("constraints") or {}
    return field.get("type", "string") == "string" and "enum" not in constraints and "pattern" not in constraints


def cell_form_failures(package: Package, raw: RawTables, name: str) -> list[Failure]:
    """Cells valid for Table Schema but not in kordata's canonical form (found while converting)."""
    raw.typed(name)
    return list(raw.canonical_failures.get(name, []))


def character_failures(package: Package, raw: RawTables, name: str) -> list[Failure]:
    """Text cells holding control, zero-width or bidirectional-control characters (a tab or line break
    only outside free text)."""
    import pyarrow
    import pyarrow.compute as pc

    from .convert import failures_at, flags

    frame = raw.frames.get(name)
    if frame is None or not raw.may_hold_special_characters.get(name, True):
        return []
    failures = []
    for field in package.fields(name):
        column = field["name"]
        arr = pyarrow.array(frame[column].array)
        bad = flags(pc.match_substring_regex(arr, FORBIDDEN_RE))
        if not free_text(field):
            bad |= flags(pc.match_substring_regex(arr, LINE_BREAK_RE))
        if bad.any():
            shown = frame[column].map(lambda v: v.encode("unicode_escape").decode("ascii"))
            failures += failures_at(
                frame,
                bad,
                name,
                raw.id_column(name),
                column,
                "characters",
                "holds a control, zero-width or bidirectional-control character (value shown escaped)",
                values=shown,
            )
    return failures

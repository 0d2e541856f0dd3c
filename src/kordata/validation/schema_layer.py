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

import functools
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


# Default_Ignorable_Code_Point code points that are not format characters (Cf is caught by category):
# Other_Default_Ignorable_Code_Point and Variation_Selector, from the Unicode Character Database's
# PropList.txt (Unicode 15.1; the derivation in DerivedCoreProperties.txt is Other_DICP + Cf +
# Variation_Selector - White_Space - ...). Python's unicodedata has categories but no binary
# properties, and no kept library in kordata's dependencies exposes this one, so the derived ranges
# are kept here (tests/test_corruptions.py checks each attacked code point).
DEFAULT_IGNORABLE_NOT_CF = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180D), (0x180F, 0x180F), (0x2065, 0x2065),
    (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF),
)  # fmt: skip
# Also refused: line and paragraph separators (Zl, Zp: invisible line breaks) and U+FFFC, which stands
# for an object that is not there. Surrogates (Cs) cannot occur: every file is decoded as strict UTF-8.
EXTRA = ((0x2028, 0x2029), (0xFFFC, 0xFFFC))
# Unicode assigns control, format and private-use characters only in these planes (0, 1, 14-16).
PLANES = ((0x0, 0x1FFFF), (0xE0000, 0xE0FFF))
PRIVATE_USE = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))


@functools.lru_cache(maxsize=1)
def invisible_ranges() -> tuple[tuple[int, int], ...]:
    """Code point ranges no text cell may hold: controls (Cc) but tab and line feed, format characters
    (Cf), private use (Co), the other Default_Ignorable_Code_Point code points, Zl, Zp and U+FFFC.
    Categories come from unicodedata (the running Python's Unicode version)."""
    import unicodedata

    points = [(lo, hi) for lo, hi in (*DEFAULT_IGNORABLE_NOT_CF, *EXTRA, *PRIVATE_USE)]
    for lo, hi in PLANES:
        for cp in range(lo, hi + 1):
            if unicodedata.category(chr(cp)) in ("Cc", "Cf") and cp not in (0x09, 0x0A):
                points.append((cp, cp))
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(points):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return tuple(merged)


def forbidden_class() -> str:
    """A character class (for RE2 and Python's re alike) of the characters in invisible_ranges()."""
    return "[" + "".join(chr(lo) if lo == hi else f"{chr(lo)}-{chr(hi)}" for lo, hi in invisible_ranges()) + "]"


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
        bad = flags(pc.match_substring_regex(arr, forbidden_class()))
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
                "holds a control, format, invisible (default-ignorable) or private-use character (value shown escaped)",
                values=shown,
            )
    return failures

"""Layer 1 by frictionless itself (``engine="frictionless"``), on a package kordata has checked first.

frictionless is run only on a package whose shape kordata accepts: a remote or unsafe path, an
inline or unusable schema, or a table file that is not a regular file (a FIFO would hang any
reader) is refused before frictionless runs, so it never fetches or opens anything outside the
package. kordata's own file rules that frictionless does not check (no byte order mark, LF line
endings, a final newline, size limits, readable regular files) are still reported.
"""

from __future__ import annotations

import time

from ..package import DESCRIPTOR, Package
from .raw import RawTables
from .report import CheckResult, Failure

OWN_RULES = ("encoding", "line-endings", "final-newline", "file-too-large", "file-unreadable")
BLOCKING = (
    "resource-path",
    "resource-schema",
    "schema",
    "resource-inlined",
    "resource-format",
    "resource-dialect",
    "resources-empty",
    "resource-duplicated",
    "resource-name",
    "resource-profile",
    "profile",
)


def own_file_rules(package: Package, raw: RawTables) -> list[Failure]:
    """kordata's byte rules on every table file (read once, not parsed)."""
    for name in package.table_names:
        data = raw.read_bytes(name)
        if data is not None:
            raw.byte_rules(name, data)
    return [f for f in raw.failures if f.rule in OWN_RULES]


def run(package: Package, raw: RawTables, shape: CheckResult) -> list[CheckResult]:
    started = time.perf_counter()
    files = CheckResult(1, "files", "kordata's file rules frictionless does not check: regular files, UTF-8 without BOM, LF, final newline")
    files.failures = own_file_rules(package, raw)
    raw.failures.clear()  # read again, in full, by layers 2 and 3
    raw.file_stats.clear()
    result = CheckResult(1, "frictionless", "frictionless validate: types, constraints, primary and foreign keys, bytes and sha256")
    blocking = [f for f in shape.failures if f.rule in BLOCKING] + [f for f in files.failures if f.rule == "file-unreadable"]
    if blocking:
        result.failures.append(
            Failure(DESCRIPTOR, "frictionless-refused", f"frictionless was not run: {blocking[0].table}: {blocking[0].message}")
        )
        result.seconds = time.perf_counter() - started
        return [files, result]
    try:
        from frictionless import validate
    except ImportError as exc:  # pragma: no cover - frictionless is a dependency
        result.skipped = f"frictionless is not installed ({exc})"
        return [files, result]
    try:
        report = validate(str(package.root / DESCRIPTOR))
    except Exception as exc:  # frictionless raises more than FrictionlessException on odd input: a failure, not a crash
        result.failures.append(Failure(DESCRIPTOR, "frictionless", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"))
        report = None
    if report is not None:
        for error in report.errors:
            result.failures.append(Failure(DESCRIPTOR, error.type, error.message))
        for task in report.tasks:
            for error in task.errors:
                cells = getattr(error, "cells", None) or []
                result.failures.append(
                    Failure(
                        task.name or task.place,
                        error.type,
                        getattr(error, "note", "") or error.message,
                        row=getattr(error, "row_number", None),
                        row_id=str(cells[0]) if cells else "",
                        column=getattr(error, "field_name", "") or "",
                        value=str(getattr(error, "cell", "") or ""),
                    )
                )
    result.seconds = time.perf_counter() - started
    return [files, result]

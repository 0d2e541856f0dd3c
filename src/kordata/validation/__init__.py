"""Layered validation of a kordata package. ``validate()`` runs three layers and returns a Report.

Layer 1 checks what frictionless checks (file bytes and sha256, header, types, constraints,
primary and foreign keys), with kordata's own column-wise engine or, with
``engine="frictionless"``, by running frictionless itself. Layer 2 runs pandera schemas
derived from schemas/*.json plus row-level rules. Layer 3 runs cross-table and provenance
checks. Nothing is modified. See kordata.validation.report for the report's shape.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import KordataError
from ..package import Package
from .report import CheckResult, Failure, Report

__all__ = ["ENGINES", "CheckResult", "Failure", "Report", "coverage", "validate"]
ENGINES = ("kordata", "frictionless")


def validate(path: str | Path | None = None, layers: tuple[int, ...] = (1, 2, 3), engine: str = "kordata") -> Report:
    """Validate the package at ``path`` (default: the installed one) and return the report.

    ``engine`` picks layer 1's implementation: "kordata" (fast, column-wise) or "frictionless".
    A package whose descriptor cannot be opened gives a report with one failure, not an exception.
    """
    if engine not in ENGINES:
        raise KordataError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        package = Package.open(path)
    except KordataError as exc:
        return Report(
            str(path),
            [CheckResult(1, "descriptor", "datapackage.json can be opened", [Failure("datapackage.json", "descriptor", str(exc))])],
        )
    report = Report(str(package.root))
    t = time.perf_counter()
    from .raw import RawTables

    raw = RawTables(package, eager=False)
    timings["read"] = time.perf_counter() - t
    timings["layer 1"] = timings["layer 2"] = 0.0
    if 1 in layers and engine == "frictionless":
        t = time.perf_counter()
        from . import frictionless_layer

        report.checks += frictionless_layer.run(package)
        timings["layer 1"] += time.perf_counter() - t
    if 2 in layers:
        t = time.perf_counter()
        from . import schema_layer

        timings["import pandera"] = time.perf_counter() - t
    from . import table_layer

    own_layer_1 = 1 in layers and engine == "kordata"
    schema_check, layer_2 = table_layer.table_schema_check(), []

    for name in package.table_names:  # one table at a time: its typed frame lives only for layers 1 and 2
        t = time.perf_counter()
        raw.read(name)
        timings["read"] += time.perf_counter() - t
        if own_layer_1:
            t = time.perf_counter()
            schema_check.failures += table_layer.table_schema_failures(package, raw, name)
            schema_check.seconds += time.perf_counter() - t
        if 2 in layers:
            t = time.perf_counter()
            layer_2.append(schema_layer.check_table(package, raw, name))
            timings["layer 2"] += time.perf_counter() - t
        raw.release_typed(name)
    if own_layer_1:
        t = time.perf_counter()
        report.checks += [table_layer.integrity_check(package, raw), schema_check, table_layer.foreign_key_check(package, raw)]
        timings["layer 1"] += time.perf_counter() - t + schema_check.seconds
    report.checks += layer_2
    if 3 in layers:
        from . import integrity

        t = time.perf_counter()
        report.checks += integrity.run(package, raw)
        timings["layer 3"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    report.timings = timings
    return report


def coverage(path: str | Path | None = None):
    """One row per sentence of the package at ``path``: sentence id, document, whether it carries
    content, its text, and the ids of the events, statements and claims whose spans overlap it."""
    from .integrity import Context
    from .integrity import coverage as sentence_coverage
    from .raw import RawTables

    package = Package.open(path)
    return sentence_coverage(Context(package, RawTables(package)))

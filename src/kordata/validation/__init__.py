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

__all__ = ["validate", "Report", "Failure", "CheckResult", "ENGINES"]
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
        return Report(str(path), [CheckResult(1, "descriptor", "datapackage.json can be opened", [Failure("datapackage.json", "descriptor", str(exc))])])
    report = Report(str(package.root))
    t = time.perf_counter()
    from .raw import RawTables
    raw = RawTables(package)
    timings["read"] = time.perf_counter() - t
    if 1 in layers:
        t = time.perf_counter()
        if engine == "frictionless":
            from . import frictionless_layer
            report.checks += frictionless_layer.run(package)
        else:
            from . import table_layer
            report.checks += table_layer.run(package, raw)
        timings["layer 1"] = time.perf_counter() - t
    if 2 in layers:
        t = time.perf_counter()
        from . import schema_layer
        timings["import pandera"] = time.perf_counter() - t
        t = time.perf_counter()
        report.checks += schema_layer.run(package, raw)
        timings["layer 2"] = time.perf_counter() - t
    if 3 in layers:
        from . import integrity
        t = time.perf_counter()
        report.checks += integrity.run(package, raw)
        timings["layer 3"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    report.timings = timings
    return report

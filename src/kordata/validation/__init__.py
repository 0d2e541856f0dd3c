"""Layered validation of a kordata package. ``validate()`` runs all three layers and returns a Report.

Layer 1 runs frictionless; layer 2 runs pandera schemas derived from schemas/*.json; layer 3
runs cross-table and provenance checks. Nothing is modified. See kordata.validation.report.
"""
from __future__ import annotations

import time
from pathlib import Path

from ..errors import KordataError
from ..package import Package
from .report import CheckResult, Failure, Report

__all__ = ["validate", "Report", "Failure", "CheckResult"]


def validate(path: str | Path | None = None, layers: tuple[int, ...] = (1, 2, 3)) -> Report:
    """Validate the package at ``path`` (default: the installed one) and return the report.

    A package whose descriptor cannot be opened gives a report with one failure, not an exception.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        package = Package.open(path)
    except KordataError as exc:
        report = Report(str(path), [CheckResult(1, "descriptor", "datapackage.json can be opened", [Failure("datapackage.json", "descriptor", str(exc))])])
        return report
    report = Report(str(package.root))
    if 1 in layers:
        from . import frictionless_layer
        t = time.perf_counter()
        report.checks += frictionless_layer.run(package)
        timings["layer 1"] = time.perf_counter() - t
    if 2 in layers or 3 in layers:
        from .raw import RawTables
        t = time.perf_counter()
        raw = RawTables(package)
        timings["read"] = time.perf_counter() - t
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

"""Layer 1: everything Frictionless checks, by running frictionless itself on the package."""

from __future__ import annotations

import time

from ..package import DESCRIPTOR, Package
from .report import CheckResult, Failure


def run(package: Package) -> list[CheckResult]:
    started = time.perf_counter()
    result = CheckResult(1, "frictionless", "frictionless validate: types, constraints, primary and foreign keys, bytes and sha256")
    try:
        from frictionless import FrictionlessException, validate
    except ImportError as exc:  # pragma: no cover - frictionless is a dependency
        result.skipped = f"frictionless is not installed ({exc})"
        return [result]
    try:
        report = validate(str(package.root / DESCRIPTOR))
    except FrictionlessException as exc:
        result.failures.append(Failure("datapackage.json", "frictionless", str(exc)))
        report = None
    if report is not None:
        for error in report.errors:
            result.failures.append(Failure("datapackage.json", error.type, error.message))
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
    return [result]

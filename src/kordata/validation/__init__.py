"""Layered validation of a kordata package. ``validate()`` runs three layers and returns a Report.

Layer 1 checks the files and what Table Schema says (kordata.validation.report.LAYERS has the one
description of each layer): the package's shape against kordata's contract, each file's bytes
and sha256, kordata's byte rules, the header, each cell's type, vocabularies, patterns, ranges,
primary and foreign keys; with kordata's own column-wise engine or, with
``engine="frictionless"``, by running frictionless itself (remote or unsafe paths are refused
before it runs, and kordata's own file rules are still applied). Layer 2 checks what Table
Schema cannot say about one table: rules across the fields of a row (pandera), canonical values
and characters. Layer 3 checks meaning: spans against the text, what the text says, codes
against references, links between tables, released versions. Nothing is modified.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import KordataError
from ..package import Package
from .report import CheckResult, Failure, Report

__all__ = ["ENGINES", "CheckResult", "Failure", "Report", "coverage", "validate"]
ENGINES = ("kordata", "frictionless")


def validate(
    path: str | Path | None = None,
    layers: tuple[int, ...] = (1, 2, 3),
    engine: str = "kordata",
    reference: str | Path | None = None,
) -> Report:
    """Validate the package at ``path`` (default: the installed one) and return the report.

    ``engine`` picks layer 1's implementation: "kordata" (fast, column-wise) or "frictionless".
    ``reference`` is the trusted package the copy is held to (expected resources, released
    versions): default, the package installed with kordata.
    A package whose descriptor cannot be opened gives a report with one failure, not an exception.
    """
    if engine not in ENGINES:
        raise KordataError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if not set(layers) <= {1, 2, 3}:
        raise KordataError(f"unknown layer in {layers!r}; layers are 1, 2 and 3")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        package = Package.open(path)
    except KordataError as exc:
        return Report(
            str(path),
            [CheckResult(1, "descriptor", "datapackage.json can be opened", [Failure("datapackage.json", "descriptor", str(exc))])],
        )
    from .raw import RawTables
    from .shape import shape_check, trusted_root

    trusted = trusted_root(reference)
    report = Report(str(package.root))
    raw = RawTables(package, eager=False)
    timings["read"] = timings["layer 1"] = timings["layer 2"] = 0.0
    shape = shape_check(package, trusted)
    if 1 in layers:
        report.checks.append(shape)
    if 1 in layers and engine == "frictionless":
        t = time.perf_counter()
        from . import frictionless_layer

        report.checks += frictionless_layer.run(package, raw, shape)
        timings["layer 1"] += time.perf_counter() - t
    if 2 in layers:
        t = time.perf_counter()
        from . import schema_layer

        timings["import pandera"] = time.perf_counter() - t
    from . import table_layer

    own_layer_1 = 1 in layers and engine == "kordata"
    schema_check, layer_2 = table_layer.table_schema_check(), []
    forms = CheckResult(2, "cell-forms", "numbers, integers, booleans and dates are written as kordata writes them (canonical)")
    characters = CheckResult(
        2, "characters", "no control, format (zero-width, bidirectional), default-ignorable or private-use character in a text cell"
    )

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
            forms.failures += schema_layer.cell_form_failures(package, raw, name)
            characters.failures += schema_layer.character_failures(package, raw, name)
            timings["layer 2"] += time.perf_counter() - t
        raw.release_typed(name)
    if own_layer_1:
        t = time.perf_counter()
        report.checks += [table_layer.integrity_check(package, raw), schema_check, table_layer.foreign_key_check(package, raw)]
        timings["layer 1"] += time.perf_counter() - t + schema_check.seconds
    if 2 in layers:
        report.checks += [*layer_2, forms, characters]
    if 3 in layers:
        from . import integrity

        t = time.perf_counter()
        report.checks += integrity.run(package, raw, trusted)
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
    raw = RawTables(package)
    if raw.frames.get("sentences") is None:
        reason = next((f.message for f in raw.failures if f.table == "sentences"), raw.unreadable.get("sentences", "it cannot be read"))
        raise KordataError(f"table 'sentences' of {package.root}: {reason}; run kordata validate")
    return sentence_coverage(Context(package, raw))

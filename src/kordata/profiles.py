"""The official Data Package v2 profiles (JSON Schema) and a descriptor's problems against them.

The profiles are read from dplib-py (``dplib/profiles/2.0/``), which ships the standard's own files
unchanged (compared byte for byte with frictionlessdata/datapackage in tests/test_clients_standard.py),
so kordata keeps no copy. ``jsonschema`` (a dependency of frictionless and dplib-py) checks them; it is
imported on first use, never by ``import kordata``.

Commands that read the descriptor's metadata (info, cite, serve, refresh) call
``require_valid_descriptor`` first: a descriptor that breaks the profile (``"licenses": null``, a
title that is a number) is a one-line PackageError naming the property, never a crash further on.
``kordata validate`` reports the same problems as failures of the package-shape check.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from .errors import PackageError

PROFILE_VERSION = "2.0"
MAX_PROBLEMS = 20  # a descriptor broken everywhere is reported by its first problems, in document order


@cache
def _validator(name: str) -> Any:
    import jsonschema

    profile = json.loads((files("dplib") / "profiles" / PROFILE_VERSION / f"{name}.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(profile)


def profile_problems(document: object, name: str = "datapackage") -> list[tuple[str, str]]:
    """(property path, message) for each way ``document`` breaks the official v2 profile ``name``
    (datapackage, dataresource, tableschema or tabledialect); [] when it conforms."""
    try:
        errors = sorted(_validator(name).iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    except RecursionError:
        return [("", "nested too deeply to check against the profile")]
    return [("/".join(map(str, e.absolute_path)) or "(top level)", e.message[:200]) for e in errors[:MAX_PROBLEMS]]


def require_valid_descriptor(pkg: Any) -> None:
    """Raise PackageError (one line: the file, the property, the problem) unless the package's
    descriptor conforms to the Data Package v2 profile."""
    problems = profile_problems(pkg.descriptor)
    if problems:
        where, message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise PackageError(
            f"{pkg.root / 'datapackage.json'}: {where}: {message}{more}: not a Data Package v2 descriptor (run kordata validate)"
        )

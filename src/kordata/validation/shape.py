"""Layer 1: the package's shape, part of kordata's contract with its users.

A copy of the package must have the resources kordata expects, each exactly once, each a CSV file
inside the package with ``bytes`` and a ``sha256`` hash, its Table Schema by path into
``schemas/``, a name usable as a file name, and no dialect or encoding that would make a reader
see other cells than kordata does. Nothing here switches a check off: a missing, renamed,
duplicated or inlined resource, a removed hash or an unusable schema is a failure.

The expected resources come from a trusted reference, never from the copy under test: the
release manifest of the version the copy claims, when kordata ships one (a released version's
tables are fixed), otherwise the resource list of the package kordata itself ships (the contract
of this version of the code). Both come from the installed kordata (``Package.open()``'s folder:
the wheel's ``kordata/_data``, or the repository of an editable install), unless the caller
names another trusted root.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import KordataError
from ..package import DESCRIPTOR, STANDARD_PROFILES, Package, default_root, safe_path
from ..profiles import profile_problems
from .report import CheckResult, Failure

RESOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")  # a table name: also a file name in every export
HASH = re.compile(r"^sha256:[0-9a-f]{64}$")
# Dialect properties kordata's reader and frictionless read alike; any other value would make them disagree.
DIALECT = {
    "$schema": None,
    "delimiter": [","],
    "lineTerminator": ["\n", "\r\n"],
    "quoteChar": ['"'],
    "doubleQuote": [True],
    "skipInitialSpace": [False],
    "header": [True],
    "headerRows": [[1]],
    "caseSensitiveHeader": [True, False],
}
# Profiles a reader may know without fetching anything: Data Package v2 and v1 names and addresses.
PROFILE_NAMES = ("data-package", "tabular-data-package", "data-resource", "tabular-data-resource")


def profile_problem(value: object, where: str) -> str:
    """Why a ``$schema`` or ``profile`` value would make a reader fetch or trust something else ('' when fine)."""
    if value is None or value in PROFILE_NAMES or (isinstance(value, str) and value.startswith(STANDARD_PROFILES)):
        return ""
    return f"{where} {value!r} is not a Data Package profile kordata knows (a reader would fetch it)"


RESOURCE_DEFAULTS = {"type": "table", "scheme": "file", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "profile": None}


def trusted_root(reference: str | Path | None = None) -> Path | None:
    """The folder of the trusted package (the installed kordata's own, unless one is named)."""
    if reference is not None:
        return Path(reference)
    try:
        return default_root()
    except KordataError:
        return None


def expected_tables(package: Package, reference: Path | None) -> tuple[list[str], str]:
    """The tables a copy claiming ``package.version`` must have, and where that list comes from."""
    from ..releases import trusted_manifest

    if reference is None:
        return package.table_names, "the package itself (no trusted reference found)"
    try:
        released = trusted_manifest(reference, package.version)
    except KordataError:
        released = None  # an unreadable manifest is reported by the release check
    if released is not None:
        return list(released["tables"]), f"the release manifest of {package.version}"
    try:
        return Package.open(reference).table_names, f"the package kordata ships ({reference / DESCRIPTOR})"
    except KordataError:
        return package.table_names, "the package itself (the shipped package cannot be opened)"


def _resource_failures(package: Package, index: int, resource: dict, seen: set[str]) -> list[Failure]:
    failures: list[Failure] = []
    name = resource["name"]
    fail = lambda rule, message, value="": failures.append(Failure(name, rule, message, value=value))
    if not RESOURCE_NAME.match(name):
        fail("resource-name", "a resource name must be lower-case letters, digits and '_' (it names files in exports)", name)
    if name in seen:
        fail("resource-duplicated", f"resource {name!r} appears more than once (resources[{index}])")
    seen.add(name)
    if "data" in resource:
        fail("resource-inlined", "inline data is refused: every table is a CSV file in the package")
    path = resource.get("path")
    if not isinstance(path, str):
        fail("resource-path", "path must be one relative path to a CSV file", repr(path))
    else:
        try:
            safe_path(package.root, path, f"resource {name!r}")
        except KordataError as exc:
            fail("resource-path", str(exc), path)
    for key, default in RESOURCE_DEFAULTS.items():
        if key in resource and default is not None and str(resource[key]).lower() != default:
            fail("resource-format", f"{key} must be {default!r}", str(resource[key]))
    for key in ("$schema", "profile"):
        problem = profile_problem(resource.get(key), key)
        if problem:
            fail("resource-profile", problem, str(resource.get(key))[:80])
    if "compression" in resource:
        fail("resource-format", "compressed resources are refused", str(resource["compression"]))
    size = resource.get("bytes")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        fail("resource-bytes", "bytes must be the file's size, a non-negative integer", repr(size))
    digest = resource.get("hash")
    if not isinstance(digest, str) or not HASH.match(digest):
        fail("resource-hash", "hash must be 'sha256:' and the file's 64 hexadecimal digits", repr(digest))
    schema = resource.get("schema")
    if not isinstance(schema, str) or not schema.startswith("schemas/") or not schema.endswith(".json"):
        fail("resource-schema", "schema must be the path of a JSON file in schemas/ (not inline, not elsewhere)", repr(schema)[:80])
    else:
        try:
            table_schema = package.schema(name)
        except KordataError as exc:
            fail("schema", str(exc), schema)
        else:
            for where, message in profile_problems(table_schema, "tableschema"):
                fail("schema-profile", f"{schema}: {where}: {message} (the Data Package v2 Table Schema profile)", schema)
    dialect = resource.get("dialect")
    if dialect is not None:
        if not isinstance(dialect, dict):
            fail("resource-dialect", "dialect must be an object", repr(dialect)[:80])
        else:
            for key, value in dialect.items():
                allowed = DIALECT.get(key, ())
                if allowed is not None and value not in allowed:
                    fail("resource-dialect", f"dialect {key} {value!r} is not how kordata writes its tables", str(value))
    return failures


def shape_failures(package: Package, reference: Path | None) -> list[Failure]:
    """Every way the descriptor departs from the package shape kordata promises."""
    from ..releases import parse_version

    failures: list[Failure] = []
    d = package.descriptor
    try:
        parse_version(package.version)
    except KordataError as exc:
        failures.append(Failure(DESCRIPTOR, "version", str(exc), value=package.version))
    for key in ("$schema", "profile"):
        problem = profile_problem(d.get(key), key)
        if problem:
            failures.append(Failure(DESCRIPTOR, "profile", problem, value=str(d.get(key))[:80]))
    for where, message in profile_problems(d):
        failures.append(Failure(DESCRIPTOR, "descriptor-profile", f"{where}: {message} (the Data Package v2 profile)"))
    resources = d["resources"]
    if not resources:
        failures.append(Failure(DESCRIPTOR, "resources-empty", "the descriptor lists no resources"))
    seen: set[str] = set()
    for index, resource in enumerate(resources):
        failures += _resource_failures(package, index, resource, seen)
    expected, source = expected_tables(package, reference)
    names = [r["name"] for r in resources]
    for name in expected:
        if name not in names:
            failures.append(Failure(name, "resource-missing", f"the package has no resource {name!r}, which {source} lists"))
    for name in dict.fromkeys(names):
        if name not in expected:
            failures.append(Failure(name, "resource-unexpected", f"resource {name!r} is not one of the tables {source} lists"))
    return failures


def shape_check(package: Package, reference: Path | None) -> CheckResult:
    return CheckResult(
        1,
        "package",
        "the expected resources, each once, as CSV files in the package with bytes, sha256 and a usable schema in schemas/",
        shape_failures(package, reference),
    )

"""Layer 3: a copy that claims a released version is that release.

The trusted releases are those of the installed kordata (``releases/`` and the ledger in
``CHANGELOG.md`` beside its datapackage.json; see kordata.releases), or of a trusted root the
caller names. When the copy's version has a trusted manifest, the copy's descriptor, schema
files and seed texts must have the sha256 the manifest records (format 2), and every table its
released rows: a changed, added or removed row is named by table and id (and by column, when the
trusted root holds that release's data). A version the ledger records as released whose manifest
is missing or altered fails. A version with no manifest is not released: nothing to compare.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import KordataError
from ..package import DESCRIPTOR, Package
from ..releases import (
    RELEASES,
    DiffError,
    _rows,
    file_sha256,
    ledger,
    load_manifest,
    manifest_path,
    parse_version,
    read_changelog,
    released_document_seeds,
    row_hash,
    seed_paths,
)
from .raw import RawTables
from .report import CheckResult, Failure

DESCRIPTION = "a copy claiming a released version has that release's descriptor, schemas, seeds and rows"


def _released_rows(reference: Path, version: str, table: str) -> dict[str, dict[str, str]]:
    """The released rows of a table, when the trusted root holds that very release (else {})."""
    try:
        trusted = Package.open(reference)
        return _rows(trusted, table)[1] if trusted.version == version and table in trusted.table_names else {}
    except KordataError:
        return {}


def _table_failures(package: Package, raw: RawTables, reference: Path, version: str, table: str, info: dict) -> list[Failure]:
    if table not in package.table_names:
        return []  # the package check reports a missing resource
    digest = raw.file_stats.get(table, (0, ""))[1]
    if not digest:
        try:
            digest = file_sha256(package.csv_path(table), f"table {table!r}")
        except KordataError:
            return []  # unreadable: layer 1 reports it
    if digest == info["sha256"]:
        return []
    try:
        _, rows, _ = _rows(package, table)
    except KordataError as exc:
        return [Failure(table, "released-table", f"differs from release {version} and cannot be compared row by row: {exc}")]
    failures = []
    old = _released_rows(reference, version, table)
    rows_by_position = {rid: i for i, rid in enumerate(rows)}
    for rid, released_hash in info["rows"].items():
        if rid not in rows:
            failures.append(Failure(table, "released-row", f"row released in {version} is gone", row_id=rid))
        elif row_hash(rows[rid]) != released_hash:
            changed = [c for c in rows[rid] if rid in old and old[rid].get(c) != rows[rid].get(c)]
            for column in changed or [""]:
                failures.append(
                    Failure(
                        table,
                        "released-row",
                        f"differs from the row released in {version}" + (f" (released value: {old[rid].get(column)!r})" if column else ""),
                        row=rows_by_position[rid] + 2,
                        row_id=rid,
                        column=column,
                        value=str(rows[rid].get(column, "")) if column else "",
                    )
                )
    for rid in rows:
        if rid not in info["rows"]:
            failures.append(Failure(table, "released-row", f"row not in release {version}", row=rows_by_position[rid] + 2, row_id=rid))
    if not failures:
        failures.append(Failure(table, "released-table", f"the file differs from release {version} (same rows, other bytes)"))
    return failures


def _manifest_failure(root: Path, version: str, recorded_sha: str, where: str) -> Failure | None:
    """Why the manifest of a released ``version`` at ``root`` is not the one the ledger records (None when it is)."""
    path = manifest_path(root, version)
    name = f"{RELEASES}/{version}.json"
    if not path.exists():
        return Failure(name, "release-manifest", f"{where}: version {version} was released (CHANGELOG.md records it) but {path} is missing")
    try:
        if file_sha256(path, "release manifest") != recorded_sha:
            return Failure(name, "release-manifest", f"{where}: {path} differs from the sha256 CHANGELOG.md records: altered")
        load_manifest(path)
    except KordataError as exc:
        return Failure(name, "release-manifest", f"{where}: {exc}")
    return None


def ledger_failures(package: Package, reference: Path) -> list[Failure]:
    """Every release the ledger records, at the trusted root and in the copy: its manifest present, UTF-8,
    well formed and with the sha256 CHANGELOG.md records. A manifest the copy ships for a version the
    trusted ledger records must be the trusted one, whatever the copy's own CHANGELOG says."""
    failures: list[Failure] = []
    roots = [(reference, "trusted releases")]
    if package.root.resolve() != reference.resolve():
        roots.append((package.root, "the copy's releases"))
    trusted: dict[str, str] = {}
    for root, where in roots:
        try:
            recorded = ledger(read_changelog(root))
        except KordataError as exc:
            failures.append(Failure("CHANGELOG.md", "release-ledger", f"{where}: {exc}"))
            continue
        if root is reference:
            trusted = recorded
        for version, sha in recorded.items():
            try:
                failure = _manifest_failure(root, version, sha, where)
            except KordataError as exc:
                failure = Failure("CHANGELOG.md", "release-ledger", f"{where}: {exc}")
            if failure is not None:
                failures.append(failure)
    if len(roots) == 2:
        for version, sha in trusted.items():
            path = package.root / RELEASES / f"{version}.json"
            if path.exists() or path.is_symlink():
                failure = _manifest_failure(package.root, version, sha, "the copy's releases (against the trusted ledger)")
                if failure is not None and failure not in failures:
                    failures.append(failure)
    return failures


def pinned_seed_failures(package: Package, raw: RawTables, reference: Path) -> list[Failure]:
    """A document a release holds keeps its text: in every later version its ``documents.sha256`` (and
    its seed file's bytes) equal what the last trusted release holding it records."""
    try:
        current = parse_version(package.version)
        recorded = ledger(read_changelog(reference))
    except KordataError:
        return []  # the package check and ledger_failures report it
    pinned: dict[str, tuple[str, str]] = {}  # document id -> (version, sha256), the latest release wins
    for version in sorted(recorded, key=_version_key):
        try:
            if parse_version(version) > current:
                continue
            released = load_manifest(manifest_path(reference, version))
        except KordataError:
            continue  # ledger_failures reports it
        for document, sha in released_document_seeds(released).items():
            pinned[document] = (version, sha)
    if not pinned or "documents" not in package.table_names:
        return []
    try:
        _, rows, _ = _rows(package, "documents")
    except KordataError:
        return []  # layer 1 reports an unreadable table
    failures = []
    for position, (rid, row) in enumerate(rows.items()):
        if rid not in pinned:
            continue
        version, sha = pinned[rid]
        if row.get("sha256") != sha:
            message = f"the text of {rid} was released in {version} with sha256 {sha}: a released document's text never changes"
            failures.append(
                Failure("documents", "released-seed", message, row=position + 2, row_id=rid, column="sha256", value=row.get("sha256", ""))
            )
            continue
        try:
            actual = file_sha256(package.file(row.get("path", ""), "seed"), f"seed of {rid}")
        except KordataError:
            continue  # the seed check reports an unreadable seed
        if actual != sha:
            message = f"the seed file {row.get('path')} is not the text of {rid} released in {version} (sha256 {sha})"
            failures.append(
                Failure("documents", "released-seed", message, row=position + 2, row_id=rid, column="path", value=row.get("path", ""))
            )
    return failures


def _version_key(version: str):
    try:
        return (0, parse_version(version))
    except KordataError:
        return (1, version)


def release_failures(package: Package, raw: RawTables, reference: Path | None) -> tuple[list[Failure], str]:
    """The failures, and a note on what was compared."""
    if reference is None:
        return [], "no trusted releases found"
    version = package.version
    failures: list[Failure] = ledger_failures(package, reference) + pinned_seed_failures(package, raw, reference)
    try:
        path = manifest_path(reference, version)
    except KordataError:
        return [], "the version cannot name a release (the package check reports it)"
    try:
        recorded = ledger(read_changelog(reference))
    except KordataError:
        recorded = {}  # ledger_failures reports it
    if version in recorded and not path.exists():
        return failures, f"version {version} is released"
    if not path.exists():
        anchored = _unreleased_failures(package, reference)
        if anchored is None:
            return failures, f"version {version} is not released: nothing to compare"
        return failures + anchored, f"version {version} is not released: descriptor and schemas compared with the trusted package's"
    try:
        released = load_manifest(path)
    except KordataError as exc:
        failure = Failure(f"{RELEASES}/{version}.json", "release-manifest", f"trusted releases: {exc}")
        return [*failures, *([] if failure in failures else [failure])], f"version {version} is released"
    if released.get("format", 1) >= 2:
        failures += _file_failures(package, released, version)
        note = f"compared with the manifest of {version}"
    else:
        note = (
            f"compared with the manifest of {version}, which (format 1) records tables only; its seeds are pinned through documents.sha256"
        )
    for table, info in released["tables"].items():
        failures += _table_failures(package, raw, reference, version, table, info)
    return failures, note


def _file_failures(package: Package, released: dict, version: str) -> list[Failure]:
    failures = []

    def sha(path: Path, what: str) -> str:
        try:
            return file_sha256(path, what)
        except KordataError:
            return "(unreadable)"

    if sha(package.root / DESCRIPTOR, DESCRIPTOR) != released.get("descriptor"):
        failures.append(Failure(DESCRIPTOR, "released-descriptor", f"datapackage.json differs from the one released in {version}"))
    schemas = released.get("schemas", {})
    for table in package.table_names:
        try:
            path = package.schema_path(table)
        except KordataError:
            continue  # the package check reports it
        relative = str(path.relative_to(package.root))
        if relative not in schemas:
            failures.append(Failure(table, "released-schema", f"{relative} was not released in {version}", value=relative))
        elif sha(path, f"schema of {table!r}") != schemas[relative]:
            failures.append(Failure(table, "released-schema", f"{relative} differs from the schema released in {version}", value=relative))
    for relative in sorted(set(schemas) - {str(p) for p in _schema_paths(package)}):
        failures.append(Failure(DESCRIPTOR, "released-schema", f"{relative}, released in {version}, is not used", value=relative))
    seeds = released.get("seeds", {})
    try:
        current = seed_paths(package)
    except KordataError:
        current = []
    for relative in sorted(set(seeds) | set(current)):
        try:
            actual = sha(package.file(relative, "seed"), f"seed {relative}")
        except KordataError:
            actual = "(refused)"
        if seeds.get(relative) != actual:
            failures.append(
                Failure(
                    "documents",
                    "released-seed",
                    f"seed {relative} differs from the text released in {version}",
                    column="path",
                    value=relative,
                )
            )
    return failures


# What a copy of the same version may change in its descriptor: the bytes and hash of its files.
FILE_STATS = ("bytes", "hash")


def _without_file_stats(descriptor: object) -> object:
    """The descriptor without each resource's (and each described copy's) ``bytes`` and ``hash``."""
    if not isinstance(descriptor, dict):
        return descriptor
    out = dict(descriptor)
    if isinstance(out.get("resources"), list):
        out["resources"] = [
            {
                k: ({kk: vv for kk, vv in v.items() if kk not in FILE_STATS} if ":" in k and isinstance(v, dict) else v)
                for k, v in r.items()
                if k not in FILE_STATS
            }
            if isinstance(r, dict)
            else r
            for r in out["resources"]
        ]
    return out


def json_differences(ours: object, theirs: object, where: str = "", limit: int = 3) -> list[str]:
    """Where two JSON values differ, as readable paths with both values (at most ``limit``)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        out: list[str] = []
        for key in sorted(set(ours) | set(theirs), key=str):
            if key not in ours:
                out.append(f"{where}{key}: missing (trusted: {_short(theirs[key])})")
            elif key not in theirs:
                out.append(f"{where}{key}: added ({_short(ours[key])})")
            else:
                out += json_differences(ours[key], theirs[key], f"{where}{key}.", limit)
            if len(out) >= limit:
                break
        return out[:limit]
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        out = []
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            label = a.get("name", i) if isinstance(a, dict) and isinstance(b, dict) and a.get("name") == b.get("name") else i
            out += json_differences(a, b, f"{where}[{label}].", limit)
            if len(out) >= limit:
                break
        return out[:limit]
    if ours == theirs and type(ours) is type(theirs):
        return []
    return [f"{where.rstrip('.') or '(whole file)'}: {_short(ours)} (trusted: {_short(theirs)})"]


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def _unreleased_failures(package: Package, reference: Path) -> list[Failure] | None:
    """A copy of the trusted package's own (unreleased) version holds its descriptor (but for the files'
    bytes and hashes) and its schemas: they are this version's contract. None when there is nothing to
    anchor to (the copy is the trusted root, claims another version, or the trusted package cannot be opened)."""
    if package.root.resolve() == reference.resolve():
        return None  # a checkout validating itself is its own trusted root
    try:
        trusted = Package.open(reference)
    except KordataError:
        return None
    if trusted.version != package.version:
        return None
    failures = []
    for difference in json_differences(_without_file_stats(package.descriptor), _without_file_stats(trusted.descriptor)):
        failures.append(Failure(DESCRIPTOR, "trusted-descriptor", f"differs from the trusted package's {DESCRIPTOR}: {difference}"))
    for table in package.table_names:
        if table not in trusted.table_names:
            continue  # the shape check reports an unexpected resource
        try:
            ours, theirs = package.schema(table), trusted.schema(table)
            relative = str(package.schema_path(table).relative_to(package.root))
        except (KordataError, ValueError):
            continue  # the package check reports an unusable schema
        for difference in json_differences(ours, theirs):
            failures.append(
                Failure(table, "trusted-schema", f"{relative} differs from the trusted package's schema: {difference}", value=relative)
            )
    return failures


def _schema_paths(package: Package) -> list[Path]:
    out = []
    for table in package.table_names:
        try:
            out.append(package.schema_path(table).relative_to(package.root))
        except (KordataError, ValueError):
            continue
    return out


def release_check(package: Package, raw: RawTables, reference: Path | None) -> CheckResult:
    try:
        failures, note = release_failures(package, raw, reference)
    except DiffError as exc:
        failures, note = [Failure(DESCRIPTOR, "release-manifest", str(exc))], ""
    return CheckResult(3, "release", f"{DESCRIPTION} ({note})" if note else DESCRIPTION, failures)

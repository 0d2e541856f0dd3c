"""Release manifests, the release ledger, and diffs between two copies of the package.

A manifest (releases/<version>.json) records what a release contained. Format 2 (from 0.2.0):
``format``, ``version``, ``date``, the sha256 of ``datapackage.json``, of every schema file and of
every seed text, and per table the file's sha256 and a sha256 per row id. Format 1 (0.1.0, kept
byte for byte: it is released) has no ``format`` key and records only the tables; its rows pin
``documents.sha256`` and so, through the seed check, the seed text too.

The ledger is CHANGELOG.md: each released version's section carries the line
``Release manifest: `releases/<version>.json`, sha256 `<hex>```, written by the release tool. A
deleted or altered manifest shows there (and in git history); the release tool refuses to release
a version again, and validation fails a copy claiming a released version whose manifest is gone.

``diff`` compares two packages (or two releases' package folders) table by table: rows added,
removed and changed, with old and new values of each changed field.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

from .errors import KordataError, PackageError
from .fileio import read_regular
from .package import DESCRIPTOR, Package, parse_json

MANIFEST_FORMAT = 2
CHANGELOG = "CHANGELOG.md"
RELEASES = "releases"
MAX_TABLE_BYTES = 4_000_000_000
MAX_CHANGELOG_BYTES = 5_000_000
MAX_FIELD_CHARS = 1_000_000  # a cell longer than this is refused (kordata.validation.raw has the same limit)
LEDGER_LINE = re.compile(r"^Release manifest: `releases/(?P<version>[^`/\\]+)\.json`, sha256 `(?P<sha>[0-9a-f]{64})`", re.M)
HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>.+))?$", re.M)


class DiffError(KordataError):
    """A table that ``diff`` cannot compare (missing, unreadable, malformed, without its key column)."""


def _table_text(pkg: Package, name: str, what: str) -> str:
    try:
        data = read_regular(pkg.csv_path(name), what, MAX_TABLE_BYTES)
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DiffError(f"{what}: {pkg.csv_path(name)} is not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _rows(pkg: Package, name: str, what: str = "") -> tuple[list[str], dict[str, dict[str, str]], list[str]]:
    """Header, rows (by primary key) and duplicated ids of a table, as written: every cell a string.
    DiffError names the file when it cannot be read as the table."""
    what = what or f"table {name!r} of {pkg.root}"
    text = _table_text(pkg, name, what)
    key = pkg.primary_key(name)
    previous = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS + 1)  # as validation: a longer cell is refused
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = list(reader.fieldnames or [])
        if key not in header:
            raise DiffError(f"{what}: the file has no key column {key!r} (header: {', '.join(header[:8]) or 'none'})")
        rows: dict[str, dict[str, str]] = {}
        duplicates: list[str] = []
        for row in reader:
            if None in row or any(v is None for v in row.values()):
                raise DiffError(f"{what}: line {reader.line_num} does not have the header's {len(header)} cells")
            if row[key] in rows:
                duplicates.append(row[key])
            rows[row[key]] = row
    except csv.Error as exc:
        raise DiffError(f"{what}: not a readable CSV file ({exc})") from None
    finally:
        csv.field_size_limit(previous)
    return header, rows, duplicates


def row_hash(row: dict[str, str]) -> str:
    return hashlib.sha256("\x1f".join(f"{k}={v}" for k, v in row.items()).encode("utf-8")).hexdigest()


def listed_files(pkg: Package) -> list[str]:
    """Every local file datapackage.json lists, in order: each resource's data file and schema, the
    files its custom properties describe (an object with a path, such as ``kordata:parquet``), and
    the sources with a local path."""
    paths: list[object] = []
    for resource in pkg.descriptor["resources"]:
        paths += [resource.get("path"), resource.get("schema")]
        paths += [value.get("path") for key, value in resource.items() if ":" in key and isinstance(value, dict)]
    paths += [source.get("path") for source in pkg.descriptor.get("sources", []) if isinstance(source, dict)]
    local = [p for p in paths if isinstance(p, str) and p and "://" not in p]
    return list(dict.fromkeys(local))


def file_sha256(path: Path, what: str) -> str:
    return hashlib.sha256(read_regular(path, what, MAX_TABLE_BYTES)).hexdigest()


def seed_paths(pkg: Package) -> list[str]:
    """The seed files the documents table names, as written."""
    if "documents" not in pkg.table_names:
        return []
    _, rows, _ = _rows(pkg, "documents")
    return sorted({row.get("path", "") for row in rows.values()})


# Format-1 manifests record only row hashes, so the seed sha256 of each document they released is
# pinned here, once. It was read from that release's documents.csv (git show 12ea6f8:data/documents.csv),
# whose row hash is the one releases/0.1.0.json records (tests/test_releases.py checks the pin against
# the row hash of the current row when that row is unchanged, and against the seed file).
FORMAT_1_DOCUMENT_SEEDS = {"0.1.0": {"doc-0001": "94deacee7d484023c5e558876479a8bc1e563cbeca1130e51226c0885e0a7c1e"}}


def document_seeds(pkg: Package) -> dict[str, str]:
    """Document id -> the sha256 of its seed text, as the documents table records it."""
    if "documents" not in pkg.table_names:
        return {}
    return {rid: row.get("sha256", "") for rid, row in _rows(pkg, "documents")[1].items()}


def released_document_seeds(released: dict) -> dict[str, str]:
    """Document id -> seed sha256 for every document a manifest released (format 2: its ``documents``;
    format 1: the pin above)."""
    if isinstance(released.get("documents"), dict):
        return {k: v for k, v in released["documents"].items() if isinstance(v, str)}
    return dict(FORMAT_1_DOCUMENT_SEEDS.get(released.get("version", ""), {}))


def manifest(pkg: Package, date: str) -> dict:
    """The release manifest of the package as it is now (format 2): the descriptor's, every schema's and
    seed's sha256, per table the CSV's sha256 and a hash per row, and per listed file (CSVs, schemas,
    Parquet copies, seeds: listed_files) its sha256."""
    tables = {}
    for name in pkg.table_names:
        _, rows, duplicates = _rows(pkg, name)
        if duplicates:
            raise KordataError(f"table {name!r} has duplicated ids ({', '.join(duplicates[:5])}): run kordata validate")
        tables[name] = {
            "sha256": file_sha256(pkg.csv_path(name), f"table {name!r}"),
            "rows": {rid: row_hash(row) for rid, row in rows.items()},
        }
    return {
        "format": MANIFEST_FORMAT,
        "version": pkg.version,
        "date": date,
        "descriptor": file_sha256(pkg.root / DESCRIPTOR, DESCRIPTOR),
        "schemas": {
            str(pkg.schema_path(n).relative_to(pkg.root)): file_sha256(pkg.schema_path(n), f"schema of {n!r}") for n in pkg.table_names
        },
        "seeds": {p: file_sha256(pkg.file(p, "seed"), f"seed {p}") for p in seed_paths(pkg)},
        "documents": document_seeds(pkg),
        "tables": tables,
        "files": {path: file_sha256(pkg.file(path, "listed file"), f"listed file {path}") for path in listed_files(pkg)},
    }


def render_manifest(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def load_manifest(path: Path) -> dict:
    """A release manifest, strictly parsed; PackageError naming the file when it is malformed."""
    data: Any = parse_json(read_regular(path, "release manifest", 200_000_000), path, "release manifest")
    ok = (
        isinstance(data, dict)
        and isinstance(data.get("version"), str)
        and isinstance(data.get("tables"), dict)
        and all(
            isinstance(t, dict) and isinstance(t.get("sha256"), str) and isinstance(t.get("rows"), dict) for t in data["tables"].values()
        )
        and all(isinstance(data.get(k, {}), dict) for k in ("schemas", "seeds"))
        and isinstance(data.get("descriptor", ""), str)
    )
    if not ok:
        raise PackageError(f"release manifest {path} is malformed: it needs version, and tables with sha256 and rows")
    if path.stem != data["version"]:
        raise PackageError(f"release manifest {path} records version {data['version']!r}, not {path.stem!r}")
    return data


def read_changelog(root: Path) -> str:
    """CHANGELOG.md at ``root`` ('' when there is none); KordataError when it is not a readable UTF-8 file."""
    path = root / CHANGELOG
    if not path.exists():
        return ""
    data = read_regular(path, CHANGELOG, MAX_CHANGELOG_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KordataError(f"{path} is not UTF-8 ({exc.reason} at byte {exc.start})") from None


def ledger(changelog: str) -> dict[str, str]:
    """Released version -> sha256 of its manifest, as CHANGELOG.md records them."""
    return {m["version"]: m["sha"] for m in LEDGER_LINE.finditer(changelog)}


def ledger_line(version: str, sha: str) -> str:
    return f"Release manifest: `releases/{version}.json`, sha256 `{sha}`"


def manifest_path(root: Path, version: str) -> Path:
    if not re.fullmatch(r"[A-Za-z0-9.+_-]+", version or ""):
        raise PackageError(f"version {version!r} cannot name a release manifest")
    return root / RELEASES / f"{version}.json"


def trusted_manifest(root: Path, version: str) -> dict | None:
    """The manifest of ``version`` among the trusted releases at ``root`` (None when not released)."""
    try:
        path = manifest_path(root, version)
    except PackageError:
        return None
    return load_manifest(path) if path.exists() else None


def ledger_problems(root: Path) -> list[str]:
    """Released versions whose manifest is missing or differs from the sha256 CHANGELOG.md records."""
    problems = []
    for version, sha in ledger(read_changelog(root)).items():
        path = manifest_path(root, version)
        if not path.exists():
            problems.append(f"version {version} was released (CHANGELOG.md records its manifest) but {RELEASES}/{version}.json is missing")
        elif file_sha256(path, "release manifest") != sha:
            problems.append(f"{RELEASES}/{version}.json differs from the sha256 CHANGELOG.md records for it: it was altered")
    return problems


def diff(old: str | Path, new: str | Path) -> dict:
    """Per table: added and removed ids, changed rows with {field: [old, new]}, added and removed
    columns, and ids that appear more than once in either package. DiffError (one line naming the
    file) when a table cannot be compared."""
    a, b = Package.open(old), Package.open(new)
    tables: dict[str, dict] = {}
    out = {"old": a.version, "new": b.version, "tables": tables}
    for name in dict.fromkeys(a.table_names + b.table_names):
        head_a, rows_a, dup_a = _rows(a, name, f"table {name!r} of {old}") if name in a.table_names else ([], {}, [])
        head_b, rows_b, dup_b = _rows(b, name, f"table {name!r} of {new}") if name in b.table_names else ([], {}, [])
        changed = {}
        for rid in rows_a.keys() & rows_b.keys():
            fields = {
                f: [rows_a[rid].get(f), rows_b[rid].get(f)]
                for f in dict.fromkeys(head_a + head_b)
                if rows_a[rid].get(f) != rows_b[rid].get(f)
            }
            if fields:
                changed[rid] = fields
        tables[name] = {
            "added": sorted(rows_b.keys() - rows_a.keys()),
            "removed": sorted(rows_a.keys() - rows_b.keys()),
            "changed": dict(sorted(changed.items())),
            "columns_added": [c for c in head_b if c not in head_a],
            "columns_removed": [c for c in head_a if c not in head_b],
            "duplicated_ids": {"old": sorted(set(dup_a)), "new": sorted(set(dup_b))},
        }
    return out


def diff_text(result: dict) -> str:
    lines = [f"kordata diff {result['old']} -> {result['new']}"]
    for name, t in result["tables"].items():
        duplicated = t.get("duplicated_ids", {})
        if not any(v for k, v in t.items() if k != "duplicated_ids") and not any(duplicated.values()):
            lines.append(f"{name}: unchanged")
            continue
        lines.append(f"{name}: {len(t['added'])} added, {len(t['removed'])} removed, {len(t['changed'])} changed")
        lines += [f"  + {rid}" for rid in t["added"]] + [f"  - {rid}" for rid in t["removed"]]
        lines += [f"  + column {c}" for c in t["columns_added"]] + [f"  - column {c}" for c in t["columns_removed"]]
        for side in ("old", "new"):
            lines += [f"  ! duplicated id in {side}: {rid}" for rid in duplicated.get(side, [])]
        for rid, fields in t["changed"].items():
            for field, (old, new) in fields.items():
                lines.append(f"  ~ {rid}.{field}: {old!r} -> {new!r}")
    return "\n".join(lines)


def parse_version(version: str):
    """A version parsed by ``packaging`` (PEP 440, which also reads SemVer pre-releases such as
    1.0.0-rc.1); KordataError for anything else."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version)
    except (InvalidVersion, TypeError):
        raise KordataError(f"version {version!r} is not a valid version (MAJOR.MINOR.PATCH, optionally with a pre-release)") from None


def breaking_part(version: str) -> tuple[int, int]:
    """The part of a version whose bump allows breaking changes: MAJOR, or MINOR before 1.0.0."""
    parsed = parse_version(version)
    major, minor = parsed.major, parsed.minor
    return (major, 0) if major >= 1 else (0, minor)


def changelog_entry(changelog: str, version: str) -> str:
    """The text of CHANGELOG.md's section for ``version`` ('' when there is none)."""
    marker = f"## [{version}]"
    return changelog.split(marker, 1)[1].split("\n## [", 1)[0] if marker in changelog else ""


def changelog_heading(changelog: str, version: str) -> str | None:
    """The date part of ``## [version] - <date>`` ('Unreleased' or a date), None without a heading."""
    for match in HEADING.finditer(changelog):
        if match["version"] == version:
            return (match["date"] or "").strip()
    return None


def _named_since(changelog: str, table: str, released: str, current: str) -> bool:
    """Whether an entry of a version after ``released``, up to ``current``, names ``table``."""
    low, high = parse_version(released), parse_version(current)
    for match in HEADING.finditer(changelog):
        try:
            version = parse_version(match["version"])
        except KordataError:
            continue
        if low < version <= high and table in changelog_entry(changelog, match["version"]):
            return True
    return False


def immutability_problems(root: Path) -> list[str]:
    """What breaks the release rules in the repository at ``root``: released ids gone without a
    breaking bump (against every release); rows of the newest release changed without a version
    bump and a changelog entry naming the table."""
    current = Package.open(root)
    now = {name: {rid: row_hash(row) for rid, row in _rows(current, name)[1].items()} for name in current.table_names}
    changelog = read_changelog(root)
    problems = []
    folder = root / RELEASES
    manifests = [load_manifest(path) for path in sorted(folder.glob("*.json"))] if folder.is_dir() else []
    latest = max((m["version"] for m in manifests), key=parse_version, default=None)
    for released in manifests:
        for table, info in released["tables"].items():
            rows_now = now.get(table, {})
            gone = sorted(set(info["rows"]) - set(rows_now))
            if gone and breaking_part(current.version) <= breaking_part(released["version"]):
                problems.append(f"{table}: ids released in {released['version']} are gone without a MAJOR bump: {', '.join(gone)}")
            if released["version"] != latest:  # changes are judged against the newest release; ids against every one
                continue
            changed = sorted(rid for rid, h in info["rows"].items() if rid in rows_now and rows_now[rid] != h)
            if changed and current.version == released["version"]:
                problems.append(f"{table}: rows released in {released['version']} changed without a version bump: {', '.join(changed)}")
            elif changed and not _named_since(changelog, table, released["version"], current.version):
                problems.append(
                    f"{table}: rows changed since {released['version']} but no CHANGELOG.md entry after it names the table "
                    f"(up to [{current.version}])"
                )
    return problems

"""Release manifests and diffs between two copies of the package.

A manifest (releases/<version>.json) records what a release contained: version, date, and per
table the file's sha256 and a sha256 per row id. ``diff`` compares two packages (or two
releases' package folders) table by table: rows added, removed and changed, with old and new
values of each changed field.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

from .errors import KordataError
from .package import Package


def _rows(pkg: Package, name: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Header and rows (by primary key) of a table, as written: every cell a string."""
    text = pkg.csv_path(name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    key = pkg.primary_key(name)
    return list(reader.fieldnames or []), {row[key]: row for row in reader}


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


def manifest(pkg: Package, date: str) -> dict:
    """What a release contains: per table the CSV's sha256 and a hash per row; per listed file (the
    CSVs, schemas, Parquet copies and seeds: listed_files) its sha256."""
    tables = {}
    for name in pkg.table_names:
        _, rows = _rows(pkg, name)
        tables[name] = {
            "sha256": hashlib.sha256(pkg.csv_path(name).read_bytes()).hexdigest(),
            "rows": {rid: row_hash(row) for rid, row in rows.items()},
        }
    files = {path: hashlib.sha256(pkg.file(path, "listed file").read_bytes()).hexdigest() for path in listed_files(pkg)}
    return {"version": pkg.version, "date": date, "tables": tables, "files": files}


def diff(old: str | Path, new: str | Path) -> dict:
    """Per table: added and removed ids, changed rows with {field: [old, new]}, added and removed columns."""
    a, b = Package.open(old), Package.open(new)
    tables: dict[str, dict] = {}
    out = {"old": a.version, "new": b.version, "tables": tables}
    for name in dict.fromkeys(a.table_names + b.table_names):
        head_a, rows_a = _rows(a, name) if name in a.table_names else ([], {})
        head_b, rows_b = _rows(b, name) if name in b.table_names else ([], {})
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
        }
    return out


def diff_text(result: dict) -> str:
    lines = [f"kordata diff {result['old']} -> {result['new']}"]
    for name, t in result["tables"].items():
        if not any(t.values()):
            lines.append(f"{name}: unchanged")
            continue
        lines.append(f"{name}: {len(t['added'])} added, {len(t['removed'])} removed, {len(t['changed'])} changed")
        lines += [f"  + {rid}" for rid in t["added"]] + [f"  - {rid}" for rid in t["removed"]]
        lines += [f"  + column {c}" for c in t["columns_added"]] + [f"  - column {c}" for c in t["columns_removed"]]
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


def immutability_problems(root: Path) -> list[str]:
    """What breaks the release rules in the repository at ``root``: released ids gone without a
    breaking bump (against every release); rows of the newest release changed without a version
    bump and a changelog entry naming the table."""
    current = Package.open(root)
    now = manifest(current, "")["tables"]
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8") if (root / "CHANGELOG.md").is_file() else ""
    problems = []
    manifests = [json.loads(path.read_text(encoding="utf-8")) for path in sorted((root / "releases").glob("*.json"))]
    latest = max((m["version"] for m in manifests), key=parse_version, default=None)
    for released in manifests:
        for table, info in released["tables"].items():
            rows_now = now.get(table, {}).get("rows", {})
            gone = sorted(set(info["rows"]) - set(rows_now))
            if gone and breaking_part(current.version) <= breaking_part(released["version"]):
                problems.append(f"{table}: ids released in {released['version']} are gone without a MAJOR bump: {', '.join(gone)}")
            if released["version"] != latest:  # changes are judged against the newest release; ids against every one
                continue
            changed = sorted(rid for rid, h in info["rows"].items() if rid in rows_now and rows_now[rid] != h)
            if changed and current.version == released["version"]:
                problems.append(f"{table}: rows released in {released['version']} changed without a version bump: {', '.join(changed)}")
            elif changed and table not in changelog_entry(changelog, current.version):
                problems.append(
                    f"{table}: rows changed since {released['version']} but CHANGELOG.md [{current.version}] does not name the table"
                )
    return problems

"""Cut a release: check that everything agrees, then write the release manifest.

Maintainer tool: ``python -m kordata.build.release [REPO_ROOT] [--date YYYY-MM-DD] [--check]``.
Refuses (exit 1, one line per problem) unless: the tables compile from curation/; every
generated file is fresh; CHANGELOG.md has an entry for the version; validation passes in all
layers; no released id is gone or released row changed against the rules; and this version
has not been released already. With --check it only checks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from ..package import Package
from ..releases import changelog_entry, immutability_problems, manifest
from .curation import compile_all
from .refresh import stale_files


def write_manifest(root: Path, date: str) -> Path:
    pkg = Package.open(root)
    path = root / "releases" / f"{pkg.version}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(manifest(pkg, date), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def problems(root: Path) -> list[str]:
    found = []
    pkg = Package.open(root)
    for name, text in compile_all(root).items():
        if pkg.csv_path(name).read_text(encoding="utf-8") != text:
            found.append(f"data/{name}.csv does not match curation/: run python -m kordata.build.curation")
    for relative in stale_files(root):
        found.append(f"{relative} is stale: run python -m kordata.build.refresh")
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8") if (root / "CHANGELOG.md").is_file() else ""
    if not changelog_entry(changelog, pkg.version).strip():
        found.append(f"CHANGELOG.md has no entry '## [{pkg.version}]'")
    from ..validation import validate

    report = validate(root)
    if not report.ok:
        found.append(f"validation fails ({len(report.failures)} failures): run kordata validate {root}")
    found += immutability_problems(root)
    existing = root / "releases" / f"{pkg.version}.json"
    if existing.is_file():
        recorded = json.loads(existing.read_text(encoding="utf-8"))
        if recorded["tables"] != manifest(pkg, "")["tables"]:
            found.append(f"version {pkg.version} was released with other data: bump the version")
        else:
            found.append(f"version {pkg.version} is already released")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kordata.build.release", description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".")
    parser.add_argument("--date", default=dt.date.today().isoformat())
    parser.add_argument("--check", action="store_true", help="only check; write nothing")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    found = problems(root)
    for line in found:
        print(f"refused: {line}")
    if found:
        return 1
    if not args.check:
        print(f"released {Package.open(root).version}: {write_manifest(root, args.date).relative_to(root)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

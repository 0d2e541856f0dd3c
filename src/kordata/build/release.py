"""Cut a release: check that everything agrees, then write the release manifest and the ledger.

Maintainer tool: ``python -m kordata.build.release [REPO_ROOT] [--date YYYY-MM-DD] [--check]``.
The version is datapackage.json's; CHANGELOG.md marks work in progress as ``## [X] - Unreleased``.
Refuses (exit 1, one line per problem) unless: the tables compile from curation/; every generated
file is fresh; CHANGELOG.md has an entry ``## [X] - Unreleased`` (or already dated) for the version; validation passes
in all layers; no released id is gone or released row changed against the rules; this version was
never released (no manifest, no ledger line: a version whose manifest was deleted is never
released again); and every manifest the ledger records is present and unaltered.

Releasing writes, all or nothing (kordata.fileio.write_many): ``releases/X.json`` (format 2: the
sha256 of the descriptor, of every schema and seed, and of every table and row), CHANGELOG.md,
whose heading becomes ``## [X] - DATE`` followed by the ledger line
``Release manifest: `releases/X.json`, sha256 `...```, and the generated files that carry the release
date (CITATION.cff ``date-released``, .zenodo.json ``publication_date``, croissant.json ``datePublished``:
kordata.build.refresh, for the released state), so every file gives the CHANGELOG's date. With --check it only checks. Bad input
(a malformed CHANGELOG.md or manifest, an unreadable file) is exit 2 with one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from ..fileio import read_regular, write_many
from ..package import Package
from ..release_state import state
from ..releases import (
    CHANGELOG,
    HEADING,
    changelog_entry,
    changelog_heading,
    immutability_problems,
    ledger,
    ledger_line,
    ledger_problems,
    manifest,
    manifest_path,
    read_changelog,
    render_manifest,
)
from .refresh import generated_files, stale_files
from .tool import ArgumentParser, run_tool

UNRELEASED = "Unreleased"


def _stale_tables(root: Path) -> list[str]:
    from .curation import compile_all

    pkg = Package.open(root)
    stale = []
    for name, text in compile_all(root).items():
        if read_regular(pkg.csv_path(name), f"table {name!r}").decode("utf-8", "replace") != text:
            stale.append(f"data/{name}.csv does not match curation/: run python -m kordata.build.curation")
    return stale


def problems(root: Path) -> list[str]:
    pkg = Package.open(root)
    version = pkg.version
    changelog = read_changelog(root)
    found = _stale_tables(root)
    for relative in stale_files(root):  # bytes compared: the Parquet copies are binary
        found.append(f"{relative} is stale: run python -m kordata.build.refresh")
    released = ledger(changelog)
    heading = changelog_heading(changelog, version)
    if version in released or manifest_path(root, version).exists():
        where = "CHANGELOG.md records it" if version in released else f"releases/{version}.json exists"
        found.append(f"version {version} is already released ({where}): a released version is never released again; bump the version")
    elif heading is None or not changelog_entry(changelog, version).strip():
        found.append(f"CHANGELOG.md has no entry '## [{version}] - {UNRELEASED}'")
    found += ledger_problems(root)
    from ..validation import validate

    report = validate(root, reference=root)
    if not report.ok:
        found.append(f"validation fails ({len(report.failures)} failures): run kordata validate {root}")
    found += immutability_problems(root)
    return found


def release_files(root: Path, date: str) -> dict[Path, str | bytes]:
    """The manifest, the updated CHANGELOG.md and the generated files dated by the release (CITATION.cff,
    .zenodo.json, croissant.json) of a release of the current version on ``date``."""
    pkg = Package.open(root)
    version = pkg.version
    text = render_manifest(manifest(pkg, date))
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    changelog = read_changelog(root)
    heading = next(m for m in HEADING.finditer(changelog) if m["version"] == version)
    dated = f"## [{version}] - {date}\n\n{ledger_line(version, sha)}"
    files: dict[Path, str | bytes] = {
        manifest_path(root, version): text,
        root / CHANGELOG: changelog[: heading.start()] + dated + changelog[heading.end() :],
    }
    released = state(root, version).as_released(date)
    for relative, content in generated_files(root, released).items():
        if (root / relative).is_file() and read_regular(root / relative, relative) != (
            content.encode("utf-8") if isinstance(content, str) else content
        ):
            files[root / relative] = content
    return files


def _main(argv: list[str]) -> int:
    parser = ArgumentParser(prog="python -m kordata.build.release", description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".")
    parser.add_argument("--date", default=dt.date.today().isoformat(), type=lambda s: dt.date.fromisoformat(s).isoformat())
    parser.add_argument("--check", action="store_true", help="only check; write nothing")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    found = problems(root)
    for line in found:
        print(f"refused: {line}")
    if found:
        return 1
    if not args.check:
        files = release_files(root, args.date)
        (root / "releases").mkdir(exist_ok=True)
        write_many(files)
        print(f"released {Package.open(root).version}: {next(iter(files)).relative_to(root)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_tool("kordata.build.release", _main, argv)


if __name__ == "__main__":
    raise SystemExit(main())

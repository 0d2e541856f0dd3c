"""Refresh every generated copy from its source.

Maintainer tool: ``python -m kordata.build.refresh [REPO_ROOT]``:
- datapackage.json: each resource's bytes and sha256, from the files themselves;
- CITATION.cff, .zenodo.json and croissant.json: from datapackage.json and the schemas.
Never edit these by hand; tests fail when a copy is stale. Every file is computed first, then all
are written together, all or nothing (kordata.fileio.write_many): an interrupted or failed
refresh leaves the old files. Exit codes as kordata's (kordata.build.tool).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..fileio import read_regular, write_many
from ..package import DESCRIPTOR, Package
from .tool import ArgumentParser, run_tool


def refreshed_descriptor(package: Package) -> dict:
    descriptor = json.loads(json.dumps(package.descriptor))
    for resource in descriptor["resources"]:
        raw = read_regular(package.csv_path(resource["name"]), f"table {resource['name']!r}")
        resource["bytes"] = len(raw)
        resource["hash"] = "sha256:" + hashlib.sha256(raw).hexdigest()
    return descriptor


def render(descriptor: dict) -> str:
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def generated_files(root: Path) -> dict[str, str]:
    """Relative path -> expected text of every generated file, computed from the sources."""
    from ..citation import citation_cff
    from .catalog import croissant, zenodo

    package = Package.open(root)
    descriptor = refreshed_descriptor(package)
    updated = Package(package.root, descriptor)
    return {
        DESCRIPTOR: render(descriptor),
        "CITATION.cff": citation_cff(updated),
        ".zenodo.json": zenodo(updated),
        "croissant.json": croissant(updated),
    }


def _main(argv: list[str]) -> int:
    parser = ArgumentParser(prog="python -m kordata.build.refresh", description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    files = generated_files(root)
    write_many({root / relative: text for relative, text in files.items()})
    for relative in files:
        print(f"refreshed {relative}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_tool("kordata.build.refresh", _main, argv)


if __name__ == "__main__":
    raise SystemExit(main())

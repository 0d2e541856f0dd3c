"""Refresh every generated copy from its source.

Maintainer tool: ``python -m kordata.build.refresh [REPO_ROOT]``:
- datapackage.json: each resource's bytes and sha256, from the files themselves;
- CITATION.cff, .zenodo.json and croissant.json: from datapackage.json and the schemas.
Never edit these by hand; tests fail when a copy is stale. Files are written only after
everything has been computed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from ..dialect import TABLE_DIALECT
from ..package import DESCRIPTOR, Package


def refreshed_descriptor(package: Package) -> dict:
    """The descriptor with each resource's bytes, hash and CSV dialect (kordata.dialect) taken from
    the files and the one definition: no resource can lack a dialect or carry a stale hash."""
    descriptor = json.loads(json.dumps(package.descriptor))
    for resource in descriptor["resources"]:
        raw = package.csv_path(resource["name"]).read_bytes()
        resource["bytes"] = len(raw)
        resource["hash"] = "sha256:" + hashlib.sha256(raw).hexdigest()
        _set_after(resource, "dialect", dict(TABLE_DIALECT), after="encoding")
    return descriptor


def _set_after(mapping: dict, key: str, value: object, after: str) -> None:
    """Set ``key`` in place, or insert it right after ``after`` (readable key order in the JSON)."""
    if key in mapping or after not in mapping:
        mapping[key] = value
        return
    items = list(mapping.items())
    at = [k for k, _ in items].index(after) + 1
    mapping.clear()
    mapping.update([*items[:at], (key, value), *items[at:]])


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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0] if argv else ".").resolve()
    for relative, text in generated_files(root).items():
        (root / relative).write_text(text, encoding="utf-8")
        print(f"refreshed {relative}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

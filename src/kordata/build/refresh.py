"""Refresh every generated copy from its source.

Maintainer tool: ``python -m kordata.build.refresh [REPO_ROOT]``:
- datapackage.json: each resource's bytes and sha256, from the files themselves;
- data/<table>.parquet: typed copies of the CSVs (kordata.build.parquet), described on each resource;
- CITATION.cff, .zenodo.json and croissant.json: from datapackage.json, the schemas and the release state
  (kordata.release_state: a release's date from CHANGELOG.md; a preview has none);
- README.md's YAML front matter (the Hugging Face dataset card): from the schemas; the body is kept.
Never edit these by hand; tests fail when a copy is stale. Every file is computed first, then all
are written together, all or nothing (kordata.fileio.write_many): an interrupted or failed
refresh leaves the old files. Exit codes as kordata's (kordata.build.tool).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..dialect import TABLE_DIALECT
from ..fileio import read_regular, write_many
from ..package import DESCRIPTOR, Package
from ..release_state import Release
from .tool import ArgumentParser, run_tool


def refreshed_descriptor(package: Package) -> dict:
    """The descriptor with each resource's bytes, hash and CSV dialect (kordata.dialect) taken from
    the files and the one definition: no resource can lack a dialect or carry a stale hash."""
    descriptor = json.loads(json.dumps(package.descriptor))
    for resource in descriptor["resources"]:
        raw = read_regular(package.csv_path(resource["name"]), f"table {resource['name']!r}")
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


def with_parquet(descriptor: dict, parquet: dict[str, bytes]) -> dict:
    """The descriptor with each resource's ``kordata:parquet`` property (path, mediatype, bytes, hash)
    describing its Parquet copy (kordata.build.parquet)."""
    from .parquet import MEDIATYPE, PROPERTY, parquet_path

    descriptor = json.loads(json.dumps(descriptor))
    for resource in descriptor["resources"]:
        data = parquet[parquet_path(resource)]
        copy = {"path": parquet_path(resource), "format": "parquet", "mediatype": MEDIATYPE, "bytes": len(data)}
        resource[PROPERTY] = {**copy, "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
    return descriptor


def generated_files(root: Path, release: Release | None = None) -> dict[str, str | bytes]:
    """Relative path -> expected content (text, or bytes for Parquet) of every generated file,
    computed from the sources: the CSVs, the schemas, datapackage.json's own fields, README.md's body and
    the release state (``release``, default: what CHANGELOG.md and releases/ say now)."""
    from ..citation import citation_cff
    from ..profiles import require_valid_descriptor
    from .catalog import croissant, readme_with_card, zenodo
    from .parquet import parquet_files

    package = Package.open(root)
    require_valid_descriptor(package)
    parquet = parquet_files(package)
    descriptor = with_parquet(refreshed_descriptor(package), parquet)
    updated = Package(package.root, descriptor)
    readme = root / "README.md"
    return {
        DESCRIPTOR: render(descriptor),
        "CITATION.cff": citation_cff(updated, release),
        ".zenodo.json": zenodo(updated, release),
        "croissant.json": croissant(updated, release),
        **parquet,
        **({"README.md": readme_with_card(readme.read_text(encoding="utf-8"), updated)} if readme.is_file() else {}),
    }


def stale_files(root: Path) -> list[str]:
    """Generated files whose content on disk differs from what refresh would write (or that are missing)."""
    stale = []
    for relative, content in generated_files(root).items():
        path = root / relative
        expected = content.encode("utf-8") if isinstance(content, str) else content
        if not path.is_file() or read_regular(path, relative) != expected:
            stale.append(relative)
    return stale


def _main(argv: list[str]) -> int:
    parser = ArgumentParser(prog="python -m kordata.build.refresh", description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    files = generated_files(root)  # a KordataError (e.g. a value outside its vocabulary) is exit 2
    write_many({root / relative: text for relative, text in files.items()})
    for relative in files:
        print(f"refreshed {relative}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_tool("kordata.build.refresh", _main, argv)


if __name__ == "__main__":
    raise SystemExit(main())

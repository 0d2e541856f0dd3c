"""Refresh what datapackage.json says about its files (bytes, sha256), from the files themselves.

Maintainer tool: ``python -m kordata.refresh [REPO_ROOT]``. Never edit bytes or hash by hand.
The descriptor is rewritten only if every file could be read.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from .package import DESCRIPTOR, Package


def refreshed_descriptor(package: Package) -> dict:
    descriptor = json.loads(json.dumps(package.descriptor))
    for resource in descriptor["resources"]:
        raw = package.csv_path(resource["name"]).read_bytes()
        resource["bytes"] = len(raw)
        resource["hash"] = "sha256:" + hashlib.sha256(raw).hexdigest()
    return descriptor


def render(descriptor: dict) -> str:
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0] if argv else ".").resolve()
    package = Package.open(root)
    text = render(refreshed_descriptor(package))
    (root / DESCRIPTOR).write_text(text, encoding="utf-8")
    print(f"refreshed {root / DESCRIPTOR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Read every table of a data package with datapackage-py, foreign keys resolved; print JSON on stdout:
{table: [row, ...]}, each row keyed by field name (a resolved foreign key is the referenced row).
Run with the legacy venv's Python: tests/clients/.venv/bin/python tests/clients/read.py path/to/datapackage.json
"""
import json
import sys

from datapackage import Package


def main() -> int:
    package = Package(sys.argv[1])
    if package.errors:
        print("descriptor invalid: " + "; ".join(map(str, package.errors)), file=sys.stderr)
        return 1
    out = {resource.name: resource.read(keyed=True, relations=True) for resource in package.resources}
    json.dump(out, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())

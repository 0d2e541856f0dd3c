"""Shared fixtures: the repository root, a writable copy of the package, and a CLI runner."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_PARTS = ["datapackage.json", "data", "schemas", "seeds"]


def copy_package(dest: Path) -> Path:
    """Copy the shipped package (descriptor, data, schemas, seeds) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PACKAGE_PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / part)
    return dest


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "pkg")


def run_kordata(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kordata", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=300)


def refresh_hashes(root: Path) -> None:
    """Re-hash a deliberately edited copy so that only the intended corruption remains."""
    import json
    from kordata.package import Package
    from kordata.build.refresh import refreshed_descriptor, render, with_parquet
    from kordata.errors import KordataError
    package = Package.open(root)
    descriptor = refreshed_descriptor(package)
    if all("kordata:parquet" in r for r in descriptor["resources"]):
        try:  # the Parquet copies follow the edited CSVs (kept as they were when a CSV cannot be typed)
            from kordata.build.parquet import parquet_files
            files = parquet_files(package)
        except (KordataError, LookupError, ValueError, TypeError):
            files = {}
        for relative, data in files.items():
            (root / relative).write_bytes(data)
        descriptor = with_parquet(descriptor, files) if files else descriptor
    (root / "datapackage.json").write_text(render(descriptor), encoding="utf-8")
    json.loads((root / "datapackage.json").read_text())


def edit_cell(root: Path, table: str, row_id: str, column: str, value: str, rehash: bool = True) -> None:
    """Set one cell of a table in a package copy, by row id and column name (csv module, exact)."""
    import csv
    import io
    path = root / "data" / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    col = header.index(column)
    hits = [r for r in rows[1:] if r[0] == row_id]
    assert len(hits) == 1, f"{table} has no single row {row_id}"
    hits[0][col] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    if rehash:
        refresh_hashes(root)

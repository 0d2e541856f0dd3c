"""The legacy Data Package readers, run for real: datapackage-py 1.15.4 (its own venv) and datapackage-js
1.1.10 (node) read every table with its foreign keys resolved, and agree with the CSV cell by cell.

Both are installed by tests/clients/install.sh, which .ci/run runs. Without them CI fails; on a
developer's machine the tests are skipped with the command to run (as the browser tests are)."""
import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_package

import kordata

CLIENTS = ROOT / "tests" / "clients"
PKG = kordata.Package.open(ROOT)


def require(path: Path, what: str) -> None:
    if not path.exists():
        message = f"{what} is not installed: run bash tests/clients/install.sh"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def read_with(reader: str, descriptor: Path) -> subprocess.CompletedProcess:
    if reader == "datapackage-py":
        require(CLIENTS / ".venv" / "bin" / "python", "datapackage-py")
        command = [str(CLIENTS / ".venv" / "bin" / "python"), str(CLIENTS / "read.py"), str(descriptor)]
    else:
        require(CLIENTS / "js" / "node_modules" / "datapackage", "datapackage-js")
        node = shutil.which("node") or pytest.fail("node is not installed")
        command = [node, str(CLIENTS / "read.js"), str(descriptor)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=descriptor.parent)


def as_text(value, field: dict) -> str:
    """A value a reader returned, written back as the CSV writes it (None is the empty cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if field.get("type") == "number":
        return repr(float(value))
    if field.get("type") == "date":
        return str(value)[:10]
    return str(value)


def csv_text(value: str, field: dict) -> str:
    return repr(float(value)) if field.get("type") == "number" and value else value


@pytest.mark.parametrize("reader", ["datapackage-py", "datapackage-js"])
def test_legacy_reader_reads_every_table_with_relations(reader):
    result = read_with(reader, ROOT / "datapackage.json")
    assert result.returncode == 0, result.stderr[-3000:]
    tables = json.loads(result.stdout)
    assert list(tables) == PKG.table_names
    resolved = 0
    for name in PKG.table_names:
        with open(PKG.csv_path(name), encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        schema = PKG.schema(name)
        foreign = {fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"]: fk for fk in schema.get("foreignKeys", [])}
        assert len(tables[name]) == len(rows), name
        for got, row in zip(tables[name], rows, strict=True):
            for field in schema["fields"]:
                column, value = field["name"], got[field["name"]]
                if column in foreign and row[column]:  # resolved: the referenced row itself
                    fk = foreign[column]
                    target = fk["reference"]["fields"]
                    target = target[0] if isinstance(target, list) else target
                    assert isinstance(value, dict) and value[target] == row[column], (reader, name, column, value)
                    resolved += 1
                else:
                    assert as_text(value, field) == csv_text(row[column], field), (reader, name, row[PKG.primary_key(name)], column)
    declared = sum(1 for n in PKG.table_names for fk in PKG.schema(n).get("foreignKeys", []))
    assert declared and resolved > declared  # every table's relations were followed, not skipped


@pytest.mark.parametrize("reader", ["datapackage-py", "datapackage-js"])
def test_without_a_declared_dialect_the_legacy_readers_guess_wrong(reader, tmp_path):
    """Why each resource declares its dialect: with the declarations removed, the readers sniff one and fail."""
    copy_package(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        resource.pop("dialect")
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    assert read_with(reader, tmp_path / "datapackage.json").returncode != 0


@pytest.mark.parametrize("reader", ["datapackage-py", "datapackage-js"])
def test_legacy_reader_refuses_a_dangling_reference(reader, package_copy):
    """Relations are really checked: a participant whose actor does not exist stops the read."""
    from conftest import edit_cell
    participant = kordata.load("event_participants")["participant_id"].iloc[0]
    edit_cell(package_copy, "event_participants", participant, "actor_id", "act-nobody")
    assert read_with(reader, package_copy / "datapackage.json").returncode != 0

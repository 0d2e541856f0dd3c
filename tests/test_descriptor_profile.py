"""A descriptor that breaks the official Data Package v2 profile is bad input for every command that reads
its metadata: exit 2 and one line naming datapackage.json and the property, never a crash further on."""
import json

import pytest

from conftest import copy_package, run_kordata

from kordata.profiles import profile_problems

BROKEN = {
    "licenses-null": ("licenses", None),
    "licenses-not-objects": ("licenses", ["CC-BY-4.0"]),
    "title-a-number": ("title", 5),
    "contributors-a-string": ("contributors", "kordata contributors"),
    "keywords-not-strings": ("keywords", [1, 2]),
    "version-a-list": ("version", ["0.2.0"]),
}
COMMANDS = [["info"], ["info", "--json"], ["cite"], ["cite", "-f", "bibtex"], ["cite", "-f", "cff"]]


def test_the_shipped_descriptor_conforms():
    from conftest import ROOT

    assert profile_problems(json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))) == []


@pytest.fixture(scope="module")
def broken_copies(tmp_path_factory):
    copies = {}
    for kind, (key, value) in BROKEN.items():
        root = copy_package(tmp_path_factory.mktemp(kind))
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        descriptor[key] = value
        (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
        copies[kind] = root
    return copies


@pytest.mark.parametrize("kind", BROKEN)
def test_the_profile_names_the_property(kind):
    key, value = BROKEN[kind]
    from conftest import ROOT

    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    descriptor[key] = value
    assert [where.split("/")[0] for where, _ in profile_problems(descriptor)][0] == key


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("kind", BROKEN)
def test_metadata_commands_refuse_a_descriptor_off_the_profile(broken_copies, kind, command):
    result = run_kordata(*command, "-p", str(broken_copies[kind]))
    assert result.returncode == 2, result.stdout + result.stderr
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "datapackage.json" in line and BROKEN[kind][0] in line, line
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", BROKEN)
def test_validate_reports_the_descriptor_off_the_profile(broken_copies, kind):
    result = run_kordata("validate", "--json", "--layer", "1", "-p", str(broken_copies[kind]))
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    rules = {(f["table"], f["rule"]) for c in report["checks"] for f in c["failures"]}
    assert ("datapackage.json", "descriptor-profile") in rules, rules


def test_validate_reports_a_table_schema_off_the_profile(tmp_path):
    from conftest import refresh_hashes

    root = copy_package(tmp_path / "pkg")
    path = root / "schemas" / "documents.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["foreignKeys"] = []  # the v2 Table Schema profile requires at least one item
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    refresh_hashes(root)
    result = run_kordata("validate", "--json", "--layer", "1", "-p", str(root))
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    found = [f for c in report["checks"] for f in c["failures"] if f["rule"] == "schema-profile"]
    assert found and found[0]["table"] == "documents" and "foreignKeys" in found[0]["message"], found

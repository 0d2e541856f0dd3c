"""Standard conformance: datapackage.json, every Table Schema and every CSV dialect validate against the
official Data Package v2 JSON Schema profiles, and each declared dialect is the one the files are written in.

The profiles are the copies shipped in the PyPI package dplib-py 1.1.0 (``dplib/profiles/2.0/``: datapackage,
dataresource, tableschema, tabledialect; JSON Schema draft-07, no remote $refs). They were compared byte for
byte with ``public/profiles/2.0/`` of the standard's own repository, frictionlessdata/datapackage (commit
6a201af8ed2eacbb3a2440e82e4c55d5807f9c09, 2026-05-05): all four files are identical. The upstream profiles are
released under the Unlicense (public domain, the repository's LICENSE.md); dplib-py itself is MIT. Nothing is
vendored here: the test reads them from the installed dplib-py.
"""
import csv
import io
import json
from importlib.resources import files

import jsonschema
import pytest

from conftest import ROOT, copy_package

import kordata
from kordata.build.refresh import generated_files
from kordata.dialect import CSV_PARAMETERS, TABLE_DIALECT

PROFILES = files("dplib") / "profiles" / "2.0"
DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}


def profile(name: str) -> dict:
    return json.loads((PROFILES / f"{name}.json").read_text(encoding="utf-8"))


def problems(schema: dict, document: dict) -> list[str]:
    jsonschema.Draft7Validator.check_schema(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in jsonschema.Draft7Validator(schema).iter_errors(document)]


def test_profiles_are_the_official_v2_ones():
    for name in ("datapackage", "dataresource", "tableschema", "tabledialect"):
        doc = profile(name)
        assert doc["$schema"] == "http://json-schema.org/draft-07/schema#", name
        assert "http" not in json.dumps(doc.get("$ref", "")), name  # no remote references to resolve
    assert DESCRIPTOR["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"


def test_descriptor_validates_against_the_datapackage_profile():
    assert problems(profile("datapackage"), DESCRIPTOR) == []


@pytest.mark.parametrize("name", list(RESOURCES))
def test_each_resource_validates_against_the_dataresource_profile(name):
    assert problems(profile("dataresource"), RESOURCES[name]) == []


@pytest.mark.parametrize("name", list(RESOURCES))
def test_each_table_schema_validates_against_the_tableschema_profile(name):
    schema = json.loads((ROOT / RESOURCES[name]["schema"]).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://datapackage.org/profiles/2.0/tableschema.json"
    assert problems(profile("tableschema"), schema) == []


@pytest.mark.parametrize("name", list(RESOURCES))
def test_each_resource_declares_a_dialect_that_validates(name):
    dialect = RESOURCES[name].get("dialect")
    assert dialect == TABLE_DIALECT, f"{name}: dialect {dialect!r}; run python -m kordata.build.refresh"
    assert problems(profile("tabledialect"), dialect) == []


def test_the_profiles_catch_what_frictionless_lets_through():
    """The check can fail: an empty foreignKeys list (which frictionless accepts) and a bad dialect are refused."""
    schema = json.loads((ROOT / "schemas" / "documents.json").read_text(encoding="utf-8"))
    assert any("foreignKeys" in p for p in problems(profile("tableschema"), {**schema, "foreignKeys": []}))
    assert problems(profile("tabledialect"), {**TABLE_DIALECT, "delimiter": ",,", "header": "yes"})


@pytest.mark.parametrize("name", list(RESOURCES))
def test_each_file_is_written_in_its_declared_dialect(name):
    """Parsing a file with the declared dialect and writing it back with the same dialect gives its exact bytes."""
    raw = (ROOT / RESOURCES[name]["path"]).read_bytes()
    dialect = RESOURCES[name]["dialect"]
    parameters = {"delimiter": dialect["delimiter"], "lineterminator": dialect["lineTerminator"], "quotechar": dialect["quoteChar"],
                  "doublequote": dialect["doubleQuote"]}
    assert parameters == CSV_PARAMETERS
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline=""), **parameters))
    out = io.StringIO(newline="")
    csv.writer(out, **parameters).writerows(rows)
    assert out.getvalue().encode("utf-8") == raw
    assert rows[0] == [f["name"] for f in kordata.Package.open().fields(name)]  # header: true


def test_a_new_table_gets_its_dialect_from_the_refresh_tool(tmp_path):
    """A resource added without a dialect has one after refresh: no table can lack it."""
    copy_package(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    added = {k: v for k, v in descriptor["resources"][-1].items() if k not in ("dialect", "bytes", "hash")}
    descriptor["resources"].append({**added, "name": "copy_of_last"})
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    refreshed = json.loads(generated_files(tmp_path)["datapackage.json"])
    assert all(r["dialect"] == TABLE_DIALECT for r in refreshed["resources"])

"""Types survive every reader: the Parquet copies beside the CSVs, and the catalogues that point readers
at them (croissant.json for mlcroissant, README.md's dataset card for Hugging Face datasets).

Each reader is run for real and its values are compared with the CSV's text, cell by cell."""
import csv
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, copy_package, run_kordata

import kordata
from kordata.build.parquet import PROPERTY, parquet_bytes
from kordata.releases import listed_files, manifest
from kordata.tableschema import enum, field_type, loaded_type

PKG = kordata.Package.open(ROOT)
NAMES = PKG.table_names


def csv_rows(name: str) -> list[dict[str, str]]:
    with open(PKG.csv_path(name), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def typed(field: dict, text: str):
    """A CSV cell as the Python value its schema type gives ('' is missing)."""
    if text == "":
        return None
    kind = field_type(field).name
    return {"integer": int, "number": float, "boolean": lambda t: t == "true", "date": dt.date.fromisoformat}.get(kind, str)(text)


def expected_columns(name: str) -> dict[str, list]:
    rows = csv_rows(name)
    return {f["name"]: [typed(f, row[f["name"]]) for row in rows] for f in PKG.fields(name)}


def test_each_resource_describes_its_parquet_copy_and_the_manifest_hashes_it():
    for name in NAMES:
        copy = PKG.resource(name)[PROPERTY]
        data = (ROOT / copy["path"]).read_bytes()
        assert copy["path"] == PKG.resource(name)["path"].removesuffix(".csv") + ".parquet"
        assert copy["bytes"] == len(data) and copy["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert data == parquet_bytes(PKG, name)  # built from the CSV and schema, byte for byte
    files = manifest(PKG, "")["files"]
    assert set(files) == set(listed_files(PKG)) and all(PKG.resource(n)[PROPERTY]["path"] in files for n in NAMES)


def test_parquet_copies_are_not_resources_so_every_reader_sees_each_table_once():
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    paths = [r["path"] for r in descriptor["resources"]]
    assert len(paths) == len(set(paths)) and not any(p.endswith(".parquet") for p in paths)
    report = kordata.validate(ROOT)
    assert report.ok
    result = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", str(ROOT / "datapackage.json")],
                            capture_output=True, text=True, timeout=300)
    tasks = json.loads(result.stdout)["tasks"]
    assert result.returncode == 0 and sorted(t["name"] for t in tasks) == sorted(NAMES)


def test_parquet_bytes_are_deterministic_and_follow_the_csv(tmp_path):
    copy_package(tmp_path)
    other = kordata.Package.open(tmp_path)
    assert parquet_bytes(other, "events") == parquet_bytes(other, "events") == (ROOT / "data" / "events.parquet").read_bytes()
    from conftest import edit_cell
    edit_cell(tmp_path, "events", csv_rows("events")[0]["event_id"], "summary", "changed")
    assert parquet_bytes(kordata.Package.open(tmp_path), "events") != (ROOT / "data" / "events.parquet").read_bytes()


@pytest.mark.parametrize("name", NAMES)
def test_pyarrow_and_pandas_read_the_parquet_typed(name):
    expected = expected_columns(name)
    table = pq.read_table(ROOT / PKG.resource(name)[PROPERTY]["path"])
    assert table.column_names == list(expected)
    assert {c: table.column(c).to_pylist() for c in table.column_names} == expected
    frame = pd.read_parquet(ROOT / PKG.resource(name)[PROPERTY]["path"])
    for field in PKG.fields(name):
        if loaded_type(field).name == "vocabulary":
            assert list(frame[field["name"]].cat.categories) == enum(field)  # the vocabulary, in order
        assert table.schema.field(field["name"]).metadata[b"description"].decode() == field["description"]


@pytest.mark.parametrize("name", NAMES)
def test_polars_and_duckdb_read_the_parquet_with_the_table_schema_types(name):
    path = ROOT / PKG.resource(name)[PROPERTY]["path"]
    expected = expected_columns(name)
    frame = pl.read_parquet(path)
    described = {r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()}
    for field in PKG.fields(name):
        kind = loaded_type(field)
        polars_type = pl.Categorical if kind.name == "vocabulary" else getattr(pl, kind.polars)
        assert frame.schema[field["name"]] == polars_type, (name, field["name"], frame.schema[field["name"]])
        assert described[field["name"]] == kind.duckdb, (name, field["name"], described[field["name"]])
    assert {c: frame[c].to_list() for c in frame.columns} == expected
    rows = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall()
    assert [list(r) for r in rows] == [list(v) for v in zip(*expected.values(), strict=True)]


def test_cameo_codes_are_text_with_leading_zeros_in_every_parquet_reader():
    raw = [r["cameo_code"] or None for r in csv_rows("events")]
    assert any(code and code.startswith("0") for code in raw)
    path = ROOT / "data" / "events.parquet"
    assert [None if pd.isna(c) else c for c in pd.read_parquet(path)["cameo_code"]] == raw
    assert pl.read_parquet(path)["cameo_code"].to_list() == raw
    assert [r[0] for r in duckdb.sql(f"SELECT cameo_code FROM read_parquet('{path}')").fetchall()] == raw


@pytest.fixture(scope="module")
def croissant_dataset():
    import mlcroissant as mlc
    return mlc.Dataset(jsonld=str(ROOT / "croissant.json"))


@pytest.mark.parametrize("name", NAMES)
def test_mlcroissant_records_equal_the_csv_text(croissant_dataset, name):
    """croissant.json's record sets, read by mlcroissant 1.1, give each CSV cell's value (CAMEO codes intact)."""
    records = list(croissant_dataset.records(record_set=name))
    rows = csv_rows(name)
    assert len(records) == len(rows)
    for record, row in zip(records, rows, strict=True):
        for field in PKG.fields(name):
            value = record[f"{name}/{field['name']}"]
            value = value.decode("utf-8") if isinstance(value, bytes) else value
            if isinstance(value, pd.Timestamp | dt.datetime):
                value = value.date()
            assert value == typed(field, row[field["name"]]), (name, row[PKG.primary_key(name)], field["name"], value)


HF_SCRIPT = """
import json, sys, datasets
out = {}
for name in sys.argv[2:]:
    ds = datasets.load_dataset(sys.argv[1], name, split="train")
    out[name] = {"features": {k: str(v.dtype) for k, v in ds.features.items()}, "columns": ds.to_dict()}
print(json.dumps(out, default=str))
"""


def test_hugging_face_datasets_loads_each_table_offline_with_its_types(tmp_path):
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"),
           "HF_DATASETS_DISABLE_PROGRESS_BARS": "1"}
    result = subprocess.run([sys.executable, "-c", HF_SCRIPT, str(ROOT), *NAMES], capture_output=True, text=True, timeout=600,
                            env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = json.loads(result.stdout)
    for name in NAMES:
        fields = PKG.fields(name)
        assert loaded[name]["features"] == {f["name"]: loaded_type(f).hf for f in fields}, name
        expected = {k: [str(v) if isinstance(v, dt.date) else v for v in values] for k, values in expected_columns(name).items()}
        assert loaded[name]["columns"] == expected, name
    assert loaded["events"]["columns"]["cameo_code"] == [r["cameo_code"] or None for r in csv_rows("events")]


def test_dataset_card_is_generated_from_the_schemas():
    import yaml
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("---\n")
    card = yaml.safe_load(readme[4:readme.index("\n---\n", 4)])
    assert [c["config_name"] for c in card["configs"]] == NAMES
    for config, info in zip(card["configs"], card["dataset_info"], strict=True):
        assert config["data_files"] == [{"split": "train", "path": PKG.resource(config["config_name"])[PROPERTY]["path"]}]
        assert [f["name"] for f in info["features"]] == [f["name"] for f in PKG.fields(info["config_name"])]
    assert card["license"] == "cc-by-4.0"


def test_readme_says_which_readers_keep_types():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if line.startswith("**Readers"))
    for reader in ("frictionless", "kordata.load", "pandas.read_csv", "polars", "DuckDB", "Hugging Face", "mlcroissant", ".parquet"):
        assert reader in line, reader


def test_the_refresh_tool_writes_the_parquet_copies(tmp_path):
    copy_package(tmp_path)
    (tmp_path / "data" / "events.parquet").unlink()
    from kordata.build.refresh import main, stale_files
    assert "data/events.parquet" in stale_files(tmp_path)
    assert main([str(tmp_path)]) == 0
    assert stale_files(tmp_path) == [] and pq.read_table(tmp_path / "data" / "events.parquet").num_rows == len(csv_rows("events"))
    assert run_kordata("validate", "-p", str(tmp_path)).returncode == 0


def test_refresh_refuses_a_table_it_cannot_type(tmp_path, capsys):
    """A value outside its vocabulary stops the refresh with one line naming it; nothing is written."""
    copy_package(tmp_path)
    from conftest import edit_cell
    from kordata.build.refresh import main
    row_id = csv_rows("events")[0]["event_id"]
    edit_cell(tmp_path, "events", row_id, "status", "ocurred")
    before = (tmp_path / "datapackage.json").read_bytes()
    assert main([str(tmp_path)]) == 2
    assert f"row '{row_id}'" in capsys.readouterr().err and (tmp_path / "datapackage.json").read_bytes() == before

"""Typed loading: dtypes follow the schemas, EDTF bounds agree with the edtf library, and
``import kordata`` stays light."""
import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT

import kordata
from kordata.dates import edtf_bounds


def test_every_table_loads_with_schema_dtypes():
    frames = kordata.load_all()
    assert list(frames) == kordata.get_table_names() == list(kordata.tables()["name"])
    for name, frame in frames.items():
        schema = json.loads((ROOT / "schemas" / f"{name}.json").read_text())
        for field in schema["fields"]:
            dtype = frame[field["name"]].dtype
            enum = field.get("constraints", {}).get("enum")
            expected = {"integer": "Int64", "number": "Float64", "boolean": "boolean"}.get(field["type"])
            if field["type"] == "date":
                assert str(dtype).startswith("datetime64"), (name, field["name"], dtype)
                continue
            if enum:
                assert isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == enum, (name, field["name"])
            elif expected:
                assert str(dtype) == expected, (name, field["name"], dtype)
            else:
                assert isinstance(dtype, pd.StringDtype), (name, field["name"], dtype)
        import csv
        with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as handle:
            assert len(frame) == sum(1 for _ in csv.reader(handle)) - 1  # records, not lines: a quote may span a line break


def test_edtf_columns_get_bounds():
    events = kordata.load("events").set_index("event_id")
    roads = events.loc["evt-prk-blows-up-roads"]
    assert roads.date == "2024?-10-15" and roads.date_lower == pd.Timestamp("2024-10-15") == roads.date_upper
    june = events.loc["evt-kor-conditional-arms-policy"]
    assert (june.date_lower, june.date_upper) == (pd.Timestamp("2024-06-01"), pd.Timestamp("2024-06-30"))
    assert pd.isna(events.loc["evt-prk-troop-deployment", "date_lower"])
    assert str(events["date_lower"].dtype).startswith("datetime64")


@pytest.mark.parametrize("value", ["2024", "2024-02", "2024-02-29", "2023-02", "2024-10?", "2024-10~", "2024-10-15%",
                                   "2024-XX", "2024-06/2024-10", "2024-06-01/2024-06-30", "XXXX-10-15"])
def test_bounds_agree_with_the_edtf_library(value):
    from edtf import parse_edtf, struct_time_to_date
    lower, upper = edtf_bounds(pd.Series([value]))
    parsed = parse_edtf(value)
    if value.startswith("X") or value.startswith(".."):
        assert pd.isna(lower[0])
        if value.startswith("X"):
            assert pd.isna(upper[0])
        return
    assert lower[0].date() == struct_time_to_date(parsed.lower_strict())
    assert upper[0].date() == struct_time_to_date(parsed.upper_strict())


def test_bounds_where_the_edtf_library_has_quirks():
    # edtf 5.0.2 raises on '2024-1X' and on the bounds of open intervals; kordata gives NaT or the month range.
    lower, upper = edtf_bounds(pd.Series(["2024-1X", "../2024-10", "2024-10/..", ""]))
    assert pd.isna(lower[0]) is False and lower[0] == pd.Timestamp("2024-01-01") and upper[0] == pd.Timestamp("2024-12-31")
    assert pd.isna(lower[1]) and upper[1] == pd.Timestamp("2024-10-31")
    assert lower[2] == pd.Timestamp("2024-10-01") and pd.isna(upper[2])
    assert pd.isna(lower[3]) and pd.isna(upper[3])


def test_unknown_table_is_a_clear_error():
    with pytest.raises(kordata.UnknownTableError, match="unknown table 'evnts'; tables are: documents"):
        kordata.load("evnts")


def test_import_kordata_imports_neither_pandera_nor_frictionless():
    code = ("import sys, kordata; kordata.load('events'); kordata.load_all(); kordata.tables(); kordata.metadata(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandera', 'frictionless')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == "[]"


def test_metadata_names_version_license_citation():
    meta = kordata.metadata()
    assert meta["version"] == kordata.__version__
    assert meta["licenses"][0]["name"] == "CC-BY-4.0"
    assert f"(Version {kordata.__version__})" in meta["citation"]


def test_loading_works_from_another_directory(tmp_path):
    code = "import kordata; print(len(kordata.load('mentions')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip() == str(len(kordata.load("mentions")))


@pytest.mark.parametrize("value", ["2024", "2024-10", "2024-10-15", "2024-10?", "2024-10-15~", "2024%", "2024-02-29", "2023-02-29",
                                   "2024-13", "2024-10-32", "2024-00-10", "24-10", "2024-1", "2024-04-31", "2024-10-15??"])
def test_fast_edtf_check_agrees_with_the_edtf_library(value):
    from edtf import parse_edtf
    from kordata.validation.integrity import _simple_edtf_valid
    try:
        parse_edtf(value)
        library = True
    except Exception:
        library = False
    fast = _simple_edtf_valid(value)
    if value in ("2023-02-29", "2024-04-31"):  # no such days; edtf 5.0.2 checks syntax only and accepts them
        assert fast is False
        return
    assert fast is None or fast == library, (value, fast, library)


def test_a_package_changed_on_disk_is_read_again(package_copy):
    """No stale cache: a renamed table and an edited file are seen by the next call in the same process."""
    import json as _json
    from conftest import edit_cell
    before = kordata.load("figures", package_copy)
    edit_cell(package_copy, "figures", before["figure_id"].iloc[0], "unit", "brigades")
    assert kordata.load("figures", package_copy)["unit"].iloc[0] == "brigades"
    descriptor = _json.loads((package_copy / "datapackage.json").read_text())
    next(r for r in descriptor["resources"] if r["name"] == "figures")["name"] = "numbers"
    (package_copy / "datapackage.json").write_text(_json.dumps(descriptor))
    assert "numbers" in kordata.load_all(package_copy)
    with pytest.raises(kordata.UnknownTableError):
        kordata.load("figures", package_copy)


def test_dir_and_type_checkers_see_the_lazy_api():
    for name in ("load", "load_all", "tables", "validate", "cite", "__version__"):
        assert name in dir(kordata) and name in kordata.__all__
    source = (ROOT / "src" / "kordata" / "__init__.py").read_text()
    assert "if TYPE_CHECKING:" in source and "from .loading import load, load_all, tables" in source

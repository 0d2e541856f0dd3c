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
    with pytest.raises(kordata.UnknownTableError, match="unknown table 'evnts' \\(did you mean 'events'\\?\\); tables are: documents"):
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
    assert f"(Version {kordata.__version__}" in meta["citation"]  # ", unreleased preview)" until released


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


BACKENDS = ("pandas", "polars", "pyarrow")


def _cells(frame, backend):
    """Every cell of a loaded table as Python values (None for missing), column by column."""
    if backend == "pandas":
        out = {}
        for column in frame.columns:
            series = frame[column].astype(object)
            values = [None if pd.isna(v) else v for v in series]
            out[column] = [v.date() if isinstance(v, pd.Timestamp) else v for v in values]
        return out
    if backend == "polars":
        return {column: frame[column].to_list() for column in frame.columns}
    return {column: frame.column(column).to_pylist() for column in frame.column_names}


@pytest.mark.parametrize("name", kordata.get_table_names())
def test_every_backend_loads_the_same_values_with_the_types_tableschema_names(name):
    """pandas, polars and pyarrow: the same columns, the same cells, and each column's type is the one
    kordata.tableschema names for that backend (vocabularies: category / Enum / dictionary, in enum order)."""
    import polars as pl
    import pyarrow as pa
    from kordata.tableschema import bound_columns, enum, is_edtf, loaded_type
    pkg = kordata.Package.open()
    frames = {backend: kordata.load(name, backend=backend) for backend in BACKENDS}
    cells = {backend: _cells(frame, backend) for backend, frame in frames.items()}
    assert cells["pandas"] == cells["polars"] == cells["pyarrow"]
    bounds = []
    for field in pkg.fields(name):
        column, kind = field["name"], loaded_type(field)
        pandas_dtype, polars_dtype = frames["pandas"][column].dtype, frames["polars"].schema[column]
        arrow_type = frames["pyarrow"].schema.field(column).type
        if kind.name == "vocabulary":
            assert list(pandas_dtype.categories) == enum(field)
            assert polars_dtype == pl.Enum(enum(field))
            assert pa.types.is_dictionary(arrow_type) and arrow_type.value_type == pa.string()
        else:
            assert str(pandas_dtype) == kind.pandas or (kind.pandas == "string" and isinstance(pandas_dtype, pd.StringDtype)), column
            assert polars_dtype == getattr(pl, kind.polars), column
            assert arrow_type == getattr(pa, kind.arrow)(), column
        if is_edtf(field):
            bounds += bound_columns(field)
    for column in bounds:
        assert frames["polars"].schema[column] == pl.Date and frames["pyarrow"].schema.field(column).type == pa.date32()
    assert list(frames["pandas"].columns) == frames["polars"].columns == frames["pyarrow"].column_names


def test_cameo_codes_keep_their_leading_zeros_in_every_backend():
    raw = [r["cameo_code"] for r in __import__("csv").DictReader(open(ROOT / "data" / "events.csv", encoding="utf-8"))]
    assert any(code.startswith("0") for code in raw)
    for backend in BACKENDS:
        values = _cells(kordata.load("events", backend=backend), backend)["cameo_code"]
        assert values == [code or None for code in raw], backend


@pytest.fixture(scope="module")
def damaged(tmp_path_factory):
    """One copy with a value outside a vocabulary (events.status) and a bad date (the first date field)."""
    from conftest import copy_package, edit_cell
    root = copy_package(tmp_path_factory.mktemp("damaged"))
    row_id = kordata.load("events", root)["event_id"].iloc[2]
    edit_cell(root, "events", row_id, "status", "ocurred")
    pkg = kordata.Package.open(root)
    table, column = next((n, f["name"]) for n in pkg.table_names for f in pkg.fields(n) if f.get("type") == "date")
    edit_cell(root, table, kordata.load(table, root)[pkg.primary_key(table)].iloc[0], column, "2026-13-45")
    return root, row_id, table


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_value_outside_its_vocabulary_is_an_error_naming_table_row_column_value(damaged, backend):
    root, row_id, _ = damaged
    with pytest.raises(kordata.KordataError, match=rf"table 'events', row '{row_id}' \(line 4\), column 'status': value 'ocurred' "
                                                   r"is not in its vocabulary \(occurred, "):
        kordata.load("events", root, backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_bad_date_is_an_error_not_a_crash(damaged, backend):
    root, _, table = damaged
    with pytest.raises(kordata.KordataError, match=rf"table '{table}'.*(cannot be read with its schema|is not a date)"):
        kordata.load(table, root, backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_package_changed_on_disk_is_read_again_by_every_backend(package_copy, backend):
    from conftest import edit_cell
    first = kordata.load("figures", package_copy, backend=backend)
    row_id = kordata.load("figures", package_copy)["figure_id"].iloc[0]
    edit_cell(package_copy, "figures", row_id, "unit", "brigades")
    again = kordata.load("figures", package_copy, backend=backend)
    assert _cells(again, backend)["unit"][0] == "brigades" != _cells(first, backend)["unit"][0]


def test_unknown_backend_and_names_get_a_suggestion():
    with pytest.raises(kordata.KordataError, match=r"unknown backend 'polar' \(did you mean 'polars'\?\)"):
        kordata.load("events", backend="polar")
    with pytest.raises(kordata.UnknownTableError, match=r"did you mean 'figures'"):
        kordata.load("figure", backend="pyarrow")


def test_import_kordata_imports_no_backend_or_validator():
    code = ("import sys, kordata; kordata.__version__; dir(kordata); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandera', 'frictionless', 'polars', 'pandas', 'pyarrow'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == "[]"



def test_polars_backend_without_polars_says_how_to_install_it():
    code = ("import sys; sys.modules['polars'] = None; import kordata\n"
            "try:\n    kordata.load('events', backend='polars')\nexcept kordata.KordataError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == "backend 'polars' needs polars: pip install 'kordata[polars]'"


def test_a_line_break_inside_a_quoted_cell_loads_in_every_backend(package_copy):
    from conftest import edit_cell
    row_id = kordata.load("events", package_copy)["event_id"].iloc[1]
    edit_cell(package_copy, "events", row_id, "notes", "first line\nsecond line, \"quoted\"")
    for backend in BACKENDS:
        notes = _cells(kordata.load("events", package_copy, backend=backend), backend)["notes"]
        assert notes[1] == "first line\nsecond line, \"quoted\"", backend

"""Load tables as typed pandas or polars DataFrames or pyarrow Tables, typed from the Table Schemas.

    kordata.load("events")                     # pandas (default)
    kordata.load("events", backend="polars")   # polars.DataFrame
    kordata.load("events", backend="pyarrow")  # pyarrow.Table

Every backend gets the same types, looked up in kordata.tableschema (the one home of type
mappings): strings stay strings, integers Int64, numbers Float64, booleans boolean, dates dates; a
string with constraints.enum is a vocabulary (pandas ``category``, polars ``Enum``, an Arrow
dictionary), its categories the enum in order. EDTF strings stay strings, with <name>_lower and
<name>_upper calendar bounds beside them. Missing values are nulls (<NA>/NaT in pandas).

One reading path serves all three: pyarrow parses the CSV with the schema's types, then the table
is handed to pandas or polars. A value outside its vocabulary raises KordataError naming the
table, row id, column and value (it is never turned into a missing value).

Nothing is cached between calls: every call reads the package as it is on disk now.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn, overload

from .errors import KordataError, UnknownTableError
from .package import Package
from .tableschema import bound_columns, enum, field_type, is_edtf, is_vocabulary

if TYPE_CHECKING:  # the return types, for type checkers; imported when a backend is used
    import pandas
    import polars
    import pyarrow

Backend = Literal["pandas", "polars", "pyarrow"]
BACKENDS: tuple[str, ...] = ("pandas", "polars", "pyarrow")


def did_you_mean(name: str, choices: list[str]) -> str:
    """' (did you mean 'x'?)' for the closest of ``choices``, or '' when none is close."""
    import difflib  # only on the error path

    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def package(path: str | Path | None = None) -> Package:
    """The package at ``path`` (default: the installed one), opened afresh.

    Not cached on purpose: opening reads one small JSON file, and a cache would serve a
    renamed table or an edited descriptor from before the change."""
    return Package.open(path)


def _check_table(pkg: Package, name: str) -> None:
    if name not in pkg.table_names:
        raise UnknownTableError(f"unknown table {name!r}{did_you_mean(name, pkg.table_names)}; tables are: {', '.join(pkg.table_names)}")


def _outside_vocabulary(table: str, row_id: object, row: int, field: dict, value: object) -> NoReturn:
    raise KordataError(
        f"table {table!r}, row {row_id!r} (line {row + 2}), column {field['name']!r}: "
        f"value {value!r} is not in its vocabulary ({', '.join(enum(field) or [])})"
    )


def _vocabulary(column: Any, field: dict, ids: Any, table: str) -> Any:
    """The string column as an Arrow dictionary whose dictionary is the field's enum, in order.
    A value outside the enum raises KordataError with the row's id and its line in the file."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(enum(field), pa.string())
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    indices = pc.index_in(column, value_set=values)
    outside = pc.and_(pc.is_null(indices), pc.is_valid(column))
    if pc.any(outside).as_py():
        row = pc.index(outside, True).as_py()
        _outside_vocabulary(table, ids[row].as_py(), row, field, column[row].as_py())
    return pa.DictionaryArray.from_arrays(indices.cast(pa.int32()), values)


def read_arrow(pkg: Package, name: str, bounds: bool = True) -> pyarrow.Table:
    """One table as a typed pyarrow Table: the schema's fields in order (vocabularies as dictionaries)
    and, when ``bounds``, the EDTF bound columns after each EDTF field. kordata's Parquet files are
    this table without the bounds."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    _check_table(pkg, name)
    fields = pkg.fields(name)
    expected = [f["name"] for f in fields]
    path = pkg.csv_path(name)
    types = {f["name"]: getattr(pa, field_type(f).arrow)() for f in fields}
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding="utf8"),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),  # a quoted cell may hold a line break
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                true_values=["true"],
                false_values=["false"],
            ),
        )
    except FileNotFoundError:
        raise KordataError(f"table {name!r}: {path} does not exist") from None
    except (pa.ArrowInvalid, UnicodeDecodeError, OSError) as exc:
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise KordataError(f"table {name!r}: {path.name} cannot be read with its schema ({message[:200]}); run kordata validate") from None
    if table.column_names != expected:
        raise KordataError(
            f"table {name!r}: {path.name} has columns {table.column_names[:12]}, the schema {expected[:12]}; run kordata validate"
        )
    ids = table.column(pkg.primary_key(name))
    columns, names = [], []
    for field in fields:
        column = table.column(field["name"])
        columns.append(_vocabulary(column, field, ids, name) if is_vocabulary(field) else column)
        names.append(field["name"])
        if bounds and is_edtf(field):
            lower, upper = _edtf_bounds(column)
            columns += [lower, upper]
            names += list(bound_columns(field))
    return pa.table(columns, names=names)


def _edtf_bounds(column: Any) -> tuple[Any, Any]:
    """(lower, upper) calendar bounds of an EDTF string column, as Arrow date32 arrays."""
    import pandas as pd
    import pyarrow as pa

    from .dates import edtf_bounds

    lower, upper = edtf_bounds(pd.Series(column.to_pylist(), dtype="object"))
    return tuple(pa.array(s.to_numpy(), mask=s.isna().to_numpy(), type=pa.timestamp("s")).cast(pa.date32()) for s in (lower, upper))


def read_pandas(pkg: Package, name: str) -> pandas.DataFrame:
    """One table as a typed pandas DataFrame. Read by pandas itself rather than converted from
    read_arrow: importing pyarrow's CSV and compute modules would cost more than the whole read of
    a small package (benchmarks/bench_load.py). The tests check that both paths give the same values
    and the types tableschema names."""
    import pandas as pd

    from .dates import edtf_bounds

    _check_table(pkg, name)
    fields = pkg.fields(name)
    # Vocabularies are read as categories inferred from the data, then checked against the enum and given its
    # categories in order: cheaper than comparing every string, and a value outside the enum is never lost.
    dtypes = {
        f["name"]: "category" if is_vocabulary(f) else "string" if field_type(f).name == "date" else field_type(f).pandas for f in fields
    }
    path = pkg.csv_path(name)
    try:
        frame = pd.read_csv(
            path, dtype=dtypes, keep_default_na=False, na_values=[""], true_values=["true"], false_values=["false"], encoding="utf-8"
        )
    except FileNotFoundError:
        raise KordataError(f"table {name!r}: {path} does not exist") from None
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise KordataError(f"table {name!r}: {path.name} cannot be read with its schema ({message[:200]}); run kordata validate") from None
    expected = [f["name"] for f in fields]
    if list(frame.columns) != expected:
        raise KordataError(
            f"table {name!r}: {path.name} has columns {list(frame.columns)[:12]}, the schema {expected[:12]}; run kordata validate"
        )
    ids = frame[pkg.primary_key(name)]
    for field in fields:
        column = field["name"]
        if field_type(field).name == "date":
            try:
                frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d").astype(field_type(field).pandas)
            except (ValueError, OverflowError):
                parsed = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
                row = int((parsed.isna() & frame[column].notna()).to_numpy().argmax())
                raise KordataError(
                    f"table {name!r}, row {ids.iloc[row]!r} (line {row + 2}), column {column!r}: "
                    f"value {frame[column].iloc[row]!r} is not a date (YYYY-MM-DD); run kordata validate"
                ) from None
        elif is_vocabulary(field):
            values = enum(field) or []
            allowed = set(values)
            extra = [c for c in frame[column].cat.categories if c not in allowed]
            if extra:
                row = int(frame[column].isin(extra).to_numpy().argmax())
                _outside_vocabulary(name, ids.iloc[row], row, field, frame[column].iloc[row])
            frame[column] = frame[column].cat.set_categories(values)
    for field in fields:
        if is_edtf(field):
            lower, upper = edtf_bounds(frame[field["name"]])
            at = frame.columns.get_loc(field["name"]) + 1
            lower_name, upper_name = bound_columns(field)
            frame.insert(at, lower_name, lower)
            frame.insert(at + 1, upper_name, upper)
    return frame


def _to_polars(table: pyarrow.Table, vocabularies: dict[str, list]) -> polars.DataFrame:
    try:
        import polars as pl
    except ImportError:
        raise KordataError("backend 'polars' needs polars: pip install 'kordata[polars]'") from None

    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame.cast({column: pl.Enum(values) for column, values in vocabularies.items()}) if vocabularies else frame


def read_table(pkg: Package, name: str, backend: str = "pandas") -> Any:
    """One table of ``pkg`` in ``backend`` (see the module docstring)."""
    if backend not in BACKENDS:
        raise KordataError(f"unknown backend {backend!r}{did_you_mean(backend, list(BACKENDS))}; choose one of {', '.join(BACKENDS)}")
    if backend == "pandas":
        return read_pandas(pkg, name)
    table = read_arrow(pkg, name)
    if backend == "pyarrow":
        return table
    return _to_polars(table, {f["name"]: enum(f) or [] for f in pkg.fields(name) if is_vocabulary(f)})


@overload
def load(name: str, path: str | Path | None = None, *, backend: Literal["pandas"] = "pandas") -> pandas.DataFrame: ...
@overload
def load(name: str, path: str | Path | None = None, *, backend: Literal["polars"]) -> polars.DataFrame: ...
@overload
def load(name: str, path: str | Path | None = None, *, backend: Literal["pyarrow"]) -> pyarrow.Table: ...
def load(name: str, path: str | Path | None = None, *, backend: Backend = "pandas") -> Any:
    """Load one table by name, typed from its schema (see the module docstring).

    ``path`` is another copy of the package (a folder or its datapackage.json); default: the installed one.
    ``backend`` is "pandas" (a DataFrame), "polars" (a polars DataFrame) or "pyarrow" (a Table).
    Raises kordata.errors.UnknownTableError for a name the package does not have, and KordataError
    for a file that cannot be read with its schema or a value outside its vocabulary.
    """
    return read_table(package(path), name, backend)


def load_all(path: str | Path | None = None, *, backend: Backend = "pandas") -> dict[str, Any]:
    """Every table, as a dict of name -> table in ``backend``, in the descriptor's order."""
    pkg = package(path)
    return {name: read_table(pkg, name, backend) for name in pkg.table_names}


def tables(path: str | Path | None = None) -> pandas.DataFrame:
    """One row per table: name, title, description, path."""
    import pandas as pd

    pkg = package(path)
    rows = [
        {
            "name": n,
            "title": pkg.resource(n).get("title", ""),
            "description": pkg.resource(n).get("description", ""),
            "path": pkg.resource(n).get("path", ""),
        }
        for n in pkg.table_names
    ]
    return pd.DataFrame(rows, columns=["name", "title", "description", "path"]).astype("string")

"""Load tables as typed pandas DataFrames, with dtypes derived from the Table Schemas.

Types come from kordata.tableschema (the one home of type mappings): a string with
constraints.enum is categorical with the enum as categories; EDTF strings stay strings, with
<name>_lower and <name>_upper calendar bounds beside them. Missing values are <NA>/NaT.
Nothing is cached between calls: every call reads the package as it is on disk now.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .dates import edtf_bounds
from .errors import KordataError
from .package import Package
from .tableschema import bound_columns, enum, field_type, is_edtf, is_vocabulary


def pandas_dtype(field: dict):
    """The pandas dtype a schema field loads as (dates are parsed after reading)."""
    if is_vocabulary(field):
        return pd.CategoricalDtype(enum(field))
    return field_type(field).pandas


def package(path: str | Path | None = None) -> Package:
    """The package at ``path`` (default: the installed one), opened afresh.

    Not cached on purpose: opening reads one small JSON file, and a cache would serve a
    renamed table or an edited descriptor from before the change."""
    return Package.open(path)


def read_table(pkg: Package, name: str) -> pd.DataFrame:
    fields = pkg.fields(name)
    dtypes, dates = {}, []
    for field in fields:
        if field_type(field).name == "date":
            dates.append(field["name"])
            dtypes[field["name"]] = "string"
        else:
            dtypes[field["name"]] = pandas_dtype(field)
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
    for column in dates:
        frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    for field in fields:
        if is_edtf(field):
            lower, upper = edtf_bounds(frame[field["name"]])
            at = frame.columns.get_loc(field["name"]) + 1
            lower_name, upper_name = bound_columns(field)
            frame.insert(at, lower_name, lower)
            frame.insert(at + 1, upper_name, upper)
    return frame


def load(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Load one table by name as a typed DataFrame (see the module docstring for dtypes).

    ``path`` is another copy of the package (a folder or its datapackage.json); default: the installed one.
    Raises kordata.errors.UnknownTableError for a name the package does not have.
    """
    return read_table(package(path), name)


def load_all(path: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table, as a dict of name -> DataFrame, in the descriptor's order."""
    pkg = package(path)
    return {name: read_table(pkg, name) for name in pkg.table_names}


def tables(path: str | Path | None = None) -> pd.DataFrame:
    """One row per table: name, title, description, path."""
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

"""Table Schema field types, and what each becomes in every tool kordata feeds: the one home of
type mappings.

The loader (pandas, polars, pyarrow backends), the validators (layer 1 conversion, layer 2
pandera dtypes), the exports (SQLite column types, Parquet) and the catalogue files (Croissant,
Hugging Face features) all look a field's type up here. Only ``json``-level data lives in this
module, so ``import kordata`` stays light: the Arrow and polars types are named, not imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import PackageError

EDTF_RDF_TYPE = "http://id.loc.gov/datatypes/edtf/EDTF"


@dataclass(frozen=True)
class FieldType:
    """What one Table Schema type becomes in each target."""

    name: str  # Table Schema type
    pandas: str  # nullable pandas dtype (the loader's and pandera's)
    arrow: str  # pyarrow type factory name (pa.<arrow>())
    polars: str  # polars dtype name (pl.<polars>)
    sql: str  # SQLite column affinity
    croissant: str  # Croissant dataType
    hf: str  # Hugging Face datasets Value dtype
    duckdb: str  # DuckDB type of the column read from kordata's Parquet files


TYPES: dict[str, FieldType] = {
    t.name: t
    for t in (
        FieldType("string", "string", "string", "String", "TEXT", "sc:Text", "string", "VARCHAR"),
        FieldType("integer", "Int64", "int64", "Int64", "INTEGER", "sc:Integer", "int64", "BIGINT"),
        FieldType("number", "Float64", "float64", "Float64", "REAL", "sc:Float", "float64", "DOUBLE"),
        FieldType("boolean", "boolean", "bool_", "Boolean", "INTEGER", "sc:Boolean", "bool", "BOOLEAN"),
        FieldType("date", "datetime64[s]", "date32", "Date", "TEXT", "sc:Date", "date32", "DATE"),
    )
}

# A string field with a vocabulary (constraints.enum) in each target: pandas ``category`` and polars
# ``Enum`` with the enum as categories, in order; an Arrow/Parquet dictionary of strings (int32
# indices); DuckDB reads a Parquet dictionary column as VARCHAR. Hugging Face: a string, because
# datasets 5 cannot cast a Parquet dictionary column to a ClassLabel (it stores ClassLabels as int64
# codes, which every other reader would see as bare numbers).
VOCABULARY = FieldType("vocabulary", "category", "dictionary", "Enum", "TEXT", "sc:Text", "string", "VARCHAR")


def field_type(field: dict) -> FieldType:
    """The FieldType of a schema field (Table Schema's default type is string)."""
    name = field.get("type", "string")
    try:
        return TYPES[name]
    except (KeyError, TypeError):
        raise PackageError(f"field {field.get('name')!r}: type {name!r} is not one kordata supports ({', '.join(TYPES)})") from None


def enum(field: dict) -> list | None:
    """The field's vocabulary (constraints.enum), or None."""
    constraints = field.get("constraints") or {}
    values = constraints.get("enum") if isinstance(constraints, dict) else None
    return list(values) if values else None


def is_vocabulary(field: dict) -> bool:
    """A string field with an enum: loaded as a categorical / dictionary column."""
    return field_type(field).name == "string" and enum(field) is not None


def loaded_type(field: dict) -> FieldType:
    """What a field becomes when loaded: VOCABULARY for a string with an enum, else its FieldType."""
    return VOCABULARY if is_vocabulary(field) else field_type(field)


def is_edtf(field: dict) -> bool:
    """A string field holding EDTF dates (marked by ``rdfType``): it gets ``_lower``/``_upper`` bounds."""
    return field.get("rdfType") == EDTF_RDF_TYPE


def bound_columns(field: dict) -> tuple[str, str]:
    """Names of the calendar-bound columns the loader adds beside an EDTF field."""
    return f"{field['name']}_lower", f"{field['name']}_upper"

"""Parquet copies of the tables, shipped beside the CSVs (``data/<table>.parquet``) for the readers
that cannot take types from a Table Schema (pandas.read_csv, polars, DuckDB, Hugging Face datasets,
mlcroissant, R arrow): strings stay strings (CAMEO ``072`` stays ``072``), integers int64, numbers
float64, booleans bool, dates date32, vocabularies dictionaries of strings in enum order.

Built by ``python -m kordata.build.refresh`` from the CSV and its schema through the loader
(kordata.loading.read_arrow: the one typed reading path), never by hand. The bytes are
deterministic for a given pyarrow (fixed options, no timestamps, no pandas metadata), so the
freshness test can compare them. Each resource in datapackage.json describes its copy under the
custom property ``kordata:parquet`` (path, mediatype, bytes, hash): not a resource of its own, so
every reader, kordata's validation included, still sees each table exactly once.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from ..loading import read_arrow
from ..package import Package

PROPERTY = "kordata:parquet"
MEDIATYPE = "application/vnd.apache.parquet"
WRITE_OPTIONS = {"compression": "snappy", "version": "2.6", "use_dictionary": True, "write_statistics": True}


def parquet_path(resource: dict) -> str:
    """Where a resource's Parquet copy lives: its CSV path with the suffix .parquet."""
    return str(PurePosixPath(resource["path"]).with_suffix(".parquet"))


def parquet_bytes(pkg: Package, name: str) -> bytes:
    """The Parquet file of one table: its schema's fields, typed, each with its description as field metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = read_arrow(pkg, name, bounds=False)
    described = {f["name"]: f for f in pkg.fields(name)}
    fields = []
    for field in table.schema:
        note = described[field.name].get("description", "")
        fields.append(field.with_metadata({"description": note}) if note else field.remove_metadata())
    resource = pkg.resource(name)
    metadata = {"table": name, "title": resource.get("title", ""), "source": resource["path"]}
    table = table.cast(pa.schema(fields, metadata={f"kordata.{k}": v for k, v in metadata.items()}))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, **WRITE_OPTIONS)
    return sink.getvalue().to_pybytes()


def parquet_files(pkg: Package) -> dict[str, bytes]:
    """Relative path -> bytes of every table's Parquet copy."""
    return {parquet_path(pkg.resource(name)): parquet_bytes(pkg, name) for name in pkg.table_names}

"""Layer 3: the typed copies shipped beside the CSVs hold the same data.

Each resource may describe a Parquet copy of its table under ``kordata:parquet`` (path, bytes, hash;
kordata.build.parquet writes them). pandas, polars, DuckDB, R and Hugging Face users read those
files, so a copy that disagrees with the CSV gives them other data than ``kordata.load``. The copy
must be a readable file inside the package, with the bytes and sha256 the descriptor records, the
table's columns in order, as many rows, and in every cell the CSV's value once typed (both sides
compared as text, column by column with pyarrow: no per-row Python). A failure names table, row,
row id and column. A resource without the property has no copy to compare (a copy of the package
cannot drop it unnoticed: its descriptor is anchored, see kordata.validation.release_check).
"""

from __future__ import annotations

import hashlib

from ..errors import KordataError
from .report import Failure

PROPERTY = "kordata:parquet"  # kordata.build.parquet.PROPERTY (not imported: build/ stays out of validation)
MAX_NAMED = 20  # differing cells named per column; the count says how many more


def _as_text(column):
    """A column as strings (dictionaries decoded, nulls as a marker no CSV cell holds)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    return pc.fill_null(pc.cast(column, pa.string()), "\x00null")


def _file_failures(ctx, name: str, copy: object) -> tuple[list[Failure], object]:
    """Failures of the copy as a file, and its path (None when it cannot be compared)."""
    if not isinstance(copy, dict) or not isinstance(copy.get("path"), str):
        return [Failure(name, "parquet-copy", f"{PROPERTY} must be an object with a path")], None
    try:
        path = ctx.package.file(copy["path"], f"Parquet copy of {name!r}")
        from ..fileio import read_regular

        data = read_regular(path, f"Parquet copy of {name!r}", 4_000_000_000)
    except (KordataError, OSError) as exc:
        return [Failure(name, "parquet-copy", f"{copy['path']}: {exc}", value=copy["path"])], None
    failures = []
    if "bytes" in copy and copy["bytes"] != len(data):
        failures.append(Failure(name, "parquet-copy", f"{copy['path']} has {len(data)} bytes, not the {copy['bytes']} recorded"))
    if "hash" in copy and copy["hash"] != "sha256:" + hashlib.sha256(data).hexdigest():
        failures.append(Failure(name, "parquet-copy", f"{copy['path']} differs from the hash recorded in {PROPERTY}"))
    return failures, data


def parquet_copy_failures(ctx) -> list[Failure]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from ..loading import read_arrow

    failures: list[Failure] = []
    for name in ctx.package.table_names:
        resource = ctx.package.resource(name)
        if PROPERTY not in resource:
            continue
        found, data = _file_failures(ctx, name, resource[PROPERTY])
        failures += found
        if data is None:
            continue
        where = resource[PROPERTY]["path"]
        try:
            theirs = pq.read_table(pa.BufferReader(data))
        except (pa.ArrowException, OSError, ValueError) as exc:
            failures.append(Failure(name, "parquet-copy", f"{where} cannot be read as Parquet ({str(exc)[:200]})", value=where))
            continue
        del data
        try:
            ours = read_arrow(ctx.package, name, bounds=False)
        except (KordataError, UnicodeError, ValueError, pa.ArrowException, OSError):
            continue  # a CSV that cannot be read with its schema is reported by layer 1
        if theirs.column_names != ours.column_names:
            message = f"{where} has columns {', '.join(theirs.column_names)[:300]}, not the CSV's {', '.join(ours.column_names)[:300]}"
            failures.append(Failure(name, "parquet-copy", message, value=where))
            continue
        if theirs.num_rows != ours.num_rows:
            failures.append(Failure(name, "parquet-copy", f"{where} has {theirs.num_rows} rows, the CSV {ours.num_rows}", value=where))
            continue
        key = ctx.package.primary_key(name)
        ids = ours.column(key) if key in ours.column_names else None
        for column in ours.column_names:
            differ = pc.not_equal(_as_text(ours.column(column)), _as_text(theirs.column(column)))
            rows = pc.indices_nonzero(differ).to_pylist()  # only the differing rows reach Python
            for i in rows[:MAX_NAMED]:
                rid = str(ids[i].as_py()) if ids is not None else ""
                value = theirs.column(column)[i].as_py()
                message = f"the Parquet copy {where} holds {value!r} where the CSV holds {ours.column(column)[i].as_py()!r}"
                failures.append(Failure(name, "parquet-copy", message, row=i + 2, row_id=rid, column=column, value=str(value)))
            if len(rows) > MAX_NAMED:
                failures.append(
                    Failure(name, "parquet-copy", f"{where}: {len(rows) - MAX_NAMED} more cells of {column} differ", column=column)
                )
    return failures


CHECKS = [("parquet-copies", "each table's Parquet copy (kordata:parquet) holds the CSV's columns, rows and values", parquet_copy_failures)]

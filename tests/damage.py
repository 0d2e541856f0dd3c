"""Tools to damage a copy of the package exactly: edit a cell, a row, a file's bytes, the descriptor or a
schema, then (by default) refresh datapackage.json's bytes and hashes so that only the real checks can
catch what was done. Row ids are always looked up in the package, never typed from today's data."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

from conftest import refresh_hashes

SEED = "seeds/kor-weighs-weapons-for-ukraine.txt"


def rows(root: Path, table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((root / "data" / f"{table}.csv").read_text(encoding="utf-8"), newline="")))


def header(root: Path, table: str) -> list[str]:
    return next(csv.reader(io.StringIO((root / "data" / f"{table}.csv").read_text(encoding="utf-8"))))


def key(root: Path, table: str) -> str:
    return json.loads((root / "schemas" / f"{table}.json").read_text())["primaryKey"][0]


def pick(root: Path, table: str, **where) -> dict[str, str]:
    """The first row whose cells equal ``where`` (a value of ``...`` means: not empty)."""
    for row in rows(root, table):
        if all((row[c] != "") if v is ... else (row[c] == v) for c, v in where.items()):
            return row
    raise LookupError(f"{table} has no row with {where}: the package changed, adapt the damage")


def row_id(root: Path, table: str, **where) -> str:
    return pick(root, table, **where)[key(root, table)]


def row_number(root: Path, table: str, rid: str) -> int:
    """The row number of a row (header = 1), as frictionless counts."""
    return [r[key(root, table)] for r in rows(root, table)].index(rid) + 2


def write(root: Path, table: str, records: list[dict[str, str]] | list[list[str]], columns: list[str] | None = None, rehash=True) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = columns or header(root, table)
    writer.writerow(columns)
    for record in records:
        writer.writerow([record.get(c, "") for c in columns] if isinstance(record, dict) else record)
    (root / "data" / f"{table}.csv").write_text(out.getvalue(), encoding="utf-8", newline="")
    if rehash:
        refresh_hashes(root)


def set_cells(root: Path, table: str, rid: str, rehash=True, **values: str) -> None:
    records = rows(root, table)
    k = key(root, table)
    hits = [r for r in records if r[k] == rid]
    assert len(hits) == 1, f"{table} has no single row {rid}"
    hits[0].update(values)
    write(root, table, records, rehash=rehash)


def add_row(root: Path, table: str, template: str | None = None, rehash=True, **values: str) -> dict[str, str]:
    records = rows(root, table)
    k = key(root, table)
    base = dict(next(r for r in records if r[k] == template) if template else records[-1])
    base.update(values)
    write(root, table, [*records, base], rehash=rehash)
    return base


def drop_rows(root: Path, table: str, *ids: str, rehash=True) -> None:
    k = key(root, table)
    write(root, table, [r for r in rows(root, table) if r[k] not in ids], rehash=rehash)


def drop_figure(root: Path, figure_id: str, rehash=True) -> None:
    """Remove a figure row and the source links that name it, so that only the figure is missing."""
    links = [link["link_id"] for link in rows(root, "source_links") if link["figure_id"] == figure_id]
    drop_rows(root, "source_links", *links, rehash=False)
    drop_rows(root, "figures", figure_id, rehash=rehash)


def edit_bytes(root: Path, table: str, transform, rehash=True) -> None:
    path = root / "data" / f"{table}.csv"
    path.write_bytes(transform(path.read_bytes()))
    if rehash:
        refresh_hashes(root)


def descriptor(root: Path) -> dict:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def edit_descriptor(root: Path, change) -> None:
    d = descriptor(root)
    change(d)
    (root / "datapackage.json").write_text(json.dumps(d, indent=2), encoding="utf-8")


def resource(d: dict, name: str) -> dict:
    return next(r for r in d["resources"] if r["name"] == name)


def edit_schema(root: Path, table: str, change, rehash=False) -> None:
    path = root / "schemas" / f"{table}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(schema)
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    if rehash:
        refresh_hashes(root)


def field(schema: dict, name: str) -> dict:
    return next(f for f in schema["fields"] if f["name"] == name)


def text(root: Path) -> str:
    return (root / SEED).read_text(encoding="utf-8")


def set_span(root: Path, table: str, rid: str, start: int, end: int, rehash=True) -> None:
    """Point a row at text[start:end], quote included (the span stays true to the text)."""
    set_cells(root, table, rid, rehash=rehash, start=str(start), end=str(end), quote=text(root)[start:end])


def edit_seed(root: Path, old: str, new: str) -> None:
    """Edit the seed in place and record its new sha256, bytes and length in documents (as a forger would)."""
    path = root / SEED
    data = path.read_bytes().replace(old.encode("utf-8"), new.encode("utf-8"), 1)
    path.write_bytes(data)
    doc = row_id(root, "documents")
    set_cells(root, "documents", doc, sha256=hashlib.sha256(data).hexdigest(), bytes=str(len(data)), length=str(len(data.decode("utf-8"))))

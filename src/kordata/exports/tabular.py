"""Parquet (one file per table, typed), SQLite (keys declared; views of the events counted once, their
dyads and the statements with speakers), spreadsheet-safe CSV."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from ..domain import ACTOR1_ROLES, sql_dyad_condition
from ..loading import load_all, package
from ..tableschema import field_type
from .safety import neutralise


def write_parquet(out: Path, path=None) -> list[Path]:
    """One Parquet file per table, with the loader's types (categories become dictionaries) and each
    field's description in the Arrow field metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pkg, written = package(path), []
    for name, frame in load_all(path).items():
        table = pa.Table.from_pandas(frame, preserve_index=False)
        described = {f["name"]: f for f in pkg.fields(name)}
        fields = []
        for f in table.schema:
            if pa.types.is_timestamp(f.type):  # EDTF bounds are calendar dates
                f = pa.field(f.name, pa.date32())
            base = f.name.removesuffix("_lower").removesuffix("_upper")
            note = described.get(f.name, {}).get("description") or (f"Calendar bound of {base} (EDTF)" if base in described else "")
            fields.append(f.with_metadata({"description": note}) if note else f)
        table = table.cast(pa.schema(fields, metadata={"kordata.version": pkg.version, "kordata.table": name}))
        target = out / f"{name}.parquet"
        pq.write_table(table, target)
        written.append(target)
    return written


def _ddl(pkg, name: str) -> str:
    schema = pkg.schema(name)
    columns = []
    for field in schema["fields"]:
        c = field.get("constraints", {})
        sql = f'"{field["name"]}" {field_type(field).sql}'
        if c.get("required"):
            sql += " NOT NULL"
        if "enum" in c:
            values = ", ".join("'" + str(v).replace("'", "''") + "'" for v in c["enum"])
            sql += f' CHECK ("{field["name"]}" IN ({values}))'
        columns.append(sql)
    columns.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in schema["primaryKey"]) + ")")
    for fk in schema.get("foreignKeys", []):
        target = fk["reference"].get("resource") or name
        columns.append(
            f"FOREIGN KEY ({', '.join(chr(34) + f + chr(34) for f in fk['fields'])}) "
            f'REFERENCES "{target}" ({", ".join(chr(34) + f + chr(34) for f in fk["reference"]["fields"])})'
        )
    return f'CREATE TABLE "{name}" (\n  ' + ",\n  ".join(columns) + "\n)"


# The dyadic view in SQL, generated from kordata.domain over the counted events (kordata.exports.counting):
# the same rows as kordata.exports.dyads.dyads() (a test compares them).
DYADS_VIEW = """CREATE VIEW dyads AS
SELECT e.event_id, e.document_id, e.date, b.date_lower, b.date_upper, e.date_basis,
       p1.actor_id AS actor1_id, a1.name AS actor1_name, a1.cameo_code AS actor1_code, p1.role AS actor1_role,
       p2.actor_id AS actor2_id, a2.name AS actor2_name, a2.cameo_code AS actor2_code, p2.role AS actor2_role,
       e.event_type, e.status, e.same_event_ids, e.possibly_same_event_ids, e.cameo_code, substr(e.cameo_code, 1, 2) AS cameo_root,
       CASE WHEN e.cameo_code IS NULL THEN NULL
            WHEN CAST(substr(e.cameo_code, 1, 2) AS INTEGER) <= 5 THEN 1
            WHEN CAST(substr(e.cameo_code, 1, 2) AS INTEGER) <= 8 THEN 2
            WHEN CAST(substr(e.cameo_code, 1, 2) AS INTEGER) <= 13 THEN 3 ELSE 4 END AS quad_class,
       c.goldstein, e.plover_type, e.plover_mode, e.start, e."end", e.quote
FROM counted_events e
JOIN event_participants p1 ON p1.event_id = e.event_id AND p1.role IN ({actor1_roles})
LEFT JOIN event_participants p2 ON p2.event_id = e.event_id AND p2.actor_id <> p1.actor_id AND {dyad_condition}
JOIN actors a1 ON a1.actor_id = p1.actor_id
LEFT JOIN actors a2 ON a2.actor_id = p2.actor_id
LEFT JOIN cameo_events c ON c.code = e.cameo_code
LEFT JOIN event_date_bounds b ON b.event_id = e.event_id""".format(
    actor1_roles=", ".join(f"'{role}'" for role in ACTOR1_ROLES), dyad_condition=sql_dyad_condition()
)


def _sql_values(column: pd.Series, field: dict) -> list:
    """A typed column as the Python values sqlite3 binds (None for missing), converted column-wise:
    integers and booleans as int, numbers as float, dates as ISO text, everything else as text."""
    kind = field_type(field).name
    missing = column.isna().to_numpy()
    if kind == "date":
        values = column.dt.strftime("%Y-%m-%d").astype(object)
    elif kind == "boolean":
        values = column.astype("Int64").astype(object)
    elif kind in ("integer", "number"):
        values = column.astype(object)
    else:
        values = column.astype("string").astype(object)
    return values.where(~missing, None).tolist()


def write_sqlite(out: Path, path=None) -> list[Path]:
    """kordata.sqlite: every table with its primary and foreign keys declared (and checked), the
    CAMEO reference table, and the views ``counted_events`` (each real-world event once, see
    kordata.exports.counting), ``dyads`` and ``statements_with_speakers``."""
    from .counting import COUNTED_EVENTS_VIEW
    from .dyads import cameo_reference

    pkg = package(path)
    target = out / "kordata.sqlite"
    partial = out / "kordata.sqlite.partial"
    partial.unlink(missing_ok=True)
    con = sqlite3.connect(partial)
    try:
        con.execute("PRAGMA foreign_keys = OFF")  # tables reference each other in a cycle; checked below
        frames = load_all(path)
        for name in pkg.table_names:
            con.execute(_ddl(pkg, name))
            fields = pkg.fields(name)
            columns = [_sql_values(frames[name][f["name"]], f) for f in fields]
            con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(fields))})', zip(*columns, strict=False))
        cameo_reference().to_sql("cameo_events", con, index=False)
        events = frames["events"]
        bounds = pd.DataFrame(
            {
                "event_id": events["event_id"].astype(str),
                "date_lower": events["date_lower"].dt.strftime("%Y-%m-%d"),
                "date_upper": events["date_upper"].dt.strftime("%Y-%m-%d"),
            }
        )
        bounds.to_sql("event_date_bounds", con, index=False)  # EDTF bounds, computed by kordata's loader
        con.execute(COUNTED_EVENTS_VIEW)
        con.execute(DYADS_VIEW)
        con.execute("""CREATE VIEW statements_with_speakers AS
            SELECT s.statement_id, s.document_id, a.name AS speaker, s.speaker_role, s.quote_type, s.cue, s.content,
                   s.date, s.date_basis, r.name AS reported_by, s.reporting_cue, s.start, s."end", s.quote
            FROM statements s LEFT JOIN actors a ON a.actor_id = s.speaker_actor_id
                              LEFT JOIN actors r ON r.actor_id = s.reported_by_actor_id""")
        problems = con.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key violations in the export: {problems[:5]}")
        con.execute("PRAGMA user_version = 1")
        con.commit()
    finally:
        con.close()
    partial.replace(target)  # nothing half-written: the file appears only when complete
    return [target]


def write_csv(out: Path, path=None) -> list[Path]:
    """Every table as CSV that is safe to open in a spreadsheet: each cell exactly as the package
    writes it (read as text, so 12000 stays 12000 and true stays true), except that text cells a
    spreadsheet would run as formulas are neutralised."""
    pkg, written = package(path), []
    for name in pkg.table_names:
        frame = pd.read_csv(pkg.csv_path(name), dtype=str, keep_default_na=False, encoding="utf-8")
        target = out / f"{name}.csv"
        neutralise(frame, numeric=[f["name"] for f in pkg.fields(name) if field_type(f).name in ("integer", "number")]).to_csv(
            target, index=False, lineterminator="\n"
        )
        written.append(target)
    return written

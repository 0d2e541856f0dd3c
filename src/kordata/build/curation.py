"""Compile the curator's annotations (curation/*.toml) into the CSV tables under data/.

Maintainer tool: ``python -m kordata.build.curation [REPO_ROOT]``. Every offset in the tables is
computed here from a quote (see kordata.spans.locate); nothing numeric is typed by hand.
Rows are written in the schema's column order; unknown keys are errors, so a typo in a
field name cannot silently drop a value. Tables are written only when all compile.
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
import tomllib
from pathlib import Path

from ..errors import KordataError
from ..package import Package
from ..segment import sentences
from ..spans import SpanError, locate

# Tables curated outside any document, each from curation/<file>.toml (an array of tables per name).
GLOBAL_TABLES = {"actors": "actors.toml", "sources": "sources.toml", "source_links": "sources.toml"}


class CurationError(KordataError):
    pass


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _anchor(text: str, row: dict, where: str) -> dict:
    spec = row.pop("span")
    try:
        span = locate(text, spec, row.pop("occurrence", None))
    except SpanError as exc:
        raise CurationError(f"{where}: {exc}") from None
    return {"start": span.start, "end": span.end, "quote": span.quote}


def compile_document(package: Package, text: str, doc: dict, seed_bytes: bytes) -> dict[str, list[dict]]:
    """Rows of every document-level table for one annotated document."""
    meta = dict(doc["document"])
    doc_id = meta["document_id"]
    number = doc_id.split("-", 1)[1]
    tables: dict[str, list[dict]] = {name: [] for name in package.table_names if name not in GLOBAL_TABLES}

    exceptions = {}
    for note in doc.get("sentences", []):
        span = locate(text, note["span"])
        exceptions[(span.start, span.end)] = note
    bounds = sentences(text)
    for index, (start, end) in enumerate(bounds):
        note = exceptions.pop((start, end), {})
        tables["sentences"].append(
            {
                "sentence_id": f"sen-{number}-{index:03d}",
                "document_id": doc_id,
                "start": start,
                "end": end,
                "quote": text[start:end],
                "index": index,
                "carries_content": note.get("carries_content", True),
                "notes": note.get("notes", ""),
            }
        )
    if exceptions:
        raise CurationError(f"{doc_id}: sentence notes match no segmented sentence: {list(exceptions.values())}")

    meta.update(
        sha256=hashlib.sha256(seed_bytes).hexdigest(),
        bytes=len(seed_bytes),
        length=len(text),
        title=text.split("\n", 1)[0],
        sentences=len(bounds),
    )
    tables["documents"].append(meta)

    for mention_id, actor_id, kind, spec, notes in doc["mentions"]["rows"]:
        row = {"mention_id": mention_id, "document_id": doc_id, "span": spec}
        row |= _anchor(text, row, mention_id)
        tables["mentions"].append(row | {"actor_id": actor_id, "kind": kind, "notes": notes})
    for participant_id, event_id, actor_id, role, mention_id, notes in doc["participants"]["rows"]:
        tables["event_participants"].append(
            {
                "participant_id": participant_id,
                "document_id": doc_id,
                "event_id": event_id,
                "actor_id": actor_id,
                "role": role,
                "mention_id": mention_id,
                "notes": notes,
            }
        )
    # every other anchored table: [[table]] entries with a span, keyed by the table's primary key
    for table in package.annotation_tables:
        if table == "mentions":
            continue
        key = package.primary_key(table)
        for source in doc.get(table, []):
            row = dict(source)
            row = {key: row.pop(key), "document_id": doc_id, **_anchor(text, row, source[key]), **row}
            tables[table].append(row)
    return tables


def _render(rows: list[dict], fields: list[str], table: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        unknown = set(row) - set(fields)
        if unknown:
            raise CurationError(f"{table}: row {next(iter(row.values()))!r} has fields not in the schema: {sorted(unknown)}")
        writer.writerow([_cell(row.get(name)) for name in fields])
    return out.getvalue()


def compile_all(root: Path) -> dict[str, str]:
    """CSV text of every table, from curation/actors.toml and curation/doc-*.toml."""
    package = Package.open(root)
    tables: dict[str, list[dict]] = {name: [] for name in package.table_names}
    for name, file in GLOBAL_TABLES.items():
        if name in tables:
            tables[name] = tomllib.loads((root / "curation" / file).read_text(encoding="utf-8")).get(name, [])
    for path in sorted((root / "curation").glob("doc-*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        seed = package.file(doc["document"]["path"], path.name)
        raw = seed.read_bytes()
        for name, rows in compile_document(package, raw.decode("utf-8"), doc, raw).items():
            tables[name].extend(rows)
    return {name: _render(rows, [f["name"] for f in package.fields(name)], name) for name, rows in tables.items()}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0] if argv else ".").resolve()
    try:
        rendered = compile_all(root)
    except (KordataError, tomllib.TOMLDecodeError, KeyError) as exc:
        print(f"kordata.curation: {exc}", file=sys.stderr)
        return 1
    package = Package.open(root)
    for name, text in rendered.items():  # all compiled: now write
        package.csv_path(name).write_text(text, encoding="utf-8", newline="")
        print(f"{name}: {text.count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

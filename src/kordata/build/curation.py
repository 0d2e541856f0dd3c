"""Compile the curator's annotations (curation/*.toml) into the CSV tables under data/.

Maintainer tool: ``python -m kordata.build.curation [REPO_ROOT]`` (also ``kordata curate compile``).
Every offset in the tables is computed here from a quote (kordata.spans.locate); nothing numeric
is typed by hand. The source, for any number of documents:

- ``curation/doc-*.toml``: one file per document, named after its ``document_id``
  (``curation/doc-0001.toml`` holds ``doc-0001``): a ``[document]`` table naming its seed under
  ``seeds/``, ``[[sentences]]`` notes on exceptional sentences, and the rows of every table of
  the document: ``[[events]]``, ``[[statements]]`` ... (one entry per row, keys are the schema's
  fields, plus ``span``) or compact rows (``[mentions] rows = [[...], ...]``, ``[participants]``).
- every other ``curation/*.toml``: rows of the tables shared by all documents (actors, sources,
  source links). A document file may hold ``[[actors]]`` too: actors first coded in it.

Rows are written in the schema's column order, documents in file-name order. A field the schema
does not have, a wrong number of items in a compact row, a span not found or ambiguous, a
sentence note that is not a sentence, an id used twice (in any files), a missing seed or a
TOML syntax error stops the compile with one message naming the file, the line and the row,
and nothing under data/ is written. On success all tables are written at once
(kordata.fileio.write_many: each file is the old one or the complete new one).
Exit codes: 0 written, 2 bad input (one line on stderr), 3 internal error (traceback with --debug).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import KordataError
from ..fileio import write_many
from ..package import ANCHOR_FIELDS, DESCRIPTOR, Package
from ..segment import sentences
from ..spans import SpanError, locate
from .tomlsource import CurationError, Origin, SourceFile

__all__ = [
    "CurationError",
    "DocumentFile",
    "Origin",
    "compile_all",
    "compile_rows",
    "curation_root",
    "main",
    "matches_pattern",
    "sentence_id",
    "write_tables",
]

CURATION_DIR = "curation"
DOCUMENT_FILES = "doc-*.toml"
DOCUMENTS, SENTENCES = "documents", "sentences"
# Tables shared by all documents: rows may come from any curation file.
GLOBAL_TABLES = ("actors", "sources", "source_links")
# Compact sections of a document file: TOML key -> (table, the items of each row in order).
COMPACT_ROWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mentions": ("mentions", ("mention_id", "actor_id", "kind", "span", "notes")),
    "participants": ("event_participants", ("participant_id", "event_id", "actor_id", "role", "mention_id", "notes")),
}
SPAN_KEYS = ("span", "occurrence")  # how a row names its evidence; replaced by ANCHOR_FIELDS' values
SENTENCE_NOTE_KEYS = ("span", "occurrence", "carries_content", "notes")
# Fields of a documents row that the tool computes from the seed; the curator never writes them.
COMPUTED_DOCUMENT_FIELDS = ("sha256", "bytes", "length", "title", "sentences")


@dataclass
class Row:
    """One compiled row and where the curator wrote it."""

    table: str
    values: dict
    origin: Origin


def sentence_id(document_id: str, index: int) -> str:
    """The id of sentence ``index`` (0-based) of a document: 'sen-' + the document id without
    'doc-' + a three-digit index (sen-0001-000 for the headline of doc-0001)."""
    return f"sen-{document_id.removeprefix('doc-')}-{index:03d}"


def curation_root(path: str | Path | None = None) -> Path:
    """The repository root holding curation/ and datapackage.json: ``path`` itself, or (when None)
    the working directory or its nearest parent that has both."""
    if path is not None:
        root = Path(path).resolve()
        candidates = [root]
    else:
        here = Path.cwd().resolve()
        candidates = [here, *here.parents]
    for candidate in candidates:
        if (candidate / CURATION_DIR).is_dir() and (candidate / DESCRIPTOR).is_file():
            return candidate
    where = f"{candidates[0]}" if path is not None else f"{candidates[0]} (and its parents)"
    raise KordataError(
        f"{where}: no {CURATION_DIR}/ folder beside {DESCRIPTOR}. Curation (kordata curate) is a maintainer command: it runs "
        "in a checkout of the kordata repository, not on an installed package, which holds only the compiled tables"
    )


# ------------------------------------------------------------------ values
def _cell(value, origin: Origin, field: str) -> str:
    """A TOML value as its CSV cell. Only scalars are allowed: a list or table would be written as
    Python's repr, and NaN or infinity is no number a reader can use."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        raise CurationError(origin, f"field {field!r} is {value}: not a number a table can hold")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str | int | float):
        return str(value)
    kind = "an array" if isinstance(value, list) else "a table" if isinstance(value, dict) else type(value).__name__
    raise CurationError(origin, f"field {field!r} is {kind}; a cell holds one string, number or boolean")


def matches_pattern(pattern: str | None, value: str) -> bool:
    if not pattern:
        return True
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return True  # the schema's own pattern is broken: kordata validate reports it


def _entry_origin(source: SourceFile, table: str, number: int, key: str, entry: object) -> Origin:
    """Where entry ``number`` of ``[[table]]`` is written, named by its id (or its position when it has none)."""
    row_id = entry.get(key) if isinstance(entry, dict) else None
    name = row_id if isinstance(row_id, str) else f"{table} entry {number + 1}"
    return source.origin.at(source.entry_line(table, number, key), name)


# ------------------------------------------------------------------ one document
class DocumentFile:
    """Compiles one curation/doc-*.toml: its documents row, sentences and annotation rows."""

    def __init__(self, package: Package, source: SourceFile):
        self.package, self.source = package, source
        self.rows: list[Row] = []
        meta = source.data.get("document")
        if not isinstance(meta, dict):
            raise source.error("no [document] table: a document file starts with [document] (document_id, path, ...)", 1)
        self.meta = dict(meta)
        line = source.section_line("document")
        doc_id = self.meta.get("document_id")
        pattern = package.field(DOCUMENTS, "document_id").get("constraints", {}).get("pattern")
        if not isinstance(doc_id, str) or not matches_pattern(pattern, doc_id):
            raise source.error(f"document_id {doc_id!r} is missing or does not match {pattern}", line)
        expected = f"{doc_id}.toml"
        if source.path.name != expected:
            raise source.error(f"the file of document {doc_id} must be named {expected}", line, doc_id)
        self.doc_id = doc_id
        self.origin = source.origin.at(line, doc_id)
        computed = sorted(set(COMPUTED_DOCUMENT_FIELDS) & set(self.meta))
        if computed:
            raise CurationError(self.origin, f"{', '.join(computed)} computed from the seed by this tool: remove from [document]")
        self.raw, self.text = self._read_seed()

    def _read_seed(self) -> tuple[bytes, str]:
        relative = self.meta.get("path")
        origin = self.origin.at(self.source.field_line("document", "path"))
        if relative is None:
            raise CurationError(origin, "missing seed: [document] has no path (the seed text under seeds/)")
        if not isinstance(relative, str):
            raise CurationError(origin, f"path must be the seed's path under seeds/, not {relative!r}")
        try:
            seed = self.package.file(relative, f"seed of {self.doc_id}")
        except KordataError as exc:
            raise CurationError(origin, str(exc)) from None
        if not seed.exists():
            raise CurationError(origin, f"missing seed: {relative} does not exist")
        if not seed.is_file():
            raise CurationError(origin, f"seed {relative} is not a regular file")
        raw = seed.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CurationError(origin, f"seed {relative} is not UTF-8 (byte {exc.start})") from None
        if not text.strip():
            raise CurationError(origin, f"seed {relative} is empty")
        return raw, text

    def _anchor(self, values: dict, origin: Origin) -> dict:
        """Replace ``span`` (and ``occurrence``) by the anchor fields computed from the text."""
        spec, occurrence = values.pop("span", None), values.pop("occurrence", None)
        if spec is None:
            raise CurationError(origin, "missing span: the text of the row's evidence, copied from the seed")
        if not isinstance(spec, str):
            raise CurationError(origin, f"span must be text copied from the seed, not {spec!r}")
        if occurrence is not None and (isinstance(occurrence, bool) or not isinstance(occurrence, int)):
            raise CurationError(origin, f"occurrence must be a whole number (1 for the first), not {occurrence!r}")
        try:
            span = locate(self.text, spec, occurrence)
        except SpanError as exc:
            raise CurationError(origin, str(exc)) from None
        return {"document_id": self.doc_id, "start": span.start, "end": span.end, "quote": span.quote}

    def _own(self, values: dict, origin: Origin) -> None:
        given = values.get("document_id", self.doc_id)
        if given != self.doc_id:
            raise CurationError(origin, f"document_id {given!r} differs from this file's document {self.doc_id}")

    def compile(self) -> list[Row]:
        self._sentences()
        handled = {"document", "sentences", *GLOBAL_TABLES}  # shared tables: see _global_rows
        for key, value in self.source.data.items():
            if key in handled:
                continue
            if key in COMPACT_ROWS and isinstance(value, dict):
                self._compact(key, value)
            elif key in self.package.table_names and key not in (DOCUMENTS, SENTENCES):
                self._entries(key, value)
            else:
                known = sorted({*COMPACT_ROWS, *(t for t in self.package.table_names if t not in (DOCUMENTS, SENTENCES))})
                raise self.source.error(
                    f"unknown section {key!r}; a document file holds: document, sentences, {', '.join(known)}",
                    self.source.section_line(key),
                )
        return self.rows

    def _sentences(self) -> None:
        notes = self.source.data.get("sentences", [])
        if not isinstance(notes, list):
            raise self.source.error("sentences must be an array of tables ([[sentences]])", self.source.section_line("sentences"))
        bounds = sentences(self.text)
        by_bounds: dict[tuple[int, int], tuple[dict, Origin]] = {}
        for number, note in enumerate(notes):
            origin = self.source.origin.at(self.source.entry_line("sentences", number, "span"), f"sentence note {number + 1}")
            if not isinstance(note, dict):
                raise CurationError(origin, "a sentence note is a table ([[sentences]] with span, carries_content, notes)")
            unknown = sorted(set(note) - set(SENTENCE_NOTE_KEYS))
            if unknown:
                known = ", ".join(SENTENCE_NOTE_KEYS)
                raise CurationError(origin, f"unknown field {', '.join(map(repr, unknown))} in a sentence note; known: {known}")
            anchor = self._anchor(dict(note), origin)
            where = (anchor["start"], anchor["end"])
            if where not in set(bounds):
                around = next((self.text[a:b] for a, b in bounds if a <= anchor["start"] < b), "")
                raise CurationError(
                    origin,
                    f"sentence note not in the text: {anchor['quote']!r} is not one whole sentence of {self.doc_id}; "
                    f"the sentence there is {around!r}",
                )
            if where in by_bounds:
                raise CurationError(origin, f"a second note on sentence {anchor['quote']!r}")
            by_bounds[where] = (note, origin)
        for index, (start, end) in enumerate(bounds):
            note, origin = by_bounds.get((start, end), ({}, self.origin))
            row_id = sentence_id(self.doc_id, index)
            self.rows.append(
                Row(
                    SENTENCES,
                    {
                        "sentence_id": row_id,
                        "document_id": self.doc_id,
                        "start": start,
                        "end": end,
                        "quote": self.text[start:end],
                        "index": index,
                        "carries_content": note.get("carries_content", True),
                        "notes": note.get("notes", ""),
                    },
                    origin.at(row=row_id),
                )
            )
        meta = {
            **self.meta,
            "sha256": hashlib.sha256(self.raw).hexdigest(),
            "bytes": len(self.raw),
            "length": len(self.text),
            "title": self.text.split("\n", 1)[0],
            "sentences": len(bounds),
        }
        self.rows.insert(0, Row(DOCUMENTS, meta, self.origin))

    def _compact(self, key: str, section: dict) -> None:
        table, columns = COMPACT_ROWS[key]
        line = self.source.section_line(key)
        extra = sorted(set(section) - {"rows"})
        if extra:
            raise self.source.error(f"[{key}] holds only rows = [...]; unknown: {', '.join(extra)}", line)
        rows = section.get("rows", [])
        if not isinstance(rows, list):
            raise self.source.error(f"[{key}] rows must be an array of rows", line)
        seen: dict[object, int] = {}
        for number, items in enumerate(rows):
            first = items[0] if isinstance(items, list) and items else None
            nth = seen.get(first, 0) if isinstance(first, str) else 0
            seen[first] = nth + 1
            origin = self.source.origin.at(self.source.row_line(key, first, nth), first if isinstance(first, str) else f"row {number + 1}")
            if not isinstance(items, list):
                raise CurationError(origin, f"[{key}] row {number + 1} is not an array of {len(columns)} items: {', '.join(columns)}")
            if len(items) != len(columns):
                raise CurationError(
                    origin, f"[{key}] row {number + 1} has {len(items)} items, expected {len(columns)}: {', '.join(columns)}"
                )
            values = dict(zip(columns, items, strict=True))
            anchored = set(ANCHOR_FIELDS) <= {f.get("name") for f in self.package.fields(table)}
            values = self._finish(table, values, origin, anchored)
            self.rows.append(Row(table, values, origin))

    def _entries(self, table: str, entries: object) -> None:
        if not isinstance(entries, list):
            raise self.source.error(f"{table} must be an array of tables ([[{table}]])", self.source.section_line(table))
        key = self.package.primary_key(table)
        anchored = table in self.package.anchored_tables
        for number, entry in enumerate(entries):
            origin = _entry_origin(self.source, table, number, key, entry)
            if not isinstance(entry, dict):
                raise CurationError(origin, f"{table} must be an array of tables ([[{table}]])")
            self.rows.append(Row(table, self._finish(table, dict(entry), origin, anchored), origin))

    def _finish(self, table: str, values: dict, origin: Origin, anchored: bool) -> dict:
        self._own(values, origin)
        if anchored:
            anchor = self._anchor(values, origin)
            key = self.package.primary_key(table)
            return {key: values.pop(key, None), **anchor, **values}
        misplaced = sorted(set(SPAN_KEYS) & set(values))
        if misplaced:
            raise CurationError(origin, f"{table} rows are not anchored to the text: remove {', '.join(misplaced)}")
        if "document_id" in {f.get("name") for f in self.package.fields(table)}:
            values["document_id"] = self.doc_id
        return values


# ------------------------------------------------------------------ shared tables
def _global_rows(package: Package, source: SourceFile, document: str | None) -> list[Row]:
    rows = []
    for table in GLOBAL_TABLES:
        entries = source.data.get(table)
        if entries is None or table not in package.table_names:
            continue
        if not isinstance(entries, list):
            raise source.error(f"{table} must be an array of tables ([[{table}]])", source.section_line(table))
        key = package.primary_key(table)
        has_document = "document_id" in {f.get("name") for f in package.fields(table)}
        for number, entry in enumerate(entries):
            origin = _entry_origin(source, table, number, key, entry)
            if not isinstance(entry, dict):
                raise CurationError(origin, f"{table} must be an array of tables ([[{table}]])")
            values = dict(entry)
            if document is not None and has_document:
                given = values.setdefault("document_id", document)
                if given != document:
                    raise CurationError(origin, f"document_id {given!r} differs from this file's document {document}")
            rows.append(Row(table, values, origin))
    return rows


# ------------------------------------------------------------------ checks on all rows
def _check_fields(package: Package, rows: list[Row]) -> None:
    """Every key is a field of the table's schema; every required field has a value."""
    names = {table: [f.get("name") for f in package.fields(table)] for table in package.table_names}
    required = {
        table: [f["name"] for f in package.fields(table) if f.get("constraints", {}).get("required")] for table in package.table_names
    }
    for row in rows:
        unknown = [k for k in row.values if k not in names[row.table]]
        if unknown:
            listed = ", ".join(map(repr, unknown))
            raise CurationError(row.origin, f"unknown field {listed} for table {row.table}; see schemas/{row.table}.json")
        missing = [name for name in required[row.table] if row.values.get(name) in (None, "")]
        if missing:
            raise CurationError(row.origin, f"missing required field {', '.join(map(repr, missing))} for table {row.table}")


def _check_unique(package: Package, rows: list[Row]) -> None:
    """Primary keys and unique fields hold each value once, across every file and document."""
    for table in package.table_names:
        unique = [package.primary_key(table)] + [
            f["name"] for f in package.fields(table) if f.get("constraints", {}).get("unique") and f["name"] != package.primary_key(table)
        ]
        for field in unique:
            first: dict[str, Origin] = {}
            for row in rows:
                if row.table != table or row.values.get(field) in (None, ""):
                    continue
                value = str(row.values[field])
                if value in first:
                    raise CurationError(row.origin, f"duplicate {table}.{field} {value!r}: already used at {first[value]}")
                first[value] = row.origin


def compile_rows(root: str | Path) -> tuple[Package, dict[str, list[Row]]]:
    """Every row of every table, compiled from ROOT/curation/*.toml, with where each was written.
    Raises CurationError (file, line, row) or KordataError on bad input."""
    root = curation_root(root)
    package = Package.open(root)
    all_rows: list[Row] = []
    folder = root / CURATION_DIR
    for path in sorted(p for p in folder.glob("*.toml")):
        source = SourceFile(root, path)
        if path.match(DOCUMENT_FILES):
            document = DocumentFile(package, source)
            all_rows += document.compile()
            all_rows += _global_rows(package, source, document.doc_id)
        else:
            unknown = sorted(set(source.data) - set(GLOBAL_TABLES))
            if unknown:
                raise source.error(
                    f"unknown section {unknown[0]!r}: a file not named {DOCUMENT_FILES} holds only {', '.join(GLOBAL_TABLES)}",
                    source.section_line(unknown[0]),
                )
            all_rows += _global_rows(package, source, None)
    _check_fields(package, all_rows)
    _check_unique(package, all_rows)
    tables: dict[str, list[Row]] = {name: [] for name in package.table_names}
    for row in all_rows:
        tables[row.table].append(row)
    return package, tables


def _render(package: Package, table: str, rows: list[Row]) -> str:
    fields = [f["name"] for f in package.fields(table)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_cell(row.values.get(name), row.origin, name) for name in fields])
    return out.getvalue()


def compile_all(root: str | Path) -> dict[str, str]:
    """CSV text of every table, compiled from ROOT/curation/*.toml (nothing is written)."""
    package, tables = compile_rows(root)
    return {name: _render(package, name, rows) for name, rows in tables.items()}


def write_tables(root: str | Path) -> dict[str, int]:
    """Compile and write every table under data/ all or nothing; table -> number of rows."""
    package, tables = compile_rows(root)
    rendered = {name: _render(package, name, rows) for name, rows in tables.items()}
    write_many({package.csv_path(name): text for name, text in rendered.items()})
    return {name: len(rows) for name, rows in tables.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kordata.build.curation", description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", default=None, help="repository root (default: this folder or the nearest parent with curation/)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        counts = write_tables(curation_root(args.root))
    except KordataError as exc:
        print(f"kordata curation: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        if args.debug:
            raise
        print(f"kordata curation: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 3
    documents = counts.get(DOCUMENTS, 0)
    print(f"compiled {documents} document{'s' if documents != 1 else ''}: " + ", ".join(f"{name} {n}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

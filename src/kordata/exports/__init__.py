"""Exports of the tables into the formats the field already uses.

    kordata export FORMAT --out DIR        (CLI)
    kordata.exports.export(FORMAT, DIR)    (library)

FORMATS is the one list of formats: the CLI's choices, its help and the docs are generated from
it. Each writer takes (out folder, package path) and writes its files there, under fixed names or
names from the data (table names, document ids), which ``export`` checks first; ``export`` gives
the writer a temporary folder and moves complete files into place (see its docstring), so a
writer needs no care for atomicity. Loader functions for the derived views:
kordata.exports.dyads.dyads().
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ..errors import KordataError
from ..fileio import TEMP_PREFIX, WriteError


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    writer: str  # "module:function" inside kordata.exports, imported only when used

    def write(self, out: Path, path=None) -> list[Path]:
        module, function = self.writer.split(":")
        return getattr(import_module(f"{__name__}.{module}"), function)(out, path)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("parquet", "one typed Parquet file per table (vocabularies as dictionaries, dates as dates)", "tabular:write_parquet"),
        Format("sqlite", "one SQLite database with keys declared and the dyads and statements_with_speakers views", "tabular:write_sqlite"),
        Format("csv", "every table as spreadsheet-safe CSV (cells that would run as formulas neutralised)", "tabular:write_csv"),
        Format(
            "dyads", "the dyadic event view (actor 1, actor 2, CAMEO root, QuadClass, Goldstein) as CSV and Parquet", "dyads:write_dyads"
        ),
        Format("w3c", "W3C Web Annotation JSON-LD: one annotation per anchored row", "annotation_formats:write_web_annotations"),
        Format("brat", "brat standoff: the text, .ann files and annotation.conf", "annotation_formats:write_brat"),
        Format("claims", "schema.org Claim JSON-LD, one per claim, no verdicts", "jsonld:write_claims"),
        Format("plover", "PLOVER-style JSON event records", "jsonld:write_plover"),
    )
}


def _refusals(path) -> None:
    """Refuse, before anything is written, a package whose names would leave the output folder or
    whose foreign keys dangle (the writers join tables on them)."""
    from ..fileio import confined
    from ..package import Package
    from ..validation.raw import RawTables
    from ..validation.shape import RESOURCE_NAME
    from ..validation.table_layer import _foreign_key_failures

    pkg = Package.open(path)
    for name in pkg.table_names:
        if not RESOURCE_NAME.match(name):
            raise KordataError(f"resource name {name!r} cannot name an export file (it must be lower-case letters, digits, '_'): refused")
    raw = RawTables(pkg)
    unreadable = [f"{f.table}: {f.message}" for f in raw.failures] + [f"{t}: {reason}" for t, reason in raw.unreadable.items()]
    if unreadable:
        raise KordataError(f"{unreadable[0]}; run kordata validate")
    documents = raw.frames.get("documents")
    if documents is not None and "document_id" in documents.columns:
        for doc in documents["document_id"]:
            confined(Path("."), doc, "document id")
            if doc.startswith("."):
                raise KordataError(f"document id {doc!r} would name a hidden file: refused")
    for name in pkg.table_names:
        dangling = _foreign_key_failures(pkg, raw, name)
        if dangling:
            f = dangling[0]
            where = f" row {f.row} [{f.row_id}]" if f.row is not None else ""
            raise KordataError(
                f"{name}{where} column {f.column}: {f.message}: the export would join on a key that dangles; run kordata validate"
            )


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def export(fmt: str, out: str | Path, path: str | Path | None = None) -> list[Path]:
    """Write format ``fmt`` of the package at ``path`` (default: installed) into folder ``out``.

    The writer works in a temporary folder inside ``out``; each complete file is then flushed to disk
    and renamed into place, so ``out`` holds either a file's old version or its complete new one,
    never a truncated file, whatever happens (a full disk, a kill, another export running at the same
    time). A failure to write is a kordata.fileio.WriteError naming ``out``; names from the data
    (tables, document ids) that would leave ``out`` and dangling foreign keys are refused first."""
    if fmt not in FORMATS:
        raise KordataError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if "\x00" in str(out):
        raise KordataError(f"--out {str(out)!r} contains a NUL byte")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise KordataError(f"--out {out} exists and is not a folder")
    _refusals(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=out))
    except OSError as exc:
        raise WriteError(f"cannot write into {out}: {exc.strerror or exc}") from None
    try:
        FORMATS[fmt].write(staging, path)
        produced = sorted(p for p in staging.rglob("*") if p.is_file() or p.is_symlink())
        for file in produced:
            if file.is_symlink():
                raise KordataError(f"the {fmt} writer made a symbolic link ({file.name}): refused")
            _fsync(file)
        written = []
        for file in produced:
            target = out / file.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(file, target)
            written.append(target)
        return written
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WriteError(f"cannot write the {fmt} export into {out}: {reason}; nothing was replaced") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)

"""Exports of the tables into the formats the field already uses.

    kordata export FORMAT --out DIR        (CLI)
    kordata.exports.export(FORMAT, DIR)    (library)

FORMATS is the one list of formats: the CLI's choices, its help and the docs are generated from
it. Each writer takes (out folder, package path) and returns the paths it wrote. Loader
functions for the derived views: kordata.exports.dyads.dyads().
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ..errors import KordataError


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


def export(fmt: str, out: str | Path, path: str | Path | None = None) -> list[Path]:
    """Write format ``fmt`` of the package at ``path`` (default: installed) into folder ``out``."""
    if fmt not in FORMATS:
        raise KordataError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise KordataError(f"--out {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return FORMATS[fmt].write(out, path)

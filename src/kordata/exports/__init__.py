"""Exports of the tables into the formats the field already uses.

    kordata export FORMAT --out DIR        (CLI)
    kordata.exports.export(FORMAT, DIR)    (library)

Formats: parquet, sqlite, csv (spreadsheet-safe), dyads, w3c (Web Annotation JSON-LD), brat,
claims (schema.org Claim JSON-LD), plover (PLOVER-style JSON). Each writer returns the paths
it wrote. Loader functions for the derived views: kordata.exports.dyads.dyads().
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import KordataError


def _writers() -> dict[str, Callable]:
    from . import annotation_formats, dyads, jsonld, tabular
    return {"parquet": tabular.write_parquet, "sqlite": tabular.write_sqlite, "csv": tabular.write_csv,
            "dyads": dyads.write_dyads, "w3c": annotation_formats.write_web_annotations, "brat": annotation_formats.write_brat,
            "claims": jsonld.write_claims, "plover": jsonld.write_plover}


FORMATS = ("parquet", "sqlite", "csv", "dyads", "w3c", "brat", "claims", "plover")


def export(fmt: str, out: str | Path, path: str | Path | None = None) -> list[Path]:
    """Write format ``fmt`` of the package at ``path`` (default: installed) into folder ``out``."""
    if fmt not in FORMATS:
        raise KordataError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise KordataError(f"--out {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return _writers()[fmt](out, path)

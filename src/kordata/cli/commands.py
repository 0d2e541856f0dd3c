"""The commands on the data: info, validate, show, cite, path, coverage, diff, export."""

from __future__ import annotations

import json
import sys

import click

from ..errors import KordataError
from ..exports import FORMATS
from ..validation.report import layers_help
from . import cli
from .options import EXIT_INVALID, EXIT_OK, path_option


@cli.command()
@path_option
def info(package_path) -> None:
    """Tables with row counts, version and license."""
    from ..loading import load_all, package

    pkg = package(package_path)
    d = pkg.descriptor
    click.echo(f"{d.get('title')}\nversion {pkg.version}  license {', '.join(lic.get('name', '') for lic in d.get('licenses', []))}\n")
    for name, frame in load_all(package_path).items():
        click.echo(f"  {name:<20} {len(frame):>6} rows  {pkg.resource(name).get('title', '')}")


@cli.command()
@click.argument("path", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--layer", "layers", type=click.IntRange(1, 3), multiple=True, help="Run only this layer (repeatable).")
@click.option(
    "--engine",
    type=click.Choice(["kordata", "frictionless"]),
    default="kordata",
    show_default=True,
    help="Layer 1: kordata's column-wise checks, or frictionless itself.",
)
def validate(path, as_json, layers, engine) -> None:
    """Validate the package (default: the installed one) in three layers; exit 1 on any failure."""
    from ..validation import validate as run

    report = run(path, tuple(layers) or (1, 2, 3), engine)
    click.echo(report.to_json() if as_json else report.to_text())
    sys.exit(EXIT_OK if report.ok else EXIT_INVALID)


@cli.command()
@click.argument("table")
@click.option("-n", "--rows", default=10, show_default=True, type=click.IntRange(0), help="Number of rows to show.")
@click.option("-c", "--columns", default=None, help="Comma-separated columns to show.")
@path_option
def show(table, rows, columns, package_path) -> None:
    """A readable preview of TABLE."""
    import pandas as pd

    from ..loading import load

    frame = load(table, package_path)
    if columns:
        wanted = [c.strip() for c in columns.split(",")]
        unknown = [c for c in wanted if c not in frame.columns]
        if unknown:
            raise KordataError(f"table {table!r} has no column {', '.join(unknown)}")
        frame = frame[wanted]
    with pd.option_context("display.max_columns", 8, "display.width", 120, "display.max_colwidth", 40):
        click.echo(frame.head(rows).to_string(index=False))
    click.echo(f"({len(frame)} rows)")


@cli.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "bibtex", "cff"]), default="text", show_default=True)
@path_option
def cite(fmt, package_path) -> None:
    """How to cite this release: plain text (APA-like), BibTeX or CFF."""
    from ..citation import cite as run

    click.echo(run(fmt, package_path))


@cli.command()
def path() -> None:
    """Folder of the installed package (holds datapackage.json)."""
    from ..package import default_root

    click.echo(str(default_root()))


@cli.command()
@path_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def coverage(package_path, as_json) -> None:
    """Each sentence of the text with the event, statement and claim ids that cite it."""
    from ..validation import coverage as run

    table = run(package_path)
    if as_json:
        click.echo(json.dumps(table.to_dict(orient="records"), indent=2, ensure_ascii=False))
        return
    for row in table.itertuples(index=False):
        mark = "" if row.carries_content == "true" else " (no content)"
        click.echo(f"{row.sentence_id}{mark}: {row.quote[:70]!r}\n    cited by: {row.cited_by or '-'}")


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def diff(old, new, as_json) -> None:
    """Rows added, removed and changed per table between two package copies (OLD and NEW paths)."""
    from ..releases import diff as run
    from ..releases import diff_text

    result = run(old, new)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else diff_text(result))


@cli.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(FORMATS)))
@click.option("--out", "out", required=True, metavar="DIR", help="Folder to write into (created if missing).")
@path_option
def export(fmt, out, package_path) -> None:
    """Export the tables as FORMAT into DIR."""
    from ..exports import export as run

    for written in run(fmt, out, package_path):
        click.echo(str(written))


export.help = (export.help or "") + "\n\n" + "\n\n".join(f"{f.name}: {f.description}" for f in FORMATS.values())
validate.help = (validate.help or "") + "\n\n" + layers_help()  # the layers described once (kordata.validation.report)

"""The commands on the data: info, validate, show, cite, path, coverage, diff, export (and serve, in
cli/serve.py). Every command that reads one package names it with -p/--package (default: the
installed copy); each docstring ends with an ``Example:`` line that ``kordata --help`` lists."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import click

from ..errors import KordataError
from ..exports import FORMATS
from ..validation.report import layers_help
from . import cli
from .options import EXIT_INVALID, EXIT_OK, path_option


@cli.command()
@path_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON: name, title, version, licenses, folder and tables.")
def info(package_path, as_json) -> None:
    """Tables with row counts, version and license.

    Example: kordata info --json
    """
    from ..loading import load_all, package
    from ..profiles import require_valid_descriptor

    pkg = package(package_path)
    require_valid_descriptor(pkg)
    d = pkg.descriptor
    frames = load_all(package_path)
    if as_json:
        tables = [
            {
                "name": n,
                "title": pkg.resource(n).get("title", ""),
                "rows": len(f),
                "columns": len(pkg.fields(n)),
                "path": pkg.resource(n)["path"],
            }
            for n, f in frames.items()
        ]
        doc = {"name": d.get("name"), "title": d.get("title"), "version": pkg.version, "licenses": d.get("licenses", [])}
        click.echo(json.dumps({**doc, "folder": str(pkg.root), "tables": tables}, indent=2, ensure_ascii=False))
        return
    from ..release_state import of  # "0.2.0 (unreleased preview)" while CHANGELOG.md says Unreleased

    click.echo(f"{d.get('title')}\nversion {of(pkg).label}  license {', '.join(lic.get('name', '') for lic in d.get('licenses', []))}\n")
    for name, frame in frames.items():
        click.echo(f"  {name:<20} {len(frame):>6} rows  {pkg.resource(name).get('title', '')}")


def _checkout(start: Path) -> Path | None:
    """The nearest folder from ``start`` upwards that holds a datapackage.json (a checkout), if any."""
    for folder in (start, *start.parents):
        if (folder / "datapackage.json").is_file():
            return folder
    return None


def which_copy(package_path: str | None) -> str:
    """One line saying which copy of the package a command checks, and how to check the working tree."""
    from ..package import Package, default_root

    if package_path is not None:
        try:
            version = Package.open(package_path).version
        except KordataError:
            return f"checking {package_path}"
        return f"checking the copy at {package_path} (version {version})"
    root = default_root()
    version = Package.open(root).version
    here = _checkout(Path.cwd())
    if here is None:
        return f"checking the installed copy at {root} (version {version})"
    if here.resolve() == root.resolve():
        return f"checking the working tree at {root} (version {version}; the installed copy is this checkout)"
    return (
        f"checking the installed copy at {root} (version {version}), "
        f"not the working tree at {here}: run `kordata validate -p .` to check it"
    )


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@path_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--layer", "layers", type=click.IntRange(1, 3), multiple=True, help="Run only this layer (repeatable).")
@click.option(
    "--engine",
    type=click.Choice(["kordata", "frictionless"]),
    default="kordata",
    show_default=True,
    help="Layer 1: kordata's column-wise checks, or frictionless itself.",
)
def validate(path, package_path, as_json, layers, engine) -> None:
    """Validate a package in three layers; exit 1 on failure.

    Checks the installed copy unless -p names another (-p . is the working tree of a checkout); the
    first line on stderr says which copy is checked. PATH is the same as -p PATH (kept for compatibility).

    Example: kordata validate -p .
    """
    from ..validation import validate as run

    if path is not None and package_path is not None and path != package_path:
        raise click.UsageError("name the package once: PATH or -p PATH")
    package_path = package_path if package_path is not None else path
    if package_path is not None and "\x00" not in str(package_path) and not os.path.lexists(package_path):
        raise KordataError(f"{package_path}: no such file or folder (name a package folder or its datapackage.json)")
    click.echo(f"kordata: {which_copy(package_path)}", err=True)
    report = run(package_path, tuple(layers) or (1, 2, 3), engine)
    click.echo(report.to_json() if as_json else report.to_text())
    sys.exit(EXIT_OK if report.ok else EXIT_INVALID)


def terminal_width() -> int:
    """The terminal's width (COLUMNS wins, as for every program), 100 when output is not a terminal."""
    import shutil

    return max(20, shutil.get_terminal_size((100, 24)).columns)


@cli.command()
@click.argument("table")
@click.option("-n", "--rows", default=10, show_default=True, type=click.IntRange(0), help="Number of rows to show.")
@click.option("-c", "--columns", default=None, help="Comma-separated columns to show, in this order.")
@path_option
def show(table, rows, columns, package_path) -> None:
    """A preview of TABLE that fits the terminal.

    Says how many rows and columns are shown; missing values are shown as <NA>.

    Example: kordata show events -n 5 -c event_id,event_type,cameo_code
    """
    from ..loading import did_you_mean, load
    from .render import MISSING, cell, fit

    frame = load(table, package_path)
    if columns:
        wanted = [c.strip() for c in columns.split(",") if c.strip()]
        for name in wanted:
            if name not in frame.columns:
                raise KordataError(f"table {table!r} has no column {name!r}{did_you_mean(name, list(frame.columns))}")
        frame = frame[wanted]
    head = frame.head(rows)
    body = [[cell(v) for v in row] for row in head.itertuples(index=False)]
    lines, left_out = fit([str(c) for c in frame.columns], body, terminal_width())
    for line in lines:
        click.echo(line)
    footer = f"{len(head)} of {len(frame)} rows; missing values are {MISSING}"
    if left_out:
        footer += f"; {len(frame.columns) - len(left_out)} of {len(frame.columns)} columns (pick with -c; not shown: {', '.join(left_out)})"
    click.echo(textwrap.fill(footer, terminal_width(), break_on_hyphens=False))


@cli.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "bibtex", "cff"]), default="text", show_default=True)
@path_option
def cite(fmt, package_path) -> None:
    """How to cite this release: text (APA-like), BibTeX or CFF.

    Example: kordata cite -f bibtex
    """
    from ..citation import cite as run

    click.echo(run(fmt, package_path))


@cli.command()
@path_option
def path(package_path) -> None:
    """Folder of the package (holds datapackage.json).

    Default: the installed copy.

    Example: frictionless validate "$(kordata path)/datapackage.json"
    """
    from ..package import Package

    click.echo(str(Package.open(package_path).root))


@cli.command()
@path_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def coverage(package_path, as_json) -> None:
    """Each sentence of the text with the rows that cite it.

    Lists the event, statement and claim ids citing each sentence.

    Example: kordata coverage --json
    """
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
    """Rows added, removed and changed between two copies.

    OLD and NEW are two copies of the package (folders or datapackage.json files).

    Example: kordata diff old-release/ .
    """
    from ..releases import diff as run
    from ..releases import diff_text

    result = run(old, new)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else diff_text(result))


@cli.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(FORMATS)))
@click.option("--out", "out", required=True, metavar="DIR", help="Folder to write into (created if missing).")
@path_option
def export(fmt, out, package_path) -> None:
    """Export the tables as FORMAT into DIR.

    Example: kordata export sqlite --out out
    """
    from ..exports import export as run

    for written in run(fmt, out, package_path):
        click.echo(str(written))


export.help = (export.help or "") + "\n\n" + "\n\n".join(f"{f.name}: {f.description}" for f in FORMATS.values())
validate.help = (validate.help or "") + "\n\n" + layers_help()  # the layers described once (kordata.validation.report)

from . import serve as serve  # noqa: E402  (registers `kordata serve` on the same group)

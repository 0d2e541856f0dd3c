"""``kordata serve``: the package in Datasette (kordata.serve builds the files; Datasette serves them)."""

from __future__ import annotations

import shlex
import signal
import subprocess
import tempfile
from pathlib import Path

import click

from ..errors import KordataError
from . import cli
from .options import path_option


@cli.command()
@path_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (127.0.0.1: this machine only).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--out", default=None, metavar="DIR", help="Keep kordata.sqlite and metadata.json in DIR (default: a temporary folder).")
@click.option("--build-only", is_flag=True, help="Write the files and print the Datasette command instead of running it.")
def serve(package_path, host, port, out, build_only) -> None:
    """Browse the tables in Datasette, in a web browser.

    SQLite, descriptions, facets and canned queries. Needs the optional extra: pip install 'kordata[serve]'. Stop it with Ctrl-C.

    Example: kordata serve --port 8001
    """
    from ..serve import build, datasette_command, require_datasette

    if build_only and out is None:
        raise click.UsageError("--build-only needs --out DIR (where to keep the files)")
    if not build_only:
        require_datasette()
    with tempfile.TemporaryDirectory(prefix="kordata-serve-") as scratch:
        database, metadata = build(Path(out or scratch), package_path)
        command = datasette_command(database, metadata, host, port)
        if build_only:
            click.echo(shlex.join(command[2:]))
            return
        click.echo(f"kordata: serving {database} on http://{host}:{port or '<free port>'}/ (Ctrl-C to stop)", err=True)
        code = run_until_stopped(command)
        if code not in STOPPED:
            raise KordataError(f"Datasette stopped with exit code {code}")


STOPPED = (0, -signal.SIGTERM, -signal.SIGINT, 128 + signal.SIGINT)  # Datasette's exit when asked to stop


def run_until_stopped(command: list[str]) -> int:
    """Run Datasette in a child process; SIGTERM or Ctrl-C stops it too (no orphan), and the
    temporary folder is removed afterwards. Datasette's exit code."""
    process = subprocess.Popen(command)
    previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        try:
            return process.wait()
        except KeyboardInterrupt:  # the child got the same Ctrl-C from the terminal
            process.terminate()
            return process.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)

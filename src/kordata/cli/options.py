"""What every command shares: exit codes and the option that names a package copy."""

from __future__ import annotations

import click

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

path_option = click.option(
    "--package",
    "package_path",
    metavar="PATH",
    default=None,
    help="Another copy of the package (folder or datapackage.json). Default: the installed one.",
)

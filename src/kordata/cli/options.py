"""What every command shares: exit codes and the one way to name a package copy (``-p/--package``)."""

from __future__ import annotations

import click

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

# Every command that reads one package takes it as -p/--package PATH (a folder or its datapackage.json);
# without it, the installed copy. `kordata diff OLD NEW` compares two copies and names both positionally.
path_option = click.option(
    "-p",
    "--package",
    "package_path",
    metavar="PATH",
    default=None,
    help="Another copy of the package (folder or datapackage.json), e.g. -p . for the working tree. Default: the installed one.",
)

"""The ``kordata`` command line (also ``python -m kordata``).

Exit codes: 0 success; 1 validation found failures; 2 a usage mistake or bad input
(unknown table, bad path, bad option), reported as one line on stderr.
"""

from __future__ import annotations

import click

from ..errors import KordataError
from .help import ExampleGroup
from .options import EXIT_INVALID, EXIT_OK, EXIT_USAGE, path_option  # noqa: F401


def _print_version(ctx: click.Context, _param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from .. import _version

        click.echo(f"kordata {_version()}")
        ctx.exit()


@click.group(cls=ExampleGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the data's version (datapackage.json of the installed package) and exit.",
)
def cli() -> None:
    """kordata: events, actors, statements and claims coded from news reports, every row anchored to its text."""


from . import commands as commands  # noqa: E402  (the commands register themselves on the group above)
from . import curate as curate  # noqa: E402  (kordata curate: maintainer commands)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; turn user mistakes into one line on stderr and exit code 2."""
    try:
        result = cli.main(args=argv, prog_name="kordata", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        click.echo(f"kordata: error: {exc.format_message()}", err=True)
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("kordata: aborted", err=True)
        return EXIT_USAGE
    except KordataError as exc:
        click.echo(f"kordata: error: {exc}", err=True)
        return EXIT_USAGE
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    return result if isinstance(result, int) else EXIT_OK

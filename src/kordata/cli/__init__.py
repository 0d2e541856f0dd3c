"""The ``kordata`` command line (also ``python -m kordata``).

Exit codes, for every command: 0 success; 1 the package is invalid (validate); 2 a usage mistake
or bad input (unknown table, bad path, unreadable or malformed file, a file that cannot be
written), reported as one line on stderr naming the file and the problem; 3 an internal error
(a bug), one line on stderr, with the traceback only when ``--debug`` is given. Everything the
commands print is escaped: a control character from the data (an ANSI or OSC escape in an id)
is shown as ``\\x1b``, never sent raw to the terminal.
"""

from __future__ import annotations

import contextlib
import io
import sys
import traceback

import click

from ..errors import KordataError
from .help import ExampleGroup
from .options import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, path_option  # noqa: F401

DEBUG_FLAG = "--debug"


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
@click.option(DEBUG_FLAG, is_flag=True, expose_value=False, help="On an internal error, print the traceback (exit code 3).")
def cli() -> None:
    """kordata: events, actors, statements and claims coded from news text, every row anchored to the words it comes from.

    Exit codes: 0 success, 1 the package is invalid, 2 a usage mistake or bad input (one line on
    stderr), 3 an internal error (one line; the traceback with --debug)."""


from . import commands as commands  # noqa: E402  (the commands register themselves on the group above)
from . import curate as curate  # noqa: E402  (kordata curate: maintainer commands)


class _EscapingStream(io.TextIOBase):
    """A text stream that escapes control, zero-width and bidirectional-control characters (but
    line breaks and tabs) before they reach the real stream, and characters the real stream's
    encoding cannot write (PYTHONIOENCODING=ascii, a C locale) as backslash escapes: the output
    stays complete and the exit code the command's own."""

    def __init__(self, stream):
        self._stream = stream

    @property
    def encoding(self):  # type: ignore[override]  # click reads it to decide whether the stream takes text as it is
        return getattr(self._stream, "encoding", "utf-8")

    @property
    def errors(self):  # type: ignore[override]
        return getattr(self._stream, "errors", "strict")

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return bool(getattr(self._stream, "isatty", lambda: False)())

    def write(self, text: str) -> int:
        from ..validation.report import escape

        escaped = escape(text)
        encoding = getattr(self._stream, "encoding", None) or "utf-8"
        try:
            escaped.encode(encoding)
        except UnicodeEncodeError:
            escaped = escaped.encode(encoding, "backslashreplace").decode(encoding)
        except LookupError:  # an encoding Python does not know: ASCII is safe everywhere
            escaped = escaped.encode("ascii", "backslashreplace").decode("ascii")
        self._stream.write(escaped)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "(no message)"


def _error(message: str) -> None:
    click.echo(f"kordata: error: {_one_line(message)}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (0, 1, 2 or 3); never raises, never prints a traceback
    unless ``--debug`` is given."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = DEBUG_FLAG in argv[: argv.index("--") if "--" in argv else len(argv)]
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _EscapingStream(stdout), _EscapingStream(stderr)
    try:
        return _run(argv, debug)
    finally:
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (kordata show ... | head): nothing more to say
            sys.stdout.flush()
        sys.stdout, sys.stderr = stdout, stderr


def _run(argv: list[str], debug: bool) -> int:
    try:
        result = cli.main(args=argv, prog_name="kordata", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        _error(exc.format_message())
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("kordata: aborted", err=True)
        return EXIT_USAGE
    except KordataError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except OSError as exc:  # a file the command had to read or write: name it
        where = f" {exc.filename}" if exc.filename else ""
        _error(f"cannot use{where}: {exc.strerror or exc}")
        return EXIT_USAGE
    except SystemExit as exc:
        if type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):  # click's answer to a closed pipe (kordata ... | head)
            sys.stderr = sys.__stderr__ if sys.__stderr__ is not None else sys.stderr
            _error("the output was closed before everything was written (broken pipe)")
            return EXIT_USAGE
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except (KeyboardInterrupt, BrokenPipeError):
        return EXIT_USAGE
    except Exception as exc:  # a bug: one line, the traceback only on request
        if debug:
            traceback.print_exc()
        _error(f"internal error: {type(exc).__name__}: {exc} (run with {DEBUG_FLAG} for the traceback)")
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK

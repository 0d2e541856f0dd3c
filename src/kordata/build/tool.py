"""What the maintainer tools share: their command-line entry, with kordata's exit codes.

``run_tool(prog, body, argv)`` runs ``body(argv)`` and turns what it raises into kordata's exit
codes: 2 with one line on stderr naming the file and the problem for bad input (KordataError,
an OSError, a malformed TOML file), 3 with one line for an internal error (the traceback only
with ``--debug`` or KORDATA_DEBUG=1). ``ArgumentParser`` reports usage mistakes on one line,
exit 2. Used by ``python -m kordata.build.refresh`` and ``.release``; curation can use it too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
import traceback
from collections.abc import Callable

from ..errors import KordataError

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with a usage mistake reported on one line (exit 2) and a --debug flag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_argument("--debug", action="store_true", help="print the traceback of an internal error")

    def error(self, message: str):
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _line(text: object) -> str:
    from ..validation.report import escape

    return escape(" ".join(str(text).split()))


def run_tool(prog: str, body: Callable[[list[str]], int], argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv or os.environ.get("KORDATA_DEBUG") == "1"
    try:
        return body(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KordataError as exc:
        print(f"{prog}: error: {_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except tomllib.TOMLDecodeError as exc:
        print(f"{prog}: error: a TOML file is malformed: {_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"{prog}: error: cannot use{where}: {_line(exc.strerror or exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_USAGE
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print(f"{prog}: internal error: {type(exc).__name__}: {_line(exc)} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_INTERNAL

"""A curation TOML file: its parsed content, and the line on which each row is written.

tomllib parses but keeps no positions, and only its syntax errors carry a line. Curation errors
must name the line of the offending row, so rows are found again in the file text here: an
array-of-tables entry (``[[events]]``) by counting its headers, a compact row
(``["men-0001-001", ...]``) by its id written first. Lines inside multi-line strings are
skipped, so a note that quotes ``[[events]]`` cannot be mistaken for a header. Written by hand:
no kept TOML library for Python reports positions of parsed values (tomlkit keeps the text but
not line numbers).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import KordataError

_SYNTAX_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")
_TRIPLE = re.compile(r"'''|\"\"\"")
_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")
_ROW_START = re.compile(r"""^\s*\[\s*(?:"([^"\\]*)"|'([^']*)')""")
_HEADER = re.compile(r"^\s*\[\[?\s*[A-Za-z0-9_.-]+\s*\]\]?\s*(#.*)?$")  # [table] or [[array-of-tables]] alone on a line


@dataclass(frozen=True)
class Origin:
    """Where a row comes from: a file (relative to the repository root), a line (1-based) and a row id."""

    file: str
    line: int | None = None
    row: str | None = None

    def at(self, line: int | None = None, row: str | None = None) -> Origin:
        return Origin(self.file, line if line is not None else self.line, row if row is not None else self.row)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.row}" if self.row else where


class CurationError(KordataError):
    """A problem in the curation source, with the file, line and row it was found in."""

    def __init__(self, origin: Origin, message: str):
        self.origin, self.message = origin, message
        super().__init__(f"{origin}: {message}")


def _code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every line that does not start inside a multi-line string."""
    out: list[tuple[int, str]] = []
    open_quote: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if open_quote is None:
            out.append((number, line))
        position = 0
        while True:
            if open_quote is None:
                # a '#' outside strings starts a comment (a simplification: '#' inside a one-line string
                # before a triple quote is rare in curation files and only costs a line number)
                match = _TRIPLE.search(line, position)
                comment = line.find("#", position)
                if match is None or (comment != -1 and comment < match.start()):
                    break
                open_quote, position = match.group(), match.end()
            else:
                end = line.find(open_quote, position)
                if end == -1:
                    break
                open_quote, position = None, end + 3
    return out


class SourceFile:
    """One curation/*.toml file, parsed; ``origin`` names it relative to the repository root."""

    def __init__(self, root: Path, path: Path):
        self.path = path
        self.origin = Origin(path.relative_to(root).as_posix())
        if not path.is_file():  # a folder, FIFO or device: reading a FIFO would hang
            raise CurationError(self.origin, "not a regular file")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CurationError(self.origin, f"cannot read the file: {exc.strerror or exc}") from None
        try:
            self.text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CurationError(self.origin.at(raw[: exc.start].count(b"\n") + 1), f"not UTF-8 (byte {exc.start})") from None
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            match = _SYNTAX_POSITION.search(message)
            line: int | None = None
            if match:
                line = int(match.group(1)) if match.group(1) else max(1, self.text.count("\n") + (not self.text.endswith("\n")))
                message = message[: match.start()] + (f" (column {match.group(2)})" if match.group(2) else " (at the end of the file)")
            raise CurationError(self.origin.at(line), f"TOML syntax error: {message}") from None
        self._lines = _code_lines(self.text)

    def error(self, message: str, line: int | None = None, row: str | None = None) -> CurationError:
        return CurationError(self.origin.at(line, row), message)

    @cached_property
    def _array_headers(self) -> dict[str, list[int]]:
        """Array-of-tables name -> positions (into the code lines) of its ``[[name]]`` headers, in order."""
        found: dict[str, list[int]] = {}
        for position, (_, line) in enumerate(self._lines):
            match = _ARRAY_HEADER.match(line)
            if match:
                found.setdefault(match.group(1), []).append(position)
        return found

    @cached_property
    def _row_starts(self) -> dict[str, list[int]]:
        """First string of a compact row -> lines where such a row starts (``["men-0001-001", ...``)."""
        found: dict[str, list[int]] = {}
        for number, line in self._lines:
            match = _ROW_START.match(line)
            if match:
                found.setdefault(match.group(1) if match.group(1) is not None else match.group(2), []).append(number)
        return found

    def section_line(self, key: str) -> int | None:
        """Line of the header ``[key]`` or ``[[key]]`` (the first), or of ``key = ...`` at top level."""
        cache = self.__dict__.setdefault("_sections", {})
        if key not in cache:
            pattern = re.compile(rf"^\s*(\[\[?\s*{re.escape(key)}\s*\]\]?|{re.escape(key)}\s*=)")
            cache[key] = next((number for number, line in self._lines if pattern.match(line)), None)
        return cache[key]

    def entry_line(self, key: str, index: int, field: str | None = None) -> int | None:
        """Line of the ``index``-th (0-based) ``[[key]]`` entry: of its ``field = ...`` line when it has
        one, else of its header."""
        starts = self._array_headers.get(key, [])
        if index >= len(starts):
            return self.section_line(key)
        first = starts[index]
        if field is not None:
            assignment = re.compile(rf"^\s*{re.escape(field)}\s*=")
            for number, line in self._lines[first + 1 :]:
                if _HEADER.match(line):
                    break
                if assignment.match(line):
                    return number
        return self._lines[first][0]

    def row_line(self, key: str, row_id: object, nth: int) -> int | None:
        """Line of the ``nth`` (0-based) compact row of section ``[key]`` that starts with ``row_id``;
        the section's line when the row cannot be found (its first item is not a string)."""
        section = self.section_line(key)
        if isinstance(row_id, str) and row_id:
            hits = [number for number in self._row_starts.get(row_id, []) if section is None or number > section]
            if nth < len(hits):
                return hits[nth]
        return section

    def field_line(self, section: str, field: str) -> int | None:
        """Line of ``field = ...`` inside the table ``[section]``; the header's line when it is not written."""
        header = self.section_line(section)
        if header is None:
            return None
        assignment = re.compile(rf"^\s*{re.escape(field)}\s*=")
        for number, line in self._lines:
            if number <= header:
                continue
            if _HEADER.match(line):
                break
            if assignment.match(line):
                return number
        return header

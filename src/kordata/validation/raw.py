"""Reading a table's CSV exactly as written (all cells as text), for layers 2 and 3.

Problems that stop a table from being read at all (missing file, bad encoding, BOM, a header
that is not the schema's) become failures here; a table that cannot be read is None.
"""
from __future__ import annotations

import csv
import io

import pandas as pd

from ..errors import KordataError
from ..package import Package
from .report import Failure

MAX_FIELD_CHARS = 1_000_000   # a single cell longer than this is refused
MAX_FILE_BYTES = 2_000_000_000


class RawTables:
    """Raw string frames of every table of a package, read once and shared by the checks."""

    def __init__(self, package: Package):
        self.package = package
        self.frames: dict[str, pd.DataFrame | None] = {}
        self.failures: list[Failure] = []
        for name in package.table_names:
            self.frames[name] = self._read(name)

    def _fail(self, table: str, rule: str, message: str, **kw) -> None:
        self.failures.append(Failure(table, rule, message, **kw))

    def _read(self, name: str) -> pd.DataFrame | None:
        try:
            path = self.package.csv_path(name)
            fields = [f["name"] for f in self.package.fields(name)]
        except KordataError as exc:
            self._fail(name, "package", str(exc))
            return None
        if not path.is_file():
            self._fail(name, "file-missing", f"{path.name} does not exist")
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            self._fail(name, "file-too-large", f"{path.name} is {size} bytes, over the {MAX_FILE_BYTES} limit")
            return None
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            self._fail(name, "encoding", f"{path.name} starts with a byte order mark; tables are UTF-8 without BOM")
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._fail(name, "encoding", f"{path.name} is not UTF-8 (byte {exc.start}: {raw[exc.start:exc.start + 1]!r})")
            return None
        if "\r" in text:
            self._fail(name, "line-endings", f"{path.name} has carriage returns; tables use LF line endings")
            return None
        header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
        if header != fields:
            missing = [f for f in fields if f not in header]
            extra = [h for h in header if h not in fields]
            detail = (f"missing {missing}" if missing else "") + ("; " if missing and extra else "") + (f"unexpected {extra}" if extra else "")
            self._fail(name, "header", f"header does not match the schema's fields: {detail or 'columns out of order'}",
                       row=1, value=",".join(header))
            return None
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
                                engine="c", on_bad_lines="error", quoting=csv.QUOTE_MINIMAL)
        except (pd.errors.ParserError, ValueError) as exc:
            self._fail(name, "csv-structure", f"cannot parse {path.name}: {str(exc).strip().splitlines()[-1]}")
            return None
        if not text.endswith("\n") and len(frame):
            self._fail(name, "csv-structure", f"{path.name} does not end with a newline (truncated?)", row=len(frame) + 1)
        too_long = frame.apply(lambda col: col.str.len().max() if len(col) else 0).max() if len(frame) else 0
        if too_long and too_long > MAX_FIELD_CHARS:
            self._fail(name, "field-too-large", f"a cell is {too_long} characters, over the {MAX_FIELD_CHARS} limit")
            return None
        return frame

    def id_column(self, name: str) -> str:
        pk = self.package.schema(name).get("primaryKey") or [self.package.fields(name)[0]["name"]]
        return pk[0] if isinstance(pk, list) else pk

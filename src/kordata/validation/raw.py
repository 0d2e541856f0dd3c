"""Reading a table's CSV exactly as written (every cell as text), once, for all layers.

Each file is read into memory once: its size and sha256 are taken from those bytes, the
byte-level rules are checked on them (UTF-8 without BOM, LF line endings, header equal to the
schema's fields), then pyarrow parses them (all columns as strings, UTF-8 checked in C++).
Problems that stop a table from being read become failures; such a table is None.
"""

from __future__ import annotations

import csv
import hashlib
import io

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import KordataError
from ..package import Package
from .report import Failure

MAX_FIELD_CHARS = 1_000_000  # a single cell longer than this is refused
MAX_FILE_BYTES = 4_000_000_000  # a table file larger than this is refused before reading
BLOCK_BYTES = 16 << 20  # pyarrow parse block: a row longer than this is refused as too large


def _first_ragged_row(data: bytes, width: int) -> dict:
    """Line number and id of the first record whose field count is not ``width`` (error path only:
    the file has already failed to parse, so a row-by-row scan costs nothing on valid data)."""
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace")))
        for line, record in enumerate(reader, start=1):
            if len(record) != width:
                return {"row": line, "row_id": record[0] if record else ""}
    except csv.Error as exc:
        return {"row": reader.line_num, "value": str(exc)}
    return {}


class RawTables:
    """Raw text frames of every table of a package, plus each file's byte count and sha256."""

    def __init__(self, package: Package, eager: bool = True):
        self.package = package
        self.frames: dict[str, pd.DataFrame | None] = {}
        self.file_stats: dict[str, tuple[int, str]] = {}
        self.failures: list[Failure] = []
        self._typed: dict[str, pd.DataFrame] = {}
        self.type_failures: dict[str, list[Failure]] = {}
        if eager:
            for name in package.table_names:
                self.read(name)

    def read(self, name: str) -> pd.DataFrame | None:
        """Read one table (once); None when it cannot be read (the reason is in ``failures``)."""
        if name not in self.frames:
            self.frames[name] = self._read(name)
        return self.frames[name]

    def prune(self, name: str, keep: set[str]) -> None:
        """Keep only the columns later checks need (the id column always stays): bounds peak memory."""
        frame = self.frames.get(name)
        if frame is not None:
            keep = keep | {self.id_column(name)}
            self.frames[name] = frame[[c for c in frame.columns if c in keep]]

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
        data = path.read_bytes()
        self.file_stats[name] = (len(data), hashlib.sha256(data).hexdigest())
        if data.startswith(b"\xef\xbb\xbf"):
            self._fail(name, "encoding", f"{path.name} starts with a byte order mark; tables are UTF-8 without BOM")
            return None
        if b"\r" in data:
            self._fail(name, "line-endings", f"{path.name} has carriage returns; tables use LF line endings")
            return None
        first_line = data.split(b"\n", 1)[0]
        try:
            header = next(csv.reader(io.StringIO(first_line.decode("utf-8"))), [])
        except UnicodeDecodeError:
            header = None
        if header is not None and header != fields:
            missing = [f for f in fields if f not in header]
            extra = [h for h in header if h not in fields]
            detail = "; ".join(filter(None, [f"missing {missing}" if missing else "", f"unexpected {extra}" if extra else ""]))
            self._fail(
                name,
                "header",
                f"header does not match the schema's fields: {detail or 'columns out of order'}",
                row=1,
                value=",".join(header),
            )
            return None
        try:
            table = pacsv.read_csv(
                pa.BufferReader(data),
                read_options=pacsv.ReadOptions(column_names=fields, skip_rows=1, block_size=BLOCK_BYTES, use_threads=size > BLOCK_BYTES),
                parse_options=pacsv.ParseOptions(newlines_in_values=False),
                convert_options=pacsv.ConvertOptions(
                    column_types={f: pa.string() for f in fields}, strings_can_be_null=False, quoted_strings_can_be_null=False
                ),
            )
        except pa.ArrowInvalid as exc:
            message = str(exc).splitlines()[0]
            rule = "encoding" if "UTF8" in message or "UTF-8" in message else "csv-structure"
            if "straddling" in message or "block size" in message:
                rule, message = "field-too-large", f"a row is longer than {BLOCK_BYTES >> 20} MB"
            self._fail(name, rule, f"cannot parse {path.name}: {message[:300]}", **_first_ragged_row(data, len(fields)))
            return None
        ends_with_newline = data.endswith(b"\n")
        del data
        if not ends_with_newline and table.num_rows:
            self._fail(name, "csv-structure", f"{path.name} does not end with a newline (truncated?)", row=table.num_rows + 1)
        longest = max((pa.compute.max(pa.compute.utf8_length(col)).as_py() or 0) for col in table.columns) if table.num_rows else 0
        if longest > MAX_FIELD_CHARS:
            self._fail(name, "field-too-large", f"a cell is {longest} characters, over the {MAX_FIELD_CHARS} limit")
            return None
        return table.to_pandas(self_destruct=True, split_blocks=True)

    def id_column(self, name: str) -> str:
        pk = self.package.schema(name).get("primaryKey") or [self.package.fields(name)[0]["name"]]
        return pk[0] if isinstance(pk, list) else pk

    def typed(self, name: str) -> pd.DataFrame | None:
        """The table converted by field type (computed once); cells that do not convert are <NA>
        and listed in ``type_failures[name]``."""
        if name not in self._typed and self.frames.get(name) is not None:
            from .convert import typed_frame

            failures: list[Failure] = []
            self._typed[name] = typed_frame(self.frames[name], self.package.fields(name), name, self.id_column(name), failures)
            self.type_failures[name] = failures
        return self._typed.get(name)

    def release_typed(self, name: str) -> None:
        """Drop a table's typed frame once layers 1 and 2 are done with it (bounds peak memory)."""
        self._typed.pop(name, None)

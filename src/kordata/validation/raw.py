"""Reading a table's CSV exactly as written (every cell as text), once, for all layers.

Each file is read into memory once (a regular file only: kordata.fileio.read_regular): its size
and sha256 are taken from those bytes, kordata's byte-level rules are checked on them (UTF-8
without BOM, LF line endings, a final newline, header equal to the schema's fields), then
pyarrow parses them with every column as a string (UTF-8 checked in C++).

Rows are numbered as frictionless numbers them: the header is row 1 and every record after it,
blank ones included, is the next row, however many lines a quoted cell spans. The frame's
index is that number minus 2, so ``index + 2`` is the row number everywhere. pyarrow's fast
parser is used when the file has no blank line and every record has the schema's width; any
other file (a blank line, a ragged record, a line break inside a quoted cell) is read by the
standard library's csv module, which reports each such record by its row number (blank-row,
extra-cell, missing-cell) and keeps going, as frictionless does. Problems that stop a table
from being read become failures; such a table is None.
"""

from __future__ import annotations

import csv
import hashlib
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import KordataError
from ..fileio import read_regular
from ..package import Package, safe_path
from .report import Failure

MAX_FIELD_CHARS = 1_000_000  # a single cell longer than this is refused
MAX_FILE_BYTES = 4_000_000_000  # a table file larger than this is refused before reading
BLOCK_BYTES = 16 << 20  # pyarrow parse block: a row longer than this is refused as too large
MAX_MALFORMED_ROWS = 1000  # a file with more blank or ragged rows than this is not read on (as frictionless stops at 1,000 errors)


def _byte_survey(data: bytes) -> tuple[bool, bool]:
    """(whether any cell could hold a control, zero-width or bidirectional-control character or a tab,
    whether the file is ASCII): a quick look at the bytes (numpy) that spares per-column searches on
    plain files."""
    codes = np.frombuffer(data, dtype=np.uint8)
    if not len(codes):
        return False, True
    if int(codes.max()) >= 0x80:
        return True, False  # non-ASCII: the column search decides
    return int(np.count_nonzero(codes < 0x20)) != data.count(b"\n") or b"\x7f" in data, True


TEXT = pd.ArrowDtype(pa.string())  # every raw cell: Arrow strings as parsed (32-bit offsets, no copy on conversion)


def _frame(table: pa.Table) -> pd.DataFrame:
    """A pandas view of a parsed table, each column an Arrow string array as it is (zero copy)."""
    return table.to_pandas(types_mapper={pa.string(): TEXT}.get, self_destruct=True, split_blocks=True)


class _SlowPathNeeded(Exception):
    """The fast parser cannot read this file row for row as frictionless does."""


class RawTables:
    """Raw text frames of every table of a package, plus each file's byte count and sha256.

    ``failures`` are read failures (kordata's byte rules, structure); ``own_rules`` lists the rules
    among them that frictionless does not check, so that ``--engine frictionless`` still reports
    them. ``unreadable`` maps a table whose path or schema cannot be used to the reason (the
    package-shape check reports it once)."""

    def __init__(self, package: Package, eager: bool = True):
        self.package = package
        self.frames: dict[str, pd.DataFrame | None] = {}
        self.file_stats: dict[str, tuple[int, str]] = {}
        self.failures: list[Failure] = []
        self.unreadable: dict[str, str] = {}
        self._typed: dict[str, pd.DataFrame] = {}
        self.type_failures: dict[str, list[Failure]] = {}
        self.canonical_failures: dict[str, list[Failure]] = {}
        self.checked_by_frictionless: dict[str, dict[str, np.ndarray]] = {}
        self.may_hold_special_characters: dict[str, bool] = {}
        self.plain: dict[str, bool] = {}  # ASCII only, and no cell with a line break: RE2 and Python's re agree on every cell
        if eager:
            for name in package.table_names:
                self.read(name)

    def read(self, name: str) -> pd.DataFrame | None:
        """Read one table (once); None when it cannot be read (the reason is in ``failures``)."""
        if name not in self.frames:
            self.frames[name] = self._read(name)
        return self.frames[name]

    def _fail(self, table: str, rule: str, message: str, **kw) -> None:
        self.failures.append(Failure(table, rule, message, **kw))

    def read_bytes(self, name: str) -> bytes | None:
        """The bytes of a table's file, or None (with a failure) when it cannot be read."""
        try:
            path = safe_path(self.package.root, self.package.resource(name).get("path"), f"resource {name!r}")
            self.package.fields(name)
        except KordataError as exc:  # an unsafe path or unusable schema: the package check reports it
            self.unreadable[name] = str(exc)
            return None
        if not path.exists():
            self._fail(name, "file-missing", f"{path.name} does not exist")
            return None
        try:
            data = read_regular(path, f"table {name!r}", MAX_FILE_BYTES)
        except KordataError as exc:  # a folder, FIFO or device under the table's name, no permission, too large
            rule = "file-too-large" if "limit" in str(exc) else "file-unreadable"
            self._fail(name, rule, str(exc))
            self.unreadable[name] = str(exc)
            return None
        self.file_stats[name] = (len(data), hashlib.sha256(data).hexdigest())
        return data

    def byte_rules(self, name: str, data: bytes) -> bool:
        """kordata's rules on the bytes (frictionless does not check them): no byte order mark, LF
        line endings, a final newline. False when the table cannot be read on."""
        if data.startswith(b"\xef\xbb\xbf"):
            self._fail(name, "encoding", "the file starts with a byte order mark; tables are UTF-8 without BOM")
            return False
        if b"\r" in data:
            self._fail(name, "line-endings", "the file has carriage returns; tables use LF line endings")
            return False
        if data and not data.endswith(b"\n"):
            self._fail(name, "final-newline", "the file does not end with a newline (truncated?)")
        return True

    def _read(self, name: str) -> pd.DataFrame | None:
        data = self.read_bytes(name)
        if data is None or not self.byte_rules(name, data):
            return None
        fields = [f["name"] for f in self.package.fields(name)]
        first_line = data.split(b"\n", 1)[0]
        try:
            header = next(csv.reader(io.StringIO(first_line.decode("utf-8"))), [])
        except UnicodeDecodeError:
            header = None
        except csv.Error:
            header = []
        if header is not None and header != fields:
            missing = [f for f in fields if f not in header]
            extra = [h for h in header if h not in fields]
            detail = "; ".join(filter(None, [f"missing {missing}" if missing else "", f"unexpected {extra}" if extra else ""]))
            self._fail(
                name,
                "header",
                f"header does not match the schema's fields: {detail or 'columns out of order or repeated'}",
                row=1,
                value=",".join(header),
            )
            return None
        special, ascii_only = _byte_survey(data)
        self.may_hold_special_characters[name] = special
        self.plain[name] = ascii_only and not special
        try:
            table = self._fast(name, data, fields)
        except _SlowPathNeeded:
            self.may_hold_special_characters[name] = True  # a quoted cell may hold a line break
            self.plain[name] = False
            frame = self._slow(name, data, fields)
        else:
            if table is not None and table.num_rows + 1 != data.count(b"\n"):  # a quoted cell holds a line break
                self.may_hold_special_characters[name], self.plain[name] = True, False
            del data  # the parsed table owns its buffers: free the file's bytes before converting
            frame = None if table is None else _frame(table)
        if frame is None:
            return None
        longest = max((int(pc.max(pc.utf8_length(pa.array(frame[c].array))).as_py() or 0) for c in frame.columns), default=0)
        if len(frame) and longest > MAX_FIELD_CHARS:
            self._fail(name, "field-too-large", f"a cell is {longest} characters, over the {MAX_FIELD_CHARS} limit")
            return None
        return self._drop_blank_rows(name, frame)

    def _fast(self, name: str, data: bytes, fields: list[str]) -> pa.Table | None:
        """pyarrow's parser, for files where one line is one record (the common, valid case)."""
        if b"\n\n" in data:
            raise _SlowPathNeeded
        try:
            table = pacsv.read_csv(
                pa.BufferReader(data),
                read_options=pacsv.ReadOptions(
                    column_names=fields, skip_rows=1, block_size=BLOCK_BYTES, use_threads=len(data) > BLOCK_BYTES
                ),
                parse_options=pacsv.ParseOptions(newlines_in_values=False),
                convert_options=pacsv.ConvertOptions(
                    column_types={f: pa.string() for f in fields}, strings_can_be_null=False, quoted_strings_can_be_null=False
                ),
            )
        except pa.ArrowInvalid as exc:
            message = str(exc).splitlines()[0]
            if "UTF8" in message or "UTF-8" in message:
                self._fail(name, "encoding", f"the file is not UTF-8: {message[:200]}")
                return None
            if "straddling" in message or "block size" in message:
                self._fail(name, "field-too-large", f"a row is longer than {BLOCK_BYTES >> 20} MB")
                return None
            raise _SlowPathNeeded from None
        return table

    def _slow(self, name: str, data: bytes, fields: list[str]) -> pd.DataFrame | None:
        """The csv module, record by record: blank rows, ragged records and quoted line breaks are
        reported or read with frictionless' row numbers (error path and unusual files only)."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._fail(name, "encoding", f"the file is not UTF-8 ({exc.reason} at byte {exc.start})")
            return None
        width = len(fields)
        rows: list[list[str]] = []
        numbers: list[int] = []
        previous_limit = csv.field_size_limit()
        csv.field_size_limit(MAX_FIELD_CHARS + 1)
        reader = csv.reader(io.StringIO(text, newline=""))  # not strict: frictionless reads on past a stray quote
        row, malformed = 1, 0
        try:
            next(reader, None)  # the header, already compared with the schema
            for row, record in enumerate(reader, start=2):
                malformed += not record or len(record) != width
                if malformed > MAX_MALFORMED_ROWS:
                    self._fail(name, "csv-structure", f"more than {MAX_MALFORMED_ROWS} blank or ragged rows: not read on", row=row)
                    return None
                if not record:
                    self._fail(name, "blank-row", "the row is blank", row=row)
                    continue
                if len(record) != width:
                    rule, what = ("extra-cell", "more") if len(record) > width else ("missing-cell", "fewer")
                    self._fail(name, rule, f"the row has {len(record)} cells, {what} than the schema's {width}", row=row, row_id=record[0])
                    record = (record + [""] * width)[:width]
                rows.append(record)
                numbers.append(row)
        except csv.Error as exc:
            message = str(exc)
            rule = "field-too-large" if "field larger" in message else "csv-structure"
            self._fail(name, rule, f"cannot parse the file: {message}", row=row + 1)
            return None
        finally:
            csv.field_size_limit(previous_limit)
        columns = list(zip(*rows, strict=True)) if rows else [()] * width
        frame = _frame(pa.table({f: pa.array(list(values), type=pa.string()) for f, values in zip(fields, columns, strict=True)}))
        frame.index = pd.Index(np.asarray(numbers, dtype=np.int64) - 2)
        return frame

    def _drop_blank_rows(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """A record whose every cell is empty is a blank row (frictionless' blank-row): reported, not checked further."""
        if not len(frame):
            return frame
        blank = np.ones(len(frame), dtype=bool)
        for column in frame.columns:
            blank &= np.asarray(pc.equal(pa.array(frame[column].array), "").to_numpy(zero_copy_only=False), dtype=bool)
            if not blank.any():
                return frame
        for index in frame.index[blank]:
            self._fail(name, "blank-row", "every cell of the row is empty", row=int(index) + 2)
        return frame[~blank]

    def id_column(self, name: str) -> str:
        return self.package.primary_key(name)

    def typed(self, name: str) -> pd.DataFrame | None:
        """The table converted by field type (computed once); cells that do not convert are <NA>
        and listed in ``type_failures[name]``; cells valid by Table Schema but not written in
        kordata's canonical form are listed in ``canonical_failures[name]``."""
        if name not in self._typed and self.frames.get(name) is not None:
            from .convert import typed_frame

            conversion = typed_frame(self.frames[name], self.package.fields(name), name, self.id_column(name), self.plain.get(name, False))
            self._typed[name] = conversion.frame
            self.type_failures[name] = conversion.failures
            self.canonical_failures[name] = conversion.canonical
            self.checked_by_frictionless[name] = conversion.fallback
        return self._typed.get(name)

    def release_typed(self, name: str) -> None:
        """Drop a table's typed frame once layers 1 and 2 are done with it (bounds peak memory)."""
        self._typed.pop(name, None)
        self.checked_by_frictionless.pop(name, None)

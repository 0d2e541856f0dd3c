"""Where the data package lives, and safe access to its descriptor, schemas and files.

Only the standard library is used here so that ``import kordata`` stays light. Every JSON file
is read as a regular file of bounded size (kordata.fileio.read_regular), decoded as UTF-8 and
parsed strictly: a duplicate key, NaN/Infinity or nesting too deep for the parser is an error
naming the file, never a silently merged object or a traceback. A schema's structure is checked
(``schema_problems``) before anything uses it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .domain import SEGMENTATION_TABLE
from .errors import KordataError, PackageError, UnknownTableError
from .fileio import check_regular, read_regular

DESCRIPTOR = "datapackage.json"
# A table whose schema has these fields is anchored to the text (W3C TextPositionSelector and
# TextQuoteSelector): the one definition of "text-anchored table".
ANCHOR_FIELDS = ("document_id", "start", "end", "quote")
MAX_DESCRIPTOR_BYTES = 5_000_000  # a descriptor or schema larger than this is refused, not parsed
STANDARD_PROFILES = ("https://datapackage.org/profiles/", "https://specs.frictionlessdata.io/schemas/")  # known without fetching


def default_root() -> Path:
    """Folder holding datapackage.json: the copy inside an installed wheel (kordata/_data), else
    the repository root of a source checkout or editable install."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data", here.parents[1]):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise PackageError(f"no {DESCRIPTOR} found beside the kordata package ({here})")


def safe_path(root: Path, relative: object, what: str) -> Path:
    """Resolve ``relative`` inside ``root``; refuse absolute paths, '..', URLs, NUL bytes, backslashes
    and symlinks that leave it."""
    if not isinstance(relative, str) or not relative:
        raise PackageError(f"{what}: path must be a non-empty string, got {relative!r}")
    if "\x00" in relative or "\\" in relative:
        raise PackageError(f"{what}: path {relative!r} contains a NUL byte or a backslash: refused")
    if (
        "://" in relative
        or relative.startswith(("/", "~"))
        or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", relative)
        or Path(relative).is_absolute()
        or ".." in Path(relative).parts
    ):
        raise PackageError(f"{what}: path {relative!r} leaves the package (absolute, remote or '..'): refused")
    path = root / relative
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise PackageError(f"{what}: path {relative!r} cannot be resolved: {exc}") from None
    if not resolved.is_relative_to(root.resolve()):
        raise PackageError(f"{what}: path {relative!r} resolves outside the package (symlink?): refused")
    return path


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_json(data: bytes, path: Path | str, what: str) -> object:
    """Strict JSON: UTF-8, no duplicate keys, no NaN/Infinity, bounded nesting. PackageError names the file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(f"{what}: {path} is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise PackageError(f"{what}: {path} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except ValueError as exc:  # from the hooks: a duplicate key, NaN or Infinity
        raise PackageError(f"{what}: {path} is not valid JSON: {exc}") from None
    except RecursionError:
        raise PackageError(f"{what}: {path} is nested too deeply to be a descriptor or schema") from None


def read_json(path: Path, what: str, limit: int | None = None) -> object:
    """Read and strictly parse a JSON file that must be a regular file of bounded size."""
    try:
        data = read_regular(path, what, MAX_DESCRIPTOR_BYTES if limit is None else limit)
    except KordataError as exc:
        raise PackageError(str(exc)) from None
    return parse_json(data, path, what)


def _read_json(path: Path, what: str) -> dict:
    data = read_json(path, what)
    if not isinstance(data, dict):
        raise PackageError(f"{what}: {path} must hold a JSON object")
    return data


# What a field may say, and what kordata understands of it. Properties that change how a cell is
# read (format, trueValues, ...) must keep Table Schema's defaults, or the canonical values that
# kordata writes, so that kordata's engine and frictionless read every cell the same way.
CONSTRAINT_KINDS: dict[str, tuple[type, ...]] = {
    "required": (bool,),
    "unique": (bool,),
    "enum": (list,),
    "pattern": (str,),
    "minimum": (int, float, str),
    "maximum": (int, float, str),
    "exclusiveMinimum": (int, float, str),
    "exclusiveMaximum": (int, float, str),
    "minLength": (int,),
    "maxLength": (int,),
}
READING_DEFAULTS: dict[str, object] = {
    "format": "default",
    "trueValues": ["true"],
    "falseValues": ["false"],
    "bareNumber": True,
    "decimalChar": ".",
    "missingValues": [""],
}


def _key_fields(value: object, names: set[str], what: str) -> list[str]:
    fields = [value] if isinstance(value, str) else value
    if not isinstance(fields, list) or not fields or not all(isinstance(f, str) for f in fields):
        return [f"{what} must be a field name or a non-empty list of field names"]
    return [f"{what} names {f!r}, which is not a field" for f in fields if f not in names]


@functools.lru_cache(maxsize=256)
def re2_refusal(pattern: str) -> str:
    """Why RE2 (pyarrow's regex engine, linear time) refuses ``pattern`` anchored as kordata anchors it
    ('' when it accepts it). Patterns RE2 refuses (lookaround, backreferences) are refused rather than
    run with Python's backtracking re, whose time a crafted cell can make exponential."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        pc.match_substring_regex(pa.array([""], pa.string()), anchored_pattern(pattern))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        return str(exc).strip().splitlines()[-1][:200] if str(exc).strip() else type(exc).__name__
    return ""


def anchored_pattern(pattern: str) -> str:
    """A Table Schema pattern matches the whole value: ``^(?:pattern)$`` (a top-level ``a|b`` is anchored at
    both ends of both branches; frictionless writes ``^pattern$``, see kordata.validation.table_layer)."""
    return f"^(?:{pattern})$"


def _constraint_problems(name: str, kind: str, constraints: dict) -> list[str]:
    problems = []
    value: Any
    for key, value in constraints.items():
        allowed = CONSTRAINT_KINDS.get(key)
        where = f"field {name!r}: constraint {key!r}"
        wrong_type = allowed is not None and ((isinstance(value, bool) and bool not in allowed) or not isinstance(value, allowed))
        if allowed is None:
            problems.append(f"{where} is not one kordata checks ({', '.join(CONSTRAINT_KINDS)})")
        elif wrong_type:
            problems.append(f"{where} must be {' or '.join(t.__name__ for t in allowed)}, not {type(value).__name__}")
        elif key == "pattern":
            try:
                re.compile(value)
            except (re.error, RecursionError, OverflowError) as exc:
                problems.append(f"{where} is not a valid regular expression: {exc}")
            else:
                refused = re2_refusal(value)
                if refused:
                    problems.append(f"{where}: pattern not supported by kordata's engine (RE2: {refused}): {value!r}")
        elif key == "enum" and (not value or not all(isinstance(v, str) and not isinstance(v, bool) for v in value)):
            problems.append(f"{where} must be a non-empty list of strings")
        elif key in ("minLength", "maxLength") and value < 0:
            problems.append(f"{where} must not be negative")
        elif key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if kind in ("integer", "number") and not isinstance(value, (int, float)):
                problems.append(f"{where} must be a number for a field of type {kind}")
            elif kind == "date" and not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
                problems.append(f"{where} must be a date YYYY-MM-DD for a field of type date")
            elif kind not in ("integer", "number", "date"):
                problems.append(f"{where} does not apply to a field of type {kind}")
    return problems


def schema_problems(schema: object) -> list[str]:
    """What makes ``schema`` unusable as a kordata Table Schema (empty when it is fine): fields that are
    not objects with unique names and known types, constraints that are not objects or not understood,
    regular expressions that do not compile, keys that name no field, reading properties other than
    Table Schema's defaults."""
    from .tableschema import TYPES

    if not isinstance(schema, dict):
        return ["a Table Schema must be a JSON object"]
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return ["'fields' must be a non-empty list of field objects"]
    problems: list[str] = []
    names: list[str] = []
    for i, f in enumerate(fields):
        if not isinstance(f, dict):
            problems.append(f"fields[{i}] is {type(f).__name__}, not a field object")
            continue
        name = f.get("name")
        if not isinstance(name, str) or not name:
            problems.append(f"fields[{i}] has no name")
            continue
        if name in names:
            problems.append(f"field {name!r} appears twice")
        names.append(name)
        kind = f.get("type", "string")
        if not isinstance(kind, str) or kind not in TYPES:
            problems.append(f"field {name!r}: type {kind!r} is not one kordata supports ({', '.join(TYPES)})")
            kind = "string"
        constraints = f.get("constraints", {})
        if not isinstance(constraints, dict):
            problems.append(f"field {name!r}: constraints must be an object, not {type(constraints).__name__}")
        else:
            problems += _constraint_problems(name, kind, constraints)
        for key, default in READING_DEFAULTS.items():
            if key in f and f[key] != default:
                problems.append(f"field {name!r}: {key} {f[key]!r} is not supported (kordata reads {default!r})")
        if "rdfType" in f and not isinstance(f["rdfType"], str):
            problems.append(f"field {name!r}: rdfType must be a string")
    known = set(names)
    if "primaryKey" in schema:
        problems += _key_fields(schema["primaryKey"], known, "primaryKey")
    foreign_keys = schema.get("foreignKeys", [])
    if not isinstance(foreign_keys, list):
        problems.append("foreignKeys must be a list")
        foreign_keys = []
    for i, fk in enumerate(foreign_keys):
        reference = fk.get("reference") if isinstance(fk, dict) else None
        if not isinstance(reference, dict):
            problems.append(f"foreignKeys[{i}] must be an object with fields and a reference object")
            continue
        problems += _key_fields(fk.get("fields"), known, f"foreignKeys[{i}].fields")
        target = reference.get("resource", "")
        if not isinstance(target, str):
            problems.append(f"foreignKeys[{i}].reference.resource must be a string")
        ref_fields = reference.get("fields")
        ref_list = [ref_fields] if isinstance(ref_fields, str) else ref_fields
        own = fk.get("fields")
        own_list = [own] if isinstance(own, str) else own
        if not isinstance(ref_list, list) or not ref_list or not all(isinstance(x, str) for x in ref_list):
            problems.append(f"foreignKeys[{i}].reference.fields must be a field name or a list of field names")
        elif isinstance(own_list, list) and len(own_list) != len(ref_list):
            problems.append(f"foreignKeys[{i}]: fields and reference.fields differ in length")
        elif not target:
            problems += _key_fields(ref_fields, known, f"foreignKeys[{i}].reference.fields")
    profile = schema.get("$schema")
    if profile is not None and not (isinstance(profile, str) and profile.startswith(STANDARD_PROFILES)):
        problems.append(f"$schema {profile!r} is not a Table Schema profile kordata knows (a reader would fetch it)")
    if "missingValues" in schema and schema["missingValues"] != [""]:
        problems.append(f"missingValues {schema['missingValues']!r} is not supported (kordata's tables use [''])")
    return problems


@dataclass
class Package:
    """A kordata data package on disk: descriptor, per-table schemas and file paths."""

    root: Path
    descriptor: dict = field(repr=False)

    @classmethod
    def open(cls, path: str | Path | None = None) -> Package:
        """Open the package at ``path`` (a folder or its datapackage.json); default: the installed one."""
        if path is None:
            root = default_root()
        else:
            if "\x00" in str(path):
                raise PackageError(f"package path {str(path)!r} contains a NUL byte")
            p = Path(path)
            root = p.parent if p.name == DESCRIPTOR or p.is_file() else p
        descriptor = _read_json(root / DESCRIPTOR, DESCRIPTOR)
        resources = descriptor.get("resources")
        if not isinstance(resources, list) or not all(isinstance(r, dict) and isinstance(r.get("name"), str) for r in resources):
            raise PackageError(f"{root / DESCRIPTOR}: 'resources' must be a list of objects with a name")
        return cls(root, descriptor)

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    @cached_property
    def _resources(self) -> dict[str, dict]:
        return {r["name"]: r for r in self.descriptor["resources"]}

    @property
    def table_names(self) -> list[str]:
        return list(self._resources)

    def resource(self, name: str) -> dict:
        try:
            return self._resources[name]
        except KeyError:
            raise UnknownTableError(f"unknown table {name!r}; tables are: {', '.join(self.table_names)}") from None

    def csv_path(self, name: str) -> Path:
        """The table's file, inside the package; PackageError when it is not a regular file (a FIFO, a folder)."""
        path = safe_path(self.root, self.resource(name).get("path"), f"resource {name!r}")
        try:
            check_regular(path, f"resource {name!r}")
        except KordataError as exc:
            raise PackageError(str(exc)) from None
        return path

    def schema_path(self, name: str) -> Path:
        """The file of a table's schema: a path into the package (an inline schema is refused)."""
        ref = self.resource(name).get("schema")
        if not isinstance(ref, str):
            raise PackageError(f"resource {name!r}: schema must be a path to a file in schemas/, not {type(ref).__name__}")
        return safe_path(self.root, ref, f"schema of resource {name!r}")

    def schema(self, name: str) -> dict:
        """The Table Schema of a table, read from the file the resource points to; PackageError (naming
        the file and every problem) when it cannot be read or is not a usable Table Schema."""
        cache = self.__dict__.setdefault("_schemas", {})
        if name not in cache:
            path = self.schema_path(name)
            schema = read_json(path, f"schema of resource {name!r}")
            problems = schema_problems(schema)
            if problems:
                raise PackageError(f"schema of resource {name!r} ({path}): {'; '.join(problems[:5])}")
            cache[name] = schema
        return cache[name]

    def fields(self, name: str) -> list[dict]:
        return self.schema(name)["fields"]

    def field(self, table: str, name: str) -> dict:
        """One field of a table's schema, by name."""
        for candidate in self.fields(table):
            if candidate.get("name") == name:
                return candidate
        raise PackageError(f"table {table!r} has no field {name!r}")

    def primary_key(self, name: str) -> str:
        """The (first) primary-key field of a table: its row id."""
        pk = self.schema(name).get("primaryKey") or [self.fields(name)[0]["name"]]
        return pk[0] if isinstance(pk, list) else pk

    @property
    def anchored_tables(self) -> list[str]:
        """Tables whose rows cite a span of a document (their schemas have ANCHOR_FIELDS), in order.
        A table whose schema cannot be read is not listed: reading it reports that error."""
        anchored = []
        for name in self.table_names:
            try:
                names = {f.get("name") for f in self.fields(name) if isinstance(f, dict)}
            except PackageError:
                continue
            if set(ANCHOR_FIELDS) <= names:
                anchored.append(name)
        return anchored

    @property
    def annotation_tables(self) -> list[str]:
        """Anchored tables that annotate the text (all but the sentence segmentation)."""
        return [name for name in self.anchored_tables if name != SEGMENTATION_TABLE]

    def file(self, relative: str, what: str) -> Path:
        """A file named inside the package (a seed text), resolved safely; PackageError when it exists
        but is not a regular file."""
        path = safe_path(self.root, relative, what)
        try:
            check_regular(path, what)
        except KordataError as exc:
            raise PackageError(str(exc)) from None
        return path

    def read_text(self, relative: str, what: str) -> str:
        """The UTF-8 text of a file inside the package (a seed), read safely (regular file, no FIFO)."""
        try:
            data = read_regular(self.file(relative, what), what)
        except PackageError:
            raise
        except KordataError as exc:
            raise PackageError(str(exc)) from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PackageError(f"{what}: {relative} is not UTF-8 ({exc.reason} at byte {exc.start})") from None

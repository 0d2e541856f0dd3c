"""Where the data package lives, and safe access to its descriptor, schemas and files.

Only ``json`` and ``pathlib`` are used here so that ``import kordata`` stays light.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .domain import SEGMENTATION_TABLE
from .errors import PackageError, UnknownTableError

DESCRIPTOR = "datapackage.json"
# A table whose schema has these fields is anchored to the text (W3C TextPositionSelector and
# TextQuoteSelector): the one definition of "text-anchored table".
ANCHOR_FIELDS = ("document_id", "start", "end", "quote")
MAX_DESCRIPTOR_BYTES = 5_000_000  # a descriptor or schema larger than this is refused, not parsed


def default_root() -> Path:
    """Folder holding datapackage.json: the copy inside an installed wheel (kordata/_data), else
    the repository root of a source checkout or editable install."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data", here.parents[1]):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise PackageError(f"no {DESCRIPTOR} found beside the kordata package ({here})")


def safe_path(root: Path, relative: object, what: str) -> Path:
    """Resolve ``relative`` inside ``root``; refuse absolute paths, '..', URLs and symlinks that leave it."""
    if not isinstance(relative, str) or not relative:
        raise PackageError(f"{what}: path must be a non-empty string, got {relative!r}")
    if "://" in relative or relative.startswith(("/", "\\")) or Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise PackageError(f"{what}: path {relative!r} leaves the package (absolute, URL or '..'): refused")
    path = root / relative
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise PackageError(f"{what}: path {relative!r} resolves outside the package (symlink?): refused")
    return path


def _read_json(path: Path, what: str) -> dict:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PackageError(f"{what}: cannot read {path}: {exc.strerror}") from None
    if size > MAX_DESCRIPTOR_BYTES:
        raise PackageError(f"{what}: {path} is {size} bytes, over the {MAX_DESCRIPTOR_BYTES} limit")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"{what}: {path} is not valid UTF-8 JSON: {exc}") from None
    if not isinstance(data, dict):
        raise PackageError(f"{what}: {path} must hold a JSON object")
    return data


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
            p = Path(path)
            root = p.parent if p.name == DESCRIPTOR or p.is_file() else p
        descriptor = _read_json(root / DESCRIPTOR, DESCRIPTOR)
        resources = descriptor.get("resources")
        if not isinstance(resources, list) or not all(isinstance(r, dict) and isinstance(r.get("name"), str) for r in resources):
            raise PackageError(f"{DESCRIPTOR}: 'resources' must be a list of objects with a name")
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
        return safe_path(self.root, self.resource(name).get("path"), f"resource {name!r}")

    def schema(self, name: str) -> dict:
        """The Table Schema of a table, read from the file the resource points to."""
        cache = self.__dict__.setdefault("_schemas", {})
        if name not in cache:
            ref = self.resource(name).get("schema")
            if isinstance(ref, dict):
                cache[name] = ref
            else:
                path = safe_path(self.root, ref, f"schema of resource {name!r}")
                cache[name] = _read_json(path, f"schema of resource {name!r}")
            if not isinstance(cache[name].get("fields"), list):
                raise PackageError(f"schema of resource {name!r} has no list of fields")
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
        """A file named inside the package (a seed text), resolved safely."""
        return safe_path(self.root, relative, what)

"""Writing files safely: atomic replacement, all-or-nothing groups, names confined to a folder.

Every file kordata writes (exports, curation's tables, refresh's generated files, release
manifests) goes through here. Written by hand because the standard library has the parts
(tempfile, os.replace, os.fsync) but no helper that combines them, and the rules are short:

- a file is written to a temporary file in the same folder, flushed to disk, then renamed over
  its final name, so a reader sees the old file or the complete new one, never a truncated one;
- a group of files is written as temporaries first and renamed only when all are complete; a
  failure before the renames leaves every old file untouched;
- an output name taken from data must be a plain file name inside the target folder.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import KordataError

TEMP_PREFIX = ".kordata-tmp-"


class WriteError(KordataError):
    """A file could not be written (full disk, read-only folder, missing permission): nothing was replaced."""


def confined(folder: Path, name: str, what: str = "output name") -> Path:
    """``folder / name`` for a plain file name; refuses separators, '..', absolute paths, NUL and empty names."""
    if (
        not isinstance(name, str)
        or not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or Path(name).is_absolute()
        or Path(name).name != name
    ):
        raise KordataError(f"{what} {name!r} is not a plain file name inside {folder}: refused")
    return folder / name


def _temporary(target: Path, data: bytes) -> Path:
    descriptor, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def _fail(target: Path, exc: OSError) -> WriteError:
    return WriteError(f"cannot write {target}: {exc.strerror or exc}")


def write_many(files: Mapping[Path, bytes | str]) -> list[Path]:
    """Write every file (text as UTF-8, no newline translation) all or nothing: temporaries first,
    renames only once all are complete. Raises WriteError naming the file that failed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            try:
                staged.append((_temporary(Path(target), data), Path(target)))
            except OSError as exc:
                raise _fail(Path(target), exc) from None
        for temp, target in staged:
            try:
                os.replace(temp, target)
            except OSError as exc:
                raise _fail(target, exc) from None
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)  # only temporaries that were not renamed are left
    return [target for _, target in staged]


def write_text(path: Path, text: str) -> Path:
    """Atomically replace ``path`` with ``text`` (UTF-8, written exactly as given)."""
    return write_many({path: text})[0]


def write_bytes(path: Path, data: bytes) -> Path:
    """Atomically replace ``path`` with ``data``."""
    return write_many({path: data})[0]

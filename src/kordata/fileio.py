"""Reading and writing files safely: regular files only, atomic replacement, all-or-nothing
groups, names confined to a folder.

Every file kordata writes (exports, curation's tables, refresh's generated files, release
manifests) goes through here, and every file it reads from a package (descriptor, schemas,
tables, seeds, manifests) is opened by ``read_regular``. Written by hand because the standard
library has the parts (os.open, fstat, tempfile, os.replace, os.fsync) but no helper that
combines them, and the rules are short:

- a file is read only if it is a regular file: a directory, FIFO, socket or device is refused
  after opening it without blocking (O_NONBLOCK) and checking what was opened (fstat), so a FIFO
  never hangs a reader and a file swapped in between a check and the open is still caught;

- a file is written to a temporary file in the same folder, flushed to disk, then renamed over
  its final name, so a reader sees the old file or the complete new one, never a truncated one;
- a group of files is written as temporaries first and renamed only when all are complete; a
  failure before the renames leaves every old file untouched;
- an output name taken from data must be a plain file name inside the target folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from .errors import KordataError

TEMP_PREFIX = ".kordata-tmp-"


class WriteError(KordataError):
    """A file could not be written (full disk, read-only folder, missing permission): nothing was replaced."""


class ReadError(KordataError):
    """A file could not be read: missing, not a regular file, too large, a NUL byte in its name, no permission."""


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """'a regular file', 'a directory', 'a FIFO', ... for an st_mode."""
    if stat.S_ISREG(mode):
        return "a regular file"
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_regular(path: Path, what: str) -> None:
    """Raise ReadError unless ``path`` (following symlinks) is missing or a regular file; never opens it."""
    try:
        mode = os.stat(path).st_mode
    except ValueError:
        raise ReadError(f"{what}: path {str(path)!r} contains a NUL byte") from None
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ReadError(f"{what}: cannot read {path}: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise ReadError(f"{what}: {path} is {file_kind(mode)}, not a regular file")


def read_regular(path: Path, what: str, limit: int | None = None) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; ReadError (one line
    naming the file and the problem) otherwise. Opens without blocking, so a FIFO cannot hang it."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except ValueError:
        raise ReadError(f"{what}: path {str(path)!r} contains a NUL byte") from None
    except OSError as exc:
        raise ReadError(f"{what}: cannot read {path}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(f"{what}: {path} is {file_kind(info.st_mode)}, not a regular file")
        if limit is not None and info.st_size > limit:
            raise ReadError(f"{what}: {path} is {info.st_size} bytes, over the {limit} limit")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as exc:
        raise ReadError(f"{what}: cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise ReadError(f"{what}: {path} is over the {limit} bytes limit")
    return data


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
    import tempfile  # only when writing: ``import kordata`` stays light

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

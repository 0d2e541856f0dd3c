"""kordata: a South Korea / North Korea / Russia / Ukraine event dataset, every row anchored to its text.

    >>> import kordata
    >>> events = kordata.load("events")          # one table, typed DataFrame
    >>> everything = kordata.load_all()          # dict of all tables
    >>> kordata.tables()                         # names and descriptions
    >>> kordata.validate().ok                    # all validation layers
    >>> print(kordata.cite("bibtex"))

Importing kordata is light: pandas loads with the first table, and pandera (and frictionless,
with ``engine="frictionless"``) only when validation runs. The public functions are declared
here for IDEs and type checkers and imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import KordataError, PackageError, UnknownTableError
from .package import Package

if TYPE_CHECKING:  # what __getattr__ provides, for type checkers and IDEs
    from .citation import cite
    from .loading import load, load_all, tables
    from .validation import validate

__all__ = [
    "KordataError",
    "Package",
    "PackageError",
    "UnknownTableError",
    "__version__",
    "cite",
    "get_table_names",
    "load",
    "load_all",
    "metadata",
    "tables",
    "validate",
]

_LAZY = {"load": "loading", "load_all": "loading", "tables": "loading", "validate": "validation", "cite": "citation"}


def _version() -> str:
    """The data's version: datapackage.json of the installed package, read now (one home, no stale copy).
    Falls back to the distribution's metadata only when no descriptor can be read."""
    try:
        return Package.open().version
    except PackageError:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("kordata")
        except PackageNotFoundError:
            return "unknown"


def get_table_names() -> list[str]:
    """Names of the tables, as seaborn's get_dataset_names()."""
    return Package.open().table_names


def metadata(path=None) -> dict:
    """Package metadata: name, title, version, licenses, created, homepage and the citation text."""
    from .citation import citation_text
    from .profiles import require_valid_descriptor

    pkg = Package.open(path)
    require_valid_descriptor(pkg)
    d = pkg.descriptor
    return {
        "name": d.get("name"),
        "title": d.get("title"),
        "version": pkg.version,
        "licenses": d.get("licenses", []),
        "created": d.get("created"),
        "homepage": d.get("homepage"),
        "citation": citation_text(pkg),
    }


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return _version()
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'kordata' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

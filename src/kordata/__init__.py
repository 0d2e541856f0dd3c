"""kordata: a South Korea / North Korea / Russia / Ukraine event dataset, every row anchored to its text.

    >>> import kordata
    >>> events = kordata.load("events")          # one table, typed DataFrame
    >>> everything = kordata.load_all()          # dict of all tables
    >>> kordata.tables()                         # names and descriptions
    >>> kordata.validate().ok                    # all validation layers

Importing kordata is light: pandas loads with the first table, and pandera (and frictionless,
with ``engine="frictionless"``) only when validation runs.
"""
from __future__ import annotations

from .errors import KordataError, PackageError, UnknownTableError
from .package import Package

__all__ = ["load", "load_all", "tables", "metadata", "validate", "cite", "get_table_names",
           "Package", "KordataError", "PackageError", "UnknownTableError", "__version__"]


def _version() -> str:
    try:
        return Package.open().version
    except PackageError:
        from importlib.metadata import version
        return version("kordata")


__version__ = _version()


def get_table_names() -> list[str]:
    """Names of the tables, as seaborn's get_dataset_names()."""
    return Package.open().table_names


def metadata(path=None) -> dict:
    """Package metadata: name, title, version, licenses, created, homepage and the citation text."""
    from .citation import citation_text
    pkg = Package.open(path)
    d = pkg.descriptor
    return {"name": d.get("name"), "title": d.get("title"), "version": pkg.version, "licenses": d.get("licenses", []),
            "created": d.get("created"), "homepage": d.get("homepage"), "citation": citation_text(pkg)}


def __getattr__(name: str):
    # Lazy: pandas (and, for validate, pandera and frictionless) load on first use.
    if name in ("load", "load_all", "tables"):
        from . import loading
        return getattr(loading, name)
    if name == "validate":
        from .validation import validate
        return validate
    if name == "cite":
        from .citation import cite
        return cite
    raise AttributeError(f"module 'kordata' has no attribute {name!r}")

"""Citation of the installed release, generated from datapackage.json (title, version, created,
contributors, licenses, homepage, and a DOI once one is recorded as the package ``id``).

Every format carries the DOI and the URL as soon as one exists (the DOI's resolver URL, else the
homepage), and says plainly that none exists yet otherwise. Serialised by kept libraries rather than
string assembly: BibTeX by bibtexparser's writer (kordata escapes the LaTeX specials and braces each
author as a corporate name, so BibTeX does not split "kordata contributors" into first and last
names), CFF by PyYAML (quoting whatever YAML would otherwise read as a date or a number).

The release state (kordata.release_state: CHANGELOG.md and releases/) decides the dates: a release
is cited with its CHANGELOG date (CFF ``date-released``, the year); an unreleased preview has no
release date, and every format says "unreleased preview" and, where an access date is given (the
``kordata cite`` command and the site give today's), when it was accessed.
"""

from __future__ import annotations

import re

from .errors import KordataError
from .package import Package
from .profiles import require_valid_descriptor
from .release_state import PREVIEW, Release, of, today

FORMATS = ("text", "bibtex", "cff")
DOI_PREFIX = "https://doi.org/"
NO_IDENTIFIER = "No DOI or URL exists yet for this release: cite it by title and version."
CFF_HEADER = "# Generated from datapackage.json by `python -m kordata.build.refresh`; do not edit by hand.\n"


def _authors(d: dict) -> list[str]:
    names = [c.get("title", "") for c in d.get("contributors", []) if "creator" in c.get("roles", ["creator"])]
    return [n for n in names if n] or ["kordata contributors"]


def doi(pkg: Package) -> str:
    ident = str(pkg.descriptor.get("id", ""))
    return ident[len(DOI_PREFIX) :] if ident.startswith(DOI_PREFIX) else ""


def url(pkg: Package) -> str:
    """Where the release can be found: the DOI's resolver URL, else the homepage, else ''."""
    return f"{DOI_PREFIX}{doi(pkg)}" if doi(pkg) else str(pkg.descriptor.get("homepage", "") or "")


def year(pkg: Package, release: Release | None = None) -> str:
    """The release's year; for a preview, the year the package was created."""
    release = release or of(pkg)
    return (release.date or str(pkg.descriptor.get("created", "")))[:4]


def version_words(pkg: Package, release: Release | None = None, accessed: str | None = None) -> str:
    """'Version 0.2.0', or 'Version 0.2.0, unreleased preview[, accessed 2026-11-26]'."""
    release = release or of(pkg)
    if release.released:
        return f"Version {pkg.version}"
    return f"Version {pkg.version}, {PREVIEW}" + (f", accessed {accessed}" if accessed else "")


def _licenses(d: dict) -> str:
    return ", ".join(lic.get("name", "") for lic in d.get("licenses", []))


def citation_text(pkg: Package, release: Release | None = None, accessed: str | None = None) -> str:
    d = pkg.descriptor
    where = url(pkg) or NO_IDENTIFIER
    words = version_words(pkg, release, accessed)
    return f"{'; '.join(_authors(d))} ({year(pkg, release)}). {d.get('title')} ({words}) [Data set]. {where}"


def _bib_escape(value: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", value)


def citation_bibtex(pkg: Package, release: Release | None = None, accessed: str | None = None) -> str:
    """A BibTeX @misc entry; bibtexparser's writer wraps each value in braces. A preview's ``note``
    says "unreleased preview" and the access date."""
    from bibtexparser.bibdatabase import BibDatabase
    from bibtexparser.bwriter import BibTexWriter

    d = pkg.descriptor
    fields = {
        "author": " and ".join("{" + _bib_escape(a) + "}" for a in _authors(d)),  # braced: a corporate name
        "title": "{" + _bib_escape(d.get("title", "")) + "}",  # braced: keep its capitals
        "year": year(pkg, release),
        "version": pkg.version,
        "publisher": "{" + _bib_escape(_authors(d)[0]) + "}",
        "howpublished": "Data set",
        **({"doi": _bib_escape(doi(pkg))} if doi(pkg) else {}),
        **({"url": url(pkg)} if url(pkg) else {}),
        "note": _bib_escape(
            f"{version_words(pkg, release, accessed)}; license {_licenses(d)}" + ("" if url(pkg) else f". {NO_IDENTIFIER}")
        ),
    }
    database = BibDatabase()
    database.entries = [{"ENTRYTYPE": "misc", "ID": f"{d.get('name', 'kordata')}_{pkg.version.replace('.', '_')}", **fields}]
    writer = BibTexWriter()
    writer.indent, writer.order_entries_by, writer.display_order = "  ", None, list(fields)
    return writer.write(database).strip()


def cff_document(pkg: Package, release: Release | None = None) -> dict:
    """CITATION.cff's content (CFF 1.2.0, type dataset) as a mapping. A release has ``date-released``
    (its CHANGELOG date); a preview has none, and its message says how to cite a preview."""
    d = pkg.descriptor
    release = release or of(pkg)
    message = "If you use this dataset, please cite it as below."
    if not release.released:
        message += (
            f" Version {pkg.version} is an {PREVIEW} (not released yet): cite it with the version, "
            f"the words \u201c{PREVIEW}\u201d and the date you accessed it."
        )
    doc: dict = {
        "cff-version": "1.2.0",
        "message": message if url(pkg) else f"{message} {NO_IDENTIFIER}",
        "type": "dataset",
        "title": d.get("title", ""),
        "version": pkg.version,
        **({"date-released": release.date} if release.released else {}),
        "abstract": d.get("description", ""),
        "authors": [{"name": a} for a in _authors(d)],
        "license": d.get("licenses", [{}])[0].get("name", ""),
    }
    if doi(pkg):
        doc["doi"] = doi(pkg)
        doc["identifiers"] = [{"type": "doi", "value": doi(pkg), "description": f"Version {pkg.version}"}]
    if d.get("homepage"):
        doc["repository-code"] = d["homepage"]
    if url(pkg):
        doc["url"] = url(pkg)
    doc["keywords"] = list(d.get("keywords", []))
    return doc


def citation_cff(pkg: Package, release: Release | None = None) -> str:
    """CITATION.cff, serialised by PyYAML."""
    import yaml

    return CFF_HEADER + yaml.safe_dump(cff_document(pkg, release), sort_keys=False, allow_unicode=True, width=1000)


def cite(format: str = "text", path=None, accessed: str | None = None) -> str:
    """The citation of the package (default: installed) as 'text', 'bibtex' or 'cff'. An unreleased
    preview is cited as one, accessed on ``accessed`` (default: today)."""
    if format not in FORMATS:
        raise KordataError(f"unknown citation format {format!r}; choose one of {', '.join(FORMATS)}")
    pkg = Package.open(path)
    require_valid_descriptor(pkg)
    if format == "cff":
        return citation_cff(pkg)
    return {"text": citation_text, "bibtex": citation_bibtex}[format](pkg, accessed=accessed or today())

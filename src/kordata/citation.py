"""Citation of the installed release, generated from datapackage.json (title, version, created,
contributors, licenses, homepage, and a DOI once one is recorded as the package ``id``).

Every format carries the DOI and the URL as soon as one exists (the DOI's resolver URL, else the
homepage), and says plainly that none exists yet otherwise. Serialised by kept libraries rather than
string assembly: BibTeX by bibtexparser's writer (kordata escapes the LaTeX specials and braces each
author as a corporate name, so BibTeX does not split "kordata contributors" into first and last
names), CFF by PyYAML (quoting whatever YAML would otherwise read as a date or a number).
"""

from __future__ import annotations

import re

from .errors import KordataError
from .package import Package
from .profiles import require_valid_descriptor

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


def year(pkg: Package) -> str:
    return str(pkg.descriptor.get("created", ""))[:4]


def _licenses(d: dict) -> str:
    return ", ".join(lic.get("name", "") for lic in d.get("licenses", []))


def citation_text(pkg: Package) -> str:
    d = pkg.descriptor
    where = url(pkg) or NO_IDENTIFIER
    return f"{'; '.join(_authors(d))} ({year(pkg)}). {d.get('title')} (Version {pkg.version}) [Data set]. {where}"


def _bib_escape(value: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", value)


def citation_bibtex(pkg: Package) -> str:
    """A BibTeX @misc entry; bibtexparser's writer wraps each value in braces."""
    from bibtexparser.bibdatabase import BibDatabase
    from bibtexparser.bwriter import BibTexWriter

    d = pkg.descriptor
    fields = {
        "author": " and ".join("{" + _bib_escape(a) + "}" for a in _authors(d)),  # braced: a corporate name
        "title": "{" + _bib_escape(d.get("title", "")) + "}",  # braced: keep its capitals
        "year": year(pkg),
        "version": pkg.version,
        "publisher": "{" + _bib_escape(_authors(d)[0]) + "}",
        "howpublished": "Data set",
        **({"doi": _bib_escape(doi(pkg))} if doi(pkg) else {}),
        **({"url": url(pkg)} if url(pkg) else {}),
        "note": _bib_escape(f"Version {pkg.version}; license {_licenses(d)}" + ("" if url(pkg) else f". {NO_IDENTIFIER}")),
    }
    database = BibDatabase()
    database.entries = [{"ENTRYTYPE": "misc", "ID": f"{d.get('name', 'kordata')}_{pkg.version.replace('.', '_')}", **fields}]
    writer = BibTexWriter()
    writer.indent, writer.order_entries_by, writer.display_order = "  ", None, list(fields)
    return writer.write(database).strip()


def cff_document(pkg: Package) -> dict:
    """CITATION.cff's content (CFF 1.2.0, type dataset) as a mapping."""
    d = pkg.descriptor
    message = "If you use this dataset, please cite it as below."
    doc: dict = {
        "cff-version": "1.2.0",
        "message": message if url(pkg) else f"{message} {NO_IDENTIFIER}",
        "type": "dataset",
        "title": d.get("title", ""),
        "version": pkg.version,
        "date-released": str(d.get("created", ""))[:10],
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


def citation_cff(pkg: Package) -> str:
    """CITATION.cff, serialised by PyYAML."""
    import yaml

    return CFF_HEADER + yaml.safe_dump(cff_document(pkg), sort_keys=False, allow_unicode=True, width=1000)


def cite(format: str = "text", path=None) -> str:
    """The citation of the package (default: installed) as 'text', 'bibtex' or 'cff'."""
    if format not in FORMATS:
        raise KordataError(f"unknown citation format {format!r}; choose one of {', '.join(FORMATS)}")
    pkg = Package.open(path)
    require_valid_descriptor(pkg)
    return {"text": citation_text, "bibtex": citation_bibtex, "cff": citation_cff}[format](pkg)

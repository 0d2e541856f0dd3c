"""Citation of the installed release, generated from datapackage.json (title, version, created,
contributors, licenses, homepage, and a DOI once one is recorded as the package ``id``)."""

from __future__ import annotations

import json
import re

from .errors import KordataError
from .package import Package

FORMATS = ("text", "bibtex", "cff")
DOI_PREFIX = "https://doi.org/"


def _authors(d: dict) -> list[str]:
    names = [c.get("title", "") for c in d.get("contributors", []) if "creator" in c.get("roles", ["creator"])]
    return [n for n in names if n] or ["kordata contributors"]


def doi(pkg: Package) -> str:
    ident = str(pkg.descriptor.get("id", ""))
    return ident[len(DOI_PREFIX) :] if ident.startswith(DOI_PREFIX) else ""


def year(pkg: Package) -> str:
    return str(pkg.descriptor.get("created", ""))[:4]


def citation_text(pkg: Package) -> str:
    d = pkg.descriptor
    where = f"https://doi.org/{doi(pkg)}" if doi(pkg) else d.get("homepage", "")
    return f"{'; '.join(_authors(d))} ({year(pkg)}). {d.get('title')} (Version {pkg.version}) [Data set]. {where}".strip()


def _bib_escape(value: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", value)


def citation_bibtex(pkg: Package) -> str:
    d = pkg.descriptor
    key = f"{d.get('name', 'kordata')}_{pkg.version.replace('.', '_')}"
    fields = {
        "author": " and ".join("{" + _bib_escape(a) + "}" for a in _authors(d)),
        "title": "{" + _bib_escape(d.get("title", "")) + "}",
        "year": year(pkg),
        "version": pkg.version,
        "publisher": "{" + _bib_escape(_authors(d)[0]) + "}",
        "howpublished": "Data set",
        **({"url": d["homepage"]} if d.get("homepage") else {}),
        "note": f"Version {pkg.version}; license {', '.join(lic.get('name', '') for lic in d.get('licenses', []))}",
    }
    if doi(pkg):
        fields["doi"] = doi(pkg)
    body = ",\n".join(f"  {k} = {v if v.startswith('{') else '{' + v + '}'}" for k, v in fields.items())
    return f"@misc{{{key},\n{body}\n}}"


def citation_cff(pkg: Package) -> str:
    """CITATION.cff (CFF 1.2.0, type dataset). JSON string literals are valid YAML scalars."""
    d = pkg.descriptor
    q = lambda s: json.dumps(s, ensure_ascii=False)
    lines = [
        "# Generated from datapackage.json by `python -m kordata.build.refresh`; do not edit by hand.",
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {q(d.get('title', ''))}",
        f"version: {q(pkg.version)}",
        f"date-released: {q(str(d.get('created', ''))[:10])}",
        f"abstract: {q(d.get('description', ''))}",
        "authors:",
    ]
    lines += [f"  - name: {q(a)}" for a in _authors(d)]
    lines.append(f"license: {q(d.get('licenses', [{}])[0].get('name', ''))}")
    if d.get("homepage"):
        lines.append(f"repository-code: {q(d['homepage'])}")
        lines.append(f"url: {q(d['homepage'])}")
    if doi(pkg):
        lines.append(f"doi: {q(doi(pkg))}")
    lines.append("keywords:")
    lines += [f"  - {q(k)}" for k in d.get("keywords", [])]
    return "\n".join(lines) + "\n"


def cite(format: str = "text", path=None) -> str:
    """The citation of the package (default: installed) as 'text', 'bibtex' or 'cff'."""
    if format not in FORMATS:
        raise KordataError(f"unknown citation format {format!r}; choose one of {', '.join(FORMATS)}")
    pkg = Package.open(path)
    return {"text": citation_text, "bibtex": citation_bibtex, "cff": citation_cff}[format](pkg)

"""Catalogue metadata generated from datapackage.json and the schemas: Zenodo deposit metadata
(.zenodo.json) and an MLCommons Croissant description (croissant.json). Never edited by hand:
``python -m kordata.build.refresh`` writes them and tests fail when they are stale."""

from __future__ import annotations

import json

from ..citation import _authors, citation_text, doi
from ..package import Package
from ..release_state import Release, of
from ..tableschema import field_type, loaded_type

# The encodingFormat mlcroissant reads as Parquet (it keeps the file's types).
PARQUET_CROISSANT = "application/x-parquet"

CROISSANT_CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
    "samplingRate": "cr:samplingRate",
    "equivalentProperty": "cr:equivalentProperty",
}


def zenodo(pkg: Package, release: Release | None = None) -> str:
    """.zenodo.json: the deposit's metadata. Carries the DOI and the homepage once they exist, and says
    in its notes that none exists yet otherwise."""
    d = pkg.descriptor
    release = release or of(pkg)
    doc = {
        "upload_type": "dataset",
        "title": d["title"],
        "description": d["description"],
        "version": pkg.version,
        # a release's CHANGELOG date; a preview has none (Zenodo dates a deposit without one on the day it is made)
        **({"publication_date": release.date} if release.released else {}),
        "creators": [{"name": a} for a in _authors(d)],
        "license": d["licenses"][0]["name"].lower(),
        "keywords": d.get("keywords", []),
        "access_right": "open",
        **({"doi": doi(pkg)} if doi(pkg) else {}),
        **(
            {"related_identifiers": [{"identifier": d["homepage"], "relation": "isDocumentedBy", "resource_type": "other"}]}
            if d.get("homepage")
            else {}
        ),
        "notes": "Cite as: " + citation_text(pkg, release),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def croissant(pkg: Package, release: Release | None = None) -> str:
    """croissant.json: each table's CSV and Parquet copy as FileObjects, and one RecordSet per table
    whose fields are read from the Parquet copy. mlcroissant reads CSV FileObjects with a bare
    pandas.read_csv (CAMEO ``072`` becomes ``72`` whatever the dataType); Parquet keeps the types."""
    from .parquet import PROPERTY

    d = pkg.descriptor
    release = release or of(pkg)
    files, record_sets = [], []
    for r in d["resources"]:
        csv_id, parquet = f"{r['name']}.csv", r[PROPERTY]
        parquet_id = f"{r['name']}.parquet"
        files.append(
            {
                "@type": "cr:FileObject",
                "@id": csv_id,
                "name": csv_id,
                "description": f"{r.get('title', r['name'])}: the CSV file (text; types in schemas/, or read {parquet_id}).",
                "contentUrl": r["path"],
                "encodingFormat": r["mediatype"],
                "sha256": r["hash"].split(":", 1)[1],
            }
        )
        files.append(
            {
                "@type": "cr:FileObject",
                "@id": parquet_id,
                "name": parquet_id,
                "description": f"{r.get('title', r['name'])}: the same rows as {csv_id}, typed (Parquet).",
                "contentUrl": parquet["path"],
                "encodingFormat": PARQUET_CROISSANT,
                "sha256": parquet["hash"].split(":", 1)[1],
            }
        )
        fields = [
            {
                "@type": "cr:Field",
                "@id": f"{r['name']}/{f['name']}",
                "name": f"{r['name']}/{f['name']}",
                "description": f.get("description", ""),
                "dataType": field_type(f).croissant,
                "source": {"fileObject": {"@id": parquet_id}, "extract": {"column": f["name"]}},
            }
            for f in pkg.fields(r["name"])
        ]
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": r["name"],
                "name": r["name"],
                "description": r.get("description", ""),
                "key": {"@id": f"{r['name']}/{pkg.primary_key(r['name'])}"},
                "field": fields,
            }
        )
    doc = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "name": d["name"],
        "description": d["description"],
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "citeAs": citation_text(pkg, release),
        "license": d["licenses"][0]["path"],
        **({"url": d["homepage"]} if d.get("homepage") else {}),
        "version": pkg.version,
        # schema.org's datePublished is "the date of first publication or broadcast" of this item, and
        # Croissant readers (dataset search, mlcroissant) show it as the date of this version. A preview
        # has not been published, and the last release's date would date a different version (its files
        # differ), so a preview leaves it out, as schema.org allows; a release gives its CHANGELOG date.
        **({"datePublished": release.date} if release.released else {}),
        "creator": [{"@type": "sc:Organization", "name": a} for a in _authors(d)],
        "keywords": d.get("keywords", []),
        "distribution": files,
        "recordSet": record_sets,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def hf_card(pkg: Package) -> dict:
    """The Hugging Face dataset card metadata (README.md's YAML front matter): one config per table
    whose data_files are its Parquet copy, and its features from the schema (kordata.tableschema's
    ``hf`` types), so that ``datasets.load_dataset(<folder>, "<table>")`` reads each table typed."""
    from .parquet import PROPERTY

    d = pkg.descriptor
    names = pkg.table_names
    license_name = str(d.get("licenses", [{}])[0].get("name", "")).lower()
    return {
        "pretty_name": d.get("title", d.get("name", "")),
        **({"license": license_name} if license_name else {}),
        "language": ["en"],
        "tags": list(d.get("keywords", [])),
        "configs": [
            {
                "config_name": name,
                "data_files": [{"split": "train", "path": pkg.resource(name)[PROPERTY]["path"]}],
                **({"default": True} if name == names[0] else {}),
            }
            for name in names
        ],
        "dataset_info": [
            {"config_name": name, "features": [{"name": f["name"], "dtype": loaded_type(f).hf} for f in pkg.fields(name)]} for name in names
        ],
    }


CARD_NOTE = "# Generated from the schemas by `python -m kordata.build.refresh` (Hugging Face dataset card); do not edit.\n"


def readme_with_card(readme: str, pkg: Package) -> str:
    """README.md with its YAML front matter replaced by (or prefixed with) the dataset card; the body is kept."""
    import yaml

    body = readme
    if readme.startswith("---\n"):
        end = readme.find("\n---\n", 4)
        if end != -1:
            body = readme[end + len("\n---\n") :]
    card = yaml.safe_dump(hf_card(pkg), sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{CARD_NOTE}{card}---\n{body}"

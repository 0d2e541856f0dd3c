"""Catalogue metadata generated from datapackage.json and the schemas: Zenodo deposit metadata
(.zenodo.json) and an MLCommons Croissant description (croissant.json). Never edited by hand:
``python -m kordata.build.refresh`` writes them and tests fail when they are stale."""

from __future__ import annotations

import json

from ..citation import _authors, citation_text
from ..package import Package
from ..tableschema import field_type

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


def zenodo(pkg: Package) -> str:
    d = pkg.descriptor
    doc = {
        "upload_type": "dataset",
        "title": d["title"],
        "description": d["description"],
        "version": pkg.version,
        "publication_date": str(d.get("created", ""))[:10],
        "creators": [{"name": a} for a in _authors(d)],
        "license": d["licenses"][0]["name"].lower(),
        "keywords": d.get("keywords", []),
        "access_right": "open",
        "notes": "Cite as: " + citation_text(pkg),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def croissant(pkg: Package) -> str:
    d = pkg.descriptor
    files, record_sets = [], []
    for r in d["resources"]:
        file_id = f"{r['name']}.csv"
        files.append(
            {
                "@type": "cr:FileObject",
                "@id": file_id,
                "name": file_id,
                "contentUrl": r["path"],
                "encodingFormat": r["mediatype"],
                "sha256": r["hash"].split(":", 1)[1],
            }
        )
        fields = [
            {
                "@type": "cr:Field",
                "@id": f"{r['name']}/{f['name']}",
                "name": f"{r['name']}/{f['name']}",
                "description": f.get("description", ""),
                "dataType": field_type(f).croissant,
                "source": {"fileObject": {"@id": file_id}, "extract": {"column": f["name"]}},
            }
            for f in pkg.fields(r["name"])
        ]
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": r["name"],
                "name": r["name"],
                "description": r.get("description", ""),
                "key": {"@id": f"{r['name']}/{pkg.schema(r['name'])['primaryKey'][0]}"},
                "field": fields,
            }
        )
    doc = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "name": d["name"],
        "description": d["description"],
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "citeAs": citation_text(pkg),
        "license": d["licenses"][0]["path"],
        **({"url": d["homepage"]} if d.get("homepage") else {}),
        "version": pkg.version,
        "datePublished": str(d.get("created", ""))[:10],
        "creator": [{"@type": "sc:Organization", "name": a} for a in _authors(d)],
        "keywords": d.get("keywords", []),
        "distribution": files,
        "recordSet": record_sets,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

"""Facts written into hand-written pages at build time: ``{{ name }}`` placeholders filled from
the package and the code, and the schema.org Dataset JSON-LD of the home page."""

from __future__ import annotations

import json

import kd_downloads
import kd_reference
from kd_common import Site, esc, plural, shorten

from kordata.citation import citation_bibtex, citation_text


def json_ld(site: Site, site_url: str, zipped: bytes) -> str:
    pkg = site.pkg
    d = pkg.descriptor
    by_path = {r.get("path"): r for r in d["resources"]}
    distribution = [{"@type": "DataDownload", "name": kd_downloads.zip_name(site), "encodingFormat": "application/zip",
                     "contentUrl": f"{site_url}downloads/{kd_downloads.zip_name(site)}", "sha256": kd_downloads.sha256(zipped)}]
    for path in kd_downloads.listed_files(site):
        data = (pkg.root / path).read_bytes()
        resource = by_path.get(path)
        distribution.append({"@type": "DataDownload", "name": resource["name"] if resource else path,
                             "encodingFormat": (resource or {}).get("mediatype") or
                             {"json": "application/json", "csv": "text/csv", "txt": "text/plain",
                              "parquet": "application/vnd.apache.parquet"}.get(path.rsplit(".", 1)[-1], "application/octet-stream"),
                             "contentUrl": f"{site_url}{path}", "sha256": kd_downloads.sha256(data), "contentSize": f"{len(data)} B"})
    variables = [{"@type": "PropertyValue", "name": f"{n}.{f['name']}", "description": f.get("description", "")}
                 for n in pkg.table_names for f in pkg.fields(n)]
    doc = {"@context": "https://schema.org", "@type": "Dataset", "name": d["title"], "description": d["description"],
           "url": site_url, "version": pkg.version, "license": [lic.get("path") for lic in d.get("licenses", [])],
           "identifier": d.get("id"), "keywords": d.get("keywords", []), "isAccessibleForFree": True,
           "creator": [{"@type": "Organization", "name": c["title"]} for c in d.get("contributors", [])],
           "dateCreated": d.get("created"), "citation": citation_text(pkg), "distribution": distribution,
           "variableMeasured": variables}
    return '<script type="application/ld+json">' + json.dumps(doc, ensure_ascii=False).replace("</", "<\\/") + "</script>"


def structure(site: Site) -> str:
    rows = ['<table class="kd-structure"><thead><tr><th scope="col">table</th><th scope="col">what it holds</th>'
            '<th scope="col">rows</th></tr></thead><tbody>']
    for t in site.tables:
        description = site.schema(t).get("description") or site.pkg.resource(t).get("description", "")
        rows.append(f'<tr><th scope="row"><a href="dictionary/#{esc(t)}">{esc(site.title(t))}</a></th>'
                    f"<td>{esc(shorten(description, 150))}</td><td>{len(site.frames[t]):,}</td></tr>")
    return "".join(rows) + "</tbody></table>"


def documents(site: Site) -> str:
    if site.document_table is None:
        return ""
    frame = site.frames[site.document_table]
    pk = site.pk(site.document_table)
    return "\n".join(f"- [{esc(r.title)}](article/{getattr(r, pk)}.md)" for r in frame.itertuples(index=False))


def example_read(site: Site, site_url: str) -> str:
    table = (site.pkg.annotation_tables or site.tables)[0]
    return f'{table} = pd.read_csv("{site_url}{site.pkg.resource(table)["path"]}", dtype=str)  # text as text: codes keep leading zeros'


def fill(markdown: str, site: Site, site_url: str, zip_name: str, zipped: bytes) -> str:
    if "{{" not in markdown:
        return markdown
    pkg = site.pkg
    n_docs = len(site.frames[site.document_table]) if site.document_table else 0
    values = {
        "version": lambda: pkg.version,
        "package_summary": lambda: (f"**Version {esc(pkg.version)}** · {plural(len(site.tables), 'table')} · "
                                    f"{plural(sum(len(f) for f in site.frames.values()), 'row')} · "
                                    f"{plural(n_docs, 'document')}\n\n" + json_ld(site, site_url, zipped)),
        "n_documents": lambda: plural(n_docs, "document"),
        "documents": lambda: documents(site),
        "structure": lambda: structure(site),
        "download": lambda: (f'<a href="downloads/{zip_name}" download>{zip_name}</a> (SHA-256 `{kd_downloads.sha256(zipped)[:16]}…`, '
                             "full hash on [Get the data](downloads.md))"),
        "citation": lambda: f"> {citation_text(pkg)}\n\n```bibtex\n{citation_bibtex(pkg)}\n```",
        "commands": kd_reference.command_list,
        "default_engine": kd_reference.default_engine,
        "exit_codes": kd_reference.exit_codes_markdown,
        "export_formats": kd_reference.export_formats,
        "layers": lambda: "\n".join(f"{n}. **Layer {n}**: {esc(text)}." for n, text in kd_reference.layers()),
        "site_url": lambda: site_url,
        "example_read": lambda: example_read(site, site_url),
        "example_table": lambda: (site.pkg.annotation_tables or site.tables)[0],
    }
    for name, make in values.items():
        token = "{{ " + name + " }}"
        if token in markdown:
            markdown = markdown.replace(token, make())
    return markdown

"""Facts written into hand-written pages at build time: ``{{ name }}`` placeholders filled from
the package and the code (counts and their grammar, the release state, the install command, the
limitations the data shows), and the schema.org Dataset JSON-LD of the home page."""

from __future__ import annotations

import json

import kd_downloads
import kd_reference
import kd_wheel
from kd_common import Site, esc, plural, present, shorten, text
from kd_links import row_href

from kordata.citation import citation_bibtex, citation_text


def json_ld(site: Site, site_url: str, release, zipped: bytes) -> str:
    pkg = site.pkg
    d = pkg.descriptor
    name = kd_downloads.zip_name(site, release)
    by_path = {r.get("path"): r for r in d["resources"]}
    distribution = [
        {
            "@type": "DataDownload",
            "name": name,
            "encodingFormat": "application/zip",
            "contentUrl": f"{site_url}downloads/{name}",
            "sha256": kd_downloads.sha256(zipped),
        }
    ]
    for path in kd_downloads.listed_files(site):
        data = (pkg.root / path).read_bytes()
        resource = by_path.get(path)
        distribution.append(
            {
                "@type": "DataDownload",
                "name": resource["name"] if resource else path,
                "encodingFormat": (resource or {}).get("mediatype")
                or {"json": "application/json", "csv": "text/csv", "txt": "text/plain", "parquet": "application/vnd.apache.parquet"}.get(
                    path.rsplit(".", 1)[-1], "application/octet-stream"
                ),
                "contentUrl": f"{site_url}{path}",
                "sha256": kd_downloads.sha256(data),
                "contentSize": f"{len(data)} B",
            }
        )
    variables = [
        {"@type": "PropertyValue", "name": f"{n}.{f['name']}", "description": f.get("description", "")}
        for n in pkg.table_names
        for f in pkg.fields(n)
    ]
    doc = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": d["title"],
        "description": d["description"],
        "url": site_url,
        "version": pkg.version,
        "creativeWorkStatus": "Published" if release.released else "Draft",
        **({"datePublished": release.date} if release.released else {}),
        "license": [lic.get("path") for lic in d.get("licenses", [])],
        "identifier": d.get("id"),
        "keywords": d.get("keywords", []),
        "isAccessibleForFree": True,
        "creator": [{"@type": "Organization", "name": c["title"]} for c in d.get("contributors", [])],
        "dateCreated": d.get("created"),
        "citation": citation_text(pkg, release, accessed=kd_wheel.build_day()),
        "distribution": distribution,
        "variableMeasured": variables,
    }
    return '<script type="application/ld+json">' + json.dumps(doc, ensure_ascii=False).replace("</", "<\\/") + "</script>"


def one_line(description: str, limit: int = 100) -> str:
    """A table's description as one line: its first sentence, or, when that is longer than ``limit``, the
    sentence up to its first colon (else parenthesis, else comma): its main clause, never cut mid-phrase."""
    import re

    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(description.split()), maxsplit=1)[0].rstrip(".")
    if len(first) <= limit:
        return first
    for mark in (": ", " (", ", "):  # the main clause ends at a colon, else a parenthesis, else a comma
        if 0 < first.find(mark) <= limit:
            return first[: first.find(mark)]
    return shorten(first, limit)


def structure(site: Site) -> str:
    rows = [
        '<table class="kd-structure"><thead><tr><th scope="col">table</th><th scope="col">what it holds</th>'
        '<th scope="col" class="kd-num">rows</th></tr></thead><tbody>'
    ]
    for t in site.tables:
        description = site.schema(t).get("description") or site.pkg.resource(t).get("description", "")
        rows.append(
            f'<tr><th scope="row" data-label="table"><a href="dictionary/#{esc(t)}">{esc(site.title(t))}</a></th>'
            f'<td data-label="what it holds">{esc(one_line(description))}</td>'
            f'<td data-label="rows" class="kd-num">{len(site.frames[t]):,}</td></tr>'
        )
    return "".join(rows) + "</tbody></table>"


def n_documents(site: Site) -> int:
    return len(site.frames[site.document_table]) if site.document_table else 0


def documents(site: Site) -> str:
    if site.document_table is None:
        return ""
    frame = site.frames[site.document_table]
    pk = site.pk(site.document_table)
    return "\n".join(f"- [{esc(r.title)}](article/{getattr(r, pk)}.md)" for r in frame.itertuples(index=False))


def table_list(site: Site, tables: list[str]) -> str:
    return ", ".join(f"[{esc(site.title(t).lower())}](dictionary.md#{t})" for t in tables)


def anchoring(site: Site) -> str:
    """Which tables cite the text (Package.anchored_tables) and which do not: never 'every row'."""
    anchored = site.pkg.anchored_tables
    others = [t for t in site.tables if t not in anchored]
    out = (
        f"Every row of the {plural(len(anchored), 'text-anchored table')} ({table_list(site, anchored)}) carries the "
        "code point offsets of the words it comes from and those words verbatim, and `kordata validate` proves "
        "`text[start:end] == quote` for each."
    )
    if others:
        out += (
            f" The other {plural(len(others), 'table')} ({table_list(site, others)}) hold what those rows refer to "
            "and carry no span of their own."
        )
    return out


INFERRED = ("inferred", "partly_stated")  # a FIELD_basis value whose FIELD holds something the curator added


def inferred_values(site: Site) -> list[tuple[str, str, str]]:
    """(table, row id, field) of every value the curator inferred: a FIELD whose FIELD_basis says so."""
    out = []
    for table in site.tables:
        frame = site.frames[table]
        for f in site.pkg.fields(table):
            name = f["name"]
            if name.endswith("_basis") and site.has(table, name[: -len("_basis")]):
                hit = frame[frame[name].astype("string").isin(INFERRED).fillna(False)]
                out += [(table, str(r), name[: -len("_basis")]) for r in hit[site.pk(table)]]
    return out


def sourced(site: Site) -> set[tuple[str, str, str]]:
    """(table, row id, field) of every value a source link bears on (the table that links sources to fields)."""
    table = next((t for t in site.tables if site.has(t, "field") and any(site.has(k.target, "url") for k in site.fks(t))), None)
    if table is None:
        return set()
    out = set()
    for row in site.frames[table].to_dict("records"):
        for key in site.fks(table):
            if not site.has(key.target, "url") and present(row[key.field]) and present(row["field"]):
                out.add((key.target, str(row[key.field]), str(row["field"])))
    return out


def sources_sentence(site: Site) -> str:
    """What the outside sources cover, counted: never 'every inferred value' unless every one has a source."""
    inferred = inferred_values(site)
    if not inferred:
        return "."
    covered = [v for v in inferred if v in sourced(site)]
    fields = sorted({f for _, _, f in inferred})
    what = " and ".join(", ".join(fields).rsplit(", ", 1))
    if len(covered) == len(inferred):
        return f"; and the outside sources behind every value the curator inferred ({what}: {len(inferred)})."
    return (
        f"; and the outside sources behind {len(covered)} of the {len(inferred)} values the curator inferred ({what}; "
        "the others give the curator's reason only)."
    )


def not_a_sample(site: Site) -> str:
    n = n_documents(site)
    who = "One text supports" if n == 1 else f"{n:,} texts support"
    return f"**Not a sample.** {who} no count, trend or comparison between countries."


def limitation_texts(site: Site) -> str:
    n = n_documents(site)
    return f"**{'One text' if n == 1 else f'{n:,} texts'}, one curator.**"


def limitation_outlet(site: Site) -> str:
    """What each text leaves unsaid about itself (its *_status fields) and what outside sources add (source links)."""
    table = site.document_table
    if table is None:
        return ""
    lines = []
    links = next(
        (
            t
            for t in site.tables
            if any(k.target == table for k in site.fks(t)) and t not in site.pkg.anchored_tables and site.has(t, "note")
        ),
        None,
    )
    for doc in site.frames[table].itertuples(index=False):
        row = doc._asdict()
        missing = _not_stated(site, row)
        did = row[site.pk(table)]
        name = f"[{esc(shorten(str(row.get('title', did)), 60))}](article/{did}.md)" if n_documents(site) > 1 else "The text"
        parts = [f"{name} names no {_and(missing)}." if missing else ""]
        if links:
            frame = site.frames[links]
            key = next(k for k in site.fks(links) if k.target == table)
            source = next((k for k in site.fks(links) if k.target != table and site.has(k.target, "url")), None)
            for link in frame[frame[key.field].astype("string") == str(did)].itertuples(index=False):
                link = link._asdict()
                src = site.row(source.target, link[source.field]) if source else None
                publisher = text(src["publisher"]) if src is not None and "publisher" in src and present(src["publisher"]) else ""
                where = (
                    (
                        f' (source: <a href="{row_href(source.target, link[source.field])}">'
                        f"{esc(publisher or shorten(site.label(source.target, link[source.field]), 60))}</a>)"
                    )
                    if source
                    else ""
                )
                parts.append(f"{esc(link['note'])}{where}")
                if source:
                    rest = frame[
                        (frame[source.field].astype("string") == str(link[source.field]))
                        & (frame[key.field].astype("string") != str(did)).fillna(True)
                    ]
                    if len(rest):
                        parts.append(
                            f"The same source bears on {plural(len(rest), 'other value')} of the tables "
                            "(listed on [Outside sources](sources.md))."
                        )
        lines.append(" ".join(p for p in parts if p))
    return "**What the text does not say about itself.** " + " ".join(lines)


def _not_stated(site: Site, row: dict) -> list[str]:
    """What a document row records as not stated in its text ('outlet', 'publication date'), from its
    FIELD_status columns, each named by FIELD's title (without its parenthesis)."""
    table = site.document_table
    out = []
    for f in row:
        if f.endswith("_status") and text(row[f]) == "not_stated":
            base = f[: -len("_status")]
            title = site.field_title(table, base) if site.has(table, base) else base.replace("_", " ")
            out.append(title.split(" (")[0].lower())
    return out


def source_texts(site: Site) -> str:
    """The methodology's account of the texts: how many, how kept, what each leaves unsaid (its *_status
    fields), and the curator's note on its row, quoted as such (it speaks of the row, not of this page)."""
    table = site.document_table
    if table is None:
        return "The package has no table of texts."
    n = n_documents(site)
    out = [
        (
            f"One news report, copied byte for byte into `seeds/`; its SHA-256 is recorded in table `{table}` and checked by the validator."
            if n == 1
            else f"{n:,} news reports, each copied byte for byte into `seeds/`; the SHA-256 of each is recorded in table `{table}` "
            "and checked by the validator."
        )
    ]
    for doc in site.frames[table].itertuples(index=False):
        row = doc._asdict()
        did = row[site.pk(table)]
        missing = _not_stated(site, row)
        name = "The text" if n == 1 else f"[{esc(shorten(str(row.get('title', did)), 60))}](article/{did}.md)"
        said = f"The text names no {_and(missing)}" if missing else ""
        if missing and not (present(row.get("notes")) and str(row["notes"]).startswith(said)):  # not twice in a row
            out.append(f"{name} names no {_and(missing)}.")
        if present(row.get("notes")):
            out.append(
                f'<figure class="kd-note"><figcaption>The curator\'s note on the row of {"this text" if n == 1 else esc(did)} '
                f"in <code>{esc(table)}</code>:</figcaption><blockquote>{esc(row['notes'])}</blockquote></figure>"
            )
    return "\n\n".join(out)


def limitation_certainty(site: Site) -> str:
    """A sentence when every claim has one certainty value (a chart of one bar would say nothing)."""
    table = next((t for t in site.tables if site.has(t, "proposition", "certainty")), None)
    if table is None or site.frames[table].empty:
        return ""
    values = site.frames[table]["certainty"].dropna().astype(str).unique()
    if len(values) != 1:
        return ""
    value = values[0]
    meaning = site.categories(table, "certainty").get(value, "")
    return (
        f"- **One certainty value.** All {len(site.frames[table]):,} claims have FactBank certainty `{esc(value)}`"
        f"{f' ({esc(meaning[0].lower() + meaning[1:].rstrip(chr(46)))})' if meaning else ''}: every claimant the "
        "text quotes states its claims as certain, so the data cannot show how claimants hedge."
    )


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def example_read(site: Site, site_url: str) -> str:
    table = (site.pkg.annotation_tables or site.tables)[0]
    path = site.pkg.resource(table)["path"]
    return f'url = "{site_url}{path}"\n{table} = pd.read_csv(url, dtype=str)  # as text: codes keep their leading zeros'


def install(site: Site, release, wheel, site_url: str, full: bool = False) -> str:
    """The install command from nothing: the wheel built with this site, from this site's address."""
    if wheel is None:
        return (
            "This build of the site publishes no wheel of the library (the package it was built from has no "
            "`pyproject.toml`); the data files above need none."
        )
    digest = kd_downloads.sha256(wheel.data)
    url = f"{site_url}downloads/{wheel.name}"
    lines = [
        "```bash",
        "python3 -m venv .venv && . .venv/bin/activate   # Python 3.11 or later",
        f"pip install {url}",
        "kordata info && kordata validate",
        "```",
    ]
    out = "\n".join(lines)
    preview = (
        ""
        if release.released
        else f" As an unreleased preview it is versioned as a development release of {esc(release.version)}, so pip "
        f"installs the release over it once it is out; `kordata info` says \u201c{esc(release.label)}\u201d."
    )
    out += (
        f"\n\nThe wheel (`{wheel.name}`, {kd_downloads.size(len(wheel.data))}) holds the library, the command line and "
        f"the data; pip installs its dependencies from PyPI.{preview}"
    )
    if full:
        out += (
            f' SHA-256 <code class="kd-hash" id="wheel-sha256">{digest}</code> (also in '
            f'<a href="../downloads/{esc(wheel.name)}.sha256">{esc(wheel.name)}.sha256</a>); to have pip check it, '
            f"install `{url}#sha256={digest}`."
        )
    return out


def release_state(release) -> str:
    """The one admonition about a preview (Get the data and Citing), or the release's date."""
    if release.released:
        return f"This is release {esc(release.version)} of {esc(release.date)}."
    return f'!!! warning "Unreleased preview"\n\n    {esc(release.notice)} ({esc(release.why)}.)'


def release_line(release) -> str:
    """One plain sentence where a page says how to cite, beside the banner (no second notice)."""
    if release.released:
        return f"This is release {esc(release.version)} of {esc(release.date)}."
    return (
        f"Version {esc(release.version)} is not released yet: cite it as an unreleased preview, with the date you "
        "accessed it, as below ([Citing](citing.md))."
    )


def stale_measurements(markdown: str, site: Site) -> str:
    """A warning above benchmark output measured on a package with another number of tables than this
    one (its ``read_csv (xN)`` line), so an old run is never read as a measurement of these files."""
    import re

    counts = {int(n) for n in re.findall(r"read_csv \(x(\d+)\)", markdown)}
    if not counts or counts == {len(site.tables)}:
        return markdown
    then = ", ".join(str(n) for n in sorted(counts))
    warning = (
        f'!!! warning "Measured on an older package"\n\n    The figures below were measured when the package had {then} '
        f"tables; it now has {len(site.tables)}. They are kept until `python benchmarks/report.py` is run again.\n\n"
    )
    head, sep, rest = markdown.partition("\n\n")
    return head + sep + warning + rest


def fill(markdown: str, site: Site, site_url: str, release, zipped: bytes, wheel, sdist=None) -> str:
    if "{{" not in markdown:
        return markdown
    pkg = site.pkg
    name = kd_downloads.zip_name(site, release)
    values = {
        "version": lambda: release.label,
        "package_summary": lambda: (
            f"**Version {esc(release.label)}** · {plural(len(site.tables), 'table')} · "
            f"{plural(sum(len(f) for f in site.frames.values()), 'row')} · "
            f"{plural(n_documents(site), 'document')}\n\n" + json_ld(site, site_url, release, zipped)
        ),
        "release_state": lambda: release_state(release),
        "release_line": lambda: release_line(release),
        "citing_preview": lambda: (
            ""
            if release.released
            else f"A preview has no release date: the citation names the version, says \u201cunreleased preview\u201d and "
            f"gives the date you accessed it (here, the day this site was built: {kd_wheel.build_day()}; put your own). "
            "Its files may still change before the release, so keep the SHA-256 of the files you used "
            "([Get the data](downloads.md)). `CITATION.cff` has no `date-released` and `croissant.json` no `datePublished` "
            "until the release, which gives both its date."
        ),
        "cite_accessed": lambda: "" if release.released else " (with today's date as the access date)",
        "n_documents": lambda: plural(n_documents(site), "document"),
        "reports": lambda: "one news report" if n_documents(site) == 1 else f"{n_documents(site):,} news reports",
        "documents": lambda: documents(site),
        "anchoring": lambda: anchoring(site),
        "not_a_sample": lambda: not_a_sample(site),
        "sources_sentence": lambda: sources_sentence(site),
        "each_text": lambda: "the text" if n_documents(site) == 1 else "each text",
        "its_texts": lambda: "its text's" if n_documents(site) == 1 else "its texts'",
        "limitation_texts": lambda: limitation_texts(site),
        "limitation_outlet": lambda: limitation_outlet(site),
        "limitation_certainty": lambda: limitation_certainty(site),
        "source_texts": lambda: source_texts(site),
        "n_layers": lambda: plural(len(kd_reference.layers()), "validation layer"),
        "structure": lambda: structure(site),
        "download": lambda: (
            f'<a href="downloads/{name}" download>{name}</a> (SHA-256 `{kd_downloads.sha256(zipped)[:16]}…`, '
            "full hash on [Get the data](downloads.md))"
        ),
        "install": lambda: install(site, release, wheel, site_url),
        "citation": lambda: (
            f"> {citation_text(pkg, release, accessed=kd_wheel.build_day())}\n\n"
            f"```bibtex\n{citation_bibtex(pkg, release, accessed=kd_wheel.build_day())}\n```"
        ),
        "commands": kd_reference.command_list,
        "default_engine": kd_reference.default_engine,
        "exit_codes": kd_reference.exit_codes_markdown,
        "export_formats": kd_reference.export_formats,
        "layers": kd_reference.layers_table,
        "site_url": lambda: site_url,
        "example_read": lambda: example_read(site, site_url),
        "example_table": lambda: (site.pkg.annotation_tables or site.tables)[0],
    }
    for key, make in values.items():
        token = "{{ " + key + " }}"
        if token in markdown:
            markdown = markdown.replace(token, make())
    return markdown

"""The files the site publishes, at the same relative paths as in the package (so that the
relative paths of datapackage.json and croissant.json resolve against the site too), one zip of
the release, built reproducibly (fixed timestamps, sorted names) so its sha256 is stable, and the
library's wheel.

Which files: those datapackage.json lists (kordata.releases.listed_files: CSVs, schemas, Parquet
copies, seed texts), those croissant.json names, and the files beside them that belong in a release
(EXTRA_FILES, the seeds' README), and the curator's source files (curation/*.toml and its README), the
provenance every row is compiled from. The library's wheel and source archive (kd_wheel) are offered
beside the zip. A preview (an unreleased version) says so, and its zip is named
``NAME-VERSION-preview.zip`` so that a downloaded copy cannot pass for the release.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path, PurePosixPath

from kd_common import Site, esc, plural, present

# Files beside datapackage.json that belong in the release zip when the package has them, and what each is.
EXTRA_FILES = {
    "croissant.json": "the dataset described in Croissant (ML Commons), for mlcroissant and dataset search",
    "CITATION.cff": "how to cite this version (Citation File Format)",
    "LICENSE-DATA": "the licence of the tables, schemas and descriptor",
    "LICENSE": "the licence of the code",
}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
CURATION = "curation"  # the curator's source files, compiled into data/ (kordata.build.curation)


def _local(root: Path, relative: str) -> bool:
    if "://" in relative or relative.startswith("/") or ".." in PurePosixPath(relative).parts:
        return False
    return (root / relative).is_file()


def croissant_files(root: Path) -> list[str]:
    """Relative contentUrls of croissant.json's FileObjects that the package holds."""
    path = root / "croissant.json"
    if not path.is_file():
        return []
    doc = json.loads(path.read_text(encoding="utf-8"))
    urls = [d.get("contentUrl") for d in doc.get("distribution", []) if isinstance(d, dict)]
    return [u for u in urls if isinstance(u, str) and _local(root, u)]


def listed_files(site: Site) -> list[str]:
    """Every file the package lists, as paths relative to its root: the descriptor, what
    kordata.releases.listed_files reads from it (data files, schemas, Parquet copies, sources), each
    document's text, and the files croissant.json names."""
    from kordata.releases import listed_files as descriptor_files

    pkg = site.pkg
    files = ["datapackage.json", *descriptor_files(pkg)]
    if site.document_table and site.has(site.document_table, "path"):
        files += [str(p) for p in site.frames[site.document_table]["path"] if present(p)]
    files += croissant_files(pkg.root)
    return [f for f in dict.fromkeys(files) if _local(pkg.root, f)]


def _readmes(site: Site) -> list[str]:
    root = site.pkg.root
    folders = sorted({str(PurePosixPath(p).parent) for p in listed_files(site) if "/" in p})
    return [f"{d}/README.md" for d in folders if (root / d / "README.md").is_file()]


def curation_files(site: Site) -> list[str]:
    """The curator's source files the package's rows are compiled from (curation/*.toml, its README)."""
    folder = site.pkg.root / CURATION
    if not folder.is_dir():
        return []
    return sorted(f"{CURATION}/{p.name}" for p in folder.iterdir() if p.is_file() and p.suffix in (".toml", ".md"))


def release_files(site: Site) -> list[str]:
    root = site.pkg.root
    extras = [f for f in EXTRA_FILES if (root / f).is_file()]
    return list(dict.fromkeys(listed_files(site) + extras + _readmes(site) + curation_files(site)))


def zip_name(site: Site, release) -> str:
    name = f"{site.pkg.descriptor.get('name', 'package')}-{site.pkg.version}"
    return f"{name}.zip" if release.released else f"{name}-preview.zip"


def release_zip(site: Site, release) -> bytes:
    """The release as one zip (folder named like the zip inside), byte-identical for identical files."""
    top = zip_name(site, release)[: -len(".zip")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for relative in sorted(release_files(site)):
            info = zipfile.ZipInfo(f"{top}/{relative}", date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (site.pkg.root / relative).read_bytes())
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def size(n: int) -> str:
    """Every size on the site in one unit: bytes, with thousands separators."""
    return f"{n:,} bytes"


def _what(site: Site, path: str) -> str:
    """What a listed file is, from the descriptor (the resource it belongs to) or its kind."""
    for resource in site.pkg.descriptor["resources"]:
        title = esc(resource.get("title", resource["name"]))
        link = f'<a href="../dictionary/#{esc(resource["name"])}">{title}</a>'
        if resource.get("path") == path:
            return f"CSV table: {link}"
        if resource.get("schema") == path:
            return f"Table Schema of {link}"
        for key, value in resource.items():
            if ":" in key and isinstance(value, dict) and value.get("path") == path:
                return f"{esc(str(value.get('format', PurePosixPath(path).suffix[1:])).capitalize())} copy of {link}"
    if path == "datapackage.json":
        return "the package descriptor (Data Package v2): every table, its schema, dialect, size and hash"
    if path in EXTRA_FILES:
        return EXTRA_FILES[path]
    if path.startswith(f"{CURATION}/") and path.endswith(".toml"):
        return (
            "the curator's source of rows (quotes, codes, notes): <code>kordata curate compile</code> computes the "
            "offsets and writes the tables from these files"
        )
    if path.endswith("README.md"):
        return f"what the files in <code>{esc(str(PurePosixPath(path).parent))}/</code> are"
    if site.document_table and site.has(site.document_table, "path"):
        docs = site.frames[site.document_table]
        hit = docs[docs["path"].astype(str) == path]
        if len(hit):
            return f"the text of document {esc(hit.iloc[0][site.pk(site.document_table)])}, byte for byte"
    return "file"


def _file_row(site: Site, path: str) -> str:
    data = (site.pkg.root / path).read_bytes()
    return (
        f'<tr><td data-label="file"><a href="../{esc(path)}" download><code>{esc(path)}</code></a></td>'
        f'<td data-label="what it is">{_what(site, path)}</td><td data-label="size" class="kd-num">{size(len(data))}</td>'
        f'<td data-label="SHA-256"><code class="kd-hash">{sha256(data)}</code></td></tr>'
    )


def source_archive(sdist, site_url: str) -> str:
    """The sdist offered for download: what it holds beyond the zip, and its hash."""
    if sdist is None:
        return "This build of the site publishes no source archive (the package it was built from has no `pyproject.toml`)."
    return (
        f'<p class="kd-download" id="source-archive"><a href="../downloads/{esc(sdist.name)}" download>{esc(sdist.name)}</a> '
        f'({size(len(sdist.data))})<br>SHA-256 <code class="kd-hash" id="sdist-sha256">{sha256(sdist.data)}</code> '
        f'(also in <a href="../downloads/{esc(sdist.name)}.sha256">{esc(sdist.name)}.sha256</a>)</p>\n\n'
        "The source archive holds the whole project the site and the library are built from: the library's code, "
        "the curator's source files (`curation/`), the benchmarks (`benchmarks/`), the tests (`tests/`) and this "
        "site's generator (`docs/`). Pages that cite such a file say it is in the source archive. To run the "
        "maintainer commands (`kordata curate`, `python -m kordata.build.curation`), unpack it and work in its folder:"
        f"\n\n```bash\ncurl -LO {site_url}downloads/{sdist.name}\ntar xzf {sdist.name} && cd {sdist.name[: -len('.tar.gz')]}\n"
        "python3 -m venv .venv && .venv/bin/pip install -e .\n```"
    )


def page(site: Site, release, zipped: bytes, wheel, site_url: str, sdist=None) -> str:
    import kd_home  # imports this module: imported here to avoid a cycle

    name = zip_name(site, release)
    files = release_files(site)
    state = (
        f"Everything on this page is version **{esc(site.pkg.version)}**, released on {esc(release.date)}."
        if release.released
        else f'!!! warning "Unreleased preview"\n\n    {esc(release.notice)} ({esc(release.why)}.)\n\n'
        f"Everything on this page is version **{esc(release.label)}**."
    )
    out = [
        "# Get the data",
        "",
        state,
        "",
        "The files are served from this site at stable addresses: the same relative paths as in the package, so "
        "`datapackage.json` and `croissant.json` work straight from here. Each file's SHA-256 lets you check what you "
        "downloaded (`sha256sum FILE`).",
        "",
        "## Everything in one file",
        "",
        f'<p class="kd-download"><a href="../downloads/{esc(name)}" download>{esc(name)}</a> ({size(len(zipped))}, '
        f'{plural(len(files), "file")}: every file listed below)<br>SHA-256 <code id="zip-sha256" class="kd-hash">{sha256(zipped)}</code> '
        f'(also in <a href="../downloads/{esc(name)}.sha256">{esc(name)}.sha256</a>)</p>',
        "",
        "```bash",
        f"curl -LO {site_url}downloads/{name}",
        f"curl -LO {site_url}downloads/{name}.sha256",
        f"sha256sum -c {name}.sha256",
        "```",
        "",
        "## The library",
        "",
        kd_home.install(site, release, wheel, site_url, full=True),
        "",
        "## The source archive",
        "",
        source_archive(sdist, site_url),
        "",
        "## One file at a time",
        "",
        '<table class="kd-files"><thead><tr><th scope="col">file</th><th scope="col">what it is</th>'
        '<th scope="col" class="kd-num">size</th><th scope="col">SHA-256</th></tr></thead><tbody>',
        *(_file_row(site, p) for p in files),
        "</tbody></table>",
        "",
    ]
    if (site.pkg.root / "croissant.json").is_file():
        out += [
            "`mlcroissant` reads the Croissant description straight from this site: "
            f"`mlcroissant validate --jsonld {site_url}croissant.json`.",
            "",
        ]
    out += [
        "## Open it",
        "",
        "```python",
        "import pandas as pd",
        kd_home.example_read(site, site_url),
        "```",
        "",
        "```bash",
        f"frictionless validate {site_url}datapackage.json",
        "```",
        "",
        "For typed tables (vocabularies as categories, dates with their bounds), install the library "
        "(above) and see [Getting started](getting-started.md).",
        "",
    ]
    return "\n".join(out)

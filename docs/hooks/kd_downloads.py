"""The files the site publishes, at the same relative paths as in the package (so that the
relative paths of datapackage.json and croissant.json resolve against the site too), and one
zip of the release, built reproducibly (fixed timestamps, sorted names) so its sha256 is stable.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path, PurePosixPath

from kd_common import Site, esc, plural, present

# Files beside datapackage.json that belong in the release zip when the package has them.
EXTRA_FILES = ("croissant.json", "CITATION.cff", "LICENSE-DATA", "LICENSE")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _paths(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


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
    """Every file the package lists, as paths relative to its root: the descriptor, each
    resource's data file(s) and schema, each document's text, and the files croissant.json names
    (Parquet among them, once the package has it)."""
    pkg = site.pkg
    files = ["datapackage.json"]
    for resource in pkg.descriptor["resources"]:
        files += _paths(resource.get("path")) + _paths(resource.get("schema"))
    if site.document_table and site.has(site.document_table, "path"):
        files += [str(p) for p in site.frames[site.document_table]["path"] if present(p)]
    files += croissant_files(pkg.root)
    return [f for f in dict.fromkeys(files) if _local(pkg.root, f)]


def release_files(site: Site) -> list[str]:
    root = site.pkg.root
    extras = [f for f in EXTRA_FILES if (root / f).is_file()]
    readmes = sorted({str(PurePosixPath(p).parent / "README.md") for p in listed_files(site) if "/" in p})
    return list(dict.fromkeys(listed_files(site) + extras + [r for r in readmes if (root / r).is_file()]))


def zip_name(site: Site) -> str:
    return f"{site.pkg.descriptor.get('name', 'package')}-{site.pkg.version}.zip"


def release_zip(site: Site) -> bytes:
    """The release as one zip (folder NAME-VERSION/ inside), byte-identical for identical files."""
    top = zip_name(site)[: -len(".zip")]
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


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 10_000 else f"{n / 1024:,.0f} KiB" if n < 10_000_000 else f"{n / 1048576:,.1f} MiB"


def _kind(path: str) -> str:
    return {".csv": "CSV table", ".parquet": "Parquet table", ".json": "JSON", ".txt": "text"}.get(PurePosixPath(path).suffix, "file")


def page(site: Site, zipped: bytes, site_url: str) -> str:
    import kd_home  # imports this module: imported here to avoid a cycle

    root = site.pkg.root
    name = zip_name(site)
    files = listed_files(site)
    by_path = {p: r for r in site.pkg.descriptor["resources"] for p in _paths(r.get("path"))}
    out = [
        "# Get the data",
        "",
        f"Everything on this page is version **{esc(site.pkg.version)}**, served from this site at stable addresses: "
        "the same relative paths as in the package, so `datapackage.json` and `croissant.json` work straight from here. "
        "Each file's SHA-256 lets you check what you downloaded (`sha256sum FILE`).",
        "",
        "## The whole release, in one file",
        "",
        f'<p class="kd-download"><a href="../downloads/{esc(name)}" download>{esc(name)}</a> ({_size(len(zipped))}, '
        f"{plural(len(release_files(site)), 'file')})<br>SHA-256 <code id=\"zip-sha256\">{sha256(zipped)}</code> "
        f'(also in <a href="../downloads/{esc(name)}.sha256">{esc(name)}.sha256</a>)</p>',
        "",
        "```bash",
        f"curl -LO {site_url}downloads/{name}",
        f"curl -LO {site_url}downloads/{name}.sha256 && sha256sum -c {name}.sha256",
        "```",
        "",
        "## One file at a time",
        "",
        '<table class="kd-files"><thead><tr><th scope="col">file</th><th scope="col">what it is</th>'
        '<th scope="col">size</th><th scope="col">SHA-256</th></tr></thead><tbody>',
    ]
    for path in files:
        data = (root / path).read_bytes()
        resource = by_path.get(path)
        what = (f"{_kind(path)}: {esc(resource.get('title', resource['name']))}" if resource else
                "the package descriptor (Data Package v2)" if path == "datapackage.json" else
                "Table Schema" if path.startswith("schemas/") or path.endswith(".schema.json") else _kind(path))
        out.append(f'<tr><td><a href="../{esc(path)}" download><code>{esc(path)}</code></a></td><td>{what}</td>'
                   f"<td>{_size(len(data))}</td><td><code class=\"kd-hash\">{sha256(data)}</code></td></tr>")
    out += ["</tbody></table>", ""]
    if (root / "croissant.json").is_file():
        out += ["The [Croissant](https://mlcommons.org/croissant/) description of the dataset is "
                '<a href="../croissant.json"><code>croissant.json</code></a>; '
                "`mlcroissant` reads it from this site.", ""]
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
        "For typed tables (vocabularies as categories, dates with their bounds) install the library: see "
        "[Getting started](getting-started.md).",
        "",
    ]
    return "\n".join(out)

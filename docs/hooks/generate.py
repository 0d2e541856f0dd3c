"""MkDocs hook: every page that states a fact about the data or the code is generated here, at
build time, from the package (schemas/*.json, datapackage.json, data/) and from kordata itself
(the CLI's click commands, kordata.exports.FORMATS, kordata.validation.report.LAYERS).

The package published is $KORDATA_DOCS_PACKAGE (default: the repository root). The site also
serves the package's files at their own relative paths and one zip of the release.
Page generators live beside this file (kd_*.py), one module per kind of page.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.structure.files import File

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (HERE, ROOT / "src"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import kd_article  # noqa: E402
import kd_charts  # noqa: E402
import kd_dictionary  # noqa: E402
import kd_downloads  # noqa: E402
import kd_home  # noqa: E402
import kd_reading  # noqa: E402
import kd_reference  # noqa: E402
import kd_vocabularies  # noqa: E402
from kd_common import Site, package_root  # noqa: E402

import kordata  # noqa: E402
from kordata.fileio import write_many  # noqa: E402
from kordata.package import Package  # noqa: E402

log = logging.getLogger("mkdocs.plugins.kordata")
_state: dict = {}
ARTICLE_INDEX = "article/index.md"


def _site() -> Site:
    return _state["site"]


def _pages(site: Site) -> dict[str, str]:
    """uri -> content of every generated page (markdown) and asset."""
    pages = {
        "downloads.md": kd_downloads.page(site, _state["zip"], _state["site_url"]),
        "dictionary.md": kd_dictionary.page(site),
        "vocabularies.md": kd_vocabularies.page(site),
        "statements.md": kd_reading.statements_page(site),
        "numbers.md": kd_reading.numbers_page(site),
        "events.md": kd_reading.events_page(site),
        "charts.md": kd_charts.page(site),
        "cli.md": kd_reference.cli_page(),
        "validation.md": kd_reference.validation_page(),
        "changelog.md": (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
        ARTICLE_INDEX: kd_article.index_page(site),
    }
    for doc in kd_article.documents(site):
        pages[kd_article.page_uri(site, doc)] = kd_article.article_page(site, doc)
    pages.update(kd_charts.assets(site))
    return pages


def _nav(entries, exists) -> list:
    """The configured nav with missing pages left out and the article index expanded to one page per document."""
    out = []
    for entry in entries:
        if isinstance(entry, dict):
            (title, value), = entry.items()
            if isinstance(value, list):
                value = _nav(value, exists)
                if value:
                    out.append({title: value})
            elif value == ARTICLE_INDEX:
                docs = kd_article.documents(_site())
                out.append({title: [ARTICLE_INDEX] + [{str(d.title): kd_article.page_uri(_site(), d)} for d in docs]})
            elif exists(value):
                out.append(entry)
            else:
                log.info("nav: %s is not written yet; left out of the navigation", value)
        elif exists(entry):
            out.append(entry)
    return out


def on_config(config):
    root = package_root()
    pkg = Package.open(root)
    site = Site(pkg, kordata.load_all(root))
    _state.update(site=site, site_url=config.site_url or "/")
    _state["zip"] = kd_downloads.release_zip(site)
    generated = set(_pages_names(site))
    docs_dir = Path(config.docs_dir)
    config.nav = _nav(config.nav or [], lambda uri: uri in generated or (docs_dir / uri).is_file())
    return config


def _pages_names(site: Site) -> list[str]:
    names = ["downloads.md", "dictionary.md", "vocabularies.md", "statements.md", "numbers.md", "events.md", "charts.md",
             "cli.md", "validation.md", "changelog.md", ARTICLE_INDEX]
    return names + [kd_article.page_uri(site, d) for d in kd_article.documents(site)]


def on_files(files, config):
    site = _site()
    generated: dict[str, str | bytes] = dict(_pages(site))
    for uri, content in generated.items():
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, uri, content=content))
    return files


def on_post_build(config):
    """The package's files at their own relative paths, and the release zip with its checksum
    (written here rather than as MkDocs files so that a README.md stays a file, not a page)."""
    site = _site()
    out = Path(config.site_dir)
    files = {out / relative: (site.pkg.root / relative).read_bytes() for relative in kd_downloads.release_files(site)}
    name = kd_downloads.zip_name(site)
    files[out / "downloads" / name] = _state["zip"]
    files[out / "downloads" / f"{name}.sha256"] = f"{kd_downloads.sha256(_state['zip'])}  {name}\n".encode()
    for path in {p.parent for p in files}:
        path.mkdir(parents=True, exist_ok=True)
    write_many(files)


def on_page_markdown(markdown, page, config, files):
    return kd_home.fill(markdown, _site(), _state["site_url"], kd_downloads.zip_name(_site()), _state["zip"])

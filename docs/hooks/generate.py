"""MkDocs hook: every page that states a fact about the data or the code is generated here, at
build time, from the package (schemas/*.json, datapackage.json, data/, CHANGELOG.md, releases/)
and from kordata itself (the CLI's click commands, kordata.exports.FORMATS,
kordata.validation.report.LAYERS).

The package published is $KORDATA_DOCS_PACKAGE (default: the repository root). The site also
serves the package's files at their own relative paths, one zip of the release and the library's
wheel (built here). Page generators live beside this file (kd_*.py), one module per kind of page;
kd_links finishes every page's HTML (links between rows, wherever they are shown).
"""

from __future__ import annotations

import logging
import re
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
import kd_links  # noqa: E402
import kd_reading  # noqa: E402
import kd_reference  # noqa: E402
import kd_refs  # noqa: E402
import kd_release  # noqa: E402
import kd_sources  # noqa: E402
import kd_vocabularies  # noqa: E402
import kd_wheel  # noqa: E402
from kd_common import Site, package_root  # noqa: E402

import kordata  # noqa: E402
from kordata.fileio import write_many  # noqa: E402
from kordata.package import Package  # noqa: E402

log = logging.getLogger("mkdocs.plugins.kordata")
_state: dict = {}
ARTICLE_INDEX = "article/index.md"
# Generated pages whose tables need the width: Material's right-hand table of contents is hidden there.
WIDE = ("dictionary.md", "vocabularies.md", "downloads.md")


def _site() -> Site:
    return _state["site"]


def _changelog(site: Site, docs_dir: Path) -> str:
    """CHANGELOG.md as a page, its mentions of docs/PAGE.md turned into links to those pages."""
    path = site.pkg.root / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Changelog\n\nThis package has no CHANGELOG.md.\n"

    def page_link(m: re.Match) -> str:
        page = m[1]
        return f"[{page}]({page}.md)" if (docs_dir / f"{page}.md").is_file() or f"{page}.md" in _page_names(site) else m[0]

    text = re.sub(r"`?docs/([a-z0-9-]+)\.md`?", page_link, text)
    # the review findings' ids ("(F-03)") mean nothing to a reader and are defined nowhere they can see
    text = re.sub(r"\s*\((?:F-\d+(?:,\s*)?)+\)", "", text)
    return re.sub(r"[,;]\s*F-\d+(?=\))", "", text)


def _page_names(site: Site) -> list[str]:
    names = [
        "downloads.md",
        "dictionary.md",
        "vocabularies.md",
        "statements.md",
        "numbers.md",
        "events.md",
        "actors.md",
        "sources.md",
        "charts.md",
        "cli.md",
        "validation.md",
        "changelog.md",
        ARTICLE_INDEX,
    ]
    return names + [kd_article.page_uri(site, d) for d in kd_article.documents(site)]


def _pages(site: Site, docs_dir: Path) -> dict[str, str | bytes]:
    """uri -> content of every generated page (markdown) and asset."""
    s = _state
    pages: dict[str, str | bytes] = {
        "downloads.md": kd_downloads.page(site, s["release"], s["zip"], s["wheel"], s["site_url"], s["sdist"]),
        "dictionary.md": kd_dictionary.page(site),
        "vocabularies.md": kd_vocabularies.page(site),
        "statements.md": kd_reading.statements_page(site),
        "numbers.md": kd_reading.numbers_page(site),
        "events.md": kd_reading.events_page(site),
        "actors.md": kd_reading.actors_page(site),
        "sources.md": kd_sources.page(site),
        "charts.md": kd_charts.page(site),
        "cli.md": kd_reference.cli_page(),
        "validation.md": kd_reference.validation_page(),
        "changelog.md": _changelog(site, docs_dir),
        ARTICLE_INDEX: kd_article.index_page(site),
    }
    for doc in kd_article.documents(site):
        pages[kd_article.page_uri(site, doc)] = kd_article.article_page(site, doc)
    for uri in WIDE:
        pages[uri] = "---\nhide:\n  - toc\n---\n\n" + str(pages[uri])
    pages.update(kd_charts.assets(site))
    return pages


def _nav(entries, exists) -> list:
    """The configured nav with missing pages left out and the article index expanded to one page per document."""
    out = []
    for entry in entries:
        if isinstance(entry, dict):
            ((title, value),) = entry.items()
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
    release = kd_release.state(root, pkg.version)
    _state.update(site=site, site_url=config.site_url or "/", release=release)
    _state["zip"] = kd_downloads.release_zip(site, release)
    # once per build: every page and the downloads share them
    _state["wheel"], _state["sdist"] = kd_wheel.build(root, release)
    config.extra["kordata_notice"] = release.notice
    reports = "one news report" if kd_home.n_documents(site) == 1 else f"{kd_home.n_documents(site):,} news reports"
    config.site_description = f"Events, actors, statements and claims from {reports}, every row anchored to its text."
    generated = set(_page_names(site))
    docs_dir = Path(config.docs_dir)
    config.nav = _nav(config.nav or [], lambda uri: uri in generated or (docs_dir / uri).is_file())
    return config


def on_files(files, config):
    site = _site()
    generated = _pages(site, Path(config.docs_dir))
    for uri, content in generated.items():
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, uri, content=content))
    _state["linker"] = kd_links.Linker(site, kd_links.index(site, generated))
    _state["sentences"] = kd_refs.sentence_anchors(site)
    root = site.pkg.root
    _state["tops"] = {p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")} if _state["sdist"] else set()
    _state["published"] = kd_downloads.release_files(site)
    return files


def on_page_markdown(markdown, page, config, files):
    s = _state
    markdown = kd_home.stale_measurements(markdown, _site())
    return kd_home.fill(markdown, _site(), s["site_url"], s["release"], s["zip"], s["wheel"], s["sdist"])


def on_page_content(html, page, config, files):
    s = _state
    html = s["linker"].finish(html, page.url)
    html = kd_refs.link_sentences(html, page.url, s["sentences"], kd_links.Linker.relative)
    if page.url != "downloads/":  # the page that offers the source archive says what it holds
        html = kd_refs.mark_source_files(html, page.url, s["tops"], s["published"], kd_links.Linker.relative)
    return kd_refs.short_codes(html)


def on_post_page(output, page, config):
    """On an annotated article, Material's skip link goes to the text itself, past the legend and toggles."""
    if page.url.startswith("article/") and 'id="article-text"' in output:
        skip = '<a href="#article-text" class="md-skip">Skip to the text</a>'
        output = re.sub(r'<a href="#[^"]*" class="md-skip">[^<]*</a>', skip, output, count=1)
    return output


def on_post_build(config):
    """The package's files at their own relative paths, the release zip and the wheel with their
    checksums (written here rather than as MkDocs files so that a README.md stays a file, not a page)."""
    site, s = _site(), _state
    out = Path(config.site_dir)
    files = {out / relative: (site.pkg.root / relative).read_bytes() for relative in kd_downloads.release_files(site)}
    downloads = [(kd_downloads.zip_name(site, s["release"]), s["zip"])]
    downloads += [(built.name, built.data) for built in (s["wheel"], s["sdist"]) if built is not None]
    for name, data in downloads:
        files[out / "downloads" / name] = data
        files[out / "downloads" / f"{name}.sha256"] = f"{kd_downloads.sha256(data)}  {name}\n".encode()
    for path in {p.parent for p in files}:
        path.mkdir(parents=True, exist_ok=True)
    write_many(files)

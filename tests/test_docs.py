"""The docs site: builds strictly, is generated from the package, publishes the data and the library,
and works in a real browser (accessible in both colour schemes, local-only, readable at phone width).

The site is built once per session, for the address it is served at (a sub-path of 127.0.0.1, as on
a project page), so the JSON-LD download URLs, the install command and the 404 page are tested as
published. What the pages must say is read here independently of the site's generator (csv, json and
html.parser), never from docs/hooks.
"""

import csv
import hashlib
import html as html_module
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, copy_package

MKDOCS = [sys.executable, "-m", "mkdocs"]
import datetime as dt
import time

# One build day for every build of this session (the preview wheel's version carries it; hatchling dates
# the files in the wheel and sdist by it too), so two builds compare byte for byte even across midnight.
EPOCH = os.environ.get("SOURCE_DATE_EPOCH") or str(int(time.time()))
BUILD_DAY = dt.datetime.fromtimestamp(int(EPOCH), dt.UTC).date().isoformat()
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH}
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "site-screenshots"
WIDTHS = (1366, 390)
EXTRA_FILES = ("croissant.json", "CITATION.cff", "LICENSE-DATA", "LICENSE")


def build(dest: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(MKDOCS + ["build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)],
                          capture_output=True, text=True, timeout=300, env={**ENV, **env})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def descriptor(root: Path = ROOT) -> dict:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def schema(root: Path, resource: dict) -> dict:
    return json.loads((root / resource["schema"]).read_text(encoding="utf-8"))


def rows(root: Path, resource: dict) -> list[dict]:
    with (root / resource["path"]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def resource(name: str, root: Path = ROOT) -> dict:
    return next(r for r in descriptor(root)["resources"] if r["name"] == name)


def row_ids(root: Path = ROOT) -> dict[str, str]:
    """Every row id of every table -> its table."""
    out = {}
    for res in descriptor(root)["resources"]:
        key = schema(root, res)["primaryKey"]
        key = key if isinstance(key, str) else key[0]
        out.update({row[key]: res["name"] for row in rows(root, res)})
    return out


def anchored(root: Path = ROOT) -> list[str]:
    return [r["name"] for r in descriptor(root)["resources"]
            if {"document_id", "start", "end", "quote"} <= {f["name"] for f in schema(root, r)["fields"]}]


def package_files(root: Path) -> list[str]:
    """Every file the package lists, read here from the descriptor (paths, schemas, and the objects with
    a path its custom properties describe, such as the Parquet copies), croissant.json and the documents
    table: what the site must publish."""
    desc = descriptor(root)
    files = ["datapackage.json"]
    for res in desc["resources"]:
        for value in [res.get("path"), res.get("schema"), *(v.get("path") for k, v in res.items() if ":" in k and isinstance(v, dict))]:
            files += [value] if isinstance(value, str) else []
    files += [s["path"] for s in desc.get("sources", []) if isinstance(s, dict) and isinstance(s.get("path"), str)]
    if (root / "croissant.json").is_file():
        for item in json.loads((root / "croissant.json").read_text()).get("distribution", []):
            url = item.get("contentUrl")
            if isinstance(url, str) and "://" not in url:
                files.append(url)
    documents = next(r for r in desc["resources"] if {"path", "sha256"} <= {f["name"] for f in schema(root, r)["fields"]})
    files += [row["path"] for row in rows(root, documents)]
    return [f for f in dict.fromkeys(files) if (root / f).is_file()]


def release_files(root: Path) -> list[str]:
    """What the release zip holds: the listed files, the files beside them, the folders' READMEs and the curator's
    source files (curation/), the provenance of the rows."""
    listed = package_files(root)
    readmes = sorted({str(Path(p).parent / "README.md") for p in listed if "/" in p})
    curation = sorted(f"curation/{p.name}" for p in (root / "curation").glob("*") if p.suffix in (".toml", ".md"))
    return list(dict.fromkeys(listed + [f for f in EXTRA_FILES if (root / f).is_file()] + [r for r in readmes if (root / r).is_file()]
                              + curation))


def release_state(root: Path) -> tuple[bool, str | None]:
    """(released, date) of the package's version: a dated CHANGELOG entry and a manifest in releases/."""
    version = descriptor(root)["version"]
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8") if (root / "CHANGELOG.md").is_file() else ""
    entry = re.search(rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})\s*$", changelog, flags=re.M)
    released = bool(entry) and (root / "releases" / f"{version}.json").is_file()
    return released, entry[1] if released else None


def wheel_version(root: Path = ROOT) -> str:
    """The version the site's wheel and sdist carry: the release's, or a PEP 440 development release of it."""
    version = descriptor(root)["version"]
    return version if release_state(root)[0] else f"{version}.dev{BUILD_DAY.replace('-', '')}"


def zip_name(root: Path) -> str:
    d = descriptor(root)
    return f"{d['name']}-{d['version']}{'' if release_state(root)[0] else '-preview'}.zip"


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """(site folder, base URL): the site built once, for the address it is served at."""
    from browser import Server
    dest = tmp_path_factory.mktemp("site")
    with Server(dest, "/kordata/") as server:
        result = build(dest, KORDATA_SITE_URL=server.base + "/")
        assert result.returncode == 0, result.stderr
        yield dest, server.base


@pytest.fixture(scope="session")
def site(served):
    return served[0]


def html(site: Path, page: str) -> str:
    """A page's HTML; the presentation-only class of short codes (kd-short: never broken at a hyphen) is dropped,
    so a test can look for the code itself."""
    return (site / page / "index.html").read_text(encoding="utf-8").replace('<code class="kd-short">', "<code>")


def plain(page_html: str) -> str:
    """A page's text, without tags and entities."""
    return html_module.unescape(re.sub(r"<[^>]+>", "", page_html))


def nav_pages(site: Path) -> list[str]:
    """Every page of the built site, from its sitemap (relative paths such as 'dictionary/')."""
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text())
    base = min(locs, key=len)  # the home page: the site's address
    return [loc[len(base):] for loc in locs]


def article(site: Path) -> str:
    return next(p for p in nav_pages(site) if p.startswith("article/") and p != "article/")


class Page(HTMLParser):
    """One built page: its ids (with duplicates), its links, and its text outside links, code blocks,
    headings, summaries, scripts, diagrams and elements marked data-nolink."""

    SKIP = {"a", "script", "style", "pre", "summary", "svg", "button", "label", "title", "textarea", "h1", "h2", "h3", "h4", "h5", "h6"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "col", "wbr", "source"}

    def __init__(self, text: str):
        super().__init__()
        self.ids, self.hrefs, self.free_text, self._stack = [], [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a" and attrs.get("href") is not None:
            self.hrefs.append(attrs["href"])
        if tag not in self.VOID and (self._stack or tag in self.SKIP or "data-nolink" in attrs):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if not self._stack:
            self.free_text.append(data)


# ------------------------------------------------------------------ build and generated content
def test_strict_build_generates_every_page(site):
    pages = nav_pages(site)
    for page in ("", "downloads/", "dictionary/", "vocabularies/", "statements/", "numbers/", "events/", "actors/", "sources/",
                 "charts/", "cli/", "validation/", "changelog/", "article/"):
        assert page in pages and (site / page / "index.html").is_file(), page
    documents = next(r for r in descriptor()["resources"] if {"path", "sha256"} <= {f["name"] for f in schema(ROOT, r)["fields"]})
    for row in rows(ROOT, documents):  # one annotated article per document
        assert f"article/{row['document_id']}/" in pages
    for chart in (site / "assets" / "charts").glob("*.svg"):
        assert chart.read_text().startswith("<svg")
    assert not (site / "hooks").exists() and not (site / "overrides").exists()
    assert descriptor()["version"] in html(site, "downloads")


def test_no_page_asks_another_host_for_anything(site):
    """Fonts, scripts, styles and images all come from the site itself (links to read elsewhere are fine)."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        remote = re.findall(r'<(?:script|img|link|source|iframe)\b[^>]*(?:src|href)="(https?://[^"]+)"', text)
        assert not [u for u in remote if not u.startswith("http://127.0.0.1")], (page, remote)
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page


def test_home_page_is_a_dataset_card_with_json_ld(served):
    site, base = served
    text = html(site, ".")
    for heading in ("What it is", "What it is not", "Uses", "Structure at a glance", "How it was made", "Limitations", "Licences",
                    "How to cite", "Quick start"):
        assert f">{heading}<" in text, heading
    start = text.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    doc = json.loads(text[start:text.index("</script>", start)])
    released, date = release_state(ROOT)
    assert doc["@type"] == "Dataset" and doc["version"] == descriptor()["version"]
    assert doc["creativeWorkStatus"] == ("Published" if released else "Draft") and doc.get("datePublished") == date
    assert any(v["name"] == "events.cameo_code" for v in doc["variableMeasured"])
    urls = {d["contentUrl"]: d["sha256"] for d in doc["distribution"]}
    assert f"{base}/downloads/{zip_name(ROOT)}" in urls
    for path in package_files(ROOT):  # every listed file is published where the JSON-LD says, with its hash
        assert urls.get(f"{base}/{path}") == sha256((ROOT / path).read_bytes()), path
    for url, digest in urls.items():
        assert url.startswith(base + "/")
        assert sha256((site / url[len(base) + 1:]).read_bytes()) == digest, url


def test_release_state_is_shown_as_the_changelog_and_the_manifests_say(site):
    """A preview says so on every page (announcement bar) and wherever it offers files or a citation;
    a release carries its date. Read from CHANGELOG.md and releases/ here, independently."""
    released, date = release_state(ROOT)
    version = descriptor()["version"]
    for page in nav_pages(site):
        assert ('class="md-banner"' in html(site, page)) != released, page
    home, downloads, citing = plain(html(site, ".")), plain(html(site, "downloads")), plain(html(site, "citing"))
    if released:
        assert f"released on {date}" in downloads and "unreleased" not in (home + downloads + citing).lower()
    else:
        assert f"Version {version} (unreleased preview)" in home
        banner = f"{version}, unreleased preview: files may still change"
        for page in nav_pages(site):  # the banner, plus one admonition only where files or a citation are offered
            text = html(site, page)
            notices = text.count(banner)
            assert notices == (2 if page.strip("/") in ("downloads", "citing") else 1), (page, notices)
        for text in (home, citing):  # how to cite a preview: the version, the words, the access date
            assert f"(Version {version}, unreleased preview, accessed {BUILD_DAY})" in text
        assert f"cite {version}" not in (home + citing) and "or wait for the release" not in (home + citing)
    assert (site / "downloads" / zip_name(ROOT)).is_file()


def test_site_publishes_every_file_the_package_lists_and_the_release_zip(site):
    listed = package_files(ROOT)
    assert any(p.endswith(".parquet") for p in listed) and any(p.startswith("schemas/") for p in listed)
    for path in release_files(ROOT):
        assert (site / path).read_bytes() == (ROOT / path).read_bytes(), path
    name = zip_name(ROOT)
    data = (site / "downloads" / name).read_bytes()
    digest, listed_name = (site / "downloads" / f"{name}.sha256").read_text().split()
    assert digest == sha256(data) and listed_name == name
    assert digest in html(site, "downloads")
    with zipfile.ZipFile(site / "downloads" / name) as archive:
        top = name[: -len(".zip")]
        assert sorted(archive.namelist()) == sorted(f"{top}/{p}" for p in release_files(ROOT))
        for path in release_files(ROOT):
            assert archive.read(f"{top}/{path}") == (ROOT / path).read_bytes(), path
    page = html(site, "downloads")
    table = page[page.index('<table class="kd-files">'):]
    assert set(re.findall(r'<a href="\.\./([^"]+)" download>', table)) == set(release_files(ROOT))
    sizes = re.findall(r'class="kd-num">([^<]+)</td>', table)
    assert sizes and all(re.fullmatch(r"[\d,]+ bytes", s) for s in sizes), sizes  # one unit for every size


def test_the_release_zip_and_the_wheel_are_reproducible(tmp_path, site):
    again = tmp_path / "again"
    assert build(again).returncode == 0
    for built in (site / "downloads").glob("*"):
        if built.suffix in (".zip", ".whl"):
            assert (again / "downloads" / built.name).read_bytes() == built.read_bytes(), built.name


def wheel_of(site: Path) -> Path:
    (wheel,) = (site / "downloads").glob("*.whl")
    return wheel


def test_the_wheel_is_built_with_the_site_published_with_its_hash_and_installed_from_its_address(served):
    site, base = served
    wheel = wheel_of(site)
    version = wheel_version()  # a preview is a development release, which pip never takes for the release
    assert wheel.name == f"kordata-{version}-py3-none-any.whl"
    from packaging.version import Version
    assert Version(version).is_devrelease != release_state(ROOT)[0] and Version(version) <= Version(descriptor()["version"])
    for built in (wheel, site / "downloads" / f"kordata-{version}.tar.gz"):  # the wheel and the source archive, with hashes
        digest, name = (site / "downloads" / f"{built.name}.sha256").read_text().split()
        assert digest == sha256(built.read_bytes()) and name == built.name and digest in html(site, "downloads")
    with zipfile.ZipFile(wheel) as archive:  # the library with the very files the site publishes
        metadata = archive.read(f"kordata-{version}.dist-info/METADATA").decode()
        assert f"\nVersion: {version}\n" in metadata
        assert json.loads(archive.read("kordata/_data/datapackage.json"))["version"] == descriptor()["version"]
        for path in package_files(ROOT):
            assert archive.read(f"kordata/_data/{path}") == (ROOT / path).read_bytes(), path
    command = f"pip install {base}/downloads/{wheel.name}"
    for page in (".", "getting-started", "downloads"):  # the quick start works from nothing: no repository named
        text = plain(html(site, page))
        assert command in text, page
        assert "pip install ." not in text and "copy of the kordata repository" not in text


def test_tables_diagram_matches_the_schemas(site):
    text = html(site, "dictionary")
    drawn = set(re.findall(r'data-from="([^"]+)" data-to="([^"]+)"', text))
    declared = set()
    boxes = set(re.findall(r'<g class="kd-box" data-table="([^"]+)"', text))
    for res in descriptor()["resources"]:
        for fk in schema(ROOT, res).get("foreignKeys", []):
            fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
            targets = fk["reference"]["fields"]
            targets = [targets] if isinstance(targets, str) else targets
            for f, t in zip(fields, targets, strict=True):
                declared.add((f"{res['name']}.{f}", f"{fk['reference'].get('resource') or res['name']}.{t}"))
    assert drawn == declared
    assert boxes == {r["name"] for r in descriptor()["resources"]}
    assert not re.search(r"\b1 rows\b", text)
    for field in ("wikidata_id", "country"):  # not keys: never drawn as one
        assert f"{field} →" not in text


def test_dictionary_has_one_compact_table_per_table_with_counts(site):
    text = html(site, "dictionary")
    assert text.count('<table class="kd-dict">') == len(descriptor()["resources"])
    for res in descriptor()["resources"]:
        section = text[text.index(f'id="{res["name"]}"'):]
        for field in schema(ROOT, res)["fields"]:
            assert f"<code>{field['name']}</code>" in section, (res["name"], field["name"])
    assert '<div class="md-sidebar md-sidebar--secondary" data-md-component="sidebar" data-md-type="toc" hidden>' in text  # room for tables


def cells(table_html: str) -> list[list[str]]:
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S) for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table_html, flags=re.S)]


def test_vocabularies_give_meaning_counts_and_names(site):
    text = html(site, "vocabularies")
    with (ROOT / "src" / "kordata" / "reference" / "cameo_events.csv").open(encoding="utf-8") as handle:
        names = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    for code in {row["cameo_code"] for row in rows(ROOT, resource("events")) if row["cameo_code"]}:
        assert f"<code>{code}</code></th><td data-label=\"CAMEO name\">{names[code]}" in text.replace("&#x27;", "'"), code
    for res in descriptor()["resources"]:  # every value has its row; every meaning the schemas give is in it
        for field in schema(ROOT, res)["fields"]:
            for cat in field.get("categories", []):
                value, label = str(cat["value"]), cat.get("label", "")
                anchor = f'{res["name"]}-{field["name"]}-{"_".join(value.split())}'
                row = re.search(rf'<tr id="{re.escape(anchor)}">(.*?)</tr>', text, flags=re.S)
                assert row, anchor
                if re.sub(r"[^a-z0-9]", "", label.lower()) != re.sub(r"[^a-z0-9]", "", value.lower()):  # not a bare tautology
                    assert label in plain(row[1]), anchor
    plover = next(f for f in schema(ROOT, resource("events"))["fields"] if f["name"] == "plover_type")
    assert all(len(c["label"].split()) > 5 for c in plover["categories"])  # a definition, not "PLOVER event type X."
    for table in re.findall(r'<table class="kd-vocab">(.*?)</table>', text, flags=re.S):  # no column left empty
        body = cells(table)[1:]
        for column in range(len(body[0])):
            assert any(plain(r[column]).strip() for r in body), table[:200]
    assert "https://github.com/openeventdata/PLOVER" in text and "FactBank" in text
    assert not (ROOT / "docs" / "hooks" / "plover_types.csv").exists()  # one home for the definitions: the schema


def test_facts_from_code_are_generated_from_it(site):
    from kordata.cli import cli
    from kordata.exports import FORMATS
    from kordata.validation.report import LAYERS
    cli_page = html(site, "cli")
    for name in cli.commands:
        assert f'id="{name}"' in cli_page, name
    exports = plain(html(site, "exports"))
    for name in FORMATS:
        assert f"kordata export {name} --out out/" in exports, name
    engine = next(p for p in cli.commands["validate"].params if p.name == "engine")
    for page in ("validation", "getting-started"):
        text = plain(html(site, page))
        for layer_text in LAYERS.values():
            assert layer_text in text, page
        assert f"Run by the {engine.default} engine unless --engine names another" in text, page
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert all(line.lstrip("# ") in html(site, "changelog") for line in changelog.splitlines() if line.startswith("## ["))
    for page in re.findall(r"docs/([a-z-]+)\.md", changelog):  # named pages are links, not repository paths
        if (site / page).is_dir():
            assert f'href="../{page}/"' in html(site, "changelog"), page


def test_versioning_rules_render_as_a_list(site):
    text = html(site, "versioning")
    assert re.search(r"Rules that hold across every release:</p>\s*<ul>", text)


def test_every_internal_link_and_fragment_resolves_and_ids_are_unique(served):
    """Read from the built files (every page, every link, fragments on other pages included)."""
    site, base = served
    prefix = urllib.parse.urlsplit(base).path + "/"
    pages = {p: Page((site / p / "index.html").read_text(encoding="utf-8")) for p in nav_pages(site)}
    checked = 0
    for page, parsed in pages.items():
        duplicates = sorted({i for i in parsed.ids if parsed.ids.count(i) > 1})
        assert not duplicates, (page, duplicates)
        for href in parsed.hrefs:
            url = urllib.parse.urlsplit(urllib.parse.urljoin(f"{base}/{page}", href))
            if url.scheme not in ("http", "https") or url.netloc != urllib.parse.urlsplit(base).netloc or href == "#":
                continue
            assert url.path.startswith(prefix), (page, href)
            target = url.path[len(prefix):]
            file = site / target / "index.html" if target.endswith("/") or not target else site / target
            assert file.is_file(), (page, href)
            fragment = urllib.parse.unquote(url.fragment)
            if fragment and file.name == "index.html":
                ids = pages[target].ids if target in pages else Page(file.read_text(encoding="utf-8")).ids
                assert fragment in ids, (page, href)
            checked += 1
    assert checked > 500


def test_row_ids_written_anywhere_are_links_to_their_row(site):
    """An id in a note ('... (src-rubryka-article)'), the codebook or the changelog is a link to the
    row's card or entry; ids are left unlinked only inside links, code blocks, headings and the like."""
    ids = row_ids()
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")(?![\w-])")
    linked = 0
    for page in nav_pages(site):
        text = html(site, page)
        found = pattern.findall(" ".join(Page(text).free_text))
        assert not found, (page, sorted(set(found))[:10])
        linked += text.count('class="kd-idlink"')
    assert linked > 0
    everything = "".join(html(site, p) for p in nav_pages(site))
    mentioned = {i for res in descriptor()["resources"] for row in rows(ROOT, res) for value in row.values()
                 if " " in (value or "") for i in pattern.findall(value)}  # ids named in free text (notes), not key columns
    for rid in mentioned:  # every id a note or other value names (a reviewer found "(src-rubryka-article)" bare)
        assert re.search(rf'class="kd-idlink" href="[^"]+">{re.escape(rid)}</a>', everything), rid


def test_sources_page_lists_every_source_and_every_link_with_the_row_it_bears_on(site):
    text = html(site, "sources")
    page = Page(text)
    for source in rows(ROOT, resource("sources")):
        assert source["source_id"] in page.ids and source["retrieved"] in text
        assert f'href="{html_module.escape(source["url"])}"' in text
    for link in rows(ROOT, resource("source_links")):
        item = re.search(rf'<li id="{re.escape(link["link_id"])}">(.*?)</li>', text, flags=re.S)
        assert item, link["link_id"]
        assert link["note"] in plain(item[1])  # verbatim as text (sentence numbers in it may be links)
        assert re.search(r'<a href="\.\./', item[1]), link["link_id"]  # the row it bears on, linked


def test_event_cards_show_participants_and_relations_read_as_sentences(site):
    page = html(site, article(site))
    cards = {m[1]: m[2] for m in re.finditer(r'<details class="kd-card[^"]*" id="row--events--([^"]+)">(.*?)</details>', page, flags=re.S)}
    for participant in rows(ROOT, resource("event_participants")):
        assert f'id="{participant["participant_id"]}"' in cards[participant["event_id"]], participant["participant_id"]
    events = plain(html(site, "events"))
    for broken in ("this event same", "this event condition of", "this event possibly same"):
        assert broken not in events.lower()
    relations = rows(ROOT, resource("event_relations"))
    pairs = [r for r in relations if r["alternative_relation_id"]]
    assert events.count("Reading 1:") >= len(pairs) // 2 and events.count("Reading 2:") >= len(pairs) // 2
    for relation in relations:
        if relation["relation"] == "same":
            assert "the same event as" in events


def test_coded_values_show_their_meaning_and_link_to_it(site):
    vocab_ids = set(Page(html(site, "vocabularies")).ids)
    for page in ("statements", "events", "numbers"):
        text = html(site, page)
        assert "<abbr" not in text, page  # never only on hover
        targets = re.findall(r'href="\.\./vocabularies/#([^"]+)"', text)
        assert targets and set(targets) <= vocab_ids, page


def test_in_the_text_links_mark_the_passage(site):
    for page in ("statements", "events", "numbers"):
        text = html(site, page)
        links = re.findall(r"<dt>In the text</dt><dd><a href=\"([^\"]+)\"", text)
        assert links and all("#span--" in href for href in links), page


def test_pages_follow_the_number_of_documents_and_the_anchored_tables(site):
    documents = rows(ROOT, next(r for r in descriptor()["resources"] if r["name"] == "documents"))
    one = len(documents) == 1
    for page in ("", "statements/", "numbers/", "events/", "actors/"):
        text = plain(html(site, page))
        for wrong in (["the articles", "news reports", "a handful of texts"] if one else ["one news report", "the article "]):
            assert wrong not in text, (page, wrong)
    home = plain(html(site, "."))
    names = ", ".join(resource(t)["title"].lower() for t in anchored())
    assert f"Every row of the {len(anchored())} text-anchored tables ({names}) carries" in home
    assert "Every row carries" not in home


def test_limitations_name_what_the_data_shows(site):
    home = plain(html(site, "."))
    documents = rows(ROOT, resource("documents"))
    for link in rows(ROOT, resource("source_links")):
        if link["document_id"] and link["field"] in ("published", "outlet"):
            assert link["note"] in home  # an outside copy of the text (its address's date) is said, with its source
    certainty = {c["certainty"] for c in rows(ROOT, resource("claims"))}
    assert ("One certainty value" in home) == (len(certainty) == 1)
    assert ((Path(site) / "assets" / "charts" / "certainty.svg").is_file()) == (len(certainty) > 1)
    assert all(d["document_id"] for d in documents)


def test_charts_label_each_bar_on_its_own_axis_line(site):
    """Labels are y-axis labels of the bars' own band (never text marks placed above a bar)."""
    sys.path[:0] = [str(ROOT / "docs" / "hooks")]
    try:
        import kd_charts
        import kd_common

        import kordata
        from kordata.package import Package
        charts = kd_charts._charts(kd_common.Site(Package.open(ROOT), kordata.load_all(ROOT)))
    finally:
        del sys.path[0]
    drawn = [chart.to_dict() for chart, _ in charts.values() if chart is not None]
    assert drawn
    for spec in drawn:
        layers = spec.get("layer", [spec])  # a bar, with at most a dot on it (a date known to the day): never a text mark
        marks = [layer["mark"]["type"] for layer in layers]
        assert marks[0] == "bar" and set(marks) <= {"bar", "point"}, marks
        assert all(layer["encoding"]["y"]["axis"]["labelExpr"] for layer in layers)


def test_article_passages_are_named_by_their_words_with_sentence_numbers(site):
    text = html(site, article(site))
    page = Page(text)
    assert "kd-sr" not in text  # no hidden suffix in every link's name
    for described in set(re.findall(r'aria-describedby="([^"]+)"', text)):
        assert described in page.ids
    sentences = [r for r in rows(ROOT, resource("sentences")) if r["document_id"] == article(site).split("/")[1]]
    assert sorted(re.findall(r'class="kd-sn" id="span--sentences--[^"]+" data-n="(S\d+)"', text)) == sorted(
        f"S{r['index']}" for r in sentences)
    assert 'href="#rows-by-table"' in text and "rows-by-table" in page.ids and 'id="article-plain"' in text


def test_site_follows_the_package_it_is_pointed_at_in_its_released_state(tmp_path):
    """KORDATA_DOCS_PACKAGE selects the package; a field's description lives only in its schema; a copy whose
    version has a dated CHANGELOG entry and a manifest is shown as released (no preview banner, the release's
    date, a zip named for the release); a copy without pyproject.toml offers no wheel."""
    from kordata.package import Package
    from kordata.releases import manifest
    copy = copy_package(tmp_path / "pkg")
    path = copy / "schemas" / "figures.json"
    data = json.loads(path.read_text())
    data["fields"][-1]["description"] = "A sentinel description 7f3c written only in the schema."
    path.write_text(json.dumps(data, indent=2))
    version = descriptor(copy)["version"]
    changelog = re.sub(rf"^## \[{re.escape(version)}\].*$", f"## [{version}] - 2031-02-03", (ROOT / "CHANGELOG.md").read_text(),
                       count=1, flags=re.M)
    (copy / "CHANGELOG.md").write_text(changelog)
    shutil.copytree(ROOT / "releases", copy / "releases", dirs_exist_ok=True)
    (copy / "releases" / f"{version}.json").write_text(json.dumps(manifest(Package.open(copy), "2031-02-03")))
    assert release_state(copy) == (True, "2031-02-03")
    out = tmp_path / "site"
    result = build(out, KORDATA_DOCS_PACKAGE=str(copy))
    assert result.returncode == 0, result.stderr
    assert "A sentinel description 7f3c" in (out / "dictionary" / "index.html").read_text()
    home, downloads = (out / "index.html").read_text(), (out / "downloads" / "index.html").read_text()
    assert 'class="md-banner"' not in home and "unreleased" not in plain(home + downloads).lower()
    assert "released on 2031-02-03" in plain(downloads) and '"creativeWorkStatus": "Published"' in home
    assert (out / "downloads" / f"kordata-{version}.zip").is_file() and not list((out / "downloads").glob("*.whl"))
    assert "publishes no wheel" in plain(downloads)


def metadata_dates(folder: Path) -> dict[str, str | None]:
    """The release date each machine-readable description in ``folder`` gives (None: it gives none)."""
    import yaml
    page = (folder / "index.html").read_text() if (folder / "index.html").is_file() else None
    dates = {
        "CITATION.cff": yaml.safe_load((folder / "CITATION.cff").read_text()).get("date-released"),
        "croissant.json": json.loads((folder / "croissant.json").read_text()).get("datePublished"),
    }
    if (folder / ".zenodo.json").is_file():
        dates[".zenodo.json"] = json.loads((folder / ".zenodo.json").read_text()).get("publication_date")
    if page is not None:
        start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
        dates["JSON-LD"] = json.loads(page[start:page.index("</script>", start)]).get("datePublished")
    return {k: str(v) if v is not None else None for k, v in dates.items()}


def test_metadata_dates_agree_with_the_changelog_in_both_states(tmp_path, site):
    """Every machine-readable description gives the CHANGELOG's release date, or none for a preview (whose
    citations say "unreleased preview"): in the repository and the site built from it, and in a full copy
    released with the release tool (which refreshes CITATION.cff, .zenodo.json and croissant.json) and its site."""
    import yaml
    released, date = release_state(ROOT)
    version = descriptor()["version"]
    for folder in (ROOT, site):
        assert set(metadata_dates(folder).values()) == {date}, (folder, metadata_dates(folder))
    cff = yaml.safe_load((site / "CITATION.cff").read_text())
    assert ("unreleased preview" in cff["message"]) != released
    assert ("unreleased preview" in json.loads((site / "croissant.json").read_text())["citeAs"]) != released
    # the other state: a copy of the project (its files git does not ignore) released by the tool on a new date
    copy = tmp_path / "project"
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for relative in filter(None, listing):
        if (ROOT / relative).is_file():
            (copy / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / relative, copy / relative)
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)  # a checkout: the wheel and sdist take what git does not ignore
    if released:  # the copy goes back to a preview: its entry Unreleased, no manifest, no ledger line, files refreshed
        changelog = (copy / "CHANGELOG.md").read_text()
        changelog = re.sub(rf"^## \[{re.escape(version)}\] - .*$", f"## [{version}] - Unreleased", changelog, count=1, flags=re.M)
        changelog = re.sub(rf"^Release manifest: `releases/{re.escape(version)}\.json`.*\n", "", changelog, flags=re.M)
        (copy / "CHANGELOG.md").write_text(changelog)
        (copy / "releases" / f"{version}.json").unlink()
        tool, expected = ["kordata.build.refresh", str(copy)], None
    else:
        tool, expected = ["kordata.build.release", str(copy), "--date", "2031-02-03"], "2031-02-03"
    done = subprocess.run([sys.executable, "-m", *tool], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert release_state(copy) == (not released, expected)
    out = tmp_path / "site"
    result = build(out, KORDATA_DOCS_PACKAGE=str(copy))
    assert result.returncode == 0, result.stderr
    for folder in (copy, out):
        assert set(metadata_dates(folder).values()) == {expected}, (folder, metadata_dates(folder))
    cited = subprocess.run([sys.executable, "-m", "kordata", "cite", "--package", str(copy)], capture_output=True, text=True, timeout=300)
    citing = plain(html(out, "citing"))
    if expected:
        assert f"(Version {version})" in cited.stdout and "preview" not in cited.stdout
        assert "preview" not in citing.lower() and f"({expected[:4]})" in citing
    else:
        assert f"(Version {version}, unreleased preview, accessed " in cited.stdout and "unreleased preview" in citing
    built = version if expected else f"{version}.dev{BUILD_DAY.replace('-', '')}"
    assert (out / "downloads" / f"kordata-{built}-py3-none-any.whl").is_file()
    assert (out / "downloads" / f"kordata-{built}.tar.gz").is_file()


def test_relation_sentences_and_sentence_references_read_as_text(site):
    """Relations read as sentences (no 'increasing.,' where a summary's full stop meets the next word); every
    sentence reference on the codebook (S4) is a link to that sentence in its article; repository files a page
    cites say they are in the source archive; review finding ids never reach the changelog."""
    for page in ("events", article(site)):
        items = re.findall(r'<ul class="kd-relations">(.*?)</ul>', html(site, page), re.S)
        assert items, page
        for item in items:
            words = plain(item).replace("...", "…")  # an elision inside a quoted note is not doubled punctuation
            assert not re.search(r"[.!?;:,]\s*[.,;:]", words), (page, words)
    codebook = html(site, "codebook")
    refs = re.findall(r"(?<![\w-])S(\d+)(?![\w-])", plain(codebook))
    links = re.findall(r'<a class="kd-sentlink" href="\.\./article/([^/]+)/#span--sentences--([^"]+)"[^>]*>S(\d+)</a>', codebook)
    assert refs and len(links) >= len(set(refs))
    sentences = {r["sentence_id"]: r for r in rows(ROOT, resource("sentences"))}
    for doc, sid, n in links:
        assert sentences[sid]["document_id"] == doc and sentences[sid]["index"] == n, (doc, sid, n)
    performance = html(site, "performance")
    assert re.search(r"<code[^>]*>benchmarks/</code> \(<a href=\"\.\./downloads/#source-archive\">in the source archive</a>\)", performance)
    assert not re.search(r"\bF-\d+\b", plain(html(site, "changelog")))
    for page in ("getting-started", "methodology"):  # short codes (EDTF dates, ids) are marked never to break
        raw = (site / page / "index.html").read_text(encoding="utf-8")
        assert not re.findall(r"<code>[^<\s]{1,24}</code>", raw), page
        assert re.search(r'<code class="kd-short">[^<]*-[^<]*</code>', raw), page
    css = (ROOT / "docs" / "assets" / "kordata.css").read_text()
    assert re.search(r"code\.kd-short \{[^}]*white-space: nowrap", css)


def test_home_claims_no_more_than_the_data_shows(site):
    """The table summaries are whole phrases (never cut with '…'); the outside-source sentence counts the inferred
    values (a FIELD whose FIELD_basis is inferred or partly stated) and those a source link bears on, from the CSVs."""
    home = html(site, ".")
    table = re.search(r'<table class="kd-structure">(.*?)</table>', home, re.S)[1]
    assert "…" not in plain(table)
    inferred = set()
    for res in descriptor()["resources"]:
        names = {f["name"] for f in schema(ROOT, res)["fields"]}
        pk = schema(ROOT, res)["primaryKey"]
        pk = pk[0] if isinstance(pk, list) else pk
        for row in rows(ROOT, res):
            for name in names:
                if name.endswith("_basis") and name[:-6] in names and row[name] in ("inferred", "partly_stated"):
                    inferred.add((res["name"], row[pk], name[:-6]))
    linked = set()
    links = resource("source_links")
    keys = {}
    for k in schema(ROOT, links).get("foreignKeys", []):
        fields = k["fields"] if isinstance(k["fields"], list) else [k["fields"]]
        keys[fields[0]] = k["reference"]["resource"] or "source_links"
    for row in rows(ROOT, links):
        for field, target in keys.items():
            if target != "sources" and row[field] and row["field"]:
                linked.add((target, row[field], row["field"]))
    covered = len(inferred & linked)
    text = " ".join(plain(home).split())
    if covered == len(inferred):
        assert "every value the curator inferred" in text
    else:
        assert f"behind {covered} of the {len(inferred)} values the curator inferred" in text
        assert "every inferred value" not in text


def test_performance_summary_is_parsed_from_the_benchmark_outputs(tmp_path):
    """The summary table's figures come from the outputs (a changed output changes the table), and --from works."""
    text = (ROOT / "docs" / "performance.md").read_text()
    blocks = re.findall(r"``` \{ \.text \.no-copy \}\n(.*?)\n\s*```", text, re.S)
    assert len(blocks) == 3, "the outputs are kept on the page, each in its own block"
    saved = tmp_path / "saved"
    saved.mkdir()
    outputs = [re.sub(r"^    ", "", b, flags=re.M) for b in blocks]
    outputs[0] = re.sub(r"ratio kordata/pandas: [\d.]+", "ratio kordata/pandas: 0.987", outputs[0])
    for name, out in zip(("load", "validate", "scale"), outputs, strict=True):
        (saved / f"{name}.txt").write_text(out + "\n")
    page = tmp_path / "performance.md"
    import importlib.util
    spec = importlib.util.spec_from_file_location("kordata_benchmark_report", ROOT / "benchmarks" / "report.py")
    report = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(report)
    report.PAGE = page  # written here, not over docs/performance.md
    assert report.main(["--from", str(saved)]) == 0
    written = page.read_text()
    row = re.search(r"^\| \[Loading\]\(#load\)[^|]*\| ≤ ([\d.]+) \| ([\d.]+) \| (\w+) \|$", written, re.M)
    assert row and row[2] == "0.987" and row[3] == ("yes" if 0.987 <= float(row[1]) else "no")
    for figure in re.findall(r"^ratio [^:]+: ([\d.]+)", "\n".join(outputs), re.M):
        assert f"| {figure} |" in written


def test_release_state_rules(tmp_path):
    """The states the site can be in, from one package copy: an 'Unreleased' entry, a dated entry without its
    manifest, no entry at all, and a release (whose successor then cites it)."""
    sys.path[:0] = [str(ROOT / "docs" / "hooks")]
    try:
        import kd_release
    finally:
        del sys.path[0]
    root = tmp_path / "pkg"
    (root / "releases").mkdir(parents=True)
    (root / "releases" / "1.0.0.json").write_text(json.dumps({"version": "1.0.0", "date": "2030-01-01"}))
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [1.1.0] - Unreleased\n\n## [1.0.0] - 2030-01-01\n")
    preview = kd_release.state(root, "1.1.0")
    assert not preview.released and preview.label == "1.1.0 (unreleased preview)" and preview.previous == "1.0.0"
    assert preview.notice.startswith("1.1.0, unreleased preview: files may still change.") and "1.0.0" not in preview.notice
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [1.1.0] - 2030-06-01\n\n## [1.0.0] - 2030-01-01\n")
    assert not kd_release.state(root, "1.1.0").released and "manifest" in kd_release.state(root, "1.1.0").why
    assert not kd_release.state(root, "2.0.0").released and "no entry" in kd_release.state(root, "2.0.0").why
    released = kd_release.state(root, "1.0.0")
    assert released.released and released.date == "2030-01-01" and released.notice == "" and released.label == "1.0.0"


def test_rows_are_named_by_their_own_speaker_never_by_another_actor():
    """A row's readable name uses its own first reference (a statement's speaker); an unnamed speaker
    is said to be one, not replaced by the row's information source or anyone else."""
    sys.path[:0] = [str(ROOT / "docs" / "hooks")]
    try:
        import kd_common

        import kordata
        from kordata.package import Package
        site = kd_common.Site(Package.open(ROOT), kordata.load_all(ROOT))
    finally:
        del sys.path[0]
    statements = site.frames["statements"]
    actors = site.frames["actors"].set_index("actor_id")["name"]
    for row in statements.itertuples(index=False):
        label = site.label("statements", row.statement_id)
        if kd_common.present(row.speaker_actor_id):
            assert label.startswith(actors[row.speaker_actor_id] + ":"), label
        else:
            assert label.startswith(str(row.speaker_kind).replace("_", " ") + ":"), label
            assert not any(label.startswith(str(name)) for name in actors), label
    assert not any(site.label(t, r) == str(r) for t in site.pkg.annotation_tables for r in site.frames[t][site.pk(t)])
    assert not any(re.search(r"[.,;:]…", site.label(t, r)) for t in site.tables for r in site.frames[t][site.pk(t)])
    for participant in site.frames["event_participants"].itertuples(index=False):  # the actor survives shortening
        assert actors[participant.actor_id] in site.label("event_participants", participant.participant_id)


# ------------------------------------------------------------------ real browser
def require_axe() -> str:
    if not AXE.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("axe-core is required in CI (npm ci --prefix tests/axe)")
        pytest.skip("axe-core not installed: npm ci --prefix tests/axe")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browsers(served):
    """One headless Chromium per width, started when first needed and shared by every test;
    at the end, the screenshots are copied to site-screenshots/ (kept as build artefacts)."""
    from contextlib import ExitStack

    from browser import chrome
    site, base = served
    shots = site / "_screenshots"
    shots.mkdir(exist_ok=True)
    with ExitStack() as stack:
        drivers: dict[int, object] = {}

        def get(width: int):
            if width not in drivers:
                drivers[width] = stack.enter_context(chrome(width, 900))
            return drivers[width], base, shots, width

        yield get
    SCREENSHOTS.mkdir(exist_ok=True)
    for shot in shots.glob("*.png"):
        shutil.copy2(shot, SCREENSHOTS / shot.name)


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def browser(request, browsers):
    return browsers(request.param)


@pytest.fixture
def desktop(browsers):
    return browsers(WIDTHS[0])


@pytest.fixture
def phone(browsers):
    return browsers(WIDTHS[1])


@pytest.mark.slow
def test_every_page_accessible_in_both_colour_schemes_local_and_without_overflow(browser, site):
    """Each page as a first-time visitor sees it (light, the system's default here), then in the dark
    palette, switched with the header's own toggle. axe-core runs every rule in the light scheme and
    its colour rules in the dark one (the toggle changes colours only: the document is the same)."""
    from browser import axe_violations, full_screenshot, open_page, outside, requested_urls, switch_scheme
    driver, base, shots, width = browser
    axe = require_axe()
    problems = []
    for page in nav_pages(site):
        requested_urls(driver)  # forget earlier pages' requests
        open_page(driver, f"{base}/{page}", scheme="default")
        name = page.strip("/").replace("/", "_") or "home"
        full_screenshot(driver, shots / f"{name}-{width}.png")
        for violation in axe_violations(driver, axe):
            problems.append(f"{page} @{width} light: {violation['id']} ({len(violation['nodes'])}): {violation['nodes'][0]['target']}")
        left = outside(requested_urls(driver))
        if left:
            problems.append(f"{page} @{width}: requests leave 127.0.0.1: {left}")
        overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems.append(f"{page} @{width}: the page scrolls sideways by {overflow} px")
        broken = driver.execute_script("""  // codes and field names in tables never wrap inside a word
            return Array.from(document.querySelectorAll('.md-typeset table code:not(.kd-hash)'))
              .filter(c => c.offsetParent && c.getClientRects().length > 1).map(c => c.textContent).slice(0, 5);""")
        if broken and width > 600:
            problems.append(f"{page} @{width}: codes wrap: {broken}")
        switch_scheme(driver, "slate")
        driver.save_screenshot(str(shots / f"{name}-{width}-dark.png"))  # the first screen: the full page is above
        for violation in axe_violations(driver, axe, tags=["cat.color"]):
            problems.append(f"{page} @{width} dark: {violation['id']} ({len(violation['nodes'])}): {violation['nodes'][0]['target']}")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_a_span_lists_every_covering_row_and_the_back_link_marks_it(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from browser import open_page, wait_for
    driver, base, shots, width = browser
    open_page(driver, f"{base}/{article(site)}")
    wait_for(driver, lambda d: d.execute_script("return document.getElementById('article-text').dataset.ready === '1'"), "article script never ran")
    # the passage cited by the most rows
    seg_id, keys = driver.execute_script("""
        const segs = Array.from(document.querySelectorAll('a.kd-seg'));
        const best = segs.reduce((a, b) => b.dataset.rows.split(' ').length > a.dataset.rows.split(' ').length ? b : a);
        return [best.id, best.dataset.rows.split(' ')];""")
    assert len(keys) >= 3
    segment = driver.find_element(By.ID, seg_id)
    if width < 600:  # a phone: tap; a desktop: the keyboard
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", segment)
        segment.click()
    else:
        driver.execute_script("arguments[0].focus()", segment)
        segment.send_keys(Keys.ENTER)
    dialog = wait_for(driver, lambda d: d.find_element(By.ID, "kd-rows-dialog").get_attribute("open") is not None
                      and d.find_element(By.ID, "kd-rows-dialog"), "the list of rows never opened")
    links = dialog.find_elements(By.CSS_SELECTOR, ".kd-dialog-body a")
    listed = [link.get_attribute("href").partition("#row--")[2] for link in links]
    assert sorted(listed) == sorted(keys)  # every covering row, once
    names = [link.text for link in links]
    ids = {k.split("--", 1)[1] for k in keys}
    assert all(name and name not in ids for name in names), names  # named by what they say, not by id
    assert len(dialog.find_elements(By.CSS_SELECTOR, ".kd-dialog-group h3")) == len({k.split("--")[0] for k in keys})
    driver.save_screenshot(str(shots / f"article-dialog-{width}.png"))
    target = listed[-1]
    links[-1].click()
    wait_for(driver, lambda d: d.execute_script("return decodeURIComponent(location.hash)") == f"#row--{target}", "the row never opened")
    card = driver.find_element(By.ID, f"row--{target}")
    wait_for(driver, lambda d: card.get_attribute("open") is not None and card.is_displayed(), "the row's card never opened")
    back = card.find_element(By.CSS_SELECTOR, "a.kd-back")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", back)
    back.click()
    wait_for(driver, lambda d: d.execute_script("return decodeURIComponent(location.hash)") == f"#span--{target}", "the back link never went back")
    expected = driver.execute_script(
        "return Array.from(document.querySelectorAll('.kd-seg')).filter(s => s.dataset.rows.split(' ').includes(arguments[0])).map(s => s.id)",
        target)
    marked = wait_for(driver, lambda d: d.execute_script(
        "return Array.from(document.querySelectorAll('.kd-seg.kd-marked')).map(s => s.id)") or None, "the span was never marked")
    assert sorted(marked) == sorted(expected) and seg_id in marked
    driver.save_screenshot(str(shots / f"article-marked-{width}.png"))


@pytest.mark.slow
def test_plain_text_mode_and_links_from_reading_pages_mark_their_passage(desktop, site):
    from selenium.webdriver.common.by import By

    from browser import open_page, wait_for
    driver, base, shots, width = desktop
    open_page(driver, f"{base}/{article(site)}")
    wait_for(driver, lambda d: d.execute_script("return document.getElementById('article-text').dataset.ready === '1'"), "article script never ran")
    toggle = driver.find_element(By.CSS_SELECTOR, ".kd-plain-toggle")
    assert toggle.is_displayed()
    toggle.click()
    wait_for(driver, lambda d: d.find_element(By.ID, "article-plain").is_displayed(), "the plain text never showed")
    assert not driver.find_element(By.ID, "article-text").is_displayed() and toggle.get_attribute("aria-pressed") == "true"
    assert not driver.find_elements(By.CSS_SELECTOR, "#article-plain a")  # no links to Tab through
    driver.save_screenshot(str(shots / f"article-plain-{width}.png"))
    # "In the text" on a reading page opens the article with the passage marked (not only the row's card)
    open_page(driver, f"{base}/statements/")
    href = driver.execute_script("return Array.from(document.querySelectorAll('dt')).find(d => d.textContent === 'In the text')"
                                 ".nextElementSibling.querySelector('a').href")
    open_page(driver, href)
    key = urllib.parse.unquote(href.partition("#span--")[2])
    wait_for(driver, lambda d: d.execute_script(
        "return Array.from(document.querySelectorAll('.kd-seg.kd-marked')).some(s => s.dataset.rows.split(' ').includes(arguments[0]))", key),
        "the passage was never marked")


@pytest.mark.slow
def test_skip_link_reaches_the_text_and_linked_code_is_underlined_below_its_underscores(desktop, site):
    """Keyboard: on an article the first Tab stop is a skip link, and after it the next Tab stop is the first
    passage (not the 24 navigation links, the contents and the toggles). Linked code (`event_participants`)
    is underlined below the whole code box, so the line never sits on its underscores."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    from browser import open_page, wait_for
    driver, base, shots, width = desktop
    open_page(driver, f"{base}/{article(site)}")
    wait_for(driver, lambda d: d.execute_script("return document.getElementById('article-text').dataset.ready === '1'"), "article script never ran")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    skip = driver.switch_to.active_element
    assert skip.get_attribute("textContent").strip() == "Skip to the text" and skip.get_attribute("href").endswith("#article-text")
    skip.send_keys(Keys.ENTER)
    wait_for(driver, lambda d: d.execute_script("return location.hash") == "#article-text", "the skip link went nowhere")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    first = driver.execute_script("""
        const a = document.activeElement, text = document.getElementById('article-text');
        const stops = Array.from(text.querySelectorAll('[tabindex="0"], a[href], button'));
        return [text.contains(a), stops.length > 0 && stops[0] === a];""")
    assert first == [True, True], "Tab after the skip link does not reach the first passage"
    checked = 0
    for page in ("downloads", "changelog", "dictionary", "events"):
        open_page(driver, f"{base}/{page}/")
        found = driver.execute_script("""
            return Array.from(document.querySelectorAll('.md-content a')).filter(a => {
                const c = a.querySelector('code'); return c && c.textContent.includes('_') && a.getClientRects().length; })
            .map(a => { const s = getComputedStyle(a), c = a.querySelector('code').getBoundingClientRect(),
                               r = a.getBoundingClientRect();
                return [a.textContent, s.textDecorationLine, parseFloat(s.borderBottomWidth), s.borderBottomStyle,
                        r.bottom - parseFloat(s.borderBottomWidth) - c.bottom]; });""")
        checked += len(found)
        for label, decoration, border, style, gap in found:
            # no text underline through the glyphs; a line drawn below the code box (which holds the underscores)
            assert decoration == "none" and border >= 1 and style == "solid" and gap >= 0, (page, label, decoration, border, style, gap)
    assert checked, "no linked code with an underscore on the pages checked"


@pytest.mark.slow
def test_downloads_resolve_their_hashes_match_and_the_wheel_installs_from_the_site(desktop, tmp_path):
    from browser import open_page
    driver, base, shots, width = desktop
    open_page(driver, f"{base}/downloads/")
    table = driver.execute_script("""
        return Array.from(document.querySelectorAll('table.kd-files tbody tr')).map(
            tr => [tr.querySelector('a').href, tr.querySelector('.kd-hash').textContent]);""")
    assert {urllib.parse.urlsplit(h).path.split("/kordata/", 1)[1] for h, _ in table} == set(release_files(ROOT))
    for href, digest in table:
        with urllib.request.urlopen(href) as response:
            assert sha256(response.read()) == digest, href
    zip_href = driver.execute_script("return document.querySelector('.kd-download a').href")
    shown = driver.execute_script("return document.getElementById('zip-sha256').textContent")
    with urllib.request.urlopen(zip_href) as response:
        assert sha256(response.read()) == shown
    # the command the page gives, with pip checking the published hash; no dependencies fetched (they are
    # this environment's), the installed copy run from elsewhere
    command = re.search(r"pip install (\S+\.whl)", driver.execute_script("return document.body.innerText"))[1]
    digest = driver.execute_script("return document.getElementById('wheel-sha256').textContent")
    target = tmp_path / "target"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile", "--target", str(target),
                          f"{command}#sha256={digest}"], capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stderr
    run = subprocess.run([sys.executable, "-c", "import kordata; print(kordata.__version__, kordata.Package.open().root)"],
                         capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(target)}, timeout=300)
    assert run.returncode == 0, run.stderr
    version, root = run.stdout.split()
    assert version == descriptor()["version"] and Path(root).is_relative_to(target)
    info = subprocess.run([sys.executable, "-m", "kordata", "info"], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(target)}, timeout=300)
    assert info.returncode == 0, info.stderr
    assert f"version {version} (unreleased preview)" in info.stdout if not release_state(ROOT)[0] else "preview" not in info.stdout
    bad = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(tmp_path / "bad"),
                          f"{command}#sha256={'0' * 64}"], capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0  # pip does check the hash


@pytest.mark.slow
def test_not_found_page_works_under_the_sub_path(phone):
    from browser import open_page
    driver, base, shots, width = phone
    open_page(driver, f"{base}/no/such/page/")
    assert "404" in driver.title or "not found" in driver.page_source.lower()
    styled = driver.execute_script("return Array.from(document.styleSheets).some(s => s.href && s.href.includes('/assets/stylesheets/main'))"
                                   " && getComputedStyle(document.querySelector('.md-header')).position !== 'static'")
    assert styled, "the 404 page's stylesheets did not load under the sub-path"
    home = driver.execute_script("return document.querySelector('a.md-header__button.md-logo').href")
    assert home.rstrip("/") == base


def test_the_site_generator_is_clean_code():
    """docs/hooks is code: ruff's lint and format rules hold there as in src/."""
    ruff = [sys.executable, "-m", "ruff"]
    for command in (["check", "docs/hooks"], ["format", "--check", "docs/hooks"]):
        result = subprocess.run(ruff + command, capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr

"""The docs site: builds strictly, is generated from the package, publishes the data, and works in a
real browser (accessible, local-only, readable at phone width).

The site is built once per session, for the address it is served at (a sub-path of 127.0.0.1, as on
a project page), so the JSON-LD download URLs and the 404 page are tested as published.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, copy_package

MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "site-screenshots"
WIDTHS = (1366, 390)


def build(dest: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(MKDOCS + ["build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)],
                          capture_output=True, text=True, timeout=300, env={**ENV, **env})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def package_files(root: Path) -> list[str]:
    """Every file the package lists, read here from the descriptor, croissant.json and the documents
    table (independently of the site's generator): what the site must publish."""
    descriptor = json.loads((root / "datapackage.json").read_text())
    files = ["datapackage.json"]
    for resource in descriptor["resources"]:
        for key in ("path", "schema"):
            value = resource.get(key)
            files += [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    if (root / "croissant.json").is_file():
        for item in json.loads((root / "croissant.json").read_text()).get("distribution", []):
            url = item.get("contentUrl")
            if isinstance(url, str) and "://" not in url:
                files.append(url)
    import csv
    def fields(resource: dict) -> set[str]:
        return {f["name"] for f in json.loads((root / resource["schema"]).read_text())["fields"]}

    documents = next(r for r in descriptor["resources"] if {"path", "sha256"} <= fields(r))  # the texts' table
    with (root / documents["path"]).open(encoding="utf-8") as handle:
        files += [row["path"] for row in csv.DictReader(handle)]
    return list(dict.fromkeys(files))


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
    return (site / page / "index.html").read_text(encoding="utf-8")


def plain(page_html: str) -> str:
    """A page's text, without tags and entities."""
    import html as html_module
    return html_module.unescape(re.sub(r"<[^>]+>", "", page_html))


def nav_pages(site: Path) -> list[str]:
    """Every page of the built site, from its sitemap (relative paths such as 'dictionary/')."""
    text = (site / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>([^<]+)</loc>", text)
    base = min(locs, key=len)  # the home page: the site's address
    return [loc[len(base):] for loc in locs]


# ------------------------------------------------------------------ build and generated content
def test_strict_build_generates_every_page(site):
    pages = nav_pages(site)
    docs = json.loads((ROOT / "datapackage.json").read_text())
    for page in ("", "downloads/", "dictionary/", "vocabularies/", "statements/", "numbers/", "events/", "charts/", "cli/",
                 "validation/", "changelog/", "article/"):
        assert page in pages and (site / page / "index.html").is_file(), page
    import csv
    with (ROOT / "data" / "documents.csv").open(encoding="utf-8") as handle:
        ids = [row["document_id"] for row in csv.DictReader(handle)]
    for doc in ids:  # one annotated article per document
        assert f"article/{doc}/" in pages
    for chart in (site / "assets" / "charts").glob("*.svg"):
        assert chart.read_text().startswith("<svg")
    assert len(list((site / "assets" / "charts").glob("*.svg"))) >= 3
    assert not (site / "hooks").exists()
    assert docs["version"] in html(site, "downloads")


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
    assert doc["@type"] == "Dataset" and doc["version"] == json.loads((ROOT / "datapackage.json").read_text())["version"]
    assert any(v["name"] == "events.cameo_code" for v in doc["variableMeasured"])
    urls = {d["contentUrl"]: d["sha256"] for d in doc["distribution"]}
    for path in package_files(ROOT):  # every listed file is published where the JSON-LD says, with its hash
        assert urls.get(f"{base}/{path}") == sha256((ROOT / path).read_bytes()), path
    for url, digest in urls.items():
        assert url.startswith(base + "/")
        assert sha256((site / url[len(base) + 1:]).read_bytes()) == digest, url


def test_site_publishes_every_file_the_package_lists_and_the_release_zip(site):
    listed = package_files(ROOT)
    assert any(p.endswith(".csv") for p in listed) and any(p.startswith("schemas/") for p in listed)
    for path in listed:
        assert (site / path).read_bytes() == (ROOT / path).read_bytes(), path
    if (ROOT / "croissant.json").is_file():  # Croissant's relative contentUrls resolve against the site
        assert (site / "croissant.json").read_bytes() == (ROOT / "croissant.json").read_bytes()
    version = json.loads((ROOT / "datapackage.json").read_text())["version"]
    zips = list((site / "downloads").glob(f"*-{version}.zip"))
    assert len(zips) == 1
    data = zips[0].read_bytes()
    digest, name = (site / "downloads" / f"{zips[0].name}.sha256").read_text().split()
    assert digest == sha256(data) and name == zips[0].name
    assert digest in html(site, "downloads")
    with zipfile.ZipFile(zips[0]) as archive:
        top = zips[0].name[: -len(".zip")]
        for path in listed:
            assert archive.read(f"{top}/{path}") == (ROOT / path).read_bytes(), path


def test_the_release_zip_is_reproducible(tmp_path, site):
    again = tmp_path / "again"
    assert build(again).returncode == 0
    first = next((site / "downloads").glob("*.zip"))
    assert (again / "downloads" / first.name).read_bytes() == first.read_bytes()


def test_tables_diagram_matches_the_schemas(site):
    text = html(site, "dictionary")
    drawn = set(re.findall(r'data-from="([^"]+)" data-to="([^"]+)"', text))
    declared = set()
    boxes = set(re.findall(r'<g class="kd-box" data-table="([^"]+)"', text))
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        schema = json.loads((ROOT / resource["schema"]).read_text())
        for fk in schema.get("foreignKeys", []):
            fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
            targets = fk["reference"]["fields"]
            targets = [targets] if isinstance(targets, str) else targets
            for f, t in zip(fields, targets, strict=True):
                declared.add((f"{resource['name']}.{f}", f"{fk['reference'].get('resource') or resource['name']}.{t}"))
    assert drawn == declared
    assert boxes == {r["name"] for r in descriptor["resources"]}
    assert not re.search(r"\b1 rows\b", text)
    for field in ("wikidata_id", "country"):  # not keys: never drawn as one
        assert f"{field} →" not in text


def test_dictionary_has_one_compact_table_per_table_with_counts(site):
    text = html(site, "dictionary")
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    assert text.count('<table class="kd-dict">') == len(descriptor["resources"])
    for resource in descriptor["resources"]:
        schema = json.loads((ROOT / resource["schema"]).read_text())
        section = text[text.index(f'id="{resource["name"]}"'):]
        for field in schema["fields"]:
            assert f"<code>{field['name']}</code>" in section, (resource["name"], field["name"])


def test_vocabularies_give_meaning_counts_and_names(site):
    import csv
    text = html(site, "vocabularies")
    with (ROOT / "src" / "kordata" / "reference" / "cameo_events.csv").open(encoding="utf-8") as handle:
        names = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    with (ROOT / "data" / "events.csv").open(encoding="utf-8") as handle:
        codes = {row["cameo_code"] for row in csv.DictReader(handle) if row["cameo_code"]}
    for code in codes:
        assert f"<code>{code}</code></th><td>{names[code]}" in text.replace("&#x27;", "'"), code
    with (ROOT / "docs" / "hooks" / "plover_types.csv").open(encoding="utf-8") as handle:
        plover = {row["type"] for row in csv.DictReader(handle)}
    events = json.loads((ROOT / "schemas" / "events.json").read_text())
    assert set(next(f for f in events["fields"] if f["name"] == "plover_type")["constraints"]["enum"]) <= plover
    assert "https://github.com/openeventdata/PLOVER" in text and "FactBank" in text


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
    validation = plain(html(site, "validation"))
    for text in LAYERS.values():
        assert text in validation
    engine = next(p for p in cli.commands["validate"].params if p.name == "engine").default
    assert f"--engine {engine}" in plain(html(site, "getting-started"))
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert all(line.lstrip("# ") in html(site, "changelog") for line in changelog.splitlines() if line.startswith("## ["))


def test_versioning_rules_render_as_a_list(site):
    text = html(site, "versioning")
    assert re.search(r"Rules that hold across every release:</p>\s*<ul>", text)


def test_site_follows_the_package_it_is_pointed_at(tmp_path):
    """KORDATA_DOCS_PACKAGE selects the package; a field's description lives only in its schema."""
    copy = copy_package(tmp_path / "pkg")
    path = copy / "schemas" / "figures.json"
    schema = json.loads(path.read_text())
    schema["fields"][-1]["description"] = "A sentinel description 7f3c written only in the schema."
    path.write_text(json.dumps(schema, indent=2))
    result = build(tmp_path / "site", KORDATA_DOCS_PACKAGE=str(copy))
    assert result.returncode == 0, result.stderr
    assert "A sentinel description 7f3c" in (tmp_path / "site" / "dictionary" / "index.html").read_text()


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
def test_every_page_accessible_local_and_without_overflow(browser, site):
    from browser import axe_violations, full_screenshot, open_page, outside, requested_urls
    driver, base, shots, width = browser
    axe = require_axe()
    problems = []
    for page in nav_pages(site):
        requested_urls(driver)  # forget earlier pages' requests
        open_page(driver, f"{base}/{page}")
        name = page.strip("/").replace("/", "_") or "home"
        full_screenshot(driver, shots / f"{name}-{width}.png")
        for violation in axe_violations(driver, axe):
            problems.append(f"{page} @{width}: {violation['id']} ({len(violation['nodes'])}): {violation['nodes'][0]['target']}")
        left = outside(requested_urls(driver))
        if left:
            problems.append(f"{page} @{width}: requests leave 127.0.0.1: {left}")
        overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems.append(f"{page} @{width}: the page scrolls sideways by {overflow} px")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_a_span_lists_every_covering_row_and_the_back_link_marks_it(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from browser import open_page, wait_for
    driver, base, shots, width = browser
    page = next(p for p in nav_pages(site) if p.startswith("article/") and p != "article/")
    open_page(driver, f"{base}/{page}")
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
        "return Array.from(document.querySelectorAll('a.kd-seg')).filter(s => s.dataset.rows.split(' ').includes(arguments[0])).map(s => s.id)",
        target)
    marked = wait_for(driver, lambda d: d.execute_script(
        "return Array.from(document.querySelectorAll('a.kd-seg.kd-marked')).map(s => s.id)") or None, "the span was never marked")
    assert sorted(marked) == sorted(expected) and seg_id in marked
    driver.save_screenshot(str(shots / f"article-marked-{width}.png"))


@pytest.mark.slow
def test_downloads_resolve_and_their_hashes_match(desktop):
    from browser import open_page
    driver, base, shots, width = desktop
    open_page(driver, f"{base}/downloads/")
    rows = driver.execute_script("""
        return Array.from(document.querySelectorAll('table.kd-files tbody tr')).map(
            tr => [tr.querySelector('a').href, tr.querySelector('.kd-hash').textContent]);""")
    assert {urllib.parse.urlsplit(h).path.split("/kordata/", 1)[1] for h, _ in rows} == set(package_files(ROOT))
    for href, digest in rows:
        with urllib.request.urlopen(href) as response:
            assert sha256(response.read()) == digest, href
    zip_href = driver.execute_script("return document.querySelector('.kd-download a').href")
    shown = driver.execute_script("return document.getElementById('zip-sha256').textContent")
    with urllib.request.urlopen(zip_href) as response:
        assert sha256(response.read()) == shown


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


@pytest.mark.slow
def test_internal_links_resolve(desktop, site):
    from browser import open_page
    driver, base, shots, width = desktop
    checked, seen = 0, set()
    for page in nav_pages(site):
        open_page(driver, f"{base}/{page}")
        # ids and hrefs read in one script, after the page is ready: no element can go stale in between
        ids, hrefs = driver.execute_script(
            "return [Array.from(document.querySelectorAll('[id]')).map(e => e.id),"
            " Array.from(document.querySelectorAll('a[href]')).map(a => new URL(a.getAttribute('href'), location.href).href)]")
        ids = set(ids)
        for href in hrefs:
            if not href.startswith(base):
                continue
            url, _, fragment = href.partition("#")
            if url not in seen:
                with urllib.request.urlopen(url) as response:
                    assert response.status == 200, href
                seen.add(url)
            if fragment and url.rstrip("/") == f"{base}/{page}".rstrip("/"):
                assert urllib.parse.unquote(fragment) in ids, href
            checked += 1
    assert checked > 100


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

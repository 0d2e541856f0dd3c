"""The docs site: builds strictly, is generated from the schemas, and renders in a real browser."""
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build(src: Path, dest: Path) -> subprocess.CompletedProcess:
    return subprocess.run(MKDOCS + ["build", "--strict", "-q", "-f", str(src / "mkdocs.yml"), "-d", str(dest)],
                          capture_output=True, text=True, timeout=300, env=ENV)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    dest = tmp_path_factory.mktemp("site")
    result = build(ROOT, dest)
    assert result.returncode == 0, result.stderr
    return dest


def test_strict_build_generates_every_page(site):
    for page in ("dictionary", "vocabularies", "article", "figures", "changelog", "citing", "methodology", "versioning"):
        assert (site / page / "index.html").is_file(), page
    for svg in ("tables", "timeline", "dyads"):
        assert (site / "assets" / f"{svg}.svg").read_text().startswith("<svg")
    html = (site / "dictionary" / "index.html").read_text()
    assert "act-kim-tae-hyo" in html or "men-0001-001" in html  # example values come from the data
    assert not (site / "hooks").exists()


def test_home_page_embeds_schema_org_dataset(site):
    html = (site / "index.html").read_text()
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    doc = json.loads(html[start:html.index("</script>", start)])
    assert doc["@type"] == "Dataset" and doc["version"] == json.loads((ROOT / "datapackage.json").read_text())["version"]
    assert any(v["name"] == "events.cameo_code" for v in doc["variableMeasured"])


def test_changing_a_schema_description_changes_the_site(tmp_path):
    copy = tmp_path / "repo"
    for part in ("docs", "schemas", "data", "seeds", "src", "datapackage.json", "mkdocs.yml", "CHANGELOG.md"):
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, copy / part, **({"ignore": shutil.ignore_patterns("__pycache__")} if src.is_dir() else {}))
    path = copy / "schemas" / "figures.json"
    schema = json.loads(path.read_text())
    schema["fields"][-1]["description"] = "A sentinel description 7f3c written only in the schema."
    path.write_text(json.dumps(schema, indent=2))
    code = "import sys; sys.path.insert(0, sys.argv[1]); from mkdocs.__main__ import cli; cli(sys.argv[2:])"
    result = subprocess.run([sys.executable, "-c", code, str(copy / "src"), "build", "--strict", "-q", "-f", str(copy / "mkdocs.yml"),
                             "-d", str(tmp_path / "site")], capture_output=True, text=True, timeout=300, env=ENV, cwd=copy)
    assert result.returncode == 0, result.stderr
    assert "A sentinel description 7f3c" in (tmp_path / "site" / "dictionary" / "index.html").read_text()


# ------------------------------------------------------------------ real browser
@pytest.fixture(scope="module")
def browser(site):
    from browser import chrome, serve
    with serve(site) as base, chrome(1280, 1600) as driver:
        yield driver, base, site / "_screenshots"


def _open(driver, url, shots, name):
    from browser import open_page
    open_page(driver, url)
    shots.mkdir(exist_ok=True)
    driver.save_screenshot(str(shots / f"{name}.png"))


@pytest.mark.slow
def test_pages_render_in_chromium(browser):
    from selenium.webdriver.common.by import By
    from browser import wait_for, wait_image
    driver, base, shots = browser
    _open(driver, f"{base}/dictionary/", shots, "dictionary")
    tables = driver.find_elements(By.CSS_SELECTOR, "article table")
    assert len(tables) >= 9 and tables[0].size["height"] > 100
    assert wait_image(driver, driver.find_element(By.CSS_SELECTOR, "img#tables-diagram")) > 300
    _open(driver, f"{base}/figures/", shots, "figures")
    for fig in ("timeline", "dyads"):
        assert wait_image(driver, driver.find_element(By.CSS_SELECTOR, f"img#{fig}")) > 300, fig
    _open(driver, f"{base}/article/", shots, "article")
    spans = driver.find_elements(By.CSS_SELECTOR, ".kd-article a.kd-span")
    assert len(spans) > 50
    expected = spans[0].get_attribute("href").partition("#")[2]
    spans[0].click()
    target = wait_for(driver, lambda d: d.execute_script("return location.hash") == "#" + expected and "#" + expected,
                      f"clicking a span never navigated to #{expected}")
    assert target.startswith("#row-") and driver.find_element(By.ID, target[1:]).is_displayed()
    driver.save_screenshot(str(shots / "article-row.png"))


@pytest.mark.slow
def test_internal_links_resolve(browser):
    from browser import open_page
    driver, base, shots = browser
    pages = ["/", "/getting-started/", "/dictionary/", "/vocabularies/", "/article/", "/figures/", "/methodology/",
             "/versioning/", "/citing/", "/changelog/"]
    checked = 0
    for page in pages:
        open_page(driver, base + page)
        # ids and hrefs read in one script, after the page is ready: no element can go stale in between
        ids, hrefs = driver.execute_script(
            "return [Array.from(document.querySelectorAll('[id]')).map(e => e.id),"
            " Array.from(document.querySelectorAll('a[href]')).map(a => a.href)]")
        ids = set(ids)
        for href in hrefs:
            if not href.startswith(base):
                continue
            url, _, fragment = href.partition("#")
            with urllib.request.urlopen(url) as response:
                assert response.status == 200, href
            if fragment and url.rstrip("/") == (base + page).rstrip("/"):
                assert urllib.parse.unquote(fragment) in ids, href
            checked += 1
    assert checked > 100

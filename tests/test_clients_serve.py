"""Browse without Python: `kordata serve` (the SQLite export plus Datasette metadata generated from the
schemas), its canned queries checked against pandas, the served pages in headless Chromium, and the
state of datapackage-to-datasette on this package (docs/clients.md)."""
import json
import queue
import re
import sqlite3
import subprocess
import sys
import threading
import urllib.parse

import pytest

from conftest import ROOT, run_kordata

import kordata
from kordata.serve import CANNED_QUERIES, build, metadata
from kordata.tableschema import is_vocabulary

PKG = kordata.Package.open(ROOT)
TABLES = kordata.load_all()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("serve"))


def test_metadata_is_generated_from_the_descriptor_and_schemas():
    meta = metadata(PKG)
    descriptor = PKG.descriptor
    assert meta["license"] == descriptor["licenses"][0]["name"] and meta["license_url"] == descriptor["licenses"][0]["path"]
    assert meta["source"] == descriptor["sources"][0]["title"]
    tables = meta["databases"]["kordata"]["tables"]
    assert list(tables) == PKG.table_names
    for name, table in tables.items():
        fields = PKG.fields(name)
        assert table["title"] == PKG.resource(name)["title"] and table["description"] == PKG.resource(name)["description"]
        assert table["columns"] == {f["name"]: f["description"] for f in fields}
        assert table["facets"] == [f["name"] for f in fields if is_vocabulary(f)]
        assert table.get("units", {}) == {f["name"]: f["unit"] for f in fields if f.get("unit")}
    assert tables["events"]["facets"] and set(meta["databases"]["kordata"]["queries"]) == set(CANNED_QUERIES)


def test_canned_queries_answer_the_questions(built):
    database, _ = built
    con = sqlite3.connect(database)
    rows = lambda name: [dict(zip([d[0] for d in cursor.description], r, strict=True))
                         for cursor in [con.execute(CANNED_QUERIES[name]["sql"])] for r in cursor.fetchall()]
    names = dict(zip(TABLES["actors"]["actor_id"], TABLES["actors"]["name"], strict=True))
    said = rows("who_said_what")
    statements = TABLES["statements"].sort_values(["document_id", "start"], kind="stable")
    assert [r["statement_id"] for r in said] == statements["statement_id"].tolist()
    for r, s in zip(said, statements.itertuples(), strict=True):
        assert r["speaker"] == names.get(s.speaker_actor_id) and r["relayed_by"] == names.get(s.reported_by_actor_id)
        assert r["information_source"] == names.get(s.information_source_actor_id) and r["content"] == s.content
    from kordata.exports.dyads import dyads
    acts = rows("who_acts_on_whom")
    assert len(acts) == len(dyads()) and {r["event_id"] for r in acts} == set(dyads()["event_id"])
    figures = rows("figure_authority")
    assert [r["figure_id"] for r in figures] == TABLES["figures"].sort_values(["document_id", "start"])["figure_id"].tolist()
    claims = TABLES["claims"].set_index("claim_id")
    for r in figures:
        claim = claims.loc[r["claim_id"]]
        assert r["claimant"] == names.get(claim.claimant_actor_id) and r["statement_id"] == (None if claim.isna()["statement_id"]
                                                                                             else claim.statement_id)


def test_build_only_writes_the_files_and_prints_the_datasette_command(tmp_path):
    out = run_kordata("serve", "--build-only", "--out", str(tmp_path / "site"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "site" / "kordata.sqlite").is_file() and json.loads((tmp_path / "site" / "metadata.json").read_text())["databases"]
    assert out.stdout.startswith("datasette serve --immutable ") and "--host 127.0.0.1" in out.stdout
    missing = run_kordata("serve", "--build-only")
    assert missing.returncode == 2 and "--build-only needs --out" in missing.stderr


def test_serve_without_the_extra_says_how_to_install_it(tmp_path):
    code = "import sys; sys.modules['datasette'] = None; from kordata.cli import main; sys.exit(main(['serve', '--port', '0']))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 2 and "pip install 'kordata[serve]'" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def _start(tmp_path):
    """`kordata serve --port 0` in a child process; its base URL, read from the server's log line (explicit wait)."""
    process = subprocess.Popen([sys.executable, "-m", "kordata", "serve", "--port", "0", "--out", str(tmp_path)],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=tmp_path)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()
    seen = []
    while True:
        try:
            line = lines.get(timeout=120)
        except queue.Empty:
            process.kill()
            pytest.fail(f"Datasette never said it was running: {seen}")
        seen.append(line)
        match = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", line)
        if match:
            return process, match.group(1)


def _count(text: str) -> int:
    match = re.search(r"([\d,]+) rows?\b", text)
    assert match, text
    return int(match.group(1).replace(",", ""))


@pytest.mark.slow
def test_kordata_serve_in_a_real_browser(tmp_path):
    from browser import chrome, open_page, wait_for
    from selenium.webdriver.common.by import By
    process, base = _start(tmp_path)
    try:
        with chrome() as driver:
            for name, frame in TABLES.items():  # a page per table: every row, its title and its facets
                open_page(driver, f"{base}/kordata/{name}")
                wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr"), f"{name}: no rows")
                assert _count(driver.find_element(By.CSS_SELECTOR, "h3").text) == len(frame), name
                assert driver.find_element(By.CSS_SELECTOR, "h1").text == PKG.resource(name)["title"]
                facets = {e.get_attribute("data-column") for e in driver.find_elements(By.CSS_SELECTOR, ".facet-info")}
                assert facets == {f["name"] for f in PKG.fields(name) if is_vocabulary(f)}, name
            open_page(driver, f"{base}/kordata/who_said_what")  # a canned query
            rows = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr"), "no query rows")
            assert len(rows) == len(TABLES["statements"])
            assert driver.find_element(By.CSS_SELECTOR, "h1").text == CANNED_QUERIES["who_said_what"]["title"]
            event = TABLES["events"].iloc[0]  # a row page: the CAMEO code as written, links from the rows that cite it
            open_page(driver, f"{base}/kordata/events/{urllib.parse.quote(event.event_id)}")
            cells = wait_for(driver, lambda d: {e.get_attribute("class").split()[0].removeprefix("col-"): e.text
                                                 for e in d.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody td")},
                             "no row")
            assert cells["event_id"] == event.event_id and cells["cameo_code"] == event.cameo_code
            assert driver.find_elements(By.CSS_SELECTOR, f"a[href$='/kordata/event_participants?event_id={event.event_id}']")
    finally:
        process.terminate()
        assert process.wait(timeout=60) == 0  # SIGTERM stops Datasette too, and kordata exits cleanly


def test_datapackage_to_datasette_reproduction(tmp_path):
    """docs/clients.md's minimal reproduction: frictionless' SQL writer turns a pattern into a REGEXP check
    whose SQLite function raises on NULL, so any nullable field with a pattern stops datapackage-to-datasette.
    When frictionless fixes it, this test fails: then update docs/clients.md and try the package itself."""
    (tmp_path / "t.csv").write_text("id,code\na,X1\nb,\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "repro", "resources": [{
        "name": "t", "path": "t.csv", "schema": {"fields": [
            {"name": "id", "type": "string"}, {"name": "code", "type": "string", "constraints": {"pattern": "^X[0-9]$"}}]}}]}))
    exe = [sys.executable, "-c", "from datapackage_to_datasette.cli import main; main()"]
    result = subprocess.run([*exe, str(tmp_path / "t.db"), str(tmp_path / "datapackage.json"), str(tmp_path / "m.json")],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode != 0 and "user-defined function raised exception" in result.stderr
    docs = (ROOT / "docs" / "clients.md").read_text(encoding="utf-8")
    assert "user-defined function raised exception" in docs and "kordata serve" in docs
    nullable_patterns = [f"{n}.{f['name']}" for n in PKG.table_names for f in PKG.fields(n)
                         if "pattern" in f.get("constraints", {}) and not f["constraints"].get("required")]
    assert nullable_patterns  # why the package itself still needs the fix (listed in docs/clients.md)

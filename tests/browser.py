"""Headless Chromium for the browser tests, with explicit waits (never sleeps).

Every page is used only once it is ready: the load event has fired and, on Material pages,
the theme's ``document$`` observable has emitted (its scripts have finished rewriting the
page). Everything else a test waits for (a hash after a click, an image decoded) is a
condition polled by WebDriverWait with a deadline, so a slow machine makes a test slower,
never wrong.
"""
from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import shutil
import threading
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import pytest

TIMEOUT = 60  # seconds a condition may take on a loaded machine before the test fails

# Resolves once the page is loaded and Material (if present) has finished its first render.
_READY = """
const done = arguments[arguments.length - 1];
const material = () => {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    const sub = window.document$.subscribe(() => { done(true); setTimeout(() => sub && sub.unsubscribe && sub.unsubscribe()); });
  } else { done(true); }
};
if (document.readyState === "complete") material(); else window.addEventListener("load", material, {once: true});
"""


def chromium() -> tuple[str | None, str | None]:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name), shutil.which("chromedriver")
    return None, None


def require_chromium() -> tuple[str, str]:
    binary, driver_path = chromium()
    if not binary or not driver_path:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium and ChromeDriver are required in CI (apt-get install chromium chromium-driver)")
        pytest.skip("Chromium/ChromeDriver not installed: apt-get install chromium chromium-driver")
    return binary, driver_path


class Server:
    """A static file server on 127.0.0.1 (a free port), started before the folder is filled so that
    a site can be built for its address. ``prefix`` is the sub-path the folder is served under
    (as on a project page); a missing file gets the folder's 404.html with status 404, as hosts do."""

    def __init__(self, folder: Path, prefix: str = "/"):
        self.folder, self.prefix = Path(folder), "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        handler = functools.partial(SiteHandler, directory=str(self.folder), prefix=self.prefix)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        """The site's address, without a trailing slash."""
        return f"http://127.0.0.1:{self.server.server_address[1]}{self.prefix.rstrip('/')}"

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(TIMEOUT)


@contextmanager
def serve(folder: Path, prefix: str = "/"):
    """Serve ``folder`` on 127.0.0.1 under ``prefix``; yields the base URL (no trailing slash)."""
    with Server(folder, prefix) as server:
        yield server.base


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, prefix: str = "/", **kwargs):
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        clean = urllib.parse.urlsplit(path).path
        if not clean.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args) -> None:  # keep pytest's output readable
        pass


@contextmanager
def chrome(width: int = 1366, height: int = 1600):
    """A headless Chromium driven by Selenium (flags as this machine needs: no background networking)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    binary, driver_path = require_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                 "--force-device-scale-factor=1", f"--window-size={width},{height}"):
        options.add_argument(flag)
    # the DevTools network log: every request the page makes, including any that fail
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(TIMEOUT)
    driver.set_script_timeout(TIMEOUT)
    # a phone width smaller than the window's minimum: emulate the viewport instead
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver, condition, message: str):
    """Poll ``condition(driver)`` until it returns something truthy; fail with ``message`` at the deadline."""
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, TIMEOUT, poll_frequency=0.05).until(condition, message)


def open_page(driver, url: str, scheme: str | None = None) -> None:
    """Navigate and wait until the page is ready (load event, then Material's first render). Each page
    opens as a first-time visitor sees it: the palette a reader chose on an earlier page (Material keeps it
    in localStorage) is forgotten first. With ``scheme``, the page must open in that colour scheme."""
    try:
        driver.execute_script("try { localStorage.clear(); } catch (e) {}")
    except Exception:  # no page loaded yet (about:blank, data:): nothing stored
        pass
    driver.get(url)
    driver.execute_async_script(_READY)
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete", f"{url} never finished loading")
    if scheme is not None:
        wait_for(driver, lambda d: d.execute_script("return document.body.getAttribute('data-md-color-scheme')") == scheme,
                 f"{url} did not open in the {scheme} colour scheme")


def switch_scheme(driver, scheme: str) -> None:
    """Switch Material's palette with the header's own toggle (a reader's click), until ``scheme`` applies."""
    from selenium.webdriver.common.by import By

    def toggle(d):
        labels = [e for e in d.find_elements(By.CSS_SELECTOR, "label[for^='__palette_']") if e.is_displayed()]
        return labels[0] if labels else None

    wait_for(driver, toggle, "no palette toggle is shown").click()
    wait_for(driver, lambda d: d.execute_script("return document.body.getAttribute('data-md-color-scheme')") == scheme,
             f"the palette toggle never switched to {scheme}")
    # the switch is done when the colours have finished changing (the theme animates them)
    wait_for(driver, lambda d: d.execute_script("return document.getAnimations().every(a => a.playState !== 'running')"),
             "the colours never finished changing")


def wait_image(driver, element) -> int:
    """Wait until an <img> is decoded; its natural width."""
    return wait_for(driver, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", element),
                    "image never finished loading")


def requested_urls(driver) -> list[str]:
    """Every URL requested since the last call (DevTools network log), plus the page's resource
    timing entries: together they catch requests that failed as well as those that loaded."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    urls += driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return urls


def outside(urls: list[str]) -> list[str]:
    """The URLs that leave 127.0.0.1 (data: and blob: URLs stay in the page)."""
    return sorted({u for u in urls if urllib.parse.urlsplit(u).scheme not in ("data", "blob", "about")
                   and urllib.parse.urlsplit(u).hostname != "127.0.0.1"})


def axe_violations(driver, axe_source: str, impacts=("serious", "critical"), tags: list[str] | None = None) -> list[dict]:
    """Run axe-core (injected from its own file) on the current page: the rules it runs by default, or
    those of them with one of ``tags`` (such as ``cat.color``); the violations of ``impacts``."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(axe_source)
    result = driver.execute_async_script(
        "const [tags, done] = arguments;"
        "const options = {resultTypes: ['violations']};"
        "if (tags) { options.runOnly = {type: 'rule', values: axe.getRules(tags)"
        "  .filter(r => !r.tags.includes('wcag2aaa') && !r.tags.includes('experimental')).map(r => r.ruleId)}; }"
        "axe.run(document, options).then(r => done(JSON.stringify(r.violations)), e => done('ERROR ' + e));", tags)
    if result.startswith("ERROR"):
        raise AssertionError(f"axe-core failed: {result}")
    return [v for v in json.loads(result) if v.get("impact") in impacts]


def full_screenshot(driver, path: Path, max_height: int = 16000) -> None:
    """A PNG of the whole page (not only the viewport), cut at ``max_height`` pixels."""
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], max_height), "scale": 1}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True})
    Path(path).write_bytes(base64.b64decode(shot["data"]))

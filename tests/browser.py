"""Headless Chromium for the browser tests, with explicit waits (never sleeps).

Every page is used only once it is ready: the load event has fired and, on Material pages,
the theme's ``document$`` observable has emitted (its scripts have finished rewriting the
page). Everything else a test waits for (a hash after a click, an image decoded) is a
condition polled by WebDriverWait with a deadline, so a slow machine makes a test slower,
never wrong.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
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


@contextmanager
def serve(folder: Path):
    """Serve ``folder`` on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(TIMEOUT)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
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
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--window-size={width},{height}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(TIMEOUT)
    driver.set_script_timeout(TIMEOUT)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver, condition, message: str):
    """Poll ``condition(driver)`` until it returns something truthy; fail with ``message`` at the deadline."""
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, TIMEOUT, poll_frequency=0.05).until(condition, message)


def open_page(driver, url: str) -> None:
    """Navigate and wait until the page is ready (load event, then Material's first render)."""
    driver.get(url)
    driver.execute_async_script(_READY)
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete", f"{url} never finished loading")


def wait_image(driver, element) -> int:
    """Wait until an <img> is decoded; its natural width."""
    return wait_for(driver, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", element),
                    "image never finished loading")

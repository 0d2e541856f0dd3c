"""The library as a wheel and as a source archive (sdist), built when the site is built and published
under downloads/, so that a reader with nothing but Python can ``pip install`` it from the site's own
address, and anyone can get the files the pages cite that the data zip does not hold (curation/,
benchmarks/, tests/).

Built with hatchling (the project's build backend) in-process, once per site build, from a copy of
the project that holds the package the site publishes (in a git checkout: the files git does not
ignore, what hatchling would take from the checkout itself). An unreleased preview is built as a PEP 440 development release of
its version (kordata.release_state.preview_version: ``0.2.0.dev20261126``), so pip never takes it for
the release; the copy's pyproject.toml gets that version as a static one (hatchling reads it from
datapackage.json otherwise, and datapackage.json keeps the version itself). The day is
$SOURCE_DATE_EPOCH's when set (the reproducible-builds convention, which hatchling also follows for
file times), else today's. A package copy without a pyproject.toml (a folder of data only) has no
wheel or sdist, and the pages say so instead of offering one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kordata.release_state import preview_version

# What is never part of the project's files, in a copy that is not a git checkout.
IGNORED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "site",
    "dist",
    "build",
    "node_modules",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".hypothesis",
    "site-screenshots",
)


@dataclass(frozen=True)
class Dist:
    name: str
    data: bytes


Wheel = Dist


@contextmanager
def _cwd(path: Path):
    # hatchling's PEP 517 hooks build the project in the working directory
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def build_day() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit() else dt.datetime.now(dt.UTC)
    return when.date().isoformat()


def _copy(project: Path, to: Path) -> None:
    tracked = None
    if (project / ".git").exists() and shutil.which("git"):
        listing = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        done = subprocess.run(listing, cwd=project, capture_output=True, timeout=60)
        tracked = [p for p in done.stdout.decode().split("\0") if p] if done.returncode == 0 else None
    if tracked is None:
        shutil.copytree(project, to, ignore=IGNORED, symlinks=True)
        return
    for relative in tracked:
        source = project / relative
        if source.is_file():
            (to / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, to / relative)


def static_version(pyproject: str, version: str) -> str:
    """pyproject.toml with ``version`` as a static project version instead of the one read from datapackage.json."""
    out = re.sub(r'^dynamic = \["version"\]\n', f'version = "{version}"\n', pyproject, count=1, flags=re.M)
    return re.sub(r"^\[tool\.hatch\.version\]\n(?:[^\[\n].*\n)*", "", out, count=1, flags=re.M)


def build(project: Path, release) -> tuple[Dist | None, Dist | None]:
    """(wheel, sdist) of ``project`` (a folder with pyproject.toml), or (None, None) when it has none."""
    if not (project / "pyproject.toml").is_file():
        return None, None
    with tempfile.TemporaryDirectory(prefix="kordata-dist-") as tmp:
        src, out = Path(tmp) / "project", Path(tmp) / "out"
        out.mkdir()
        _copy(project, src)
        if not release.released:
            pyproject = src / "pyproject.toml"
            pyproject.write_text(static_version(pyproject.read_text(encoding="utf-8"), preview_version(release.version, build_day())))
        try:
            from hatchling.build import build_sdist, build_wheel
        except ImportError:  # no hatchling beside MkDocs: the standard front end, in its own environment
            subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=600)
        else:
            with _cwd(src):
                build_wheel(str(out))
                build_sdist(str(out))
        (wheel,) = out.glob("*.whl")
        (sdist,) = out.glob("*.tar.gz")
        return Dist(wheel.name, wheel.read_bytes()), Dist(sdist.name, sdist.read_bytes())

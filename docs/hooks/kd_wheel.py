"""The library as a wheel, built when the site is built and published under downloads/, so that a
reader with nothing but Python can ``pip install`` it from the site's own address.

Built with hatchling (the project's build backend) in-process, once per site build, from the
project that holds the package the site publishes. A package copy without a pyproject.toml (a
folder of data only) has no wheel, and the pages say so instead of offering one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Wheel:
    name: str
    data: bytes


@contextmanager
def _cwd(path: Path):
    # hatchling's PEP 517 hooks build the project in the working directory
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def build(project: Path) -> Wheel | None:
    """The wheel of ``project`` (a folder with pyproject.toml), or None when it has none."""
    if not (project / "pyproject.toml").is_file():
        return None
    with tempfile.TemporaryDirectory(prefix="kordata-wheel-") as out:
        try:
            from hatchling.build import build_wheel
        except ImportError:  # no hatchling beside MkDocs: the standard front end, in its own environment
            subprocess.run(
                [sys.executable, "-m", "build", "--wheel", "--outdir", out, str(project)], check=True, capture_output=True, timeout=600
            )
        else:
            with _cwd(project):
                build_wheel(out)
        (path,) = Path(out).glob("*.whl")
        return Wheel(path.name, path.read_bytes())

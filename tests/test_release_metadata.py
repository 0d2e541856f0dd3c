"""One version in one place (datapackage.json); every other copy agrees; CITATION.cff validates."""
import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from conftest import ROOT

import kordata
from kordata.refresh import generated_files

VERSION = json.loads((ROOT / "datapackage.json").read_text())["version"]


def test_every_copy_of_the_version_agrees():
    assert kordata.__version__ == VERSION == version("kordata")
    assert f'version: "{VERSION}"' in (ROOT / "CITATION.cff").read_text()
    assert f"## [{VERSION}]" in (ROOT / "CHANGELOG.md").read_text()


def test_citation_cff_validates_against_the_cff_schema():
    exe = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run([str(exe), "--builtin-schema", "vendor.citation-file-format", str(ROOT / "CITATION.cff")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bumping_the_version_in_its_one_place_updates_every_generated_copy(tmp_path):
    for part in ("datapackage.json", "data", "schemas", "seeds"):
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, tmp_path / part)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    descriptor["version"] = "9.8.7"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    files = generated_files(tmp_path)
    assert json.loads(files["datapackage.json"])["version"] == "9.8.7"
    assert 'version: "9.8.7"' in files["CITATION.cff"]
    # and the shipped CITATION.cff, generated from the unbumped descriptor, is now stale: the freshness test would fail
    assert files["CITATION.cff"] != (ROOT / "CITATION.cff").read_text()
    assert kordata.cite("bibtex", tmp_path).count("9.8.7") >= 2

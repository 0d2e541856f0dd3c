"""One version in one place (datapackage.json); every other copy agrees; CITATION.cff validates."""
import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import yaml

from conftest import ROOT, copy_package

import kordata
from kordata.build.refresh import generated_files

VERSION = json.loads((ROOT / "datapackage.json").read_text())["version"]


def test_every_copy_of_the_version_agrees():
    assert kordata.__version__ == VERSION == version("kordata")
    assert yaml.safe_load((ROOT / "CITATION.cff").read_text())["version"] == VERSION
    assert f"## [{VERSION}]" in (ROOT / "CHANGELOG.md").read_text()


def test_citation_cff_validates_against_the_cff_schema():
    exe = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run([str(exe), "--builtin-schema", "vendor.citation-file-format", str(ROOT / "CITATION.cff")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bumping_the_version_in_its_one_place_updates_every_generated_copy(tmp_path):
    copy_package(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    descriptor["version"] = "9.8.7"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    files = generated_files(tmp_path)
    assert json.loads(files["datapackage.json"])["version"] == "9.8.7"
    assert yaml.safe_load(files["CITATION.cff"])["version"] == "9.8.7"
    # and the shipped CITATION.cff, generated from the unbumped descriptor, is now stale: the freshness test would fail
    assert files["CITATION.cff"] != (ROOT / "CITATION.cff").read_text()
    assert kordata.cite("bibtex", tmp_path).count("9.8.7") >= 2


def test_croissant_validates_with_mlcroissant():
    exe = Path(sys.executable).parent / "mlcroissant"
    result = subprocess.run([str(exe), "validate", "--jsonld", str(ROOT / "croissant.json")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not standard" not in result.stderr
    doc = json.loads((ROOT / "croissant.json").read_text())
    assert [rs["name"] for rs in doc["recordSet"]] == kordata.get_table_names()
    assert all(len(f["sha256"]) == 64 for f in doc["distribution"])


def test_zenodo_metadata_deposits_a_dataset():
    doc = json.loads((ROOT / ".zenodo.json").read_text())
    assert doc["upload_type"] == "dataset" and doc["version"] == VERSION and doc["license"] == "cc-by-4.0"


def _release_repo(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    for part in ("datapackage.json", "data", "schemas", "seeds", "curation", "releases", "CHANGELOG.md", "CITATION.cff",
                 ".zenodo.json", "croissant.json"):
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / part)
    return root


def _bump(root, version):
    d = json.loads((root / "datapackage.json").read_text())
    d["version"] = version
    (root / "datapackage.json").write_text(json.dumps(d, indent=2))


def test_release_command_refuses_until_everything_agrees(tmp_path):
    from kordata.build.refresh import main as refresh
    from kordata.build.release import main as release
    root = _release_repo(tmp_path)
    version = json.loads((root / "datapackage.json").read_text())["version"]
    if (root / "releases" / f"{version}.json").is_file():
        assert release([str(root), "--check"]) == 1  # the current version is already released
    else:
        assert release([str(root), "--date", "2026-12-01"]) == 0  # an Unreleased version is released once
        assert release([str(root), "--check"]) == 1  # and then refused
    major, minor, patch = (int(x) for x in version.split("."))
    bumped = f"{major}.{minor}.{patch + 1}"
    _bump(root, bumped)
    assert release([str(root), "--check"]) == 1  # stale generated files, no changelog entry
    refresh([str(root)])
    assert release([str(root), "--check"]) == 1  # still no changelog entry
    changelog = (root / "CHANGELOG.md").read_text()
    first = changelog.index("## [")
    (root / "CHANGELOG.md").write_text(changelog[:first] + f"## [{bumped}] - 2026-12-02\n\n### Changed\n- Metadata only.\n\n" + changelog[first:])
    assert release([str(root), "--date", "2026-12-02"]) == 0
    assert json.loads((root / "releases" / f"{bumped}.json").read_text())["version"] == bumped
    assert release([str(root), "--check"]) == 1  # and now it is released


def test_cite_names_the_doi_once_recorded(tmp_path):
    copy_package(tmp_path)
    d = json.loads((tmp_path / "datapackage.json").read_text())
    d["id"] = "https://doi.org/10.5281/zenodo.0000000"
    (tmp_path / "datapackage.json").write_text(json.dumps(d))
    assert "https://doi.org/10.5281/zenodo.0000000" in kordata.cite("text", tmp_path)
    assert "doi = {10.5281/zenodo.0000000}" in kordata.cite("bibtex", tmp_path)
    assert yaml.safe_load(kordata.cite("cff", tmp_path))["doi"] == "10.5281/zenodo.0000000"
    assert "doi" not in kordata.cite("bibtex")  # none recorded for the shipped release


def test_version_after_a_bump_needs_no_reinstall(tmp_path):
    """The documented release step bumps datapackage.json; code running from src/ (as in an editable
    install) reports the new version at once, in the CLI and in the library."""
    import os
    import shutil as _shutil
    repo = copy_package(tmp_path / "repo")
    _shutil.copytree(ROOT / "src", repo / "src", ignore=_shutil.ignore_patterns("__pycache__"))
    descriptor = json.loads((repo / "datapackage.json").read_text())
    descriptor["version"] = "1.0.0-rc.1"
    (repo / "datapackage.json").write_text(json.dumps(descriptor))
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    cli = subprocess.run([sys.executable, "-m", "kordata", "--version"], capture_output=True, text=True, env=env, cwd=tmp_path)
    lib = subprocess.run([sys.executable, "-c", "import kordata; print(kordata.__version__, kordata.Package.open().root)"],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert cli.stdout.strip() == "kordata 1.0.0-rc.1", cli.stderr
    assert lib.stdout.split() == ["1.0.0-rc.1", str(repo)], lib.stderr


def test_release_rules_read_semver_pre_releases():
    from kordata.releases import breaking_part, parse_version
    assert breaking_part("1.0.0-rc.1") == (1, 0) and breaking_part("0.2.0") == (0, 2)
    assert parse_version("1.0.0-rc.1") < parse_version("1.0.0")
    import pytest as _pytest
    with _pytest.raises(kordata.KordataError, match="not a valid version"):
        parse_version("one")

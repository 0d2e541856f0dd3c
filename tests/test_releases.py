"""Released data is immutable, and ``kordata diff`` reports what changed between two releases."""
import json

from conftest import ROOT, copy_package, edit_cell, run_kordata
from test_corruptions import orphan_actor, rows_of, write_rows

from kordata.package import Package
from kordata.releases import diff, immutability_problems, manifest

RELEASES = sorted((ROOT / "releases").glob("*.json"))


def test_every_release_has_a_manifest_and_the_current_one_matches_the_data():
    current = Package.open(ROOT)
    manifest_path = ROOT / "releases" / f"{current.version}.json"
    unreleased = f"## [{current.version}] - Unreleased" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert RELEASES and (manifest_path.is_file() or unreleased), "the current version has no manifest and is not marked Unreleased"
    if not manifest_path.is_file():
        return  # work in progress towards the next release: nothing released to compare against yet
    recorded = json.loads(manifest_path.read_text())
    assert recorded["tables"] == manifest(current, recorded["date"])["tables"], \
        "the data changed after release: bump the version, add a changelog entry and write a new manifest"


def test_released_ids_survive_and_released_rows_change_only_with_a_bump():
    assert immutability_problems(ROOT) == []


def test_diff_reports_added_removed_and_changed_rows(tmp_path):
    old = copy_package(tmp_path / "old")
    new = copy_package(tmp_path / "new")
    orphan_actor(new)                                                       # added: act-nobody
    rows = rows_of(new, "figures")
    write_rows(new, "figures", [r for r in rows if r[0] != "fig-prk-soldiers-1500"])   # removed
    edit_cell(new, "events", "evt-kim-briefing", "status", "ongoing")       # changed
    result = diff(old, new)
    assert result["tables"]["actors"]["added"] == ["act-nobody"]
    assert result["tables"]["figures"]["removed"] == ["fig-prk-soldiers-1500"]
    assert result["tables"]["events"]["changed"] == {"evt-kim-briefing": {"status": ["occurred", "ongoing"]}}
    assert result["tables"]["claims"] == {"added": [], "removed": [], "changed": {}, "columns_added": [], "columns_removed": []}
    text = run_kordata("diff", str(old), str(new))
    assert text.returncode == 0
    assert "+ act-nobody" in text.stdout and "- fig-prk-soldiers-1500" in text.stdout
    assert "~ evt-kim-briefing.status: 'occurred' -> 'ongoing'" in text.stdout
    as_json = json.loads(run_kordata("diff", "--json", str(old), str(new)).stdout)
    assert as_json == json.loads(json.dumps(result))


def _repo_copy(tmp_path):
    """A repository copy whose release 0.1.0 is the copy's own data (the shipped data moves on between releases)."""
    import shutil
    root = copy_package(tmp_path / "repo")
    shutil.copytree(ROOT / "releases", root / "releases")
    shutil.copy2(ROOT / "CHANGELOG.md", root / "CHANGELOG.md")
    released = manifest(Package.open(root), "2026-11-25") | {"version": "0.1.0"}
    (root / "releases" / "0.1.0.json").write_text(json.dumps(released), encoding="utf-8")
    return root


def _set_version(root, version):
    d = json.loads((root / "datapackage.json").read_text())
    d["version"] = version
    (root / "datapackage.json").write_text(json.dumps(d))


def test_a_silent_edit_of_a_released_row_fails(tmp_path):
    root = _repo_copy(tmp_path)
    _set_version(root, "0.1.0")  # the copy as released in 0.1.0
    edit_cell(root, "claims", "clm-prk-blew-up-roads", "certainty", "PR+")
    assert immutability_problems(root) == ["claims: rows released in 0.1.0 changed without a version bump: clm-prk-blew-up-roads"]
    _set_version(root, "0.1.1")
    assert "does not name the table" in immutability_problems(root)[0]
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.1] - 2026-12-01\n\n### Fixed\n- claims: certainty of clm-prk-blew-up-roads.\n")
    assert immutability_problems(root) == []


def test_a_removed_released_id_needs_a_breaking_bump(tmp_path):
    root = _repo_copy(tmp_path)
    write_rows(root, "figures", [r for r in rows_of(root, "figures") if r[0] != "fig-prk-soldiers-1500"])
    _set_version(root, "0.1.1")
    assert "fig-prk-soldiers-1500" in immutability_problems(root)[0]
    _set_version(root, "0.2.0")
    assert immutability_problems(root) == []

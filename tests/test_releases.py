"""Released data is immutable and anchored: a copy that claims a released version must be that
release (descriptor, schemas, seeds, rows), the release tool records each release in CHANGELOG.md and
never releases a version twice, and ``kordata diff`` reports what changed between two releases."""
import hashlib
import json
import re
import shutil

import pytest
from conftest import ROOT, copy_package, run_kordata
from damage import SEED, add_row, drop_figure, drop_rows, edit_descriptor, edit_schema, edit_seed, field, row_id, rows, set_cells

from kordata.build.release import main as release
from kordata.package import Package
from kordata.releases import diff, immutability_problems, ledger, load_manifest, manifest, read_changelog

import kordata

RELEASES = sorted((ROOT / "releases").glob("*.json"))
REPO_PARTS = ("datapackage.json", "data", "schemas", "seeds", "curation", "releases", "CHANGELOG.md", "CITATION.cff", ".zenodo.json",
              "croissant.json")


def repo_copy(dest):
    dest.mkdir(parents=True)
    for part in REPO_PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / part)
    return dest


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A repository in which the current version has been released by the release tool: the trusted root."""
    root = repo_copy(tmp_path_factory.mktemp("released") / "repo")
    version = Package.open(root).version
    if not (root / "releases" / f"{version}.json").exists():
        assert release([str(root), "--date", "2026-12-01"]) == 0
    return root


@pytest.fixture
def claimed(released, tmp_path):
    """A copy of the released package, to be tampered with."""
    dest = tmp_path / "copy"
    dest.mkdir()
    for part in ("datapackage.json", "data", "schemas", "seeds"):
        src = released / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / part)
    return dest


def failures(path, reference):
    return [(f.table, f.row_id, f.column, f.rule) for f in kordata.validate(path, reference=reference).failures]


def test_every_release_has_a_manifest_and_the_current_one_matches_the_data():
    current = Package.open(ROOT)
    changelog = read_changelog(ROOT)
    manifest_path = ROOT / "releases" / f"{current.version}.json"
    assert RELEASES and (manifest_path.is_file() or f"## [{current.version}] - Unreleased" in changelog), \
        "the current version has no manifest and is not marked Unreleased"
    for path in RELEASES:  # each manifest is the one CHANGELOG.md records
        assert ledger(changelog)[path.stem] == hashlib.sha256(path.read_bytes()).hexdigest(), path
    if manifest_path.is_file():
        recorded = load_manifest(manifest_path)
        assert recorded["tables"] == manifest(current, recorded["date"])["tables"], \
            "the data changed after release: bump the version, add a changelog entry and write a new manifest"


def test_released_ids_survive_and_released_rows_change_only_with_a_bump():
    assert immutability_problems(ROOT) == []


def test_the_release_tool_records_the_release_and_never_repeats_it(released):
    version = Package.open(released).version
    changelog = read_changelog(released)
    path = released / "releases" / f"{version}.json"
    assert ledger(changelog)[version] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert f"## [{version}] - Unreleased" not in changelog
    recorded = load_manifest(path)
    assert recorded["format"] == 2 and set(recorded["schemas"]) == {f"schemas/{t}.json" for t in recorded["tables"]}
    assert recorded["seeds"] == {SEED: hashlib.sha256((released / SEED).read_bytes()).hexdigest()}
    assert release([str(released), "--check"]) == 1  # released: refused


def test_a_deleted_manifest_is_never_released_again(released, tmp_path, capsys):
    root = repo_copy(tmp_path / "repo")
    for part in ("releases", "CHANGELOG.md"):
        src = released / part
        shutil.rmtree(root / part) if (root / part).is_dir() else (root / part).unlink()
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / part)
    version = Package.open(root).version
    (root / "releases" / f"{version}.json").unlink()
    capsys.readouterr()
    assert release([str(root), "--check"]) == 1
    assert f"version {version} is already released (CHANGELOG.md records it)" in capsys.readouterr().out
    assert "missing" in " ".join(f.message for f in kordata.validate(root, reference=root).failures if f.rule == "release-manifest")


def test_an_altered_manifest_is_caught(released, tmp_path):
    root = repo_copy(tmp_path / "repo")
    shutil.rmtree(root / "releases")
    shutil.copytree(released / "releases", root / "releases")
    shutil.copy2(released / "CHANGELOG.md", root / "CHANGELOG.md")
    path = root / "releases" / f"{Package.open(root).version}.json"
    text = path.read_text()
    altered = re.sub(r'"date": "\d{4}-\d{2}-\d{2}"', '"date": "1999-01-01"', text, count=1)
    assert altered != text
    path.write_text(altered)
    assert (f"releases/{Package.open(root).version}.json", "", "", "release-manifest") in failures(root, root)


@pytest.mark.parametrize("content, needle", [(b"\xff\xfe not utf-8", "not UTF-8"), (b"{", "not valid JSON"), (b"[]", "malformed")])
def test_a_malformed_manifest_or_changelog_is_one_line_and_exit_2(tmp_path, capsys, content, needle):
    root = repo_copy(tmp_path / "repo")
    target = root / "releases" / "0.1.0.json" if content != b"\xff\xfe not utf-8" else root / "CHANGELOG.md"
    target.write_bytes(content)
    capsys.readouterr()
    assert release([str(root), "--check"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0] and "Traceback" not in err[0]


def test_the_released_copy_passes(claimed, released):
    report = kordata.validate(claimed, reference=released)
    assert report.ok, report.to_text()
    assert "compared with the manifest" in next(c.description for c in report.checks if c.name == "release")


def test_a_widened_enum_fails_against_the_release(claimed, released):
    edit_schema(claimed, "events", lambda s: field(s, "status")["constraints"]["enum"].append("rumoured"))
    set_cells(claimed, "events", row_id(claimed, "events"), status="rumoured")
    found = failures(claimed, released)
    assert ("events", "", "", "released-schema") in found
    assert ("events", row_id(claimed, "events"), "status", "released-row") in found


def test_emptied_foreign_keys_fail_against_the_release(claimed, released):
    edit_schema(claimed, "figures", lambda s: s.update(foreignKeys=[]))
    assert ("figures", "", "", "released-schema") in failures(claimed, released)


def test_a_dropped_constraint_fails_against_the_release(claimed, released):
    edit_schema(claimed, "claims", lambda s: field(s, "proposition").pop("constraints"))
    assert ("claims", "", "", "released-schema") in failures(claimed, released)


def test_a_seed_edited_in_place_with_its_hash_updated_fails_against_the_release(claimed, released):
    edit_seed(claimed, "blew up", "blew off")
    found = failures(claimed, released)
    doc = row_id(claimed, "documents")
    assert ("documents", "", "path", "released-seed") in found
    assert ("documents", doc, "sha256", "released-row") in found


def test_an_edited_released_row_is_named_by_column(claimed, released):
    rid = row_id(claimed, "claims")
    set_cells(claimed, "claims", rid, certainty="PR+")
    assert ("claims", rid, "certainty", "released-row") in failures(claimed, released)


def test_a_removed_and_an_added_row_fail_against_the_release(claimed, released):
    gone = rows(claimed, "figures")[0]["figure_id"]
    drop_figure(claimed, gone)
    add_row(claimed, "event_participants", participant_id="par-added")
    found = failures(claimed, released)
    assert ("figures", gone, "", "released-row") in found
    assert ("event_participants", "par-added", "", "released-row") in found


def test_an_edited_descriptor_fails_against_the_release(claimed, released):
    edit_descriptor(claimed, lambda d: d.update(description=d["description"] + " Edited."))
    assert ("datapackage.json", "", "", "released-descriptor") in failures(claimed, released)


def test_expected_resources_come_from_the_release(claimed, released):
    edit_descriptor(claimed, lambda d: d["resources"].remove(next(r for r in d["resources"] if r["name"] == "sources")))
    assert ("sources", "", "", "resource-missing") in failures(claimed, released)


def test_the_first_release_keeps_its_format_and_is_recorded():
    """0.1.0 was released with a manifest of tables and rows only (format 1): kept byte for byte, its
    hash in CHANGELOG.md; a copy claiming 0.1.0 is compared on what it records."""
    first = ROOT / "releases" / "0.1.0.json"
    recorded = load_manifest(first)
    assert "format" not in recorded and set(recorded) == {"version", "date", "tables"}
    assert ledger(read_changelog(ROOT))["0.1.0"] == hashlib.sha256(first.read_bytes()).hexdigest()


def test_a_copy_claiming_the_first_release_is_compared_on_its_rows(package_copy):
    edit_descriptor(package_copy, lambda d: d.update(version="0.1.0"))
    report = kordata.validate(package_copy)
    release_check = next(c for c in report.checks if c.name == "release")
    assert "format 1" in release_check.description
    assert any(f.rule == "released-row" for f in release_check.failures)  # 0.2.0's rows are not 0.1.0's


def test_diff_reports_added_removed_changed_and_duplicated_rows(tmp_path):
    old = copy_package(tmp_path / "old")
    new = copy_package(tmp_path / "new")
    add_row(new, "actors", actor_id="act-nobody")
    gone = rows(new, "figures")[0]["figure_id"]
    drop_figure(new, gone)
    event = row_id(new, "events", status="occurred")
    set_cells(new, "events", event, status="ongoing")
    result = diff(old, new)
    assert result["tables"]["actors"]["added"] == ["act-nobody"]
    assert result["tables"]["figures"]["removed"] == [gone]
    assert result["tables"]["events"]["changed"] == {event: {"status": ["occurred", "ongoing"]}}
    assert result["tables"]["claims"] == {"added": [], "removed": [], "changed": {}, "columns_added": [], "columns_removed": [],
                                          "duplicated_ids": {"old": [], "new": []}}
    text = run_kordata("diff", str(old), str(new))
    assert text.returncode == 0
    assert "+ act-nobody" in text.stdout and f"- {gone}" in text.stdout
    assert f"~ {event}.status: 'occurred' -> 'ongoing'" in text.stdout
    as_json = json.loads(run_kordata("diff", "--json", str(old), str(new)).stdout)
    assert as_json == json.loads(json.dumps(result))
    first = rows(new, "mentions")[0]["mention_id"]
    set_cells(new, "mentions", rows(new, "mentions")[1]["mention_id"], mention_id=first)
    assert diff(old, new)["tables"]["mentions"]["duplicated_ids"] == {"old": [], "new": [first]}


def _set_version(root, version):
    edit_descriptor(root, lambda d: d.update(version=version))


def _released_as_is(root) -> str:
    """The copy as if its own data were released under its version (already so once that version is released)."""
    version = Package.open(root).version
    path = root / "releases" / f"{version}.json"
    if not path.exists():
        path.write_text(json.dumps(manifest(Package.open(root), "2026-11-25")), encoding="utf-8")
    return version


def _bumped(version: str, part: str) -> str:
    major, minor, patch = (int(p) for p in version.split("."))
    return f"{major}.{minor}.{patch + 1}" if part == "patch" else f"{major}.{minor + 1}.0"


def test_a_silent_edit_of_a_released_row_fails(tmp_path):
    root = repo_copy(tmp_path / "repo")
    version = _released_as_is(root)
    released_rows = load_manifest(root / "releases" / f"{version}.json")["tables"]["figures"]["rows"]
    rid = next(r["figure_id"] for r in rows(root, "figures") if r["figure_id"] in released_rows)
    set_cells(root, "figures", rid, notes="edited")
    assert f"figures: rows released in {version} changed without a version bump: {rid}" in immutability_problems(root)
    _set_version(root, _bumped(version, "patch"))
    assert any("figures" in p and "no CHANGELOG.md entry" in p for p in immutability_problems(root))


def test_a_removed_released_id_needs_a_breaking_bump(tmp_path):
    root = repo_copy(tmp_path / "repo")
    version = _released_as_is(root)
    released_rows = load_manifest(root / "releases" / f"{version}.json")["tables"]["figures"]["rows"]
    gone = next(r["figure_id"] for r in rows(root, "figures") if r["figure_id"] in released_rows)
    drop_figure(root, gone)
    _set_version(root, _bumped(version, "patch"))
    assert any(gone in p for p in immutability_problems(root))
    _set_version(root, _bumped(version, "minor"))  # before 1.0 a minor version is the breaking one
    assert not any(gone in p for p in immutability_problems(root))


EARLIER = [p.stem for p in RELEASES if p.stem != Package.open(ROOT).version]


@pytest.mark.parametrize("damage", ["emptied", "gutted", "not UTF-8", "deleted"])
@pytest.mark.parametrize("trusted", ["checkout validating itself", "copy against the installed package"])
def test_every_ledger_entry_is_checked(damage, trusted, tmp_path):
    """Each release CHANGELOG.md records (not only the copy's own version) has its manifest, UTF-8,
    well formed, with the recorded sha256: at the trusted root and in a copy (-p)."""
    assert EARLIER, "no earlier release to damage"
    root = repo_copy(tmp_path / "repo")
    for version in EARLIER:
        path = root / "releases" / f"{version}.json"
        {"emptied": lambda: path.write_bytes(b""), "gutted": lambda: path.write_text("{}\n"),
         "not UTF-8": lambda: path.write_bytes(b"\xff\xfe{}"), "deleted": path.unlink}[damage]()
    reference = root if trusted.startswith("checkout") else ROOT
    found = failures(root, reference)
    for version in EARLIER:
        assert (f"releases/{version}.json", "", "", "release-manifest") in found, found
    assert kordata.validate(repo_copy(tmp_path / "clean"), reference=ROOT).ok


def test_the_pinned_seeds_of_format_1_releases_are_the_released_rows():
    """The seed sha256 pinned for a format-1 release is the one its documents row recorded: where that
    row is unchanged today, the pin is its sha256 (and the released row hash proves it)."""
    from kordata.releases import FORMAT_1_DOCUMENT_SEEDS, _rows, row_hash
    current = _rows(Package.open(ROOT), "documents")[1]
    for version, seeds in FORMAT_1_DOCUMENT_SEEDS.items():
        released = load_manifest(ROOT / "releases" / f"{version}.json")
        assert "format" not in released and set(seeds) == set(released["tables"]["documents"]["rows"])
        for document, sha in seeds.items():
            assert current[document]["sha256"] == sha
            if row_hash(current[document]) == released["tables"]["documents"]["rows"][document]:
                assert current[document]["sha256"] == sha
            assert hashlib.sha256((ROOT / current[document]["path"]).read_bytes()).hexdigest() == sha


def test_the_release_manifest_records_each_documents_seed(released):
    recorded = load_manifest(released / "releases" / f"{Package.open(released).version}.json")
    assert recorded["documents"] == {r["document_id"]: r["sha256"] for r in rows(released, "documents")}


@pytest.fixture(scope="module")
def unreleased(tmp_path_factory):
    """A repository whose version (the next minor one) has no release yet: the trusted root while work is in progress."""
    root = repo_copy(tmp_path_factory.mktemp("unreleased") / "repo")
    major, minor, _ = Package.open(root).version.split(".")
    edit_descriptor(root, lambda d: d.update(version=f"{major}.{int(minor) + 1}.0"))
    return root


@pytest.mark.parametrize("tamper, expected", [
    (lambda r: edit_schema(r, "events", lambda s: field(s, "status")["constraints"]["enum"].append("rumoured")),
     ("events", "", "", "trusted-schema")),
    (lambda r: edit_descriptor(r, lambda d: d.update(licenses=[{"name": "proprietary", "title": "All rights reserved"}])),
     ("datapackage.json", "", "", "trusted-descriptor")),
], ids=["widened enum", "licence replaced"])
def test_a_copy_of_an_unreleased_version_is_held_to_the_trusted_package(unreleased, tmp_path, tamper, expected):
    assert failures(unreleased, unreleased) == []
    copy = tmp_path / "copy"
    copy.mkdir()
    for part in ("datapackage.json", "data", "schemas", "seeds"):
        src = unreleased / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, copy / part)
    tamper(copy)
    assert expected in failures(copy, unreleased)

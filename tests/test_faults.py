"""Faults while writing: a process killed mid-export, a full disk, a read-only folder, concurrent
exports. The folder asked for holds the old files or the complete new ones, never a truncated file
under its final name, and a failed command says so on one line with exit 2."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, copy_package
from damage import row_id, set_cells

import kordata.exports

IS_ROOT = os.geteuid() == 0


def snapshot(folder: Path) -> dict[str, bytes]:
    """Final names only (temporaries are hidden and prefixed)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


@pytest.fixture
def old_and_new(tmp_path):
    """(an out folder holding the 'old' csv export, the 'new' package, the complete new export's files)."""
    old_pkg, new_pkg = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    for table in ("events", "claims", "mentions"):
        set_cells(new_pkg, table, row_id(new_pkg, table), notes="changed in the new package")
    out = tmp_path / "out"
    kordata.exports.export("csv", out, old_pkg)
    reference = tmp_path / "reference"
    kordata.exports.export("csv", reference, new_pkg)
    old, new = snapshot(out), snapshot(reference)
    assert old.keys() == new.keys() and old != new
    return out, new_pkg, old, new


def assert_old_or_complete_new(out: Path, old: dict, new: dict) -> None:
    now = snapshot(out)
    assert now.keys() == old.keys()
    for name, data in now.items():
        assert data in (old[name], new[name]), f"{name} is neither the old file nor the complete new one ({len(data)} bytes)"


CHILD = textwrap.dedent("""
    import os, sys, time
    import kordata.exports, kordata.exports.tabular as tabular
    out, package, when = sys.argv[1], sys.argv[2], sys.argv[3]
    calls = []
    if when == "writing":  # stop after the writer has written two tables into its temporary folder
        original = tabular.neutralise
        def neutralise(*args, **kwargs):
            calls.append(1)
            if len(calls) == 3:
                print("stopped", flush=True); time.sleep(60)
            return original(*args, **kwargs)
        tabular.neutralise = neutralise
    else:  # stop between two renames into the folder
        original = os.replace
        def replace(src, dst):
            original(src, dst)
            calls.append(1)
            if len(calls) == 2:
                print("stopped", flush=True); time.sleep(60)
        os.replace = replace
    kordata.exports.export("csv", out, package)
""")


@pytest.mark.parametrize("when", ["writing", "renaming"])
def test_an_export_killed_with_sigkill_leaves_old_or_complete_files(old_and_new, when):
    out, new_pkg, old, new = old_and_new
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(out), str(new_pkg), when], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "stopped"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert_old_or_complete_new(out, old, new)
    if when == "renaming":
        assert snapshot(out) != old and snapshot(out) != new  # killed half way: some files old, some new, none cut
    kordata.exports.export("csv", out, new_pkg)  # the next export completes, whatever was left behind
    assert snapshot(out) == new


FULL_DISK_CHILD = textwrap.dedent("""
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
    from kordata.cli import main
    sys.exit(main(sys.argv[2:]))
""")


@contextlib.contextmanager
def tmpfs(folder: Path, options: str):
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _export_with_a_file_size_limit(out, package, fmt="sqlite", limit=20_000):
    return subprocess.run([sys.executable, "-c", FULL_DISK_CHILD, str(limit), "export", fmt, "--out", str(out), "--package", str(package)],
                          capture_output=True, text=True, timeout=120)


def test_a_full_disk_fails_with_one_line_and_leaves_the_old_files(old_and_new):
    out, new_pkg, old, new = old_and_new
    result = _export_with_a_file_size_limit(out, new_pkg, "csv", 4_000)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "cannot write" in result.stderr and str(out) in result.stderr
    assert snapshot(out) == old
    assert not [p for p in out.iterdir() if p.name.startswith(".kordata-tmp-")]  # nothing left behind


@pytest.mark.skipif(not IS_ROOT, reason="mounting a small tmpfs needs root; the file-size limit test covers a full disk for everyone")
def _pages(folder: Path) -> int:
    """The 4 KiB pages tmpfs spends on the files under ``folder``."""
    return sum(-(-p.stat().st_size // 4096) for p in folder.rglob("*") if p.is_file())


def test_a_full_tmpfs_fails_with_one_line_and_leaves_the_old_files(tmp_path):
    # sized from today's exports: room for the w3c export and half of the parquet one
    kordata.exports.export("w3c", tmp_path / "w3c")
    kordata.exports.export("parquet", tmp_path / "parquet")
    pages = _pages(tmp_path / "w3c") + _pages(tmp_path / "parquet") // 2 + 2
    with tmpfs(tmp_path / "small", f"size={pages * 4}k") as out:
        kordata.exports.export("w3c", out)  # old files that fit
        old = snapshot(out)
        result = subprocess.run([sys.executable, "-m", "kordata", "export", "parquet", "--out", str(out)], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "No space left on device" in result.stderr
        assert snapshot(out) == old


@contextlib.contextmanager
def read_only(folder: Path):
    """A folder no process can write into: a read-only tmpfs mount for root (who ignores file modes),
    the folder's write permission removed for anyone else."""
    if IS_ROOT:
        with tmpfs(folder, "size=8m") as mounted:
            kordata.exports.export("csv", mounted)
            subprocess.run(["mount", "-o", "remount,ro", str(mounted)], check=True)
            yield mounted
    else:
        folder.mkdir(parents=True)
        kordata.exports.export("csv", folder)
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)


def test_a_read_only_folder_fails_with_one_line(tmp_path):
    with read_only(tmp_path / "ro") as out:
        old = snapshot(out)
        result = subprocess.run([sys.executable, "-m", "kordata", "export", "csv", "--out", str(out)], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Read-only file system" in result.stderr or "Permission denied" in result.stderr
        assert str(out) in result.stderr
        assert snapshot(out) == old


def test_refresh_and_release_fail_with_one_line_on_a_full_disk(tmp_path):
    root = copy_package(tmp_path / "repo")
    before = (root / "datapackage.json").read_bytes()
    set_cells(root, "figures", row_id(root, "figures"), notes="changed", rehash=False)
    child = textwrap.dedent("""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
        from kordata.build.refresh import main
        sys.exit(main([sys.argv[1]]))
    """)
    result = subprocess.run([sys.executable, "-c", child, str(root)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and "cannot write" in result.stderr, result.stderr
    assert (root / "datapackage.json").read_bytes() == before  # all or nothing: the descriptor is untouched
    assert not [p for p in root.iterdir() if p.name.startswith(".kordata-tmp-")]


def test_concurrent_exports_to_one_folder_do_not_corrupt_each_other(tmp_path):
    out = tmp_path / "shared"
    reference = tmp_path / "reference"
    kordata.exports.export("csv", reference, ROOT)
    expected = snapshot(reference)
    children = [subprocess.Popen([sys.executable, "-m", "kordata", "export", fmt, "--out", str(out)], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True) for fmt in ("csv", "csv", "csv", "parquet")]
    for child in children:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
    now = snapshot(out)
    assert {name: data for name, data in now.items() if name.endswith(".csv")} == expected
    import pyarrow.parquet as pq
    for name in now:
        if name.endswith(".parquet"):
            assert pq.read_table(out / name).num_rows == len(kordata.load(name.removesuffix(".parquet")))
    assert not [p for p in out.iterdir() if p.name.startswith(".kordata-tmp-")]

"""The sdist holds everything its tests need, and its tests pass from the unpacked sdist.

The sdist is built with `python -m build --sdist`, unpacked into a temporary folder, and checked two ways:
it holds every file git tracks (so any file a test reads is there: croissant.json, .zenodo.json, .ci/run,
benchmarks/, docs/...), and the tests that read the repository's files run inside it against its own
code (PYTHONPATH=<sdist>/src; the test checks that kordata is imported from there)."""
import os
import shutil
import subprocess
import sys
import tarfile

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

# The test files that read the files an sdist most easily loses (every generated file, fresh against the sdist's own
# sources: datapackage.json, Parquet copies, README card, CITATION.cff, .zenodo.json, croissant.json; the CI script;
# the profiles; the citation). The rest of the suite reads only the package itself (also checked above).
FILES = ["test_readme.py", "test_release_metadata.py", "test_dataset.py", "test_clients_standard.py", "test_clients_citation.py"]
SKIP = "not release_command and not version_after_a_bump"  # those two rebuild or copy the repository: slow, and not about the sdist


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    dist = tmp_path_factory.mktemp("sdist")
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--outdir", str(dist), str(ROOT)], check=True, capture_output=True,
                   timeout=600)
    (archive,) = dist.glob("kordata-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(dist, filter="data")
    (folder,) = [p for p in dist.iterdir() if p.is_dir()]
    return folder


def test_sdist_holds_every_tracked_file(unpacked):
    if not shutil.which("git") or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to compare the sdist with")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    missing = [path for path in tracked if (ROOT / path).exists() and not (unpacked / path).exists()]
    assert missing == []
    for needed in ("croissant.json", ".zenodo.json", "CITATION.cff", ".ci/run", "data/events.parquet", "benchmarks/bench_load.py"):
        assert (unpacked / needed).is_file(), needed


def test_tests_pass_from_the_unpacked_sdist(unpacked, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = str(unpacked / "src")
    where = subprocess.run([sys.executable, "-c", "import kordata; print(kordata.__file__, kordata.Package.open().root)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout.split()
    assert where == [str(unpacked / "src" / "kordata" / "__init__.py"), str(unpacked)]
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-m", "not slow", "-k", SKIP, "-p", "no:cacheprovider",
                             *[f"tests/{name}" for name in FILES]],
                            capture_output=True, text=True, env=env, cwd=unpacked, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout.splitlines()[-1] and " failed" not in result.stdout.splitlines()[-1]

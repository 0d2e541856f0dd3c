"""The built wheel, installed into a fresh venv, works from another directory."""
import json
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # builds and installs a wheel / runs the benchmarks


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheels = list(out.glob("kordata-*.whl"))
    assert len(wheels) == 1 and list(out.glob("kordata-*.tar.gz"))
    return wheels[0]


def test_wheel_carries_the_package_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("kordata/_data/datapackage.json", "kordata/_data/data/events.csv",
                     "kordata/_data/schemas/events.json", "kordata/_data/seeds/kor-weighs-weapons-for-ukraine.txt"):
        assert expected in names


def test_installed_wheel_loads_validates_and_passes_frictionless(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py, bin_ = venv / "bin" / "python", venv / "bin"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "-c", str(ROOT / "constraints.txt"), str(wheel)],
                   check=True, capture_output=True, timeout=900)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import kordata, sys; frames = kordata.load_all(); "
            "assert all(len(f) for f in frames.values()); "
            "assert str(frames['events']['status'].dtype) == 'category'; "
            "assert '_data' in kordata.Package.open().root.as_posix(); print(len(frames))")
    run = subprocess.run([str(py), "-c", code], cwd=elsewhere, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == str(len(json.loads((ROOT / "datapackage.json").read_text())["resources"])), run.stderr
    validate = subprocess.run([str(bin_ / "kordata"), "validate"], cwd=elsewhere, capture_output=True, text=True, timeout=300)
    assert validate.returncode == 0, validate.stdout
    root = subprocess.run([str(bin_ / "kordata"), "path"], cwd=elsewhere, capture_output=True, text=True, check=True).stdout.strip()
    fl = subprocess.run([str(bin_ / "frictionless"), "validate", f"{root}/datapackage.json"], cwd=elsewhere,
                        capture_output=True, text=True, timeout=300)
    assert fl.returncode == 0, fl.stdout

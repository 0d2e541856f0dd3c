"""The kordata command: each subcommand works, and mistakes give one line on stderr and exit 2."""
import pytest

from conftest import run_kordata

import kordata


def test_info_lists_tables_with_row_counts():
    out = run_kordata("info")
    assert out.returncode == 0
    assert f"version {kordata.__version__}" in out.stdout and "CC-BY-4.0" in out.stdout
    for name, frame in kordata.load_all().items():  # every table on its own line with its row count
        assert any(line.split()[:3] == [name, str(len(frame)), "rows"] for line in out.stdout.splitlines()), name


def test_show_and_path_and_coverage():
    show = run_kordata("show", "events", "-n", "3", "-c", "event_id,status")
    events = kordata.load("events")
    assert show.returncode == 0 and events["event_id"].iloc[0] in show.stdout and f"({len(events)} rows)" in show.stdout
    assert events["event_id"].iloc[3] not in show.stdout  # -n 3: only the first three rows
    path = run_kordata("path")
    assert path.returncode == 0 and (__import__("pathlib").Path(path.stdout.strip()) / "datapackage.json").is_file()
    cov = run_kordata("coverage")
    sentences = kordata.load("sentences")
    label = sentences[~sentences["carries_content"]]["sentence_id"].iloc[0]
    assert cov.returncode == 0 and f"{label} (no content)" in cov.stdout


def test_cite_formats():
    text = run_kordata("cite")
    assert text.returncode == 0 and f"(Version {kordata.__version__})" in text.stdout
    bib = run_kordata("cite", "--format", "bibtex")
    import bibtexparser
    entries = bibtexparser.loads(bib.stdout).entries
    assert len(entries) == 1 and entries[0]["version"] == kordata.__version__ and entries[0]["ENTRYTYPE"] == "misc"
    cff = run_kordata("cite", "--format", "cff")
    import yaml
    assert yaml.safe_load(cff.stdout)["type"] == "dataset" and yaml.safe_load(cff.stdout)["version"] == kordata.__version__


@pytest.mark.parametrize("args, needle", [
    (["show", "evnts"], "unknown table 'evnts'"),
    (["show", "events", "-c", "nope"], "has no column nope"),
    (["validate", "/no/such/place"], None),
    (["cite", "--format", "ris"], "Invalid value for '-f' / '--format'"),
    (["frobnicate"], "No such command 'frobnicate'"),
    (["show", "events", "--package", "/no/such/place"], "cannot read"),
])
def test_mistakes_give_one_line_and_exit_2(args, needle):
    out = run_kordata(*args)
    if needle is None:  # validate reports a missing package as a failed validation, exit 1
        assert out.returncode == 1 and "cannot read" in out.stdout
        return
    assert out.returncode == 2, out
    assert len(out.stderr.strip().splitlines()) == 1 and needle in out.stderr
    assert "Traceback" not in out.stderr


def test_help_and_version():
    assert "validate" in run_kordata("--help").stdout
    assert run_kordata("--version").stdout.strip() == f"kordata {kordata.__version__}"

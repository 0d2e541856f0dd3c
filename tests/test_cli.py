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
    assert show.returncode == 0 and events["event_id"].iloc[0] in show.stdout and f"3 of {len(events)} rows" in show.stdout
    assert events["event_id"].iloc[3] not in show.stdout  # -n 3: only the first three rows
    path = run_kordata("path")
    assert path.returncode == 0 and (__import__("pathlib").Path(path.stdout.strip()) / "datapackage.json").is_file()
    cov = run_kordata("coverage")
    sentences = kordata.load("sentences")
    label = sentences[~sentences["carries_content"]]["sentence_id"].iloc[0]
    assert cov.returncode == 0 and f"{label} (no content)" in cov.stdout


def test_cite_formats():
    text = run_kordata("cite")
    assert text.returncode == 0 and f"(Version {kordata.__version__}" in text.stdout
    bib = run_kordata("cite", "--format", "bibtex")
    import bibtexparser
    entries = bibtexparser.loads(bib.stdout).entries
    assert len(entries) == 1 and entries[0]["version"] == kordata.__version__ and entries[0]["ENTRYTYPE"] == "misc"
    cff = run_kordata("cite", "--format", "cff")
    import yaml
    assert yaml.safe_load(cff.stdout)["type"] == "dataset" and yaml.safe_load(cff.stdout)["version"] == kordata.__version__


@pytest.mark.parametrize("args, needle", [
    (["show", "evnts"], "unknown table 'evnts'"),
    (["show", "events", "-c", "nope"], "has no column 'nope'"),
    (["validate", "/no/such/place"], "/no/such/place: no such file or folder"),
    (["cite", "--format", "ris"], "Invalid value for '-f' / '--format'"),
    (["frobnicate"], "No such command 'frobnicate'"),
    (["show", "events", "--package", "/no/such/place"], "cannot read"),
])
def test_mistakes_give_one_line_and_exit_2(args, needle):
    out = run_kordata(*args)
    assert out.returncode == 2, out
    assert len(out.stderr.strip().splitlines()) == 1 and needle in out.stderr
    assert "Traceback" not in out.stderr


def test_help_and_version():
    assert "validate" in run_kordata("--help").stdout
    assert run_kordata("--version").stdout.strip() == f"kordata {kordata.__version__}"


def run_env(*args, cwd=None, **env):
    import os
    import subprocess
    import sys
    from conftest import ROOT
    return subprocess.run([sys.executable, "-m", "kordata", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=300,
                          env={**os.environ, **env})


def test_help_lists_each_command_with_one_line_and_an_example():
    from kordata.cli import cli
    from kordata.cli.help import example
    out = run_kordata("--help").stdout
    lines = out[out.index("Commands:"):].splitlines()[1:]
    for name, command in cli.commands.items():
        assert example(command).startswith(("kordata ", "frictionless ")) and f"kordata {name}" in example(command), name
        at = next(i for i, line in enumerate(lines) if line.split()[:1] == [name])
        assert lines[at].split(None, 1)[1].rstrip(".").strip() == command.get_short_help_str(200).rstrip(".").strip(), name
        assert lines[at + 1].strip() == f"$ {example(command)}", name


def test_every_command_that_reads_one_package_takes_dash_p():
    from kordata.cli import cli
    import click
    commands = [(name, command) for name, command in cli.commands.items() if not isinstance(command, click.Group)]
    commands += [(f"{name} {sub}", c) for name, group in cli.commands.items() if isinstance(group, click.Group)
                 for sub, c in group.commands.items()]  # a group's subcommands (kordata curate new|compile|find)
    for name, command in commands:
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        if name == "diff":  # compares two copies, named OLD and NEW
            assert {p.name for p in command.params} >= {"old", "new"}
            continue
        assert {"-p", "--package"} <= options, name


def test_validate_says_which_copy_it_checks_and_checks_the_working_tree_with_dash_p(package_copy):
    installed = run_env("validate", cwd=package_copy)
    note = installed.stderr.splitlines()[0]
    assert "checking the installed copy at" in note and f"not the working tree at {package_copy}" in note
    assert "kordata validate -p ." in note and installed.returncode == 0
    from conftest import edit_cell
    edit_cell(package_copy, "events", kordata.load("events")["event_id"].iloc[0], "start", "-5")
    here = run_env("validate", "-p", ".", cwd=package_copy)
    assert here.stderr.splitlines()[0].startswith("kordata: checking the copy at .") and here.returncode == 1
    positional = run_env("validate", str(package_copy), "--layer", "1")  # kept for compatibility: same as -p
    assert positional.returncode == 1 and f"checking the copy at {package_copy}" in positional.stderr
    both = run_env("validate", str(package_copy), "-p", "/elsewhere")
    assert both.returncode == 2 and "name the package once" in both.stderr


def test_show_fits_the_terminal_counts_rows_and_shows_missing_values_one_way():
    from click.testing import CliRunner
    from kordata.cli import cli
    events = kordata.load("events")
    runner = CliRunner()
    for width in (40, 72, 200):
        out = runner.invoke(cli, ["show", "events", "-n", "5"], env={"COLUMNS": str(width)})
        assert out.exit_code == 0 and all(len(line) <= width for line in out.output.splitlines()), width
        assert f"5 of {len(events)} rows" in out.output.replace("\n", " ")
    columns = "event_id,hedge,plover_type,date_lower,location"
    wide = runner.invoke(cli, ["show", "events", "-n", str(len(events)), "-c", columns], env={"COLUMNS": "400"})
    body = wide.output.splitlines()[1:len(events) + 1]
    assert len(body) == len(events)
    missing = events[columns.split(",")[1:]].isna().sum().sum()
    assert missing > 0
    cells = " ".join(body)
    assert cells.count("<NA>") == missing, (cells.count("<NA>"), missing)
    for other in ("NaN", "NaT", "None", "nan"):
        assert other not in cells
    assert f"{len(events)} of {len(events)} rows" in wide.output


def test_info_json():
    out = run_kordata("info", "--json")
    doc = __import__("json").loads(out.stdout)
    frames = kordata.load_all()
    assert doc["version"] == kordata.__version__ and [t["name"] for t in doc["tables"]] == list(frames)
    assert [t["rows"] for t in doc["tables"]] == [len(f) for f in frames.values()]
    assert [t["columns"] for t in doc["tables"]] == [len(kordata.Package.open().fields(n)) for n in frames]


@pytest.mark.parametrize("args, needle", [
    (["show", "evnts"], "did you mean 'events'?"),
    (["show", "events", "-c", "event_id,cameo_cod"], "has no column 'cameo_cod' (did you mean 'cameo_code'?)"),
    (["info", "-p", "/no/such/place"], "cannot read"),
])
def test_unknown_names_get_did_you_mean(args, needle):
    out = run_kordata(*args)
    assert out.returncode == 2 and needle in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_validate_a_path_that_does_not_exist_is_bad_input(tmp_path):
    missing = tmp_path / "no-such-package"
    for args in (["validate", str(missing)], ["validate", "-p", str(missing)]):
        result = run_kordata(*args)
        assert result.returncode == 2, result
        assert result.stderr.strip().count("\n") == 0 and str(missing) in result.stderr and "no such file or folder" in result.stderr

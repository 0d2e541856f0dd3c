"""Hypothesis fuzzes the structure of descriptors and schemas (values replaced by any JSON, keys
removed, resources repeated) and the arguments of every CLI command: validation always returns a
report, and every command exits 0, 1 or 2 with a report or one line on stderr, never a traceback."""
from __future__ import annotations

import copy
import json

import pytest
from conftest import ROOT, copy_package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kordata
from kordata.cli import main

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TABLES = kordata.get_table_names()
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return copy_package(tmp_path_factory.mktemp("fuzz") / "pkg")


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_answers(code: int, out: str, err: str, allowed=(0, 1, 2)) -> None:
    assert code in allowed, (code, err)
    assert "Traceback" not in out + err
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err


def _mutate(document: dict, path: list, action: str, value) -> dict:
    """``document`` with the value at ``path`` replaced by ``value``, removed, or (for a list) its item repeated."""
    result = copy.deepcopy(document)
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete":
        parent.pop(last) if isinstance(parent, dict) else parent.pop(last)
    elif action == "repeat" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    else:
        parent[last] = value
    return result


def _paths(document, prefix=(), depth=3):
    yield list(prefix) if prefix else None
    if depth == 0:
        return
    items = document.items() if isinstance(document, dict) else enumerate(document) if isinstance(document, list) else []
    for k, v in list(items)[:40]:
        yield from _paths(v, (*prefix, k), depth - 1)


DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text())
SCHEMAS = {name: json.loads((ROOT / "schemas" / f"{name}.json").read_text()) for name in TABLES}
DESCRIPTOR_PATHS = [p for p in _paths(DESCRIPTOR) if p]
SCHEMA_PATHS = [(name, p) for name, schema in SCHEMAS.items() for p in _paths(schema, depth=4) if p]
ACTIONS = st.sampled_from(["replace", "delete", "repeat"])


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(DESCRIPTOR_PATHS), ACTIONS, JSON), min_size=1, max_size=3),
       st.sampled_from(["info", "show", "cite", "coverage", "export"]))
def test_fuzzed_descriptors(base, capsys, tmp_path_factory, mutations, command):
    document = DESCRIPTOR
    for path, action, value in mutations:
        try:
            document = _mutate(document, path, action, value)
        except (KeyError, IndexError, TypeError, AttributeError):
            continue  # an earlier mutation removed this path
    target = base / "datapackage.json"
    original = target.read_bytes()
    try:
        target.write_text(json.dumps(document))
        report = kordata.validate(base)  # never raises
        assert report.checks and (report.ok or report.failures)
        if document == DESCRIPTOR:
            assert report.ok, report.to_text()
        assert_answers(*run(capsys, "validate", base), allowed=(0, 1))
        args = {"info": ["info"], "show": ["show", TABLES[0]], "cite": ["cite"], "coverage": ["coverage"],
                "export": ["export", "csv", "--out", tmp_path_factory.mktemp("out")]}[command]
        assert_answers(*run(capsys, *args, "--package", base))
    finally:
        target.write_bytes(original)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(SCHEMA_PATHS), ACTIONS, JSON), min_size=1, max_size=3), st.sampled_from(TABLES))
def test_fuzzed_schemas(base, capsys, mutations, shown):
    changed = {}
    for (name, path), action, value in mutations:
        try:
            changed[name] = _mutate(changed.get(name, SCHEMAS[name]), path, action, value)
        except (KeyError, IndexError, TypeError, AttributeError):
            continue
    originals = {name: (base / "schemas" / f"{name}.json").read_bytes() for name in changed}
    try:
        for name, schema in changed.items():
            (base / "schemas" / f"{name}.json").write_text(json.dumps(schema))
        report = kordata.validate(base)  # never raises; a changed schema may still be valid for the data
        assert report.checks
        assert_answers(*run(capsys, "validate", base), allowed=(0, 1))
        assert_answers(*run(capsys, "show", shown, "--package", base))
    finally:
        for name, data in originals.items():
            (base / "schemas" / f"{name}.json").write_bytes(data)


WORDS = st.sampled_from(["-n", "--rows", "-c", "--columns", "--json", "--layer", "--engine", "--format", "-f", "--package", "--out",
                         "--debug", "--help", "0", "-1", "99999999999999999999", "events", "evnts", "claims", "frictionless", "bibtex",
                         "csv", "sqlite", "brat", "3", "4", "event_id,status", "", " ", "\x00", "\x1b[31m", "../..", "/dev/null",
                         "/nonexistent", str(ROOT), "é", "--", "-"])


@SETTINGS
@given(st.sampled_from(["info", "validate", "show", "cite", "path", "coverage", "diff", "export", "frobnicate"]),
       st.lists(WORDS, max_size=5))
def test_fuzzed_command_lines(capsys, tmp_path_factory, command, words):
    words = [w if w != "--out" else f"--out={tmp_path_factory.mktemp('out')}" for w in words]
    if command == "export" and not any(w.startswith("--out") for w in words):
        words.append(f"--out={tmp_path_factory.mktemp('out')}")
    code, out, err = run(capsys, command, *words)
    assert_answers(code, out, err)
    assert "\x1b" not in out + err

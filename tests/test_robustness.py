"""Bad input never gives a traceback, a hang or a wrong table: huge fields and files fail fast,
arbitrary bytes as a CSV or a descriptor give a kordata error, and nothing in the data is run."""
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, copy_package, refresh_hashes

import kordata
from kordata.errors import KordataError, PackageError
from kordata.package import Package

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return copy_package(tmp_path_factory.mktemp("base") / "pkg")


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_as_a_table(base, data):
    path = base / "data" / "figures.csv"
    original = path.read_bytes()
    try:
        path.write_bytes(data)
        report = kordata.validate(base)          # never raises
        assert not report.ok                     # and never passes a file that is not the table
        assert any(f.table == "figures" for f in report.failures)
        try:
            frame = kordata.load("figures", base)
        except KordataError:
            pass
        else:                                    # if pandas can read it at all, it has the schema's columns
            assert list(frame.columns)[:3] == ["figure_id", "document_id", "start"]
    finally:
        path.write_bytes(original)


@SETTINGS
@given(st.one_of(st.binary(max_size=300), st.dictionaries(st.text(max_size=10), st.integers() | st.text(max_size=10), max_size=5)
                 .map(lambda d: json.dumps(d).encode()), st.just(b'{"resources": [{"name": "x", "path": "../../etc/passwd"}]}')))
def test_arbitrary_bytes_as_a_descriptor(base, data):
    path = base / "datapackage.json"
    original = path.read_bytes()
    try:
        path.write_bytes(data)
        report = kordata.validate(base)
        assert not report.ok
        try:
            names = Package.open(base).table_names
        except KordataError:
            return  # the descriptor is refused with kordata's error: the expected outcome
        # a descriptor that opens (e.g. with a resource path leaving the package) still loads nothing
        assert names, "a descriptor without tables must not open"
        for name in names:
            with pytest.raises(KordataError):
                kordata.load(name, base)
    finally:
        path.write_bytes(original)


def test_huge_field_fails_fast_with_a_clear_error(package_copy):
    import csv, io
    path = package_copy / "data" / "figures.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][-1] = "x" * 20_000_000
    out = io.StringIO(); csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    refresh_hashes(package_copy)
    report = kordata.validate(package_copy)
    assert any(f.table == "figures" and f.rule == "field-too-large" for f in report.failures), report.to_text()


def test_huge_file_is_refused_before_reading(package_copy, monkeypatch):
    from kordata.validation import raw
    monkeypatch.setattr(raw, "MAX_FILE_BYTES", 1000)
    report = kordata.validate(package_copy)
    assert any(f.rule == "file-too-large" for f in report.failures)


def test_huge_descriptor_is_refused(package_copy, monkeypatch):
    from kordata import package
    monkeypatch.setattr(package, "MAX_DESCRIPTOR_BYTES", 100)
    with pytest.raises(PackageError, match="over the 100 limit"):
        Package.open(package_copy)


def test_seed_path_leaving_the_package_is_refused(package_copy):
    from conftest import edit_cell
    edit_cell(package_copy, "documents", "doc-0001", "path", "seeds/../../outside.txt")
    report = kordata.validate(package_copy)
    assert any(f.rule == "seed-file" and "refused" in f.message for f in report.failures)


def test_nothing_in_the_data_is_executed():
    source = "\n".join(p.read_text() for p in (ROOT / "src" / "kordata").rglob("*.py"))
    for forbidden in (r"\beval\(", r"\bexec\(", r"\bpickle\b", r"yaml\.load\(", r"\bshell=True", r"os\.system"):
        assert not re.search(forbidden, source), forbidden

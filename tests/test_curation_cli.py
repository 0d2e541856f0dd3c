"""kordata curate new / compile / find, end to end on a temporary repository, and their refusals:
one line on stderr naming the file (and line and row where there is one), exit 2, nothing written."""

import json
import shutil
import tomllib

import pytest

from conftest import copy_package, run_kordata
from test_curation import FICTIONAL_FILE, FICTIONAL_ID, FICTIONAL_SEED, edit, line_of, make_repository, snapshot

from kordata.build.quotes import unique_span
from kordata.cli import main as cli_main
from kordata.package import Package
from kordata.segment import sentences
from kordata.spans import locate


def kordata_in(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process (fast); exit code, stdout, stderr."""
    code = cli_main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_new_compile_find_end_to_end(tmp_path):
    repo = make_repository(tmp_path / "repo")
    shutil.copy2(FICTIONAL_SEED, repo / "seeds" / FICTIONAL_SEED.name)
    text = FICTIONAL_SEED.read_text(encoding="utf-8")

    made = run_kordata("curate", "new", f"seeds/{FICTIONAL_SEED.name}", "--id", FICTIONAL_ID, cwd=repo)
    assert made.returncode == 0, made.stderr
    scaffold = (repo / FICTIONAL_FILE).read_text(encoding="utf-8")
    parsed = tomllib.loads(scaffold)
    assert parsed["document"]["document_id"] == FICTIONAL_ID and parsed["document"]["path"] == f"seeds/{FICTIONAL_SEED.name}"
    for index, (start, end) in enumerate(sentences(text)):  # the sentences, as comments, with their ids
        assert f"#   sen-fictional-0001-{index:03d} [{start}:{end}] {text[start:end].split()[0]}" in scaffold
    pkg = Package.open(repo)
    for table in pkg.table_names:  # a section (or a commented template) for every table of a document
        if table not in ("documents", "sentences", "sources", "source_links"):
            assert f"[[{table}]]" in scaffold or f"# {'-' * 64} {table}" in scaffold, table
    for field in pkg.fields("events"):
        if field["name"] not in ("document_id", "start", "end", "quote"):
            assert f"# {field['name']} = " in scaffold, field["name"]

    before = snapshot(repo / "data")
    unfilled = run_kordata("curate", "compile", cwd=repo / "curation")  # from a folder inside the repository
    assert unfilled.returncode == 2 and unfilled.stderr.count("\n") == 1
    assert unfilled.stderr.startswith(
        f"kordata: error: {FICTIONAL_FILE}:{line_of(scaffold, '[document]')}: {FICTIONAL_ID}: missing required field"
    )
    assert "'language'" in unfilled.stderr and snapshot(repo / "data") == before

    for field, value in (
        ("language", "en"),
        ("outlet_status", "not_stated"),
        ("author_status", "not_stated"),
        ("published_status", "not_stated"),
    ):
        edit(repo, FICTIONAL_FILE, f'{field} = ""', f'{field} = "{value}"')
    compiled = run_kordata("curate", "compile", str(repo))
    assert compiled.returncode == 0, compiled.stderr
    assert compiled.stdout.startswith("compiled 2 documents")
    documents = (repo / "data" / "documents.csv").read_text(encoding="utf-8")
    assert FICTIONAL_ID in documents and "doc-0001" in documents
    assert (repo / "data" / "sentences.csv").read_text(encoding="utf-8").count(f",{FICTIONAL_ID},") == len(sentences(text))

    found = run_kordata("curate", "find", "the ministry", "--doc", FICTIONAL_ID, "--json", cwd=repo)
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert len(hits) == text.count("the ministry") >= 2
    for hit in hits:  # each printed span picks its occurrence and no other
        span = locate(text, hit["span"], hit["occurrence"])
        assert (span.start, span.end) == (hit["start"], hit["end"]) and span.quote == "the ministry"
    shown = run_kordata("curate", "find", "[[Ana Drović]] said", cwd=repo)
    start = text.index("Ana Drović")
    assert shown.returncode == 0 and f"{FICTIONAL_ID} seeds/{FICTIONAL_SEED.name} [{start}:{start + len('Ana Drović')}]" in shown.stdout
    assert "span = '''" in shown.stdout and shown.stdout.rstrip().endswith("1 occurrence in 1 document")


def test_find_searches_every_document(tmp_path, capsys):
    repo = make_repository(tmp_path / "repo", fictional=True)
    code, out, _ = kordata_in(capsys, "curate", "find", "the", "--json", "--root", str(repo))
    hits = json.loads(out)
    assert code == 0 and {hit["document_id"] for hit in hits} == {"doc-0001", FICTIONAL_ID}
    for document_id in ("doc-0001", FICTIONAL_ID):
        seed = tomllib.loads((repo / "curation" / f"{document_id}.toml").read_text(encoding="utf-8"))["document"]["path"]
        assert sum(hit["document_id"] == document_id for hit in hits) == (repo / seed).read_text(encoding="utf-8").count("the")


def test_every_anchored_row_gets_back_its_span_from_find(tmp_path):
    """unique_span answers, for every span of the shipped and the fictional document, a spec that
    the compiler resolves to exactly that span."""
    repo = make_repository(tmp_path / "repo", fictional=True)
    run = run_kordata("curate", "compile", str(repo))
    assert run.returncode == 0, run.stderr
    import kordata

    tables = kordata.load_all(repo)
    pkg = Package.open(repo)
    texts = {d.document_id: (repo / d.path).read_text(encoding="utf-8") for d in tables["documents"].itertuples()}
    checked = 0
    for table in pkg.anchored_tables:
        for row in tables[table].itertuples():
            text = texts[row.document_id]
            spec, occurrence = unique_span(text, int(row.start), int(row.end))
            span = locate(text, spec, occurrence)
            assert (span.start, span.end) == (row.start, row.end), (table, spec)
            checked += 1
    assert checked == sum(len(tables[t]) for t in pkg.anchored_tables)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["seeds/kor-weighs-weapons-for-ukraine.txt", "--id", "doc-0001"], "curation/doc-0001.toml already exists"),
        (["seeds/kor-weighs-weapons-for-ukraine.txt", "--id", "doc-0002"], "is already curated in curation/doc-0001.toml"),
        ([f"seeds/{FICTIONAL_SEED.name}", "--id", "DOC 2"], "is not a document id"),
        (["seeds/missing.txt", "--id", "doc-0002"], "seeds/missing.txt: missing seed"),
        (["seeds/README.md", "--id", "doc-0002"], "a seed path must match"),
        (["../outside.txt", "--id", "doc-0002"], "the seed must be a file of the repository's seeds/ folder"),
    ],
)
def test_new_refuses_and_writes_nothing(tmp_path, capsys, monkeypatch, args, fragment):
    repo = make_repository(tmp_path / "repo")
    shutil.copy2(FICTIONAL_SEED, repo / "seeds" / FICTIONAL_SEED.name)
    (tmp_path / "outside.txt").write_text("Outside.", encoding="utf-8")
    before = snapshot(repo / "curation")
    monkeypatch.chdir(repo)
    code, _, err = kordata_in(capsys, "curate", "new", *args)
    assert code == 2 and fragment in err and err.count("\n") == 1, err
    assert snapshot(repo / "curation") == before


def test_find_and_compile_name_the_file_and_line_of_a_broken_curation_file(tmp_path, capsys):
    repo = make_repository(tmp_path / "repo", fictional=True)
    text = edit(repo, FICTIONAL_FILE, "[document]", "[document")
    for args in (["curate", "find", "the", "--root", str(repo)], ["curate", "compile", str(repo)]):
        code, _, err = kordata_in(capsys, *args)
        assert code == 2 and err.startswith(f"kordata: error: {FICTIONAL_FILE}:{line_of(text, '[document')}: TOML syntax error"), err


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["curate", "find", "never written anywhere", "--root", "{repo}"], "does not occur in any curated document"),
        (["curate", "find", "the", "--doc", "doc-9999", "--root", "{repo}"], "curation/doc-9999.toml: no such document"),
        (["curate", "find", "[[the", "--root", "{repo}"], "malformed span markers"),
    ],
)
def test_find_refusals(tmp_path, capsys, args, fragment):
    repo = make_repository(tmp_path / "repo")
    code, _, err = kordata_in(capsys, *[a.format(repo=repo) for a in args])
    assert code == 2 and fragment in err and err.count("\n") == 1, err


def test_curate_needs_a_repository_and_says_so_on_an_installed_package(tmp_path, capsys, monkeypatch):
    installed = copy_package(tmp_path / "site-packages" / "kordata" / "_data")  # what a wheel ships: no curation/
    before = snapshot(installed / "data")
    for args in (["curate", "compile", str(installed)], ["curate", "find", "Kim", "--root", str(installed)]):
        code, _, err = kordata_in(capsys, *args)
        assert code == 2 and "maintainer command" in err and "installed package" in err and str(installed) in err, err
    monkeypatch.chdir(installed)
    code, _, err = kordata_in(capsys, "curate", "compile")
    assert code == 2 and "(and its parents)" in err
    assert snapshot(installed / "data") == before

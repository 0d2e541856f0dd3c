"""Curation (curation/*.toml -> data/*.csv) for any number of documents: every error names the file,
the line and the row and leaves data/ byte-identical; a killed write leaves each table old or
complete; ``python -m kordata.build.curation`` keeps working.

The errors are provoked in a copy of the repository with the fictional second document added
(tests/fixtures/fictional), so that they do not depend on the real document's rows."""

import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT

from kordata.build.curation import compile_all, main
from kordata.package import Package
from kordata.segment import sentences

FICTIONAL = ROOT / "tests" / "fixtures" / "fictional"
FICTIONAL_ID = "doc-fictional-0001"
FICTIONAL_FILE = f"curation/{FICTIONAL_ID}.toml"
FICTIONAL_SEED = next((FICTIONAL / "seeds").glob("*.txt"))
REPOSITORY_PARTS = ("datapackage.json", "data", "schemas", "seeds", "curation")


def make_repository(dest: Path, fictional: bool = False) -> Path:
    """A copy of the repository's package and curation source in ``dest``; with ``fictional``, the
    fictional seed and its curation file are added (data/ is not recompiled)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in REPOSITORY_PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / part)
    if fictional:
        shutil.copy2(FICTIONAL_SEED, dest / "seeds" / FICTIONAL_SEED.name)
        for toml in (FICTIONAL / "curation").glob("*.toml"):
            shutil.copy2(toml, dest / "curation" / toml.name)
    return dest


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder by name, with its bytes (temporaries included)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def line_of(text: str, needle: str, after: int = 0) -> int:
    """1-based number of the first line after line ``after`` that contains ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


def edit(repo: Path, relative: str, old: str, new: str) -> str:
    """Replace the one occurrence of ``old`` in a file; return the new text."""
    path = repo / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def entry_line(text: str, header: str, field: str, value: str) -> int:
    """Line of ``field = "value"`` inside a ``[[header]]`` entry (not in another table's rows)."""
    lines = text.splitlines()
    current = None
    for number, line in enumerate(lines, start=1):
        if line.startswith("["):
            current = line.strip()
        if current == f"[[{header}]]" and line == f'{field} = "{value}"':
            return number
    raise AssertionError(f"no {field} = {value!r} in [[{header}]]")


# ------------------------------------------------------------------ the errors, one per kind
# Each takes the repository, breaks it, and returns (file, line, row id or None, part of the message).
def span_not_found(repo):
    text = edit(repo, FICTIONAL_FILE, "'''the [[Tessel Fishers' Union]]'''", "'''the [[Tessel Fishermen's Union]]'''")
    return (
        FICTIONAL_FILE,
        line_of(text, '["men-fictional-0001-007"'),
        "men-fictional-0001-007",
        'span not found in text: "the Tessel Fishermen\'s Union"',
    )


def span_ambiguous(repo):
    text = edit(
        repo, FICTIONAL_FILE, "span = '''a meeting between the ministry and the Tessel Fishers' Union'''", "span = '''the ministry'''"
    )
    count = FICTIONAL_SEED.read_text(encoding="utf-8").count("the ministry")
    row = "evt-vlr-ministry-union-meeting"
    return FICTIONAL_FILE, entry_line(text, "events", "event_id", row), row, f"span occurs {count} times, add context or occurrence"


def occurrence_out_of_range(repo):
    text = edit(
        repo, FICTIONAL_FILE, "span = '''The briefing followed a meeting'''", "span = '''The briefing followed a meeting'''\noccurrence = 3"
    )
    row = "rel-drovic-briefing-follows-meeting"
    return FICTIONAL_FILE, entry_line(text, "event_relations", "relation_id", row), row, "occurrence 3 asked, 1 found"


def sentence_note_not_a_sentence(repo):
    note = "[[sentences]]\nspan = '''The closure will affect about 340 trawlers'''\ncarries_content = false\n\n"
    text = edit(repo, FICTIONAL_FILE, "# Mentions: [mention_id", note + "# Mentions: [mention_id")
    return (
        FICTIONAL_FILE,
        line_of(text, "span = '''The closure will affect"),
        "sentence note 1",
        "sentence note not in the text: 'The closure will",
    )


def sentence_note_not_in_the_text(repo):
    note = "[[sentences]]\nspan = '''For reference:'''\ncarries_content = false\n\n"
    text = edit(repo, FICTIONAL_FILE, "# Mentions: [mention_id", note + "# Mentions: [mention_id")
    return FICTIONAL_FILE, line_of(text, "span = '''For reference:'''"), "sentence note 1", "span not found in text: 'For reference:'"


def too_few_items(repo):
    text = edit(
        repo,
        FICTIONAL_FILE,
        '["par-drovic-briefing-1", "evt-drovic-briefing", "act-ana-drovic", "initiator", "men-fictional-0001-005", ""]',
        '["par-drovic-briefing-1", "evt-drovic-briefing", "act-ana-drovic", "initiator", "men-fictional-0001-005"]',
    )
    return (
        FICTIONAL_FILE,
        line_of(text, '["par-drovic-briefing-1"'),
        "par-drovic-briefing-1",
        "[participants] row 2 has 5 items, expected 6",
    )


def too_many_items(repo):
    text = edit(repo, FICTIONAL_FILE, "'''[[union]] chair''', \"'union' in", "'''[[union]] chair''', \"\", \"'union' in")
    return FICTIONAL_FILE, line_of(text, '["men-fictional-0001-009"'), "men-fictional-0001-009", "[mentions] row 9 has 6 items, expected 5"


def duplicate_id_in_one_document(repo):
    text = edit(repo, FICTIONAL_FILE, '["men-fictional-0001-002"', '["men-fictional-0001-001"')
    first = line_of(text, '["men-fictional-0001-001"')
    second = line_of(text, '["men-fictional-0001-001"', after=first)
    return FICTIONAL_FILE, second, "men-fictional-0001-001", f"already used at {FICTIONAL_FILE}:{first}: men-fictional-0001-001"


def duplicate_id_across_documents(repo):
    real = (repo / "curation" / "doc-0001.toml").read_text(encoding="utf-8")
    taken = tomllib.loads(real)["events"][0]["event_id"]
    text = edit(repo, FICTIONAL_FILE, 'event_id = "evt-drovic-briefing"\nspan', f'event_id = "{taken}"\nspan')
    where = f"curation/doc-0001.toml:{entry_line(real, 'events', 'event_id', taken)}: {taken}"
    return (
        FICTIONAL_FILE,
        entry_line(text, "events", "event_id", taken),
        taken,
        f"duplicate events.event_id '{taken}': already used at {where}",
    )


def same_seed_curated_twice(repo):
    real = (repo / "curation" / "doc-0001.toml").read_text(encoding="utf-8")
    copy = real.replace('document_id = "doc-0001"', 'document_id = "doc-0002"')
    (repo / "curation" / "doc-0002.toml").write_text(copy, encoding="utf-8")
    path = tomllib.loads(real)["document"]["path"]
    return "curation/doc-0002.toml", line_of(copy, "[document]"), "doc-0002", f"duplicate documents.path '{path}'"


def unknown_field(repo):
    text = edit(repo, FICTIONAL_FILE, 'summary = "The ministry and', 'sumary = "The ministry and')
    row = "evt-vlr-ministry-union-meeting"
    return FICTIONAL_FILE, entry_line(text, "events", "event_id", row), row, "unknown field 'sumary' for table events"


def unknown_section(repo):
    text = edit(repo, FICTIONAL_FILE, "[[figures]]", "[[figure]]")
    return FICTIONAL_FILE, line_of(text, "[[figure]]"), None, "unknown section 'figure'"


def toml_syntax_error(repo):
    text = edit(repo, FICTIONAL_FILE, 'claim_id = "clm-briefing-followed-meeting"', 'claim_id = "clm-briefing-followed-meeting')
    return FICTIONAL_FILE, line_of(text, 'claim_id = "clm-briefing-followed-meeting'), None, "TOML syntax error"


def toml_not_utf8(repo):
    path = repo / FICTIONAL_FILE
    data = path.read_bytes().replace(b"# FICTIONAL:", b"# FICTIONAL\xff:", 1)
    path.write_bytes(data)
    return FICTIONAL_FILE, 1, None, "not UTF-8"


def missing_seed(repo):
    text = edit(repo, FICTIONAL_FILE, f'path = "seeds/{FICTIONAL_SEED.name}"', 'path = "seeds/missing.txt"')
    return FICTIONAL_FILE, line_of(text, 'path = "seeds/missing.txt"'), FICTIONAL_ID, "missing seed: seeds/missing.txt does not exist"


def seed_is_a_fifo(repo):
    os.mkfifo(repo / "seeds" / "pipe.txt")  # reading it would hang: the tool must not try
    text = edit(repo, FICTIONAL_FILE, f'path = "seeds/{FICTIONAL_SEED.name}"', 'path = "seeds/pipe.txt"')
    return FICTIONAL_FILE, line_of(text, 'path = "seeds/pipe.txt"'), FICTIONAL_ID, "seeds/pipe.txt is a FIFO, not a regular file"


def seed_outside_the_package(repo):
    text = edit(repo, FICTIONAL_FILE, f'path = "seeds/{FICTIONAL_SEED.name}"', 'path = "seeds/../../outside.txt"')
    return FICTIONAL_FILE, line_of(text, 'path = "seeds/../../outside.txt"'), FICTIONAL_ID, "leaves the package"


def value_not_a_scalar(repo):
    text = edit(repo, FICTIONAL_FILE, 'hedge_cues = "about"', 'hedge_cues = ["about"]')
    row = "clm-closure-affects-340-trawlers"
    return FICTIONAL_FILE, entry_line(text, "claims", "claim_id", row), row, "field 'hedge_cues' is an array"


def missing_required_field(repo):
    text = edit(repo, FICTIONAL_FILE, 'unit = "trawlers"\n', "")
    return FICTIONAL_FILE, entry_line(text, "figures", "figure_id", "fig-trawlers-340"), "fig-trawlers-340", "missing required field 'unit'"


def missing_span(repo):
    text = edit(repo, FICTIONAL_FILE, "span = '''about 340 trawlers'''\n", "")
    return FICTIONAL_FILE, entry_line(text, "figures", "figure_id", "fig-trawlers-340"), "fig-trawlers-340", "missing span"


def computed_field_written(repo):
    text = edit(repo, FICTIONAL_FILE, 'language = "en"', 'language = "en"\nsha256 = "0"')
    return FICTIONAL_FILE, line_of(text, "[document]"), FICTIONAL_ID, "sha256 computed from the seed by this tool"


def file_named_after_another_id(repo):
    (repo / FICTIONAL_FILE).rename(repo / "curation" / "doc-fictional-0002.toml")
    text = (repo / "curation" / "doc-fictional-0002.toml").read_text(encoding="utf-8")
    return "curation/doc-fictional-0002.toml", line_of(text, "[document]"), FICTIONAL_ID, f"must be named {FICTIONAL_ID}.toml"


def row_of_another_document(repo):
    text = edit(
        repo,
        FICTIONAL_FILE,
        'relation_id = "rel-drovic-briefing-follows-meeting"',
        'relation_id = "rel-drovic-briefing-follows-meeting"\ndocument_id = "doc-0001"',
    )
    row = "rel-drovic-briefing-follows-meeting"
    return FICTIONAL_FILE, entry_line(text, "event_relations", "relation_id", row), row, f"differs from this file's document {FICTIONAL_ID}"


def document_table_in_a_shared_file(repo):
    (repo / "curation" / "extra.toml").write_text('# shared rows\n\n[[events]]\nevent_id = "evt-x"\n', encoding="utf-8")
    return "curation/extra.toml", 3, None, "unknown section 'events': a file not named doc-*.toml holds only actors"


ERRORS = [
    span_not_found,
    span_ambiguous,
    occurrence_out_of_range,
    sentence_note_not_a_sentence,
    sentence_note_not_in_the_text,
    too_few_items,
    too_many_items,
    duplicate_id_in_one_document,
    duplicate_id_across_documents,
    same_seed_curated_twice,
    unknown_field,
    unknown_section,
    toml_syntax_error,
    toml_not_utf8,
    missing_seed,
    seed_is_a_fifo,
    seed_outside_the_package,
    value_not_a_scalar,
    missing_required_field,
    missing_span,
    computed_field_written,
    file_named_after_another_id,
    row_of_another_document,
    document_table_in_a_shared_file,
]


@pytest.fixture
def repo(tmp_path):
    return make_repository(tmp_path / "repo", fictional=True)


def test_the_two_documents_compile(repo):
    documents = list(csv.DictReader(io.StringIO(compile_all(repo)["documents"])))
    assert [d["document_id"] for d in documents] == sorted(p.stem for p in (repo / "curation").glob("doc-*.toml"))


@pytest.mark.parametrize("breakage", ERRORS, ids=[f.__name__ for f in ERRORS])
def test_an_error_names_file_line_and_row_and_data_is_untouched(repo, capsys, breakage):
    before = snapshot(repo / "data")
    file, line, row, fragment = breakage(repo)
    assert main([str(repo)]) == 2
    out, err = capsys.readouterr()
    where = f"{file}:{line}" + (f": {row}" if row else "")
    assert err.startswith(f"kordata curation: error: {where}: "), err
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err
    assert out == ""
    assert snapshot(repo / "data") == before  # not one byte changed, no temporary left


def test_the_module_reports_one_line_and_exit_2_without_traceback(repo):
    file, line, row, fragment = span_not_found(repo)
    result = subprocess.run([sys.executable, "-m", "kordata.build.curation", str(repo)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"kordata curation: error: {file}:{line}: {row}: {result.stderr.split(f'{row}: ', 1)[1]}"
    assert fragment in result.stderr and result.stderr.count("\n") == 1


def test_the_module_compiles_the_shipped_source_unchanged(tmp_path):
    repo = make_repository(tmp_path / "repo")
    before = snapshot(repo / "data")
    result = subprocess.run([sys.executable, "-m", "kordata.build.curation", str(repo)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    documents = len(list((repo / "curation").glob("doc-*.toml")))
    assert result.stdout.startswith(f"compiled {documents} document")
    assert snapshot(repo / "data") == before  # the shipped tables are what the source compiles to


def test_a_full_disk_while_writing_leaves_every_table_as_it_was(repo, capsys, monkeypatch):
    import kordata.fileio

    before = snapshot(repo / "data")
    real, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 4:  # the fourth table's temporary: three are already staged
            raise OSError(28, "No space left on device")
        return real(fd)

    monkeypatch.setattr(kordata.fileio.os, "fsync", fsync)
    assert main([str(repo)]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and err.count("\n") == 1
    assert snapshot(repo / "data") == before


KILLER = """
import os, signal, sys
point, after = sys.argv[2], int(sys.argv[3])
real = getattr(os, point)
calls = []
def dying(*args, **kwargs):
    if len(calls) == after:
        os.kill(os.getpid(), signal.SIGKILL)
    calls.append(args)
    return real(*args, **kwargs)
setattr(os, point, dying)
from kordata.build.curation import main
main([sys.argv[1]])
"""


@pytest.mark.parametrize("point, after", [("fsync", 2), ("replace", 0), ("replace", 5), ("replace", -1)])
def test_sigkill_during_the_write_leaves_each_table_old_or_complete(repo, point, after):
    pkg = Package.open(repo)
    old = {name: pkg.csv_path(name).read_bytes() for name in pkg.table_names}
    new = {name: text.encode("utf-8") for name, text in compile_all(repo).items()}
    changed = [name for name in pkg.table_names if old[name] != new[name]]
    assert len(changed) >= 6  # the second document changes most tables
    after = len(pkg.table_names) - 1 if after < 0 else after
    result = subprocess.run([sys.executable, "-c", KILLER, str(repo), point, str(after)], capture_output=True, text=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr
    now = {name: pkg.csv_path(name).read_bytes() for name in pkg.table_names}
    for name in pkg.table_names:
        assert now[name] in (old[name], new[name]), f"{name} is neither the old nor the complete new table"
    renamed = after if point == "replace" else 0  # tables are renamed in the package's order
    assert [name for name in changed if now[name] == new[name]] == [name for name in pkg.table_names[:renamed] if name in changed]
    assert main([str(repo)]) == 0  # the next compile completes the write
    assert {name: pkg.csv_path(name).read_bytes() for name in pkg.table_names} == new


def test_sentence_ids_are_derived_from_each_document_id(repo):
    tables = compile_all(repo)
    rows = [line.split(",", 2)[:2] for line in tables["sentences"].splitlines()[1:]]
    for document_id in ("doc-0001", FICTIONAL_ID):
        ids = [sid for sid, doc in rows if doc == document_id]
        seed = repo / "seeds" / (FICTIONAL_SEED.name if document_id == FICTIONAL_ID else "kor-weighs-weapons-for-ukraine.txt")
        count = len(sentences(seed.read_text(encoding="utf-8")))
        assert ids == [f"sen-{document_id.removeprefix('doc-')}-{k:03d}" for k in range(count)]


def test_shared_rows_may_come_from_any_curation_file(repo):
    (repo / "curation" / "more-actors.toml").write_text(
        '[[actors]]\nactor_id = "act-extra"\ndocument_id = "doc-0001"\nname = "Extra"\nactor_type = "person"\n'
        'country_basis = "not_applicable"\ndescription = "A test actor."\n',
        encoding="utf-8",
    )
    actors = compile_all(repo)["actors"]
    assert re.search(r"^act-extra,doc-0001,Extra,", actors, re.M)
    assert re.search(rf"^act-teo-marsh,{FICTIONAL_ID},", actors, re.M)  # a document file's actors get its id


# ------------------------------------------------------------------ fuzz: any edit gives exit 0 or 2, never a traceback
@pytest.fixture(scope="module")
def fuzz_repo(tmp_path_factory):
    return make_repository(tmp_path_factory.mktemp("fuzz") / "repo", fictional=True)


LINE_EDITS = st.sampled_from(["delete", "duplicate", "swap", "insert"])
INSERTS = st.sampled_from(
    [
        "[[events]]",
        "[mentions]",
        "rows = [[1, 2]]",
        "span = 5",
        "occurrence = -1",
        "occurrence = true",
        "x = nan",
        "value = inf",
        "[document]",
        'document_id = "doc-0001"',
        "sentences = 3",
        '"',
        "'''",
        "[[sentences]]\nspan = 3",
        "hedge = {a = 1}",
        "retrieved = 2026-11-26T10:00:00",
        'path = "/etc/passwd"',
        'path = "seeds"',
        "\x00",
        "]]",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(LINE_EDITS, st.integers(min_value=0, max_value=10_000), INSERTS), min_size=1, max_size=3))
def test_any_edit_of_a_curation_file_gives_exit_0_or_2_and_never_a_traceback(fuzz_repo, edits, capsys):
    original = (FICTIONAL / "curation" / f"{FICTIONAL_ID}.toml").read_text(encoding="utf-8")
    lines = original.splitlines()
    for kind, where, insert in edits:
        at = where % len(lines)
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            lines[at], lines[(at + 1) % len(lines)] = lines[(at + 1) % len(lines)], lines[at]
        else:
            lines.insert(at, insert)
    (fuzz_repo / FICTIONAL_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(fuzz_repo / "data")
    code = main([str(fuzz_repo)])
    err = capsys.readouterr().err
    assert code in (0, 2), err
    if code == 2:
        assert err.startswith("kordata curation: error: curation/") and err.count("\n") == 1, err
        assert snapshot(fuzz_repo / "data") == before

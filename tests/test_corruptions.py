"""Corruption suite: each kind of damage, applied to a copy of the shipped package, makes
``kordata validate`` fail with a failure naming the expected table, row id, column and rule.
The clean copy passes (no false positives)."""
import csv
import io
import json
import os

import pytest

from conftest import ROOT, copy_package, edit_cell, refresh_hashes

import kordata

SEED = "seeds/kor-weighs-weapons-for-ukraine.txt"


def rows_of(root, table):
    return list(csv.reader(io.StringIO((root / "data" / f"{table}.csv").read_text(encoding="utf-8"))))


def write_rows(root, table, rows, rehash=True):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (root / "data" / f"{table}.csv").write_text(out.getvalue(), encoding="utf-8", newline="")
    if rehash:
        refresh_hashes(root)


def raw_edit(root, table, transform, rehash=True):
    path = root / "data" / f"{table}.csv"
    path.write_bytes(transform(path.read_bytes()))
    if rehash:
        refresh_hashes(root)


def shift(root, table, row_id, by):
    frame = kordata.load(table, root).set_index(frame_key(table))
    start, end = frame.loc[row_id, ["start", "end"]]
    edit_cell(root, table, row_id, "start", str(start + by), rehash=False)
    edit_cell(root, table, row_id, "end", str(end + by))


def frame_key(table):
    return json.loads((ROOT / "schemas" / f"{table}.json").read_text())["primaryKey"][0]


def bytes_offsets(root):
    text = (ROOT / SEED).read_text(encoding="utf-8")
    start = text.index("Jang Ho-jin added")
    b = len(text[:start].encode("utf-8"))
    edit_cell(root, "mentions", "men-0001-055", "start", str(b), rehash=False)
    edit_cell(root, "mentions", "men-0001-055", "end", str(b + len("Jang Ho-jin")))


def add_column(root):
    rows = rows_of(root, "figures")
    write_rows(root, "figures", [r + (["extra"] if i == 0 else ["x"]) for i, r in enumerate(rows)])


def drop_column(root):
    write_rows(root, "figures", [r[:-1] for r in rows_of(root, "figures")])


def rename_column(root):
    rows = rows_of(root, "figures")
    rows[0][rows[0].index("unit")] = "units"
    write_rows(root, "figures", rows)


def reorder_columns(root):
    rows = rows_of(root, "figures")
    i, j = rows[0].index("unit"), rows[0].index("counts")
    for r in rows:
        r[i], r[j] = r[j], r[i]
    write_rows(root, "figures", rows)


def orphan_actor(root):
    rows = rows_of(root, "actors")
    new = list(rows[-1])
    new[0] = "act-nobody"
    write_rows(root, "actors", rows + [new])


def escape_path(root, value):
    d = json.loads((root / "datapackage.json").read_text())
    d["resources"][2]["path"] = value
    (root / "datapackage.json").write_text(json.dumps(d))


def symlink_out(root):
    outside = root.parent / "outside.csv"
    outside.write_bytes((root / "data" / "figures.csv").read_bytes())
    (root / "data" / "figures.csv").unlink()
    os.symlink(outside, root / "data" / "figures.csv")


def schema_escape(root):
    d = json.loads((root / "datapackage.json").read_text())
    d["resources"][0]["schema"] = "/etc/passwd"
    (root / "datapackage.json").write_text(json.dumps(d))


# (kind, corruption, expected (table, row_id, column, rule); None matches anything)
CORRUPTIONS = [
    ("wrong type", lambda r: edit_cell(r, "mentions", "men-0001-001", "start", "zero"), ("mentions", "men-0001-001", "start", "type")),
    ("empty required field", lambda r: edit_cell(r, "events", "evt-kim-briefing", "summary", ""), ("events", "evt-kim-briefing", "summary", "required")),
    ("duplicate id", lambda r: edit_cell(r, "mentions", "men-0001-002", "mention_id", "men-0001-001"), ("mentions", "men-0001-001", "mention_id", "unique")),
    ("value outside vocabulary", lambda r: edit_cell(r, "claims", "clm-prk-blew-up-roads", "certainty", "CT"), ("claims", "clm-prk-blew-up-roads", "certainty", "enum")),
    ("malformed id", lambda r: edit_cell(r, "figures", "fig-prk-soldiers-1500", "figure_id", "fig_1500"), ("figures", "fig_1500", "figure_id", "pattern")),
    ("malformed code", lambda r: edit_cell(r, "actors", "act-kor", "country", "Korea"), ("actors", "act-kor", "country", "pattern")),
    ("malformed EDTF date", lambda r: edit_cell(r, "events", "evt-kim-briefing", "date", "2024-13-45"), ("events", "evt-kim-briefing", "date", "edtf")),
    ("date contradicting its basis", lambda r: edit_cell(r, "statements", "stm-troop-figures", "date", "2024-10"), ("statements", "stm-troop-figures", "", "date-unknown-iff-empty")),
    ("stated date marked uncertain", lambda r: edit_cell(r, "events", "evt-prk-blows-up-roads", "date_basis", "stated"), ("events", "evt-prk-blows-up-roads", "", "date-stated-not-uncertain")),
    ("offsets shifted by one", lambda r: shift(r, "claims", "clm-nsc-convened-meeting", 1), ("claims", "clm-nsc-convened-meeting", "quote", "span-quote")),
    ("byte offsets after an en dash", bytes_offsets, ("mentions", "men-0001-055", "quote", "span-quote")),
    ("edited quote", lambda r: edit_cell(r, "mentions", "men-0001-039", "quote", "Kin"), ("mentions", "men-0001-039", "quote", "span-quote")),
    ("span past the end of the text", lambda r: edit_cell(r, "sentences", "sen-0001-016", "end", "9999"), ("sentences", "sen-0001-016", "end", "span-bounds")),
    ("end before start", lambda r: edit_cell(r, "mentions", "men-0001-005", "end", "1"), ("mentions", "men-0001-005", "", "span-ordered")),
    ("negative offset", lambda r: edit_cell(r, "mentions", "men-0001-005", "start", "-1"), ("mentions", "men-0001-005", "start", "minimum")),
    ("seed changed by one character", lambda r: (r / SEED).write_bytes((r / SEED).read_bytes().replace(b"12,000", b"13,000")), ("documents", "doc-0001", "sha256", "seed-sha256")),
    ("stale sha256", lambda r: raw_edit(r, "figures", lambda b: b.replace(b"troops", b"troopz", 1), rehash=False), ("figures", None, None, "hash-count")),
    ("stale bytes", lambda r: raw_edit(r, "figures", lambda b: b + b"", rehash=False) or (r / "datapackage.json").write_text((r / "datapackage.json").read_text().replace('"bytes": ', '"bytes": 1', 1)), ("documents", None, None, "byte-count")),
    ("column added", add_column, ("figures", None, None, "header")),
    ("column removed", drop_column, ("figures", None, None, "header")),
    ("column renamed", rename_column, ("figures", None, None, "header")),
    ("columns reordered", reorder_columns, ("figures", None, None, "header")),
    ("missing header", lambda r: raw_edit(r, "figures", lambda b: b.split(b"\n", 1)[1]), ("figures", None, None, "header")),
    ("file truncated mid-row", lambda r: raw_edit(r, "figures", lambda b: b[: len(b) - 60]), ("figures", None, None, None)),
    ("missing file", lambda r: (r / "data" / "figures.csv").unlink(), ("figures", None, None, "file-missing")),
    ("latin-1 (cp1252) encoding", lambda r: raw_edit(r, "mentions", lambda b: b.decode("utf-8").encode("cp1252")), ("mentions", None, None, "encoding")),
    ("byte order mark", lambda r: raw_edit(r, "figures", lambda b: b"\xef\xbb\xbf" + b), ("figures", None, None, "encoding")),
    ("CRLF line endings", lambda r: raw_edit(r, "figures", lambda b: b.replace(b"\n", b"\r\n")), ("figures", None, None, "line-endings")),
    ("stray delimiter", lambda r: raw_edit(r, "figures", lambda b: b.replace(b"fig-prk-soldiers-1500,", b"fig-prk-soldiers-1500,,")), ("figures", None, None, "csv-structure")),
    ("stray quote", lambda r: raw_edit(r, "figures", lambda b: b.replace(b"fig-prk-soldiers-1500,", b'fig-prk-soldiers-1500,"')), ("figures", None, None, None)),
    ("NaN-like number", lambda r: edit_cell(r, "figures", "fig-prk-soldiers-1500", "value", "NaN"), ("figures", "fig-prk-soldiers-1500", "value", "type")),
    ("infinite number", lambda r: edit_cell(r, "figures", "fig-prk-soldiers-1500", "value", "inf"), ("figures", "fig-prk-soldiers-1500", "value", "type")),
    ("figure not in its quote", lambda r: edit_cell(r, "figures", "fig-prk-soldiers-1500", "value", "1600"), ("figures", "fig-prk-soldiers-1500", "value", "value-in-quote")),
    ("actor with no mention", orphan_actor, ("actors", "act-nobody", "actor_id", "actor-mentioned")),
    ("speaker not a person", lambda r: edit_cell(r, "statements", "stm-jang-promise", "speaker_actor_id", "act-kor-nis"), ("statements", "stm-jang-promise", "speaker_actor_id", "speaker-is-person")),
    ("unnamed source with a speaker", lambda r: edit_cell(r, "statements", "stm-troop-figures", "speaker_actor_id", "act-kim-tae-hyo"), ("statements", "stm-troop-figures", "", "speaker-kind")),
    ("evidence mention of another actor", lambda r: edit_cell(r, "event_participants", "par-shin-meeting-1", "mention_id", "men-0001-001"), ("event_participants", "par-shin-meeting-1", "mention_id", "mention-actor")),
    ("cue not in the quote", lambda r: edit_cell(r, "statements", "stm-jang-promise", "cue", "vowed"), ("statements", "stm-jang-promise", "cue", "cue-in-quote")),
    ("hedge not in the text", lambda r: edit_cell(r, "claims", "clm-prk-troops-in-far-east", "hedge_cues", "roughly"), ("claims", "clm-prk-troops-in-far-east", "hedge_cues", "hedge-in-text")),
    ("resource path with '..'", lambda r: escape_path(r, "../actors.csv"), (None, None, None, None)),
    ("absolute resource path", lambda r: escape_path(r, "/etc/hostname"), (None, None, None, None)),
    ("absolute schema path", schema_escape, (None, None, None, None)),
    ("symlink leaving the package", symlink_out, ("figures", None, None, "package")),
]

FOREIGN_KEYS = [(path.stem, fk) for path in sorted((ROOT / "schemas").glob("*.json"))
                for fk in json.loads(path.read_text()).get("foreignKeys", [])]


def matches(failure, expected):
    return all(e is None or e == got for e, got in zip(expected, (failure.table, failure.row_id, failure.column, failure.rule)))


def test_clean_copy_has_no_false_positives(tmp_path):
    report = kordata.validate(copy_package(tmp_path / "pkg"))
    assert report.ok, report.to_text()


@pytest.mark.parametrize("kind, corrupt, expected", CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
def test_corruption_is_caught_and_named(kind, corrupt, expected, package_copy):
    corrupt(package_copy)
    report = kordata.validate(package_copy)
    assert not report.ok, f"{kind}: not caught"
    assert any(matches(f, expected) for f in report.failures), f"{kind}: expected {expected}, got:\n{report.to_text()}"


@pytest.mark.parametrize("table, fk", FOREIGN_KEYS, ids=[f"{t}.{','.join(fk['fields'])}" for t, fk in FOREIGN_KEYS])
def test_dangling_reference_for_each_foreign_key(table, fk, package_copy):
    field = fk["fields"][0]
    frame = kordata.load(table, package_copy)
    assert len(frame), f"{table} has no rows: curate at least one"
    with_value = frame[frame[field].notna()]
    row = (with_value if len(with_value) else frame).iloc[0]  # a row that uses the key, else any row
    key = frame.columns[0]
    target = fk["reference"].get("resource") or table
    prefix = frame_key(target).split("_")[0][:3]
    prefix = {"doc": "doc", "act": "act", "men": "men", "eve": "evt", "sta": "stm", "cla": "clm"}.get(prefix, prefix)
    edit_cell(package_copy, table, row[key], field, f"{prefix}-dangling")
    report = kordata.validate(package_copy)
    assert any(matches(f, (table, row[key], field, "foreign-key")) for f in report.failures), report.to_text()
    fl = kordata.validate(package_copy, layers=(1,), engine="frictionless")  # frictionless itself agrees
    assert any(f.rule == "foreign-key" and f.table == table and f.row_id == row[key] for f in fl.failures), fl.to_text()


@pytest.mark.parametrize("kind, corrupt, expected", CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
def test_layer_one_agrees_with_frictionless(kind, corrupt, expected, package_copy):
    """Whatever frictionless finds, kordata's layer 1 finds too, in the same rows."""
    corrupt(package_copy)
    ours = kordata.validate(package_copy, layers=(1,))
    theirs = kordata.validate(package_copy, layers=(1,), engine="frictionless")
    if not theirs.ok:
        assert not ours.ok, f"{kind}: frictionless finds {theirs.to_text()}"
        their_rows = {(f.table, f.row) for f in theirs.failures if f.row is not None and f.rule not in ("source-error", "scheme-error")}
        our_rows = {(f.table, f.row) for f in ours.failures}
        assert their_rows <= our_rows, f"{kind}: rows frictionless flags that layer 1 does not: {their_rows - our_rows}"


def test_cli_names_the_failure_on_one_line(package_copy):
    from conftest import run_kordata
    edit_cell(package_copy, "claims", "clm-prk-blew-up-roads", "certainty", "CT")
    out = run_kordata("validate", str(package_copy))
    assert out.returncode == 1
    ids = [r["claim_id"] for r in __import__("csv").DictReader(open(package_copy / "data" / "claims.csv", encoding="utf-8"))]
    row = ids.index("clm-prk-blew-up-roads") + 2  # header is line 1 (read raw: the loader refuses the bad value)
    assert f"claims row {row} [clm-prk-blew-up-roads] column certainty: enum" in out.stdout

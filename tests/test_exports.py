"""Every export format is read back by a tool kordata did not write, and agrees with the tables."""
import json
import sqlite3

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, edit_cell, run_kordata

import kordata
from kordata.exports import export
from kordata.exports.dyads import cameo_reference, dyads

TABLES = kordata.load_all()
ANCHORED = kordata.Package.open().annotation_tables
ANNO = "http://www.w3.org/ns/oa#"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    base = tmp_path_factory.mktemp("exports")
    for fmt in ("parquet", "sqlite", "csv", "dyads", "w3c", "brat", "claims", "plover"):
        export(fmt, base / fmt)
    return base


def test_parquet_read_by_pyarrow_and_duckdb(out):
    for name, frame in TABLES.items():
        path = out / "parquet" / f"{name}.parquet"
        table = pq.read_table(path)
        key = frame.columns[0]
        assert table.num_rows == len(frame) and table.column(key).to_pylist() == frame[key].tolist()
        assert duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0] == len(frame)
    import polars as pl
    polars_events = pl.read_parquet(out / "parquet" / "events.parquet")
    assert polars_events.height == len(TABLES["events"]) and str(polars_events.schema["date_lower"]) == "Date"
    events = pq.read_table(out / "parquet" / "events.parquet")
    assert str(events.schema.field("status").type).startswith("dictionary")
    assert events.schema.field("start").type == "int64"
    assert b"description" in events.schema.field("quote").metadata


def test_sqlite_read_by_sqlite3_with_keys_and_views(out):
    con = sqlite3.connect(out / "sqlite" / "kordata.sqlite")
    for name, frame in TABLES.items():
        assert con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(frame)
        key = frame.columns[0]
        assert [r[0] for r in con.execute(f'SELECT "{key}" FROM "{name}" ORDER BY rowid')] == frame[key].tolist()
    fks = {(r[2], r[3]) for r in con.execute("PRAGMA foreign_key_list(event_participants)")}
    assert ("events", "event_id") in fks and ("actors", "actor_id") in fks and ("mentions", "mention_id") in fks
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    view = con.execute("SELECT event_id, actor1_id, actor2_id, quad_class, goldstein FROM dyads ORDER BY 1, 2, 3").fetchall()
    frame = dyads()
    expected = [(r.event_id, r.actor1_id, None if r.actor2_id != r.actor2_id or r.actor2_id is None else r.actor2_id,
                 None if r.quad_class is None or str(r.quad_class) == "<NA>" else int(r.quad_class),
                 None if str(r.goldstein) == "<NA>" else float(r.goldstein)) for r in frame.itertuples(index=False)]
    assert sorted(view, key=str) == sorted(expected, key=str)
    assert con.execute("SELECT count(*) FROM statements_with_speakers").fetchone()[0] == len(TABLES["statements"])


def test_dyadic_view_codes():
    frame = dyads().set_index(["event_id", "actor1_id"])
    roads = frame.loc[("evt-prk-blows-up-roads", "act-prk")]
    parts = TABLES["event_participants"]
    recipients = parts.loc[(parts["event_id"] == "evt-prk-blows-up-roads") & (parts["role"] == "recipient"), "actor_id"].tolist()
    actor2 = None if roads.actor2_id != roads.actor2_id or roads.actor2_id is None else roads.actor2_id
    assert [actor2] == (recipients or [None])  # actor 2 is the sentence's recipient, or none (actor 1 kept alone)
    assert roads.cameo_root == "17" and roads.quad_class == 4 and roads.goldstein == -9.2
    assert roads.date_lower.isoformat()[:10] == "2024-10-15"
    assert set(TABLES["events"]["cameo_code"].dropna()) <= set(cameo_reference()["code"])


def _expand(doc, contexts):
    from pyld import jsonld

    def loader(url, options=None):
        return {"contextUrl": None, "documentUrl": url, "document": contexts[url]}
    return jsonld.expand(doc, {"documentLoader": loader})


def test_web_annotations_expand_with_pyld(out):
    doc = json.loads((out / "w3c" / "annotations.jsonld").read_text())
    context = json.loads((ROOT / "tests" / "fixtures" / "anno-context.jsonld").read_text())
    expanded = _expand(doc, {"http://www.w3.org/ns/anno.jsonld": context})
    items = expanded[0]["http://www.w3.org/ns/activitystreams#first"][0]["http://www.w3.org/ns/activitystreams#items"][0]["@list"]
    assert len(items) == sum(len(TABLES[t]) for t in ANCHORED)
    text = (ROOT / "seeds" / "kor-weighs-weapons-for-ukraine.txt").read_text(encoding="utf-8")
    for item in items:
        selectors = item[ANNO + "hasTarget"][0][ANNO + "hasSelector"]
        quote = next(s for s in selectors if ANNO + "exact" in s)
        position = next(s for s in selectors if ANNO + "start" in s)
        start, end = int(position[ANNO + "start"][0]["@value"]), int(position[ANNO + "end"][0]["@value"])
        assert text[start:end] == quote[ANNO + "exact"][0]["@value"]
        assert text[:start].endswith(quote[ANNO + "prefix"][0]["@value"])


def test_brat_offsets_agree_with_the_text(out):
    text = (out / "brat" / "doc-0001.txt").read_text(encoding="utf-8")
    assert text == (ROOT / "seeds" / "kor-weighs-weapons-for-ukraine.txt").read_text(encoding="utf-8")
    lines = (out / "brat" / "doc-0001.ann").read_text(encoding="utf-8").splitlines()
    spans = [l.split("\t") for l in lines if l.startswith("T")]
    for _, type_span, covered in spans:
        fragments = [f.split(" ") for f in type_span.split(" ", 1)[1].split(";")]  # brat: 'Label 0 5;6 9' for a span over a line break
        assert " ".join(text[int(a):int(b)] for a, b in fragments) == covered
    assert len(spans) == sum(len(TABLES[t]) for t in ANCHORED)
    assert sum(l.startswith("E") for l in lines) == len(TABLES["events"])
    notes = {l.split("\t")[2] for l in lines if l.startswith("#")}
    assert set(TABLES["mentions"]["mention_id"]) <= notes


def test_claims_are_schema_org_claims_without_verdicts(out):
    doc = json.loads((out / "claims" / "claims.jsonld").read_text())
    expanded = _expand(doc, {"https://schema.org": {"@context": {"@vocab": "https://schema.org/"}}})
    claims = [n for n in expanded if "https://schema.org/Claim" in n.get("@type", [])]
    assert len(claims) == len(TABLES["claims"])
    text = json.dumps(doc)
    assert "ClaimReview" not in text and "reviewRating" not in text
    kim = next(n for n in doc["@graph"] if n["identifier"] == "clm-kor-will-implement-phased-measures")
    assert kim["author"]["name"] == "Kim Tae-hyo" and kim["author"]["@type"] == "Person"


def test_plover_records(out):
    records = json.loads((out / "plover" / "events.plover.json").read_text())
    from kordata.exports.counting import counted_events
    counted = counted_events(TABLES["events"], TABLES["event_relations"])  # each real-world event once
    coded = counted[counted["plover_type"].notna()]
    assert [r["id"] for r in records] == coded["event_id"].tolist()
    roads = next(r for r in records if r["id"] == "evt-prk-blows-up-roads")
    assert roads["event_type"] == "ASSAULT" and roads["mode"] == "destroy" and roads["actors"][0]["country"] == "PRK"
    assert roads["date_lower"] == "2024-10-15" and roads["date_basis"] == "partly_stated"


def test_csv_export_neutralises_formulas(tmp_path, package_copy):
    edit_cell(package_copy, "actors", "act-kor", "notes", '=HYPERLINK("http://example.invalid","x")')
    edit_cell(package_copy, "actors", "act-prk", "notes", "@SUM(A1)")
    export("csv", tmp_path / "csv", package_copy)
    import csv
    rows = {r["actor_id"]: r for r in csv.DictReader(open(tmp_path / "csv" / "actors.csv", encoding="utf-8"))}
    assert rows["act-kor"]["notes"].startswith("'=") and rows["act-prk"]["notes"].startswith("'@")
    # every other cell is exactly what the package's CSV holds: no 12000 -> 12000.0, no true -> True
    for name in kordata.get_table_names():
        exported = list(csv.reader(open(tmp_path / "csv" / f"{name}.csv", encoding="utf-8")))
        source = list(csv.reader(open(package_copy / "data" / f"{name}.csv", encoding="utf-8")))
        if name != "actors":
            assert exported == source, name
    figures = list(csv.DictReader(open(tmp_path / "csv" / "figures.csv", encoding="utf-8")))
    assert {r["value"] for r in figures} == {r["value"] for r in csv.DictReader(open(package_copy / "data" / "figures.csv"))}
    assert all(r["approximate"] in ("true", "false") for r in figures)


def test_dyads_csv_keeps_negative_numbers_as_numbers(out):
    import csv
    rows = list(csv.DictReader(open(out / "dyads" / "dyads.csv", encoding="utf-8")))
    assert any(r["goldstein"] == "-9.2" for r in rows)


def test_cli_export_and_unknown_format(tmp_path):
    ok = run_kordata("export", "plover", "--out", str(tmp_path / "p"))
    assert ok.returncode == 0 and "events.plover.json" in ok.stdout
    bad = run_kordata("export", "xlsx", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1

"""Corruption suite: each kind of damage, applied to a copy of the shipped package (datapackage.json's
bytes and hashes refreshed, so only real checks can catch it), makes ``kordata validate`` fail with a
failure naming the expected table, row id, column and rule, at the row's true row number. The clean
copy passes. Rows are chosen by what they hold, never by today's ids or counts.

Layer 1 is held to frictionless both ways: on every kind, frictionless itself (``--engine
frictionless``, which also applies kordata's own file rules) and kordata's engine flag the same rows
and the same tables. Kinds that damage only meaning (layers 2 and 3) are checked one by one for a
clean layer 1, and all together, in one copy, for frictionless' agreement (a frictionless run costs
~1.5 s: one per such kind would cost minutes of CI).
"""
from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable

import pytest
from conftest import ROOT, copy_package, refresh_hashes
from damage import (
    SEED,
    add_row,
    drop_rows,
    edit_bytes,
    edit_descriptor,
    edit_schema,
    edit_seed,
    field,
    key,
    pick,
    resource,
    row_id,
    rows,
    set_cells,
    set_span,
    text,
    write,
)

import kordata

Expected = tuple  # (table, row_id, column, rule); None matches anything
KINDS: list[tuple[str, str, Callable]] = []
LAYER_1 = "layer-1"  # compared with frictionless one by one
MEANING = "meaning"  # layers 2 and 3: layer 1 stays clean


def kind(name: str, group: str = LAYER_1):
    def register(fn):
        KINDS.append((name, group, fn))
        return fn
    return register


# ---------------------------------------------------------------- layer 1: cells and Table Schema constraints

@kind("wrong type")
def _(r):
    rid = row_id(r, "mentions")
    set_cells(r, "mentions", rid, start="zero")
    return ("mentions", rid, "start", "type")


@kind("empty required field")
def _(r):
    rid = row_id(r, "events", summary=...)
    set_cells(r, "events", rid, summary="")
    return ("events", rid, "summary", "required")


@kind("duplicate id")
def _(r):
    first, second = rows(r, "mentions")[:2]
    set_cells(r, "mentions", second["mention_id"], mention_id=first["mention_id"])
    return ("mentions", first["mention_id"], "mention_id", "unique")


@kind("value outside vocabulary")
def _(r):
    rid = row_id(r, "claims")
    set_cells(r, "claims", rid, certainty="CT")
    return ("claims", rid, "certainty", "enum")


@kind("vocabulary value in another case")
def _(r):
    rid = row_id(r, "events", status="occurred")
    set_cells(r, "events", rid, status="Occurred")
    return ("events", rid, "status", "enum")


@kind("vocabulary value with a trailing space")
def _(r):
    rid = row_id(r, "events")
    set_cells(r, "events", rid, event_type=pick(r, "events", event_id=rid)["event_type"] + " ")
    return ("events", rid, "event_type", "enum")


@kind("malformed id")
def _(r):
    rid = row_id(r, "figures")
    set_cells(r, "figures", rid, figure_id="fig_1500")
    return ("figures", "fig_1500", "figure_id", "pattern")


@kind("id in upper case")
def _(r):
    rid = row_id(r, "figures")
    set_cells(r, "figures", rid, figure_id=rid.upper())
    return ("figures", rid.upper(), "figure_id", "pattern")


@kind("malformed code")
def _(r):
    rid = row_id(r, "actors", country=...)
    set_cells(r, "actors", rid, country="Korea")
    return ("actors", rid, "country", "pattern")


@kind("malformed Wikidata id")
def _(r):
    rid = row_id(r, "actors", wikidata_id=...)
    set_cells(r, "actors", rid, wikidata_id="Q0")
    return ("actors", rid, "wikidata_id", "pattern")


@kind("URL of another scheme")
def _(r):
    rid = row_id(r, "sources")
    set_cells(r, "sources", rid, url="ftp://example.org/x")
    return ("sources", rid, "url", "pattern")


@kind("negative offset")
def _(r):
    rid = row_id(r, "mentions")
    set_cells(r, "mentions", rid, start="-1")
    return ("mentions", rid, "start", "minimum")


@kind("negative sentence index")
def _(r):
    rid = row_id(r, "sentences")
    set_cells(r, "sentences", rid, index="-1")
    return ("sentences", rid, "index", "minimum")


@kind("seed byte count of zero")
def _(r):
    rid = row_id(r, "documents")
    set_cells(r, "documents", rid, bytes="0")
    return ("documents", rid, "bytes", "minimum")


@kind("number with a thousands separator")
def _(r):
    rid = row_id(r, "figures")
    value = pick(r, "figures", figure_id=rid)["value"]
    set_cells(r, "figures", rid, value=f"{int(value):,}")
    return ("figures", rid, "value", "type")


@kind("boolean as yes")
def _(r):
    rid = row_id(r, "figures")
    set_cells(r, "figures", rid, approximate="yes")
    return ("figures", rid, "approximate", "type")


@kind("impossible calendar date")
def _(r):
    rid = row_id(r, "sources")
    set_cells(r, "sources", rid, retrieved="2026-02-30")
    return ("sources", rid, "retrieved", "type")


@kind("non-unique unique field")
def _(r):
    template = row_id(r, "sources")
    add_row(r, "sources", template, source_id="src-copy")
    return ("sources", "src-copy", "url", "unique")


@kind("empty required unit")
def _(r):
    rid = row_id(r, "figures")
    set_cells(r, "figures", rid, unit="")
    return ("figures", rid, "unit", "required")


@kind("dangling foreign key")
def _(r):
    rid = row_id(r, "claims", event_id=...)
    set_cells(r, "claims", rid, event_id="evt-nothing")
    return ("claims", rid, "event_id", "foreign-key")


# ---------------------------------------------------------------- layer 1: files, bytes and structure

@kind("stale sha256")
def _(r):
    edit_bytes(r, "figures", lambda b: b.replace(b"troops", b"troopz", 1), rehash=False)
    return ("figures", None, None, "hash-count")


@kind("stale bytes")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "documents").update(bytes=resource(d, "documents")["bytes"] + 1))
    return ("documents", None, None, "byte-count")


def _header_change(change):
    def corrupt(r):
        lines = (r / "data" / "figures.csv").read_text(encoding="utf-8").split("\n")
        head = next(csv.reader([lines[0]]))
        body = [next(csv.reader([line])) for line in lines[1:] if line]
        head, body = change(head, body)
        write(r, "figures", body, columns=head)
        return ("figures", None, None, "header")
    return corrupt


kind("column added")(_header_change(lambda h, b: (h + ["extra"], [x + ["x"] for x in b])))
kind("column removed")(_header_change(lambda h, b: (h[:-1], [x[:-1] for x in b])))
kind("column renamed")(_header_change(lambda h, b: ([("units" if c == "unit" else c) for c in h], b)))
kind("columns reordered")(_header_change(lambda h, b: (h[1:] + h[:1], [x[1:] + x[:1] for x in b])))
kind("column repeated")(_header_change(lambda h, b: (h[:-1] + [h[0]], b)))


@kind("missing header")
def _(r):
    edit_bytes(r, "figures", lambda b: b.split(b"\n", 1)[1])
    return ("figures", None, None, "header")


@kind("empty file")
def _(r):
    edit_bytes(r, "figures", lambda b: b"")
    return ("figures", None, None, "header")


@kind("file truncated mid-row")
def _(r):
    edit_bytes(r, "figures", lambda b: b[: b.rindex(b",", 0, len(b) - 1)])
    return ("figures", None, None, "final-newline")


@kind("missing file")
def _(r):
    (r / "data" / "figures.csv").unlink()
    return ("figures", None, None, "file-missing")


@kind("a folder where a table should be")
def _(r):
    (r / "data" / "figures.csv").unlink()
    (r / "data" / "figures.csv").mkdir()
    return ("figures", None, None, "file-unreadable")


@kind("a FIFO where a table should be")
def _(r):
    (r / "data" / "figures.csv").unlink()
    os.mkfifo(r / "data" / "figures.csv")
    return ("figures", None, None, "file-unreadable")


@kind("latin-1 (cp1252) encoding")
def _(r):
    edit_bytes(r, "mentions", lambda b: b.decode("utf-8").encode("cp1252"))
    return ("mentions", None, None, "encoding")


@kind("one invalid UTF-8 byte")
def _(r):
    edit_bytes(r, "events", lambda b: b.replace(b"meeting", b"meet\xffing", 1))
    return ("events", None, None, "encoding")


@kind("NUL byte in an id")
def _(r):
    rid = row_id(r, "events")
    set_cells(r, "events", rid, event_id=rid + "\x00")
    return ("events", rid + "\x00", "event_id", "pattern")


@kind("NUL byte in free text", MEANING)
def _(r):
    rid = row_id(r, "events")
    set_cells(r, "events", rid, summary="a\x00b")
    return ("events", rid, "summary", "characters")


@kind("byte order mark")
def _(r):
    edit_bytes(r, "figures", lambda b: b"\xef\xbb\xbf" + b)
    return ("figures", None, None, "encoding")


@kind("CRLF line endings")
def _(r):
    edit_bytes(r, "figures", lambda b: b.replace(b"\n", b"\r\n"))
    return ("figures", None, None, "line-endings")


@kind("stray delimiter")
def _(r):
    rid = rows(r, "figures")[-1]["figure_id"]
    edit_bytes(r, "figures", lambda b: b.replace(f"{rid},".encode(), f"{rid},,".encode()))
    return ("figures", rid, None, "extra-cell")


@kind("missing cell")
def _(r):
    rid = rows(r, "event_participants")[1]["participant_id"]
    edit_bytes(r, "event_participants", lambda b: b.replace(f"{rid},".encode(), f"{rid}".encode(), 1))
    return ("event_participants", None, None, "missing-cell")


@kind("stray quote")
def _(r):
    rid = rows(r, "figures")[-1]["figure_id"]
    edit_bytes(r, "figures", lambda b: b.replace(f"{rid},".encode(), f'{rid},"'.encode()))
    return ("figures", None, None, None)


@kind("blank line between rows")
def _(r):
    records = rows(r, "mentions")
    after = records[2]["mention_id"]
    edit_bytes(r, "mentions", lambda b: b.replace(f"\n{after},".encode(), f"\n\n{after},".encode(), 1))
    return ("mentions", None, None, "blank-row")


@kind("blank line, then a bad row: row numbers stay true")
def _(r):
    records = rows(r, "mentions")
    bad = records[5]["mention_id"]
    set_cells(r, "mentions", bad, kind="nickname", rehash=False)
    after = records[2]["mention_id"]
    edit_bytes(r, "mentions", lambda b: b.replace(f"\n{after},".encode(), f"\n\n{after},".encode(), 1))
    return ("mentions", bad, "kind", "enum")


@kind("blank lines at the end")
def _(r):
    edit_bytes(r, "figures", lambda b: b + b"\n\n")
    return ("figures", None, None, "blank-row")


@kind("row of empty cells")
def _(r):
    edit_bytes(r, "figures", lambda b: b + b"," * (len(rows(r, "figures")[0]) - 1) + b"\n")
    return ("figures", None, None, "blank-row")


@kind("line break inside a quoted cell, then a bad row")
def _(r):
    first, second = rows(r, "figures")[:2]
    set_cells(r, "figures", first["figure_id"], notes="two\nlines", rehash=False)
    set_cells(r, "figures", second["figure_id"], unit="")
    return ("figures", second["figure_id"], "unit", "required")


@kind("resource path with '..'")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "actors").update(path="../actors.csv"))
    return ("actors", None, None, "resource-path")


@kind("absolute resource path")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "actors").update(path="/etc/hostname"))
    return ("actors", None, None, "resource-path")


@kind("remote resource path (never fetched)")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "actors").update(path="https://example.org/actors.csv"))
    return ("actors", None, None, "resource-path")


@kind("absolute schema path")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "documents").update(schema="/etc/passwd"))
    return ("documents", None, None, "resource-schema")


@kind("symlink leaving the package")
def _(r):
    outside = r.parent / "outside.csv"
    outside.write_bytes((r / "data" / "figures.csv").read_bytes())
    (r / "data" / "figures.csv").unlink()
    os.symlink(outside, r / "data" / "figures.csv")
    return ("figures", None, None, "resource-path")


# ---------------------------------------------------------------- layer 1: the package's shape

@kind("resource removed")
def _(r):
    edit_descriptor(r, lambda d: d["resources"].remove(resource(d, "figures")))
    return ("figures", None, None, "resource-missing")


@kind("resource renamed")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "figures").update(name="numbers"))
    return ("figures", None, None, "resource-missing")


@kind("resource duplicated")
def _(r):
    edit_descriptor(r, lambda d: d["resources"].append(dict(resource(d, "figures"))))
    return ("figures", None, None, "resource-duplicated")


@kind("resource inlined")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "figures").update(data=[["x"]]))
    return ("figures", None, None, "resource-inlined")


@kind("resources emptied")
def _(r):
    edit_descriptor(r, lambda d: d.update(resources=[]))
    return ("datapackage.json", None, None, "resources-empty")


@kind("hash removed")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "events").pop("hash"))
    return ("events", None, None, "resource-hash")


@kind("hash of another algorithm")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "events").update(hash="md5:" + "0" * 32))
    return ("events", None, None, "resource-hash")


@kind("bytes removed")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "events").pop("bytes"))
    return ("events", None, None, "resource-bytes")


@kind("schema inlined")
def _(r):
    schema = json.loads((r / "schemas" / "figures.json").read_text())
    edit_descriptor(r, lambda d: resource(d, "figures").update(schema=schema))
    return ("figures", None, None, "resource-schema")


@kind("schema outside schemas/")
def _(r):
    (r / "data" / "figures.json").write_bytes((r / "schemas" / "figures.json").read_bytes())
    edit_descriptor(r, lambda d: resource(d, "figures").update(schema="data/figures.json"))
    return ("figures", None, None, "resource-schema")


@kind("dialect with another delimiter")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "figures").update(dialect={"delimiter": ";"}))
    return ("figures", None, None, "resource-dialect")


@kind("dialect to fetch from a server (never fetched)")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "figures").update(dialect="https://example.org/dialect.json"))
    return ("figures", None, None, "resource-dialect")


@kind("resource profile to fetch from a server (never fetched)")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "figures").update(profile="https://example.org/profile.json"))
    return ("figures", None, None, "resource-profile")


@kind("descriptor profile to fetch from a server (never fetched)")
def _(r):
    edit_descriptor(r, lambda d: d.update({"$schema": "https://example.org/datapackage.json"}))
    return ("datapackage.json", None, None, "profile")


@kind("declared encoding other than UTF-8")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "figures").update(encoding="latin-1"))
    return ("figures", None, None, "resource-format")


@kind("resource name that would leave an export folder")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "figures").update(name="../figures"))
    return ("../figures", None, None, "resource-name")


@kind("version that is no version")
def _(r):
    edit_descriptor(r, lambda d: d.update(version="one"))
    return ("datapackage.json", None, None, "version")


@kind("duplicate key in the descriptor")
def _(r):
    raw = (r / "datapackage.json").read_text()
    (r / "datapackage.json").write_text(raw.replace('"name": "kordata",', '"name": "kordata", "name": "other",', 1))
    return ("datapackage.json", None, None, "descriptor")


@kind("descriptor nested 100,000 deep")
def _(r):
    (r / "datapackage.json").write_text('{"resources": ' + "[" * 100_000 + "]" * 100_000 + "}")
    return ("datapackage.json", None, None, "descriptor")


@kind("NaN in the descriptor")
def _(r):
    edit_descriptor(r, lambda d: resource(d, "figures").update(bytes=float("nan")))
    return ("datapackage.json", None, None, "descriptor")


def _schema_kind(name, table, change, expected_rule="schema"):
    def corrupt(r):
        edit_schema(r, table, change)
        return (table, None, None, expected_rule)
    kind(name)(corrupt)


@kind("duplicate key in a schema")
def _(r):
    path = r / "schemas" / "figures.json"
    path.write_text(path.read_text().replace('"title": "Figures",', '"title": "Figures", "title": "Numbers",', 1))
    return ("figures", None, None, "schema")


_schema_kind("schema fields that are strings", "figures", lambda s: s.update(fields=[f["name"] for f in s["fields"]]))
_schema_kind("constraints that are not an object", "figures", lambda s: field(s, "unit").update(constraints="required"))
_schema_kind("invalid regular expression", "figures", lambda s: field(s, "figure_id")["constraints"].update(pattern="^fig-[a-z"))
_schema_kind("constraint kordata does not check", "figures", lambda s: field(s, "unit")["constraints"].update(jsonSchema={}))
_schema_kind("field type kordata does not read", "figures", lambda s: field(s, "value").update(type="geopoint"))
_schema_kind("primary key naming no field", "figures", lambda s: s.update(primaryKey=["nothing"]))
_schema_kind("Table Schema profile to fetch from a server", "figures", lambda s: s.update({"$schema": "https://example.org/ts.json"}))
_schema_kind("missing values other than the empty string", "figures", lambda s: s.update(missingValues=["NA"]))
_schema_kind("booleans read as yes/no", "figures", lambda s: field(s, "approximate").update(trueValues=["yes"]))
_schema_kind("enum that is not a list of strings", "events", lambda s: field(s, "status")["constraints"].update(enum="occurred"))
_schema_kind("foreign key to a table the package lacks", "figures",
             lambda s: s["foreignKeys"].append({"fields": ["event_id"], "reference": {"resource": "happenings", "fields": ["event_id"]}}),
             "foreign-key")


# ---------------------------------------------------------------- layer 2: rules across a row, canonical forms, characters

def _rule(name, table, where, values, rule):
    def corrupt(r):
        rid = row_id(r, table, **where)
        set_cells(r, table, rid, **values)
        return (table, rid, "", rule)
    kind(name, MEANING)(corrupt)


_rule("date contradicting its basis", "statements", {"date_basis": "unknown"}, {"date": "2024-10"}, "date-unknown-iff-empty")
_rule("stated date marked uncertain", "events", {"date_basis": "partly_stated"}, {"date_basis": "stated"}, "date-stated-not-uncertain")
_rule("inferred date without a note", "events", {"date_basis": "inferred"}, {"date_note": ""}, "date-inferred-needs-note")
_rule("inferred date not marked uncertain", "events", {"date_basis": "inferred"}, {"date": "2024-10"}, "date-inferred-is-marked")
_rule("outlet given though not stated", "documents", {"outlet_status": "not_stated"}, {"outlet": "Yonhap"}, "outlet-status")
_rule("country empty though stated", "actors", {"country_basis": "stated"}, {"country": ""}, "country-basis")
_rule("inferred country without a note", "actors", {"country_basis": "inferred"}, {"country_note": ""}, "country-inferred-needs-note")
_rule("title for an actor who is no person", "actors", {"actor_type": "state"}, {"title": "President"}, "title-only-for-persons")
_rule("title without the mention that gives it", "actors", {"title": ...}, {"title_mention_id": ""}, "title-needs-evidence")
_rule("CAMEO code and its note both empty", "actors", {"cameo_code": ...}, {"cameo_code": "", "cameo_note": ""}, "cameo_code-or-note")
_rule("PLOVER mode without a type", "events", {"plover_type": ...}, {"plover_type": "", "plover_note": "x"}, "plover-mode-needs-type")
_rule("location given though unknown", "events", {"location_basis": "unknown"}, {"location": "Seoul"}, "location-basis")
_rule("unnamed source with a speaker", "statements", {"speaker_kind": "unnamed_source"}, {"speaker_actor_id": "act-kor"}, "speaker-kind")
_rule("speaker role for an unnamed source", "statements", {"speaker_kind": "unnamed_source"}, {"speaker_role": "official"},
      "speaker-role-for-persons")
_rule("information source without its basis", "statements", {"information_source_actor_id": ...}, {"information_source_basis": ""},
      "information-source-basis")
_rule("inferred information source without a note", "statements", {"information_source_basis": "inferred"},
      {"information_source_note": ""}, "information-source-inferred-needs-note")
_rule("partly stated location without a note", "events", {"location_basis": "partly_stated"}, {"location_note": ""},
      "location-inferred-needs-note")
_rule("actor claimant without an actor", "claims", {"claimant_kind": "actor"}, {"claimant_actor_id": ""}, "claimant-kind")
_rule("attributed claim without its statement", "claims", {"claimant_kind": "unnamed_source"}, {"statement_id": ""},
      "attributed-claim-has-statement")
_rule("approximate figure without its cue", "figures", {"approximate": "true"}, {"approximation_cue": ""}, "approximation-cue")


@kind("actor that is its own parent", MEANING)
def _(r):
    rid = row_id(r, "actors", parent_actor_id=...)
    set_cells(r, "actors", rid, parent_actor_id=rid)
    return ("actors", rid, "", "parent-not-self")


def _form(name, table, where, column, value, rule="canonical"):
    def corrupt(r):
        rid = row_id(r, table, **where)
        set_cells(r, table, rid, **{column: value(pick(r, table, **{key(r, table): rid})[column])})
        return (table, rid, column, rule)
    kind(name, MEANING)(corrupt)


_form("offset with a leading zero", "mentions", {}, "end", lambda v: "0" + v)
_form("offset with a plus sign", "mentions", {}, "end", lambda v: "+" + v)
_form("offset written as -0", "mentions", {"start": "0"}, "start", lambda v: "-0")
_form("offset zero-padded to 18 digits", "claims", {}, "end", lambda v: v.zfill(18))
_form("integer beyond 64 bits", "sentences", {}, "index", lambda v: "9" * 20)
_form("boolean in capitals", "figures", {}, "approximate", lambda v: v.upper())
_form("boolean as 1", "sentences", {"carries_content": "true"}, "carries_content", lambda v: "1")
_form("NaN-like number", "figures", {}, "value", lambda v: "NaN")
_form("infinite number", "figures", {}, "value", lambda v: "inf")
_form("number in exponent notation", "figures", {}, "value", lambda v: f"{int(v) / 1000}e3")
_form("number with a trailing .0", "figures", {}, "value", lambda v: v + ".0")
_form("date without leading zeros", "sources", {}, "retrieved", lambda v: f"{v[:4]}-1-5")
_form("ANSI escape in notes", "events", {}, "notes", lambda v: "\x1b[31mred\x1b[0m", "characters")
_form("zero-width space in a name", "actors", {}, "name", lambda v: v[:1] + "\u200b" + v[1:], "characters")
_form("right-to-left override in a summary", "events", {}, "summary", lambda v: "\u202e" + v, "characters")


@kind("line break inside an id", MEANING)
def _(r):
    rid = rows(r, "sources")[0]["source_id"]
    set_cells(r, "sources", rid, rehash=False, source_id=rid + "\n")
    write(r, "source_links", [{**link, "source_id": link["source_id"] + ("\n" if link["source_id"] == rid else "")}
                              for link in rows(r, "source_links")])
    return ("sources", rid + "\n", "source_id", "characters")


# ---------------------------------------------------------------- layer 3: spans and the text

def _shift(r, table, by):
    rid = rows(r, table)[3][key(r, table)]
    record = pick(r, table, **{key(r, table): rid})
    set_cells(r, table, rid, start=str(int(record["start"]) + by), end=str(int(record["end"]) + by))
    return rid


@kind("offsets shifted by one", MEANING)
def _(r):
    rid = _shift(r, "claims", 1)
    return ("claims", rid, "quote", "span-quote")


@kind("byte offsets after an en dash", MEANING)
def _(r):
    t = text(r)
    rid = next(m["mention_id"] for m in rows(r, "mentions") if len(t[: int(m["start"])].encode()) != int(m["start"]))
    m = pick(r, "mentions", mention_id=rid)
    start = len(t[: int(m["start"])].encode("utf-8"))
    set_cells(r, "mentions", rid, start=str(start), end=str(start + len(m["quote"])))
    return ("mentions", rid, "quote", "span-quote")


@kind("edited quote", MEANING)
def _(r):
    rid = row_id(r, "mentions", kind="short_name")
    quote = pick(r, "mentions", mention_id=rid)["quote"]
    set_cells(r, "mentions", rid, quote=quote[:-1] + ("n" if quote[-1] != "n" else "m"))
    return ("mentions", rid, "quote", "span-quote")


@kind("span past the end of the text", MEANING)
def _(r):
    rid = rows(r, "sentences")[-1]["sentence_id"]
    set_cells(r, "sentences", rid, end=str(len(text(r)) + 10))
    return ("sentences", rid, "end", "span-bounds")


@kind("end before start", MEANING)
def _(r):
    rid = row_id(r, "mentions", start=...)
    set_cells(r, "mentions", rid, end="1", start=str(int(pick(r, "mentions", mention_id=rid)["start"]) + 5))
    return ("mentions", rid, "", "span-ordered")


@kind("span cutting a word", MEANING)
def _(r):
    rid = row_id(r, "mentions", kind="name")
    m = pick(r, "mentions", mention_id=rid)
    set_span(r, "mentions", rid, int(m["start"]) + 1, int(m["end"]))
    return ("mentions", rid, "start", "word-boundary")


@kind("seed changed by one character", MEANING)
def _(r):
    (r / SEED).write_bytes((r / SEED).read_bytes().replace(b"12,000", b"13,000"))
    return ("documents", row_id(r, "documents"), "sha256", "seed-sha256")


@kind("seed edited in place with documents.sha256 updated", MEANING)
def _(r):
    edit_seed(r, "12,000", "13,000")
    rid = next(m["mention_id"] for m in rows(r, "mentions") if "12,000" in m["quote"])
    return ("mentions", rid, "quote", "span-quote")


@kind("released seed rewritten consistently (quotes, aliases and values follow)", MEANING)
def _(r):
    edit_seed(r, "12,000", "13,000")
    for path in (r / "data").glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace("12,000", "13,000").replace(",12000,", ",13000,"), encoding="utf-8")
    refresh_hashes(r)
    return ("documents", row_id(r, "documents"), "sha256", "released-seed")


@kind("seed with an escape character, documents updated", MEANING)
def _(r):
    edit_seed(r, "For reference:", "For reference\x1b")
    return ("documents", row_id(r, "documents"), "path", "seed-characters")


@kind("seed length misstated", MEANING)
def _(r):
    rid = row_id(r, "documents")
    set_cells(r, "documents", rid, length=str(int(pick(r, "documents", document_id=rid)["length"]) + 1))
    return ("documents", rid, "length", "seed-length")


@kind("seed bytes misstated", MEANING)
def _(r):
    rid = row_id(r, "documents")
    set_cells(r, "documents", rid, bytes=str(int(pick(r, "documents", document_id=rid)["bytes"]) + 1))
    return ("documents", rid, "bytes", "seed-bytes")


@kind("seed file missing", MEANING)
def _(r):
    (r / SEED).unlink()
    return ("documents", row_id(r, "documents"), "path", "seed-file")


@kind("seed file is a FIFO", MEANING)
def _(r):
    (r / SEED).unlink()
    os.mkfifo(r / SEED)
    return ("documents", row_id(r, "documents"), "path", "seed-file")


@kind("seed not UTF-8", MEANING)
def _(r):
    (r / SEED).write_bytes((r / SEED).read_bytes().replace("–".encode(), b"\x96"))
    return ("documents", row_id(r, "documents"), "path", "seed-encoding")


@kind("seed path leaving the package")
def _(r):
    rid = row_id(r, "documents")
    set_cells(r, "documents", rid, path="seeds/../../outside.txt")
    return ("documents", rid, "path", "seed-file")


# ---------------------------------------------------------------- layer 3: what the text says

@kind("figure value not the number stated", MEANING)
def _(r):
    rid = row_id(r, "figures")
    value = pick(r, "figures", figure_id=rid)["value"]
    set_cells(r, "figures", rid, value=value[:-1])  # 12000 -> 1200: a substring of the quote, not its number
    return ("figures", rid, "value", "value-in-quote")


@kind("figure value off by a factor", MEANING)
def _(r):
    rid = row_id(r, "figures")
    set_cells(r, "figures", rid, value="9000000000")
    return ("figures", rid, "value", "value-in-quote")


@kind("figure unit not in its quote", MEANING)
def _(r):
    rid = row_id(r, "figures")
    set_cells(r, "figures", rid, unit="rockets")
    return ("figures", rid, "unit", "verbatim")


@kind("approximation cue not in the quote", MEANING)
def _(r):
    rid = row_id(r, "figures", approximate="true")
    set_cells(r, "figures", rid, approximation_cue="roughly")
    return ("figures", rid, "approximation_cue", "verbatim")


@kind("figure outside the claim that gives it", MEANING)
def _(r):
    rid = row_id(r, "figures")
    figure = pick(r, "figures", figure_id=rid)
    other = next(c["claim_id"] for c in rows(r, "claims") if not (int(c["start"]) <= int(figure["start"]) and int(figure["end"]) <= int(c["end"])))
    set_cells(r, "figures", rid, claim_id=other)
    return ("figures", rid, "claim_id", "within-claim")


@kind("a figure row deleted", MEANING)
def _(r):
    rid = rows(r, "figures")[0]["figure_id"]
    links = [link["link_id"] for link in rows(r, "source_links") if link["figure_id"] == rid]
    drop_rows(r, "source_links", *links, rehash=False)  # the links that name it go too: only the figure is missing
    drop_rows(r, "figures", rid)
    return ("figures", None, "value", "figure-missing")


@kind("stated month not in the words quoted", MEANING)
def _(r):
    rid = row_id(r, "events", date_basis="partly_stated", date_text=...)
    date = pick(r, "events", event_id=rid)["date"]
    import re as _re
    match = _re.match(r"^(\d{4}[?~%]?-)(\d{2})", date)  # the month, after a year that may carry a level-2 qualifier
    month = int(match.group(2))
    set_cells(r, "events", rid, date=f"{match.group(1)}{month % 12 + 1:02d}{date[match.end():]}")
    return ("events", rid, "date", "date-stated")


@kind("date words not in the article", MEANING)
def _(r):
    rid = row_id(r, "statements", date_text=...)
    set_cells(r, "statements", rid, date_text="in July")
    return ("statements", rid, "date_text", "verbatim")


@kind("EDTF interval ending on 29 February 2023", MEANING)
def _(r):
    rid = row_id(r, "events", date_basis="inferred")
    set_cells(r, "events", rid, date="2024-10?/2023-02-29")
    return ("events", rid, "date", "edtf")


@kind("EDTF date of 31 April", MEANING)
def _(r):
    rid = row_id(r, "events", date_basis="inferred")
    set_cells(r, "events", rid, date="2024-04-31?")
    return ("events", rid, "date", "edtf")


@kind("malformed EDTF date", MEANING)
def _(r):
    rid = row_id(r, "events", date_basis="inferred")
    set_cells(r, "events", rid, date="2024-13-45")
    return ("events", rid, "date", "edtf")


@kind("EDTF interval that ends before it starts", MEANING)
def _(r):
    rid = row_id(r, "events", date_basis="inferred")
    set_cells(r, "events", rid, date="2024-10?/2023-01")
    return ("events", rid, "date", "edtf-bounds")


@kind("outside source's date of month 13", MEANING)
def _(r):
    rid = row_id(r, "sources", published=...)
    set_cells(r, "sources", rid, published="2024-13")
    return ("sources", rid, "published", "edtf")


@kind("direct quote without quotation marks", MEANING)
def _(r):
    rid = row_id(r, "statements", quote_type="indirect")
    set_cells(r, "statements", rid, quote_type="direct")
    return ("statements", rid, "quote_type", "quote-type")


@kind("indirect statement whose content is quoted", MEANING)
def _(r):
    rid = next(s["statement_id"] for s in rows(r, "statements") if s["quote_type"] == "mixed" and '"' in s["content"])
    set_cells(r, "statements", rid, quote_type="indirect")
    return ("statements", rid, "quote_type", "quote-type")


@kind("mixed statement without quotation marks", MEANING)
def _(r):
    rid = next(s["statement_id"] for s in rows(r, "statements") if s["quote_type"] == "indirect" and '"' not in s["quote"])
    set_cells(r, "statements", rid, quote_type="mixed")
    return ("statements", rid, "quote_type", "quote-type")


@kind("claim outside its statement", MEANING)
def _(r):
    claims, statements = rows(r, "claims"), {s["statement_id"]: s for s in rows(r, "statements")}
    for c in claims:
        if c["claimant_kind"] != "actor" or c["statement_note"]:
            continue
        other = next((s for s in statements.values() if s["speaker_actor_id"] == c["claimant_actor_id"]
                      and not (int(s["start"]) <= int(c["start"]) and int(c["end"]) <= int(s["end"]))), None)
        if other:
            set_cells(r, "claims", c["claim_id"], statement_id=other["statement_id"])
            return ("claims", c["claim_id"], "statement_id", "claim-in-statement")
    raise LookupError("no claim can be moved to another statement of its speaker")


@kind("claimant who is not the speaker", MEANING)
def _(r):
    rid = row_id(r, "claims", claimant_kind="actor", statement_note="")
    claimant = pick(r, "claims", claim_id=rid)["claimant_actor_id"]
    other = next(a["actor_id"] for a in rows(r, "actors") if a["actor_type"] == "person" and a["actor_id"] != claimant)
    set_cells(r, "claims", rid, claimant_actor_id=other)
    return ("claims", rid, "claimant_actor_id", "claimant-is-speaker")


@kind("mention of an actor by another's name", MEANING)
def _(r):
    rid = row_id(r, "mentions", kind="short_name")
    mention = pick(r, "mentions", mention_id=rid)
    other = next(a["actor_id"] for a in rows(r, "actors") if a["actor_type"] == "person" and a["actor_id"] != mention["actor_id"])
    for table, column, actor_column in (("statements", "speaker_mention_id", "speaker_actor_id"),
                                        ("event_participants", "mention_id", "actor_id"), ("actors", "title_mention_id", "actor_id")):
        for record in rows(r, table):
            if record[column] == rid:
                set_cells(r, table, record[key(r, table)], rehash=False, **{actor_column: other} if table != "actors" else {column: ""})
    set_cells(r, "mentions", rid, actor_id=other)
    return ("mentions", rid, "quote", "mention-surface")


@kind("name mention marked as a pronoun", MEANING)
def _(r):
    rid = row_id(r, "mentions", kind="name")
    set_cells(r, "mentions", rid, kind="pronoun")
    return ("mentions", rid, "quote", "mention-surface")


@kind("alias removed from its actor", MEANING)
def _(r):
    mention = pick(r, "mentions", kind="metonym")
    set_cells(r, "actors", mention["actor_id"], aliases=" | ".join(
        a for a in pick(r, "actors", actor_id=mention["actor_id"])["aliases"].split(" | ") if a != mention["quote"]))
    return ("mentions", mention["mention_id"], "quote", "mention-surface")


@kind("title that the text does not give", MEANING)
def _(r):
    rid = row_id(r, "actors", title=...)
    set_cells(r, "actors", rid, title="Chief " + pick(r, "actors", actor_id=rid)["title"])
    return ("actors", rid, "title", "verbatim")


@kind("document title not in the text", MEANING)
def _(r):
    rid = row_id(r, "documents")
    set_cells(r, "documents", rid, title="A different headline")
    return ("documents", rid, "title", "verbatim")


@kind("cited source not in the text", MEANING)
def _(r):
    rid = row_id(r, "documents", cited_sources=...)
    set_cells(r, "documents", rid, cited_sources=pick(r, "documents", document_id=rid)["cited_sources"] + " | Reuters")
    return ("documents", rid, "cited_sources", "verbatim")


@kind("stated location not in the text", MEANING)
def _(r):
    rid = row_id(r, "events", location_basis="stated")
    set_cells(r, "events", rid, location="Vladivostok")
    return ("events", rid, "location", "verbatim")


@kind("relation cue not in its quote", MEANING)
def _(r):
    rid = row_id(r, "event_relations", cue=...)
    set_cells(r, "event_relations", rid, cue="thereafter")
    return ("event_relations", rid, "cue", "verbatim")


@kind("cue not in the quote", MEANING)
def _(r):
    rid = row_id(r, "statements")
    set_cells(r, "statements", rid, cue="vowed")
    return ("statements", rid, "cue", "cue-in-quote")


@kind("content not in the quote", MEANING)
def _(r):
    rid = row_id(r, "statements")
    set_cells(r, "statements", rid, content="something never said")
    return ("statements", rid, "content", "content-in-quote")


@kind("reporting cue not in the text", MEANING)
def _(r):
    rid = row_id(r, "statements", reporting_cue=...)
    set_cells(r, "statements", rid, reporting_cue="sources whispered")
    return ("statements", rid, "reporting_cue", "reporting-cue-in-text")


@kind("hedge not in the text", MEANING)
def _(r):
    rid = row_id(r, "claims", hedge_cues=...)
    set_cells(r, "claims", rid, hedge_cues="roughly")
    return ("claims", rid, "hedge_cues", "hedge-in-text")


@kind("speaker not a person", MEANING)
def _(r):
    rid = row_id(r, "statements", speaker_kind="person")
    speaker = pick(r, "statements", statement_id=rid)
    mention = pick(r, "mentions", actor_id=next(a["actor_id"] for a in rows(r, "actors") if a["actor_type"] == "agency"))
    set_cells(r, "statements", rid, speaker_actor_id=mention["actor_id"], speaker_mention_id=mention["mention_id"])
    assert speaker["speaker_actor_id"] != mention["actor_id"]
    return ("statements", rid, "speaker_actor_id", "speaker-is-person")


@kind("evidence mention of another actor", MEANING)
def _(r):
    rid = row_id(r, "event_participants")
    participant = pick(r, "event_participants", participant_id=rid)
    other = next(m["mention_id"] for m in rows(r, "mentions") if m["actor_id"] != participant["actor_id"])
    set_cells(r, "event_participants", rid, mention_id=other)
    return ("event_participants", rid, "mention_id", "mention-actor")


@kind("title mention of another actor", MEANING)
def _(r):
    rid = row_id(r, "actors", title_mention_id=...)
    other = next(m["mention_id"] for m in rows(r, "mentions") if m["actor_id"] != rid)
    set_cells(r, "actors", rid, title_mention_id=other)
    return ("actors", rid, "title_mention_id", "mention-actor")


@kind("actor with no mention", MEANING)
def _(r):
    add_row(r, "actors", actor_id="act-nobody", parent_actor_id="", title="", title_time="", title_mention_id="")
    return ("actors", "act-nobody", "actor_id", "actor-mentioned")


# ---------------------------------------------------------------- layer 3: sentences, references, links

@kind("sentence count misstated", MEANING)
def _(r):
    rid = row_id(r, "documents")
    set_cells(r, "documents", rid, sentences=str(int(pick(r, "documents", document_id=rid)["sentences"]) + 1))
    return ("documents", rid, "sentences", "sentence-count")


@kind("sentence index skipped", MEANING)
def _(r):
    rid = rows(r, "sentences")[2]["sentence_id"]
    set_cells(r, "sentences", rid, index=str(int(pick(r, "sentences", sentence_id=rid)["index"]) + 1))
    return ("sentences", rid, "index", "sentence-index")


@kind("sentences overlapping", MEANING)
def _(r):
    first, second = rows(r, "sentences")[:2]
    set_span(r, "sentences", first["sentence_id"], int(first["start"]), int(second["start"]) + 5)
    return ("sentences", second["sentence_id"], "start", "sentence-tiling")


@kind("text left outside every sentence", MEANING)
def _(r):
    rid = rows(r, "sentences")[1]["sentence_id"]
    s = pick(r, "sentences", sentence_id=rid)
    set_span(r, "sentences", rid, int(s["start"]) + s["quote"].index(" ") + 1, int(s["end"]))
    return ("sentences", rid, "start", "sentence-tiling")


@kind("actor parents in a cycle", MEANING)
def _(r):
    child = pick(r, "actors", parent_actor_id=...)
    set_cells(r, "actors", child["parent_actor_id"], parent_actor_id=child["actor_id"])
    return ("actors", child["actor_id"], "parent_actor_id", "parent-cycle")


@kind("country that ISO 3166 does not have", MEANING)
def _(r):
    rid = row_id(r, "actors", country=...)
    set_cells(r, "actors", rid, country="XKX")
    return ("actors", rid, "country", "code")


@kind("location country that ISO 3166 does not have", MEANING)
def _(r):
    rid = row_id(r, "events", location_country=...)
    set_cells(r, "events", rid, location_country="KOX")
    return ("events", rid, "location_country", "code")


@kind("CAMEO code not in the reference", MEANING)
def _(r):
    rid = row_id(r, "events", cameo_code=...)
    set_cells(r, "events", rid, cameo_code="099")
    return ("events", rid, "cameo_code", "code")


@kind("language that ISO 639 does not have", MEANING)
def _(r):
    rid = row_id(r, "documents")
    set_cells(r, "documents", rid, language="qq")
    return ("documents", rid, "language", "code")


@kind("source link naming two rows", MEANING)
def _(r):
    link = pick(r, "source_links", event_id=...)
    set_cells(r, "source_links", link["link_id"], actor_id=rows(r, "actors")[0]["actor_id"])
    return ("source_links", link["link_id"], None, "link-target")


@kind("source link to a field its table lacks", MEANING)
def _(r):
    rid = row_id(r, "source_links")
    set_cells(r, "source_links", rid, field="colour")
    return ("source_links", rid, "field", "link-field")


@kind("source 'supporting' a value that is not inferred", MEANING)
def _(r):
    link = pick(r, "source_links", relation="supports", event_id=...)
    set_cells(r, "events", link["event_id"], date_basis="unknown", date="", date_note="unknown")
    return ("source_links", link["link_id"], "relation", "link-supports")


@kind("source retrieved in the future", MEANING)
def _(r):
    rid = row_id(r, "sources")
    set_cells(r, "sources", rid, retrieved="2999-01-01")
    return ("sources", rid, "retrieved", "retrieved-future")


@kind("source published after it was retrieved", MEANING)
def _(r):
    rid = row_id(r, "sources", published=...)
    set_cells(r, "sources", rid, published=str(int(pick(r, "sources", source_id=rid)["retrieved"][:4]) + 1))
    return ("sources", rid, "published", "published-after-retrieved")


@kind("uncited sentence that carries content", MEANING)
def _(r):
    rid = rows(r, "sentences")[-1]["sentence_id"]
    s = pick(r, "sentences", sentence_id=rid)
    for table in ("events", "statements", "claims"):
        cited = [x[key(r, table)] for x in rows(r, table) if int(x["start"]) < int(s["end"]) and int(x["end"]) > int(s["start"])]
        for record_id in cited:  # move each citing span onto the first sentence
            first = rows(r, "sentences")[0]
            set_span(r, table, record_id, int(first["start"]), int(first["end"]), rehash=False)
    refresh_hashes(r)
    return ("sentences", rid, "quote", "coverage")


# ---------------------------------------------------------------- Parquet copies (kordata:parquet): what pandas, polars,
# DuckDB and HF users read must be the CSV's data (the copy's hash recorded, so only the comparison catches it)

def _edit_parquet(r, table, change):
    import hashlib

    import pyarrow.parquet as pq
    path = r / resource(descriptor_of(r), table)["kordata:parquet"]["path"]
    pq.write_table(change(pq.read_table(path)), path)
    data = path.read_bytes()
    edit_descriptor(r, lambda d: resource(d, table)["kordata:parquet"].update(bytes=len(data), hash="sha256:" + hashlib.sha256(data).hexdigest()))


def descriptor_of(r):
    return json.loads((r / "datapackage.json").read_text(encoding="utf-8"))


@kind("Parquet copy with two actors swapped", MEANING)
def _(r):
    import pyarrow as pa
    first = rows(r, "event_participants")[0]
    second = next(x for x in rows(r, "event_participants") if x["actor_id"] != first["actor_id"])

    def swap(t):
        ids = t.column("participant_id").to_pylist()
        actors = t.column("actor_id").to_pylist()
        i, j = ids.index(first["participant_id"]), ids.index(second["participant_id"])
        actors[i], actors[j] = actors[j], actors[i]
        at = t.schema.get_field_index("actor_id")
        return t.set_column(at, t.schema.field(at), pa.array(actors, type=t.schema.field(at).type))
    _edit_parquet(r, "event_participants", swap)
    return ("event_participants", first["participant_id"], "actor_id", "parquet-copy")


@kind("Parquet copy without a column", MEANING)
def _(r):
    _edit_parquet(r, "figures", lambda t: t.drop_columns(["unit"]))
    return ("figures", "", "", "parquet-copy")


@kind("Parquet copy replaced, hash not updated", MEANING)
def _(r):
    path = r / resource(descriptor_of(r), "claims")["kordata:parquet"]["path"]
    path.write_bytes(path.read_bytes()[:-9] + b"PAR1PAR1!")
    return ("claims", "", "", "parquet-copy")


# ---------------------------------------------------------------- invisible characters: Default_Ignorable_Code_Point, Cf,
# Co (each code point an attacker used, and where its class comes from)

for _code, _why in [
    (0x00AD, "soft hyphen (Cf)"), (0x034F, "combining grapheme joiner (default-ignorable)"), (0x115F, "Hangul choseong filler"),
    (0x3164, "Hangul filler"), (0x180E, "Mongolian vowel separator (Cf)"), (0xFE0F, "variation selector"),
    (0x1D173, "musical symbol begin beam (Cf)"), (0xFFFC, "object replacement character"), (0xE000, "private use (Co)"),
    (0xE0041, "tag letter (Cf)"),
]:
    @kind(f"invisible character U+{_code:04X} ({_why}) in free text", MEANING)
    def _(r, code=_code):
        record = pick(r, "events", summary=...)
        words = record["summary"].split(" ")
        words[1] = words[1] + chr(code)
        set_cells(r, "events", record["event_id"], summary=" ".join(words))
        return ("events", record["event_id"], "summary", "characters")


# ---------------------------------------------------------------- locality: a row that points to another row shares a
# sentence with it (spans widened to whole sentences), unless its note field says why

def _widen(r, start, end):
    touched = [x for x in rows(r, "sentences") if int(x["start"]) < max(end, start + 1) and int(x["end"]) > start]
    return min([start] + [int(x["start"]) for x in touched]), max([end] + [int(x["end"]) for x in touched])


def _far(r, table, start, end, **where):
    """A row of ``table`` (matching ``where``) whose sentences share nothing with [start, end)."""
    lo, hi = _widen(r, start, end)
    for x in rows(r, table):
        if all(x[k] == v for k, v in where.items()):
            a, b = _widen(r, int(x["start"]), int(x["end"]))
            if b <= lo or a >= hi:
                return x[key(r, table)]
    raise LookupError(f"no {table} row apart from [{start}, {end})")


@kind("speaker mention in another paragraph", MEANING)
def _(r):
    st = pick(r, "statements", speaker_mention_id=...)
    far = _far(r, "mentions", int(st["start"]), int(st["end"]))
    set_cells(r, "statements", st["statement_id"], speaker_mention_id=far)
    return ("statements", st["statement_id"], "speaker_mention_id", "link-locality")


@kind("figure attached to an event told elsewhere", MEANING)
def _(r):
    fig = pick(r, "figures", event_id=..., notes="")
    set_cells(r, "figures", fig["figure_id"], event_id=_far(r, "events", int(fig["start"]), int(fig["end"])))
    return ("figures", fig["figure_id"], "event_id", "link-locality")


@kind("claim on a statement told elsewhere, no statement_note", MEANING)
def _(r):
    claim = pick(r, "claims", statement_id=..., statement_note="")
    set_cells(r, "claims", claim["claim_id"], statement_id=_far(r, "statements", int(claim["start"]), int(claim["end"])))
    return ("claims", claim["claim_id"], "statement_id", "link-locality")


@kind("participant's evidence mention outside its event", MEANING)
def _(r):
    par = pick(r, "event_participants", mention_id=..., notes="")
    event = pick(r, "events", event_id=par["event_id"])
    actor = pick(r, "mentions", mention_id=par["mention_id"])["actor_id"]
    set_cells(r, "event_participants", par["participant_id"], mention_id=_far(r, "mentions", int(event["start"]), int(event["end"]), actor_id=actor))
    return ("event_participants", par["participant_id"], "mention_id", "link-locality")


@kind("relation joining an event told elsewhere, no note", MEANING)
def _(r):
    rel = pick(r, "event_relations", basis_note="", notes="", relation="follows")
    set_cells(r, "event_relations", rel["relation_id"], related_event_id=_far(r, "events", int(rel["start"]), int(rel["end"])))
    return ("event_relations", rel["relation_id"], "related_event_id", "link-locality")


@kind("date_text taken from another sentence", MEANING)
def _(r):
    dated = pick(r, "events", date_text=...)
    other = next(x for x in rows(r, "events") if x["date_text"] == "" and _far(r, "events", int(x["start"]), int(x["end"]),
                                                                                event_id=dated["event_id"]))
    set_cells(r, "events", other["event_id"], date_text=dated["date_text"], date=dated["date"], date_basis="stated", date_note="")
    return ("events", other["event_id"], "date_text", "date-text-locality")


# ---------------------------------------------------------------- cheap rules on meaning: hedged figures, 'same', segmentation

@kind("hedged figure marked exact", MEANING)
def _(r):
    fig = next(x for x in rows(r, "figures") if x["quote"].lower().startswith(("about ", "some ", "nearly ", "over ", "almost ", "around ")))
    set_cells(r, "figures", fig["figure_id"], approximate="false", approximation_cue="")
    return ("figures", fig["figure_id"], "approximate", "approximate-hedge")


@kind("'same' joining events of two types", MEANING)
def _(r):
    types = {x["event_id"]: x["event_type"] for x in rows(r, "events")}
    rel = next(x for x in rows(r, "event_relations") if x["relation"] != "same" and types.get(x["event_id"]) != types.get(x["related_event_id"])
               and x["event_id"] not in {y["event_id"] for y in rows(r, "event_relations") if y["relation"] == "same"})
    set_cells(r, "event_relations", rel["relation_id"], relation="same")
    return ("event_relations", rel["relation_id"], "relation", "same-relation")


@kind("'possibly_same' the article is silent on made 'same'", MEANING)
def _(r):
    rel = next(x for x in rows(r, "event_relations") if x["relation"] == "possibly_same" and x["basis"] == "inferred"
               and "does not say" in x["basis_note"])
    set_cells(r, "event_relations", rel["relation_id"], relation="same")
    return ("event_relations", rel["relation_id"], "basis", "same-relation")


@kind("sentence boundary moved (sentences still tile the text)", MEANING)
def _(r):
    first, second = rows(r, "sentences")[1:3]
    cut = int(second["start"]) + len(second["quote"].split(" ")[0]) + 1
    set_span(r, "sentences", first["sentence_id"], int(first["start"]), cut, rehash=False)
    set_span(r, "sentences", second["sentence_id"], cut, int(second["end"]))
    return ("sentences", first["sentence_id"], "end", "segmentation")


# ---------------------------------------------------------------- anchoring: a copy of this version holds the descriptor and
# schemas of its release (when the version is released) or of the trusted package (while it is not); each tampering below
# lets a damaged row through layers 1 and 2


def anchored(r, what: str) -> str:
    """The rule that anchors ``what`` (schema or descriptor) in the copy ``r``: the release manifest of its version, which
    the installed (trusted) package ships once the version is released, else the trusted package itself."""
    version = json.loads((r / "datapackage.json").read_text(encoding="utf-8"))["version"]
    return f"released-{what}" if (ROOT / "releases" / f"{version}.json").exists() else f"trusted-{what}"


@kind("schema enum widened (a value outside the real vocabulary)", MEANING)
def _(r):
    rid = row_id(r, "events")
    edit_schema(r, "events", lambda s: field(s, "status")["constraints"]["enum"].append("rumoured"))
    set_cells(r, "events", rid, status="rumoured")
    return ("events", "", "", anchored(r, "schema"))


@kind("schema required dropped (an empty summary)", MEANING)
def _(r):
    rid = row_id(r, "events", summary=...)
    edit_schema(r, "events", lambda s: field(s, "summary")["constraints"].pop("required"))
    set_cells(r, "events", rid, summary="")
    return ("events", "", "", anchored(r, "schema"))


@kind("schema primary key widened (a duplicated id)", MEANING)
def _(r):
    first, second = rows(r, "mentions")[:2]

    def widen(s):
        field(s, key(r, "mentions"))["constraints"].pop("unique", None)
        s["primaryKey"] = [key(r, "mentions"), "actor_id"]
    edit_schema(r, "mentions", widen)
    if first["actor_id"] != second["actor_id"]:
        set_cells(r, "mentions", second["mention_id"], mention_id=first["mention_id"])
    return ("mentions", "", "", anchored(r, "schema"))


@kind("descriptor licence replaced", MEANING)
def _(r):
    edit_descriptor(r, lambda d: d.update(licenses=[{"name": "proprietary", "title": "All rights reserved"}]))
    return ("datapackage.json", "", "", anchored(r, "descriptor"))


# ---------------------------------------------------------------- the tests

def matches(failure, expected: Expected) -> bool:
    return all(e is None or e == got for e, got in zip(expected, (failure.table, failure.row_id, failure.column, failure.rule)))


def true_rows(root, table, rid) -> set[int]:
    """The row numbers of the records whose first cell is ``rid``: records counted as frictionless counts them."""
    try:
        records = list(csv.reader(io.StringIO((root / "data" / f"{table}.csv").read_text(encoding="utf-8"), newline="")))
    except (OSError, UnicodeDecodeError, csv.Error):
        return set()
    return {number for number, record in enumerate(records, start=1) if record and record[0] == rid}


def test_at_least_a_hundred_and_forty_kinds():
    names = [k[0] for k in KINDS]
    assert len(names) == len(set(names)) and len(names) >= 140, len(names)


def test_clean_copy_has_no_false_positives(tmp_path):
    report = kordata.validate(copy_package(tmp_path / "pkg"))
    assert report.ok, report.to_text()
    theirs = kordata.validate(tmp_path / "pkg", layers=(1,), engine="frictionless")
    assert theirs.ok, theirs.to_text()
    _agree(report, theirs, "clean copy")


READ_RULES = {"header", "encoding", "line-endings", "file-missing", "file-unreadable", "file-too-large", "field-too-large",
              "csv-structure", "resource-path", "resource-schema", "schema"}


def _layer_1_findings(report) -> tuple[set, set, set, set]:
    """(rows, tables, foreign-key rows, unreadable tables) flagged by layer 1: row-level findings by
    (table, row), the rest by table. The header (row 1) counts as the table."""
    rows_, tables, fk_rows, unreadable = set(), set(), set(), set()
    for f in [f for c in report.checks if c.layer == 1 for f in c.failures]:
        if f.rule == "frictionless-refused":
            continue
        if f.rule in READ_RULES or (f.rule.endswith("-error") and f.row is None) or f.rule.endswith("-label"):
            unreadable.add(f.table)
        if f.row is not None and f.row > 1:
            (fk_rows if f.rule == "foreign-key" else rows_).add((f.table, f.row))
        else:
            tables.add(f.table)
    return rows_, tables, fk_rows, unreadable


REFERENCES = {path.stem: {fk["reference"].get("resource") or path.stem for fk in json.loads(path.read_text()).get("foreignKeys", [])}
              for path in (ROOT / "schemas").glob("*.json")}


def _agree(ours, theirs, kind_name):
    """frictionless (with kordata's own file rules) and kordata's engine flag the same rows, both ways,
    and a table one flags as a whole, the other flags too. When a table cannot be read, the tables whose
    foreign keys point into it may be flagged by one engine and not the other (frictionless reads a file
    with a wrong header, kordata does not; a missing file stops both): those consequences are not
    compared, nor are the rows of a table kordata cannot read (frictionless reads a file with a wrong header
    positionally), which both must flag. A package frictionless refused (unsafe path) must fail kordata's
    layer 1 too."""
    assert ours.layer_passed(1) == theirs.layer_passed(1), (
        f"{kind_name}: kordata's layer 1 {'passes' if ours.layer_passed(1) else 'fails'}, frictionless' does not\n"
        + ours.to_text() + theirs.to_text()
    )
    if any(f.rule == "frictionless-refused" for f in theirs.failures):
        return
    our_rows, our_tables, our_fk, our_broken = _layer_1_findings(ours)
    their_rows, their_tables, their_fk, their_broken = _layer_1_findings(theirs)
    # a table kordata cannot read (wrong header, not UTF-8, not a file) has no rows to compare: frictionless may
    # read it positionally; both must flag the table itself
    assert our_broken <= their_tables | {t for t, _ in their_rows}, f"{kind_name}: tables only kordata cannot read: {our_broken}"
    their_rows = {(t, row) for t, row in their_rows if t not in our_broken}
    their_fk = {(t, row) for t, row in their_fk if t not in our_broken}
    assert their_rows <= our_rows, f"{kind_name}: rows frictionless flags that kordata does not: {sorted(their_rows - our_rows)}"
    assert our_rows <= their_rows, f"{kind_name}: rows kordata flags that frictionless does not: {sorted(our_rows - their_rows)}"
    consequences = {t for t, targets in REFERENCES.items() if targets & (our_broken | their_broken)}
    fk_consequences = {(t, row) for t, row in our_fk ^ their_fk if t in consequences}
    assert their_fk - fk_consequences <= our_fk, f"{kind_name}: foreign keys only frictionless flags: {sorted(their_fk - our_fk)}"
    assert our_fk - fk_consequences <= their_fk, f"{kind_name}: foreign keys only kordata flags: {sorted(our_fk - their_fk)}"
    flagged_ours = our_tables | {t for t, _ in our_rows | our_fk}
    flagged_theirs = their_tables | {t for t, _ in their_rows | their_fk}
    assert their_tables - consequences <= flagged_ours, f"{kind_name}: tables only frictionless flags: {their_tables - flagged_ours}"
    assert our_tables - consequences <= flagged_theirs, f"{kind_name}: tables only kordata flags: {our_tables - flagged_theirs}"


@pytest.mark.parametrize("name, group, corrupt", KINDS, ids=[k[0] for k in KINDS])
def test_corruption_is_caught_and_named(name, group, corrupt, package_copy):
    expected = corrupt(package_copy)
    report = kordata.validate(package_copy)
    assert not report.ok, f"{name}: not caught"
    hits = [f for f in report.failures if matches(f, expected)]
    assert hits, f"{name}: expected {expected}, got:\n{report.to_text()}"
    table, rid = expected[0], expected[1]
    if rid is not None and any(f.row is not None for f in hits):  # the row number is the row's true number
        assert any(f.row in true_rows(package_copy, table, rid) for f in hits), f"{name}: {[f.row for f in hits]}"
    if group == LAYER_1:
        _agree(report, kordata.validate(package_copy, layers=(1,), engine="frictionless"), name)
    else:  # damage to meaning leaves layer 1 clean (frictionless is compared on all of them at once, below)
        assert report.layer_passed(1), f"{name}: layer 1 fails:\n{report.to_text()}"


def test_frictionless_agrees_on_every_kind_of_damage_to_meaning(tmp_path):
    """All meaning kinds applied to one copy: layer 1 of both engines agrees."""
    root = copy_package(tmp_path / "pkg")
    applied = []
    for name, group, corrupt in KINDS:
        if group != MEANING or "seed" in name or "FIFO" in name:  # seed damage replaces the text others rely on
            continue
        try:
            corrupt(root)
        except (LookupError, AssertionError, StopIteration, ValueError):
            continue  # an earlier kind changed the row this one needs; it is checked on its own above
        applied.append(name)
    assert len(applied) >= 0.8 * sum(1 for k in KINDS if k[1] == MEANING and "seed" not in k[0]), applied
    ours, theirs = kordata.validate(root), kordata.validate(root, layers=(1,), engine="frictionless")
    _agree(ours, theirs, "all meaning kinds")  # (kinds applied together may also break layer 1: both must see it alike)
    assert not ours.ok


FOREIGN_KEYS = [(path.stem, fk) for path in sorted((ROOT / "schemas").glob("*.json"))
                for fk in json.loads(path.read_text()).get("foreignKeys", [])]


@pytest.mark.parametrize("table, fk", FOREIGN_KEYS, ids=[f"{t}.{','.join(fk['fields'])}" for t, fk in FOREIGN_KEYS])
def test_dangling_reference_for_each_foreign_key(table, fk, package_copy):
    column = fk["fields"][0]
    records = rows(package_copy, table)
    assert records, f"{table} has no rows: curate at least one"
    row = next((x for x in records if x[column]), records[0])
    rid = row[key(package_copy, table)]
    target = fk["reference"].get("resource") or table
    prefix = rows(package_copy, target)[0][key(package_copy, target)].split("-")[0]
    set_cells(package_copy, table, rid, **{column: f"{prefix}-dangling"})
    report = kordata.validate(package_copy)
    assert any(matches(f, (table, rid, column, "foreign-key")) for f in report.failures), report.to_text()
    _agree(report, kordata.validate(package_copy, layers=(1,), engine="frictionless"), column)


def test_cli_names_the_failure_on_one_line(package_copy):
    from conftest import run_kordata
    rid = row_id(package_copy, "claims")
    set_cells(package_copy, "claims", rid, certainty="CT")
    out = run_kordata("validate", str(package_copy))
    assert out.returncode == 1
    row = [c["claim_id"] for c in rows(package_copy, "claims")].index(rid) + 2  # header is line 1
    assert f"claims row {row} [{rid}] column certainty: enum" in out.stdout

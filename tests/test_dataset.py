"""The shipped package: frictionless validates it, the curation source reproduces it, generated
copies are fresh, and the tables answer the questions the dataset exists for."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, edit_cell

import kordata
from kordata.build.curation import compile_all
from kordata.build.refresh import generated_files, stale_files


def frictionless(path):
    exe = Path(sys.executable).parent / "frictionless"  # the console script installed beside this Python
    return subprocess.run([str(exe), "validate", str(path)], capture_output=True, text=True, timeout=300)


def test_frictionless_validate_passes():
    result = frictionless(ROOT / "datapackage.json")
    assert result.returncode == 0, result.stdout + result.stderr


def test_frictionless_validate_fails_on_a_broken_copy(package_copy):
    edit_cell(package_copy, "event_participants", "par-shin-meeting-1", "actor_id", "act-nobody")
    result = frictionless(package_copy / "datapackage.json")
    assert result.returncode == 1 and "foreign-key" in result.stdout


def test_curation_source_reproduces_the_tables():
    for name, text in compile_all(ROOT).items():
        assert (ROOT / "data" / f"{name}.csv").read_text(encoding="utf-8") == text, f"data/{name}.csv is stale: run python -m kordata.build.curation"


def test_generated_files_are_fresh():
    assert generated_files(ROOT)  # text files and the Parquet copies, compared byte for byte
    assert stale_files(ROOT) == [], "stale: run python -m kordata.build.refresh"


def test_descriptor_is_v2_and_complete():
    d = json.loads((ROOT / "datapackage.json").read_text())
    assert d["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    for key in ("name", "id", "title", "description", "version", "created", "licenses", "sources", "contributors", "keywords"):
        assert d.get(key), key
    for r in d["resources"]:
        assert r["schema"] == f"schemas/{r['name']}.json" and r["path"] == f"data/{r['name']}.csv"
        assert r["format"] == "csv" and r["mediatype"] == "text/csv" and r["encoding"] == "utf-8"
        assert r["hash"].startswith("sha256:") and r["bytes"] > 0


def test_schemas_describe_every_field_and_pair_enum_with_categories():
    for path in sorted((ROOT / "schemas").glob("*.json")):
        schema = json.loads(path.read_text())
        assert schema["primaryKey"] and schema["title"] and schema["description"]
        for field in schema["fields"]:
            assert field.get("title") and field.get("description"), f"{path.name}:{field['name']}"
            if "categories" in field:
                assert [c["value"] for c in field["categories"]] == field["constraints"]["enum"], f"{path.name}:{field['name']}"
                assert all(c.get("label") for c in field["categories"])


def test_every_link_is_a_declared_foreign_key():
    for path in sorted((ROOT / "schemas").glob("*.json")):
        schema = json.loads(path.read_text())
        declared = {f for fk in schema.get("foreignKeys", []) for f in fk["fields"]}
        links = {f["name"] for f in schema["fields"] if f["name"].endswith("_id") and f["name"] not in schema["primaryKey"] and f["name"] != "wikidata_id"}
        assert links <= declared, f"{path.name}: undeclared links {links - declared}"


# --- what a researcher must be able to answer from the tables alone -------------------------

@pytest.fixture(scope="module")
def t():
    return kordata.load_all()


def test_who_said_what_when_relayed_by_whom(t):
    st = t["statements"].set_index("statement_id")
    kim = st.loc["stm-kim-phased-measures"]
    assert kim.speaker_actor_id == "act-kim-tae-hyo" and kim.reported_by_actor_id == "act-yonhap"
    assert kim.speaker_role == "Deputy National Security Advisor" and kim.quote_type == "mixed"
    assert kim.date == "2024-10-22?" and kim.date_basis == "inferred" and kim.setting_event_id == "evt-kim-briefing"
    links = t["source_links"]
    sources = links.loc[(links.statement_id == "stm-kim-phased-measures") & (links.field == "date") & (links.relation == "supports"), "source_id"]
    assert len(sources) and set(sources) <= set(t["sources"]["source_id"])  # the inferred year rests on sources it names
    june = st.loc["stm-june-conditional-report"]
    assert june.speaker_kind == "unnamed_source" and june.date_text == "in June" and june.date_basis == "partly_stated"


def test_which_numbers_on_whose_authority(t):
    figures = t["figures"].merge(t["claims"], on="claim_id", suffixes=("", "_claim"))
    troops = figures.set_index("figure_id").loc["fig-prk-troops-12000"]
    assert troops.value == 12000 and bool(troops.approximate) and troops.approximation_cue == "about"
    assert troops.claimant_kind == "unnamed_source"
    source = t["statements"].set_index("statement_id").loc[troops.statement_id]
    # The article names no source for the figures: the service is the curator's reading, marked as such.
    assert source.information_source_actor_id == "act-kor-nis" and source.information_source_basis == "inferred"
    assert source.information_source_note


def test_who_did_what_to_whom(t):
    p = t["event_participants"]
    roads = p[p.event_id == "evt-prk-blows-up-roads"].set_index("role")["actor_id"]
    assert roads["initiator"] == "act-prk"
    deploy = p[p.event_id == "evt-prk-troop-deployment"].set_index("role")["actor_id"]
    assert deploy["initiator"] == "act-prk" and deploy["recipient"] == "act-rus"


def test_nothing_beyond_the_article_unmarked(t):
    ev = t["events"]
    has_year = ev["date"].notna() & ~ev["date"].astype("string").str.startswith("X").fillna(False)
    # The article names no year: every year present is inferred or partly stated, and says why.
    assert set(ev.loc[has_year, "date_basis"].astype(str)) <= {"inferred", "partly_stated"}
    assert ev.loc[has_year, "date_note"].str.contains("inferred", case=False).all()
    doc = t["documents"].iloc[0]
    assert doc.outlet_status == "not_stated" and doc.author_status == "not_stated" and doc.published_status == "not_stated"
    actors = t["actors"]
    assert actors.loc[actors.country_basis == "inferred", "country_note"].notna().all()
    assert set(actors.wikidata_id.dropna()) == {"Q884", "Q423", "Q159", "Q212", "Q37470"}


def test_outside_sources_support_only_inferred_values(t):
    links = t["source_links"]
    supports = links[links.relation == "supports"]
    assert len(supports)
    targets = {"event_id": "events", "statement_id": "statements", "actor_id": "actors"}
    for column, table in targets.items():
        rows = supports[supports[column].notna()]
        frame = t[table].set_index(t[table].columns[0])
        for row_id, field in zip(rows[column], rows["field"]):
            basis = frame.at[row_id, f"{field}_basis"]  # a supported value is one the curator inferred
            assert basis in ("inferred", "partly_stated"), (table, row_id, field, basis)


def test_every_source_is_used_and_dated(t):
    sources, links = t["sources"], t["source_links"]
    assert set(sources.source_id) == set(links.source_id)  # no source listed for nothing
    assert sources.retrieved.notna().all() and sources.retrieval_note.notna().all() and sources.summary.notna().all()


def test_no_note_rests_on_unnamed_outside_knowledge(t):
    for name, frame in t.items():
        for column in frame.columns:
            if column.endswith("note") or column.endswith("notes"):
                text = frame[column].dropna().astype(str)
                assert not text.str.contains("outside knowledge|general knowledge", case=False).any(), (name, column)

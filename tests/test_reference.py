"""The shipped CAMEO reference tables: complete, consistent with each other and with the schemas,
and derived by kordata.build.reference as its docstring says."""
import json

import pandas as pd
import pytest

from conftest import ROOT

from kordata.build.reference import crosswalk as parse_crosswalk
from kordata.build.reference import derive
from kordata.reference import cameo_events, cameo_plover, crosswalk


def test_cameo_events_are_a_complete_hierarchy():
    events = cameo_events()
    codes = events["code"]
    assert codes.is_unique and codes.str.fullmatch(r"\d{2,4}").all()
    roots = codes[codes.str.len() == 2]
    assert sorted(roots) == [f"{n:02d}" for n in range(1, 21)]  # CAMEO's 20 cue categories
    assert codes.str[:2].isin(roots).all()  # every code sits under a listed root
    four = codes[codes.str.len() == 4]
    assert four.str[:3].isin(codes).all()  # every four-digit code has its three-digit parent
    assert events["goldstein"].between(-10, 10).all() and events["name"].str.strip().ne("").all()
    assert events["name"].map(str.isascii).all()  # no mis-encoded names left


def test_every_event_code_in_the_data_is_listed():
    data = pd.read_csv(ROOT / "data" / "events.csv", dtype=str, keep_default_na=False)
    used = set(data["cameo_code"]) - {""}
    assert used and used <= set(cameo_events()["code"])


def test_crosswalk_covers_the_codes_and_speaks_the_schema_vocabulary():
    table = cameo_plover()
    events = set(cameo_events()["code"])
    assert table["cameo_code"].is_unique and set(table["cameo_code"]) <= events
    assert events - set(table["cameo_code"]) == {"08"}  # the one root with two PLOVER types
    dropped = table["cameo_code"].str[:2].isin(["01", "02"])
    assert (table["dropped"] == dropped).all()
    assert (table.loc[dropped, "plover_type"] == "").all() and (table.loc[~dropped, "plover_type"] != "").all()
    schema = json.loads((ROOT / "schemas" / "events.json").read_text())
    field = {f["name"]: f for f in schema["fields"]}
    assert set(table.loc[~dropped, "plover_type"]) <= set(field["plover_type"]["constraints"]["enum"])
    import re
    for column in ("plover_mode", "plover_contexts"):
        values = table[column][table[column] != ""]
        assert values.map(lambda v: re.fullmatch(field[column]["constraints"]["pattern"], v) is not None).all(), column


def test_crosswalk_lookup_falls_back_to_the_parent_code():
    table = cameo_plover().set_index("cameo_code")
    listed = table.index[(table.index.str.len() == 3) & ~table["dropped"]][0]
    missing = listed + "9"  # a four-digit code the crosswalk does not list
    assert missing not in table.index
    codes = pd.Series([listed, missing, "99", None], index=[10, 11, 12, 13])
    rows = crosswalk(codes)
    assert list(rows.index) == [10, 11, 12, 13]
    assert rows.at[10, "crosswalk_code"] == listed and rows.at[11, "crosswalk_code"] == listed
    assert rows.at[11, "plover_type"] == table.at[listed, "plover_type"]
    assert pd.isna(rows.at[12, "crosswalk_code"]) and pd.isna(rows.at[13, "plover_type"])


UPSTREAM = """# header comment
03: AGREE
030: AGREE,  , diplomatic # Express intent to cooperate
08: CONCEDE
081: CONCEDE,   ,   legal # Ease administrative sanctions
08: RETREAT
084: RETREAT, release ,  crime; corruption # Return, release
175: ASSAULT, pro_autocracy , military # once
175: ASSAULT, pro_autocracy , military # twice, same values
"""


def test_the_crosswalk_parser_trims_dedupes_and_skips_ambiguous_roots():
    parsed = parse_crosswalk(UPSTREAM)
    assert parsed["030"] == ("AGREE", "", "diplomatic")
    assert parsed["084"] == ("RETREAT", "release", "crime;corruption")
    assert parsed["03"] == ("AGREE", "", "") and "08" not in parsed and parsed["175"][1] == "pro_autocracy"
    with pytest.raises(ValueError, match="175"):
        parse_crosswalk(UPSTREAM + "175: COERCE, , military\n")


def test_derive_writes_both_tables_from_the_upstream_formats():
    codes = "CAMEOEVENTCODE\tEVENTDESCRIPTION\n01\tMAKE PUBLIC STATEMENT\n010\tMake statement \n03\tEXPRESS INTENT\n030\tExpress intent\n044\tMeet at a \u00d2hird\u00d3location\n"
    gold = "CAMEOEVENTCODE\tGOLDSTEINSCALE\n01\t0\n010\t0.0\n03\t4\n030\t4.0\n044\t2.5\n"
    out = derive(UPSTREAM, codes, gold)
    assert out["cameo_events.csv"].splitlines() == [
        "code,name,goldstein", "01,Make public statement,0.0", "010,Make statement,0.0", "03,Express intent,4.0",
        "030,Express intent,4.0", "044,Meet at a 'third' location,2.5"]
    assert out["cameo_plover.csv"].splitlines()[1:4] == ["01,,,,true", "010,,,,true", "03,AGREE,,,false"]
    with pytest.raises(ValueError, match="differ"):
        derive(UPSTREAM, codes, gold.replace("044\t2.5\n", ""))

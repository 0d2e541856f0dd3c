"""The dyadic event view GDELT and ICEWS users expect: one row per event × actor 1 × actor 2.

Which participants form a dyad is defined once, in kordata.domain (DYAD_PAIRS); events with an
actor 1 and no actor 2 keep one row with actor 2 empty, as GDELT allows; events with no actor 1
(an accusation by an unnamed source) give no row. CAMEO root code, QuadClass and Goldstein value
come from the event's CAMEO code (kordata/reference/cameo_events.csv); all are empty where the
event has no code.

Each real-world event is counted once (kordata.exports.counting): a row 'same' as another is left
out and listed in the kept row's ``same_event_ids``; rows 'possibly_same' are both kept, each
naming the other in ``possibly_same_event_ids``; acts that have not taken place (status promised
or hypothetical) are left out. The dyads of a kept row are its own participants'.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..domain import ACTOR1_ROLES, ACTOR2_ROLES, DYAD_PAIRS
from ..loading import load_all
from ..reference import cameo_events
from .counting import counted_events
from .safety import neutralise

COLUMNS = [
    "event_id",
    "document_id",
    "date",
    "date_lower",
    "date_upper",
    "date_basis",
    "actor1_id",
    "actor1_name",
    "actor1_code",
    "actor1_role",
    "actor2_id",
    "actor2_name",
    "actor2_code",
    "actor2_role",
    "event_type",
    "status",
    "same_event_ids",
    "possibly_same_event_ids",
    "cameo_code",
    "cameo_root",
    "quad_class",
    "goldstein",
    "plover_type",
    "plover_mode",
    "start",
    "end",
    "quote",
]


def cameo_reference() -> pd.DataFrame:
    """Every CAMEO event code with its name and Goldstein value (codes kept as strings)."""
    return cameo_events()


def quad_class(root: pd.Series) -> pd.Series:
    """GDELT QuadClass from a two-digit CAMEO root: 1 verbal cooperation (01-05), 2 material
    cooperation (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20)."""
    number = pd.to_numeric(root, errors="coerce")
    bins = pd.cut(number, bins=[0, 5, 8, 13, 20], labels=[1, 2, 3, 4])
    return pd.Series(bins, index=root.index).astype("Int64")


def dyads(path=None) -> pd.DataFrame:
    """The dyadic view as a DataFrame (see the module docstring)."""
    t = load_all(path)
    events, parts = counted_events(t["events"], t["event_relations"]), t["event_participants"]
    actors = t["actors"][["actor_id", "name", "cameo_code"]]
    one = parts[parts["role"].isin(ACTOR1_ROLES)][["event_id", "actor_id", "role"]].astype(str)
    two = parts[parts["role"].isin(ACTOR2_ROLES)][["event_id", "actor_id", "role"]].astype(str)
    pairs = one.merge(two, on="event_id", suffixes=("1", "2"))
    allowed = pd.Series([(a, b) in DYAD_PAIRS for a, b in zip(pairs["role1"], pairs["role2"], strict=False)], index=pairs.index, dtype=bool)
    pairs = pairs[allowed & (pairs["actor_id1"] != pairs["actor_id2"])]
    lonely = one.rename(columns={"actor_id": "actor_id1", "role": "role1"}).merge(
        pairs[["event_id", "actor_id1", "role1"]].drop_duplicates(), how="left", indicator=True
    )
    lonely = lonely[lonely["_merge"] == "left_only"].drop(columns="_merge")  # actor 1 with no actor 2: one row, actor 2 empty
    pairs = pd.concat([pairs, lonely], ignore_index=True)
    for n in ("1", "2"):
        pairs = pairs.merge(
            actors.rename(columns={"actor_id": f"actor_id{n}", "name": f"actor{n}_name", "cameo_code": f"actor{n}_code"}),
            on=f"actor_id{n}",
            how="left",
        )
    pairs = pairs.rename(columns={"actor_id1": "actor1_id", "actor_id2": "actor2_id", "role1": "actor1_role", "role2": "actor2_role"})
    out = events.merge(pairs, on="event_id", how="inner")
    code = out["cameo_code"].astype("string")
    out["cameo_root"] = code.str[:2]
    out["quad_class"] = quad_class(out["cameo_root"])
    goldstein = cameo_reference().set_index("code")["goldstein"]
    out["goldstein"] = code.map(goldstein).astype("Float64")
    out = out[COLUMNS].sort_values(["event_id", "actor1_id", "actor2_id"], na_position="first").reset_index(drop=True)
    for column in ("actor1_role", "actor2_role"):
        out[column] = out[column].astype("string")
    return out


def write_dyads(out: Path, path=None) -> list[Path]:
    """dyads.csv (spreadsheet-safe) and dyads.parquet."""
    frame = dyads(path)
    csv_path, parquet_path = out / "dyads.csv", out / "dyads.parquet"
    neutralise(frame).to_csv(csv_path, index=False, lineterminator="\n")
    frame.to_parquet(parquet_path, index=False)
    return [csv_path, parquet_path]

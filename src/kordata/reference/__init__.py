"""CAMEO reference tables shipped with kordata; where each comes from is in README.md beside them.

- ``cameo_events()``: every CAMEO 1.1b3 event code (roots included) with its name and GDELT's
  Goldstein value, codes kept as strings (leading zeros matter);
- ``cameo_plover()``: the official CAMEO -> PLOVER crosswalk, one row per CAMEO code;
- ``crosswalk(codes)``: the crosswalk row that governs each code (the code's own row, else its
  parent's: a four-digit code falls back to its three-digit parent, then to its root).

pandas is imported only when a table is first read, so ``import kordata`` stays light.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FOLDER = Path(__file__).resolve().parent
CROSSWALK_COLUMNS = ("plover_type", "plover_mode", "plover_contexts", "dropped")


def _read(name: str) -> pd.DataFrame:
    import pandas as pd

    return pd.read_csv(FOLDER / name, dtype=str, keep_default_na=False, encoding="utf-8")


@lru_cache(maxsize=1)
def cameo_events() -> pd.DataFrame:
    """code, name, goldstein (float): every CAMEO event code."""
    frame = _read("cameo_events.csv")
    frame["goldstein"] = frame["goldstein"].astype(float)
    return frame


@lru_cache(maxsize=1)
def cameo_plover() -> pd.DataFrame:
    """cameo_code, plover_type, plover_mode, plover_contexts (';'-separated), dropped (bool); empty
    strings where the crosswalk gives no value."""
    frame = _read("cameo_plover.csv")
    frame["dropped"] = frame["dropped"] == "true"
    return frame


def crosswalk(codes: pd.Series) -> pd.DataFrame:
    """For each CAMEO code, the crosswalk row that governs it (same index as ``codes``): the code's
    own row, else its three-digit parent's, else its root's. Columns CROSSWALK_COLUMNS plus
    ``crosswalk_code`` (the code whose row was used); all missing where no level is listed."""
    import pandas as pd

    table = cameo_plover().set_index("cameo_code")
    codes = codes.astype("string")
    found = pd.Series(pd.NA, index=codes.index, dtype="string")
    for length in (4, 3, 2):  # the most specific listed level wins
        candidate = codes.str[:length].where(codes.str.len() >= length)
        hit = found.isna() & candidate.isin(table.index)
        found = found.mask(hit, candidate)
    out = table.reindex(found.fillna("").to_numpy())[list(CROSSWALK_COLUMNS)].set_index(codes.index)
    out.insert(0, "crosswalk_code", found)
    return out

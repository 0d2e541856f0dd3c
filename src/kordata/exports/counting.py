"""Counting each real-world event once: the one implementation, for pandas and for SQL, of the
rule stated in kordata.domain (SAME, POSSIBLY_SAME, UNREALISED_STATUSES).

The dyad export (kordata.exports.dyads), the SQLite views ``counted_events`` and ``dyads``
(kordata.exports.tabular) and the PLOVER records (kordata.exports.jsonld) all start from the
counted events:

- a row that is the subject of a ``same`` relation is left out; the row it is the same as (at
  the end of a chain a same b same c: c) is kept and lists the left-out rows in
  ``same_event_ids``;
- rows linked by ``possibly_same`` are both kept; each lists the other, mapped to its kept row,
  in ``possibly_same_event_ids`` (a flag a user can act on, or not);
- rows whose status is ``promised``, ``hypothetical`` or ``under_consideration`` (acts that have not taken place) are
  left out.

Id lists are joined by ';' in id order, and missing (NA / NULL) when empty. The validator refuses
``same`` cycles and a row that is the subject of two ``same`` relations; given either, the pandas
side raises KordataError rather than guess.
"""

from __future__ import annotations

import pandas as pd

from ..domain import POSSIBLY_SAME, SAME, UNREALISED_STATUSES
from ..errors import KordataError

LIST_SEPARATOR = ";"
COUNT_COLUMNS = ("same_event_ids", "possibly_same_event_ids")


def kept_event(relations: pd.DataFrame) -> dict[str, str]:
    """event_id -> the row it is counted with, for every subject of a ``same`` relation (chains followed)."""
    same = relations[relations["relation"].astype(str) == SAME]
    direct: dict[str, str] = {}
    for subject, target in zip(same["event_id"].astype(str), same["related_event_id"].astype(str), strict=True):
        if subject in direct and direct[subject] != target:
            raise KordataError(f"event_relations: {subject} is 'same' as two rows ({direct[subject]}, {target})")
        direct[subject] = target
    kept = {}
    for subject in direct:  # a handful of rows: follow each chain to its end
        seen, current = {subject}, direct[subject]
        while current in direct:
            if current in seen:
                raise KordataError(f"event_relations: 'same' forms a cycle through {subject}")
            seen.add(current)
            current = direct[current]
        kept[subject] = current
    return kept


def _joined(groups: dict[str, set[str]]) -> dict[str, str]:
    return {key: LIST_SEPARATOR.join(sorted(values)) for key, values in groups.items() if values}


def counted_events(events: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """The events counted once (see the module docstring), with COUNT_COLUMNS added as strings."""
    kept = kept_event(relations)
    same_of: dict[str, set[str]] = {}
    for subject, target in kept.items():
        same_of.setdefault(target, set()).add(subject)
    flagged: dict[str, set[str]] = {}
    possibly = relations[relations["relation"].astype(str) == POSSIBLY_SAME]
    for a, b in zip(possibly["event_id"].astype(str), possibly["related_event_id"].astype(str), strict=True):
        a, b = kept.get(a, a), kept.get(b, b)
        if a != b:
            flagged.setdefault(a, set()).add(b)
            flagged.setdefault(b, set()).add(a)
    ids = events["event_id"].astype(str)
    out = events[~ids.isin(list(kept)) & ~events["status"].astype(str).isin(UNREALISED_STATUSES)].copy()
    for column, groups in zip(COUNT_COLUMNS, (same_of, flagged), strict=True):
        out[column] = out["event_id"].astype(str).map(_joined(groups)).astype("string")
    return out


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


# The same rule in SQL (SQLite): a view over the events and event_relations tables.
COUNTED_EVENTS_VIEW = f"""CREATE VIEW counted_events AS
WITH RECURSIVE
  same_edge(event_id, kept) AS (
    SELECT event_id, related_event_id FROM event_relations WHERE relation = '{SAME}'),
  chain(event_id, kept, depth) AS (
    SELECT event_id, kept, 1 FROM same_edge
    UNION ALL
    SELECT c.event_id, s.kept, c.depth + 1 FROM chain c JOIN same_edge s ON s.event_id = c.kept
    WHERE c.depth < (SELECT count(*) FROM same_edge)),
  root(event_id, kept) AS (
    SELECT event_id, kept FROM chain WHERE kept NOT IN (SELECT event_id FROM same_edge)),
  kept_of(event_id, kept) AS (
    SELECT event_id, event_id FROM events WHERE event_id NOT IN (SELECT event_id FROM same_edge)
    UNION ALL SELECT event_id, kept FROM root),
  pair(a, b) AS (
    SELECT ka.kept, kb.kept FROM event_relations r
    JOIN kept_of ka ON ka.event_id = r.event_id JOIN kept_of kb ON kb.event_id = r.related_event_id
    WHERE r.relation = '{POSSIBLY_SAME}' AND ka.kept <> kb.kept),
  flag(event_id, other) AS (SELECT a, b FROM pair UNION SELECT b, a FROM pair)
SELECT e.*,
  (SELECT group_concat(event_id, '{LIST_SEPARATOR}') FROM
     (SELECT event_id FROM root WHERE kept = e.event_id ORDER BY event_id)) AS same_event_ids,
  (SELECT group_concat(other, '{LIST_SEPARATOR}') FROM
     (SELECT other FROM flag WHERE event_id = e.event_id ORDER BY other)) AS possibly_same_event_ids
FROM events e
WHERE e.event_id NOT IN (SELECT event_id FROM same_edge)
  AND e.status NOT IN ({_sql_list(UNREALISED_STATUSES)})"""

"""Domain rules of the event layer, defined once: who acts on whom, and which rows count as events.

A dyad (GDELT/ICEWS: actor 1 does something to actor 2) is formed inside one event by a pair of
participant roles listed in DYAD_PAIRS. Directed pairs put an initiator or organiser first and a
recipient second; in a two-sided event every participant is actor 1 with each other participant
as actor 2. Instruments and beneficiaries are never a dyad's actor 1 or 2 (a beneficiary is not
acted on). An actor 1 with no actor 2 keeps one row with actor 2 empty, as GDELT allows.

The pandas dyads (kordata.exports.dyads), the SQLite view, the PLOVER export (actors and
recipients) and the docs' figure are all generated from this table; a test checks they agree.

Counting each real-world event once (kordata.exports.counting implements it, for pandas and SQL):
- rows linked by the relation SAME describe one event: the exports keep the related_event_id row
  and list the rows counted with it in ``same_event_ids``; a chain a SAME b SAME c keeps c;
- rows linked by POSSIBLY_SAME are both kept, each listing the other (mapped to its kept row) in
  ``possibly_same_event_ids``, so a user can collapse them too or not;
- rows whose status is in UNREALISED_STATUSES are acts that have not taken place (announced for
  the future, only supposed, or an option still under discussion): they exist for relations and
  claims and are never counted.
"""

from __future__ import annotations

DYAD_PAIRS: tuple[tuple[str, str], ...] = (
    ("initiator", "recipient"),
    ("organiser", "recipient"),
    ("participant", "participant"),
)
ACTOR1_ROLES: tuple[str, ...] = tuple(dict.fromkeys(first for first, _ in DYAD_PAIRS))
ACTOR2_ROLES: tuple[str, ...] = tuple(dict.fromkeys(second for _, second in DYAD_PAIRS))


def sql_dyad_condition(first: str = "p1", second: str = "p2") -> str:
    """SQL boolean expression: participant rows ``first`` and ``second`` form a dyad (roles only)."""
    return "(" + " OR ".join(f"({first}.role = '{a}' AND {second}.role = '{b}')" for a, b in DYAD_PAIRS) + ")"


SAME = "same"
POSSIBLY_SAME = "possibly_same"
UNREALISED_STATUSES: tuple[str, ...] = ("promised", "hypothetical", "under_consideration")

# Rows of these tables cite a sentence for the coverage check (every sentence that carries content
# is cited by at least one of them).
CITING_TABLES: tuple[str, ...] = ("events", "statements", "claims")
# The table that segments the text: anchored like the annotations, but not itself an annotation.
SEGMENTATION_TABLE = "sentences"

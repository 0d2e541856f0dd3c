"""schema.org Claim JSON-LD (ready for ClaimReview, with no verdict invented) and PLOVER-style
JSON event records.

PLOVER records count each real-world event once (kordata.exports.counting): a row 'same' as
another gives no record and is listed in the kept record's ``same_as``; rows 'possibly_same' give
one record each, naming the other in ``possibly_same``; acts that have not taken place (status
promised, hypothetical or under consideration) give no record."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..domain import ACTOR1_ROLES, ACTOR2_ROLES
from ..loading import load_all
from .counting import LIST_SEPARATOR, counted_events

URN = "urn:kordata:"


def _none(value):
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def claims_jsonld(path=None) -> dict:
    """One schema.org Claim per claim: text (the curator's proposition), the quote, author (the
    claimant: a Person or Organization, 'unnamed source' or the article), appearance (the
    document and span), and the certainty and hedges as additionalProperty. No ClaimReview or
    rating is included: kordata records what was claimed, not whether it is true."""
    t = load_all(path)
    actors = t["actors"].set_index("actor_id")
    docs = t["documents"].set_index("document_id")
    graph = []
    for c in t["claims"].itertuples(index=False):
        if c.claimant_kind == "actor":
            a = actors.loc[c.claimant_actor_id]
            author = {
                "@type": "Person" if a.actor_type == "person" else "Organization",
                "@id": URN + c.claimant_actor_id,
                "name": a["name"],
            }
        elif c.claimant_kind == "unnamed_source":
            author = {"@type": "Thing", "name": "unnamed source (the article attributes this to no one)"}
        else:
            author = {"@type": "CreativeWork", "@id": URN + c.document_id, "name": docs.at[c.document_id, "title"]}
        graph.append(
            {
                "@type": "Claim",
                "@id": URN + c.claim_id,
                "identifier": c.claim_id,
                "text": c.proposition,
                "author": author,
                "appearance": {
                    "@type": "Quotation",
                    "text": c.quote,
                    "isPartOf": {
                        "@type": "CreativeWork",
                        "@id": URN + c.document_id,
                        "name": docs.at[c.document_id, "title"],
                        "inLanguage": docs.at[c.document_id, "language"],
                    },
                    "position": f"{int(c.start)}-{int(c.end)}",
                },
                "additionalProperty": [
                    {"@type": "PropertyValue", "name": name, "value": _none(value)}
                    for name, value in (
                        ("claimType", str(c.claim_type)),
                        ("certaintyFactBank", str(c.certainty)),
                        ("hedgeCues", _none(c.hedge_cues)),
                        ("checkWorthinessClaimBuster", str(c.check_worthiness)),
                        ("statementId", _none(c.statement_id)),
                        ("eventId", _none(c.event_id)),
                    )
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}


def write_claims(out: Path, path=None) -> list[Path]:
    target = out / "claims.jsonld"
    target.write_text(json.dumps(claims_jsonld(path), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [target]


def plover_records(path=None) -> list[dict]:
    """One PLOVER-style record per counted event (see the module docstring) that has a PLOVER type:
    event_type, mode, context, actors and recipients (names, ISO country, sector, Wikidata id),
    date with its EDTF bounds and basis, location, the anchoring text, and the rows counted with
    it (``same_as``) or flagged as possibly the same event (``possibly_same``). Events without a
    PLOVER type are left out (their plover_note says why)."""
    t = load_all(path)
    events = counted_events(t["events"], t["event_relations"])
    actors = t["actors"].set_index("actor_id")
    parts = t["event_participants"]
    records = []

    def side(event_id: str, roles: tuple[str, ...]) -> list[dict]:
        rows = parts[(parts["event_id"] == event_id) & parts["role"].isin(roles)]
        return [
            {
                "id": a,
                "name": actors.at[a, "name"],
                "country": _none(actors.at[a, "country"]),
                "sector": _none(actors.at[a, "plover_sector"]),
                "wikidata": _none(actors.at[a, "wikidata_id"]),
            }
            for a in rows["actor_id"]
        ]

    def ids(value) -> list[str]:
        return [] if _none(value) is None else str(value).split(LIST_SEPARATOR)

    for e in events[events["plover_type"].notna()].itertuples(index=False):
        records.append(
            {
                "id": e.event_id,
                "event_type": str(e.plover_type),
                "mode": _none(e.plover_mode),
                "context": e.plover_contexts.split(";") if isinstance(e.plover_contexts, str) else [],
                "actors": side(e.event_id, ACTOR1_ROLES),
                "recipients": side(e.event_id, ACTOR2_ROLES),
                "date": _none(e.date),
                "date_lower": None if pd.isna(e.date_lower) else e.date_lower.date().isoformat(),
                "date_upper": None if pd.isna(e.date_upper) else e.date_upper.date().isoformat(),
                "date_basis": str(e.date_basis),
                "location": {"text": _none(e.location), "country": _none(e.location_country)},
                "status": str(e.status),
                "cameo_code": _none(e.cameo_code),
                "same_as": ids(e.same_event_ids),
                "possibly_same": ids(e.possibly_same_event_ids),
                "source": {"document_id": e.document_id, "start": int(e.start), "end": int(e.end), "text": e.quote},
            }
        )
    return records


def write_plover(out: Path, path=None) -> list[Path]:
    target = out / "events.plover.json"
    target.write_text(json.dumps(plover_records(path), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [target]

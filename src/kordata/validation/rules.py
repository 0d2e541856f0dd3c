"""Table-level rules: agreements between fields of one row that a Table Schema cannot express.

Each rule returns a boolean Series (True = the row obeys). They run inside the pandera
schemas (layer 2). The field definitions themselves live only in schemas/*.json.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    check: Callable[[pd.DataFrame], pd.Series]


def _has(df: pd.DataFrame, column: str) -> pd.Series:
    return df[column].notna()


def _implies(a: pd.Series, b: pd.Series) -> pd.Series:
    return (~a) | b


def _date_rules() -> list[Rule]:
    return [
        Rule(
            "date-unknown-iff-empty",
            "date is empty exactly when date_basis is 'unknown'",
            lambda df: (df["date_basis"] == "unknown") == df["date"].isna(),
        ),
        Rule(
            "date-inferred-needs-note",
            "an inferred or partly stated date says in date_note what it was inferred from",
            lambda df: _implies(df["date_basis"].isin(["inferred", "partly_stated"]), _has(df, "date_note")),
        ),
        Rule(
            "date-stated-needs-text",
            "a stated or partly stated date quotes the article's words in date_text",
            lambda df: _implies(df["date_basis"].isin(["stated", "partly_stated"]), _has(df, "date_text")),
        ),
        Rule(
            "date-inferred-is-marked",
            "an inferred or partly stated date is marked uncertain ('?', '%') or unspecified ('X')",
            lambda df: _implies(
                df["date_basis"].isin(["inferred", "partly_stated"]),
                df["date"].str.contains(r"[?%X]", regex=True).fillna(False).astype(bool),
            ),
        ),
        Rule(
            "date-stated-not-uncertain",
            "a stated date carries no uncertainty mark",
            lambda df: _implies(df["date_basis"] == "stated", ~df["date"].str.contains(r"[?%]", regex=True).fillna(False).astype(bool)),
        ),
    ]


def _span_rules() -> list[Rule]:
    return [Rule("span-ordered", "end is greater than start", lambda df: df["end"] > df["start"])]


def _code_note(code: str, note: str) -> Rule:
    return Rule(f"{code}-or-note", f"{code} is given, or {note} says why not", lambda df: _has(df, code) | _has(df, note))


RULES: dict[str, list[Rule]] = {
    "documents": [
        Rule(
            f"{what}-status",
            f"{what} is given exactly when {what}_status is 'stated'",
            (lambda w: lambda df: (df[f"{w}_status"] == "stated") == _has(df, w))(what),
        )
        for what in ("outlet", "author", "published")
    ],
    "sentences": _span_rules(),
    "actors": [
        Rule(
            "country-basis",
            "country is empty exactly when country_basis is 'not_applicable'",
            lambda df: (df["country_basis"] == "not_applicable") == df["country"].isna(),
        ),
        Rule(
            "country-inferred-needs-note",
            "an inferred country says in country_note what it was inferred from",
            lambda df: _implies(df["country_basis"] == "inferred", _has(df, "country_note")),
        ),
        Rule(
            "title-only-for-persons",
            "title and title_time are given only for persons",
            lambda df: _implies(_has(df, "title") | _has(df, "title_time"), df["actor_type"] == "person"),
        ),
        Rule(
            "title-needs-evidence",
            "a title names the mention that gives it",
            lambda df: _implies(_has(df, "title"), _has(df, "title_mention_id")),
        ),
        Rule(
            "parent-not-self",
            "an actor is not its own parent",
            lambda df: df["parent_actor_id"].isna() | (df["parent_actor_id"] != df["actor_id"]),
        ),
        _code_note("cameo_code", "cameo_note"),
        _code_note("wikidata_id", "wikidata_note"),
    ],
    "mentions": _span_rules(),
    "events": _span_rules()
    + _date_rules()
    + [
        _code_note("cameo_code", "cameo_note"),
        _code_note("plover_type", "plover_note"),
        Rule(
            "plover-mode-needs-type",
            "a PLOVER mode or context is given only with a PLOVER type",
            lambda df: _implies(_has(df, "plover_mode") | _has(df, "plover_contexts"), _has(df, "plover_type")),
        ),
        Rule(
            "location-basis",
            "location_country is given unless location_basis is 'unknown'; with 'unknown', location is empty",
            lambda df: (df["location_basis"] == "unknown") == (df["location"].isna() & df["location_country"].isna()),
        ),
        Rule(
            "location-inferred-needs-note",
            "an inferred or partly stated location says in location_note what it was inferred from",
            lambda df: _implies(df["location_basis"].isin(["inferred", "partly_stated"]), _has(df, "location_note")),
        ),
    ],
    "event_participants": [],
    "statements": _span_rules()
    + _date_rules()
    + [
        Rule(
            "speaker-kind",
            "a person speaker names speaker_actor_id and speaker_mention_id; an unnamed source names neither",
            lambda df: (
                ((df["speaker_kind"] == "person") & _has(df, "speaker_actor_id") & _has(df, "speaker_mention_id"))
                | ((df["speaker_kind"] == "unnamed_source") & df["speaker_actor_id"].isna() & df["speaker_mention_id"].isna())
            ),
        ),
        Rule(
            "speaker-role-for-persons",
            "speaker_role is given only for a person speaker",
            lambda df: _implies(_has(df, "speaker_role"), df["speaker_kind"] == "person"),
        ),
        Rule(
            "information-source-basis",
            "information_source_basis is given exactly when information_source_actor_id is",
            lambda df: _has(df, "information_source_basis") == _has(df, "information_source_actor_id"),
        ),
        Rule(
            "information-source-inferred-needs-note",
            "an inferred information source says in information_source_note what it was inferred from",
            lambda df: _implies(df["information_source_basis"] == "inferred", _has(df, "information_source_note")),
        ),
    ],
    "claims": [
        *_span_rules(),
        Rule(
            "claimant-kind",
            "claimant_actor_id is given exactly when claimant_kind is 'actor'",
            lambda df: (df["claimant_kind"] == "actor") == _has(df, "claimant_actor_id"),
        ),
        Rule(
            "attributed-claim-has-statement",
            "a claim by an actor or an unnamed source names the statement it comes from",
            lambda df: _implies(df["claimant_kind"].isin(["actor", "unnamed_source"]), _has(df, "statement_id")),
        ),
    ],
    "figures": [
        *_span_rules(),
        Rule(
            "approximation-cue",
            "approximation_cue is given exactly when approximate is true",
            lambda df: df["approximate"].fillna(False).astype(bool) == _has(df, "approximation_cue"),
        ),
    ],
}

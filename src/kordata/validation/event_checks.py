"""Layer 3, event domain: checks of the event layer's coding rules that no Table Schema expresses.

CHECKS is a list of (name, description, fn(ctx) -> list[Failure]), run by layer 3 after its own
checks; ``ctx`` is layer 3's Context (raw text frames, seed texts, ``ctx.fail``). Each failure
names the table, row, row id, column and rule. The checks work column-wise; Python loops run
only over distinct values (dates, code pairs) or over the rows of one relation type.

- plover-crosswalk: PLOVER codes agree with the official CAMEO->PLOVER crosswalk for the event's
  CAMEO code (kordata/reference/cameo_plover.csv), or plover_crosswalk_note says why not; a note
  where the codes agree is refused (a stale note);
- article-claims: a claim in the article's own voice names no statement;
- hedges: an event and a claim on the same span list the same hedge cues, and no claim lists
  its statement's attribution cue ('is also seen as') as a hedge;
- date-qualifier-scope: an EDTF qualifier covers exactly the inferred parts of a date: a part the
  article states (date_text, or every part for a stated date) is not marked uncertain, and every
  inferred part is marked (qualifier or X);
- inferred-years-sourced: a year the document does not state links to a supporting source;
- unrealised-not-coded: acts that have not taken place carry no CAMEO or PLOVER code;
- relation-endpoints: both events of a relation are in the relation's document, and differ;
- relation-cues: a relation's cue is verbatim in its quote;
- same-chains: 'same' never forms a cycle, and no event is the subject of two 'same' relations;
- same-exclusive: two events related 'same' are joined by no other relation (one event cannot be
  the setting of, or follow, itself);
- two-sided: an event with role 'participant' (both sides of a cooperation) names at least two
  actors in that role;
- ambiguous-relations: an ambiguous relation names its other reading, which names it back;
  inferred and ambiguous relations give basis_note;
- source-link-targets: a source link names exactly one row, and a field of that row's table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..dates import qualified_components
from ..domain import SAME, UNREALISED_STATUSES
from ..errors import KordataError
from .convert import isin, lookup
from .report import Failure

if TYPE_CHECKING:
    from .integrity import Context

DATED_TABLES = ("events", "statements")
_MONTH_NAMES = "january february march april may june july august september october november december"
MONTHS = (_MONTH_NAMES.split(" "), [name[:3] for name in _MONTH_NAMES.split(" ")])
LINK_TARGETS = {  # source_links column -> the table whose row it names
    "document_id": "documents",
    "actor_id": "actors",
    "event_id": "events",
    "relation_id": "event_relations",
    "statement_id": "statements",
    "claim_id": "claims",
    "figure_id": "figures",
}


_SEP = "\x1f"  # joins the cells of one row into a key; never in the data


def _per_distinct(rule: Callable[..., object], *columns: pd.Series) -> pd.Series:
    """rule(*cells) for each row, computed once per distinct combination of cells (column-wise
    string joins and pd.unique; the Python call runs per distinct value, not per row)."""
    key = columns[0].astype(str)
    for column in columns[1:]:
        key = key + _SEP + column.astype(str)
    results = {k: rule(*k.split(_SEP)) for k in pd.unique(key)}
    return key.map(results)


def _frame(ctx: Context, name: str, *columns: str) -> pd.DataFrame | None:
    """The raw frame of a table when it was read with the columns a check needs; None otherwise
    (layer 1 reports a missing table or column)."""
    frame = ctx.frame(name)
    if frame is None or any(c not in frame.columns for c in columns):
        return None
    return frame


# ---------------------------------------------------------------- codes
def _contexts(value: str) -> frozenset[str]:
    return frozenset(c for c in value.split(";") if c)


def check_plover_crosswalk(ctx: Context) -> list[Failure]:
    from ..reference import crosswalk

    columns = ("cameo_code", "plover_type", "plover_mode", "plover_contexts", "plover_crosswalk_note")
    events = _frame(ctx, "events", *columns)
    if events is None:
        return []
    coded = events["cameo_code"] != ""
    cw = crosswalk(events["cameo_code"].where(coded)).fillna({"plover_type": "", "plover_mode": "", "plover_contexts": ""})
    listed = cw["crosswalk_code"].notna().to_numpy()
    dropped = cw["dropped"].fillna(False).astype(bool).to_numpy()
    kind, mode = events["plover_type"].to_numpy(), events["plover_mode"].to_numpy()
    wrong_type = np.where(dropped, kind != "", kind != cw["plover_type"].to_numpy())
    wrong_mode = ~dropped & (cw["plover_mode"].to_numpy() != "") & (mode != cw["plover_mode"].to_numpy())
    missing = _per_distinct(
        lambda wanted, given: not _contexts(wanted) <= _contexts(given), cw["plover_contexts"], events["plover_contexts"]
    )
    wrong_contexts = ~dropped & missing.to_numpy(dtype=bool)
    departs = coded.to_numpy() & listed & (wrong_type | wrong_mode | wrong_contexts)
    noted = (events["plover_crosswalk_note"] != "").to_numpy()
    expected = pd.Series(
        np.where(
            dropped,
            "no type (the crosswalk drops this code)",
            cw["plover_type"] + " / " + cw["plover_mode"] + " / " + cw["plover_contexts"],
        ),
        index=events.index,
    )
    failures = []
    for column, mask in (
        ("plover_type", wrong_type),
        ("plover_mode", wrong_mode & ~wrong_type),
        ("plover_contexts", wrong_contexts & ~wrong_mode & ~wrong_type),
    ):
        failures += ctx.fail(
            "events",
            departs & ~noted & mask,
            "plover-crosswalk",
            f"{column} departs from the official CAMEO->PLOVER crosswalk for cameo_code and plover_crosswalk_note does not say why "
            "(value: the crosswalk's type / mode / contexts)",
            column=column,
            values=expected,
        )
    failures += ctx.fail(
        "events",
        coded.to_numpy() & listed & ~departs & noted,
        "plover-crosswalk-note",
        "plover_crosswalk_note is given but the PLOVER codes agree with the crosswalk: remove the stale note",
        column="plover_crosswalk_note",
    )
    return failures


def check_unrealised_not_coded(ctx: Context) -> list[Failure]:
    events = _frame(ctx, "events", "status", "cameo_code", "plover_type")
    if events is None:
        return []
    unrealised = isin(events["status"], list(UNREALISED_STATUSES))
    failures = []
    for column in ("cameo_code", "plover_type"):
        failures += ctx.fail(
            "events",
            unrealised & (events[column] != ""),
            "unrealised-not-coded",
            f"an act that has not taken place (status {' or '.join(UNREALISED_STATUSES)}) carries no {column}",
            column=column,
        )
    return failures


# ---------------------------------------------------------------- claims
def check_article_claims(ctx: Context) -> list[Failure]:
    claims = _frame(ctx, "claims", "claimant_kind", "statement_id")
    if claims is None:
        return []
    return ctx.fail(
        "claims",
        (claims["claimant_kind"] == "article") & (claims["statement_id"] != ""),
        "article-claim-statement",
        "a claim in the article's own voice comes from no attributed statement: statement_id must be empty",
        column="statement_id",
    )


def _cues(value: str) -> frozenset[str]:
    return frozenset(c.strip() for c in value.split(" | ") if c.strip())


def check_hedges(ctx: Context) -> list[Failure]:
    claims = _frame(ctx, "claims", "document_id", "start", "end", "hedge_cues", "statement_id")
    events = _frame(ctx, "events", "document_id", "start", "end", "hedge")
    if claims is None or events is None:
        return []
    span = claims["document_id"] + ":" + claims["start"] + ":" + claims["end"]
    event_span = events["document_id"] + ":" + events["start"] + ":" + events["end"]
    event_hedge = lookup(span, event_span, events["hedge"])
    differ = _per_distinct(lambda ours, theirs: _cues(ours) != _cues(theirs), claims["hedge_cues"], event_hedge.fillna(""))
    failures = ctx.fail(
        "claims",
        event_hedge.notna() & differ.astype(bool),
        "hedge-agreement",
        "an event on the same span lists other hedge cues (value: the event's)",
        column="hedge_cues",
        values=event_hedge,
    )
    statements = _frame(ctx, "statements", "statement_id", "cue", "reporting_cue")
    if statements is not None:
        attribution = lookup(claims["statement_id"], statements["statement_id"], statements["cue"] + " | " + statements["reporting_cue"])
        overlap = _per_distinct(
            lambda hedges, cues: any(h in a or a in h for h in _cues(hedges) for a in _cues(cues)),
            claims["hedge_cues"],
            attribution.fillna(""),
        )
        failures += ctx.fail(
            "claims",
            overlap.astype(bool),
            "hedge-is-attribution",
            "a hedge cue is the statement's attribution cue (value: the statement's cues): attribution is not a hedge",
            column="hedge_cues",
            values=attribution,
        )
    return failures


# ---------------------------------------------------------------- dates
def _stated_parts(date: str, basis: str, text: str) -> set[str] | None:
    """The parts of a date (year, month, day) the article states; None when date_text names none
    that can be recognised (English month names and day and year numbers)."""
    match = re.match(r"^[?~%]?(\d{4}|[0-9X]{4})[?~%]?(?:-[?~%]?([0-9X]{2})[?~%]?)?(?:-[?~%]?([0-9X]{2})[?~%]?)?$", date)
    if basis == "stated":
        return {"year", "month", "day"}
    if basis != "partly_stated" or not match:
        return set()
    year, month, day = match.groups()
    words = set(re.findall(r"[a-z]+", text.lower()))
    numbers = set(re.findall(r"\d+", text))
    found = set()
    if year.isdigit() and year in numbers:
        found.add("year")
    if month and month.isdigit() and 1 <= int(month) <= 12 and any(names[int(month) - 1] in words for names in MONTHS):
        found.add("month")
    if day and day.isdigit() and str(int(day)) in {n.lstrip("0") for n in numbers}:
        found.add("day")
    return found or None


def _scope_problem(date: str, basis: str, text: str) -> str:
    """Why the qualifiers of ``date`` do not cover exactly its inferred parts; '' when they do."""
    if basis == "unknown" or date == "":
        return ""
    stated = _stated_parts(date, basis, text)
    for end in date.split("/"):
        marks = qualified_components(end)
        if marks is None:  # '..', '' or a form the layer-2 EDTF check reports
            continue
        if stated is None:  # partly stated, but which part the text does not show: some part unmarked, some marked
            if all(m & {"?", "~", "X"} for m in marks.values()) or not any(m for m in marks.values()):
                return "a partly stated date marks some parts, not all and not none"
            continue
        for part, part_marks in marks.items():
            if part in stated and part_marks & {"?", "~"}:
                return (
                    f"the article states the {part} ({text or basis!r}) but the qualifier covers it: "
                    "qualify the inferred parts only (EDTF level 2, '2024?-10-15')"
                )
            if part not in stated and not part_marks:
                return f"the {part} is inferred but not marked uncertain, approximate or unspecified"
    return ""


def check_date_qualifier_scope(ctx: Context) -> list[Failure]:
    failures = []
    for name in DATED_TABLES:
        frame = _frame(ctx, name, "date", "date_basis", "date_text")
        if frame is None:
            continue
        message = _per_distinct(_scope_problem, frame["date"], frame["date_basis"], frame["date_text"])
        failures += [
            Failure(
                name,
                "date-qualifier-scope",
                message.at[i],
                row=int(i) + 2,
                row_id=str(frame.at[i, ctx.raw.id_column(name)]),
                column="date",
                value=frame.at[i, "date"],
            )
            for i in frame.index[(message != "").to_numpy()]
        ]
    return failures


def check_inferred_years_sourced(ctx: Context) -> list[Failure]:
    links = _frame(ctx, "source_links", "relation", "field", "event_id", "statement_id")
    documents = _frame(ctx, "documents", "document_id", "published")
    if links is None or documents is None:
        return []
    supporting = links[(links["relation"] == "supports") & (links["field"] == "date")]
    failures = []
    for name, key in (("events", "event_id"), ("statements", "statement_id")):
        frame = _frame(ctx, name, key, "document_id", "date", "date_basis", "date_text")
        if frame is None:
            continue
        year = frame["date"].str.extract(r"^[?~%]?(\d{4})", expand=False).fillna("")
        published = lookup(frame["document_id"], documents["document_id"], documents["published"]).fillna("")
        in_text = _per_distinct(lambda y, t, p: y != "" and (y in t or y in p), year, frame["date_text"], published).astype(bool)
        needs = (year != "") & isin(frame["date_basis"], ["inferred", "partly_stated"]) & ~in_text
        failures += ctx.fail(
            name,
            needs & ~isin(frame[key], pd.unique(supporting[key])),
            "inferred-year-sourced",
            "the year is neither in the text nor in the document's publication date: link the outside source it rests on "
            "(source_links, relation supports, field date)",
            column="date",
        )
    return failures


# ---------------------------------------------------------------- relations
def check_relation_endpoints(ctx: Context) -> list[Failure]:
    relations = _frame(ctx, "event_relations", "document_id", "event_id", "related_event_id")
    events = _frame(ctx, "events", "event_id", "document_id")
    if relations is None or events is None:
        return []
    failures = ctx.fail(
        "event_relations",
        relations["event_id"] == relations["related_event_id"],
        "relation-to-itself",
        "an event is related to itself",
        column="related_event_id",
    )
    for column in ("event_id", "related_event_id"):
        document = lookup(relations[column], events["event_id"], events["document_id"])
        failures += ctx.fail(
            "event_relations",
            document.notna() & (document != relations["document_id"]),
            "relation-other-document",
            f"{column} is an event of another document (value: that document)",
            column=column,
            values=document,
        )
    return failures


def check_relation_cues(ctx: Context) -> list[Failure]:
    relations = _frame(ctx, "event_relations", "cue", "quote")
    if relations is None:
        return []
    absent = _per_distinct(lambda cue, quote: cue != "" and cue not in quote, relations["cue"], relations["quote"]).astype(bool)
    return ctx.fail("event_relations", absent, "relation-cue-in-quote", "cue does not occur in the quote", column="cue")


def check_same_chains(ctx: Context) -> list[Failure]:
    relations = _frame(ctx, "event_relations", "relation", "event_id", "related_event_id")
    if relations is None:
        return []
    same = relations[relations["relation"] == SAME]
    twice = same["event_id"].duplicated(keep=False)
    failures = ctx.fail(
        "event_relations",
        relations.index.isin(same.index[twice.to_numpy()]),
        "same-two-targets",
        "the event is the subject of two 'same' relations: which row the exports keep is ambiguous",
        column="event_id",
    )
    targets: dict[str, list[str]] = {}
    for subject, target in zip(same["event_id"], same["related_event_id"], strict=True):
        targets.setdefault(subject, []).append(target)
    on_cycle: set[tuple[str, str]] = set()  # 'same' edges (subject, target) that lie on a cycle
    state: dict[str, int] = {}  # 1 while on the depth-first path, 2 when done: each event is visited once
    for root in targets:
        if root in state:
            continue
        path, stack = [root], [iter(targets[root])]
        state[root] = 1
        while stack:
            node = next(stack[-1], None)
            if node is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(node) == 1:  # back to the path: the edges from node round to it form a cycle
                on_cycle.update(pairwise([*path[path.index(node) :], node]))
            elif node not in state:
                state[node] = 1
                path.append(node)
                stack.append(iter(targets.get(node, [])))
    failures += ctx.fail(
        "event_relations",
        (relations["relation"] == SAME)
        & _per_distinct(lambda a, b: (a, b) in on_cycle, relations["event_id"], relations["related_event_id"]).astype(bool),
        "same-cycle",
        "'same' relations form a cycle: no row can be kept",
        column="related_event_id",
    )
    return failures


def check_same_exclusive(ctx: Context) -> list[Failure]:
    """Two rows related 'same' are one event: no other relation joins them (a briefing 'same' as
    the statement made at it is not also its setting), in either direction."""
    relations = _frame(ctx, "event_relations", "relation", "event_id", "related_event_id")
    if relations is None:
        return []
    a, b = relations["event_id"], relations["related_event_id"]
    pair = a.where(a < b, b) + _SEP + b.where(a < b, a)  # the unordered pair
    same = relations["relation"] == SAME
    return ctx.fail(
        "event_relations",
        ~same & pair.isin(set(pair[same])),
        "same-exclusive",
        "the two events are also related 'same' (one event): no other relation can join them",
        column="relation",
    )


def check_two_sided(ctx: Context) -> list[Failure]:
    """A two-sided event (role 'participant', as both sides of a cooperation) names at least two
    actors in that role: the dyad export pairs them with each other (kordata.domain.DYAD_PAIRS)."""
    parts = _frame(ctx, "event_participants", "event_id", "actor_id", "role")
    if parts is None:
        return []
    two_sided = parts["role"] == "participant"
    sides = parts[two_sided].groupby("event_id")["actor_id"].nunique()
    count = parts["event_id"].map(sides)
    return ctx.fail(
        "event_participants",
        two_sided & (count < 2),
        "two-sided-needs-both",
        "a 'participant' of a two-sided event needs the other side as a 'participant' too (value: actors in that role)",
        column="role",
        values=count.astype(str),
    )


def check_ambiguous_relations(ctx: Context) -> list[Failure]:
    relations = _frame(ctx, "event_relations", "relation_id", "basis", "basis_note", "alternative_relation_id")
    if relations is None:
        return []
    ambiguous = relations["basis"] == "ambiguous"
    alternative = relations["alternative_relation_id"]
    back = lookup(alternative, relations["relation_id"], relations["alternative_relation_id"])
    unexplained = isin(relations["basis"], ["inferred", "ambiguous"]) & (relations["basis_note"] == "")
    rules = [
        (ambiguous & (alternative == ""), "ambiguous-needs-alternative", "an ambiguous relation names its other reading's row", None),
        (~ambiguous & (alternative != ""), "alternative-only-if-ambiguous", "alternative_relation_id is only for basis 'ambiguous'", None),
        ((alternative != "") & back.notna() & (back != relations["relation_id"]), "alternative-names-back",
         "the other reading's row does not name this row back (value: the row it names)", back),
    ]  # fmt: skip
    failures = []
    for mask, rule, text, values in rules:
        failures += ctx.fail("event_relations", mask, rule, text, "alternative_relation_id", values)
    text = "an inferred or ambiguous relation says why in basis_note"
    return failures + ctx.fail("event_relations", unexplained, "relation-basis-note", text, column="basis_note")


# ---------------------------------------------------------------- source links
def check_source_link_targets(ctx: Context) -> list[Failure]:
    links = ctx.frame("source_links")
    if links is None:
        return []
    columns = [c for c in LINK_TARGETS if c in links.columns]
    given = (links[columns] != "").sum(axis=1)
    failures = ctx.fail(
        "source_links",
        given != 1,
        "source-link-target",
        f"a source link names exactly one row ({', '.join(columns)}); value: how many it names",
        column="field",
        values=given.astype(str),
    )
    target = pd.Series("", index=links.index, dtype=object)
    for column in columns:
        target = target.mask((links[column] != "") & (given == 1), LINK_TARGETS[column])
    fields = {}
    for table in pd.unique(target):
        try:
            fields[table] = {f["name"] for f in ctx.package.fields(table)}
        except KordataError:  # a schema that cannot be read: layer 1 reports it
            fields[table] = set()
    fields.pop("", None)
    unknown = _per_distinct(lambda t, f: t != "" and f not in fields.get(t, set()), target, links["field"]).astype(bool)
    failures += ctx.fail(
        "source_links", unknown, "source-link-field", "field is not a column of the table whose row the link names", column="field"
    )
    return failures


CHECKS: list[tuple[str, str, Callable[[Context], list[Failure]]]] = [
    (
        "plover-crosswalk",
        "PLOVER codes agree with the official CAMEO->PLOVER crosswalk, or plover_crosswalk_note says why not",
        check_plover_crosswalk,
    ),
    (
        "unrealised-not-coded",
        "acts that have not taken place (promised, hypothetical, under consideration) carry no CAMEO or PLOVER code",
        check_unrealised_not_coded,
    ),
    ("article-claims", "a claim in the article's own voice names no statement", check_article_claims),
    ("hedges", "an event and a claim on one span list the same hedges; attribution cues are not hedges", check_hedges),
    (
        "date-qualifier-scope",
        "EDTF qualifiers cover exactly the inferred parts of a date: stated parts unmarked, inferred parts marked",
        check_date_qualifier_scope,
    ),
    ("inferred-years-sourced", "a year the document does not state links to the outside source it rests on", check_inferred_years_sourced),
    ("relation-endpoints", "a relation joins two different events of its own document", check_relation_endpoints),
    ("relation-cues", "a relation's cue is verbatim in its quote", check_relation_cues),
    ("same-chains", "'same' relations form no cycle, and no event is the subject of two", check_same_chains),
    ("same-exclusive", "two events related 'same' are joined by no other relation", check_same_exclusive),
    ("two-sided", "a two-sided event names both sides in role 'participant'", check_two_sided),
    (
        "ambiguous-relations",
        "ambiguous relations name their other reading, which names them back; inferred ones say why",
        check_ambiguous_relations,
    ),
    ("source-link-targets", "a source link names exactly one row and a column of that row's table", check_source_link_targets),
]

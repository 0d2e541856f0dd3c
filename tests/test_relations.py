"""Event relations: the exports count each real-world event once (pandas, SQL and PLOVER agree),
and the event-domain checks (kordata.validation.event_checks) catch each kind of coding error
they exist for, naming the table, row id, column and rule. The shipped package passes them all."""
import csv
import io
import json
import sqlite3

import pandas as pd
import pytest

from conftest import copy_package, edit_cell, refresh_hashes

import kordata
from kordata.domain import POSSIBLY_SAME, SAME, UNREALISED_STATUSES
from kordata.errors import KordataError
from kordata.exports import export
from kordata.exports.counting import COUNT_COLUMNS, counted_events, kept_event
from kordata.exports.dyads import dyads
from kordata.exports.jsonld import plover_records
from kordata.package import Package
from kordata.validation import event_checks
from kordata.validation.integrity import Context
from kordata.validation.raw import RawTables


def add_rows(root, table, rows):
    """Append rows (dicts; missing columns empty) to a table of a package copy, and re-hash."""
    path = root / "data" / f"{table}.csv"
    lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = lines[0]
    lines += [[row.get(column, "") for column in header] for row in rows]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(lines)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    refresh_hashes(root)


def relation(relation_id, event_id, kind, related, basis="inferred", note="test"):
    tables = kordata.load_all()
    quote = tables["events"].set_index("event_id").loc[event_id]
    return {"relation_id": relation_id, "document_id": quote.document_id, "start": str(quote.start), "end": str(quote.end),
            "quote": quote.quote, "event_id": event_id, "relation": kind, "related_event_id": related, "basis": basis,
            "basis_note": note}


def sql_frame(folder, query):
    con = sqlite3.connect(folder / "kordata.sqlite")
    try:
        return pd.read_sql_query(query, con)
    finally:
        con.close()


# ---------------------------------------------------------------- counting each event once

def test_the_shipped_package_counts_each_same_group_once():
    t = kordata.load_all()
    rel = t["event_relations"]
    same = rel[rel["relation"] == SAME]
    assert len(same), "the package relates at least one pair of rows as one event"
    frame = dyads()
    plover = {r["id"]: r for r in plover_records()}
    unrealised = set(t["events"].loc[t["events"]["status"].isin(UNREALISED_STATUSES), "event_id"])
    for subject, kept in zip(same["event_id"], same["related_event_id"]):
        assert subject not in set(frame["event_id"]) and subject not in plover
        listed = frame.loc[frame["event_id"] == kept, "same_event_ids"].dropna()
        assert len(listed) and all(subject in ids.split(";") for ids in listed)
        if kept in plover:
            assert subject in plover[kept]["same_as"]
    assert not unrealised & set(frame["event_id"]) and not unrealised & set(plover)
    for a, b in rel.loc[rel["relation"] == POSSIBLY_SAME, ["event_id", "related_event_id"]].itertuples(index=False):
        rows = frame.set_index("event_id")
        assert b in rows.loc[[a], "possibly_same_event_ids"].iloc[0].split(";")
        assert a in rows.loc[[b], "possibly_same_event_ids"].iloc[0].split(";")


def test_one_deployment_gives_one_dyad_in_every_export(tmp_path):
    """F-01: the two rows of the North Korean deployment are one event; each export has its dyad once."""
    t = kordata.load_all()
    rel = t["event_relations"]
    codes = t["events"].set_index("event_id")["cameo_code"]
    same = rel.loc[rel["relation"] == SAME, ["event_id", "related_event_id"]]
    alike = [[a, b] for a, b in same.itertuples(index=False) if codes[a] == codes[b]]
    assert alike, "a pair of rows coded alike (the deployment): counted apart, they would be two events"
    group = alike[0]
    frame = dyads()
    in_group = frame[frame["event_id"].isin(group)]
    assert not in_group.duplicated(["actor1_id", "actor2_id", "cameo_code"]).any() and len(in_group)
    export("sqlite", tmp_path)
    view = sql_frame(tmp_path, "SELECT event_id FROM dyads")
    assert view["event_id"].isin(group).sum() == len(in_group)


def _with_chain(root):
    """A chain a same b same c, and a possibly_same between a and d: mechanics, not meaning."""
    t = kordata.load_all()
    rel = t["event_relations"]
    a, b = rel.loc[rel["relation"] == SAME, ["event_id", "related_event_id"]].iloc[0]
    counted = t["events"][~t["events"]["status"].isin(UNREALISED_STATUSES)]["event_id"]
    same = rel.loc[rel["relation"] == SAME]
    subjects = set(same["event_id"]) | set(same["related_event_id"])  # rows already in a 'same' group
    c, d = [e for e in counted if e not in (a, b) and e not in subjects][:2]
    add_rows(root, "event_relations", [relation("rel-test-chain", b, SAME, c), relation("rel-test-flag", a, POSSIBLY_SAME, d)])
    return a, b, c, d


def test_chains_and_flags_are_the_same_in_pandas_sql_and_plover(tmp_path, package_copy):
    a, b, c, d = _with_chain(package_copy)
    t = kordata.load_all(package_copy)
    ours = counted_events(t["events"], t["event_relations"]).set_index("event_id")
    assert a not in ours.index and b not in ours.index
    assert ours.at[c, "same_event_ids"] == ";".join(sorted([a, b]))
    assert d in ours.at[c, "possibly_same_event_ids"].split(";") and c in ours.at[d, "possibly_same_event_ids"].split(";")
    export("sqlite", tmp_path, package_copy)
    view = sql_frame(tmp_path, "SELECT event_id, same_event_ids, possibly_same_event_ids FROM counted_events").set_index("event_id")
    assert sorted(view.index) == sorted(ours.index)
    for column in COUNT_COLUMNS:
        assert view[column].reindex(ours.index).fillna("").tolist() == ours[column].fillna("").tolist(), column
    records = {r["id"]: r for r in plover_records(package_copy)}
    if c in records:
        assert records[c]["same_as"] == sorted([a, b])


def test_sql_dyads_equal_pandas_dyads_in_every_column(tmp_path, package_copy):
    _with_chain(package_copy)
    export("sqlite", tmp_path, package_copy)
    frame = dyads(package_copy)
    view = sql_frame(tmp_path, "SELECT * FROM dyads")
    assert list(view.columns) == list(frame.columns)
    key = ["event_id", "actor1_id", "actor2_id"]

    def normal(df):
        out = df.astype(object).where(df.notna(), None).astype(str)
        return out.sort_values(key).reset_index(drop=True)

    for column in ("date_lower", "date_upper"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    view["quad_class"] = view["quad_class"].astype("Int64")
    assert normal(view).equals(normal(frame))


def test_cycles_and_double_targets_are_refused_by_the_exports(package_copy):
    t = kordata.load_all()
    rel = t["event_relations"]
    a, b = rel.loc[rel["relation"] == SAME, ["event_id", "related_event_id"]].iloc[0]
    cycle = pd.concat([rel, pd.DataFrame([relation("rel-test-cycle", b, SAME, a)])], ignore_index=True)
    with pytest.raises(KordataError, match="cycle"):
        kept_event(cycle)
    other = next(e for e in t["events"]["event_id"] if e not in (a, b))
    twice = pd.concat([rel, pd.DataFrame([relation("rel-test-twice", a, SAME, other)])], ignore_index=True)
    with pytest.raises(KordataError, match="two rows"):
        kept_event(twice)


# ---------------------------------------------------------------- the event-domain checks

def run_checks(root, *names):
    package = Package.open(root)
    ctx = Context(package, RawTables(package))
    wanted = [c for c in event_checks.CHECKS if c[0] in names] if names else event_checks.CHECKS
    return [f for _, _, check in wanted for f in check(ctx)]


def where(failures):
    return {(f.table, f.row_id, f.column, f.rule) for f in failures}


def test_the_shipped_package_passes_every_event_check():
    from conftest import ROOT
    assert run_checks(ROOT) == []
    report = kordata.validate(layers=(3,))
    names = {c.name for c in report.checks}
    assert {name for name, _, _ in event_checks.CHECKS} <= names and report.ok


def first(table, column, value, root=None):
    frame = kordata.load(table, root)
    key = frame.columns[0]
    return frame.loc[frame[column].astype(str) == value, key].iloc[0]


def test_plover_codes_must_follow_the_crosswalk_or_say_why(package_copy):
    events = kordata.load("events").set_index("event_id")
    agreeing = events[events["plover_type"].notna() & events["plover_crosswalk_note"].isna() & events["plover_contexts"].notna()].index[0]
    departing = events[events["plover_crosswalk_note"].notna()].index[0]
    plain = events[events["plover_type"].notna() & events["plover_crosswalk_note"].isna()].index[-1]
    edit_cell(package_copy, "events", agreeing, "plover_contexts", "", rehash=False)
    edit_cell(package_copy, "events", departing, "plover_crosswalk_note", "", rehash=False)
    edit_cell(package_copy, "events", plain, "plover_crosswalk_note", "A note where the codes agree.")
    found = where(run_checks(package_copy, "plover-crosswalk"))
    assert ("events", agreeing, "plover_contexts", "plover-crosswalk") in found
    assert any(f[1] == departing and f[3] == "plover-crosswalk" for f in found)
    assert ("events", plain, "plover_crosswalk_note", "plover-crosswalk-note") in found


def test_a_type_where_the_crosswalk_drops_the_code(package_copy):
    from kordata.reference import cameo_plover
    dropped = set(cameo_plover().query("dropped")["cameo_code"])
    events = kordata.load("events")
    row = events.loc[events["cameo_code"].isin(dropped), "event_id"].iloc[0]
    edit_cell(package_copy, "events", row, "plover_type", "CONSULT")
    assert ("events", row, "plover_type", "plover-crosswalk") in where(run_checks(package_copy, "plover-crosswalk"))


def test_an_unrealised_act_carries_no_code(package_copy):
    row = first("events", "status", "promised")
    edit_cell(package_copy, "events", row, "cameo_code", "163")
    assert ("events", row, "cameo_code", "unrealised-not-coded") in where(run_checks(package_copy, "unrealised-not-coded"))


def test_an_article_voice_claim_cannot_point_to_a_statement(package_copy):
    claims = kordata.load("claims")
    row = claims.loc[claims["claimant_kind"] == "article", "claim_id"].iloc[0]
    statement = kordata.load("statements")["statement_id"].iloc[0]
    edit_cell(package_copy, "claims", row, "statement_id", statement)
    assert ("claims", row, "statement_id", "article-claim-statement") in where(run_checks(package_copy, "article-claims"))


def test_hedges_agree_and_attribution_is_no_hedge(package_copy):
    t = kordata.load_all()
    claims, events = t["claims"], t["events"]
    same_span = claims.merge(events, on=["document_id", "start", "end"], suffixes=("", "_event"))
    pair = same_span.iloc[0]  # any claim on an event's span, hedged or not (the data may have no hedged pair)
    attributed = claims[claims["statement_id"].notna() & claims["hedge_cues"].isna()].iloc[0]
    cue = t["statements"].set_index("statement_id").at[attributed.statement_id, "cue"]
    event_cues = pair.hedge if isinstance(pair.hedge, str) else ""
    edit_cell(package_copy, "claims", pair.claim_id, "hedge_cues", " | ".join(filter(None, [event_cues, "perhaps"])), rehash=False)
    edit_cell(package_copy, "claims", attributed.claim_id, "hedge_cues", cue)
    found = where(run_checks(package_copy, "hedges"))
    assert ("claims", pair.claim_id, "hedge_cues", "hedge-agreement") in found
    assert ("claims", attributed.claim_id, "hedge_cues", "hedge-is-attribution") in found


@pytest.mark.parametrize("basis, wrong", [("partly_stated", "covers a stated part"), ("inferred", "leaves an inferred part unmarked")])
def test_qualifier_scope_follows_the_date_basis(package_copy, basis, wrong):
    events = kordata.load("events")
    row = events[events["date_basis"] == basis].iloc[0]
    if basis == "partly_stated":
        bad = row.date.replace("?", "") + "?"  # '2024?-10-15' -> '2024-10-15?': the stated month and day become uncertain
    else:
        bad = row.date.replace("?", "").replace("~", "")  # nothing marked
    edit_cell(package_copy, "events", row.event_id, "date", bad)
    found = run_checks(package_copy, "date-qualifier-scope")
    assert ("events", row.event_id, "date", "date-qualifier-scope") in where(found), wrong


def test_an_inferred_year_needs_a_source(package_copy):
    links = kordata.load("source_links")
    supported = links[(links["relation"] == "supports") & (links["field"] == "date") & links["event_id"].notna()]
    event = supported["event_id"].iloc[0]
    path = package_copy / "data" / "source_links.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    column = rows[0].index("event_id")
    kept = [r for i, r in enumerate(rows) if i == 0 or not (r[column] == event and r[rows[0].index("field")] == "date")]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    refresh_hashes(package_copy)
    assert ("events", event, "date", "inferred-year-sourced") in where(run_checks(package_copy, "inferred-years-sourced"))


def test_relation_endpoints_differ_and_share_the_document(package_copy):
    rel = kordata.load("event_relations")
    self_row, other = rel["relation_id"].iloc[0], rel.iloc[1]
    edit_cell(package_copy, "event_relations", self_row, "related_event_id", rel["event_id"].iloc[0], rehash=False)
    edit_cell(package_copy, "events", other.event_id, "document_id", "doc-0002")
    found = where(run_checks(package_copy, "relation-endpoints"))
    assert ("event_relations", self_row, "related_event_id", "relation-to-itself") in found
    assert ("event_relations", other.relation_id, "event_id", "relation-other-document") in found


def test_a_relation_cue_is_in_its_quote(package_copy):
    rel = kordata.load("event_relations")
    row = rel.loc[rel["cue"].notna(), "relation_id"].iloc[0]
    edit_cell(package_copy, "event_relations", row, "cue", "notwithstanding")
    assert ("event_relations", row, "cue", "relation-cue-in-quote") in where(run_checks(package_copy, "relation-cues"))


def test_same_relations_form_no_cycle_and_have_one_target(package_copy):
    t = kordata.load_all()
    rel = t["event_relations"]
    existing = rel.loc[rel["relation"] == SAME].iloc[0]
    other = next(e for e in t["events"]["event_id"] if e not in (existing.event_id, existing.related_event_id))
    add_rows(package_copy, "event_relations", [relation("rel-test-back", existing.related_event_id, SAME, existing.event_id),
                                               relation("rel-test-second", existing.event_id, SAME, other)])
    found = where(run_checks(package_copy, "same-chains"))
    assert ("event_relations", "rel-test-back", "related_event_id", "same-cycle") in found
    assert ("event_relations", existing.relation_id, "related_event_id", "same-cycle") in found
    assert ("event_relations", "rel-test-second", "related_event_id", "same-cycle") not in found  # leads off the cycle
    assert ("event_relations", existing.relation_id, "event_id", "same-two-targets") in found
    assert ("event_relations", "rel-test-second", "event_id", "same-two-targets") in found


def test_ambiguous_relations_come_in_pairs_and_inferred_ones_say_why(package_copy):
    rel = kordata.load("event_relations")
    ambiguous = rel[rel["basis"] == "ambiguous"].iloc[0]
    stated = rel.loc[rel["basis"] == "stated", "relation_id"].iloc[0]
    inferred = rel.loc[rel["basis"] == "inferred", "relation_id"].iloc[0]
    edit_cell(package_copy, "event_relations", ambiguous.relation_id, "alternative_relation_id", "", rehash=False)
    edit_cell(package_copy, "event_relations", stated, "alternative_relation_id", ambiguous.relation_id, rehash=False)
    edit_cell(package_copy, "event_relations", inferred, "basis_note", "")
    found = where(run_checks(package_copy, "ambiguous-relations"))
    assert ("event_relations", ambiguous.relation_id, "alternative_relation_id", "ambiguous-needs-alternative") in found
    assert ("event_relations", ambiguous.alternative_relation_id, "alternative_relation_id", "alternative-names-back") in found
    assert ("event_relations", stated, "alternative_relation_id", "alternative-only-if-ambiguous") in found
    assert ("event_relations", inferred, "basis_note", "relation-basis-note") in found


def test_a_source_link_names_one_row_and_one_of_its_columns(package_copy):
    links = kordata.load("source_links")
    on_event = links.loc[links["event_id"].notna(), "link_id"].iloc[0]
    on_actor = links.loc[links["actor_id"].notna(), "link_id"].iloc[0]
    edit_cell(package_copy, "source_links", on_event, "claim_id", kordata.load("claims")["claim_id"].iloc[0], rehash=False)
    edit_cell(package_copy, "source_links", on_actor, "field", "no_such_column")
    found = where(run_checks(package_copy, "source-link-targets"))
    assert ("source_links", on_event, "field", "source-link-target") in found
    assert ("source_links", on_actor, "field", "source-link-field") in found


def test_every_event_check_has_a_corruption_test():
    tested = {"plover-crosswalk", "unrealised-not-coded", "article-claims", "hedges", "date-qualifier-scope",
              "inferred-years-sourced", "relation-endpoints", "relation-cues", "same-chains", "ambiguous-relations", "source-link-targets",
              "same-exclusive", "two-sided"}
    assert {name for name, _, _ in event_checks.CHECKS} == tested


def test_rows_related_same_are_joined_by_no_other_relation(package_copy):
    rel = kordata.load("event_relations")
    same = rel.loc[rel["relation"] == SAME].iloc[0]
    add_rows(package_copy, "event_relations", [relation("rel-test-setting", same.related_event_id, "setting_of", same.event_id)])
    found = where(run_checks(package_copy, "same-exclusive"))
    assert ("event_relations", "rel-test-setting", "relation", "same-exclusive") in found
    assert ("event_relations", same.relation_id, "relation", "same-exclusive") not in found  # the 'same' row itself is fine


def test_a_two_sided_event_names_both_sides(package_copy):
    parts = kordata.load("event_participants")
    two_sided = parts[parts["role"] == "participant"]
    assert len(two_sided), "the package has a two-sided event (the North Korea-Russia cooperation)"
    kept, dropped = two_sided.iloc[0], two_sided[two_sided["event_id"] == two_sided.iloc[0].event_id].iloc[1:]
    for participant_id in dropped["participant_id"]:
        edit_cell(package_copy, "event_participants", participant_id, "role", "recipient", rehash=False)
    refresh_hashes(package_copy)
    found = where(run_checks(package_copy, "two-sided"))
    assert ("event_participants", kept.participant_id, "role", "two-sided-needs-both") in found

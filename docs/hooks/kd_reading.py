"""Reading pages, generated from the tables: who said what, every number with its authority
chain, every event with its participants, codes, date and relations, and every actor.

Tables are found by the fields they have (a statement has a speaker, a cue and content; a number
has a value and a unit; an event has an event type and a status), never by a list of names.
Coded values are linked to their Vocabularies entry with their meaning shown; rows are named and
linked to wherever they are shown (kd_links).
"""

from __future__ import annotations

import kd_entries
from kd_article import key
from kd_common import Site, capitalise, esc, plural, present, relation_sentence, text
from kd_entries import coded, entry, row_link
from kd_links import page_href, row_href


def find(site: Site, *fields: str) -> str | None:
    return next((t for t in site.tables if site.has(t, *fields)), None)


def name(site: Site, table: str, field: str, row) -> str:
    """A foreign-key cell as the name of the row it points to."""
    k = site.fk(table, field)
    value = row[field]
    if not present(value):
        return ""
    return row_link(site, k.target, value) if k and site.row(k.target, value) is not None else esc(value)


def in_text(site: Site, table: str, row, words: str) -> str:
    """A link to the row's passage in its article, marked there (not to the row's card)."""
    uri = f"article/{row['document_id']}.md"
    return f'<a href="{page_href(uri, "span--" + key(table, row[site.pk(table)]))}">{words}</a>'


def texts(site: Site) -> str:
    """'the article' or 'the 3 articles': pages speak of the texts the package has."""
    n = len(site.frames[site.document_table]) if site.document_table else 0
    return "the article" if n == 1 else f"the {n:,} articles"


def referring(site: Site, table: str, row_id, only: set[str] | None = None) -> list[str]:
    """Rows of other tables that point to this row (of ``only`` tables when given), named."""
    out = []
    for k in site.foreign_keys:
        if k.target != table or k.table == table or (only is not None and k.table not in only):
            continue
        frame = site.frames[k.table]
        for rid in frame[frame[k.field].astype("string") == str(row_id)][site.pk(k.table)]:
            out.append(f"{esc(site.title(k.table))}: {row_link(site, k.table, rid)}")
    return out


def _date(site: Site, table: str, row) -> str:
    if not site.has(table, "date", "date_basis"):
        return ""
    value = f"<code>{esc(row['date'])}</code>" if present(row["date"]) else "no date"
    note = (
        f'<br><span class="kd-muted">{esc(row["date_note"])}</span>' if site.has(table, "date_note") and present(row["date_note"]) else ""
    )
    return f"{value}, {coded(site, table, 'date_basis', row['date_basis'])}{note}"


def _item(label: str, value: str) -> str:
    return f"<dt>{label}</dt><dd>{value}</dd>" if value else ""


def _by_document(site: Site, table: str):
    frame = site.frames[table]
    if "document_id" not in frame or site.document_table is None:
        yield None, frame
        return
    for doc in site.frames[site.document_table].itertuples(index=False):
        doc_id = str(getattr(doc, site.pk(site.document_table)))
        part = frame[frame["document_id"].astype(str) == doc_id]
        if len(part):
            yield doc, part


def _doc_heading(site: Site, doc) -> list[str]:
    return [] if doc is None or len(site.frames[site.document_table]) == 1 else [f"## {esc(doc.title)}", ""]


def chain(site: Site, table: str, row) -> list[str]:
    """Who passes a statement on, outermost first: the article, whoever it cites as reporting it,
    the speaker, and the speaker's own source."""
    steps = ["the article"]
    fields_ = [f["name"] for f in site.pkg.fields(table)]
    if "reported_by_actor_id" in fields_ and present(row["reported_by_actor_id"]):
        cue = f", “{esc(row['reporting_cue'])}”" if "reporting_cue" in fields_ and present(row["reporting_cue"]) else ""
        steps.append(f"reported by {name(site, table, 'reported_by_actor_id', row)}{cue}")
    speaker = name(site, table, "speaker_actor_id", row) if "speaker_actor_id" in fields_ else ""
    steps.append(f"{speaker or 'an unnamed source'}, “{esc(row['cue'])}”" if "cue" in fields_ else speaker)
    if "information_source_actor_id" in fields_ and present(row["information_source_actor_id"]):
        inferred = "information_source_basis" in fields_ and row["information_source_basis"] == "inferred"
        source = name(site, table, "information_source_actor_id", row)
        steps.append(f"on information from {source}" + (" (the curator's reading)" if inferred else ""))
    return steps


def statements_page(site: Site) -> str:
    table = find(site, "cue", "content", "quote_type")
    out = ["# Who said what", ""]
    if table is None:
        return "\n".join([*out, "This package has no table of statements."])
    out += [
        f"Every statement {texts(site)} attributes ({plural(len(site.frames[table]), 'row')} of `{table}`): who speaks, in "
        "what role, with which reporting verb (the cue), quoted directly or not, and who passes the words on to the reader. "
        "Dates carry their basis: every inferred one says from what. Coded values link to their meaning in "
        "[Vocabularies](vocabularies.md).",
        "",
    ]
    for doc, frame in _by_document(site, table):
        out += _doc_heading(site, doc)
        for row in frame.itertuples(index=False):
            row = row._asdict()
            rid = row[site.pk(table)]
            speaker = name(site, table, "speaker_actor_id", row) or (
                coded(site, table, "speaker_kind", row["speaker_kind"], meaning=False)
                if present(row.get("speaker_kind"))
                else "An unnamed source"
            )
            role = f", {esc(row['speaker_role'])}" if present(row.get("speaker_role")) else ""
            behalf = f" for {name(site, table, 'on_behalf_of_actor_id', row)}" if present(row.get("on_behalf_of_actor_id")) else ""
            claims = referring(site, table, rid, only={t for t in site.tables if site.has(t, "proposition")})
            steps = "".join(f"<li>{s}</li>" for s in chain(site, table, row))
            out.append(
                f'<section class="kd-reading" id="{esc(rid)}"><p class="kd-lead"><strong>{speaker}</strong>{role}{behalf} '
                f"<em>{esc(row['cue'])}</em>:</p>"
                f'<blockquote>{esc(row["content"])}</blockquote><dl class="kd-fields">'
                + _item("Quoted", coded(site, table, "quote_type", row["quote_type"]))
                + _item("Passed on by", f'<ol class="kd-chain">{steps}</ol>')
                + _item("Date", _date(site, table, row))
                + _item("Setting", name(site, table, "setting_event_id", row) if "setting_event_id" in row else "")
                + _item("Claims made in it", "<br>".join(claims))
                + _item("Notes", esc(row.get("notes")))
                + _item("In the text", in_text(site, table, row, "the statement, marked in its article"))
                + "</dl></section>"
            )
        out.append("")
    return "\n".join(out)


def numbers_page(site: Site) -> str:
    table = find(site, "value", "unit")
    out = ["# Numbers and their authority", ""]
    if table is None:
        return "\n".join([*out, "This package has no table of numbers."])
    out += [
        f"Every number {texts(site)} gives ({plural(len(site.frames[table]), 'row')} of `{table}`), with what it counts and "
        "the chain of authority behind it: the claim that states it, who makes that claim and how certain they are, the "
        "statement it comes from and who passed it on.",
        "",
    ]
    claim_table = next((k.target for k in site.fks(table) if site.has(k.target, "proposition")), None)
    for doc, frame in _by_document(site, table):
        out += _doc_heading(site, doc)
        for row in frame.itertuples(index=False):
            row = row._asdict()
            rid = row[site.pk(table)]
            approx = f" ({esc(row['approximation_cue'])})" if present(row.get("approximation_cue")) else ""
            claim_text = statement_text = passed = ""
            if claim_table:
                ck = next(k for k in site.fks(table) if k.target == claim_table)
                claim = site.row(claim_table, row[ck.field])
                if claim is not None:
                    claimant = (
                        name(site, claim_table, "claimant_actor_id", claim)
                        if present(claim.get("claimant_actor_id"))
                        else coded(site, claim_table, "claimant_kind", claim.get("claimant_kind"), meaning=False)
                    )
                    certainty = coded(site, claim_table, "certainty", claim["certainty"]) if "certainty" in claim else ""
                    claim_text = f"{row_link(site, claim_table, row[ck.field])}<br>claimant: {claimant}; certainty {certainty}"
                    sk = site.fk(claim_table, "statement_id")
                    if sk and present(claim.get("statement_id")):
                        statement = site.row(sk.target, claim["statement_id"])
                        statement_text = row_link(site, sk.target, claim["statement_id"])
                        passed = "".join(f"<li>{s}</li>" for s in chain(site, sk.target, statement)[::-1])
            outside = referring(
                site, table, rid, only={t for t in site.tables if "document_id" not in site.frames[t] or t not in site.pkg.anchored_tables}
            )
            out.append(
                f'<section class="kd-reading" id="{esc(rid)}"><p class="kd-lead"><strong class="kd-number">{esc(row["value"])} '
                f"{esc(row['unit'])}</strong>{approx}: {esc(row.get('counts', ''))}</p>"
                f'<blockquote>{esc(row["quote"])}</blockquote><dl class="kd-fields">'
                + _item("Stated in the claim", claim_text)
                + _item("Made in the statement", statement_text)
                + _item("Passed on, source first", f'<ol class="kd-chain">{passed}</ol>' if passed else "")
                + _item("Event", name(site, table, "event_id", row) if "event_id" in row else "")
                + _item("Outside sources", "<br>".join(outside))
                + _item("Notes", esc(row.get("notes")))
                + _item("In the text", in_text(site, table, row, "the number, marked in its article"))
                + "</dl></section>"
            )
        out.append("")
    return "\n".join(out)


def participants_table(site: Site, events: str) -> str | None:
    """The table of who takes part in an event: it points to events and to actors and has a role."""
    return next(
        (
            t
            for t in site.tables
            if site.has(t, "role")
            and any(k.target == events for k in site.fks(t))
            and any(site.label_field(k.target) == "name" for k in site.fks(t))
        ),
        None,
    )


def participants(site: Site, events: str, event_id) -> str:
    """Each participant of an event: actor, role (with its meaning), the mention that evidences it."""
    parts = participants_table(site, events)
    if parts is None:
        return ""
    frame = site.frames[parts]
    event_key = next(k for k in site.fks(parts) if k.target == events)
    items = []
    for r in frame[frame[event_key.field].astype("string") == str(event_id)].itertuples(index=False):
        r = r._asdict()
        rid = r[site.pk(parts)]
        actor = next((name(site, parts, k.field, r) for k in site.fks(parts) if site.label_field(k.target) == "name"), "")
        role = coded(site, parts, "role", r["role"])
        evidence = [
            name(site, parts, k.field, r)
            for k in site.fks(parts)
            if k.target in site.pkg.annotation_tables and k.target != events and present(r[k.field])
        ]
        notes = f' <span class="kd-muted">{esc(r["notes"])}</span>' if present(r.get("notes")) else ""
        items.append(
            f'<li id="{esc(rid)}">{actor}: {role}' + (f"<br>in the text: {', '.join(evidence)}" if evidence else "") + f"{notes}</li>"
        )
    return f'<ul class="kd-participants">{"".join(items)}</ul>' if items else ""


def relation_tables(site: Site, events: str) -> list[str]:
    return [t for t in site.tables if sum(1 for k in site.fks(t) if k.target == events) >= 2]


def relations(site: Site, events: str, event_id) -> str:
    """How an event relates to others, as sentences ("This event is a condition of X"); two readings
    of ambiguous words (rows that name each other as the other reading) shown as Reading 1 / Reading 2,
    with whose words they are and the curator's note."""
    out = []
    for t in relation_tables(site, events):
        ks = [k for k in site.fks(t) if k.target == events]
        verb = next((f["name"] for f in site.pkg.fields(t) if "categories" in f), None)
        other_reading = next((k for k in site.fks(t) if k.target == t), None)
        voice = next((k for k in site.fks(t) if site.has(k.target, "cue", "content")), None)
        frame = site.frames[t]
        mine = frame[(frame[ks[0].field].astype("string") == str(event_id)) | (frame[ks[1].field].astype("string") == str(event_id))]
        done: set[str] = set()
        for r in mine.itertuples(index=False):
            r = r._asdict()
            rid = r[site.pk(t)]
            if rid in done:
                continue
            pair = [r]
            if other_reading is not None and present(r[other_reading.field]):
                alt = site.row(t, r[other_reading.field])
                if alt is not None:
                    pair.append(alt)
            done.update(str(p[site.pk(t)]) for p in pair)
            lines = []
            for n, p in enumerate(pair, 1):

                def end(field: str, p=p) -> str:
                    return "this event" if str(p[field]) == str(event_id) else row_link(site, events, p[field], 80)

                sentence = relation_sentence(end(ks[0].field), p[verb] if verb else "related_to", end(ks[1].field))
                sentence = capitalise(sentence)
                said = (
                    f" (in the words of {row_link(site, voice.target, p[voice.field], 60)})"
                    if voice is not None and present(p[voice.field])
                    else ""
                )
                basis = f", {coded(site, t, 'basis', p['basis'], meaning=False)}" if "basis" in p and present(p["basis"]) else ""
                prefix = f"Reading {n}: " if len(pair) > 1 else ""
                lines.append(f'{prefix}{sentence}{said}{basis} · <a href="{row_href(t, p[site.pk(t)])}">its evidence</a>')
            note_field = next((f for f in ("basis_note", "notes") if f in r and present(r[f])), None)
            note = f'<br><span class="kd-muted">{esc(r[note_field])}</span>' if note_field and len(pair) > 1 else ""
            head = f"Two readings of “{esc(r['quote'])}”:<br>" if len(pair) > 1 and "quote" in r else ""
            out.append(f"<li>{head}{'<br>'.join(lines)}{note}</li>")
    return f'<ul class="kd-relations">{"".join(out)}</ul>' if out else ""


def events_page(site: Site) -> str:
    table = find(site, "event_type", "status")
    out = ["# Events", ""]
    if table is None:
        return "\n".join([*out, "This package has no table of events."])
    out += [
        f"Every event ({plural(len(site.frames[table]), 'row')} of `{table}`) as {texts(site)} presents it: its participants "
        "and their roles, kordata's type and status, the CAMEO code with its name, the PLOVER type with its definition, "
        "the date with its basis, and how it relates to other events. Coded values link to "
        "[Vocabularies](vocabularies.md).",
        "",
    ]
    for doc, frame in _by_document(site, table):
        out += _doc_heading(site, doc)
        for row in frame.itertuples(index=False):
            row = row._asdict()
            rid = row[site.pk(table)]
            code = text(row.get("cameo_code"))
            cameo_text = (
                kd_entries.cameo(site, table, "cameo_code", code)
                if code
                else f'none <span class="kd-muted">{esc(row.get("cameo_note"))}</span>'
            )
            ptype = text(row.get("plover_type"))
            plover_text = (
                coded(site, table, "plover_type", ptype)
                + (f", mode {esc(row['plover_mode'])}" if present(row.get("plover_mode")) else "")
                + (
                    f", contexts {kd_entries.listed_terms(site, table, site.pkg.field(table, 'plover_contexts'), row['plover_contexts'])}"
                    if present(row.get("plover_contexts"))
                    else ""
                )
                if ptype
                else f'none <span class="kd-muted">{esc(row.get("plover_note"))}</span>'
            )
            place = esc(row.get("location")) if present(row.get("location")) else ""
            out.append(
                f'<section class="kd-reading" id="{esc(rid)}"><p class="kd-lead"><strong>{esc(row["summary"])}</strong></p>'
                f'<dl class="kd-fields">'
                + _item("Type", coded(site, table, "event_type", row["event_type"]))
                + _item(
                    "Status",
                    coded(site, table, "status", row["status"])
                    + (f'<br><span class="kd-muted">hedged: “{esc(row["hedge"])}”</span>' if present(row.get("hedge")) else ""),
                )
                + _item("Participants", participants(site, table, rid))
                + _item("CAMEO", cameo_text)
                + _item("PLOVER", plover_text)
                + _item("Date", _date(site, table, row))
                + _item("Place", place)
                + _item("Relations", relations(site, table, rid))
                + _item("In the text", in_text(site, table, row, f"“{esc(row['quote'])}”"))
                + "</dl></section>"
            )
        out.append("")
    return "\n".join(out)


def actors_page(site: Site) -> str:
    """Every row of the tables that name someone (a name field, no span of their own): who each is,
    how sure the coding is (basis and notes), and every row that refers to them."""
    named = [t for t in site.tables if site.label_field(t) == "name" and t not in site.pkg.anchored_tables and t != site.document_table]
    out = ["# Actors", ""]
    if not named:
        return "\n".join([*out, "This package has no table of actors."])
    for table in named:
        frame = site.frames[table]
        out += [
            f"Every actor {texts(site)} refers to ({plural(len(frame), 'row')} of `{table}`): what kind of actor it is, "
            "its country and how that is known, its identifiers, and every row that refers to it (mentions in the text, "
            "roles in events, statements, claims, outside sources).",
            "",
        ]
        for doc, part in _by_document(site, table):
            out += _doc_heading(site, doc)
            out += [entry(site, table, rid) for rid in part[site.pk(table)]]
    return "\n".join(out)

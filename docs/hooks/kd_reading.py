"""Reading pages, generated from the tables: who said what, every number with its authority
chain, every event with its participants, codes, date and relations.

Tables are found by the fields they have (a statement has a speaker, a cue and content; a number
has a value and a unit; an event has an event type and a status), never by a list of names.
"""

from __future__ import annotations

from kd_article import key
from kd_common import Site, esc, plural, present, text
from kd_vocabularies import cameo_names, plover_definitions


def find(site: Site, *fields: str) -> str | None:
    return next((t for t in site.tables if site.has(t, *fields)), None)


def link(site: Site, table: str, row_id) -> str:
    """The row, named, linking to its card in its article (when it cites the text)."""
    label = esc(site.label(table, row_id))
    row = site.row(table, row_id)
    if row is not None and table in site.pkg.annotation_tables:
        return f'<a href="../article/{esc(row["document_id"])}/#row--{esc(key(table, row_id))}">{label}</a>'
    return label


def name(site: Site, table: str, field: str, row) -> str:
    """A foreign-key cell as the name of the row it points to."""
    k = site.fk(table, field)
    value = row[field]
    if not present(value):
        return ""
    return link(site, k.target, value) if k else esc(value)


def category(site: Site, table: str, field: str, value) -> str:
    meaning = site.categories(table, field).get(text(value), "")
    return f'<abbr title="{esc(meaning)}">{esc(text(value).replace("_", " "))}</abbr>' if meaning else esc(text(value).replace("_", " "))


def referring(site: Site, table: str, row_id, skip: set[str] = frozenset()) -> list[str]:
    """Rows of other tables that point to this row (other than ``skip`` tables), named."""
    out = []
    for k in site.foreign_keys:
        if k.target != table or k.table in skip or k.table == table:
            continue
        frame = site.frames[k.table]
        for rid in frame[frame[k.field].astype("string") == str(row_id)][site.pk(k.table)]:
            out.append(f"{esc(site.title(k.table))}: {link(site, k.table, rid)}")
    return out


def _date(site: Site, table: str, row) -> str:
    if not site.has(table, "date", "date_basis"):
        return ""
    value = f"<code>{esc(row['date'])}</code>" if present(row["date"]) else "no date"
    note = f' <span class="kd-muted">{esc(row["date_note"])}</span>' if site.has(table, "date_note") and present(row["date_note"]) else ""
    return f"{value} ({category(site, table, 'date_basis', row['date_basis'])}){note}"


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
    return [] if doc is None else [f"## {esc(doc.title)}", ""]


def chain(site: Site, table: str, row) -> list[str]:
    """Who passes a statement on, outermost first: the article, whoever it cites as reporting it,
    the speaker, and the speaker's own source."""
    steps = ["the article" + (f" (<code>{esc(row['document_id'])}</code>)" if "document_id" in row else "")]
    fields = [f["name"] for f in site.pkg.fields(table)]
    if "reported_by_actor_id" in fields and present(row["reported_by_actor_id"]):
        cue = f", “{esc(row['reporting_cue'])}”" if "reporting_cue" in fields and present(row["reporting_cue"]) else ""
        steps.append(f"reported by {name(site, table, 'reported_by_actor_id', row)}{cue}")
    speaker = name(site, table, "speaker_actor_id", row) if "speaker_actor_id" in fields else ""
    steps.append(f"{speaker or 'an unnamed source'}, “{esc(row['cue'])}”" if "cue" in fields else speaker)
    if "information_source_actor_id" in fields and present(row["information_source_actor_id"]):
        steps.append(f"on information from {name(site, table, 'information_source_actor_id', row)}")
    return steps


def statements_page(site: Site) -> str:
    table = find(site, "cue", "content", "quote_type")
    out = ["# Who said what", ""]
    if table is None:
        return "\n".join(out + ["This package has no table of statements."])
    out += [f"Every statement the articles attribute ({plural(len(site.frames[table]), 'row')} of `{table}`): who speaks, in what "
            "role, with which reporting verb (the cue), quoted directly or not, and who passes the words on to the reader. "
            "Dates carry their basis: the articles give few, and every inferred one says from what.", ""]
    for doc, frame in _by_document(site, table):
        out += _doc_heading(site, doc)
        for row in frame.itertuples(index=False):
            row = row._asdict()
            rid = row[site.pk(table)]
            speaker = name(site, table, "speaker_actor_id", row) or "An unnamed source"
            role = f", {esc(row['speaker_role'])}" if present(row.get("speaker_role")) else ""
            behalf = f" for {name(site, table, 'on_behalf_of_actor_id', row)}" if present(row.get("on_behalf_of_actor_id")) else ""
            claims = referring(site, table, rid, skip={t for t in site.tables if not site.has(t, "proposition")})
            steps = "".join(f"<li>{s}</li>" for s in chain(site, table, row))
            out.append(
                f'<section class="kd-reading" id="{esc(rid)}"><p class="kd-lead"><strong>{speaker}</strong>{role}{behalf} '
                f'<em>{esc(row["cue"])}</em> ({category(site, table, "quote_type", row["quote_type"])} quote):</p>'
                f'<blockquote>{esc(row["content"])}</blockquote><dl class="kd-fields">'
                + _item("Passed on by", f'<ol class="kd-chain">{steps}</ol>')
                + _item("Date", _date(site, table, row))
                + _item("Setting", name(site, table, "setting_event_id", row) if "setting_event_id" in row else "")
                + _item("Claims made in it", "<br>".join(claims))
                + _item("In the text", f'<a href="../article/{esc(row["document_id"])}/#row--{esc(key(table, rid))}">the statement in its article</a>')
                + "</dl></section>"
            )
        out.append("")
    return "\n".join(out)


def numbers_page(site: Site) -> str:
    table = find(site, "value", "unit")
    out = ["# Numbers and their authority", ""]
    if table is None:
        return "\n".join(out + ["This package has no table of numbers."])
    out += [f"Every number the articles give ({plural(len(site.frames[table]), 'row')} of `{table}`), with what it counts and the "
            "chain of authority behind it: the claim that states it, who makes that claim and how certain they are, the "
            "statement it comes from and who passed it on.", ""]
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
                    claimant = (name(site, claim_table, "claimant_actor_id", claim) if present(claim.get("claimant_actor_id"))
                                else esc(text(claim.get("claimant_kind", "")).replace("_", " ")))
                    certainty = category(site, claim_table, "certainty", claim["certainty"]) if "certainty" in claim else ""
                    claim_text = f"{link(site, claim_table, row[ck.field])} <br>claimant: {claimant}; certainty {certainty}"
                    sk = site.fk(claim_table, "statement_id")
                    if sk and present(claim.get("statement_id")):
                        statement = site.row(sk.target, claim["statement_id"])
                        statement_text = link(site, sk.target, claim["statement_id"])
                        passed = "".join(f"<li>{s}</li>" for s in chain(site, sk.target, statement)[::-1])
            outside = referring(site, table, rid, skip={t for t in site.tables if "document_id" in site.frames[t]})
            out.append(
                f'<section class="kd-reading" id="{esc(rid)}"><p class="kd-lead"><strong class="kd-number">{esc(row["value"])} '
                f'{esc(row["unit"])}</strong>{approx}: {esc(row.get("counts", ""))}</p>'
                f'<blockquote>{esc(row["quote"])}</blockquote><dl class="kd-fields">'
                + _item("Stated in the claim", claim_text)
                + _item("Made in the statement", statement_text)
                + _item("Passed on, source first", f'<ol class="kd-chain">{passed}</ol>' if passed else "")
                + _item("Event", name(site, table, "event_id", row) if "event_id" in row else "")
                + _item("Outside sources", "<br>".join(outside))
                + _item("Notes", esc(row.get("notes")))
                + "</dl></section>"
            )
        out.append("")
    return "\n".join(out)


def events_page(site: Site) -> str:
    table = find(site, "event_type", "status")
    out = ["# Events", ""]
    if table is None:
        return "\n".join(out + ["This package has no table of events."])
    cameo, plover = cameo_names(), plover_definitions()
    parts = next((t for t in site.tables if site.has(t, "role", "actor_id") and any(k.target == table for k in site.fks(t))), None)
    relations = [t for t in site.tables if sum(1 for k in site.fks(t) if k.target == table) >= 2]
    out += [f"Every event ({plural(len(site.frames[table]), 'row')} of `{table}`) as the articles present it: its participants and "
            "their roles, kordata's type and status, the CAMEO code with its name, the PLOVER type, the date with its basis, and "
            "how it relates to other events.", ""]
    for doc, frame in _by_document(site, table):
        out += _doc_heading(site, doc)
        for row in frame.itertuples(index=False):
            row = row._asdict()
            rid = row[site.pk(table)]
            who = ""
            if parts:
                p = site.frames[parts]
                p = p[p[site.fk(parts, "event_id").field if site.fk(parts, "event_id") else "event_id"].astype("string") == str(rid)]
                who = "<br>".join(f"{link(site, site.fk(parts, 'actor_id').target, r.actor_id)} "
                                  f"({category(site, parts, 'role', r.role)})" for r in p.itertuples(index=False))
            code = text(row.get("cameo_code"))
            cameo_text = (f"<code>{esc(code)}</code> {esc(cameo.get(code, ('',))[0])}" if code else
                          f'none <span class="kd-muted">{esc(row.get("cameo_note"))}</span>')
            ptype = text(row.get("plover_type"))
            plover_text = (f'<abbr title="{esc(plover.get(ptype, ""))}">{esc(ptype)}</abbr>'
                           + (f", mode {esc(row['plover_mode'])}" if present(row.get("plover_mode")) else "")
                           + (f", contexts {esc(row['plover_contexts'])}" if present(row.get("plover_contexts")) else "")
                           if ptype else f'none <span class="kd-muted">{esc(row.get("plover_note"))}</span>')
            rel = []
            for t in relations:
                ks = [k for k in site.fks(t) if k.target == table]
                rf = site.frames[t]
                verb = next((f["name"] for f in site.pkg.fields(t) if "categories" in f), None)
                for k_self, k_other in ((ks[0], ks[1]), (ks[1], ks[0])):
                    for r in rf[rf[k_self.field].astype("string") == str(rid)].itertuples(index=False):
                        r = r._asdict()
                        v = text(r[verb]).replace("_", " ") if verb else "related to"
                        phrase = f"this event {v}" if k_self == ks[0] else f"({v})"
                        other = link(site, table, r[k_other.field])
                        out_rel = f"{phrase} {other}" if k_self == ks[0] else f"{other} {v} this event"
                        rel.append(out_rel + (f' <span class="kd-muted">[{esc(r["basis"])}]</span>' if "basis" in r else ""))
            place = esc(row.get("location")) if present(row.get("location")) else ""
            out.append(
                f'<section class="kd-reading" id="{esc(rid)}"><p class="kd-lead"><strong>{esc(row["summary"])}</strong></p>'
                f'<dl class="kd-fields">'
                + _item("Type and status", f"{category(site, table, 'event_type', row['event_type'])}, "
                                           f"{category(site, table, 'status', row['status'])}"
                        + (f' <span class="kd-muted">hedged: “{esc(row["hedge"])}”</span>' if present(row.get("hedge")) else ""))
                + _item("Participants", who)
                + _item("CAMEO", cameo_text)
                + _item("PLOVER", plover_text)
                + _item("Date", _date(site, table, row))
                + _item("Place", place)
                + _item("Relations", "<br>".join(rel))
                + _item("In the text", f'<a href="../article/{esc(row["document_id"])}/#row--{esc(key(table, rid))}">“{esc(row["quote"])}”</a>')
                + "</dl></section>"
            )
        out.append("")
    return "\n".join(out)

"""Outside sources, generated from the tables that record them: each source the curator read (what
it supports, when and how it was retrieved) and every link from it to a row of the data, grouped by
what the link means (it supports an inferred value, or gives context), each naming the row it
bears on, linked to wherever that row is shown.

The tables are found by their shape, never by name: the sources are the table with an address
(``url``) and a retrieval date (``retrieved``); the links are the table whose rows point to a source
and to other rows.
"""

from __future__ import annotations

from kd_common import Site, esc, plural, present, text
from kd_entries import coded, entry, field_names_as_code, row_link, value


def tables(site: Site) -> tuple[str | None, str | None]:
    sources = next((t for t in site.tables if site.has(t, "url", "retrieved")), None)
    if sources is None:
        return None, None
    links = next(
        (t for t in site.tables if any(k.target == sources for k in site.fks(t)) and len({k.target for k in site.fks(t)}) > 2), None
    )
    return sources, links


def _relation_field(site: Site, links: str) -> str | None:
    return next((f["name"] for f in site.pkg.fields(links) if "categories" in f), None)


def _link_item(site: Site, links: str, row, source_key: str, relation: str | None) -> str:
    """One link, compactly: the row it bears on, its short values inline, its long ones (the note) below."""
    targets = [k for k in site.fks(links) if k.field != source_key and present(row[k.field])]
    named = "; ".join(f"{esc(site.title(k.target))}: {row_link(site, k.target, row[k.field], 100)}" for k in targets)
    skip = {source_key, site.pk(links), *(k.field for k in site.fks(links)), *([relation] if relation else [])}
    short, long = [], []
    for field in site.pkg.fields(links):
        if field["name"] in skip or not present(row[field["name"]]):
            continue
        shown = value(site, links, field, row[field["name"]])
        (short if len(text(row[field["name"]])) < 40 else long).append(
            f"{esc(site.field_title(links, field['name']).lower())} <code>{shown}</code>" if len(text(row[field["name"]])) < 40 else shown
        )
    rid = row[site.pk(links)]
    return (
        f'<li id="{esc(rid)}">{named}'
        + (f" · {' · '.join(short)}" if short else "")
        + "".join(f"<br>{x}" for x in long)
        + f' <span class="kd-muted">(<code data-nolink>{esc(rid)}</code>)</span></li>'
    )


def _links_html(site: Site, links: str, source_id) -> str:
    source_key = next(k.field for k in site.fks(links) if k.target == tables(site)[0])
    frame = site.frames[links]
    mine = frame[frame[source_key].astype("string") == str(source_id)]
    relation = _relation_field(site, links)
    groups = [(v, mine[mine[relation].astype("string") == v]) for v in site.categories(links, relation)] if relation else [("", mine)]
    out = []
    for code, rows in groups:
        if rows.empty:
            continue
        head = coded(site, links, relation, code) if relation else "Links"
        items = "".join(_link_item(site, links, r._asdict(), source_key, relation) for r in rows.itertuples(index=False))
        out.append(f'<p class="kd-links-head"><strong>{head}</strong>: {plural(len(rows), "row")}</p><ul class="kd-links">{items}</ul>')
    return f'<div class="kd-source-links">{"".join(out)}</div>' if out else ""


def _heading(site: Site, sources: str, row) -> str:
    """A source as its publisher and title, the way a reader looks for it."""
    title = site.label(sources, row[site.pk(sources)])
    publisher = text(row["publisher"]) if "publisher" in row and present(row["publisher"]) else ""
    return f"{publisher}: {title}" if publisher and publisher not in title else title


def page(site: Site) -> str:
    sources, links = tables(site)
    out = ["# Outside sources", ""]
    if sources is None:
        return "\n".join([*out, "This package records no outside sources."])
    frame = site.frames[sources]
    intro = (
        f"The text is the evidence every anchored row cites. Where a value is not stated in it but inferred (a year, a "
        f"country), the row says so and links to the outside pages the curator actually read: "
        f"{plural(len(frame), 'source')} in table [`{sources}`](dictionary.md#{sources})"
    )
    if links:
        relation = _relation_field(site, links)
        counts = site.frames[links][relation].astype("string").value_counts() if relation else None
        intro += f" and {plural(len(site.frames[links]), 'link')} in table [`{links}`](dictionary.md#{links})"
        if relation:
            intro += ": " + "; ".join(
                f"{int(counts.get(v, 0)):,} {coded(site, links, relation, v, meaning=False)} "
                f"({field_names_as_code(site, links, label.rstrip('.'))})"
                for v, label in site.categories(links, relation).items()
            )
    out += [
        intro + ".",
        "",
        "Sources are listed as retrieved: a source records what it says, never a verdict on the text. "
        "Each link names the row it bears on; select it to see the row. The retrieval notes are the curator's: "
        "where one says a page was read from a stored copy, the curator read an archived copy of the page "
        "(not the live page) kept by the tools used for curation; that copy has no public address, so the page's own "
        "address is given, and what it said may since have changed.",
        "",
    ]
    for sid in frame[site.pk(sources)]:
        out.append(
            entry(
                site,
                sources,
                sid,
                level=2,
                referring_skip={links} if links else set(),
                after=_links_html(site, links, sid) if links else "",
                heading=_heading(site, sources, site.row(sources, sid)),
            )
        )
    return "\n".join(out)

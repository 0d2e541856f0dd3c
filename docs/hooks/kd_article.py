"""The annotated article: one page per document, its text with every row that cites it.

Each annotation table has its own colour and line style (legend with toggles). The text is cut
at every span boundary; each piece lists, in ``data-rows``, every row whose span covers it, so a
click can list them all (kordata.js builds that list in a dialog). Below the text, every row as a
card, grouped by table, each with a link back that marks its whole span.
"""

from __future__ import annotations

import json

from kd_common import Site, esc, plural, present, shorten, text

PALETTE_SIZE = 8  # colours defined in kordata.css (.kd-c0 ... .kd-c7); more tables reuse them


def key(table: str, row_id) -> str:
    return f"{table}--{row_id}"


def documents(site: Site) -> list:
    table = site.document_table
    return list(site.frames[table].itertuples(index=False)) if table else []


def doc_id(site: Site, doc) -> str:
    return str(getattr(doc, site.pk(site.document_table)))


def page_uri(site: Site, doc) -> str:
    return f"article/{doc_id(site, doc)}.md"


def _rows(site: Site, document_id: str) -> list[tuple[int, int, str, str]]:
    """(start, end, table, row id) of every annotation row of one document."""
    spans = []
    for table in site.pkg.annotation_tables:
        frame = site.frames[table]
        frame = frame[frame["document_id"].astype(str) == document_id]
        pk = site.pk(table)
        spans += [(int(s), int(e), table, str(r)) for s, e, r in zip(frame["start"], frame["end"], frame[pk], strict=True)]
    return sorted(spans)


def colour(site: Site, table: str) -> int:
    return site.pkg.annotation_tables.index(table) % PALETTE_SIZE


def _cell(site: Site, table: str, field: dict, value, anchored: set[str]) -> str:
    name = field["name"]
    fk = site.fk(table, name)
    if fk is not None:
        label = esc(site.label(fk.target, value))
        if fk.target in anchored and site.row(fk.target, value) is not None:
            return f'<a href="#row--{esc(key(fk.target, value))}">{label}</a>'
        return label
    if "categories" in field:
        meaning = site.categories(table, name).get(text(value), "")
        return f"{esc(text(value).replace('_', ' '))}" + (f' <span class="kd-muted">({esc(meaning)})</span>' if meaning else "")
    return esc(value)


SKIP = {"document_id", "start", "end", "quote"}


def card(site: Site, table: str, row_id: str, anchored: set[str]) -> str:
    row = site.row(table, row_id)
    k = key(table, row_id)
    items = []
    for field in site.pkg.fields(table):
        name = field["name"]
        if name in SKIP or name == site.pk(table) or not present(row[name]):
            continue
        items.append(f"<dt>{esc(site.field_title(table, name))}</dt><dd>{_cell(site, table, field, row[name], anchored)}</dd>")
    return (
        f'<details class="kd-card kd-c{colour(site, table)}" id="row--{esc(k)}">'
        f"<summary>{esc(site.label(table, row_id))}</summary>"
        f'<p class="kd-quote">“{esc(row["quote"])}” <span class="kd-muted">characters {int(row["start"])}–{int(row["end"])}, '
        f"id <code>{esc(row_id)}</code></span></p>"
        f'<dl class="kd-fields">{"".join(items)}</dl>'
        f'<p><a class="kd-back" href="#span--{esc(k)}">Show “{esc(shorten(str(row["quote"]), 40))}” in the text</a></p></details>'
    )


def article_page(site: Site, doc) -> str:
    document_id = doc_id(site, doc)
    body = site.pkg.file(doc.path, "document text").read_text(encoding="utf-8")
    spans = _rows(site, document_id)
    tables = [t for t in site.pkg.annotation_tables if any(s[2] == t for s in spans)]
    anchored = set(tables)
    counts = {t: sum(1 for s in spans if s[2] == t) for t in tables}
    # the text, cut at every boundary; each piece knows every row that covers it
    cuts = sorted({0, len(body), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    starts: dict[int, list[str]] = {}
    for s, _, table, rid in spans:
        starts.setdefault(s, []).append(key(table, rid))
    pieces = []
    for n, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False)):
        anchors = "".join(f'<span class="kd-anchor" id="span--{esc(k)}"></span>' for k in starts.get(a, []))
        covering = [(t, r) for s, e, t, r in spans if s <= a and e >= b]
        chunk = esc(body[a:b])
        if covering:
            inner = chunk
            for t in sorted({t for t, _ in covering}, key=lambda t: -colour(site, t)):
                inner = f'<span class="kd-u kd-c{colour(site, t)}">{inner}</span>'
            per_table = [plural(sum(1 for c in covering if c[0] == t), site.title(t).lower().rstrip("s"), site.title(t).lower())
                         for t in tables if any(c[0] == t for c in covering)]
            innermost = min(covering, key=lambda c: next(e - s for s, e, t, r in spans if (t, r) == c))
            # the link's name is its words, then what it opens (said only to screen readers)
            hidden = f'<span class="kd-sr"> (list {plural(len(covering), "row")}: {", ".join(per_table)})</span>'
            chunk = (f'<a class="kd-seg" id="seg-{n}" href="#row--{esc(key(*innermost))}" '
                     f'data-rows="{esc(" ".join(key(t, r) for t, r in covering))}">{inner}{hidden}</a>')
        pieces.append(anchors + chunk)
    rows_data = {"tables": [[t, site.title(t), colour(site, t)] for t in tables],
                 "rows": {key(t, r): [tables.index(t), site.label(t, r)] for _, _, t, r in spans}}
    facts = []
    for status in ("outlet", "author", "published"):
        if site.has(site.document_table, status):
            value = getattr(doc, status)
            facts.append(f"{status}: {esc(value) if present(value) else 'not stated in the text'}")
    out = [
        f"# {esc(doc.title)}",
        "",
        f'<p class="kd-muted">Document <code>{esc(document_id)}</code> · {"; ".join(facts)} · '
        f'{plural(len(body), "character")} · <a href="../../{esc(doc.path)}">the text as a file</a></p>',
        "",
        "Underlined passages are cited by rows of the tables, one colour and line style per table. "
        "Select a passage (click, or Tab to it and press Enter) to list **every** row that cites it; "
        "from a row, *Show in the text* brings you back and marks its whole passage.",
        "",
        '<fieldset class="kd-legend"><legend>Underline the rows of</legend>'
        + "".join(f'<label class="kd-toggle"><input type="checkbox" checked data-colour="{colour(site, t)}"> '
                  f'<span class="kd-swatch kd-c{colour(site, t)}" aria-hidden="true"></span> {esc(site.title(t))} ({counts[t]})</label>'
                  for t in tables)
        + "</fieldset>",
        "",
        f'<div class="kd-article" id="article-text" lang="{esc(getattr(doc, "language", "en"))}">{"".join(pieces)}</div>',
        "",
        '<dialog id="kd-rows-dialog" class="kd-dialog" aria-labelledby="kd-rows-dialog-title">'
        '<div class="kd-dialog-head"><h2 id="kd-rows-dialog-title">Rows citing this passage</h2>'
        '<button type="button" class="kd-close md-button">Close</button></div>'
        '<p class="kd-dialog-quote"></p><div class="kd-dialog-body"></div></dialog>',
        "",
        '<script type="application/json" id="kd-rows-data">' + json.dumps(rows_data, ensure_ascii=False).replace("</", "<\\/") + "</script>",
        "",
        "## Rows, by table",
        "",
        "Each row opens to show every value it records; links lead to the rows it refers to.",
        "",
    ]
    for t in tables:
        out += [f"### {esc(site.title(t))} ({counts[t]}) {{ #rows-{t} }}", "",
                '<div class="kd-cards">' + "".join(card(site, t, r, anchored) for s, e, tt, r in spans if tt == t) + "</div>", ""]
    return "\n".join(out)


def index_page(site: Site) -> str:
    docs = documents(site)
    out = ["# Annotated articles", "",
           f"The package codes {plural(len(docs), 'document')}. Each page shows a text with every row that cites it.", ""]
    for doc in docs:
        n = sum(int((site.frames[t]["document_id"].astype(str) == doc_id(site, doc)).sum()) for t in site.pkg.annotation_tables)
        out.append(f"- [{doc.title}]({doc_id(site, doc)}.md): {plural(n, 'row')} cite it.")
    return "\n".join(out) + "\n"

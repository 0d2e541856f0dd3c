"""The data dictionary: one compact table per dataset table (one example row, missing-value
counts, linked foreign keys) and a diagram of the keys, all from the schemas and the data.

The diagram is inline SVG drawn here (no graphics library lays out an entity diagram without a
system package): tables stacked in one column, referenced tables first, each foreign key an arrow
in the left margin from its field to the key it references. Every arrow carries
``data-from``/``data-to`` so tests compare the drawing with the schemas.
"""

from __future__ import annotations

from kd_common import Site, esc, plural, present, shorten, text

PALETTE_SIZE = 8
LINE, HEAD, GAP, BOX_W, LANE = 20, 26, 14, 250, 9


def table_order(site: Site) -> list[str]:
    """Tables sorted so that a referenced table comes before the tables referring to it (cycles broken
    where they are met), ties in package order."""
    tables = site.tables
    refs = {t: [k.target for k in site.fks(t) if k.target != t] for t in tables}
    depth: dict[str, int] = {}
    visiting: set[str] = set()

    def visit(t: str) -> int:
        if t in depth:
            return depth[t]
        if t in visiting:
            return -1
        visiting.add(t)
        d = 1 + max([visit(r) for r in refs[t]] + [-1])
        visiting.discard(t)
        depth[t] = d
        return d

    for t in tables:
        visit(t)
    return sorted(tables, key=lambda t: (depth[t], tables.index(t)))


def diagram(site: Site) -> str:
    order = table_order(site)
    lines: dict[str, list[tuple[str, str]]] = {}  # table -> [(kind, field)]
    for t in order:
        pk = site.schema(t).get("primaryKey") or [site.pk(t)]
        pk = [pk] if isinstance(pk, str) else pk
        fk_fields = [k.field for k in site.fks(t)]
        lines[t] = [("pk", f) for f in pk] + [("fk", f) for f in fk_fields if f not in pk]
    top, y_of, box_y = 8, {}, {}
    y = top
    for t in order:
        box_y[t] = y
        for i, (_, f) in enumerate(lines[t]):
            y_of[(t, f)] = y + HEAD + LINE * i + LINE / 2
        y += HEAD + LINE * len(lines[t]) + LINE + GAP
    height = y
    edges = []
    for k in site.foreign_keys:
        y1, y2 = y_of[(k.table, k.field)], y_of.get((k.target, k.target_field), box_y[k.target] + HEAD / 2)
        edges.append((k, min(y1, y2), max(y1, y2), y1, y2))
    # lanes: shorter arrows nearer the boxes; arrows sharing a lane never overlap vertically
    lanes: list[list[tuple[float, float]]] = []
    placed = []
    for e in sorted(edges, key=lambda e: (e[2] - e[1], e[1])):
        lane = next((i for i, used in enumerate(lanes) if all(e[2] + 3 < a or e[1] - 3 > b for a, b in used)), None)
        if lane is None:
            lanes.append([])
            lane = len(lanes) - 1
        lanes[lane].append((e[1], e[2]))
        placed.append((e, lane))
    # boxes on the left, arrows in lanes on their right: a phone's first view (the left edge) shows whole boxes
    left = 6
    edge = left + BOX_W  # the boxes' right edge, where arrows leave and arrive
    width = edge + 16 + LANE * max(len(lanes), 1)
    body = []
    for (k, _, _, y1, y2), lane in placed:
        x = edge + 10 + LANE * lane
        c = order.index(k.target) % PALETTE_SIZE
        name = f"{k.table}.{k.field} references {k.target}.{k.target_field}"
        body.append(
            f'<g class="kd-edge kd-c{c}" data-from="{esc(k.table)}.{esc(k.field)}" data-to="{esc(k.target)}.{esc(k.target_field)}">'
            f"<title>{esc(name)}</title>"
            f'<path d="M {edge} {y1:.0f} H {x} V {y2:.0f} H {edge + 7}" fill="none" stroke-width="2"/>'
            f'<path d="M {edge} {y2:.0f} l 8 -4.5 v 9 z" class="kd-head"/></g>'
        )
    gutter = left
    for t in order:
        yb = box_y[t]
        h = HEAD + LINE * len(lines[t]) + LINE
        n = len(site.frames[t])
        others = len(site.pkg.fields(t)) - len(lines[t])
        body.append(
            f'<g class="kd-box" data-table="{esc(t)}"><rect x="{gutter}" y="{yb}" width="{BOX_W}" height="{h}" rx="5"/>'
            f'<a href="#{esc(t)}"><text x="{gutter + 8}" y="{yb + 18}" class="kd-box-title">{esc(t)}</text></a>'
            f'<text x="{gutter + BOX_W - 8}" y="{yb + 18}" text-anchor="end" class="kd-box-count">{plural(n, "row")}</text>'
        )
        for i, (kind, f) in enumerate(lines[t]):
            ty = yb + HEAD + LINE * i + 15
            if kind == "pk":
                label = f'<tspan class="kd-key">key</tspan> {esc(f)}'
            else:
                k = site.fk(t, f)
                label = f"{esc(f)} → {esc(k.target)}" + ("" if k.target_field == site.pk(k.target) else f".{esc(k.target_field)}")
            body.append(f'<text x="{gutter + 8}" y="{ty:.0f}">{label}</text>')
        body.append(
            f'<text x="{gutter + 8}" y="{yb + HEAD + LINE * len(lines[t]) + 14}" class="kd-box-more">'
            f"{'+ ' + plural(others, 'other field') if others else 'no other fields'}</text></g>"
        )
    desc = "; ".join(f"{k.table}.{k.field} references {k.target}.{k.target_field}" for k in site.foreign_keys)
    return (
        f'<svg class="kd-diagram" id="tables-diagram" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="tables-diagram-title tables-diagram-desc">'
        f'<title id="tables-diagram-title">The {len(order)} tables and their keys</title>'
        f'<desc id="tables-diagram-desc">{esc(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _type(site: Site, table: str, field: dict) -> str:
    kind = field.get("type", "string")
    if field.get("rdfType", "").endswith("EDTF"):
        kind = "EDTF date"
    if "categories" in field or "enum" in field.get("constraints", {}):
        n = len(field.get("categories") or field["constraints"]["enum"])
        return f'<a href="../vocabularies/#{esc(table)}-{esc(field["name"])}">one of {n} values</a>'
    return esc(kind)


def _example_row(frame):
    if frame.empty:
        return None
    filled = frame.notna().sum(axis=1)
    return frame.loc[filled.idxmax()]


def table_section(site: Site, table: str) -> str:
    schema, frame = site.schema(table), site.frames[table]
    resource = site.pkg.resource(table)
    n = len(frame)
    example = _example_row(frame)
    pk = site.pk(table)
    rows = []
    for field in schema["fields"]:
        name = field["name"]
        badges = []
        if name == pk:
            badges.append('<span class="kd-badge">key</span>')
        if field.get("constraints", {}).get("required"):
            badges.append('<span class="kd-badge kd-badge-req">required</span>')
        fk = site.fk(table, name)
        refs = f'<br>→ <a href="#{esc(fk.target)}">{esc(fk.target)}</a>.{esc(fk.target_field)}' if fk else ""
        missing = int(frame[name].isna().sum()) if name in frame else n
        missing_text = "none" if missing == 0 else (f"all {n}" if missing == n else f"{missing} of {n}")
        value = example[name] if example is not None and name in example else None
        shown = esc(shorten(text(value), 70)) if present(value) else '<span class="kd-muted">empty</span>'
        pattern = field.get("constraints", {}).get("pattern")
        extra = f'<br><span class="kd-muted">pattern <code>{esc(pattern)}</code></span>' if pattern and "categories" not in field else ""
        rows.append(
            f'<tr><th scope="row"><code>{esc(name)}</code> {" ".join(badges)}</th>'
            f'<td data-label="type">{_type(site, table, field)}{refs}</td>'
            f'<td data-label="meaning"><strong>{esc(field.get("title", ""))}.</strong> {esc(field.get("description", ""))}{extra}</td>'
            f'<td data-label="example">{shown}</td><td data-label="missing">{missing_text}</td></tr>'
        )
    return "\n".join(
        [
            f"## {esc(schema.get('title', table))} (`{table}`) {{ #{table} }}",
            "",
            esc(schema.get("description") or resource.get("description", "")),
            "",
            f'<p class="kd-muted">{plural(n, "row")} · primary key <code>{esc(pk)}</code> · '
            f'<a href="../{esc(resource["path"])}" download>{esc(resource["path"])}</a> · '
            f'<a href="../{esc(resource["schema"])}">Table Schema</a></p>'
            if isinstance(resource.get("schema"), str)
            else f'<p class="kd-muted">{plural(n, "row")} · primary key <code>{esc(pk)}</code></p>',
            "",
            f'<table class="kd-dict"><caption>Fields of {esc(table)}; example values from one row'
            f"{f' (<code>{esc(example[pk])}</code>)' if example is not None else ''}</caption>"
            '<colgroup><col class="kd-col-field"><col class="kd-col-type"><col class="kd-col-meaning"><col class="kd-col-example">'
            '<col class="kd-col-missing"></colgroup><thead><tr><th scope="col">field</th><th scope="col">type</th>'
            '<th scope="col">meaning</th><th scope="col">example</th><th scope="col" class="kd-num">missing</th></tr></thead><tbody>',
            *rows,
            "</tbody></table>",
            "",
        ]
    )


def page(site: Site) -> str:
    out = [
        "# Data dictionary",
        "",
        f"The package has {plural(len(site.tables), 'table')}. Everything on this page is generated from "
        "`schemas/*.json` and the data at build time: the description of each field exists only in its schema. "
        "*Missing* counts the empty cells of each field in this release; the example column shows one row, "
        "the one with the fewest empty cells.",
        "",
        "## How the tables connect { #diagram }",
        "",
        "Each box is a table with its key and the fields that refer to other tables; each arrow goes from a "
        "field to the key it refers to (a foreign key). Select a table's name to read its fields.",
        "",
        f'<figure class="kd-figure-diagram" tabindex="0" role="region" aria-label="Diagram of the tables (scrolls sideways)">'
        f"{diagram(site)}</figure>",
        "",
    ]
    for table in site.tables:
        out.append(table_section(site, table))
    return "\n".join(out)

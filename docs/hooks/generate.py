"""MkDocs hook: generate the data dictionary, vocabularies, annotated article, figures and the
tables diagram from schemas/*.json, datapackage.json and data/ at build time (no hand copies).

SVG is written here directly (a few boxes, bars and arrows) so that the site needs no
JavaScript, no CDN and no system graphics package to show its figures.
"""
from __future__ import annotations

import html
import json
import math
import sys
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

import kordata  # noqa: E402
from kordata.citation import citation_bibtex, citation_text  # noqa: E402
from kordata.package import Package  # noqa: E402

_state: dict = {}


def _esc(value) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value))


def _md_cell(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


# ------------------------------------------------------------------ data dictionary
def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("unique"):
        parts.append("unique")
    if "pattern" in c:
        parts.append(f"pattern `{c['pattern']}`")
    if "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    if "categories" in field:
        parts.append("one of: " + "; ".join(f"`{cat['value']}`: {cat['label']}" for cat in field["categories"]))
    return "<br>".join(parts)


def dictionary(pkg: Package, frames: dict) -> str:
    out = ["# Data dictionary", "",
           "Generated at build time from `schemas/*.json` and `datapackage.json`; example values are taken from the data.", "",
           "![Tables and their keys](assets/tables.svg){ .kd-figure #tables-diagram }", ""]
    for name in pkg.table_names:
        schema, frame = pkg.schema(name), frames[name]
        out += [f"## {name}", "", f"**{schema.get('title', name)}.** {schema.get('description', '')}", "",
                f"Rows: **{len(frame)}**. File: `{pkg.resource(name)['path']}`. Primary key: `{', '.join(schema['primaryKey'])}`.", ""]
        fks = schema.get("foreignKeys", [])
        if fks:
            out.append("Foreign keys: " + "; ".join(
                f"`{', '.join(fk['fields'])}` → [{fk['reference'].get('resource') or name}](#{fk['reference'].get('resource') or name})"
                f".`{', '.join(fk['reference']['fields'])}`" for fk in fks) + ".")
            out.append("")
        out += ["| field | type | required | constraints | description | example |", "|---|---|---|---|---|---|"]
        for field in schema["fields"]:
            column = frame[field["name"]].dropna()
            example = str(column.iloc[0]) if len(column) else ""
            example = (example[:60] + "…") if len(example) > 60 else example
            kind = field["type"] + (" (EDTF)" if field.get("rdfType") else "")
            out.append(f"| `{field['name']}` | {kind} | {'yes' if field.get('constraints', {}).get('required') else ''} | "
                       f"{_md_cell(_constraints(field))} | **{_md_cell(field.get('title', ''))}.** {_md_cell(field.get('description', ''))} | "
                       f"{'`' + _md_cell(example) + '`' if example else ''} |")
        out.append("")
    return "\n".join(out)


def vocabularies(pkg: Package, frames: dict) -> str:
    out = ["# Vocabularies", "", "Every controlled vocabulary of the tables, generated from the schemas' `categories`.", ""]
    events = frames["events"]
    out += ["## Event types with the CAMEO and PLOVER codes used", "",
            "| event type | meaning | CAMEO codes in the data | PLOVER types in the data |", "|---|---|---|---|"]
    field = next(f for f in pkg.fields("events") if f["name"] == "event_type")
    for cat in field["categories"]:
        rows = events[events["event_type"] == cat["value"]]
        cameo = ", ".join(sorted(set(rows["cameo_code"].dropna()))) or "none"
        plover = ", ".join(sorted(set(rows["plover_type"].dropna().astype(str)))) or "none"
        out.append(f"| `{cat['value']}` | {cat['label']} | {cameo} | {plover} |")
    out.append("")
    for name in pkg.table_names:
        for field in pkg.fields(name):
            if "categories" in field and not (name == "events" and field["name"] == "event_type"):
                out += [f"## {name}.{field['name']}", "", f"{field.get('description', '')}", "",
                        "| value | meaning |", "|---|---|"]
                out += [f"| `{c['value']}` | {_md_cell(c['label'])} |" for c in field["categories"]]
                out.append("")
    return "\n".join(out)


# ------------------------------------------------------------------ annotated article
def _row_label(table: str, row) -> str:
    if table == "mentions":
        return f"{row.kind} → {row.actor_id}"
    if table == "events":
        return f"{row.event_type}, {row.status}: {row.summary}"
    if table == "statements":
        return f"{row.speaker_actor_id if isinstance(row.speaker_actor_id, str) else 'unnamed source'}, {row.quote_type}, cue “{row.cue}”"
    if table == "claims":
        return f"{row.claim_type}, {row.certainty}: {row.proposition}"
    if table == "figures":
        return f"{row.value:g} {row.unit}{' (approximate)' if row.approximate else ''}"
    if table == "event_relations":
        return f"{row.event_id} {row.relation} {row.related_event_id} ({row.basis})"
    return table


def article(pkg: Package, frames: dict) -> str:
    out = ["# The article, annotated", "",
           "Every span of every row is highlighted; darker means more rows overlap. Click a span to jump to the innermost "
           "row citing it; click a row's ↑ to jump back to its span.", ""]
    for doc in frames["documents"].itertuples(index=False):
        text = pkg.file(doc.path, "seed").read_text(encoding="utf-8")
        spans = []
        for table in pkg.annotation_tables:
            frame = frames[table]
            frame = frame[frame["document_id"] == doc.document_id]
            id_col = pkg.schema(table)["primaryKey"][0]
            for row in frame.itertuples(index=False):
                spans.append((int(row.start), int(row.end), getattr(row, id_col), table, _row_label(table, row), row.quote))
        cuts = sorted({0, len(text), *[s for s, *_ in spans], *[e for _, e, *_ in spans]})
        starts: dict[int, list[str]] = {}
        for s, _, rid, *_ in spans:
            starts.setdefault(s, []).append(rid)
        pieces = []
        for a, b in zip(cuts, cuts[1:]):
            anchors = "".join(f'<a id="span-{_esc(r)}"></a>' for r in starts.get(a, []))
            covering = sorted((e - s, rid) for s, e, rid, *_ in spans if s <= a and e >= b)
            chunk = _esc(text[a:b])
            if covering:
                ids = " ".join(rid for _, rid in covering)
                depth = min(len(covering), 3)
                chunk = f'<a class="kd-span kd-depth-{depth}" href="#row-{_esc(covering[0][1])}" title="{_esc(ids)}">{chunk}</a>'
            pieces.append(anchors + chunk)
        out += [f"## {_esc(doc.document_id)}: {_esc(doc.title)}", "", f'<div class="kd-article" id="article-{_esc(doc.document_id)}">' + "".join(pieces) + "</div>", ""]
        out += ['<table class="kd-rows"><thead><tr><th>row</th><th>table</th><th>quote</th><th>coded as</th></tr></thead><tbody>']
        for s, e, rid, table, label, quote in sorted(spans):
            out.append(f'<tr id="row-{_esc(rid)}"><td><a href="#span-{_esc(rid)}" title="back to the span">↑</a> <code>{_esc(rid)}</code></td>'
                       f"<td>{table}</td><td>{_esc(quote)} <small>[{s}:{e}]</small></td><td>{_esc(label)}</td></tr>")
        out += ["</tbody></table>", ""]
    return "\n".join(out)


# ------------------------------------------------------------------ SVG figures
def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="sans-serif" font-size="12" role="img"><title>{_esc(title)}</title>'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>'
            f'<rect width="{width}" height="{height}" fill="white"/>' + "".join(body) + "</svg>")


def _edge(x1, y1, x2, y2, w, h) -> tuple[float, float]:
    """Point where the line from the centre (x1, y1) towards (x2, y2) leaves a w×h box."""
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return x1, y1
    scale = min((w / 2) / abs(dx) if dx else math.inf, (h / 2) / abs(dy) if dy else math.inf)
    return x1 + dx * scale, y1 + dy * scale


def tables_svg(pkg: Package, frames: dict) -> str:
    names = pkg.table_names
    cols, bw, gapx, gapy = 3, 230, 90, 70
    heights = {n: 34 + 15 * len([f for f in pkg.fields(n) if f["name"].endswith("_id")]) for n in names}
    rowh = [max(heights[n] for n in names[i:i + cols]) for i in range(0, len(names), cols)]
    pos = {}
    y = 20
    for r, i in enumerate(range(0, len(names), cols)):
        for c, n in enumerate(names[i:i + cols]):
            pos[n] = (20 + c * (bw + gapx), y)
        y += rowh[r] + gapy
    body = []
    for n in names:
        for fk in pkg.schema(n).get("foreignKeys", []):
            t = fk["reference"].get("resource") or n
            if t == n:
                continue
            (x1, y1), (x2, y2) = pos[n], pos[t]
            c1 = (x1 + bw / 2, y1 + heights[n] / 2)
            c2 = (x2 + bw / 2, y2 + heights[t] / 2)
            a = _edge(*c1, *c2, bw, heights[n])
            b = _edge(*c2, *c1, bw, heights[t])
            body.append(f'<line x1="{a[0]:.0f}" y1="{a[1]:.0f}" x2="{b[0]:.0f}" y2="{b[1]:.0f}" stroke="#888" marker-end="url(#arrow)"/>')
    for n in names:
        x, y0 = pos[n]
        body.append(f'<rect x="{x}" y="{y0}" width="{bw}" height="{heights[n]}" rx="6" fill="#e3f2fd" stroke="#1e88e5"/>')
        body.append(f'<text x="{x + 8}" y="{y0 + 18}" font-weight="bold">{_esc(n)} ({len(frames[n])} rows)</text>')
        pk = pkg.schema(n)["primaryKey"]
        for k, f in enumerate([f for f in pkg.fields(n) if f["name"].endswith("_id")]):
            mark = "PK " if f["name"] in pk else "FK "
            body.append(f'<text x="{x + 12}" y="{y0 + 34 + 15 * k}">{mark}{_esc(f["name"])}</text>')
    return _svg(20 + cols * (bw + gapx), y, body, "kordata tables and their foreign keys")


def timeline_svg(frames: dict) -> str:
    import pandas as pd
    ev = frames["events"]
    dated = ev[ev["date_lower"].notna()].sort_values("date_lower")
    undated = ev[ev["date_lower"].isna()]
    lo = pd.Timestamp("2024-05-01")
    hi = pd.Timestamp("2024-12-01")
    width, left, top, rowh = 1000, 290, 40, 26
    x = lambda t: left + (width - left - 20) * (t - lo) / (hi - lo)  # noqa: E731
    body = []
    for m in pd.date_range(lo, hi, freq="MS"):
        body.append(f'<line x1="{x(m):.0f}" y1="{top - 10}" x2="{x(m):.0f}" y2="{top + rowh * len(dated)}" stroke="#eee"/>')
        body.append(f'<text x="{x(m) + 3:.0f}" y="{top - 14}" fill="#555">{m:%b %Y}</text>')
    for i, row in enumerate(dated.itertuples(index=False)):
        y = top + i * rowh
        a, b = x(row.date_lower), x(row.date_upper + pd.Timedelta(days=1))
        body.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{_esc(row.event_id)}</text>')
        body.append(f'<rect x="{a:.1f}" y="{y + 4}" width="{max(b - a, 3):.1f}" height="14" fill="#90caf9" stroke="#1e88e5" stroke-dasharray="4 2"/>')
        body.append(f'<text x="{b + 6:.0f}" y="{y + 15}" fill="#333">{_esc(row.date)} ({_esc(row.date_basis)})</text>')
    y = top + rowh * len(dated) + 24
    body.append(f'<text x="20" y="{y}" font-weight="bold">Date unknown (the article gives none): {len(undated)} events</text>')
    for j, row in enumerate(undated.itertuples(index=False)):
        body.append(f'<text x="30" y="{y + 18 * (j + 1)}">{_esc(row.event_id)}</text>')
    height = y + 18 * (len(undated) + 1) + 10
    body.append(f'<text x="20" y="{height - 2}" fill="#555" font-size="10">Bars span the EDTF bounds; dashed outline = year inferred, marked uncertain (?).</text>')
    return _svg(width, height + 8, body, "Timeline of events with date precision")


def dyads_svg(frames: dict) -> str:
    p, actors, events = frames["event_participants"], frames["actors"].set_index("actor_id"), frames["events"].set_index("event_id")
    init = p[p["role"] == "initiator"][["event_id", "actor_id"]]
    recv = p[p["role"].isin(["recipient", "beneficiary"])][["event_id", "actor_id", "role"]]
    pairs = init.merge(recv, on="event_id", suffixes=("_from", "_to"))
    nodes = sorted(set(pairs["actor_id_from"]) | set(pairs["actor_id_to"]))
    cx, cy, r = 380, 300, 220
    pos = {n: (cx + r * math.cos(2 * math.pi * i / len(nodes) - math.pi / 2), cy + r * math.sin(2 * math.pi * i / len(nodes) - math.pi / 2)) for i, n in enumerate(nodes)}
    body = []
    for k, row in enumerate(pairs.itertuples(index=False)):
        (x1, y1), (x2, y2) = pos[row.actor_id_from], pos[row.actor_id_to]
        bend = 25 + 12 * (k % 3)
        mx, my = (x1 + x2) / 2 + bend * (y2 - y1) / max(math.dist((x1, y1), (x2, y2)), 1), (y1 + y2) / 2 - bend * (x2 - x1) / max(math.dist((x1, y1), (x2, y2)), 1)
        a = _edge(x1, y1, mx, my, 120, 28)
        b = _edge(x2, y2, mx, my, 120, 28)
        dash = ' stroke-dasharray="5 3"' if row.role == "beneficiary" else ""
        body.append(f'<path d="M {a[0]:.0f} {a[1]:.0f} Q {mx:.0f} {my:.0f} {b[0]:.0f} {b[1]:.0f}" fill="none" stroke="#888"{dash} marker-end="url(#arrow)"/>')
        body.append(f'<text x="{mx:.0f}" y="{my:.0f}" font-size="9" fill="#444" text-anchor="middle">{_esc(events.loc[row.event_id, "event_type"])}</text>')
    for n, (x, y) in pos.items():
        body.append(f'<rect x="{x - 60:.0f}" y="{y - 14:.0f}" width="120" height="28" rx="12" fill="#fff3e0" stroke="#fb8c00"/>')
        body.append(f'<text x="{x:.0f}" y="{y + 4:.0f}" text-anchor="middle">{_esc(actors.loc[n, "name"])}</text>')
    body.append('<text x="10" y="590" font-size="10" fill="#555">Arrow: initiator → recipient (solid) or beneficiary (dashed), labelled with the event type.</text>')
    return _svg(760, 600, body, "Who acts on whom")


FIGURES_MD = """# Figures

## Timeline of events

Each bar spans the calendar bounds of the event's EDTF date. The article gives no year: every
year shown is inferred and marked uncertain (`?`); events without any date are listed below the bars.

![Timeline of events with date precision](assets/timeline.svg){ .kd-figure #timeline }

## Who acts on whom

Initiators and recipients (or beneficiaries) of each event, from table `event_participants`.

![Who acts on whom](assets/dyads.svg){ .kd-figure #dyads }
"""


def _json_ld(pkg: Package, frames: dict) -> str:
    d = pkg.descriptor
    variables = [{"@type": "PropertyValue", "name": f"{n}.{f['name']}", "description": f.get("description", "")}
                 for n in pkg.table_names for f in pkg.fields(n)]
    doc = {"@context": "https://schema.org", "@type": "Dataset", "name": d["title"], "description": d["description"],
           "version": pkg.version, "license": d["licenses"][0]["path"], "identifier": d.get("id"), "keywords": d.get("keywords", []),
           "creator": [{"@type": "Organization", "name": c["title"]} for c in d.get("contributors", [])],
           "dateCreated": d.get("created"), "citation": citation_text(pkg),
           "distribution": [{"@type": "DataDownload", "name": r["name"], "encodingFormat": r["mediatype"], "contentUrl": r["path"],
                             "sha256": r["hash"].split(":", 1)[1]} for r in d["resources"]],
           "variableMeasured": variables}
    return '<script type="application/ld+json">' + json.dumps(doc, ensure_ascii=False).replace("</", "<\\/") + "</script>"


def on_config(config):
    pkg = Package.open(ROOT)
    _state["pkg"] = pkg
    _state["frames"] = kordata.load_all(ROOT)
    return config


def on_files(files, config):
    pkg, frames = _state["pkg"], _state["frames"]
    generated = {
        "dictionary.md": dictionary(pkg, frames),
        "vocabularies.md": vocabularies(pkg, frames),
        "article.md": article(pkg, frames),
        "figures.md": FIGURES_MD,
        "changelog.md": (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
        "assets/tables.svg": tables_svg(pkg, frames),
        "assets/timeline.svg": timeline_svg(frames),
        "assets/dyads.svg": dyads_svg(frames),
    }
    for uri, content in generated.items():
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    pkg, frames = _state["pkg"], _state["frames"]
    if "{{ package_summary }}" in markdown:
        counts = ", ".join(f"{n} ({len(f)})" for n, f in frames.items())
        summary = (f"**Version {pkg.version}** · license {pkg.descriptor['licenses'][0]['name']} · tables: {counts}\n\n"
                   + _json_ld(pkg, frames))
        markdown = markdown.replace("{{ package_summary }}", summary)
    if "{{ citation }}" in markdown:
        markdown = markdown.replace("{{ citation }}", f"> {citation_text(pkg)}\n\n```bibtex\n{citation_bibtex(pkg)}\n```")
    return markdown

"""Vocabularies with their meaning: every controlled field of every table (from the schemas'
``categories``: values and their labels, PLOVER's definitions among them), how often each value is
used and one example, CAMEO codes with their names (from the reference table kordata ships), links
to the standards. Each value has its own anchor (``TABLE-FIELD-VALUE``), so other pages link a coded
value to its meaning.
"""

from __future__ import annotations

import re

from kd_common import Site, esc, plural, present, shorten, text
from kd_entries import vocab_anchor
from kd_links import row_href

# Where each standard is defined, by the field names that use it.
STANDARDS = {
    "cameo": ("CAMEO 1.1b3 codebook", "https://parusanalytics.com/eventdata/data.dir/cameo.html"),
    "plover": ("PLOVER codebook (Open Event Data Alliance)", "https://github.com/openeventdata/PLOVER"),
    "certainty": ("FactBank (Saurí and Pustejovsky 2009)", "https://catalog.ldc.upenn.edu/LDC2009T23"),
    "check_worthiness": ("ClaimBuster check-worthiness labels", "https://idir.uta.edu/claimbuster/"),
    "quote_type": ("PARC 3.0 attribution corpus", "https://aclanthology.org/L16-1619/"),
    "date": ("EDTF (Library of Congress)", "https://www.loc.gov/standards/datetime/"),
}
FACTBANK_NOTE = (
    "FactBank values say how certain the *source* is that something is (or is not) the case: "
    "CT certain, PR probable, PS possible; `+` it is so, `-` it is not so, `u` the source does not commit either way "
    "(CTu: certain but does not say which way; Uu: uncommitted). In kordata the source is the claimant, never the curator."
)


def cameo_names() -> dict[str, tuple[str, float]]:
    from kordata.exports.dyads import cameo_reference

    ref = cameo_reference()
    return {str(c): (str(n), float(g)) for c, n, g in zip(ref["code"], ref["name"], ref["goldstein"], strict=True)}


def standard(field: str) -> str:
    for word, (title, url) in STANDARDS.items():
        if word in field:
            return f"Standard: [{title}]({url})."
    return ""


def example_link(site: Site, table: str, row) -> str:
    rid = row[site.pk(table)]
    return f'<a href="{row_href(table, rid)}">{esc(shorten(site.label(table, rid), 100))}</a>'


def _bare(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", value.lower())


def tautology(label: str, value: str) -> bool:
    """True only when the label is the value again ('state' / 'State.'): such a label is not shown."""
    return _bare(label) == _bare(value)


def _head(names: list[str]) -> str:
    return (
        "<thead><tr>"
        + "".join(f'<th scope="col"{cls}>{n}</th>' for n, cls in ((n, ' class="kd-num"' if n == "rows" else "") for n in names))
        + "</tr></thead>"
    )


def categories_section(site: Site, table: str, field: dict) -> list[str]:
    name = field["name"]
    column = site.frames[table][name].astype("string")
    out = [
        f"### {esc(site.title(table))}: {esc(field.get('title', name))} (`{table}.{name}`) {{ #{table}-{name} }}",
        "",
        esc(field.get("description", "")) + " " + standard(name),
        "",
    ]
    if name == "certainty":
        out += [FACTBANK_NOTE, ""]
    meanings = {
        str(c["value"]): ("" if tautology(c.get("label", ""), str(c["value"])) else c.get("label", "")) for c in field["categories"]
    }
    with_meaning = any(meanings.values())  # a column no value fills is left out
    head = ["value", *(["meaning"] if with_meaning else []), "rows", "example"]
    out.append(f'<table class="kd-vocab">{_head(head)}<tbody>')
    for value, meaning in meanings.items():
        rows = site.frames[table][column == value]
        example = example_link(site, table, rows.iloc[0]) if len(rows) else '<span class="kd-muted">not used yet</span>'
        cell = f'<td data-label="meaning">{esc(meaning)}</td>' if with_meaning else ""
        out.append(
            f'<tr id="{esc(vocab_anchor(table, name, value))}"><th scope="row" data-label="value"><code>{esc(value)}</code></th>'
            f'{cell}<td data-label="rows" class="kd-num">{len(rows)}</td><td data-label="example">{example}</td></tr>'
        )
    out += ["</tbody></table>", ""]
    return out


def cameo_section(site: Site, table: str, name: str) -> list[str]:
    names = cameo_names()
    frame = site.frames[table]
    codes = sorted({str(c) for c in frame[name] if present(c)})
    out = [
        f"### {esc(site.title(table))}: CAMEO event codes (`{table}.{name}`) {{ #{table}-{name} }}",
        "",
        "The CAMEO codes the data uses, with their names and Goldstein scale values from the reference table kordata ships "
        "(`kordata/reference/cameo_events.csv`, GDELT's CAMEO tables). " + standard("cameo"),
        "",
        f'<table class="kd-vocab">{_head(["code", "CAMEO name", "root", "Goldstein", "rows", "example"])}<tbody>',
    ]
    for code in codes:
        rows = frame[frame[name].astype("string") == code]
        cname, goldstein = names.get(code, ("(not in the reference table)", float("nan")))
        root = names.get(code[:2], ("", 0.0))[0]
        out.append(
            f'<tr id="{esc(vocab_anchor(table, name, code))}"><th scope="row" data-label="code"><code>{esc(code)}</code></th>'
            f'<td data-label="CAMEO name">{esc(cname)}</td><td data-label="root"><code>{esc(code[:2])}</code> {esc(root)}</td>'
            f'<td data-label="Goldstein" class="kd-num">{"" if goldstein != goldstein else f"{goldstein:+.1f}"}</td>'
            f'<td data-label="rows" class="kd-num">{len(rows)}</td>'
            f'<td data-label="example">{example_link(site, table, rows.iloc[0])}</td></tr>'
        )
    empty = int(frame[name].isna().sum())
    out += [
        "</tbody></table>",
        "",
        f"{plural(empty, 'row')} of `{table}` {'has' if empty == 1 else 'have'} no CAMEO code (no code fits; the row's note says why).",
        "",
    ]
    return out


def _is_cameo_event_field(site: Site, table: str, field: dict) -> bool:
    values = [str(v) for v in site.frames[table][field["name"]] if present(v)]
    return "cameo" in field["name"] and bool(values) and all(v.isdigit() for v in values)


def page(site: Site) -> str:
    out = [
        "# Vocabularies",
        "",
        "Every controlled vocabulary of the tables, with what each value means, how many rows use it in this release and one "
        "example (select it to see the row). Values and meanings come from the schemas' `categories` (the PLOVER "
        "types' meanings summarise the PLOVER manual's definitions; the manual has the full coding rules); CAMEO names "
        "come from the reference table kordata ships.",
        "",
    ]
    for table in site.tables:
        fields = [f for f in site.pkg.fields(table) if "categories" in f or _is_cameo_event_field(site, table, f)]
        if not fields:
            continue
        out += [f"## {esc(site.title(table))} {{ #{table} }}", ""]
        for field in fields:
            if "categories" in field:
                out += categories_section(site, table, field)
            else:
                out += cameo_section(site, table, field["name"])
    out += [
        "## Other standards used",
        "",
        "- Dates: " + standard("date")[len("Standard: ") :] + " `?` uncertain, `~` approximate, `X` unspecified digit, "
        "`/` an interval; the tables give each date's calendar bounds when loaded.",
        "- Countries: ISO 3166-1 alpha-3 codes (`KOR`, `PRK`, …), as CAMEO uses them.",
        "- Offsets: W3C Web Annotation `TextPositionSelector` (Unicode code points, start inclusive, end exclusive) and "
        "`TextQuoteSelector` (the exact quote).",
        "",
    ]
    return "\n".join(text(x) if not isinstance(x, str) else x for x in out)

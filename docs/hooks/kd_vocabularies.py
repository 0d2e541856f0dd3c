"""Vocabularies with their meaning: every controlled field of every table (from the schemas'
``categories``), how often each value is used and one example, CAMEO codes with their names
(from the reference table kordata ships), PLOVER types with a definition, links to the standards.
"""

from __future__ import annotations

import csv
from pathlib import Path

from kd_article import key
from kd_common import Site, esc, plural, present, shorten, text

HERE = Path(__file__).resolve().parent
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


def plover_definitions() -> dict[str, str]:
    with (HERE / "plover_types.csv").open(encoding="utf-8") as handle:
        return {row["type"]: row["definition"] for row in csv.DictReader(handle)}


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
    label = esc(shorten(site.label(table, rid), 80))
    if table in site.pkg.annotation_tables and "document_id" in row:
        return f'<a href="../article/{esc(row["document_id"])}/#row--{esc(key(table, rid))}">{label}</a>'
    return label


def _restates(label: str, value: str) -> bool:
    return value.lower() in label.lower() and len(label) < len(value) + 25


def categories_section(site: Site, table: str, field: dict, plover: dict[str, str]) -> list[str]:
    name = field["name"]
    column = site.frames[table][name].astype("string")
    out = [f"### {esc(site.title(table))}: {esc(field.get('title', name))} (`{table}.{name}`) {{ #{table}-{name} }}", "",
           esc(field.get("description", "")) + " " + standard(name), ""]
    if name == "certainty":
        out += [FACTBANK_NOTE, ""]
    with_def = "plover" in name
    head = "<th scope=\"col\">PLOVER definition (summary)</th>" if with_def else ""
    out.append(f'<table class="kd-vocab"><thead><tr><th scope="col">value</th><th scope="col">meaning in kordata</th>{head}'
               '<th scope="col">rows</th><th scope="col">example</th></tr></thead><tbody>')
    for cat in field["categories"]:
        value = str(cat["value"])
        rows = site.frames[table][column == value]
        meaning = cat.get("label", "")
        meaning = "" if _restates(meaning, value) else meaning
        example = example_link(site, table, rows.iloc[0]) if len(rows) else '<span class="kd-muted">not used yet</span>'
        extra = f"<td>{esc(plover.get(value, ''))}</td>" if with_def else ""
        out.append(f'<tr><th scope="row"><code>{esc(value)}</code></th><td>{esc(meaning)}</td>{extra}'
                   f"<td>{len(rows)}</td><td>{example}</td></tr>")
    out += ["</tbody></table>", ""]
    return out


def cameo_section(site: Site, table: str, name: str) -> list[str]:
    names = cameo_names()
    frame = site.frames[table]
    codes = sorted({str(c) for c in frame[name] if present(c)})
    out = [f"### {esc(site.title(table))}: CAMEO event codes (`{table}.{name}`) {{ #{table}-{name} }}", "",
           "The CAMEO codes the data uses, with their names and Goldstein scale values from the reference table kordata ships "
           "(`kordata/reference/cameo_events.csv`, GDELT's CAMEO tables). " + standard("cameo"), "",
           '<table class="kd-vocab"><thead><tr><th scope="col">code</th><th scope="col">CAMEO name</th><th scope="col">root</th>'
           '<th scope="col">Goldstein</th><th scope="col">rows</th><th scope="col">example</th></tr></thead><tbody>']
    for code in codes:
        rows = frame[frame[name].astype("string") == code]
        cname, goldstein = names.get(code, ("(not in the reference table)", float("nan")))
        root = names.get(code[:2], ("", 0.0))[0]
        out.append(f'<tr><th scope="row"><code>{esc(code)}</code></th><td>{esc(cname)}</td><td>{esc(code[:2])} {esc(root)}</td>'
                   f"<td>{'' if goldstein != goldstein else f'{goldstein:+.1f}'}</td><td>{len(rows)}</td>"
                   f"<td>{example_link(site, table, rows.iloc[0])}</td></tr>")
    empty = int(frame[name].isna().sum())
    out += ["</tbody></table>", "", f"{plural(empty, 'row')} of `{table}` {'has' if empty == 1 else 'have'} no CAMEO code "
            "(no code fits; the row's note says why).", ""]
    return out


def _is_cameo_event_field(site: Site, table: str, field: dict) -> bool:
    values = [str(v) for v in site.frames[table][field["name"]] if present(v)]
    return "cameo" in field["name"] and bool(values) and all(v.isdigit() for v in values)


def page(site: Site) -> str:
    plover = plover_definitions()
    out = ["# Vocabularies", "",
           "Every controlled vocabulary of the tables, with what each value means, how many rows use it in this release and one "
           "example (select it to see the row in its article). Values and meanings come from the schemas' `categories`; "
           "CAMEO names from the reference table kordata ships; the PLOVER definitions are kordata's one-line summaries of "
           "the PLOVER codebook, which has the full coding rules.", ""]
    for table in site.tables:
        fields = [f for f in site.pkg.fields(table) if "categories" in f or _is_cameo_event_field(site, table, f)]
        if not fields:
            continue
        out += [f"## {esc(site.title(table))} {{ #{table} }}", ""]
        for field in fields:
            if "categories" in field:
                out += categories_section(site, table, field, plover)
            else:
                out += cameo_section(site, table, field["name"])
    out += ["## Other standards used", "",
            "- Dates: " + standard("date")[len("Standard: "):] + " `?` uncertain, `~` approximate, `X` unspecified digit, "
            "`/` an interval; the tables give each date's calendar bounds when loaded.",
            "- Countries: ISO 3166-1 alpha-3 codes (`KOR`, `PRK`, …), as CAMEO uses them.",
            "- Offsets: W3C Web Annotation `TextPositionSelector` (Unicode code points, start inclusive, end exclusive) and "
            "`TextQuoteSelector` (the exact quote).", ""]
    return "\n".join(text(x) if not isinstance(x, str) else x for x in out)

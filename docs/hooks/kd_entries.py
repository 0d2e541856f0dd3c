"""Any row as HTML, for any table: each value shown as a reader needs it (a reference as the name of
the row it points to, linked to wherever that row is shown; a coded value linked to its entry in
Vocabularies, with its meaning; an address as a link), and the rows of other tables that refer to it.

Links are placeholders that kd_links resolves once every page exists (``kd-row:`` for a row,
``kd-page:`` for a page), so a generator never needs to know where a page or a row lives.
"""

from __future__ import annotations

import re

from kd_common import Site, esc, present, text
from kd_links import page_href, row_href


def vocab_anchor(table: str, field: str, value) -> str:
    """The anchor of a value's row in Vocabularies: the value itself (CT+ and CT- differ), spaces as '_'."""
    return f"{table}-{field}-{'_'.join(text(value).split())}"


def field_names_as_code(site: Site, table: str, label: str) -> str:
    """A category's meaning, escaped, with the table's field names in it set as code, so a column name is not
    read as an English word: every name with an underscore (``related_event_id``), and a one-word name where
    the label speaks of it as a field ("The row's value in <code>field</code> is inferred")."""
    names = sorted((f["name"] for f in site.pkg.fields(table)), key=len, reverse=True)
    out = esc(label)
    if not names:
        return out
    pattern = re.compile(r"(?<![\w'’-])(" + "|".join(map(re.escape, names)) + r")(?![\w'’-])")

    def code(m: re.Match) -> str:
        as_field = "_" in m[1] or re.search(r"\b(?:value in|field|column) $", out[: m.start()])
        return f"<code>{m[1]}</code>" if as_field else m[1]

    return pattern.sub(code, out)


def coded(site: Site, table: str, field: str, value, meaning: bool = True) -> str:
    """A coded value linked to its Vocabularies entry, its meaning after it (never only on hover)."""
    shown = esc(text(value).replace("_", " "))
    label = site.categories(table, field).get(text(value), "")
    link = f'<a href="{page_href("vocabularies.md", vocab_anchor(table, field, value))}">{shown}</a>'
    return link + (f' <span class="kd-muted">— {field_names_as_code(site, table, label.rstrip("."))}</span>' if label and meaning else "")


def cameo(site: Site, table: str, field: str, code) -> str:
    """A CAMEO event code linked to its Vocabularies entry, with its name from the package's reference list."""
    from kd_vocabularies import cameo_names

    code = text(code)
    name = cameo_names().get(code, ("",))[0]
    link = f'<a href="{page_href("vocabularies.md", f"{table}-{field}-{code}")}"><code>{esc(code)}</code></a>'
    return link + (f" {esc(name)}" if name else "")


def listed_terms(site: Site, table: str, field: dict, cell) -> str | None:
    """A list of terms of a standard (PLOVER contexts, 'legal;military'), each with what it is and a link to
    the standard that defines it; None for a field that is not such a list."""
    from kd_vocabularies import STANDARDS

    pattern = field.get("constraints", {}).get("pattern", "")
    standard = next((s for key, s in STANDARDS.items() if field["name"].startswith(key)), None)
    if ";" not in pattern or standard is None:
        return None
    terms = ", ".join(f"<code>{esc(t)}</code>" for t in text(cell).split(";") if t)
    return f'{terms} <span class="kd-muted">— topic tags defined in the <a href="{esc(standard[1])}">{esc(standard[0])}</a></span>'


def row_link(site: Site, table: str, row_id, limit: int | None = None) -> str:
    from kd_common import shorten

    label = site.label(table, row_id)
    return f'<a href="{row_href(table, row_id)}">{esc(shorten(label, limit) if limit else label)}</a>'


def value(site: Site, table: str, field: dict, cell) -> str:
    name = field["name"]
    key = site.fk(table, name)
    if key is not None:
        return row_link(site, key.target, cell) if site.row(key.target, cell) is not None else esc(cell)
    if "categories" in field:
        return coded(site, table, name, cell)
    from kd_vocabularies import _is_cameo_event_field

    if _is_cameo_event_field(site, table, field):
        return cameo(site, table, name, cell)
    terms = listed_terms(site, table, field, cell)
    if terms is not None:
        return terms
    shown = text(cell)
    register = next((url for prefix, url in REGISTERS.items() if name.startswith(prefix)), None)
    if register and " " not in shown:
        return f'<a href="{esc(register.format(shown))}"><code>{esc(shown)}</code></a>'
    if shown.startswith(("https://", "http://")) and " " not in shown:
        return f'<a href="{esc(shown)}">{esc(shown)}</a>'
    # addresses inside a note are links too (a final full stop or parenthesis is the sentence's, not the address's)
    return re.sub(r"https?://[^\s<>\"]+?(?=[.,;:)]?(?:\s|$))", lambda m: f'<a href="{m[0]}">{m[0]}</a>', esc(shown))


def fields(site: Site, table: str, row, skip: set[str] = frozenset()) -> str:
    """<dt>/<dd> pairs of every filled field of a row but its id, the document and ``skip``."""
    items = []
    for field in site.pkg.fields(table):
        name = field["name"]
        if name in skip or name == site.pk(table) or not present(row[name]):
            continue
        key = site.fk(table, name)
        if key is not None and key.target == site.document_table and len(site.frames[key.target]) == 1:
            continue  # one document: naming it on every row says nothing
        items.append(f"<dt>{esc(site.field_title(table, name))}</dt><dd>{value(site, table, field, row[name])}</dd>")
    return "".join(items)


# Identifier fields whose value is an item of a public register, by the start of the field's name.
REGISTERS = {"wikidata": "https://www.wikidata.org/wiki/{}"}


def in_context(site: Site, table: str, row_id, words: int = 5) -> str:
    """Where a text-anchored row is: its sentence number and its quote with a few words either side
    ("S5 · …troops, including “North Korean” soldiers, are…"), for rows whose labels alone look alike."""
    import kd_refs

    row = site.row(table, row_id)
    doc = str(row["document_id"])
    start, end = int(row["start"]), int(row["end"])
    body = _document_text(site, doc)
    sentence = next(
        ((n, s, e) for n, s, e in kd_refs.sentence_spans(site).get(doc, []) if s <= start < e),
        None,
    )
    lo, hi = (sentence[1], sentence[2]) if sentence else (0, len(body))
    # the words either side, sliced from the text itself (so "Korea”'s" keeps its spacing)
    before = re.search(rf"(?:\S+\s*){{0,{words}}}$", body[lo:start])
    after = re.match(rf"(?:\s*\S+){{0,{words}}}", body[end:hi])
    assert before is not None and after is not None  # both patterns match the empty string
    snippet = (
        ("…" if before.start() > 0 else "")
        + f"{before[0]}“{body[start:end]}”{after[0]}"
        + ("…" if after.end() < hi - end and body[end + after.end() : hi].strip() else "")
    )
    return (f"S{sentence[0]} · " if sentence else "") + " ".join(snippet.split())


def _document_text(site: Site, doc: str) -> str:
    cache = site.__dict__.setdefault("_texts", {})
    if doc not in cache:
        row = site.row(site.document_table, doc)
        cache[doc] = site.pkg.file(str(row["path"]), "document text").read_text(encoding="utf-8")
    return cache[doc]


def referring(site: Site, table: str, row_id, skip: set[str] = frozenset()) -> list[tuple[str, list[str]]]:
    """(table title, [named links]) of the rows of other tables that point to this row. Text-anchored rows
    whose labels repeat (ten mentions all reading “South Korea” → South Korea) are told apart by where they are."""
    out = []
    for key in site.foreign_keys:
        if key.target != table or key.table == table or key.table in skip:
            continue
        frame = site.frames[key.table]
        ids = frame[frame[key.field].astype("string") == str(row_id)][site.pk(key.table)]
        if len(ids):
            title = site.title(key.table) + (
                ""
                if sum(1 for k in site.fks(key.table) if k.target == table) == 1
                else f" ({site.field_title(key.table, key.field).lower()})"
            )
            labels = [site.label(key.table, i) for i in ids]
            if len(set(labels)) < len(labels) and key.table in site.pkg.anchored_tables:
                links = [f'<a href="{row_href(key.table, i)}">{esc(in_context(site, key.table, i))}</a>' for i in ids]
            else:
                links = [row_link(site, key.table, i, 90) for i in ids]
            out.append((title, links))
    return out


def referring_html(groups: list[tuple[str, list[str]]]) -> str:
    return "".join(f"<dt>{esc(title)} ({len(links)})</dt><dd>{'<br>'.join(links)}</dd>" for title, links in groups)


def heading_text(value: str) -> str:
    """Plain text made safe for a markdown heading (no emphasis, links or code by accident)."""
    out = esc(value)
    for char in "\\`*_[]{}":
        out = out.replace(char, "\\" + char)
    return out


def entry(
    site: Site,
    table: str,
    row_id,
    level: int = 3,
    skip: set[str] = frozenset(),
    referring_skip: set[str] = frozenset(),
    extra: str = "",
    after: str = "",
    heading: str | None = None,
) -> str:
    """A row as an entry of a reading page: a heading (id = the row's id, listed in the page's
    contents), every value (``extra`` pairs added), the rows that refer to it, then ``after``."""
    row = site.row(table, row_id)
    return (
        f"{'#' * level} {heading_text(heading or site.label(table, row_id))} {{ #{row_id} }}\n\n"
        f'<dl class="kd-fields kd-entry">{fields(site, table, row, skip)}{extra}'
        f"{referring_html(referring(site, table, row_id, referring_skip))}"
        f"<dt>Id</dt><dd><code data-nolink>{esc(row_id)}</code></dd></dl>{after}\n"
    )

"""The annotated article: one page per document, its text with every row that cites it.

Each annotation table has its own colour and line pattern (legend with toggles; patterns differ
even where colours look alike). The text is cut at every span boundary; each piece lists, in
``data-rows``, every row whose span covers it, so a click can list them all (kordata.js builds that
list in a dialog). A piece's link is named by its words; how many rows cite it is its description
(``aria-describedby``), not part of its name. Sentence numbers (S0, S1, ...: the codebook's) stand
in the margin of the text; paragraphs are set apart. Below the text, every row as a card, grouped by
table, with every value, the rows that belong to it (an event's participants and relations) and a
link back that marks its whole span. A plain-text mode shows the text without links.
"""

from __future__ import annotations

import itertools
import json

from kd_common import Site, esc, plural, present, shorten, text
from kd_entries import fields, referring, referring_html
from kd_links import page_href

PALETTE_SIZE = 8  # colours and patterns defined in kordata.css (.kd-c0 ... .kd-c7); more tables reuse them
SKIP = {"document_id", "start", "end", "quote"}


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


def _sentences(site: Site, document_id: str) -> list[tuple[int, str, str]]:
    """(start, label, row id) of each segment of the text (the anchored tables that annotate nothing:
    the sentence segmentation), labelled S<index> as the codebook cites them."""
    out = []
    for table in site.pkg.anchored_tables:
        if table in site.pkg.annotation_tables:
            continue
        frame = site.frames[table]
        frame = frame[frame["document_id"].astype(str) == document_id].sort_values("start")
        numbers = frame["index"] if "index" in frame else range(len(frame))
        out += [(int(s), f"S{int(n)}", key(table, r)) for s, n, r in zip(frame["start"], numbers, frame[site.pk(table)], strict=True)]
    return sorted(out)


def colour(site: Site, table: str) -> int:
    return site.pkg.annotation_tables.index(table) % PALETTE_SIZE


def _children(site: Site, table: str, row_id) -> str:
    """What belongs to a row beyond its own values: an event's participants and relations."""
    import kd_reading

    out = ""
    if site.has(table, "event_type", "status"):
        out += (
            f"<dt>Participants</dt><dd>{kd_reading.participants(site, table, row_id)}</dd>"
            if kd_reading.participants(site, table, row_id)
            else ""
        )
        rel = kd_reading.relations(site, table, row_id)
        out += f"<dt>Relations</dt><dd>{rel}</dd>" if rel else ""
    return out


def card(site: Site, table: str, row_id: str) -> str:
    import kd_reading

    row = site.row(table, row_id)
    k = key(table, row_id)
    shown_elsewhere = set()
    if site.has(table, "event_type", "status"):
        shown_elsewhere = {t for t in (kd_reading.participants_table(site, table), *kd_reading.relation_tables(site, table)) if t}
    return (
        f'<details class="kd-card kd-c{colour(site, table)}" id="row--{esc(k)}">'
        f"<summary>{esc(site.label(table, row_id))}</summary>"
        f'<p class="kd-quote">“{esc(row["quote"])}” <span class="kd-muted">characters {int(row["start"])}–{int(row["end"])}, '
        f"id <code data-nolink>{esc(row_id)}</code></span></p>"
        f'<dl class="kd-fields">{fields(site, table, row, SKIP)}{_children(site, table, row_id)}'
        f"{referring_html(referring(site, table, row_id, shown_elsewhere))}</dl>"
        f'<p><a class="kd-back" href="#span--{esc(k)}">Show “{esc(shorten(str(row["quote"]), 40))}” in the text</a></p></details>'
    )


def _text_html(body: str) -> str:
    """A piece of the text, escaped, with each paragraph break set apart (a line break alone looks like a wrap)."""
    return esc(body).replace("\n", '\n<span class="kd-pb" aria-hidden="true"></span>')


def _marks(sentences: dict[int, list[tuple[str, str]]], at: int) -> str:
    return "".join(
        f'<span class="kd-sn" id="span--{esc(k)}" data-n="{esc(label)}" aria-hidden="true"></span>' for label, k in sentences.get(at, [])
    )


def plain_text(body: str, sentences: list[tuple[int, str, str]], language: str) -> str:
    """The text without links, one paragraph per line, sentence numbers in the margin (plain-text mode)."""
    starts: dict[int, list[str]] = {}
    for s, label, _ in sentences:
        starts.setdefault(s, []).append(label)
    paragraphs, pos = [], 0
    for line in body.split("\n"):
        cuts = sorted({pos, pos + len(line), *(s for s in starts if pos <= s < pos + len(line))})
        parts = []
        for a, b in itertools.pairwise(cuts):
            parts += [f'<span class="kd-sn" data-n="{esc(label)}" aria-hidden="true"></span>' for label in starts.get(a, [])]
            parts.append(esc(body[a:b]))
        if line.strip():
            paragraphs.append(f"<p>{''.join(parts)}</p>")
        pos += len(line) + 1
    return f'<div class="kd-plain" id="article-plain" lang="{esc(language)}" hidden>{"".join(paragraphs)}</div>'


def article_page(site: Site, doc) -> str:
    document_id = doc_id(site, doc)
    body = site.pkg.file(doc.path, "document text").read_text(encoding="utf-8")
    spans = _rows(site, document_id)
    sentence_list = _sentences(site, document_id)
    sentences: dict[int, list[tuple[str, str]]] = {}
    for s, label, k in sentence_list:
        sentences.setdefault(s, []).append((label, k))
    tables = [t for t in site.pkg.annotation_tables if any(s[2] == t for s in spans)]
    counts = {t: sum(1 for s in spans if s[2] == t) for t in tables}
    # the text, cut at every boundary (spans and sentence starts); each piece knows every row that covers it
    cuts = sorted({0, len(body), *(s for s, *_ in spans), *(e for _, e, *_ in spans), *sentences})
    starts: dict[int, list[str]] = {}
    for s, _, table, rid in spans:
        starts.setdefault(s, []).append(key(table, rid))
    pieces, descriptions = [], {}
    for n, (a, b) in enumerate(itertools.pairwise(cuts)):
        anchors = _marks(sentences, a) + "".join(f'<span class="kd-anchor" id="span--{esc(k)}"></span>' for k in starts.get(a, []))
        covering = [(t, r) for s, e, t, r in spans if s <= a and e >= b]
        chunk = _text_html(body[a:b])
        if covering:
            inner = chunk
            for t in sorted({t for t, _ in covering}, key=lambda t: -colour(site, t)):
                inner = f'<span class="kd-u kd-c{colour(site, t)}">{inner}</span>'
            per_table = [
                plural(sum(1 for c in covering if c[0] == t), site.title(t).lower().rstrip("s"), site.title(t).lower())
                for t in tables
                if any(c[0] == t for c in covering)
            ]
            innermost = min(covering, key=lambda c: next(e - s for s, e, t, r in spans if (t, r) == c))
            # the link is named by its words; what it opens is its description, shared by pieces that say the same
            said = f"cited by {plural(len(covering), 'row')}: {', '.join(per_table)}"
            described = descriptions.setdefault(said, f"kd-desc-{len(descriptions)}")
            rows = esc(" ".join(key(t, r) for t, r in covering))
            if body[a:b].strip():
                chunk = (
                    f'<a class="kd-seg" id="seg-{n}" href="#row--{esc(key(*innermost))}" aria-describedby="{described}" '
                    f'data-rows="{rows}">{inner}</a>'
                )
            else:  # only spaces or a line break: underlined with its neighbours, but no link without words
                chunk = f'<span class="kd-seg kd-gap" id="seg-{n}" data-rows="{rows}">{inner}</span>'
        pieces.append(anchors + chunk)
    rows_data = {
        "tables": [[t, site.title(t), colour(site, t)] for t in tables],
        "rows": {key(t, r): [tables.index(t), shorten(site.label(t, r), 160)] for _, _, t, r in spans},
    }
    facts = []
    for status in ("outlet", "author", "published"):
        if site.has(site.document_table, status):
            value = getattr(doc, status)
            facts.append(f"{status}: {esc(value) if present(value) else 'not stated in the text'}")
    language = text(getattr(doc, "language", "")) or "en"
    out = [
        f"# {esc(doc.title)}",
        "",
        f'<p class="kd-muted">Document <code data-nolink>{esc(document_id)}</code> · {"; ".join(facts)} · '
        f"{plural(len(body), 'character')} · {plural(len(sentence_list), 'sentence')} · "
        f'<a href="../../{esc(doc.path)}">the text as a file</a></p>',
        "",
        f'<details class="kd-about" id="{esc(document_id)}"><summary>About this text (its row in <code>{esc(site.document_table)}</code>)'
        f'</summary><dl class="kd-fields">{fields(site, site.document_table, doc._asdict(), {"path", "sha256"})}</dl></details>',
        "",
        "Underlined passages are cited by rows of the tables, one colour and line pattern per table. "
        "Select a passage (click, or Tab to it and press Enter) to list **every** row that cites it; "
        "from a row, *Show in the text* brings you back and marks its whole passage. "
        f'Small numbers (S0, S1, …) number the sentences, as the <a href="{page_href("codebook.md")}">codebook</a> cites them.',
        "",
        '<fieldset class="kd-legend"><legend>Underline the rows of</legend>'
        + "".join(
            f'<label class="kd-toggle"><input type="checkbox" checked data-colour="{colour(site, t)}"> '
            f'<span class="kd-swatch kd-u kd-c{colour(site, t)}" aria-hidden="true"></span> {esc(site.title(t))} ({counts[t]})</label>'
            for t in tables
        )
        + '<button type="button" class="kd-plain-toggle" aria-pressed="false" aria-controls="article-text article-plain" hidden>'
        "Plain text</button></fieldset>",
        "",
        '<p class="kd-skip"><a href="#rows-by-table">Skip the text: go to the rows</a></p>',
        "",
        f'<div class="kd-article" id="article-text" lang="{esc(language)}">{"".join(pieces)}</div>',
        "",
        plain_text(body, sentence_list, language),
        "",
        "<div hidden>" + "".join(f'<span id="{i}">{esc(d)}</span>' for d, i in descriptions.items()) + "</div>",
        "",
        '<dialog id="kd-rows-dialog" class="kd-dialog" aria-labelledby="kd-rows-dialog-title">'
        '<div class="kd-dialog-head"><h2 id="kd-rows-dialog-title">Rows citing this passage</h2>'
        '<button type="button" class="kd-close md-button">Close</button></div>'
        '<p class="kd-dialog-quote"></p><div class="kd-dialog-body"></div></dialog>',
        "",
        '<script type="application/json" id="kd-rows-data">'
        + json.dumps(rows_data, ensure_ascii=False).replace("</", "<\\/")
        + "</script>",
        "",
        "## Rows, by table { #rows-by-table }",
        "",
        "Each row opens to show every value it records; links lead to the rows it refers to.",
        "",
    ]
    for t in tables:
        out += [
            f"### {esc(site.title(t))} ({counts[t]}) {{ #rows-{t} }}",
            "",
            '<div class="kd-cards">' + "".join(card(site, t, r) for s, e, tt, r in spans if tt == t) + "</div>",
            "",
        ]
    return "\n".join(out)


def index_page(site: Site) -> str:
    docs = documents(site)
    out = [
        "# Annotated articles",
        "",
        f"The package codes {plural(len(docs), 'document')}. Each page shows a text with every row that cites it.",
        "",
    ]
    for doc in docs:
        n = sum(int((site.frames[t]["document_id"].astype(str) == doc_id(site, doc)).sum()) for t in site.pkg.annotation_tables)
        out.append(f"- [{doc.title}]({doc_id(site, doc)}.md): {plural(n, 'row')} cite it.")
    return "\n".join(out) + "\n"

"""References in running text that the site can resolve, wherever a page (hand-written or generated)
makes them, so no page has to write the link itself:

- sentence references (``S4``, as the codebook and the article number sentences) become links to the
  sentence in its annotated article. Which document a page means: on an article page its own; elsewhere
  the one document the page names by id, or the package's only document; a page that could mean several
  keeps its references as text (a link to the wrong text would be worse than none).
- short codes in running text (``XXXX-10-15``, ``2024-10?``, ``not_stated``) are marked so they never
  break across lines at a hyphen and read as two values;
- repository files that neither the data zip nor the site publishes (``benchmarks/``, ``tests/``,
  ``src/``...) are followed, once per page, by "in the source archive", linked to the sdist on Get the
  data; a pattern of files the site does publish (``curation/*.toml``) by a link to Get the data.
"""

from __future__ import annotations

import html
import re
from fnmatch import fnmatch

from kd_common import Site
from kd_links import rewrite_text

SENTENCE_REF = re.compile(r"(?<![\w-])S(\d{1,4})(?![\w-])")
_CODE = re.compile(r"(<a\b[^>]*>\s*)?<code>([^<]+)</code>")


def sentence_anchors(site: Site) -> dict[str, dict[int, str]]:
    """document id -> sentence number -> site URL of its mark in the article ('article/doc-0001/#span--...')."""
    import kd_article

    out: dict[str, dict[int, str]] = {}
    for table in site.pkg.anchored_tables:
        if table in site.pkg.annotation_tables or not site.has(table, "index"):
            continue
        frame = site.frames[table]
        for row in frame.itertuples(index=False):
            doc, number, rid = str(row.document_id), int(row.index), str(getattr(row, site.pk(table)))
            out.setdefault(doc, {})[number] = f"article/{doc}/#span--{kd_article.key(table, rid)}"
    return out


def sentence_spans(site: Site) -> dict[str, list[tuple[int, int, int]]]:
    """document id -> (number, start, end) of each sentence (the anchored table that annotates nothing)."""
    cache = site.__dict__.get("_sentence_spans")
    if cache is not None:
        return cache
    out: dict[str, list[tuple[int, int, int]]] = {}
    for table in site.pkg.anchored_tables:
        if table in site.pkg.annotation_tables or not site.has(table, "index"):
            continue
        for row in site.frames[table].itertuples(index=False):
            out.setdefault(str(row.document_id), []).append((int(row.index), int(row.start), int(row.end)))
    site.__dict__["_sentence_spans"] = out
    return out


def _document_of(page_html: str, page_url: str, documents: list[str]) -> str | None:
    for doc in documents:
        if page_url.strip("/") == f"article/{doc}":
            return doc
    named = [d for d in documents if re.search(rf"(?<![\w-]){re.escape(d)}(?![\w-])", page_html)]
    if len(named) == 1:
        return named[0]
    return documents[0] if len(documents) == 1 and not named else None


def link_sentences(page_html: str, page_url: str, anchors: dict[str, dict[int, str]], relative) -> str:
    doc = _document_of(page_html, page_url, sorted(anchors))
    if doc is None or not SENTENCE_REF.search(page_html):
        return page_html
    numbers = anchors[doc]

    def link(m: re.Match) -> str:
        target = numbers.get(int(m[1]))
        if target is None:
            return m[0]
        return f'<a class="kd-sentlink" href="{html.escape(relative(page_url, target))}" title="sentence {m[1]} of {doc}">{m[0]}</a>'

    return rewrite_text(page_html, lambda token: SENTENCE_REF.sub(link, token))


def _repository_path(value: str, tops: set[str]) -> bool:
    return "/" in value and value.split("/", 1)[0] in tops and " " not in value


def mark_source_files(page_html: str, page_url: str, tops: set[str], published: list[str], relative) -> str:
    """Each repository path in ``<code>`` (not already a link) followed, the first time on the page, by where
    to get it: ``tops`` are the project's top-level folders, ``published`` the files the site serves."""
    seen: set[str] = set()
    served = {p.split("/", 1)[0] for p in published if "/" in p}

    def note(m: re.Match) -> str:
        value = html.unescape(m[2])
        if m[1] or not _repository_path(value, tops) or value in seen or value in published:
            return m[0]
        seen.add(value)
        if value.split("/", 1)[0] not in served:
            return f'{m[0]} (<a href="{html.escape(relative(page_url, "downloads/#source-archive"))}">in the source archive</a>)'
        if any(fnmatch(p, value) for p in published):
            return f'{m[0]} (<a href="{html.escape(relative(page_url, "downloads/"))}">on Get the data</a>)'
        return m[0]

    return _CODE.sub(note, page_html)


SHORT = 24  # characters: a code this short always fits a phone's line, so it never needs to break
_SHORT_CODE = re.compile(rf"<code>([^<\s]{{1,{SHORT}}})</code>")


def short_codes(page_html: str) -> str:
    """Inline codes without spaces and at most SHORT characters long, marked ``kd-short`` (never broken)."""
    return _SHORT_CODE.sub(lambda m: f'<code class="kd-short">{m[1]}</code>', page_html)

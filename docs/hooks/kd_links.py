"""Links between rows across the whole site.

Page generators never work out where another row is shown: they write ``href="kd-row:TABLE:ID"``
(``row_href``), and every page's HTML is finished here once all pages exist:

- ``index`` finds, in the generated pages, where each row is shown: its card in an annotated article
  (``id="row--TABLE--ID"``) first, else the entry a reading page gives it (``id="ID"``), else its
  span's anchor in the text (``id="span--TABLE--ID"``);
- ``finish`` turns each ``kd-row:`` placeholder into a relative link to that place, and every row id
  written in the text of a page (a note citing ``src-...``, the codebook naming ``evt-...``) into a
  link, except inside links, code blocks, headings, summaries, scripts and diagrams.

A row shown nowhere keeps its placeholder's text without a link (the test of internal links would
otherwise fail on it), so a link is never dangling.
"""

from __future__ import annotations

import html
import re

PLACEHOLDER = "kd-row:"
_PLACEHOLDER_LINK = re.compile(r'<a href="kd-row:([^":]+):([^"]+)"([^>]*)>(.*?)</a>', re.S)
_IDS = re.compile(r'\bid="([^"]+)"|\{ #([^\s}]+) \}')
_TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)([^>]*)>", re.S)
# elements whose text is never turned into links
SKIP = {
    "a",
    "script",
    "style",
    "pre",
    "summary",
    "svg",
    "button",
    "label",
    "title",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "textarea",
    "select",
    "option",
    "legend",
}
VOID = {"br", "img", "input", "meta", "link", "hr", "col", "wbr", "source", "area", "base", "embed", "param", "track"}


PAGE = "kd-page:"
_PAGE_LINK = re.compile(r'href="kd-page:([^"#]*)(#[^"]*)?"')


def row_href(table: str, row_id) -> str:
    return f"{PLACEHOLDER}{table}:{row_id}"


def page_href(uri: str, fragment: str = "") -> str:
    """A link to a page by its source path ('vocabularies.md'), from whichever page it is on."""
    return f"{PAGE}{uri}" + (f"#{fragment}" if fragment else "")


def _url(uri: str) -> str:
    """The directory URL of a page's source path ('article/doc-1.md' -> 'article/doc-1/')."""
    if uri == "index.md":
        return ""
    if uri.endswith("/index.md"):
        return uri[: -len("index.md")]
    return uri[: -len(".md")] + "/"


def index(site, pages: dict[str, str]) -> dict[tuple[str, str], str]:
    """(table, row id) -> site-relative URL with fragment, for every row some page shows."""
    by_id: dict[str, list[str]] = {}
    for table in site.tables:
        for rid in site.frames[table][site.pk(table)].astype(str):
            by_id.setdefault(rid, []).append(table)
    keyed = {f"{prefix}--{t}--{rid}": (t, rid, rank) for rid, ts in by_id.items() for t in ts for prefix, rank in (("row", 0), ("span", 2))}
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for uri, content in pages.items():
        if not uri.endswith(".md") or not isinstance(content, str):
            continue
        for found_id, heading_id in _IDS.findall(content):
            anchor = found_id or heading_id
            hit = keyed.get(anchor)
            if hit is None and len(by_id.get(anchor, ())) == 1:
                hit = (by_id[anchor][0], anchor, 1)
            if hit is None:
                continue
            table, rid, rank = hit
            if (table, rid) not in found or rank < found[(table, rid)][0]:
                found[(table, rid)] = (rank, f"{_url(uri)}#{anchor}")
    return {k: url for k, (_, url) in found.items()}


class Linker:
    """Resolves placeholders and links row ids in the HTML of one page at a time."""

    def __init__(self, site, targets: dict[tuple[str, str], str]):
        self.targets = targets
        unique: dict[str, str] = {}
        seen: dict[str, int] = {}
        for (_, rid), url in targets.items():
            seen[rid] = seen.get(rid, 0) + 1
            unique[rid] = url
        self.by_id = {rid: url for rid, url in unique.items() if seen[rid] == 1}
        ids = sorted(self.by_id, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])") if ids else None

    @staticmethod
    def relative(page_url: str, target: str) -> str:
        depth = page_url.strip("/").count("/") + 1 if page_url.strip("/") else 0
        path, _, fragment = target.partition("#")
        if path == page_url:
            return f"#{fragment}"
        return "../" * depth + path + (f"#{fragment}" if fragment else "")

    def finish(self, page_html: str, page_url: str) -> str:
        def placeholder(m: re.Match) -> str:
            target = self.targets.get((m[1], html.unescape(m[2])))
            if target is None:
                return m[4]
            return f'<a href="{html.escape(self.relative(page_url, target))}"{m[3]}>{m[4]}</a>'

        page_html = _PLACEHOLDER_LINK.sub(placeholder, page_html)
        page_html = _PAGE_LINK.sub(lambda m: f'href="{html.escape(self.relative(page_url, _url(m[1]) + (m[2] or "")))}"', page_html)
        return self._link_ids(page_html, page_url) if self.pattern else page_html

    def _link_ids(self, page_html: str, page_url: str) -> str:
        assert self.pattern is not None
        pattern = self.pattern
        return rewrite_text(
            page_html,
            lambda token: pattern.sub(
                lambda m: f'<a class="kd-idlink" href="{html.escape(self.relative(page_url, self.by_id[m[1]]))}">{m[1]}</a>', token
            ),
        )


def _opens(name: str, rest: str) -> bool:
    """An opening tag that has a closing one (not void, not self-closed)."""
    return name not in VOID and not rest.rstrip().endswith("/")


def rewrite_text(page_html: str, change) -> str:
    """``page_html`` with ``change`` applied to each run of text outside links, code blocks, headings,
    summaries, scripts, diagrams and elements marked ``data-nolink``."""
    out, stack = [], []
    for token in _TOKENS.split(page_html):
        if not token:
            continue
        if token.startswith("<"):
            tag = _TAG.match(token)
            if tag and not token.startswith("<!"):
                closing, name, rest = tag[1] == "/", tag[2].lower(), tag[3]
                if closing and stack and stack[-1] == name:
                    stack.pop()
                elif not closing and _opens(name, rest) and (name in SKIP or "data-nolink" in rest or stack):
                    stack.append(name)
            out.append(token)
        elif stack:
            out.append(token)
        else:
            out.append(change(token))
    return "".join(out)

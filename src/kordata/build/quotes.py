"""Find a quote in the seed texts and write the span that picks each occurrence uniquely, so that a
curator copies text and never types an offset (``kordata curate find``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import KordataError
from ..package import Package
from ..segment import sentences
from ..spans import CLOSE, OPEN, SpanError, locate, offsets_of
from .curation import CURATION_DIR, DOCUMENT_FILES, DocumentFile, curation_root, sentence_id
from .tomlsource import SourceFile


@dataclass(frozen=True)
class Seed:
    document_id: str
    path: str  # relative to the package root, as in table documents
    text: str


@dataclass(frozen=True)
class Hit:
    document_id: str
    path: str
    start: int
    end: int
    quote: str
    sentence_id: str | None
    span: str  # a span spec that picks this occurrence ...
    occurrence: int | None  # ... with this occurrence number when no context is unique


def seeds(root: Path, document_id: str | None = None) -> list[Seed]:
    """The seed text of every curated document (curation/doc-*.toml), or of one."""
    package = Package.open(root)
    found = []
    for path in sorted((root / CURATION_DIR).glob(DOCUMENT_FILES)):
        if document_id is not None and path.name != f"{document_id}.toml":
            continue
        document = DocumentFile(package, SourceFile(root, path))
        found.append(Seed(document.doc_id, document.meta["path"], document.text))
    if document_id is not None and not found:
        known = ", ".join(p.stem for p in sorted((root / CURATION_DIR).glob(DOCUMENT_FILES))) or "none"
        raise KordataError(f"{CURATION_DIR}/{document_id}.toml: no such document (documents: {known})")
    return found


def occurrences(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of ``query``; ``[[`` ``]]`` in it mark the quote inside context."""
    if OPEN in query or CLOSE in query:
        if query.count(OPEN) != 1 or query.count(CLOSE) != 1 or query.index(OPEN) > query.index(CLOSE):
            raise KordataError(f"malformed span markers in {query!r}: one [[ before one ]]")
        before, rest = query.split(OPEN, 1)
        quote, after = rest.split(CLOSE, 1)
    else:
        before, quote, after = "", query, ""
    if not quote:
        raise KordataError("the quote to find is empty")
    return [(at + len(before), at + len(before) + len(quote)) for at in offsets_of(text, before + quote + after)]


def _word_edges(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """Where a context may begin (word starts left of ``start``) and end (word ends right of ``end``),
    so that context is whole words, as a curator would copy it, within the line (a span never needs
    to cross a paragraph). ``start`` and ``end`` themselves come first (no context)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    lefts = [start] + [
        p for p in range(start - 1, line_start - 1, -1) if text[p].isalnum() and (p == line_start or not text[p - 1].isalnum())
    ]
    rights = [end] + [q for q in range(end + 1, line_end + 1) if text[q - 1].isalnum() and (q == line_end or not text[q].isalnum())]
    if line_end > end and line_end not in rights:
        rights.append(line_end)  # up to the end of the line, punctuation included
    return lefts, rights


def unique_span(text: str, start: int, end: int) -> tuple[str, int | None]:
    """The shortest span spec (quote, with words of context marked by [[ ]] when needed) that picks
    text[start:end] and no other place; else the bare quote with its occurrence number. Each
    answer is checked with kordata.spans.locate, the function the compiler uses."""
    quote = text[start:end]
    candidates = []
    if OPEN not in quote and CLOSE not in quote:
        lefts, rights = _word_edges(text, start, end)
        candidates = sorted(((end - left) + (right - start), left, right) for left in lefts for right in rights)
    for _, left, right in candidates:
        before, after = text[left:start], text[end:right]
        if OPEN in before + after or CLOSE in before + after:
            continue
        spec = quote if not before and not after else f"{before}{OPEN}{quote}{CLOSE}{after}"
        try:
            span = locate(text, spec)
        except SpanError:
            continue
        if (span.start, span.end) == (start, end):
            return spec, None
    occurrence = offsets_of(text, quote).index(start) + 1
    return quote, occurrence


def toml_span(spec: str, occurrence: int | None) -> str:
    """The span as the TOML lines a curator pastes: a literal string when it can be one."""
    if "'''" not in spec and "\n" not in spec and not spec.endswith("'") and spec.isprintable():
        line = f"span = '''{spec}'''"
    else:
        line = f"span = {json.dumps(spec, ensure_ascii=False)}"  # a JSON string is a valid TOML basic string
    return line + (f"\noccurrence = {occurrence}" if occurrence is not None else "")


def find(root: str | Path | None, query: str, document_id: str | None = None) -> list[Hit]:
    """Every occurrence of ``query`` in the curated documents (or one), with a span spec for each."""
    hits = []
    for seed in seeds(curation_root(root), document_id):
        bounds = sentences(seed.text)
        for start, end in occurrences(seed.text, query):
            index = next((k for k, (a, b) in enumerate(bounds) if a <= start < b), None)
            spec, occurrence = unique_span(seed.text, start, end)
            sid = sentence_id(seed.document_id, index) if index is not None else None
            hits.append(Hit(seed.document_id, seed.path, start, end, seed.text[start:end], sid, spec, occurrence))
    return hits


def _visible(text: str) -> str:
    """Text for a terminal: line breaks as ↵, other control characters escaped."""
    return "".join("↵" if c == "\n" else c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def describe(hit: Hit, text: str, context: int) -> str:
    before = text[max(0, hit.start - context) : hit.start]
    after = text[hit.end : hit.end + context]
    where = f"{hit.document_id} {hit.path} [{hit.start}:{hit.end}]" + (f" in {hit.sentence_id}" if hit.sentence_id else "")
    shown = f"…{_visible(before)}«{_visible(hit.quote)}»{_visible(after)}…"
    return "\n".join([where, "  " + shown, *("  " + line for line in toml_span(hit.span, hit.occurrence).splitlines())])

"""Scaffold the curation file of a new seed (``kordata curate new SEED --id doc-XXXX``).

The file is generated from the schemas (one home per field): the document table with the fields
the curator writes, the seed's sentences as comments (as the segmenter cuts them), the rules,
and for every table of a document a commented template with its keys, or an empty compact section.
It compiles as it is once the document's required fields are filled in.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from ..errors import KordataError
from ..fileio import write_text
from ..package import Package
from ..segment import sentences
from .curation import (
    COMPACT_ROWS,
    COMPUTED_DOCUMENT_FIELDS,
    CURATION_DIR,
    DOCUMENT_FILES,
    DOCUMENTS,
    GLOBAL_TABLES,
    SENTENCES,
    curation_root,
    matches_pattern,
    sentence_id,
)
from .tomlsource import SourceFile

WIDTH = 110
RULES = """\
# Rules (every one is checked by `kordata curate compile` or `kordata validate`):
# - Spans are never typed as numbers. Each `span` is text copied from the seed; the compiler finds it
#   and computes the code point offsets. `kordata curate find "text" --doc {doc}` prints, for every
#   occurrence, the span that picks it uniquely.
# - Mark the quoted part with [[ and ]] when surrounding words are needed to make it unique:
#   '[[Kim]] said' quotes 'Kim' at the one place where 'Kim said' occurs. Without markers the whole
#   span is the quote. A span found zero or several times is an error; `occurrence = N` (1-based)
#   picks one when context cannot.
# - Ids are stable, readable and never reused: a prefix ('evt-', 'stm-', 'clm-', ...) then lower-case
#   words or numbers joined by hyphens. The tool fills document_id, start, end and quote; sentence ids
#   are {first_sentence}, ... A relation between rows is a row (table event_relations), not a note.
# - Nothing the text does not say is presented as said: a value the text does not state is marked by
#   its *_basis ('inferred', 'unknown') with the reason in its note; outside pages it rests on are rows
#   of sources and source_links (curation/sources.toml), cited, never copied.
# - Keys are the fields of schemas/<table>.json; a key the schema does not have is an error.
"""


def _comment(text: str, indent: str = "# ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False) or [indent.rstrip()]


# What a commented template shows for a field of each Table Schema type (strings: empty).
EXAMPLE_VALUES = {"integer": "0", "number": "0", "boolean": "false"}


def _hint(field: dict) -> str:
    constraints = field.get("constraints", {})
    need = "required" if constraints.get("required") else "optional"
    parts = [f"{need} {field.get('type', 'string')}", str(field.get("title", field["name"]))]
    if "enum" in constraints:
        parts.append("one of: " + ", ".join(map(str, constraints["enum"])))
    return "; ".join(parts)


def _template(package: Package, table: str, anchored: bool, skip: tuple[str, ...]) -> list[str]:
    """A commented [[table]] entry: every field the curator writes, with a hint."""
    key = package.primary_key(table)
    lines = [f"# [[{table}]]"]
    for field in package.fields(table):
        name = field["name"]
        if name in skip:
            continue
        example = EXAMPLE_VALUES.get(field.get("type", "string"), '""')
        lines.append(f"# {name} = {example}  # {_hint(field)}")
        if anchored and name == key:
            lines.append("# span = '''...'''  # required; the evidence, copied from the seed")
    return lines


def scaffold(package: Package, document_id: str, seed_path: str, text: str, language: str | None) -> str:
    """The text of curation/<document_id>.toml for the seed at ``seed_path`` (relative to the package)."""
    bounds = sentences(text)
    out = [
        f"# Curation of {seed_path} (document {document_id}): the curator's source for its rows in data/*.csv.",
        "# Scaffolded by `kordata curate new`; compile with `kordata curate compile` (python -m kordata.build.curation).",
        "#",
        *RULES.format(doc=document_id, first_sentence=sentence_id(document_id, 0)).splitlines(),
        "",
        "[document]",
        f"document_id = {json.dumps(document_id)}",
        f"path = {json.dumps(seed_path)}",
    ]
    for field in package.fields(DOCUMENTS):
        name = field["name"]
        if name in ("document_id", "path", *COMPUTED_DOCUMENT_FIELDS):
            continue
        value = language if name == "language" and language else ""
        out.append(f"{name} = {json.dumps(value, ensure_ascii=False)}  # {_hint(field)}")
    out += [f"# Computed from the seed by the tool, never written here: {', '.join(COMPUTED_DOCUMENT_FIELDS)}.", ""]

    out += [f"# {'-' * 64} sentences", f"# The segmenter cuts the seed into {len(bounds)} sentences (id [start:end] text):"]
    for index, (start, end) in enumerate(bounds):
        out += _comment(f"{sentence_id(document_id, index)} [{start}:{end}] {text[start:end]}", "#   ")
    out += [
        "# Only exceptions get a note: a sentence that states nothing (a label such as 'For reference:').",
        "# [[sentences]]",
        "# span = '''...'''  # the whole sentence, copied from the seed",
        "# carries_content = false",
        '# notes = ""',
        "",
        f"# {'-' * 64} actors",
        "# Actors first coded in this document (document_id is filled in). Reuse an actor of another",
        "# document (curation/actors.toml, curation/doc-*.toml) by its id instead of coding it again.",
        *_template(package, "actors", anchored=False, skip=("document_id",)),
        "",
    ]
    compact = {table: (key, columns) for key, (table, columns) in COMPACT_ROWS.items()}
    for table in package.table_names:
        if table in (DOCUMENTS, SENTENCES, *GLOBAL_TABLES):
            continue
        out.append(f"# {'-' * 64} {table}")
        out += _comment(str(package.schema(table).get("description", "")))
        if table in compact:
            key, columns = compact[table]
            fields = {f["name"]: f for f in package.fields(table)}
            out.append(f"# [{', '.join(columns)}], one row per line:")
            out += [
                f"#   {name}: {_hint(fields[name]) if name in fields else 'required; the evidence, copied from the seed'}"
                for name in columns
            ]
            out += [f"[{key}]", "rows = [", "]", ""]
            continue
        anchored = table in package.anchored_tables
        out += _template(package, table, anchored, skip=("document_id", "start", "end", "quote"))
        out.append("")
    return "\n".join(out)


def new_document(root: str | Path | None, seed: str | Path, document_id: str, language: str | None = None) -> Path:
    """Write curation/<document_id>.toml for ``seed`` (a file under seeds/ of the repository);
    refuses to overwrite, to reuse a document id or to curate a seed twice."""
    root = curation_root(root)
    package = Package.open(root)
    id_pattern = package.field(DOCUMENTS, "document_id").get("constraints", {}).get("pattern")
    if not matches_pattern(id_pattern, document_id):
        raise KordataError(f"--id {document_id!r} is not a document id (pattern {id_pattern})")
    target = root / CURATION_DIR / f"{document_id}.toml"
    if target.exists():
        raise KordataError(f"{target.relative_to(root).as_posix()} already exists: kordata curate new never overwrites")
    path = Path(seed)
    path = (path if path.is_absolute() else Path.cwd() / path).resolve()
    if not path.is_relative_to(root.resolve()):
        raise KordataError(f"{seed}: the seed must be a file of the repository's seeds/ folder ({root / 'seeds'}); copy it there first")
    relative = path.relative_to(root.resolve()).as_posix()
    path_pattern = package.field(DOCUMENTS, "path").get("constraints", {}).get("pattern")
    if not matches_pattern(path_pattern, relative):
        raise KordataError(f"{relative}: a seed path must match {path_pattern} (a .txt file directly under seeds/)")
    if not path.is_file():
        raise KordataError(f"{relative}: missing seed (no such file)" if not path.exists() else f"{relative}: not a regular file")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KordataError(f"{relative}: the seed is not UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise KordataError(f"{relative}: the seed is empty")
    for other in sorted((root / CURATION_DIR).glob(DOCUMENT_FILES)):
        meta = SourceFile(root, other).data.get("document", {})
        if isinstance(meta, dict) and meta.get("path") == relative:
            raise KordataError(f"{relative} is already curated in {other.relative_to(root).as_posix()}")
    write_text(target, scaffold(package, document_id, relative, text, language))
    return target

"""What every generated page shares: the package being published, its tables, and readable
names for rows (a row is shown by what it says, never by its id alone).

Nothing here names a table, an id prefix or a document: everything is read from the package's
descriptor and schemas, so new tables, fields and documents appear on the site by themselves.
"""

from __future__ import annotations

import html
import math
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE_ENV = "KORDATA_DOCS_PACKAGE"
# Fields that say what a row is, best first: the first one a table has (and a row fills) names the row.
LABEL_FIELDS = ("name", "title", "summary", "proposition", "content", "counts", "quote", "note", "description")


def package_root() -> Path:
    """The package the site publishes: $KORDATA_DOCS_PACKAGE, else the repository root."""
    value = os.environ.get(PACKAGE_ENV)
    return Path(value).resolve() if value else REPO


def present(value) -> bool:
    """True for a real value; False for None, NaN, pandas' NA/NaT and empty strings."""
    if value is None:
        return False
    try:
        if value != value:  # NaN, NaT
            return False
    except (TypeError, ValueError):  # pd.NA refuses comparison
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return str(value) != "" and str(value) != "<NA>"


def text(value) -> str:
    """A cell as the reader should see it: numbers without a spurious .0, booleans as yes/no."""
    if not present(value):
        return ""
    if isinstance(value, bool) or str(value) in ("True", "False"):
        return "yes" if str(value) == "True" else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)


def esc(value) -> str:
    return html.escape(text(value))


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def shorten(value: str, limit: int = 90) -> str:
    """At most ``limit`` characters, cut at a word and ended with one ellipsis (never "Korea.…")."""
    value = " ".join(value.split())
    if len(value) <= limit:
        return value
    return value[: limit - 1].rsplit(" ", 1)[0].rstrip(".,;:!?—–-( ") + "…"


# How a relation value reads between two rows, where its words alone do not ("this event same X"):
# a value not listed reads as its words ("part_of" -> "part of", "follows" -> "follows").
RELATION_WORDS = {
    "same": "the same event as",
    "possibly_same": "possibly the same event as",
    "condition_of": "a condition of",
    "setting_of": "the setting of",
    "state_of": "a state of",
}


def relation_phrase(value) -> str:
    """'same' -> 'the same event as'; 'condition_of' -> 'condition of'."""
    value = text(value)
    return RELATION_WORDS.get(value, value.replace("_", " "))


# A summary used inside a sentence loses its own full stop, and its first word its capital when that
# word is one of these (never a name: "North Korea" stays capitalised).
LOWER_FIRST = {"The", "A", "An", "This", "That", "These", "Those", "Its", "Their", "His", "Her", "Some", "Any", "Each"}
_FINAL_PUNCT = re.compile(r"[\s.,;:!?]+(?=(?:</a>)?\s*$)")
_FIRST_WORD = re.compile(r"^((?:<[^>]+>)?)([A-Z][a-z]*)\b")


def clause(value: str) -> str:
    """A row's summary (plain text or one link) as a clause inside a sentence: 'The partnership is increasing.'
    -> 'the partnership is increasing' (so a sentence built of two never reads 'increasing.,')."""
    value = _FINAL_PUNCT.sub("", value.strip())
    return _FIRST_WORD.sub(lambda m: m[1] + (m[2].lower() if m[2] in LOWER_FIRST else m[2]), value, count=1)


def capitalise(sentence: str) -> str:
    """The first letter upper-cased, past a leading tag ('<a href=..>the x</a> ...' -> '<a href=..>The x</a> ...')."""
    return re.sub(r"^((?:<[^>]+>)?)([a-z])", lambda m: m[1] + m[2].upper(), sentence, count=1)


def relation_sentence(subject: str, value, other: str) -> str:
    """'A is the same event as B', 'A follows B', 'A is part of B' (a verb in -s needs no 'is'); each
    side a clause (no final punctuation of its own)."""
    phrase = relation_phrase(value)
    first = phrase.split(" ", 1)[0]
    verb = first.endswith("s")
    subject = subject if subject == "this event" else clause(subject)
    return f"{subject} {'' if verb else 'is '}{phrase} {clause(other)}"


@dataclass(frozen=True)
class ForeignKey:
    table: str
    field: str
    target: str
    target_field: str


@dataclass
class Site:
    """The package and its tables (typed, as kordata.load_all gives them)."""

    pkg: object  # kordata.package.Package
    frames: dict

    @property
    def tables(self) -> list[str]:
        return list(self.pkg.table_names)

    def schema(self, table: str) -> dict:
        return self.pkg.schema(table)

    def title(self, table: str) -> str:
        return self.schema(table).get("title") or self.pkg.resource(table).get("title") or table

    def field(self, table: str, name: str) -> dict:
        return self.pkg.field(table, name)

    def field_title(self, table: str, name: str) -> str:
        return self.field(table, name).get("title") or name.replace("_", " ")

    def has(self, table: str, *fields: str) -> bool:
        names = {f["name"] for f in self.pkg.fields(table)}
        return all(f in names for f in fields)

    def pk(self, table: str) -> str:
        return self.pkg.primary_key(table)

    @cached_property
    def foreign_keys(self) -> list[ForeignKey]:
        """Every single-field foreign key of every table (a self-reference names its own table)."""
        out = []
        for table in self.tables:
            for fk in self.schema(table).get("foreignKeys") or []:
                fields, ref = fk["fields"], fk["reference"]
                fields = [fields] if isinstance(fields, str) else fields
                targets = ref["fields"]
                targets = [targets] if isinstance(targets, str) else targets
                for f, t in zip(fields, targets, strict=True):
                    out.append(ForeignKey(table, f, ref.get("resource") or table, t))
        return out

    def fk(self, table: str, field: str) -> ForeignKey | None:
        return next((k for k in self.foreign_keys if k.table == table and k.field == field), None)

    def fks(self, table: str) -> list[ForeignKey]:
        return [k for k in self.foreign_keys if k.table == table]

    @cached_property
    def document_table(self) -> str | None:
        """The table that ``document_id`` of the anchored tables points to (the texts)."""
        for table in self.pkg.anchored_tables:
            key = self.fk(table, "document_id")
            if key:
                return key.target
        return None

    @cached_property
    def _indexed(self) -> dict:
        return {t: self.frames[t].set_index(self.pk(t), drop=False) for t in self.tables}

    def row(self, table: str, row_id):
        frame = self._indexed[table]
        return frame.loc[row_id] if row_id in frame.index else None

    def categories(self, table: str, name: str) -> dict[str, str]:
        return {str(c["value"]): c.get("label", "") for c in self.field(table, name).get("categories", [])}

    def label_field(self, table: str) -> str | None:
        names = [f["name"] for f in self.pkg.fields(table)]
        return next((f for f in LABEL_FIELDS if f in names), None)

    def label(self, table: str, row_id, depth: int = 0) -> str:
        """What a row says, in words: its naming field, with the rows it points to named in turn."""
        row = self.row(table, row_id)
        if row is None:
            return str(row_id)
        named = [k for k in self.fks(table) if k.target != self.document_table and present(row[k.field])]
        # named rows (an actor) before described ones (an event), so a shortened label keeps the name
        named.sort(key=lambda k: self.label_field(k.target) != "name")
        pairs = [k for k in named if sum(1 for o in named if o.target == k.target) > 1 and self.label_field(k.target) != "name"]
        if len(pairs) >= 2 and depth == 0:
            # a relation between two rows of one table: "A is the same event as B"
            verb = next((row[f["name"]] for f in self.pkg.fields(table) if "categories" in f), "related to")
            return capitalise(
                relation_sentence(
                    shorten(self.label(pairs[0].target, row[pairs[0].field], 1), 60),
                    verb,
                    shorten(self.label(pairs[1].target, row[pairs[1].field], 1), 60),
                )
            )
        field = self.label_field(table)
        value = text(row[field]) if field and present(row[field]) else ""
        if field in ("quote", "content", "counts", "note", None) or not value:
            # the row's first reference to a named row (a mention's actor, a statement's speaker), even
            # when empty: an empty speaker is said as such, never replaced by another actor of the row
            first = next((k for k in self.fks(table) if k.target != self.document_table and self.label_field(k.target) == "name"), None)
            kind = next(
                (text(row[f["name"]]).replace("_", " ") for f in self.pkg.fields(table) if "categories" in f and present(row[f["name"]])),
                "",
            )
            who = (
                self.label(first.target, row[first.field], depth + 1)
                if first is not None and present(row[first.field])
                else kind
                if first is not None
                else None
            )
            if field == "quote" and who and depth < 2:
                return f"“{value}” → {who}"
            if who and depth < 2 and field == "content":
                return f"{who}: “{shorten(value)}”"
            if not value:
                parts = [shorten(self.label(k.target, row[k.field], depth + 1), 50) for k in named[:2]] if depth < 2 else []
                cats = [
                    text(row[f["name"]]).replace("_", " ") for f in self.pkg.fields(table) if "categories" in f and present(row[f["name"]])
                ]
                return " · ".join(cats[:1] + parts) or str(row_id)
        if self.has(table, "value", "unit") and present(row["value"]):
            return f"{text(row['value'])} {text(row['unit'])}: {shorten(value, 70)}"
        return shorten(value, 110 if depth == 0 else 70)

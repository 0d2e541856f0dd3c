"""Layer 3: codes and links checked against references and the schemas.

- Codes: every field listed in CODE_FIELDS holds a code that exists in its reference: ISO 3166-1
  alpha-3 countries and ISO 639 languages from pycountry (a kept library, not a hand list), CAMEO
  event codes from the CAMEO reference kordata ships (``kordata/reference/cameo_events.csv``,
  read whole, keyed by its ``code`` column).
- Actors: parent links form no cycle.
- Source links: each link names exactly one row (the foreign keys of source_links say which
  tables it may name), ``field`` is a field of that row's table, and a link that ``supports`` an
  inferred value points at a field whose basis says it is inferred.
- Sources: a source was not retrieved in the future, nor published after it was retrieved.
- Names that become file names in exports (document ids) are plain file names.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from functools import cache
from importlib.resources import files

import numpy as np
import pandas as pd

from ..errors import KordataError
from ..fileio import confined
from .convert import isin, lookup
from .integrity import Context
from .report import Failure


@cache
def countries() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


@cache
def languages() -> frozenset[str]:
    import pycountry

    return frozenset(code for lang in pycountry.languages for code in (getattr(lang, "alpha_2", None), lang.alpha_3) if code)


@cache
def cameo_event_codes() -> frozenset[str]:
    """The CAMEO event codes of kordata's reference (every row of the file, keyed by code)."""
    text = (files("kordata") / "reference" / "cameo_events.csv").read_text(encoding="utf-8")
    return frozenset(row["code"] for row in csv.DictReader(io.StringIO(text)) if row.get("code"))


def _language_ok(tag: str) -> bool:
    return tag.split("-")[0] in languages()


# (table, column) -> (reference name, test of one value). One home: the schemas say a value's form,
# this says which reference its meaning is checked against.
CODE_FIELDS: dict[tuple[str, str], tuple[str, Callable[[str], bool]]] = {
    ("actors", "country"): ("ISO 3166-1 alpha-3", lambda v: v in countries()),
    ("events", "location_country"): ("ISO 3166-1 alpha-3", lambda v: v in countries()),
    ("events", "cameo_code"): ("the CAMEO event codes kordata ships", lambda v: v in cameo_event_codes()),
    ("documents", "language"): ("ISO 639 (the language subtag)", _language_ok),
}


def check_codes(ctx: Context) -> list[Failure]:
    failures: list[Failure] = []
    for (table, column), (reference, test) in CODE_FIELDS.items():
        frame = ctx.frame(table)
        if frame is None:
            continue
        if not ctx.has_column(table, column):
            failures += ctx.missing_column(table, column, "codes")
            continue
        values = frame[column]
        unknown = [v for v in pd.unique(values) if v != "" and not test(v)]  # each distinct code tested once
        failures += ctx.fail(table, isin(values, unknown).to_numpy(), "code", f"not a code of {reference}", column=column)
    return failures


def check_actor_parents(ctx: Context) -> list[Failure]:
    """Following parent_actor_id from any actor never comes back to it."""
    actors = ctx.frame("actors")
    if actors is None:
        return []
    if not ctx.has_column("actors", "parent_actor_id"):
        return ctx.missing_column("actors", "parent_actor_id", "actor-parents")
    parent = dict(zip(actors["actor_id"], actors["parent_actor_id"], strict=True))
    in_cycle = set()
    for start in parent:
        seen, node = [], start
        while node and node in parent and node not in seen:
            seen.append(node)
            node = parent[node]
        if node in seen:
            in_cycle.update(seen[seen.index(node) :])
    bad = actors["actor_id"].isin(in_cycle).to_numpy()
    return ctx.fail("actors", bad, "parent-cycle", "parent_actor_id leads back to this actor", column="parent_actor_id")


def check_source_links(ctx: Context) -> list[Failure]:
    links = ctx.frame("source_links")
    if links is None:
        return []
    for column in ("relation", "field"):
        if not ctx.has_column("source_links", column):
            return ctx.missing_column("source_links", column, "source-links")
    targets = [
        (fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"], fk["reference"].get("resource"))
        for fk in (ctx.package.schema("source_links").get("foreignKeys", []) if ctx.fields("source_links") else [])
        if fk["reference"].get("resource") not in ("sources", "source_links", "", None)
    ]
    named = np.column_stack([(links[c] != "").to_numpy() for c, _ in targets]) if targets else np.zeros((len(links), 0), dtype=bool)
    failures = ctx.fail(
        "source_links",
        named.sum(axis=1) != 1,
        "link-target",
        f"names none, or more than one, of {', '.join(c for c, _ in targets)}",
        column=targets[0][0] if targets else "",
    )
    bad_field = np.zeros(len(links), dtype=bool)
    not_inferred = np.zeros(len(links), dtype=bool)
    for column, table in targets:
        if table not in ctx.package.table_names:
            continue
        fields = {f["name"] for f in ctx.fields(table)}
        named_here = (links[column] != "").to_numpy()
        bad_field |= named_here & ~links["field"].isin(fields).to_numpy()
        target = ctx.frame(table)
        if target is None:
            continue
        supports = named_here & (links["relation"] == "supports").to_numpy()
        for field in pd.unique(links["field"][supports]):  # a handful of distinct fields
            basis = next((c for c in (f"{field}_basis", f"{field}_status") if c in fields), None)
            if basis is None:
                continue
            these = supports & (links["field"] == field).to_numpy()
            value = lookup(links[column], target[ctx.raw.id_column(table)], target[basis])
            not_inferred |= these & value.notna().to_numpy() & ~value.isin(["inferred", "partly_stated"]).to_numpy()
    failures += ctx.fail("source_links", bad_field, "link-field", "field is not a field of the table the link names", column="field")
    failures += ctx.fail(
        "source_links",
        not_inferred,
        "link-supports",
        "'supports' an inferred value, but the field's basis says it is not inferred",
        column="relation",
    )
    return failures


def check_sources(ctx: Context) -> list[Failure]:
    sources = ctx.frame("sources")
    if sources is None:
        return []
    for column in ("retrieved", "published"):
        if not ctx.has_column("sources", column):
            return ctx.missing_column("sources", column, "sources")
    from ..dates import edtf_bounds

    retrieved = pd.to_datetime(sources["retrieved"], format="%Y-%m-%d", errors="coerce")
    future = (retrieved > pd.Timestamp(dt.date.today())).fillna(False).to_numpy(dtype=bool)
    failures = ctx.fail("sources", future, "retrieved-future", "retrieved after today", column="retrieved")
    lower, _ = edtf_bounds(sources["published"].where(sources["published"] != ""))
    late = (lower.astype("datetime64[s]") > retrieved.astype("datetime64[s]")).fillna(False).to_numpy(dtype=bool)
    failures += ctx.fail("sources", late, "published-after-retrieved", "published after it was retrieved", column="published")
    return failures


def check_file_names(ctx: Context) -> list[Failure]:
    """Document ids name files in exports (brat, W3C): each must be a plain file name."""
    documents = ctx.frame("documents")
    if documents is None or not ctx.has_column("documents", "document_id"):
        return []
    bad = np.zeros(len(documents), dtype=bool)
    for position, doc in enumerate(documents["document_id"]):
        try:
            confined(ctx.package.root, doc, "document id")
        except KordataError:
            bad[position] = True
        bad[position] |= doc.startswith(".")
    return ctx.fail("documents", bad, "file-name", "a document id names export files: it must be a plain file name", column="document_id")


CHECKS: list[tuple[str, str, Callable[[Context], list[Failure]]]] = [
    ("codes", "countries are ISO 3166-1 alpha-3, languages ISO 639, CAMEO event codes are in kordata's CAMEO reference", check_codes),
    ("actor-parents", "actor parent links form no cycle", check_actor_parents),
    ("source-links", "each source link names one row and a field of its table; 'supports' points at an inferred value", check_source_links),
    ("sources", "sources were retrieved by today, and not before they were published", check_sources),
    ("file-names", "document ids are plain file names (they name files in exports)", check_file_names),
]

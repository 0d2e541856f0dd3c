"""Layer 3: cross-table and provenance checks that no Table Schema can express.

Every check works column-wise on the raw text frames (RawTables). The seed texts are read
once; spans are compared by slicing. Each check returns failures naming table, row, row id,
column, rule and value.
"""
from __future__ import annotations

import hashlib
import time
from typing import Callable

import pandas as pd

from ..errors import KordataError
from ..package import Package
from .raw import RawTables
from .report import CheckResult, Failure

ANCHORED = ["sentences", "mentions", "events", "statements", "claims", "figures"]
CITING = ["events", "statements", "claims"]  # rows that count for sentence coverage


class Context:
    """What the checks share: the package, raw frames and the seed texts by document id."""

    def __init__(self, package: Package, raw: RawTables):
        self.package, self.raw = package, raw
        self.texts: dict[str, str] = {}
        self.seed_failures: list[Failure] = []
        documents = raw.frames.get("documents")
        if documents is None:
            return
        for index, row in documents.iterrows():  # one row per document: a handful, not per data row
            try:
                path = package.file(row["path"], f"documents row {index + 2}")
                data = path.read_bytes()
            except (KordataError, OSError) as exc:
                self.seed_failures.append(Failure("documents", "seed-file", str(exc) if isinstance(exc, KordataError) else f"cannot read seed file: {exc}",
                                                  row=index + 2, row_id=row["document_id"], column="path", value=row["path"]))
                continue
            try:
                self.texts[row["document_id"]] = data.decode("utf-8")
            except UnicodeDecodeError:
                self.seed_failures.append(Failure("documents", "seed-encoding", "seed file is not UTF-8", row=index + 2,
                                                  row_id=row["document_id"], column="path", value=row["path"]))
                continue
            for column, actual in (("sha256", hashlib.sha256(data).hexdigest()), ("bytes", str(len(data))),
                                   ("length", str(len(self.texts[row["document_id"]])))):
                if row[column] != actual:
                    self.seed_failures.append(Failure("documents", f"seed-{column}", f"does not match the seed file ({actual})",
                                                      row=index + 2, row_id=row["document_id"], column=column, value=row[column]))

    def frame(self, name: str) -> pd.DataFrame | None:
        return self.raw.frames.get(name)

    def fail_rows(self, name: str, mask: pd.Series, rule: str, message: str, column: str = "", values: pd.Series | None = None) -> list[Failure]:
        frame = self.frame(name)
        idc = self.raw.id_column(name)
        rows = mask[mask.fillna(False).astype(bool)].index
        shown = values if values is not None else (frame[column] if column else None)
        return [Failure(name, rule, message, row=int(i) + 2, row_id=str(frame.at[i, idc]), column=column,
                        value="" if shown is None else str(shown.at[i])) for i in rows]


def _ints(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.where(series.str.fullmatch(r"\d+")), errors="coerce").astype("Int64")


def check_readable(ctx: Context) -> list[Failure]:
    return list(ctx.raw.failures)


def check_seeds(ctx: Context) -> list[Failure]:
    return list(ctx.seed_failures)


def check_foreign_keys(ctx: Context) -> list[Failure]:
    failures = []
    for name in ctx.package.table_names:
        frame = ctx.frame(name)
        if frame is None:
            continue
        for fk in ctx.package.schema(name).get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            target_name = ref.get("resource") or name
            target_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            target = ctx.frame(target_name)
            if target is None:
                continue
            keys = set(zip(*(target[f] for f in target_fields)))
            values = frame[fields[0]] if len(fields) == 1 else frame[fields].agg("|".join, axis=1)
            present = frame[fields].ne("").all(axis=1)
            if len(fields) == 1:
                resolves = frame[fields[0]].isin({k[0] for k in keys})
            else:
                resolves = pd.Series([tuple(r) in keys for r in frame[fields].itertuples(index=False)], index=frame.index)
            failures += ctx.fail_rows(name, present & ~resolves, "foreign-key",
                                      f"no row of {target_name} has {'/'.join(target_fields)} equal to this value",
                                      column=",".join(fields), values=values)
    return failures


def _texts_of(ctx: Context, frame: pd.DataFrame) -> pd.Series:
    return frame["document_id"].map(ctx.texts).astype("object")


def check_spans(ctx: Context) -> list[Failure]:
    failures = []
    for name in ANCHORED:
        frame = ctx.frame(name)
        if frame is None:
            continue
        start, end, texts = _ints(frame["start"]), _ints(frame["end"]), _texts_of(ctx, frame)
        usable = start.notna() & end.notna() & texts.notna()
        lengths = texts.astype("string").str.len()
        inside = usable & (start < end) & (end <= lengths)
        failures += ctx.fail_rows(name, usable & ~inside, "span-bounds", "start and end do not lie inside the document text", column="end")
        sliced = pd.Series([t[s:e] if ok else None for t, s, e, ok in zip(texts, start.fillna(0), end.fillna(0), inside)],
                           index=frame.index, dtype="object")
        mismatch = inside & (sliced != frame["quote"])
        failures += ctx.fail_rows(name, mismatch, "span-quote",
                                  "quote differs from the document text at start:end (text there: "
                                  "see value) ", column="quote", values=sliced)
    return failures


def _contained(parts: pd.Series, wholes: pd.Series, separator: str | None = None) -> pd.Series:
    def ok(part, whole):
        if part == "" or whole is None or (isinstance(whole, float)):
            return True
        pieces = part.split(separator) if separator else [part]
        return all(p.strip() in whole for p in pieces)
    return pd.Series([ok(p, w) for p, w in zip(parts, wholes)], index=parts.index)


def _context_text(ctx: Context, frame: pd.DataFrame) -> pd.Series:
    """Text of the sentences that a row's span overlaps (for hedges said just outside the span)."""
    sentences = ctx.frame("sentences")
    texts = _texts_of(ctx, frame)
    start, end = _ints(frame["start"]), _ints(frame["end"])
    if sentences is None:
        return texts
    s_doc, s_start, s_end = sentences["document_id"], _ints(sentences["start"]), _ints(sentences["end"])
    out = []
    for doc, a, b, text in zip(frame["document_id"], start, end, texts):
        if pd.isna(a) or pd.isna(b) or not isinstance(text, str):
            out.append(None)
            continue
        hit = (s_doc == doc) & (s_start < b) & (s_end > a)
        lo = s_start[hit].min() if hit.any() else a
        hi = s_end[hit].max() if hit.any() else b
        out.append(text[int(lo):int(hi)])
    return pd.Series(out, index=frame.index, dtype="object")


def check_quoted_parts(ctx: Context) -> list[Failure]:
    failures = []
    statements = ctx.frame("statements")
    if statements is not None:
        for column in ("cue", "content"):
            bad = ~_contained(statements[column], statements["quote"])
            failures += ctx.fail_rows("statements", bad, f"{column}-in-quote", f"{column} does not occur in the quote", column=column)
        bad = ~_contained(statements["reporting_cue"], _texts_of(ctx, statements))
        failures += ctx.fail_rows("statements", bad, "reporting-cue-in-text", "reporting_cue does not occur in the document", column="reporting_cue")
    for name, column in (("events", "hedge"), ("claims", "hedge_cues"), ("figures", "approximation_cue")):
        frame = ctx.frame(name)
        if frame is not None:
            bad = ~_contained(frame[column], _context_text(ctx, frame), " | ")
            failures += ctx.fail_rows(name, bad, "hedge-in-text", f"{column} is not verbatim in the sentence of the span", column=column)
    figures = ctx.frame("figures")
    if figures is not None:
        digits = figures["quote"].str.replace(",", "", regex=False)
        value = pd.to_numeric(figures["value"], errors="coerce")
        as_text = value.map(lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v)))
        bad = value.notna() & ~_contained(as_text, digits)
        failures += ctx.fail_rows("figures", bad, "value-in-quote", "the number does not appear in the quote", column="value")
    return failures


def _actor_of_mention(ctx: Context) -> pd.Series:
    mentions = ctx.frame("mentions")
    return pd.Series(dtype="object") if mentions is None else mentions.set_index("mention_id")["actor_id"]


def check_mention_agreement(ctx: Context) -> list[Failure]:
    failures = []
    lookup = _actor_of_mention(ctx)
    if lookup.index.has_duplicates:
        lookup = lookup[~lookup.index.duplicated()]
    for name, mention_col, actor_col in (("event_participants", "mention_id", "actor_id"),
                                         ("statements", "speaker_mention_id", "speaker_actor_id"),
                                         ("actors", "title_mention_id", "actor_id")):
        frame = ctx.frame(name)
        if frame is None:
            continue
        evidence = frame[mention_col].map(lookup)
        bad = (frame[mention_col] != "") & evidence.notna() & (evidence != frame[actor_col])
        failures += ctx.fail_rows(name, bad, "mention-actor", f"the mention in {mention_col} refers to another actor (see value)",
                                  column=mention_col, values=evidence)
    return failures


def check_actor_mentioned(ctx: Context) -> list[Failure]:
    actors, mentions = ctx.frame("actors"), ctx.frame("mentions")
    if actors is None or mentions is None:
        return []
    bad = ~actors["actor_id"].isin(set(mentions["actor_id"]))
    return ctx.fail_rows("actors", bad, "actor-mentioned", "no mention anchors this actor in any text", column="actor_id")


def check_speakers(ctx: Context) -> list[Failure]:
    statements, actors = ctx.frame("statements"), ctx.frame("actors")
    if statements is None or actors is None:
        return []
    kinds = statements["speaker_actor_id"].map(actors.set_index("actor_id")["actor_type"].pipe(lambda s: s[~s.index.duplicated()]))
    bad = (statements["speaker_actor_id"] != "") & kinds.notna() & (kinds != "person")
    return ctx.fail_rows("statements", bad, "speaker-is-person",
                         "the speaker must be a person (or speaker_kind 'unnamed_source'); this actor's type is in value",
                         column="speaker_actor_id", values=kinds)


def check_dates(ctx: Context) -> list[Failure]:
    from edtf import parse_edtf  # the maintained EDTF parser; imported only when validating
    from edtf.parser.edtf_exceptions import EDTFParseException

    from ..edtf_bounds import edtf_bounds

    failures = []
    for name, column in (("events", "date"), ("statements", "date"), ("documents", "published")):
        frame = ctx.frame(name)
        if frame is None:
            continue
        values = frame[column]
        def valid(v: str) -> bool:
            if v == "":
                return True
            try:
                parse_edtf(v)
                return True
            except EDTFParseException:
                return False
            except Exception:  # edtf 5.0.2 raises AttributeError/TypeError on some inputs ('2024-1X'): invalid to us
                return False
        unique_ok = {v: valid(v) for v in values.unique()}
        bad = ~values.map(unique_ok).astype(bool)
        failures += ctx.fail_rows(name, bad, "edtf", "not a valid EDTF date", column=column)
        lower, upper = edtf_bounds(values.where(~bad & (values != "")))
        reversed_ = lower.notna() & upper.notna() & (lower > upper)
        failures += ctx.fail_rows(name, reversed_, "edtf-bounds", "the date's lower bound is after its upper bound", column=column)
    return failures


def coverage(ctx: Context) -> pd.DataFrame:
    """One row per sentence: its id, whether it carries content, and the event/statement/claim ids citing it."""
    sentences = ctx.frame("sentences")
    if sentences is None:
        return pd.DataFrame(columns=["sentence_id", "document_id", "carries_content", "quote", "cited_by"])
    spans = []
    for name in CITING:
        frame = ctx.frame(name)
        if frame is not None:
            spans.append(pd.DataFrame({"id": frame[ctx.raw.id_column(name)], "document_id": frame["document_id"],
                                       "start": _ints(frame["start"]), "end": _ints(frame["end"])}))
    cites = pd.concat(spans, ignore_index=True) if spans else pd.DataFrame(columns=["id", "document_id", "start", "end"])
    s_start, s_end = _ints(sentences["start"]), _ints(sentences["end"])
    # Interval overlap per document via a merge on document id: vectorised, no per-row loop.
    pairs = (sentences[["document_id"]].assign(s_start=s_start, s_end=s_end).reset_index()
             .merge(cites, on="document_id"))
    pairs = pairs[(pairs["start"] < pairs["s_end"]) & (pairs["end"] > pairs["s_start"])]
    cited = pairs.groupby("index")["id"].agg(lambda ids: " ".join(ids))
    return pd.DataFrame({"sentence_id": sentences["sentence_id"], "document_id": sentences["document_id"],
                         "carries_content": sentences["carries_content"], "quote": sentences["quote"],
                         "cited_by": cited.reindex(sentences.index).fillna("")})


def check_coverage(ctx: Context) -> list[Failure]:
    table = coverage(ctx)
    bad = (table["carries_content"] == "true") & (table["cited_by"] == "")
    return ctx.fail_rows("sentences", bad, "coverage", "no event, statement or claim cites this sentence", column="quote")


CHECKS: list[tuple[str, str, Callable[[Context], list[Failure]]]] = [
    ("readable", "every table file exists, is UTF-8 without BOM, LF line endings, a header equal to the schema's fields", check_readable),
    ("seeds", "every document's seed file is inside the package and matches its sha256, bytes and length", check_seeds),
    ("foreign-keys", "every foreign key resolves (kordata's own check, beside frictionless')", check_foreign_keys),
    ("spans", "every span's quote equals the document text from start to end (code points)", check_spans),
    ("quoted-parts", "cues, contents and hedges are verbatim in their span or sentence; figures appear in their quote", check_quoted_parts),
    ("mention-actors", "evidence mentions refer to the same actor as the row they support", check_mention_agreement),
    ("actors-mentioned", "every actor is anchored by at least one mention", check_actor_mentioned),
    ("speakers", "every named speaker is a person", check_speakers),
    ("dates", "dates are valid EDTF with ordered bounds", check_dates),
    ("coverage", "every sentence that carries content is cited by an event, statement or claim", check_coverage),
]


def run(package: Package, raw: RawTables) -> list[CheckResult]:
    ctx = Context(package, raw)
    results = []
    for name, description, check in CHECKS:
        started = time.perf_counter()
        failures = check(ctx)
        results.append(CheckResult(3, name, description, failures, time.perf_counter() - started))
    return results

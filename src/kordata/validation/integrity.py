"""Layer 3: meaning and provenance, checked against the text, the other tables, the schemas and
kordata's references (what no Table Schema can express).

The checks are registered in ``CHECKS`` (this module: text anchoring and coverage),
kordata.validation.text_checks (what the text says), kordata.validation.reference_checks
(codes and links against references and schemas), kordata.validation.event_checks (the event
domain) and kordata.validation.release_check (released versions); ``run`` runs them all.

Every check is ``fn(ctx) -> list[Failure]``. The Context API they share (stable; new members are
added, none removed):

- ``ctx.package``: the Package; ``ctx.raw``: the RawTables;
- ``ctx.frame(name)``: the raw text frame of a table (every cell a string, '' when empty; index =
  row number - 2), or None when the table could not be read; ``ctx.table(name)``: the same, for a
  table the caller knows was read. Read columns as ``frame[column]``;
- ``ctx.texts``: document id -> seed text; ``ctx.codepoints(document_id)``: that text as an array;
- ``ctx.ints(name, column)``: a column of offsets as int64, -1 where a cell is not a canonical
  non-negative integer;
- ``ctx.fail(name, mask, rule, message, column="", values=None)``: one Failure per row where the
  positional ``mask`` is true, naming table, row, row id, column, rule and value;
- ``ctx.has_column(name, column)``: whether the table's schema has that column (a check that needs
  a missing column reports it with ``ctx.missing_column`` instead of raising KeyError).

All checks are column-wise (numpy, pandas, pyarrow); Python loops run only over documents,
distinct values, or rows already found to fail. Spans are compared as arrays of code points:
each document text becomes a UTF-32 array, each table's quotes one concatenated array, and
text[start:end] == quote is checked for all rows at once, in chunks.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from ..domain import CITING_TABLES
from ..errors import KordataError
from ..fileio import read_regular
from ..package import Package
from .convert import failures_at, isin, lookup, non_negative_ints, utf8_slice
from .raw import RawTables
from .report import CheckResult, Failure

CHUNK_CODE_POINTS = 4_000_000  # quote code points compared per step (bounds the memory of the comparison)
MAX_SEED_BYTES = 2_000_000_000
_STR = np.dtypes.StringDType()


class Context:
    """What the checks share: the package, raw frames and the seed texts by document id."""

    def __init__(self, package: Package, raw: RawTables):
        self.package, self.raw = package, raw
        self.texts: dict[str, str] = {}
        self._codepoints: dict[str, np.ndarray] = {}
        self._ints: dict[tuple[str, str], np.ndarray] = {}
        self.seed_failures: list[Failure] = []
        documents = raw.frames.get("documents")
        if documents is None or not {"document_id", "path"} <= set(documents.columns):
            return
        for index, row in documents.iterrows():  # one row per document: a handful, not per data row
            where = dict(row=int(index) + 2, row_id=row["document_id"])
            try:
                data = read_regular(package.file(row["path"], f"documents row {int(index) + 2}"), "seed file", MAX_SEED_BYTES)
            except KordataError as exc:
                self.seed_failures.append(Failure("documents", "seed-file", str(exc), column="path", value=row["path"], **where))
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                self.seed_failures.append(
                    Failure("documents", "seed-encoding", "seed file is not UTF-8", column="path", value=row["path"], **where)
                )
                continue
            self.texts[row["document_id"]] = text
            for column, actual in (("sha256", hashlib.sha256(data).hexdigest()), ("bytes", str(len(data))), ("length", str(len(text)))):
                if column in documents.columns and row[column] != actual:
                    self.seed_failures.append(
                        Failure(
                            "documents",
                            f"seed-{column}",
                            f"does not match the seed file ({actual})",
                            column=column,
                            value=row[column],
                            **where,
                        )
                    )

    def codepoints(self, document_id: str) -> np.ndarray:
        """The text as an array with one element per code point: uint8 for ASCII text (4× smaller),
        else uint32 (UTF-32)."""
        if document_id not in self._codepoints:
            text = self.texts[document_id]
            self._codepoints[document_id] = (
                np.frombuffer(text.encode("ascii"), dtype=np.uint8)
                if text.isascii()
                else np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
            )
        return self._codepoints[document_id]

    def frame(self, name: str) -> pd.DataFrame | None:
        """The raw frame of a table, or None when it could not be read (layer 1 reports why)."""
        return self.raw.frames.get(name)

    def table(self, name: str) -> pd.DataFrame:
        """The raw frame of a table the caller knows was read."""
        frame = self.raw.frames.get(name)
        if frame is None:
            raise LookupError(f"table {name!r} was not read")
        return frame

    def ints(self, name: str, column: str) -> np.ndarray:
        """A column of offsets as int64, -1 where a cell is not a non-negative integer (converted once)."""
        key = (name, column)
        if key not in self._ints:
            self._ints[key] = non_negative_ints(self.table(name)[column])
        return self._ints[key]

    def anchored(self) -> Iterator[tuple[str, pd.DataFrame, np.ndarray, np.ndarray]]:
        """(table, frame, start, end) for each text-anchored table the package has (offsets as in ``ints``)."""
        for name in self.package.anchored_tables:
            frame = self.frame(name)
            if frame is not None:
                yield name, frame, self.ints(name, "start"), self.ints(name, "end")

    def fail(self, name: str, mask, rule: str, message: str, column: str = "", values: pd.Series | None = None) -> list[Failure]:
        """One Failure per row where the positional ``mask`` is true."""
        frame = self.table(name)
        flags = np.asarray(mask.fillna(False) if isinstance(mask, pd.Series) else mask, dtype=bool)
        return failures_at(frame, flags, name, self.raw.id_column(name), column, rule, message, values)

    def fields(self, name: str) -> list[dict]:
        """The fields of a table's schema ([] when the schema is unusable: the package check reports it)."""
        try:
            return self.package.fields(name)
        except KordataError:
            return []

    def has_column(self, name: str, column: str) -> bool:
        """Whether the table's schema has this column."""
        try:
            return any(f["name"] == column for f in self.package.fields(name))
        except KordataError:
            return False

    def missing_column(self, name: str, column: str, check: str) -> list[Failure]:
        """The failure of a check that needs a column the schema does not have (never a KeyError)."""
        return [Failure(name, check, f"cannot be checked: the schema of {name} has no column {column!r}", column=column)]

    def frames_with(self, name: str, *columns: str) -> pd.DataFrame | None:
        """The frame when it was read and has every column (else None: layer 1 or the schema reports why)."""
        frame = self.frame(name)
        return frame if frame is not None and all(self.has_column(name, c) for c in columns) else None


def _strings(series: pd.Series) -> np.ndarray:
    return np.asarray(series.to_numpy(dtype=object), dtype=_STR)


def _contains(wholes: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """Element-wise: parts[i] occurs in wholes[i] (numpy's vectorised string find)."""
    return np.strings.find(wholes, parts) >= 0


def check_seeds(ctx: Context) -> list[Failure]:
    return list(ctx.seed_failures)


def _quotes_match(cp: np.ndarray, starts: np.ndarray, lengths: np.ndarray, quotes: pd.Series) -> np.ndarray:
    """For rows whose quote length equals end - start: does the text at start..start+len equal the quote?"""
    result = np.zeros(len(starts), dtype=bool)
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    first = 0
    while first < len(starts):
        last = int(np.searchsorted(bounds, bounds[first] + CHUNK_CODE_POINTS, side="right")) - 1
        last = max(last, first + 1)
        utf8 = utf8_slice(quotes, first, last)
        if cp.dtype == np.uint8 and utf8.isascii():  # ASCII text and quotes: bytes are code points
            q = np.frombuffer(utf8, dtype=np.uint8)
        else:
            q = np.frombuffer(utf8.decode("utf-8").encode("utf-32-le"), dtype=np.uint32)
        lens = lengths[first:last]
        offsets = bounds[first:last] - bounds[first]
        positions = np.repeat((starts[first:last] - offsets).astype(np.int64), lens) + np.arange(len(q), dtype=np.int64)
        equal = cp[positions] == q
        result[first:last] = np.add.reduceat(~equal, offsets) == 0 if len(q) else True
        first = last
    return result


def check_spans(ctx: Context) -> list[Failure]:
    failures = []
    for name, frame, start, end in ctx.anchored():
        docs = frame["document_id"]
        qlen = frame["quote"].astype("string").str.len().fillna(-1).to_numpy(dtype=np.int64)
        known = isin(docs, list(ctx.texts)).to_numpy()
        lengths = lookup(docs, pd.Series(list(ctx.texts), dtype="str"), pd.Series([len(t) for t in ctx.texts.values()], dtype="int64"))
        lengths = lengths.fillna(-1).to_numpy(dtype=np.int64)
        for column, offsets in (("start", start), ("end", end)):  # every row's span is checked: an unusable offset fails
            failures += ctx.fail(
                name,
                offsets < 0,
                "span-offset",
                "not a code point offset written as kordata writes it (digits, no sign, no leading zero)",
                column=column,
            )
        failures += ctx.fail(
            name,
            ~known & (docs != "").to_numpy(),
            "span-document",
            "the span cannot be checked: no text for this document",
            column="document_id",
        )
        usable = known & (start >= 0) & (end >= 0)
        inside = usable & (start < end) & (end <= lengths)
        failures += ctx.fail(name, usable & ~inside, "span-bounds", "start and end do not lie inside the document text", column="end")
        same_length = inside & (qlen == end - start)
        matches = np.zeros(len(frame), dtype=bool)
        for doc in pd.unique(docs[same_length]):
            rows = np.flatnonzero(same_length & (docs == doc).to_numpy())
            order = rows  # rows keep file order; positions are computed per row
            matches[order] = _quotes_match(ctx.codepoints(doc), start[order], qlen[order], frame["quote"].take(order))
        bad = inside & ~matches
        if bad.any():
            actual = pd.Series("", index=frame.index, dtype=object)
            for i in np.flatnonzero(bad):  # only failing rows: show the text that is really there
                actual.iat[i] = ctx.texts[docs.iat[i]][start[i] : end[i]]
            failures += ctx.fail(
                name,
                bad,
                "span-quote",
                "quote differs from the document text at start:end (value: the text there)",
                column="quote",
                values=actual,
            )
    return failures


def _sentence_index(ctx: Context, docs: pd.Series, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row number (into sentences) of the sentence containing each position, and a found-mask."""
    sentences = ctx.frame("sentences")
    out = np.full(len(positions), -1, dtype=np.int64)
    if sentences is None:
        return out, out >= 0
    s_start, s_end, s_doc = ctx.ints("sentences", "start"), ctx.ints("sentences", "end"), sentences["document_id"].to_numpy()
    for doc in pd.unique(docs):
        mine = np.flatnonzero(s_doc == doc)
        order = mine[np.argsort(s_start[mine], kind="stable")]
        rows = np.flatnonzero((docs == doc).to_numpy())
        if not len(order):  # a document with no sentences (or an unknown document id)
            continue
        k = np.searchsorted(s_start[order], positions[rows], side="right") - 1
        valid = k >= 0
        candidate = np.where(valid, order[np.clip(k, 0, None)], -1)
        inside = valid & (positions[rows] < s_end[np.clip(candidate, 0, None)])
        out[rows] = np.where(inside, candidate, -1)
    return out, out >= 0


def check_quoted_parts(ctx: Context) -> list[Failure]:
    failures = []
    statements = ctx.frame("statements")
    if statements is not None:
        quotes = _strings(statements["quote"])
        for column in ("cue", "content"):
            present = (statements[column] != "").to_numpy()
            bad = present & ~_contains(quotes, _strings(statements[column]))
            failures += ctx.fail("statements", bad, f"{column}-in-quote", f"{column} does not occur in the quote", column=column)
        key = statements["document_id"] + "\x1f" + statements["reporting_cue"]
        cue_found = {
            k: (c == "" or c in ctx.texts.get(d, c))
            for k, d, c in zip(  # distinct (document, cue) pairs only
                *[pd.unique(x) for x in [key]],
                *[statements.loc[~key.duplicated(), col] for col in ("document_id", "reporting_cue")],
                strict=False,
            )
        }
        failures += ctx.fail(
            "statements",
            ~isin(key, [k for k, ok in cue_found.items() if ok]),
            "reporting-cue-in-text",
            "reporting_cue does not occur in the document",
            column="reporting_cue",
        )
    sentences = ctx.frame("sentences")
    sentence_text = _strings(sentences["quote"]) if sentences is not None else np.array([], dtype=_STR)
    for name, column in (("events", "hedge"), ("claims", "hedge_cues"), ("figures", "approximation_cue")):
        frame = ctx.frame(name)
        if frame is None or not (frame[column] != "").any():
            continue
        pieces = frame[column].str.split(" | ", regex=False).explode().str.strip()
        pieces = pieces[pieces != ""]
        rows = pieces.index.to_numpy()
        start, end = ctx.ints(name, "start"), ctx.ints(name, "end")
        ok = np.zeros(len(pieces), dtype=bool)
        for position in (start, np.maximum(end - 1, 0)):
            k, found = _sentence_index(ctx, frame["document_id"], position)
            k, found = k[rows], found[rows]
            where = np.flatnonzero(found)
            ok[where] |= _contains(sentence_text[k[where]], _strings(pieces.iloc[where]))
        bad_rows = np.unique(rows[~ok])
        mask = np.isin(np.arange(len(frame)), bad_rows)
        failures += ctx.fail(name, mask, "hedge-in-text", f"{column} is not verbatim in the sentence of the span", column=column)
    return failures


def check_mention_agreement(ctx: Context) -> list[Failure]:
    failures: list[Failure] = []
    mentions = ctx.frame("mentions")
    if mentions is None:
        return failures
    for name, mention_col, actor_col in (
        ("event_participants", "mention_id", "actor_id"),
        ("statements", "speaker_mention_id", "speaker_actor_id"),
        ("actors", "title_mention_id", "actor_id"),
    ):
        frame = ctx.frame(name)
        if frame is None:
            continue
        evidence = lookup(frame[mention_col], mentions["mention_id"], mentions["actor_id"])
        bad = (frame[mention_col] != "") & evidence.notna() & (evidence != frame[actor_col])
        failures += ctx.fail(
            name,
            bad,
            "mention-actor",
            f"the mention in {mention_col} refers to another actor (value: that actor)",
            column=mention_col,
            values=evidence,
        )
    return failures


def check_actor_mentioned(ctx: Context) -> list[Failure]:
    actors, mentions = ctx.frame("actors"), ctx.frame("mentions")
    if actors is None or mentions is None:
        return []
    return ctx.fail(
        "actors",
        ~isin(actors["actor_id"], pd.unique(mentions["actor_id"])),
        "actor-mentioned",
        "no mention anchors this actor in any text",
        column="actor_id",
    )


def check_speakers(ctx: Context) -> list[Failure]:
    statements, actors = ctx.frame("statements"), ctx.frame("actors")
    if statements is None or actors is None:
        return []
    kinds = lookup(statements["speaker_actor_id"], actors["actor_id"], actors["actor_type"])
    bad = (statements["speaker_actor_id"] != "") & kinds.notna() & (kinds != "person")
    return ctx.fail(
        "statements",
        bad,
        "speaker-is-person",
        "the speaker must be a person (or speaker_kind 'unnamed_source'); value: this actor's type",
        column="speaker_actor_id",
        values=kinds,
    )


# Calendar dates of EDTF levels 0-1 without unspecified digits: YYYY, YYYY-MM or YYYY-MM-DD with
# an optional qualifier. These are checked here (a real calendar check by pandas) because the
# edtf library's pyparsing grammar costs ~20 ms per value; every other form goes to the library.
_SIMPLE_EDTF = r"^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?[?~%]?$"


def _simple_edtf_valid(value: str) -> bool | None:
    """True/False for the simple forms above; None when the value needs the full EDTF grammar."""
    import re

    match = re.match(_SIMPLE_EDTF, value)
    if not match:
        return None
    if match.group(5) is None:
        return True
    return not pd.isna(pd.to_datetime(value.rstrip("?~%"), format="%Y-%m-%d", errors="coerce"))


def _edtf_valid(value: str) -> bool:
    if value == "":
        return True
    simple = _simple_edtf_valid(value)
    if simple is not None:
        return simple
    from edtf import parse_edtf  # the maintained EDTF parser; imported only when a value needs it
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parse_edtf(value)
    except EDTFParseException:
        return False
    except Exception:  # edtf 5.0.2 raises AttributeError/TypeError on some inputs ('2024-1X'): invalid to us
        return False
    # the library checks syntax only: every date in the value, interval endpoints included, must exist
    return all(_calendar_ok(part) for part in value.split("/"))


_EDTF_DATE = r"^(?P<y>[0-9X]{4})(?:-(?P<m>[0-9X]{2}))?(?:-(?P<d>[0-9X]{2}))?$"


def _calendar_ok(part: str) -> bool:
    """A date of an EDTF value (qualifiers removed) names a real calendar day, month or season:
    no 29 February 2023, no 31 April, no month 13; with an unspecified year, the month's longest length."""
    import calendar
    import re

    match = re.match(_EDTF_DATE, re.sub(r"[?~%]", "", part))
    if part in ("", "..") or not match:
        return True  # open or unknown ends, and forms (seasons with qualifiers, long years) the library vouches for
    year, month, day = match["y"], match["m"], match["d"]
    if month is None or not month.isdigit():
        return day is None or not day.isdigit() or 1 <= int(day) <= 31
    m = int(month)
    if day is None:
        return 1 <= m <= 12 or 21 <= m <= 41  # months, and EDTF's seasons and quarters
    if not 1 <= m <= 12:
        return False
    if not day.isdigit():
        return True
    longest = calendar.monthrange(int(year), m)[1] if year.isdigit() else (29 if m == 2 else calendar.monthrange(2001, m)[1])
    return 1 <= int(day) <= longest


def _coverage_hits(ctx: Context, with_ids: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(sentence row, citing id) for every overlap of an event, statement or claim span with a sentence;
    without ids (an empty array) when only the sentence rows are needed."""
    sentences = ctx.table("sentences")
    s_start, s_end = ctx.ints("sentences", "start"), ctx.ints("sentences", "end")
    s_doc = sentences["document_id"].to_numpy()
    hits_sentence, hits_id = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=object)]
    for name in CITING_TABLES:
        frame = ctx.frame(name)
        if frame is None:
            continue
        start, end = ctx.ints(name, "start"), ctx.ints(name, "end")
        ids = frame[ctx.raw.id_column(name)].to_numpy() if with_ids else np.zeros(len(frame), dtype=object)
        docs = frame["document_id"].to_numpy()
        for doc in pd.unique(docs):
            mine = np.flatnonzero(s_doc == doc)
            if not len(mine):
                continue
            order = mine[np.argsort(s_start[mine], kind="stable")]
            rows = np.flatnonzero((docs == doc) & (start >= 0) & (end > start))
            # sentences overlapping [start, end): those with s_end > start and s_start < end
            lo = np.searchsorted(np.maximum.accumulate(s_end[order]), start[rows], side="right")
            hi = np.searchsorted(s_start[order], end[rows], side="left")
            count = np.clip(hi - lo, 0, None)
            offsets = np.repeat(lo - np.concatenate([[0], np.cumsum(count)[:-1]]), count) + np.arange(count.sum())
            hits_sentence.append(order[offsets])
            if with_ids:
                hits_id.append(np.repeat(ids[rows], count))
    return np.concatenate(hits_sentence), np.concatenate(hits_id)


def coverage(ctx: Context) -> pd.DataFrame:
    """One row per sentence: id, document, whether it carries content, quote, and the ids of the
    events, statements and claims whose spans overlap it (space-separated)."""
    sentences = ctx.frame("sentences")
    if sentences is None:
        return pd.DataFrame(columns=["sentence_id", "document_id", "carries_content", "quote", "cited_by"])
    rows, ids = _coverage_hits(ctx)
    cited = pd.DataFrame({"sentence": rows, "id": ids}).groupby("sentence")["id"].agg(" ".join)
    cited_by = pd.Series(cited.reindex(np.arange(len(sentences))).fillna("").to_numpy(), index=sentences.index)
    return pd.DataFrame(
        {
            "sentence_id": sentences["sentence_id"],
            "document_id": sentences["document_id"],
            "carries_content": sentences["carries_content"],
            "quote": sentences["quote"],
            "cited_by": cited_by,
        }
    )


def check_coverage(ctx: Context) -> list[Failure]:
    sentences = ctx.frame("sentences")
    if sentences is None:
        return []
    rows, _ = _coverage_hits(ctx, with_ids=False)
    cited = np.bincount(rows, minlength=len(sentences)) > 0
    bad = (sentences["carries_content"] == "true").to_numpy() & ~cited
    return ctx.fail("sentences", bad, "coverage", "no event, statement or claim cites this sentence", column="quote")


Check = tuple[str, str, Callable[[Context], list[Failure]]]

CHECKS: list[Check] = [
    ("seeds", "every document's seed file is inside the package and matches its sha256, bytes and length", check_seeds),
    ("spans", "every row's span is canonical offsets inside its document, and its quote equals the text there (code points)", check_spans),
    ("quoted-parts", "cues, contents and hedges are verbatim in their span or sentence", check_quoted_parts),
    ("mention-actors", "evidence mentions refer to the same actor as the row they support", check_mention_agreement),
    ("actors-mentioned", "every actor is anchored by at least one mention", check_actor_mentioned),
    ("speakers", "every named speaker is a person", check_speakers),
    ("coverage", "every sentence that carries content is cited by an event, statement or claim", check_coverage),
]


def all_checks() -> list[Check]:
    """Every layer-3 check, in the order they run: this module's, then what the text says, references,
    the event domain (kordata.validation.event_checks)."""
    from . import copy_checks, event_checks, locality_checks, reference_checks, sanity_checks, text_checks

    checks = [*CHECKS, *text_checks.CHECKS, *reference_checks.CHECKS, *event_checks.CHECKS, *locality_checks.CHECKS]
    return [*checks, *sanity_checks.CHECKS, *copy_checks.CHECKS]


def run(package: Package, raw: RawTables, reference=None) -> list[CheckResult]:
    from .release_check import release_check

    ctx = Context(package, raw)
    results = []
    for name, description, check in all_checks():
        started = time.perf_counter()
        try:
            failures = check(ctx)
        except (LookupError, KordataError) as exc:  # a table, column or schema the package lacks: a failure, not a crash
            failures = [Failure("datapackage.json", name, f"cannot be checked: {exc}")]
        results.append(CheckResult(3, name, description, failures, time.perf_counter() - started))
    started = time.perf_counter()
    results.append(release_check(package, raw, reference))
    results[-1].seconds = time.perf_counter() - started
    return results

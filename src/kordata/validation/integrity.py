"""Layer 3: cross-table and provenance checks that no Table Schema can express.

All checks are column-wise (numpy, pandas, pyarrow); Python loops run only over documents,
distinct values, or rows already found to fail. Spans are compared as arrays of code points:
each document text becomes a UTF-32 array, each table's quotes one concatenated array, and
text[start:end] == quote is checked for all rows at once, in chunks.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..domain import CITING_TABLES
from ..errors import KordataError
from ..package import Package
from .convert import failures_at, isin, lookup, non_negative_ints, utf8_slice
from .raw import RawTables
from .report import CheckResult, Failure

CHUNK_CODE_POINTS = 4_000_000  # quote code points compared per step (bounds the memory of the comparison)
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
        if documents is None:
            return
        for index, row in documents.iterrows():  # one row per document: a handful, not per data row
            where = dict(row=index + 2, row_id=row["document_id"])
            try:
                data = package.file(row["path"], f"documents row {index + 2}").read_bytes()
            except (KordataError, OSError) as exc:
                message = str(exc) if isinstance(exc, KordataError) else f"cannot read seed file: {exc.strerror}"
                self.seed_failures.append(Failure("documents", "seed-file", message, column="path", value=row["path"], **where))
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
                if row[column] != actual:
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

    def fail(self, name: str, mask, rule: str, message: str, column: str = "", values: pd.Series | None = None) -> list[Failure]:
        frame = self.table(name)
        mask = pd.Series(np.asarray(mask, dtype=bool), index=frame.index) if not isinstance(mask, pd.Series) else mask
        return failures_at(frame, mask, name, self.raw.id_column(name), column, rule, message, values)


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
    for name in ctx.package.anchored_tables:
        frame = ctx.frame(name)
        if frame is None:
            continue
        start, end = ctx.ints(name, "start"), ctx.ints(name, "end")
        docs = frame["document_id"]
        qlen = frame["quote"].astype("string").str.len().fillna(-1).to_numpy(dtype=np.int64)
        known = isin(docs, list(ctx.texts)).to_numpy()
        lengths = lookup(docs, pd.Series(list(ctx.texts), dtype="str"), pd.Series([len(t) for t in ctx.texts.values()], dtype="int64"))
        lengths = lengths.fillna(-1).to_numpy(dtype=np.int64)
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
    figures = ctx.frame("figures")
    if figures is not None:
        value = pd.to_numeric(figures["value"].where(figures["value"].str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)")), errors="coerce")
        whole = value.notna() & (value == value.round())
        as_text = pd.Series("", index=figures.index, dtype=object)
        as_text[whole] = value[whole].astype("int64").astype(str)
        as_text[value.notna() & ~whole] = value[value.notna() & ~whole].astype(str)
        digits = figures["quote"].str.replace(",", "", regex=False)
        bad = value.notna().to_numpy() & ~_contains(_strings(digits), _strings(as_text))
        failures += ctx.fail("figures", bad, "value-in-quote", "the number does not appear in the quote", column="value")
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
        return True
    except EDTFParseException:
        return False
    except Exception:  # edtf 5.0.2 raises AttributeError/TypeError on some inputs ('2024-1X'): invalid to us
        return False


def check_dates(ctx: Context) -> list[Failure]:
    from ..dates import edtf_bounds

    failures = []
    for name, column in (("events", "date"), ("statements", "date"), ("documents", "published")):
        frame = ctx.frame(name)
        if frame is None:
            continue
        values = frame[column]
        distinct = pd.Series(pd.unique(values), dtype="str")  # distinct values only: a handful of dates
        valid = distinct[[_edtf_valid(v) for v in distinct]]
        bad = ~isin(values, valid)
        failures += ctx.fail(name, bad, "edtf", "not a valid EDTF date", column=column)
        good = valid[valid != ""]
        lower, upper = edtf_bounds(good)  # bounds of the distinct valid values, then looked up per row
        reversed_ = good[(lower.notna() & upper.notna() & (lower > upper)).to_numpy()]
        failures += ctx.fail(name, isin(values, reversed_), "edtf-bounds", "the date's lower bound is after its upper bound", column=column)
    return failures


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


CHECKS: list[tuple[str, str, Callable[[Context], list[Failure]]]] = [
    ("seeds", "every document's seed file is inside the package and matches its sha256, bytes and length", check_seeds),
    ("spans", "every span's quote equals the document text from start to end (code points)", check_spans),
    ("quoted-parts", "cues, contents and hedges are verbatim in their span or sentence; figures appear in their quote", check_quoted_parts),
    ("mention-actors", "evidence mentions refer to the same actor as the row they support", check_mention_agreement),
    ("actors-mentioned", "every actor is anchored by at least one mention", check_actor_mentioned),
    ("speakers", "every named speaker is a person", check_speakers),
    ("dates", "dates are valid EDTF with ordered bounds", check_dates),
    ("coverage", "every sentence that carries content is cited by an event, statement or claim", check_coverage),
]


def run(package: Package, raw: RawTables) -> list[CheckResult]:
    from .event_checks import CHECKS as EVENT_CHECKS  # the event domain's checks (kordata.validation.event_checks)

    ctx = Context(package, raw)
    results = []
    for name, description, check in CHECKS[:-1] + EVENT_CHECKS + CHECKS[-1:]:  # coverage stays last
        started = time.perf_counter()
        failures = check(ctx)
        results.append(CheckResult(3, name, description, failures, time.perf_counter() - started))
    return results

"""Layer 3: a row that points to another row shares text with it.

The article says who said what, which figure belongs to which event, what a relation joins, in the
words around them: a link to a row whose evidence lies elsewhere in the article is, unless the row
says why, a link the text does not make. Two rows share text when their spans, each widened to the
whole sentences it touches (kordata's sentence rows), overlap: the same sentence, or overlapping
spans. A link may leave its sentence only where the linking row says why in a note field: the
field made for it where there is one (``claims.statement_note``, ``event_relations.basis_note``,
``date_note``), else the row's ``notes`` (the shipped rows that refer across sentences, a headline
claim about an event the body tells, a pronoun whose antecedent is in the previous sentence, say so
there). Strict, with no note to exempt: a statement's speaker mention. The event a
``concerns`` relation is about is referred to, not told, so only its subject must share text.
Source links point outside the article: not checked.

Also: ``date_text`` occurs inside the row's own span widened to its sentences (a date taken from
another sentence dates another thing), unless ``date_note`` says why: it quotes those words.

Column-wise: spans are widened with numpy searchsorted over each document's sentence starts;
Python loops run only over documents and distinct date texts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .report import Failure

# (table, column pointing to another row, the row it points to, the note fields that may say why not)
LINKS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("statements", "speaker_mention_id", "mentions", ()),
    ("claims", "statement_id", "statements", ("statement_note",)),
    ("claims", "event_id", "events", ("notes",)),
    ("figures", "event_id", "events", ("notes",)),
    ("event_relations", "event_id", "events", ("basis_note", "notes")),
    ("event_relations", "related_event_id", "events", ("basis_note", "notes")),
]
REFERRED = {("event_relations", "related_event_id"): ("relation", "concerns")}  # the object of the relation is referred to
DATED = ["events", "statements"]


def _arrow(ctx, table: str, column: str):
    import pyarrow as pa

    return pa.array(ctx.table(table)[column].array)


def _codes(values, keys) -> np.ndarray:
    """Position of each value in ``keys`` (-1 when absent), with pyarrow: no Python objects per row."""
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(pc.index_in(values, value_set=keys), -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _equal(ctx, table: str, column: str, value: str) -> np.ndarray:
    import pyarrow.compute as pc

    from .convert import flags

    return flags(pc.equal(_arrow(ctx, table, column), value))


def _empty(ctx, table: str, column: str) -> np.ndarray:
    return _equal(ctx, table, column, "")


class _Docs:
    """Documents as integer codes, and each one's sorted sentence starts and ends."""

    def __init__(self, ctx):
        import pyarrow as pa

        self.keys = pa.array(list(ctx.texts), pa.string())
        self.bounds: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        if ctx.frames_with("sentences", "document_id", "start", "end") is None:
            return
        docs = self.codes(ctx, "sentences")
        starts, ends = ctx.ints("sentences", "start"), ctx.ints("sentences", "end")
        for doc in np.unique(docs[docs >= 0]):
            mask = (docs == doc) & (starts >= 0) & (ends >= 0)
            order = np.argsort(starts[mask], kind="stable")
            self.bounds[int(doc)] = (starts[mask][order], ends[mask][order])

    def codes(self, ctx, table: str) -> np.ndarray:
        return _codes(_arrow(ctx, table, "document_id"), self.keys)


def _widened(docs: _Docs, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each span widened to the sentences it touches (unchanged where no sentence row covers it)."""
    lo, hi = starts.copy(), ends.copy()
    for doc, (s_starts, s_ends) in docs.bounds.items():
        rows = (codes == doc) & (starts >= 0) & (ends >= starts)
        if not rows.any() or not len(s_starts):
            continue
        first = np.clip(np.searchsorted(s_starts, starts[rows], side="right") - 1, 0, len(s_starts) - 1)
        last = np.clip(np.searchsorted(s_starts, np.maximum(ends[rows] - 1, starts[rows]), side="right") - 1, 0, len(s_starts) - 1)
        lo[rows] = np.minimum(starts[rows], s_starts[first])
        hi[rows] = np.maximum(ends[rows], s_ends[last])
    return lo, hi


def _spans(ctx, docs: _Docs, table: str):
    """(document codes, starts, ends, widened starts, widened ends) of a table's rows, or None."""
    if ctx.frames_with(table, "document_id", "start", "end") is None:
        return None
    codes, starts, ends = docs.codes(ctx, table), ctx.ints(table, "start"), ctx.ints(table, "end")
    return (codes, starts, ends, *_widened(docs, codes, starts, ends))


PARTICIPANT_LINKS = [("event_participants", "event_id", "events"), ("event_participants", "mention_id", "mentions")]


def _all_targets(ctx) -> dict[tuple[str, str], np.ndarray | None]:
    """For each link (table, column), each row's position in the table it points to (-1: none), or None
    when that table's ids repeat (layer 1 reports it). One hash lookup per target table: the columns
    pointing to it are looked up together."""
    import pyarrow as pa
    import pyarrow.compute as pc

    links = [(t, c, target) for t, c, target, _ in LINKS] + PARTICIPANT_LINKS
    out: dict[tuple[str, str], np.ndarray | None] = {}
    for target in dict.fromkeys(target for _, _, target in links):
        present = [(t, c) for t, c, tg in links if tg == target and ctx.frames_with(t, c) is not None]
        if ctx.frame(target) is None or not present:
            continue
        keys = _arrow(ctx, target, ctx.package.primary_key(target))
        if pc.count_distinct(keys).as_py() != len(keys):
            out.update(dict.fromkeys(present))
            continue
        columns = [_arrow(ctx, t, c).cast(pa.string()) for t, c in present]
        chunks = [chunk for column in columns for chunk in (column.chunks if isinstance(column, pa.ChunkedArray) else [column])]
        codes = _codes(pa.chunked_array(chunks, type=pa.string()), keys)
        offsets = np.cumsum([0, *(len(a) for a in columns)])
        for i, link in enumerate(present):
            out[link] = codes[offsets[i] : offsets[i + 1]]
    return out


def check_locality(ctx) -> list[Failure]:
    docs = _Docs(ctx)
    spans: dict[str, tuple | None] = {}
    targets = _all_targets(ctx)
    failures: list[Failure] = []
    for table, column, target, note in LINKS:
        for name in (table, target):
            if name not in spans:
                spans[name] = _spans(ctx, docs, name)
        ours, theirs = spans[table], spans[target]
        if ctx.frames_with(table, column) is None or ours is None or theirs is None:
            continue
        at = targets.get((table, column))
        if at is None:
            continue
        codes, starts, ends, lo, hi = ours
        t_codes, t_starts, _, t_lo, t_hi = theirs
        linked = (at >= 0) & (starts >= 0) & (ends >= 0)
        j = np.where(linked, at, 0)
        same_doc = linked & (t_codes[j] == codes) & (t_starts[j] >= 0)
        apart = same_doc & ~((lo < t_hi[j]) & (t_lo[j] < hi))
        notes = [n for n in note if ctx.has_column(table, n)]
        for n in notes:
            apart &= _empty(ctx, table, n)
        if (table, column) in REFERRED and ctx.has_column(table, REFERRED[table, column][0]):
            kind_column, kind = REFERRED[table, column]
            apart &= ~_equal(ctx, table, kind_column, kind)
        why = f" and {' or '.join(notes)} does not say why" if notes else ""
        message = f"points to a {target} row whose evidence shares no sentence with this row's span{why}"
        failures += ctx.fail(table, apart, "link-locality", message, column=column)
    failures += _participant_failures(ctx, docs, spans, targets)
    for table in DATED:
        failures += _date_text_failures(ctx, docs, table)
    return failures


def _participant_failures(ctx, docs: _Docs, spans: dict, targets: dict) -> list[Failure]:
    """A participant's evidence mention lies in its event's span widened to its sentences."""
    frame = ctx.frames_with("event_participants", "event_id", "mention_id")
    events, mentions = spans.get("events") or _spans(ctx, docs, "events"), spans.get("mentions") or _spans(ctx, docs, "mentions")
    if frame is None or events is None or mentions is None:
        return []
    e_at, m_at = targets.get(("event_participants", "event_id")), targets.get(("event_participants", "mention_id"))
    if e_at is None or m_at is None:
        return []
    linked = (e_at >= 0) & (m_at >= 0)
    e_codes, e_starts, _, lo, hi = events
    m_codes, m_starts, m_ends, _, _ = mentions
    e, m = np.where(linked, e_at, 0), np.where(linked, m_at, 0)
    valid = linked & (e_starts[e] >= 0) & (m_starts[m] >= 0) & (m_codes[m] == e_codes[e])
    outside = valid & ~((m_starts[m] >= lo[e]) & (m_ends[m] <= hi[e]))
    if ctx.has_column("event_participants", "notes"):
        outside &= _empty(ctx, "event_participants", "notes")
    message = "its evidence mention lies outside the event's span and sentences and notes does not say why"
    return ctx.fail("event_participants", outside, "link-locality", message, column="mention_id")


def _date_text_failures(ctx, docs: _Docs, table: str) -> list[Failure]:
    """``date_text`` occurs in the row's span widened to its sentences."""
    spans = _spans(ctx, docs, table)
    if ctx.frames_with(table, "date_text") is None or spans is None:
        return []
    codes, starts, ends, lo, hi = spans
    dated = ~_empty(ctx, table, "date_text") & (starts >= 0) & (ends >= 0) & (codes >= 0)
    bad = np.zeros(len(codes), dtype=bool)
    if not dated.any():
        return []
    rows_dated = np.flatnonzero(dated)
    words = np.full(len(codes), "", dtype=object)  # Python strings only for the dated rows
    words[rows_dated] = _arrow(ctx, table, "date_text").take(rows_dated).to_numpy(zero_copy_only=False)
    names = docs.keys.to_pylist()
    for doc in np.unique(codes[rows_dated]):
        text = ctx.texts[names[doc]]
        in_doc = rows_dated[codes[rows_dated] == doc]
        for word in pd.unique(words[in_doc]):  # distinct date texts only
            rows = in_doc[words[in_doc] == word]
            found, at = [], text.find(word)
            while at >= 0:
                found.append(at)
                at = text.find(word, at + 1)
            occurrences = np.array(found, dtype=np.int64)
            if not len(occurrences):
                continue  # the verbatim check reports words not in the text
            first = np.searchsorted(occurrences, lo[rows])
            inside = (first < len(occurrences)) & (occurrences[np.minimum(first, len(occurrences) - 1)] + len(word) <= hi[rows])
            bad[rows[~inside]] = True
    if ctx.has_column(table, "date_note"):  # the note says why when it quotes the date words (loops over failing rows only)
        notes = ctx.table(table)["date_note"]
        for i in np.flatnonzero(bad):
            bad[i] = f"'{words[i]}'" not in str(notes.iat[i])
    return ctx.fail(
        table,
        bad,
        "date-text-locality",
        "date_text does not occur in the row's span or its sentences, and date_note does not say why",
        column="date_text",
    )


CHECKS = [
    (
        "link-locality",
        "a row that points to another row shares a sentence with it (or its note field says why); date_text lies in the row's sentences",
        check_locality,
    )
]

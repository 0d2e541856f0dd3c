"""Layer 3: a row that points to another row shares text with it.

The article says who said what, which figure belongs to which event, what a relation joins, in the
words around them: a link to a row whose evidence lies elsewhere in the article is, unless the row
says why, a link the text does not make. Two rows share text when their spans, each widened to the
whole sentences it touches (kordata's sentence rows), overlap: the same sentence, or overlapping
spans. A link may leave its sentence only where the linking row says why in a note field: the
field made for it where there is one (``claims.statement_note``, ``event_relations.basis_note``,
``date_note``), else the row's ``notes`` (the shipped rows that refer across sentences, a headline
claim about an event the body tells, a pronoun whose antecedent is in the previous sentence, say so
there). Strict, with no note to exempt: a statement's speaker mention, a figure's event. The event a
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
    ("figures", "event_id", "events", ()),
    ("event_relations", "event_id", "events", ("basis_note", "notes")),
    ("event_relations", "related_event_id", "events", ("basis_note", "notes")),
]
REFERRED = {("event_relations", "related_event_id"): ("relation", "concerns")}  # the object of the relation is referred to
DATED = ["events", "statements"]


def _sentence_bounds(ctx) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Document id -> (sorted sentence starts, their ends)."""
    sentences = ctx.frames_with("sentences", "document_id", "start", "end")
    if sentences is None:
        return {}
    starts, ends = ctx.ints("sentences", "start"), ctx.ints("sentences", "end")
    out = {}
    docs = sentences["document_id"].to_numpy(dtype=object)
    for doc in pd.unique(docs):
        mask = (docs == doc) & (starts >= 0) & (ends >= 0)
        order = np.argsort(starts[mask], kind="stable")
        out[str(doc)] = (starts[mask][order], ends[mask][order])
    return out


def _widened(ctx, bounds, docs: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each span widened to the sentences it touches (unchanged where no sentence row covers it)."""
    lo, hi = starts.copy(), ends.copy()
    for doc, (s_starts, s_ends) in bounds.items():
        rows = (docs == doc) & (starts >= 0) & (ends >= starts)
        if not rows.any() or not len(s_starts):
            continue
        first = np.clip(np.searchsorted(s_starts, starts[rows], side="right") - 1, 0, len(s_starts) - 1)
        last = np.clip(np.searchsorted(s_starts, np.maximum(ends[rows] - 1, starts[rows]), side="right") - 1, 0, len(s_starts) - 1)
        lo[rows] = np.minimum(starts[rows], s_starts[first])
        hi[rows] = np.maximum(ends[rows], s_ends[last])
    return lo, hi


def _spans(ctx, table: str):
    frame = ctx.frames_with(table, "document_id", "start", "end")
    if frame is None:
        return None
    return frame["document_id"].to_numpy(dtype=object), ctx.ints(table, "start"), ctx.ints(table, "end")


def check_locality(ctx) -> list[Failure]:
    bounds = _sentence_bounds(ctx)
    failures: list[Failure] = []
    for table, column, target, note in LINKS:
        frame, spans, theirs = ctx.frames_with(table, column), _spans(ctx, table), _spans(ctx, target)
        if frame is None or spans is None or theirs is None:
            continue
        docs, starts, ends = spans
        lo, hi = _widened(ctx, bounds, docs, starts, ends)
        t_docs, t_starts, t_ends = theirs
        t_lo, t_hi = _widened(ctx, bounds, t_docs, t_starts, t_ends)
        key = ctx.package.primary_key(target)
        index = pd.Index(ctx.table(target)[key].to_numpy(dtype=object))
        if not index.is_unique:
            continue  # layer 1 reports the duplicated id
        at = index.get_indexer(frame[column].to_numpy(dtype=object))
        linked = (at >= 0) & (starts >= 0) & (ends >= 0)
        at_ok = np.where(linked, at, 0)
        same_doc = linked & (t_docs[at_ok] == docs) & (t_starts[at_ok] >= 0)
        apart = same_doc & ~((lo < t_hi[at_ok]) & (t_lo[at_ok] < hi))
        notes = [n for n in note if ctx.has_column(table, n)]
        for n in notes:
            apart &= ctx.table(table)[n].to_numpy(dtype=object) == ""
        if (table, column) in REFERRED and ctx.has_column(table, REFERRED[table, column][0]):
            kind_column, kind = REFERRED[table, column]
            apart &= ctx.table(table)[kind_column].to_numpy(dtype=object) != kind
        why = f" and {' or '.join(notes)} does not say why" if notes else ""
        message = f"points to a {target} row whose evidence shares no sentence with this row's span{why}"
        failures += ctx.fail(table, apart, "link-locality", message, column=column)
    failures += _participant_failures(ctx, bounds)
    for table in DATED:
        failures += _date_text_failures(ctx, bounds, table)
    return failures


def _participant_failures(ctx, bounds) -> list[Failure]:
    """A participant's evidence mention lies in its event's span widened to its sentences."""
    frame = ctx.frames_with("event_participants", "event_id", "mention_id")
    events, mentions = _spans(ctx, "events"), _spans(ctx, "mentions")
    if frame is None or events is None or mentions is None:
        return []
    e_index = pd.Index(ctx.table("events")[ctx.package.primary_key("events")].to_numpy(dtype=object))
    m_index = pd.Index(ctx.table("mentions")[ctx.package.primary_key("mentions")].to_numpy(dtype=object))
    if not (e_index.is_unique and m_index.is_unique):
        return []
    e_at = e_index.get_indexer(frame["event_id"].to_numpy(dtype=object))
    m_at = m_index.get_indexer(frame["mention_id"].to_numpy(dtype=object))
    linked = (e_at >= 0) & (m_at >= 0)
    e_docs, e_starts, e_ends = events
    lo, hi = _widened(ctx, bounds, e_docs, e_starts, e_ends)
    m_docs, m_starts, m_ends = mentions
    e, m = np.where(linked, e_at, 0), np.where(linked, m_at, 0)
    valid = linked & (e_starts[e] >= 0) & (m_starts[m] >= 0) & (m_docs[m] == e_docs[e])
    outside = valid & ~((m_starts[m] >= lo[e]) & (m_ends[m] <= hi[e]))
    if ctx.has_column("event_participants", "notes"):
        outside &= frame["notes"].to_numpy(dtype=object) == ""
    message = "its evidence mention lies outside the event's span and sentences and notes does not say why"
    return ctx.fail("event_participants", outside, "link-locality", message, column="mention_id")


def _date_text_failures(ctx, bounds, table: str) -> list[Failure]:
    """``date_text`` occurs in the row's span widened to its sentences."""
    frame, spans = ctx.frames_with(table, "date_text"), _spans(ctx, table)
    if frame is None or spans is None:
        return []
    docs, starts, ends = spans
    lo, hi = _widened(ctx, bounds, docs, starts, ends)
    words = frame["date_text"].to_numpy(dtype=object)
    bad = np.zeros(len(frame), dtype=bool)
    dated = (words != "") & (starts >= 0) & (ends >= 0)
    for doc in pd.unique(docs[dated]):
        text = ctx.texts.get(doc)
        if text is None:
            continue
        in_doc = dated & (docs == doc)
        for word in pd.unique(words[in_doc]):  # distinct date texts only
            rows = in_doc & (words == word)
            found, at = [], text.find(word)
            while at >= 0:
                found.append(at)
                at = text.find(word, at + 1)
            occurrences = np.array(found, dtype=np.int64)
            if not len(occurrences):
                continue  # the verbatim check reports words not in the text
            first = np.searchsorted(occurrences, lo[rows])
            inside = (first < len(occurrences)) & (occurrences[np.minimum(first, len(occurrences) - 1)] + len(word) <= hi[rows])
            bad[np.flatnonzero(rows)[~inside]] = True
    if ctx.has_column(table, "date_note"):  # the note says why when it quotes the date words (loops over failing rows only)
        notes = ctx.table(table)["date_note"].to_numpy(dtype=object)
        for i in np.flatnonzero(bad):
            bad[i] = f"'{words[i]}'" not in notes[i]
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

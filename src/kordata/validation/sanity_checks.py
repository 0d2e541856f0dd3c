"""Layer 3: cheap rules on meaning that follow from the text and from other rows.

- approximate-figures: a figure whose quote starts with a hedge word (about, some, nearly, over,
  more than, almost, around, roughly, up to) is approximate, with that word as its cue.
- same-relations: ``same`` joins two tellings of one event, so both rows have one event type and one
  CAMEO code; an ``inferred`` one gives its reason in ``basis_note``, never one saying the article is
  silent (that is ``possibly_same``): a wrong ``same`` makes the exports drop an event. (The issue's
  stricter "never inferred" would fail the shipped rel-deployment-same-as-troops-in-far-east.)
- segmentation: the sentence rows of each document are kordata.segment's segmentation of its text.

Column-wise (pandas string methods, index joins); loops run only over documents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .report import Failure

HEDGES = ("more than", "up to", "about", "some", "nearly", "over", "almost", "around", "roughly")
HEDGE_START = r"^(" + "|".join(h.replace(" ", r"\s+") for h in HEDGES) + r")\b"
SAME = "same"
SILENT = r"does not say|doesn't say|not stated|no evidence|may be|might be|unclear"


def check_approximate_figures(ctx) -> list[Failure]:
    figures = ctx.frames_with("figures", "quote", "approximate", "approximation_cue")
    if figures is None:
        return []
    hedge = figures["quote"].astype(str).str.lower().str.extract(HEDGE_START, expand=False).fillna("")
    hedged = (hedge != "").to_numpy()
    not_approximate = hedged & (figures["approximate"].to_numpy(dtype=object) != "true")
    cue = figures["approximation_cue"].astype(str).str.lower().str.split().str.join(" ").to_numpy(dtype=object)
    wrong_cue = hedged & ~not_approximate & (cue != hedge.str.split().str.join(" ").to_numpy(dtype=object))
    message = "the quote starts with a hedge word ({}): the figure is approximate, with that word as its cue"
    return [
        *ctx.fail("figures", not_approximate, "approximate-hedge", message.format("about, some, nearly, over, ..."), column="approximate"),
        *ctx.fail("figures", wrong_cue, "approximate-hedge", message.format("the cue differs"), column="approximation_cue"),
    ]


def check_same_relations(ctx) -> list[Failure]:
    relations = ctx.frames_with("event_relations", "event_id", "related_event_id", "relation", "basis")
    events = ctx.frames_with("events", "event_type", "cameo_code")
    if relations is None or events is None:
        return []
    index = pd.Index(events[ctx.package.primary_key("events")].to_numpy(dtype=object))
    if not index.is_unique:
        return []  # layer 1 reports the duplicated id
    same = (relations["relation"] == SAME).to_numpy()
    a = index.get_indexer(relations["event_id"].to_numpy(dtype=object))
    b = index.get_indexer(relations["related_event_id"].to_numpy(dtype=object))
    linked = same & (a >= 0) & (b >= 0)
    a, b = np.where(linked, a, 0), np.where(linked, b, 0)
    failures: list[Failure] = []
    for column in ("event_type", "cameo_code"):
        values = events[column].to_numpy(dtype=object)
        differ = linked & (values[a] != values[b])
        failures += ctx.fail("event_relations", differ, "same-relation", f"'same' joins events of different {column}", column="relation")
    inferred = same & (relations["basis"] == "inferred").to_numpy()
    if "basis_note" in relations.columns:  # an inferred 'same' must give its reason, and not one that says the article is silent
        note = relations["basis_note"].astype(str).str.lower()
        inferred &= ((note == "") | note.str.contains(SILENT, regex=True)).to_numpy()
    message = (
        "'same' rests on inference the row does not justify (no basis_note, or one saying the article does not say): use 'possibly_same'"
    )
    return failures + ctx.fail("event_relations", inferred, "same-relation", message, column="basis")


# kordata.segment's rule, for RE2 on all quotes at once: a sentence ends at . ! or ? followed by white
# space and a capital letter or an opening quote, and at every line end.
BOUNDARY_INSIDE = r'[.!?]\s+[A-Z"\x{201C}]|\n'
EDGE_SPACE = r"^\s|\s$"
OPENERS = np.array([ord(c) for c in 'ABCDEFGHIJKLMNOPQRSTUVWXYZ"\u201c'])
SPACES = np.array([ord(c) for c in " \t\r\f\v\n\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u3000"])


WINDOW = 16  # characters looked at after each sentence end; a longer run of white space is looked at in Python


def _ends_at_boundary(points: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Whether each end is where kordata.segment ends a sentence: only white space up to a line end or
    the text's end, or . ! ? then white space then a capital or an opening quote. A small window after
    each end is gathered (rows x WINDOW), never an array as long as the text."""
    n = len(points)
    idx = end[:, None] + np.arange(WINDOW)[None, :]
    inside = idx < n
    window = points[np.minimum(idx, n - 1)]
    space = np.isin(window, SPACES) & inside
    solid = ~space & inside
    has_solid = solid.any(axis=1)
    first = np.argmax(solid, axis=1)
    before_solid = np.arange(WINDOW)[None, :] < np.where(has_solid, first, WINDOW)[:, None]
    newline_first = ((window == 10) & inside & before_solid).any(axis=1)
    to_text_end = ~has_solid & ~inside[:, -1]  # only white space up to the text's end
    line_end = newline_first | to_text_end
    next_char = window[np.arange(len(end)), first]
    sentence_end = np.isin(points[end - 1], [ord("."), ord("!"), ord("?")]) & has_solid & (first > 0) & np.isin(next_char, OPENERS)
    ok = line_end | sentence_end
    for i in np.flatnonzero(~has_solid & inside[:, -1] & ~newline_first):  # a run of white space longer than the window: rare
        rest = "".join(map(chr, points[end[i] : end[i] + 10_000])).lstrip(" \t\r\f\v\u00a0")
        ok[i] = rest == "" or rest.startswith("\n")
    return ok


def check_segmentation(ctx) -> list[Failure]:
    """The sentence rows are kordata.segment's segmentation. Segmenting a long text in Python costs a
    loop per sentence, so the rule is checked column-wise instead: no row holds a boundary inside it or
    white space at its edges, and every row ends at a boundary (a line end, or . ! ? followed by white
    space and a capital or an opening quote). With the tiling check (integrity.check_sentences), that
    is the segmenter's output."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .convert import flags

    frame = ctx.frames_with("sentences", "document_id", "start", "end", "quote")
    if frame is None:
        return []
    quotes = pa.array(frame["quote"].array)
    inside = flags(pc.match_substring_regex(quotes, BOUNDARY_INSIDE)) | flags(pc.match_substring_regex(quotes, EDGE_SPACE))
    docs = frame["document_id"].to_numpy(dtype=object)
    starts, ends = ctx.ints("sentences", "start"), ctx.ints("sentences", "end")
    bad_end = np.zeros(len(frame), dtype=bool)
    for doc in pd.unique(docs):
        if doc not in ctx.texts:
            continue  # the seed check reports a missing text
        points = ctx.codepoints(doc)  # uint8 or uint32: never widened (a long text would cost 8 bytes a character)
        rows = np.flatnonzero((docs == doc) & (starts >= 0) & (ends > starts) & (ends <= len(points)))
        if len(rows):
            bad_end[rows] = ~_ends_at_boundary(points, ends[rows])
    message = "the sentence is not one kordata.segment finds in the text (a boundary inside it, or it ends where no sentence ends)"
    return ctx.fail("sentences", inside | bad_end, "segmentation", message, column="end")


CHECKS = [
    ("approximate-figures", "a figure whose quote starts with a hedge word is approximate, with that cue", check_approximate_figures),
    ("same-relations", "'same' joins events of one type and CAMEO code; an inferred one says why", check_same_relations),
    ("segmentation", "each document's sentence rows are kordata.segment's segmentation of its text", check_segmentation),
]

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


def check_segmentation(ctx) -> list[Failure]:
    from ..segment import sentences as segment

    frame = ctx.frames_with("sentences", "document_id", "start", "end")
    if frame is None:
        return []
    docs = frame["document_id"].to_numpy(dtype=object)
    starts, ends = ctx.ints("sentences", "start"), ctx.ints("sentences", "end")
    bad = np.zeros(len(frame), dtype=bool)
    failures: list[Failure] = []
    for doc in pd.unique(docs):
        text = ctx.texts.get(doc)
        if text is None:
            continue  # the seed check reports a missing text
        expected = pd.MultiIndex.from_tuples(segment(text), names=["start", "end"]) if text.strip() else pd.MultiIndex.from_arrays([[], []])
        rows = docs == doc
        found = pd.MultiIndex.from_arrays([starts[rows], ends[rows]])
        bad[np.flatnonzero(rows)[~found.isin(expected)]] = True
        missing = expected.difference(found)
        for start, end in list(missing)[:5]:
            message = f"{doc}: kordata.segment finds the sentence [{start}, {end}), which no sentence row holds"
            failures.append(Failure("sentences", "segmentation", message, column="start", value=f"{start}-{end}"))
    message = "the sentence is not one kordata.segment finds in the text (boundary moved)"
    return ctx.fail("sentences", bad, "segmentation", message, column="end") + failures


CHECKS = [
    ("approximate-figures", "a figure whose quote starts with a hedge word is approximate, with that cue", check_approximate_figures),
    ("same-relations", "'same' joins events of one type and CAMEO code and is never inferred", check_same_relations),
    ("segmentation", "each document's sentence rows are kordata.segment's segmentation of its text", check_segmentation),
]

"""Write a synthetic kordata package with the shipped schemas, at any number of events.

    python benchmarks/generate.py --events 100000 --out /tmp/kordata-100k [--corrupt]

Tables are consistent and linked like the real ones, and the seed text is long enough that
the provenance checks slice real text: one sentence per event, with the actor's name, the
cue and a figure in it. Row counts per event: 1 sentence, 1 mention, 1 participant, 1 event;
1 claim per 2 events, 1 statement and 1 event relation per 10, 1 figure per 20; 1 source link per event (its
inferred year rests on an outside source, as the real rows' years do);
1,000 actors and one source. --corrupt seeds a
known set of errors (see CORRUPTIONS) so that validators can be compared on what they find.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
ACTORS = 1000
SEED_NAME = "seeds/synthetic.txt"
# kind -> (table, column, description): what --corrupt changes, one row each
CORRUPTIONS = {
    "dangling-actor": ("event_participants", "actor_id"),
    "vocabulary": ("events", "status"),
    "type": ("figures", "value"),
    "required": ("claims", "proposition"),
    "duplicate-id": ("mentions", "mention_id"),
}


def _ids(prefix: str, n: int, step: int = 1) -> pd.Series:
    return prefix + pd.Series(np.arange(0, n, step)).astype(str).str.zfill(7)


def build(n: int) -> tuple[str, dict[str, pd.DataFrame]]:
    j = np.arange(n)
    actor = j % ACTORS
    names = "Actor" + pd.Series(actor).astype(str).str.zfill(4)
    days = pd.Series(j).astype(str)
    counted = j % 20 == 0  # the sentences that give a number: each is recorded in figures (every number the text gives is)
    sentences = pd.Series(np.where(counted, names + " met officials on day " + days + ".", names + " met officials."))
    lengths = sentences.str.len().to_numpy() + 1  # one space between sentences
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    ends = starts + lengths - 1
    text = " ".join(sentences.tolist())
    doc = "doc-9999"
    sen_ids, men_ids, evt_ids = _ids("sen-", n), _ids("men-", n), _ids("evt-", n)
    base = {"document_id": doc}
    tables: dict[str, pd.DataFrame] = {}
    raw = text.encode("utf-8")
    tables["documents"] = pd.DataFrame([{"document_id": doc, "path": SEED_NAME, "sha256": hashlib.sha256(raw).hexdigest(),
                                         "bytes": len(raw), "length": len(text), "language": "en", "title": sentences[0],
                                         "outlet": "", "outlet_status": "not_stated", "author": "", "author_status": "not_stated",
                                         "published": "", "published_status": "not_stated", "cited_sources": "", "sentences": n,
                                         "notes": "synthetic"}])
    tables["sentences"] = pd.DataFrame({"sentence_id": sen_ids, **base, "start": starts, "end": ends, "quote": sentences,
                                        "index": j, "carries_content": "true", "notes": ""})
    actor_ids = "act-" + pd.Series(np.arange(ACTORS)).astype(str).str.zfill(4)
    tables["actors"] = pd.DataFrame({"actor_id": actor_ids, **base, "name": "Actor" + pd.Series(np.arange(ACTORS)).astype(str).str.zfill(4),
                                     "aliases": "",
                                     "actor_type": "person", "country": "KOR", "country_basis": "stated", "country_note": "",
                                     "parent_actor_id": "", "title": "", "title_time": "", "title_mention_id": "", "cameo_code": "KORGOV",
                                     "cameo_note": "", "plover_sector": "GOV", "wikidata_id": "", "wikidata_note": "synthetic",
                                     "description": "A synthetic person.", "notes": ""})
    name_len = names.str.len().to_numpy()
    tables["mentions"] = pd.DataFrame({"mention_id": men_ids, **base, "start": starts, "end": starts + name_len, "quote": names,
                                       "actor_id": actor_ids.to_numpy()[actor], "kind": "name", "notes": ""})
    event_quote = sentences.str[:-1]
    tables["events"] = pd.DataFrame({"event_id": evt_ids, **base, "start": starts, "end": ends - 1, "quote": event_quote,
                                     "summary": "A synthetic meeting.", "event_type": "meeting", "status": "occurred", "hedge": "",
                                     "cameo_code": "040", "cameo_note": "", "plover_type": "CONSULT", "plover_mode": "",
                                     "plover_contexts": "", "plover_note": "", "plover_crosswalk_note": "", "date": "2024-10?", "date_basis": "inferred",
                                     "date_text": "", "date_note": "synthetic", "location": "", "location_country": "",
                                     "location_basis": "unknown", "location_note": "", "notes": ""})
    tables["event_participants"] = pd.DataFrame({"participant_id": _ids("par-", n), **base, "event_id": evt_ids,
                                                 "actor_id": actor_ids.to_numpy()[actor], "role": "organiser", "mention_id": men_ids, "notes": ""})
    s = j[::10]
    tables["statements"] = pd.DataFrame({"statement_id": _ids("stm-", len(s)), **base, "start": starts[s], "end": ends[s],
                                         "quote": sentences[s].to_numpy(), "speaker_kind": "person", "speaker_actor_id": actor_ids.to_numpy()[actor[s]],
                                         "speaker_mention_id": men_ids[s].to_numpy(), "speaker_role": "", "on_behalf_of_actor_id": "",
                                         "quote_type": "indirect", "cue": "met", "content": "officials", "setting_event_id": evt_ids[s].to_numpy(),
                                         "date": "", "date_basis": "unknown", "date_text": "", "date_note": "", "reported_by_actor_id": "",
                                         "reporting_cue": "", "information_source_actor_id": "", "information_source_basis": "",
                                         "information_source_note": "", "notes": ""})
    c = j[::2]
    stmt_of_claim = ("stm-" + pd.Series(c // 10).astype(str).str.zfill(7)).to_numpy()  # the statement of the same 10 events
    tables["claims"] = pd.DataFrame({"claim_id": _ids("clm-", len(c)), **base, "start": starts[c], "end": ends[c] - 1,
                                     "quote": event_quote[c].to_numpy(), "proposition": "A synthetic proposition.", "claimant_kind": "actor",
                                     "claimant_actor_id": actor_ids.to_numpy()[actor[c]], "statement_id": stmt_of_claim,
                                     "statement_note": np.where(c % 10 == 0, "", "synthetic: a claim about the statement of its group"),
                                     "event_id": evt_ids[c].to_numpy(),
                                     "claim_type": "factual", "certainty": "CT+", "hedge_cues": "", "check_worthiness": "CFS", "notes": ""})
    f = j[::20]
    fig_quote = "day " + days[f]
    fig_start = ends[f] - 1 - fig_quote.str.len().to_numpy()
    tables["figures"] = pd.DataFrame({"figure_id": _ids("fig-", len(f)), **base, "start": fig_start, "end": ends[f] - 1,
                                      "quote": fig_quote.to_numpy(), "value": f, "unit": "days", "approximate": "false", "approximation_cue": "",
                                      "counts": "days", "event_id": evt_ids[f].to_numpy(), "claim_id": ("clm-" + pd.Series(f // 2).astype(str).str.zfill(7)).to_numpy(),
                                      "notes": ""})
    r = j[1::10]  # one relation per 10 events: each such event follows the one before it, in its own sentence
    tables["event_relations"] = pd.DataFrame({"relation_id": _ids("rel-", len(r)), **base, "start": starts[r], "end": ends[r] - 1,
                                              "quote": event_quote[r].to_numpy(), "event_id": evt_ids[r].to_numpy(), "relation": "follows",
                                              "related_event_id": evt_ids[r - 1].to_numpy(), "basis": "inferred", "cue": "",
                                              "statement_id": "", "basis_note": "synthetic", "alternative_relation_id": "", "notes": ""})
    tables["sources"] = pd.DataFrame({"source_id": ["src-synthetic"], "url": ["https://example.org/synthetic"], "title": ["Synthetic"],
                                      "publisher": ["kordata benchmarks"], "published": [""], "retrieved": ["2026-11-26"],
                                      "retrieval_note": [""], "summary": ["A synthetic source."], "notes": [""]})
    k = j  # every event's year is inferred, so each links the source it rests on
    tables["source_links"] = pd.DataFrame({"link_id": _ids("lnk-", len(k)), "source_id": "src-synthetic", "relation": "supports",
                                           "document_id": "", "actor_id": "", "event_id": evt_ids[k].to_numpy(), "relation_id": "",
                                           "statement_id": "", "claim_id": "",
                                           "figure_id": "", "field": "date", "note": "synthetic"})
    return text, tables


def corrupt(tables: dict[str, pd.DataFrame]) -> None:
    """One known error of each kind in CORRUPTIONS, in the middle of its table."""
    p = tables["event_participants"]; p.loc[len(p) // 2, "actor_id"] = "act-9999999"
    e = tables["events"]; e.loc[len(e) // 2, "status"] = "happened"
    f = tables["figures"]; f["value"] = f["value"].astype(str); f.loc[len(f) // 2, "value"] = "twelve"
    c = tables["claims"]; c.loc[len(c) // 2, "proposition"] = ""
    m = tables["mentions"]; m.loc[len(m) // 2, "mention_id"] = m.loc[len(m) // 2 - 1, "mention_id"]


def write(out: Path, text: str, tables: dict[str, pd.DataFrame]) -> int:
    if out.exists():
        shutil.rmtree(out)
    (out / "seeds").mkdir(parents=True)
    (out / "data").mkdir()
    shutil.copytree(ROOT / "schemas", out / "schemas")
    (out / SEED_NAME).write_text(text, encoding="utf-8")
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    total = 0
    for resource in descriptor["resources"]:
        columns = [f["name"] for f in json.loads((ROOT / resource["schema"]).read_text())["fields"]]
        path = out / resource["path"]
        tables[resource["name"]][columns].to_csv(path, index=False, lineterminator="\n")
        data = path.read_bytes()
        resource["bytes"], resource["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
        resource.pop("kordata:parquet", None)  # no Parquet copies at scale: the CSVs are what is measured
        total += len(data)
    descriptor["name"], descriptor["title"] = "kordata-synthetic", "Synthetic kordata package for benchmarks"
    descriptor["version"] = "0.0.0+synthetic"  # never a released version: nothing to compare with a release manifest
    (out / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--corrupt", action="store_true")
    args = parser.parse_args(argv)
    text, tables = build(args.events)
    if args.corrupt:
        corrupt(tables)
    size = write(args.out, text, tables)
    print(f"{args.out}: {args.events} events, {sum(len(t) for t in tables.values())} rows, {size / 1e6:.1f} MB of CSV")
    return 0


if __name__ == "__main__":
    sys.exit(main())

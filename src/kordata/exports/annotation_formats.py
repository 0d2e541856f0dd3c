"""The gold annotation layer for annotation tools: W3C Web Annotation JSON-LD and brat standoff."""

from __future__ import annotations

import json
from pathlib import Path

from ..loading import load_all, package

# W3C motivation of each annotation table's rows (oa:describing for any table not listed)
MOTIVATIONS = {"mentions": "identifying", "claims": "assessing"}
CONTEXT_CHARS = 32  # prefix and suffix length of each TextQuoteSelector
URN = "urn:kordata:"


def _body(table: str, row) -> list[dict]:
    if table == "mentions":
        return [
            {"type": "SpecificResource", "source": URN + row.actor_id, "purpose": "identifying"},
            {"type": "TextualBody", "value": str(row.kind), "purpose": "tagging"},
        ]
    text = {
        "events": lambda r: f"{r.event_type}, {r.status}: {r.summary}",
        "statements": lambda r: f"{r.quote_type} quotation; cue: {r.cue}",
        "claims": lambda r: f"{r.claim_type}, certainty {r.certainty}: {r.proposition}",
        "figures": lambda r: f"{r.value:g} {r.unit}",
        "event_relations": lambda r: f"{r.event_id} {r.relation} {r.related_event_id} ({r.basis})",
    }.get(table, lambda r: table)(row)
    return [{"type": "TextualBody", "value": text, "purpose": "describing"}]


def web_annotations(path=None) -> dict:
    """An AnnotationCollection (W3C Web Annotation Data Model) with one Annotation per anchored row:
    its target is the seed text, with a TextQuoteSelector (exact, prefix, suffix) and a
    TextPositionSelector (code points, start inclusive, end exclusive)."""
    pkg, tables = package(path), load_all(path)
    documents = tables["documents"].set_index("document_id")
    texts = {d: pkg.file(documents.at[d, "path"], "seed").read_text(encoding="utf-8") for d in documents.index}
    items = []
    for table in pkg.annotation_tables:
        motivation = MOTIVATIONS.get(table, "describing")
        frame = tables[table]
        key = pkg.primary_key(table)
        for row in frame.itertuples(index=False):
            text, start, end = texts[row.document_id], int(row.start), int(row.end)
            items.append(
                {
                    "id": URN + getattr(row, key),
                    "type": "Annotation",
                    "motivation": motivation,
                    "body": _body(table, row),
                    "target": {
                        "source": URN + row.document_id,
                        "selector": [
                            {
                                "type": "TextQuoteSelector",
                                "exact": row.quote,
                                "prefix": text[max(0, start - CONTEXT_CHARS) : start],
                                "suffix": text[end : end + CONTEXT_CHARS],
                            },
                            {"type": "TextPositionSelector", "start": start, "end": end},
                        ],
                    },
                }
            )
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": URN + "annotations",
        "type": "AnnotationCollection",
        "label": f"kordata {pkg.version} gold annotations",
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
    }


def write_web_annotations(out: Path, path=None) -> list[Path]:
    target = out / "annotations.jsonld"
    target.write_text(json.dumps(web_annotations(path), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [target]


def _label(value: str) -> str:
    return "".join(part.capitalize() for part in str(value).split("_"))


class _BratDocument:
    """The .ann lines of one document: text-bound annotations numbered T1, T2, ... and their notes."""

    def __init__(self, text: str):
        self.text = text
        self.lines: list[str] = []
        self.notes: list[str] = []

    def textbound(self, label: str, start: int, end: int, kordata_id: str) -> str:
        """A text-bound annotation; a span that crosses line breaks is written as brat's discontinuous
        fragments ('0 10;11 20'), one per line, since an .ann line cannot hold a newline."""
        tid = f"T{len(self.notes) + 1}"
        fragments, at = [], start
        for piece in self.text[start:end].split("\n"):
            if piece:
                fragments.append((at, at + len(piece)))
            at += len(piece) + 1
        offsets = ";".join(f"{a} {b}" for a, b in fragments)
        covered = " ".join(self.text[a:b] for a, b in fragments)
        self.lines.append(f"{tid}\t{label} {offsets}\t{covered}")
        self.notes.append(f"#{len(self.notes) + 1}\tAnnotatorNotes {tid}\t{kordata_id}")
        return tid


def brat(path=None) -> dict[str, tuple[str, str]]:
    """document id -> (text, .ann content). Mentions are entities typed by actor type; events are
    brat events whose trigger is the event's span and whose arguments are the participants'
    evidence mentions; statements, claims and figures are text-bound annotations. Every
    annotation carries its kordata id in an AnnotatorNotes line."""
    pkg, t = package(path), load_all(path)
    actor_type = t["actors"].set_index("actor_id")["actor_type"].astype(str)
    out = {}
    for doc in t["documents"].itertuples(index=False):
        text = pkg.file(doc.path, "seed").read_text(encoding="utf-8")
        ann = _BratDocument(text)
        lines, textbound, mention_t = ann.lines, ann.textbound, {}

        for m in t["mentions"][t["mentions"]["document_id"] == doc.document_id].itertuples(index=False):
            mention_t[m.mention_id] = textbound(_label(actor_type[m.actor_id]), int(m.start), int(m.end), m.mention_id)
        participants = t["event_participants"]
        for e_number, e in enumerate(t["events"][t["events"]["document_id"] == doc.document_id].itertuples(index=False), start=1):
            trigger = textbound(_label(e.event_type), int(e.start), int(e.end), e.event_id)
            args: list[str] = []
            seen: dict[str, int] = {}
            for p in participants[participants["event_id"] == e.event_id].itertuples(index=False):
                role = _label(p.role)
                seen[role] = seen.get(role, 0) + 1
                args.append(f"{role}{seen[role] if seen[role] > 1 else ''}:{mention_t[p.mention_id]}")
            lines.append(f"E{e_number}\t{_label(e.event_type)}:{trigger}" + "".join(" " + a for a in args))
        for table in pkg.annotation_tables:
            if table in ("mentions", "events"):  # entities and brat events, above
                continue
            label = _label(table.removesuffix("s"))
            frame = t[table][t[table]["document_id"] == doc.document_id]
            key = pkg.primary_key(table)
            for row in frame.itertuples(index=False):
                textbound(label, int(row.start), int(row.end), getattr(row, key))
        out[doc.document_id] = (text, "\n".join(lines + ann.notes) + "\n")
    return out


def _brat_conf(path=None) -> str:
    pkg = package(path)
    actor_types = [c["value"] for c in next(f for f in pkg.fields("actors") if f["name"] == "actor_type")["categories"]]
    event_types = [c["value"] for c in next(f for f in pkg.fields("events") if f["name"] == "event_type")["categories"]]
    roles = [c["value"] for c in next(f for f in pkg.fields("event_participants") if f["name"] == "role")["categories"]]
    arguments = ", ".join(f"{_label(r)}*:<ENTITY>" for r in roles)
    textbound = [_label(t.removesuffix("s")) for t in pkg.annotation_tables if t not in ("mentions", "events")]
    return (
        "[entities]\n" + "\n".join([_label(a) for a in actor_types] + textbound) + "\n"
        "[relations]\n\n[events]\n" + "\n".join(f"{_label(e)}\t{arguments}" for e in event_types) + "\n[attributes]\n"
    )


def write_brat(out: Path, path=None) -> list[Path]:
    """One .txt (the seed text, unchanged) and .ann per document, plus annotation.conf."""
    written = []
    for doc_id, (text, ann) in brat(path).items():
        for suffix, content in ((".txt", text), (".ann", ann)):
            target = out / f"{doc_id}{suffix}"
            target.write_text(content, encoding="utf-8", newline="")
            written.append(target)
    conf = out / "annotation.conf"
    conf.write_text(_brat_conf(path), encoding="utf-8")
    return [*written, conf]

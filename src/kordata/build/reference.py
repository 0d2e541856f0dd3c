"""Derive kordata's CAMEO reference tables from their upstream files.

Maintainer tool, run once per upstream update (never by tests or CI: the upstream files are not
shipped)::

    python -m kordata.build.reference CAMEO2PLOVER.txt CAMEO.eventcodes.txt CAMEO.goldsteinscale.txt [OUT_DIR]

- ``CAMEO2PLOVER.txt``: ``CAMEO2PLOVER-2021.txt`` of github.com/openeventdata/PLOVER (the official
  CAMEO -> PLOVER conversion table);
- ``CAMEO.eventcodes.txt`` and ``CAMEO.goldsteinscale.txt``: GDELT's lookup files (tab-separated,
  one header line).

It writes ``cameo_events.csv`` (code, name, goldstein) and ``cameo_plover.csv`` (cameo_code,
plover_type, plover_mode, plover_contexts, dropped) into OUT_DIR (default: kordata/reference).
Only the values are taken; every derivation step is listed in kordata/reference/README.md and
below. The parsing is written here because the upstream files are ad hoc text formats that no
library reads.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

from ..fileio import write_many

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
# The PLOVER README's migration table: CAMEO's comment categories have no PLOVER type.
DROPPED_ROOTS = ("01", "02")
# Roots whose section header in the crosswalk names two PLOVER types (08: CONCEDE and RETREAT)
# cannot be mapped at root level; their 3- and 4-digit codes are mapped one by one.
_LINE = re.compile(r"^(?P<code>\d{2,4}):\s*(?P<body>[^#]*)(?:#(?P<comment>.*))?$")


def _tsv(text: str) -> dict[str, str]:
    rows = text.replace("\r\n", "\n").splitlines()[1:]  # one header line
    return {code.strip(): value.strip() for code, value in (row.split("\t", 1) for row in rows if row.strip())}


def _sentence_case(name: str) -> str:
    """GDELT writes root names in capitals ('MAKE PUBLIC STATEMENT'); the reference uses sentence case."""
    return name[:1] + name[1:].lower() if name.isupper() else name


def crosswalk(text: str) -> dict[str, tuple[str, str, str]]:
    """CAMEO code -> (PLOVER type, mode, contexts joined by ';') from the conversion table.

    Lines are ``CODE: TYPE, mode, context[; context] # CAMEO description``. Root section headers
    (``03: AGREE``) give the root's type; a root with two headers is left out. Spaces inside
    fields are trimmed. A code listed twice with the same values (175) is kept once; a code listed
    twice with different values is an error."""
    out: dict[str, tuple[str, str, str]] = {}
    roots: dict[str, set[str]] = {}
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if not match:
            continue
        code = match["code"]
        fields = [f.strip() for f in match["body"].split(",")] + ["", ""]
        kind, mode = fields[0], fields[1]
        contexts = ";".join(c.strip() for c in fields[2].split(";") if c.strip())
        if len(code) == 2:
            roots.setdefault(code, set()).add(kind)
            continue
        value = (kind, mode, contexts)
        if code in out and out[code] != value:
            raise ValueError(f"crosswalk lists {code} twice with different values: {out[code]} and {value}")
        out[code] = value
    for root, kinds in roots.items():
        if len(kinds) == 1:
            out.setdefault(root, (next(iter(kinds)), "", ""))
    return out


def derive(crosswalk_text: str, codes_text: str, goldstein_text: str) -> dict[str, str]:
    """CSV text of cameo_events.csv and cameo_plover.csv."""
    names, goldstein = _tsv(codes_text), _tsv(goldstein_text)
    if set(names) != set(goldstein):
        raise ValueError(f"GDELT's code and Goldstein lists differ: {sorted(set(names) ^ set(goldstein))}")
    mapping = crosswalk(crosswalk_text)
    # GDELT's file holds one mis-encoded name (044, a Mac Roman quotation lost in conversion);
    # the crosswalk's comment gives it intact, so the name is taken from there.
    repaired = {"044": "Meet at a 'third' location"}
    events = io.StringIO()
    writer = csv.writer(events, lineterminator="\n")
    writer.writerow(["code", "name", "goldstein"])
    for code in names:  # GDELT's order: hierarchical
        writer.writerow([code, repaired.get(code, _sentence_case(names[code])), f"{float(goldstein[code]):.1f}"])
    plover = io.StringIO()
    writer = csv.writer(plover, lineterminator="\n")
    writer.writerow(["cameo_code", "plover_type", "plover_mode", "plover_contexts", "dropped"])
    for code in names:
        if code[:2] in DROPPED_ROOTS:
            writer.writerow([code, "", "", "", "true"])
        elif code in mapping:
            kind, mode, contexts = mapping[code]
            writer.writerow([code, kind, mode, contexts, "false"])
        # codes the crosswalk does not list (root 08) are left out: the check falls back to the parent code
    return {"cameo_events.csv": events.getvalue(), "cameo_plover.csv": plover.getvalue()}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    texts = [Path(a).read_text(encoding="utf-8") for a in argv[:3]]
    out = Path(argv[3]) if len(argv) == 4 else REFERENCE
    files = derive(*texts)
    write_many({out / name: text for name, text in files.items()})
    for name, text in files.items():
        print(f"{name}: {text.count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

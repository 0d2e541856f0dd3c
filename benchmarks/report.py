"""Run the three benchmarks and write their output into docs/performance.md.

    python benchmarks/report.py                 # runs everything (about 10 minutes: frictionless at 1M events)
    python benchmarks/report.py --from DIR      # uses saved outputs DIR/load.txt, validate.txt, scale.txt

The page opens with a summary table (each target, what was measured, whether it is met) whose figures
are parsed from the outputs themselves, never typed; the outputs follow, each in a collapsible block.
The date is the day of the run (with --from, the day the saved outputs were written).
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE = HERE.parent / "docs" / "performance.md"
SCRIPTS = {"load": "bench_load.py", "validate": "bench_validate.py", "scale": "bench_scale.py"}
SCALE_EVENTS = 1_000_000  # the scale targets hold at this many events
SCALE_SPEEDUP = 10  # kordata at least this many times faster than frictionless
SCALE_MEMORY = 3  # kordata's peak memory at most this many times the CSV

TEMPLATE = """# Performance

Measured with the scripts in `benchmarks/`, each comparison run side by side in one process
run (alternating, fresh processes, medians). They print ratios; no test is timed. CI runs each
script with `--quick` so that they keep working. This page is written by
`python benchmarks/report.py` (about ten minutes, most of it frictionless at 1M events).

**Machine:** {machine}, measured {date}.

{summary}

## 1. Loading (target: ratio ≤ {load_target}) {{ #load }}

`python benchmarks/bench_load.py`: a fresh process doing `import kordata` and
`kordata.load_all()` (typed: categoricals, nullable integers, EDTF bounds) against a fresh
process doing `import pandas` and `pandas.read_csv` on the same files (one per table).

{load}

## 2. Validating the shipped package (target: ratio ≤ {validate_target}) {{ #validate }}

`python benchmarks/bench_validate.py`: `kordata validate` (all three layers) against
`frictionless validate datapackage.json`, fresh processes. On a package this small most of
kordata's time is importing pandas, pyarrow and pandera.

{validate}

## 3. Scale (targets at {scale_events:,} events: ≥ {speedup}× faster than frictionless, peak memory ≤ {memory}× the CSV) {{ #scale }}

`python benchmarks/bench_scale.py`: `benchmarks/generate.py` writes synthetic packages with the
shipped schemas (one sentence of seed text per event, so the provenance checks compare real
text; per event 1 sentence, 1 mention, 1 participant; 1 claim per 2 events, 1 statement per 10,
1 figure per 20; 1,000 actors). Peak memory is the child process's maximum resident set. The
last lines compare the rows both tools flag in a copy with seeded corruptions (a dangling
foreign key, a value outside its vocabulary, a malformed number, an empty required field, a
duplicate id).

{scale}

## How

- Each CSV file is read once, as bytes: its size and sha256 come from those bytes, then pyarrow
  parses it with every column as text (UTF-8 checked in C++). The cells stay the Arrow strings
  pyarrow parsed (pandas `ArrowDtype`, no copy), so every column of every table is available to
  every check at about the size of the CSV, and no check depends on a list of the columns kept.
- A quick survey of each file's bytes (numpy) tells which tables can hold a control or invisible
  character, or a cell that frictionless' own reader must judge; plain files skip those searches.
- Layer 1 is kordata's own column-wise engine (pyarrow kernels for regular expressions,
  membership and casts); a cell not written in kordata's canonical form is read by frictionless'
  own cell reader, so both accept and refuse the same values. `kordata validate --engine
  frictionless` runs frictionless instead, and the test suite checks that both flag the same rows,
  both ways, on every kind of corruption.
- Tables go through layers 1 and 2 one at a time: a table's typed frame lives only while they run.
- Quotes are checked against the text as arrays of code points: the seed text becomes one array
  (bytes when it is ASCII, UTF-32 otherwise), each table's quotes one array read straight from
  Arrow's buffers, and `text[start:end] == quote` is checked for every row at once, in chunks.
- Sentence coverage uses sorted interval search (`numpy.searchsorted`), not a join.
- EDTF dates are parsed once per distinct value.
"""


def ratio(output: str) -> tuple[str, str] | None:
    """(measured, target) as printed, from a line 'ratio kordata/pandas: 1.141 (target <= 1.10)'."""
    m = re.search(r"^ratio [^:]+: ([\d.]+) \(target <= ([\d.]+)\)", output, re.M)
    return (m[1], m[2]) if m else None


def scale_row(output: str, events: int = SCALE_EVENTS) -> dict | None:
    """The figures of bench_scale.py's table row for ``events``: CSV MB, kordata s/MB/xCSV, frictionless s/MB, speed-up."""
    for line in output.splitlines():
        m = re.match(r"^\s*(\d+)\s+([\d.]+) \|\s+([\d.]+)\s+(\d+)\s+([\d.]+) \|\s+([\d.]+)\s+(\d+) \|\s+([\d.]+)x", line)
        if m and int(m[1]) == events:
            return {"csv_mb": float(m[2]), "xcsv": float(m[5]), "speedup": float(m[8])}
    return None


def summary(outputs: dict[str, str]) -> str:
    """The summary table: one row per target, its figure parsed from the outputs, and whether it is met."""
    rows = []

    def add(what: str, target: str, measured: str, met: bool | None) -> None:
        rows.append(f"| {what} | {target} | {measured} | {'yes' if met else 'no' if met is not None else 'not measured'} |")

    for name, what, versus in (("load", "Loading", "pandas.read_csv"), ("validate", "Validating the shipped package", "frictionless")):
        found = ratio(outputs[name])
        if found:
            add(f"[{what}](#{name}) (time, kordata / {versus})", f"≤ {found[1]}", found[0], float(found[0]) <= float(found[1]))
        else:
            add(f"[{what}](#{name})", "see below", "not found in the output", None)
    row = scale_row(outputs["scale"])
    where = f"at {SCALE_EVENTS:,} events"
    if row:
        speed, memory = row["speedup"], row["xcsv"]
        add(f"[Scale](#scale): speed {where} (frictionless / kordata)", f"≥ {SCALE_SPEEDUP}×", f"{speed:g}×", speed >= SCALE_SPEEDUP)
        add(f"[Scale](#scale): peak memory {where} (× the CSV)", f"≤ {SCALE_MEMORY}×", f"{memory:g}×", memory <= SCALE_MEMORY)
    else:
        add(f"[Scale](#scale) {where}", f"≥ {SCALE_SPEEDUP}× faster, ≤ {SCALE_MEMORY}× memory", "not measured at that size", None)
    same = re.search(r"^same rows: (True|False)", outputs["scale"], re.M)
    if same:
        agree = same[1] == "True"
        add("[Scale](#scale): both tools flag the same corrupted rows", "same rows", "same" if agree else "different", agree)
    head = "| what | target | measured | met? |\n|---|---|---|---|"
    missed = sum(1 for r in rows if r.endswith("| no |"))
    verb = "is" if missed == 1 else "are"
    verdict = f"{missed} of {len(rows)} targets {verb} missed (marked no)." if missed else "Every target is met."
    return f"{verdict}\n\n{head}\n" + "\n".join(rows)


def dump(script: str, output: str) -> str:
    """An output as a collapsible block (pymdownx.details), without a copy button over its first line."""
    body = "\n".join(f"    {line}" if line else "" for line in output.strip("\n").splitlines())
    return f'??? example "Output of `{script}`"\n\n    ``` {{ .text .no-copy }}\n{body}\n    ```'


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="saved", type=Path, default=None)
    args = parser.parse_args(argv)
    outputs = {}
    for name, script in SCRIPTS.items():
        if args.saved:
            outputs[name] = (args.saved / f"{name}.txt").read_text()
        else:
            outputs[name] = subprocess.run([sys.executable, str(HERE / script)], capture_output=True, text=True, check=True).stdout
    machine = outputs["load"].strip().splitlines()[0].removeprefix("machine: ")
    body = {k: "\n".join(l for l in v.strip().splitlines() if not l.startswith("rc=")) for k, v in outputs.items()}
    when = dt.date.fromtimestamp((args.saved / "load.txt").stat().st_mtime) if args.saved else dt.date.today()
    targets = {k: ratio(body[k]) for k in ("load", "validate")}
    page = TEMPLATE.format(
        machine=machine,
        date=when.isoformat(),
        summary=summary(body),
        load_target=targets["load"][1] if targets["load"] else "see below",
        validate_target=targets["validate"][1] if targets["validate"] else "see below",
        scale_events=SCALE_EVENTS,
        speedup=SCALE_SPEEDUP,
        memory=SCALE_MEMORY,
        **{k: dump(SCRIPTS[k], v) for k, v in body.items()},
    )
    PAGE.write_text(page, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Run the three benchmarks and write their output into docs/performance.md.

    python benchmarks/report.py                 # runs everything (about 10 minutes: frictionless at 1M events)
    python benchmarks/report.py --from DIR      # uses saved outputs DIR/load.txt, validate.txt, scale.txt
"""
from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE = HERE.parent / "docs" / "performance.md"
SCRIPTS = {"load": "bench_load.py", "validate": "bench_validate.py", "scale": "bench_scale.py"}

TEMPLATE = """# Performance

Measured with the scripts in `benchmarks/`, each comparison run side by side in one process
run (alternating, fresh processes, medians). They print ratios; no test is timed. CI runs each
script with `--quick` so that they keep working. This page is written by
`python benchmarks/report.py` (about ten minutes, most of it frictionless at 1M events).

**Machine:** {machine}, measured {date}.

## 1. Loading (target: ratio ≤ 1.10)

`python benchmarks/bench_load.py`: a fresh process doing `import kordata` and
`kordata.load_all()` (typed: categoricals, nullable integers, EDTF bounds) against a fresh
process doing `import pandas` and `pandas.read_csv` on the same files (one per table).

```text
{load}
```

## 2. Validating the shipped package (target: ratio ≤ 1.5)

`python benchmarks/bench_validate.py`: `kordata validate` (all three layers) against
`frictionless validate datapackage.json`, fresh processes. On a package this small most of
kordata's time is importing pandas, pyarrow and pandera.

```text
{validate}
```

## 3. Scale (targets at 1M events: ≥ 10× faster than frictionless, peak memory ≤ 3× the CSV)

`python benchmarks/bench_scale.py`: `benchmarks/generate.py` writes synthetic packages with the
shipped schemas (one sentence of seed text per event, so the provenance checks compare real
text; per event 1 sentence, 1 mention, 1 participant; 1 claim per 2 events, 1 statement per 10,
1 figure per 20; 1,000 actors). Peak memory is the child process's maximum resident set. The
last lines compare the rows both tools flag in a copy with seeded corruptions (a dangling
foreign key, a value outside its vocabulary, a malformed number, an empty required field, a
duplicate id).

```text
{scale}
```

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
    machine = outputs["load"].splitlines()[0].removeprefix("machine: ")
    body = {k: "\n".join(l for l in v.strip().splitlines() if not l.startswith("rc=")) for k, v in outputs.items()}
    PAGE.write_text(TEMPLATE.format(machine=machine, date=dt.date.today().isoformat(), **body), encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

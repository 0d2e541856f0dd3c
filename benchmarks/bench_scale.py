"""Scale: synthetic packages with the shipped schemas at 10k, 100k and 1M events. For each
size, wall time and peak memory of `kordata validate` and of `frictionless validate`, the
growth from size to size, and, on a copy with seeded corruptions, whether both find the same
rows. Targets at 1M events: kordata >= 10x faster, peak memory <= 3x the CSV size.

    python benchmarks/bench_scale.py [--quick] [--sizes 10000,100000,1000000] [--work DIR]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import BIN, machine, run  # noqa: E402
from generate import build, corrupt, write  # noqa: E402


def rows_found_by_kordata(path: Path) -> set[tuple[str, int]]:
    report = json.loads(run([str(BIN / "kordata"), "validate", "--json", "--layer", "1", str(path)])[3])
    return {(f["table"], f["row"]) for c in report["checks"] for f in c["failures"] if f["row"] is not None}


def rows_found_by_frictionless(path: Path) -> set[tuple[str, int]]:
    report = json.loads(run([str(BIN / "frictionless"), "validate", "--json", str(path / "datapackage.json")])[3])
    return {(t["name"], e["rowNumber"]) for t in report["tasks"] for e in t["errors"] if e.get("rowNumber")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes 1,000 and 5,000 (for CI)")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--work", type=Path, default=None, help="folder for the generated packages (default: a temporary one)")
    args = parser.parse_args(argv)
    sizes = [1000, 5000] if args.quick else [int(s) for s in args.sizes.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="kordata-scale-"))
    print(f"machine: {machine()}")
    print(f"{'events':>9} {'CSV MB':>8} | {'kordata s':>9} {'MB':>7} {'xCSV':>5} | {'frictionless s':>14} {'MB':>7} | {'speed-up':>8}")
    previous = None
    rows = []
    for n in sizes:
        path = work / f"events-{n}"
        text, tables = build(n)
        size = write(path, text, tables) / 1e6
        k_s, k_mb, k_rc, _ = run([str(BIN / "kordata"), "validate", str(path)])
        f_s, f_mb, f_rc, _ = run([str(BIN / "frictionless"), "validate", str(path / "datapackage.json")])
        assert k_rc == 0 and f_rc == 0, f"clean synthetic package must validate (kordata {k_rc}, frictionless {f_rc})"
        print(f"{n:>9} {size:>8.1f} | {k_s:>9.2f} {k_mb:>7.0f} {k_mb / size:>5.1f} | {f_s:>14.2f} {f_mb:>7.0f} | {f_s / k_s:>7.1f}x")
        rows.append((n, k_s, f_s))
        if previous:
            pn, pk, pf = previous
            print(f"{'':>9} growth x{n / pn:.0f} events: kordata x{k_s / pk:.2f}, frictionless x{f_s / pf:.2f}")
        previous = (n, k_s, f_s)
        shutil.rmtree(path)
    n = sizes[-1]
    path = work / f"events-{n}-corrupt"
    text, tables = build(n)
    corrupt(tables)
    write(path, text, tables)
    ours, theirs = rows_found_by_kordata(path), rows_found_by_frictionless(path)
    print(f"seeded corruptions at {n} events: kordata layer 1 finds rows {sorted(ours)}")
    print(f"{'':>35} frictionless finds rows {sorted(theirs)}")
    print(f"same rows: {ours == theirs}")
    shutil.rmtree(path)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ours == theirs else 1


if __name__ == "__main__":
    raise SystemExit(main())

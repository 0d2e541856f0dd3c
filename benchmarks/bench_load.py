"""Loading: a fresh process doing `import kordata` and loading every table, against a fresh
process doing `import pandas` and `pandas.read_csv` on the same files. Target ratio <= 1.10.

    python benchmarks/bench_load.py [--quick] [--repetitions N]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import alternate, machine, median  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 15")
    parser.add_argument("--repetitions", type=int, default=None)
    args = parser.parse_args(argv)
    reps = args.repetitions or (3 if args.quick else 15)
    files = sorted(str(p) for p in (ROOT / "data").glob("*.csv"))
    kordata = [sys.executable, "-c", "import kordata; kordata.load_all()"]
    pandas = [sys.executable, "-c", f"import pandas; [pandas.read_csv(f) for f in {files!r}]"]
    times = alternate({"kordata.load_all": kordata, "pandas.read_csv": pandas}, reps)
    a, b = median(times["kordata.load_all"]), median(times["pandas.read_csv"])
    print(f"machine: {machine()}")
    print(f"rounds: {reps} (alternating, fresh processes), medians:")
    print(f"  import kordata + load_all()      {a:.3f} s")
    print(f"  import pandas + read_csv (x{len(files)})  {b:.3f} s")
    print(f"ratio kordata/pandas: {a / b:.3f} (target <= 1.10)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

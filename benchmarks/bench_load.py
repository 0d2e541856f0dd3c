"""Loading: a fresh process doing `import kordata` and loading every table, against a fresh
process doing `import pandas` and `pandas.read_csv` on the same files. Target ratio <= 1.10.

    python benchmarks/bench_load.py [--quick] [--repetitions N]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import compare  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    files = sorted(str(p) for p in (ROOT / "data").glob("*.csv"))
    kordata = [sys.executable, "-c", "import kordata; kordata.load_all()"]
    pandas = [sys.executable, "-c", f"import pandas; [pandas.read_csv(f) for f in {files!r}]"]
    _, a, b = compare(__doc__, argv, 15, {"kordata.load_all": kordata, "pandas.read_csv": pandas})
    print(f"  import kordata + load_all()      {a:.3f} s")
    print(f"  import pandas + read_csv (x{len(files)})  {b:.3f} s")
    print(f"ratio kordata/pandas: {a / b:.3f} (target <= 1.10)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

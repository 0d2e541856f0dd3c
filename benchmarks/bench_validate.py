"""Validation of the shipped package: `kordata validate` (all layers) against
`frictionless validate datapackage.json`, fresh processes. Target ratio <= 1.5. Prints where
kordata's time goes (imports, reading, each layer).

    python benchmarks/bench_validate.py [--quick] [--repetitions N]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import BIN, compare, run  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return float(run([sys.executable, "-c", code])[3])


def main(argv=None) -> int:
    ours = [str(BIN / "kordata"), "validate", str(ROOT)]
    theirs = [str(BIN / "frictionless"), "validate", str(ROOT / "datapackage.json")]
    _, a, b = compare(__doc__, argv, 11, {"kordata": ours, "frictionless": theirs})
    print(f"  kordata validate (3 layers)   {a:.3f} s")
    print(f"  frictionless validate         {b:.3f} s")
    print(f"ratio kordata/frictionless: {a / b:.3f} (target <= 1.5)")
    report = json.loads(run(ours + ["--json"])[3])
    print("where kordata's time goes (one run):")
    for module in ("pandas", "pyarrow", "pandera.pandas", "edtf", "kordata.cli"):
        print(f"  import {module:<16} {import_seconds(module):.3f} s (alone, in a fresh process)")
    for name, seconds in report["timings"].items():
        print(f"  {name:<23} {seconds:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The benchmark scripts run (quick mode) so they never rot. They print ratios; nothing here is timed."""
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # runs the benchmark scripts


@pytest.mark.parametrize("script, needle", [("bench_load.py", "ratio kordata/pandas"),
                                            ("bench_validate.py", "ratio kordata/frictionless"),
                                            ("bench_scale.py", "same rows: True")])
def test_benchmark_runs_in_quick_mode(script, needle):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--quick"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert needle in result.stdout

"""Shared helpers for the benchmark scripts: run a command in a fresh process and time it."""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def run(cmd: list[str], cwd: str | None = None) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MB (of this child alone, via wait4), exit code and stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, proc.returncode, out.decode("utf-8", "replace")


def alternate(commands: dict[str, list[str]], repetitions: int) -> dict[str, list[float]]:
    """Run each command once per round, alternating, for ``repetitions`` rounds; wall times per command."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repetitions):
        for name, cmd in commands.items():
            times[name].append(run(cmd)[0])
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores {cpu}, Python {platform.python_version()}"

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
    memory = ""
    try:
        kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
        memory = f", {kb / 2**20:.0f} GiB memory"
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores {cpu}{memory}, Python {platform.python_version()}"


def compare(doc: str, argv, full_rounds: int, commands: dict[str, list[str]]) -> tuple[int, float, float]:
    """Parse --quick/--repetitions, run the two ``commands`` alternating, print the machine and the
    round count; return (rounds, median of the first command, median of the second)."""
    import argparse
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"3 rounds instead of {full_rounds}")
    parser.add_argument("--repetitions", type=int, default=None)
    args = parser.parse_args(argv)
    rounds = args.repetitions or (3 if args.quick else full_rounds)
    times = alternate(commands, rounds)
    first, second = (median(times[name]) for name in commands)
    print(f"machine: {machine()}")
    print(f"rounds: {rounds} (alternating, fresh processes), medians:")
    return rounds, first, second

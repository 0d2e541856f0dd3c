"""Shared helpers for the benchmark scripts: run a command in a fresh process and time it."""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


# On Linux a child's peak RSS (wait4) includes the high-water mark of the forked parent before
# exec. The benchmark process may hold generated tables of hundreds of MB, so every measured
# command is started by this small launcher (a bare interpreter, -I -S: a few MB) instead.
_LAUNCHER = """
import json, os, subprocess, sys, time
cmd, cwd = json.loads(sys.argv[1]), sys.argv[2] or None
started = time.perf_counter()
proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd)
out = proc.stdout.read()
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - started
sys.stderr.write(json.dumps([seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)]))
sys.stdout.buffer.write(out)
"""


def run(cmd: list[str], cwd: str | None = None) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MB (of the command alone, via wait4 in a small launcher), exit code and stdout."""
    launched = subprocess.run([sys.executable, "-I", "-S", "-c", _LAUNCHER, json.dumps(cmd), cwd or ""], capture_output=True)
    seconds, peak_mb, code = json.loads(launched.stderr.decode("utf-8"))
    return seconds, peak_mb, code, launched.stdout.decode("utf-8", "replace")


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

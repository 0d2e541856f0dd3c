"""Validation results: failures that name table, row, row id, column, rule and value."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

# The one description of the layers: the text report, ``kordata validate --help`` and the docs use these words.
LAYERS = {
    1: "files and Table Schema: the package's shape, bytes and sha256, header, types, vocabularies, patterns, ranges, keys",
    2: "what Table Schema cannot say about a table: rules across the fields of a row (pandera), canonical values, characters",
    3: "meaning: every span against the text, what the text says, codes against references, links between tables, releases",
}


def layers_help() -> str:
    """The layers, one line each (for help texts)."""
    return "\n\n".join(f"Layer {n}: {text}." for n, text in LAYERS.items())


SHOWN_PER_CHECK = 20  # the text report shows this many failures per check; JSON has all
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def escape(text: str) -> str:
    """``text`` with control, zero-width and bidirectional-control characters shown as escapes (\\x1b, \\u202e):
    a terminal never runs an escape sequence from the data, and what is shown is what is there."""
    return _UNSAFE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Failure:
    """One violation. ``row`` is the line in the CSV file (header = 1), as frictionless counts."""

    table: str
    rule: str
    message: str
    row: int | None = None
    row_id: str = ""
    column: str = ""
    value: str = ""

    def line(self) -> str:
        """One line of text; values from the data are shown escaped (no control character is printed raw)."""
        where = (
            escape(self.table) + (f" row {self.row}" if self.row is not None else "") + (f" [{escape(self.row_id)}]" if self.row_id else "")
        )
        where += f" column {escape(self.column)}" if self.column else ""
        value = f" (value: {self.value[:80]!r})" if self.value != "" else ""
        return f"{where}: {self.rule}: {escape(self.message)}{value}"


@dataclass
class CheckResult:
    layer: int
    name: str
    description: str
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    skipped: str = ""

    @property
    def passed(self) -> bool:
        return not self.failures and not self.skipped


@dataclass
class Report:
    path: str
    checks: list[CheckResult] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> list[Failure]:
        return [f for c in self.checks for f in c.failures]

    def layer_passed(self, layer: int) -> bool:
        return all(c.passed for c in self.checks if c.layer == layer)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "valid": self.ok,
            "layers": [
                {"layer": n, "title": t, "run": any(c.layer == n for c in self.checks), "valid": self.layer_passed(n)}
                for n, t in LAYERS.items()
            ],
            "checks": [
                {
                    "layer": c.layer,
                    "name": c.name,
                    "description": c.description,
                    "valid": c.passed,
                    "skipped": c.skipped,
                    "seconds": round(c.seconds, 4),
                    "failures": [asdict(f) for f in c.failures],
                }
                for c in self.checks
            ],
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        lines = [f"kordata validate {escape(self.path)}"]
        for layer, title in LAYERS.items():
            checks = [c for c in self.checks if c.layer == layer]
            state = "not run" if not checks else "PASS" if self.layer_passed(layer) else "FAIL"
            lines.append(f"layer {layer}: {state}  {title}")
            for c in checks:
                state = "pass" if c.passed else ("skipped" if c.skipped and not c.failures else "FAIL")
                lines.append(f"  {state:7} {c.name}: {c.description}" + (f" ({c.skipped})" if c.skipped else ""))
                for f in c.failures[:SHOWN_PER_CHECK]:
                    lines.append(f"          {f.line()}")
                if len(c.failures) > SHOWN_PER_CHECK:
                    lines.append(f"          ... and {len(c.failures) - SHOWN_PER_CHECK} more (use --json for all)")
        total = len(self.failures)
        lines.append("valid" if self.ok else f"INVALID: {total} failure{'s' if total != 1 else ''}")
        return "\n".join(lines)

"""The maintainers' tooling holds on src/: ruff (lint and format) and mypy, as configured in pyproject.toml."""
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BIN = Path(sys.executable).parent


@pytest.mark.parametrize("command", [["ruff", "check", "src"], ["ruff", "format", "--check", "src"], ["mypy"]],
                         ids=["ruff-check", "ruff-format", "mypy"])
def test_tool_is_clean_on_src(command):
    result = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr

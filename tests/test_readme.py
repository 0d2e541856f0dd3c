"""The README's code runs, and CI runs exactly the test command the README gives."""
import re
import subprocess
import sys

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_python_examples_run(tmp_path):
    code = "\n".join(blocks("python"))
    assert "kordata.load(" in code
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr


def test_ci_runs_the_readme_test_command():
    commands = [b.strip() for b in blocks("bash") if "pytest" in b]
    assert len(commands) == 1
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[0] in ci.splitlines()


def test_readme_main_command_is_the_validate_job():
    main = [b.strip() for b in blocks("bash") if b.strip().endswith("kordata validate")]
    assert len(main) == 1 and "pip install -c constraints.txt ." in main[0]


def test_readme_names_the_text_anchored_tables_the_package_has():
    from kordata.package import Package

    sentence = re.search(r"Every row of the text-anchored tables \(([^)]*)\)", README)
    assert sentence, "the README names the text-anchored tables"
    assert re.findall(r"`(\w+)`", sentence.group(1)) == Package.open(ROOT).anchored_tables

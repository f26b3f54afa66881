"""The README's commands are the ones the project supports: the set-up commands match
.ci/run and pyproject.toml, and every `python main.py ...` line parses with main.py."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import main

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def code_lines() -> list[str]:
    """Every line inside the README's fenced code blocks, without a console prompt."""
    blocks = re.findall(r"```[a-z]*\n(.*?)```", README, flags=re.DOTALL)
    return [line.removeprefix("$ ").strip() for block in blocks for line in block.splitlines()]


def setup_commands() -> tuple[str, str]:
    """The two one-line set-up commands: install and start, install and test."""
    lines = [ln for ln in code_lines() if ln.startswith("python3 -m venv")]
    assert len(lines) == 2, lines
    start, test = lines
    return start, test


def ci_commands() -> list[str]:
    return [ln.strip() for ln in CI.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def test_torch_pin_is_the_one_ci_installs():
    pins = set(re.findall(r"torch==([\d.]+)", README))
    assert pins == set(re.findall(r"torch==([\d.]+)", CI)) and len(pins) == 1
    for command in setup_commands():
        parts = [p.strip() for p in command.split("&&")]
        torch_at = next(i for i, p in enumerate(parts) if "torch==" in p)
        install_at = next(i for i, p in enumerate(parts) if "pip install -e" in p)
        assert torch_at < install_at, "torch must come before the project's own install"


def test_test_command_is_what_ci_runs():
    _start, test = setup_commands()
    parts = [p.strip() for p in test.split("&&")]
    install, pytest_command = parts[-2], parts[-1]
    assert install in {f"pip install -e {e}" for e in ('".[test]"', "'.[test]'", ".[test]")}
    extra = re.search(r"\[(\w+)\]", install).group(1)
    assert extra in PYPROJECT["project"]["optional-dependencies"]
    assert any(line.endswith('-e ".[test]"') for line in ci_commands())
    env, _, command = pytest_command.rpartition(" python ")
    assert "python " + command in ci_commands(), "README runs pytest the way .ci/run does"
    assert env.startswith("QT_QPA_PLATFORM=offscreen") and "QT_QPA_PLATFORM=offscreen" in CI


def test_start_command_starts_the_entry_point():
    start, _test = setup_commands()
    assert start.endswith("pip install -e . && python main.py")
    script = PYPROJECT["project"]["scripts"]["transformer-explorer"]
    assert script == "main:main" and "main" in PYPROJECT["tool"]["setuptools"]["py-modules"]
    assert "transformer-explorer" in README


def main_commands() -> list[list[str]]:
    return [shlex.split(ln)[2:] for ln in code_lines() if ln.startswith("python main.py ")]


def test_readme_shows_every_headless_command():
    shown = {argv[0] for argv in main_commands() if argv and not argv[0].startswith("-")}
    assert shown >= set(main.COMMANDS) - {"gui"}


@pytest.mark.parametrize("argv", main_commands(), ids=lambda argv: " ".join(argv)[:60])
def test_readme_command_parses(argv):
    if argv[0] == "--help":
        return
    parser = main.build_parser(only=argv[0])
    args = parser.parse_args(argv)
    assert args.command == argv[0]


def test_shipped_checkpoints_named_in_the_readme_exist():
    for path in set(re.findall(r"resources/checkpoints/[\w-]+\.safetensors", README)):
        assert (ROOT / path).is_file(), path


def test_screenshots_exist_and_are_small():
    for path in re.findall(r"\]\((docs/screenshots/[\w-]+\.png)\)", README):
        file = ROOT / path
        assert file.is_file() and file.stat().st_size < 400_000, path

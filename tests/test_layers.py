"""The layers of the code (pyproject.toml, [tool.importlinter]) hold, and would catch a breach.

model/ never imports Qt or explorer/; inside explorer/ each layer imports only from the
layers below it (app and tour, panels, widgets, session, worker, basics) and panels do not
import each other. Function-local imports count as much as those at the top of a file.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
LINT = [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"]


def lint(root: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run([*LINT, "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_the_layer_contracts_hold():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_planted_violation_breaks_each_contract(tmp_path):
    for name in ("model", "explorer"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "model" / "planted.py").write_text("import PySide6.QtCore\n")
    (tmp_path / "explorer" / "widgets" / "planted.py").write_text(
        "def later():\n    from explorer.panels import tokens  # a widget reaching up\n")
    (tmp_path / "explorer" / "panels" / "word2vec.py").open("a").write(
        "\n\ndef find_projector():\n    from explorer.panels.embeddings import EmbeddingsPanel\n"
        "    return EmbeddingsPanel\n")
    result = lint(tmp_path)
    assert result.returncode != 0
    assert "3 broken" in result.stdout, result.stdout
    for culprit in ("model.planted", "explorer.widgets.planted", "explorer.panels.word2vec"):
        assert culprit in result.stdout


def test_every_panel_is_in_the_independence_contract():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    independent = next(c for c in contracts["contracts"] if c["type"] == "independence")
    listed = {m.rsplit(".", 1)[1] for m in independent["modules"]}
    panels = ROOT / "explorer" / "panels"
    found = {p.stem for p in panels.glob("*.py") if p.stem not in ("__init__", "base")}
    found |= {p.name for p in panels.iterdir() if (p / "__init__.py").is_file()}
    assert found == listed, "list every panel module (or package) in pyproject.toml"


def test_no_import_loops_in_explorer():
    import grimp

    graph = grimp.build_graph("explorer")
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    # A module importing its own package's __init__ is how Python loads it, not a loop.
    edges = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in edges.items()}
    assert not strongly_connected(edges)


def strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """The loops of a graph: its strongly connected components of more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                loops.append(component)

    for v in list(edges):
        if v not in index:
            visit(v)
    return loops


def test_the_loop_finder_finds_a_loop():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]

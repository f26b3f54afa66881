"""Each panel's Qt-free part has tests, and they run without Qt at all.

The tests of every panel's Qt-free part run again here, in a fresh interpreter where
PySide6, shiboken6, pyqtgraph and superqt cannot be imported (so no QApplication can
exist), with no conftest.py (the explorer tests' one imports Qt) and no plugins (pytest-qt).
A test that needed Qt, or a Qt-free module that came to import it, fails there.

Every test module is collected there (its imports are made), and every test runs but two
kinds, to keep this short: those on a trained model (the ``trainer`` fixture: building and
training it takes most of a minute on a loaded machine; they run in the main session) and
the import checks of the modules (which the interpreter here makes anyway).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT = ("PySide6", "shiboken6", "pyqtgraph", "superqt")

QT_FREE_TESTS = {  # panel -> the tests of its Qt-free part
    "tokens": ["tests/logic/test_tokens_logic.py"],
    "embeddings": ["tests/logic/test_embeddings_logic.py"],
    "word2vec": ["tests/logic/test_word2vec_logic.py"],
    "positional": ["tests/logic/test_positional_logic.py"],
    "attention": ["tests/explorer/test_attention_state.py"],
    "training": ["tests/logic/test_training_logic.py"],
    "analysis": ["tests/explorer/test_analysis_state.py"],
}
OTHERS = ["tests/logic/test_logic.py", "tests/explorer/test_timeline_state.py"]  # several panels, the window's timeline

RUN = f"""
import sys
for name in {QT!r}:
    sys.modules[name] = None  # "import PySide6..." now raises ImportError
try:
    import PySide6.QtWidgets
except ImportError:
    pass
else:
    sys.exit("Qt could still be imported")
import torch
torch.set_num_threads(1)
import pytest


class Quick:
    def pytest_collection_modifyitems(self, config, items):
        slow = [i for i in items if "trainer" in getattr(i, "fixturenames", ()) or "import" in i.name]
        config.hook.pytest_deselected(items=slow)
        items[:] = [i for i in items if i not in slow]


sys.exit(pytest.main(["--noconftest", "-p", "no:cacheprovider", *sys.argv[1:]], plugins=[Quick()]))
"""


def test_every_panel_has_qt_free_tests():
    panels = ROOT / "explorer" / "panels"
    found = {p.stem for p in panels.glob("*.py") if "_" not in p.stem and p.stem != "base"}
    found |= {p.name for p in panels.iterdir() if (p / "__init__.py").is_file()}
    assert found == set(QT_FREE_TESTS)
    for files in QT_FREE_TESTS.values():
        assert all((ROOT / f).is_file() for f in files)


def test_the_qt_free_tests_pass_where_qt_cannot_be_imported():
    files = [f for fs in QT_FREE_TESTS.values() for f in fs] + OTHERS
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", RUN, *files], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600, check=False)
    report = out.stdout + out.stderr
    assert out.returncode == 0, report
    assert " passed" in report and " failed" not in report, report

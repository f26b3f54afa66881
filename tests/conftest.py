import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The suite runs on 2 cores: tiny models run faster on one thread than on two that
# compete with the test process's other threads (Qt, workers).
import pytest
import torch

torch.set_num_threads(1)


@pytest.fixture
def tiny_config(tmp_path):
    """A `--config` file for `main.py train` runs in tests: a one-layer model of width 16, no validation."""
    import json

    path = tmp_path / "tiny.json"
    path.write_text(json.dumps({"model": {"d_model": 16, "n_heads": 2, "n_layers": 1, "d_ff": 32},
                                "train": {"eval_every": 0, "eval_sentences": 5}}))
    return path


@pytest.fixture(scope="session")
def marian_folder(tmp_path_factory):
    """A tiny random MarianMTModel folder (see tests/marian_folder.py); needs transformers."""
    pytest.importorskip("transformers")
    from tests.marian_folder import build

    return build(tmp_path_factory.mktemp("opus-mt-en-de"))

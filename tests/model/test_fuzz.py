"""Fuzz tests of checkpoint headers: whatever a header holds, loading gives a model or the
project's one-line CheckpointError, never anything else. (Corpus files are fuzzed in
test_loaders.py.) Fixed seed and bounded examples in CI; see tests/fuzz.py to run longer."""
import json
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from safetensors import safe_open

from model import checkpoint as ck
from model.checkpoint import CheckpointError, load_checkpoint
from model.inference import Translator
from model.train import Trainer
from tests.fuzz import fuzz
from tests.tiny import tiny_trainer


# ---------------------------------------------------------------------------- checkpoint headers
@pytest.fixture(scope="module")
def base(tmp_path_factory):
    trainer = tiny_trainer(d_model=16, n_heads=2, n_layers=1, d_ff=32)
    trainer.step()
    path = trainer.save(tmp_path_factory.mktemp("fuzz") / "base.safetensors")
    with safe_open(str(path), framework="pt") as fh:
        meta = fh.metadata()
        tensors = {k: fh.get_tensor(k) for k in fh.keys()}  # noqa: SIM118
    return trainer, json.loads(meta["header"]), tensors


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8)
    | st.sampled_from([0, 1, -1, 1e308, "word", "bpe", "char", "en", {"$array": "weights.lm_head.weight"},
                       {"$bytes": "optim.x"}, [], {}]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=8,
)


def _paths(value, prefix=()):
    """Every path into a JSON tree (long lists sampled at a few places)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i in sorted({0, 1, 4, len(value) - 1} & set(range(len(value)))):
            yield from _paths(value[i], (*prefix, i))


def _mutate(header, rnd: random.Random, replacement, delete: bool):
    paths = [p for p in _paths(header) if p]
    path = rnd.choice(paths)
    node = header
    for key in path[:-1]:
        node = node[key]
    if delete and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = json.loads(json.dumps(replacement))
    return path


def _write(path, header, tensors, fmt):
    if fmt == 2:
        text = json.dumps(header)
        meta = {"format": ck.FORMAT, "header": text, "checksum": ck._checksum(text, tensors)}
    else:  # format 1: JSON strings under separate keys, bare weight names
        meta = {"format": ck.FORMAT_V1, "step": str(header.get("step")), "corpus": str(header.get("corpus"))}
        for key in ("model_config", "train_config", "src_tokenizer", "tgt_tokenizer", "metrics"):
            if key in header:
                meta[key] = json.dumps(header[key])
        tensors = {k.removeprefix(ck.WEIGHTS_PREFIX): v for k, v in tensors.items()
                   if not k.startswith("section.")}
    with open(path, "wb") as fh:
        ck._write_safetensors(fh, tensors, meta)


@fuzz
@given(st.randoms(use_true_random=False), json_values, st.booleans(), st.integers(1, 3),
       st.sampled_from([1, 2]))
def test_any_header_loads_or_gives_the_one_line_error(base, rnd, replacement, delete, edits, fmt):
    trainer, header, tensors = base
    header = json.loads(json.dumps(header))
    for _ in range(edits):
        _mutate(header, rnd, replacement, delete)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.safetensors"
        _write(path, header, tensors, fmt)
        for load in (load_checkpoint, Translator.load,
                     lambda p: Trainer.from_checkpoint(p, corpus=trainer.corpus)):
            try:
                load(path)
            except CheckpointError as exc:
                assert str(path) in str(exc) and "\n" not in str(exc)

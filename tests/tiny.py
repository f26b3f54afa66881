"""Tiny configurations shared by the tests: seconds to build, milliseconds a step."""
from model.config import TrainConfig
from model.corpus import load_corpus

TINY_MODEL = {"d_model": 32, "n_heads": 4, "n_layers": 2, "d_ff": 64, "dropout": 0.0, "max_len": 40}
TINY_TRAIN = TrainConfig(batch_tokens=256, warmup=20, lr=2.0, eval_every=0, eval_sentences=20,
                         device="cpu", seed=0)

_CORPORA = {}


def tiny_corpus(spec: str = "builtin:en-de"):
    if spec not in _CORPORA:
        _CORPORA[spec] = load_corpus(spec, max_pairs=600, seed=0)
    return _CORPORA[spec]


def tiny_trainer(spec: str = "builtin:en-de", **model_overrides):
    from model.train import Trainer

    fields = {**TINY_MODEL, **model_overrides}
    return Trainer.from_corpus(tiny_corpus(spec), tokenizer="word", model_config=fields, train_cfg=TINY_TRAIN)


def trained_tiny_trainer(steps: int = 30):
    """The tiny trainer after ``steps`` steps: attention with some structure to analyse."""
    trainer = tiny_trainer()
    for _ in range(steps):
        trainer.step()
    return trainer

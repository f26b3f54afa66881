import pytest

from model.config import ModelConfig, TrainConfig


def test_model_config_round_trips_through_dict():
    cfg = ModelConfig(src_vocab=50, tgt_vocab=60, d_model=32, n_heads=4, pos_encoding="rotary")
    assert ModelConfig.from_dict(cfg.to_dict()) == cfg
    assert cfg.head_dim == 8 and cfg.dec_layers == cfg.n_layers


def test_model_config_rejects_bad_shapes():
    with pytest.raises(ValueError, match="divisible"):
        ModelConfig(src_vocab=5, tgt_vocab=5, d_model=30, n_heads=4)
    with pytest.raises(ValueError, match="pos_encoding"):
        ModelConfig(src_vocab=5, tgt_vocab=5, pos_encoding="spiral")
    with pytest.raises(ValueError, match="unknown"):
        ModelConfig.from_dict({"src_vocab": 5, "tgt_vocab": 5, "colour": 1})


def test_train_config_round_trips_through_dict():
    cfg = TrainConfig(batch_tokens=100, warmup=10)
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg

"""Logit lens: the last layer's lens is the model's own prediction."""
import numpy as np
import pytest
import torch

from model.analysis.lens import layer_logits, logit_lens
from model.config import ModelConfig
from model.transformer import Seq2Seq
from tests.tiny import tiny_trainer


@pytest.mark.parametrize("norm_first", [True, False])
def test_last_layer_lens_is_the_models_logits(norm_first):
    torch.manual_seed(0)
    m = Seq2Seq(ModelConfig(src_vocab=30, tgt_vocab=40, d_model=32, n_heads=4, n_layers=3,
                            n_dec_layers=2, d_ff=64, norm_first=norm_first))
    src, tgt = torch.randint(3, 30, (2, 6)), torch.randint(3, 40, (2, 5))
    lens, logits = layer_logits(m, src, tgt)
    assert lens.shape == (3, 2, 5, 40)
    assert torch.equal(lens[-1], logits)
    assert not torch.allclose(lens[-2], logits)
    assert m.training  # mode restored


def test_lens_report():
    torch.manual_seed(0)
    tr = tiny_trainer().translator
    lens = logit_lens(tr, "the dog sees the cat .", k=5)
    L, T = len(lens.layers), len(lens.tgt_tokens)
    assert lens.layers[0] == "embedding" and L == 3
    assert lens.top_ids.shape == (L, T, 5) and np.all(np.diff(lens.top_probs, axis=-1) <= 0)
    np.testing.assert_allclose(lens.final_prob[-1], lens.top_probs[-1, :, 0], rtol=1e-6)
    assert lens.top_tokens[-1][0][0] == tr.tgt_tok.id_to_token(int(lens.top_ids[-1, 0, 0]))

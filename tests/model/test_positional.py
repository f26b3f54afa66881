import math

import numpy as np
import pytest
import torch

from model.positional import (
    LearnedPositional,
    SinusoidalPositional,
    apply_rotary,
    rotary_cos_sin,
    sinusoidal_table,
)


def paper_table(n_pos, d):
    """PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d))."""
    pe = np.zeros((n_pos, d))
    for pos in range(n_pos):
        for i in range(d // 2):
            angle = pos / 10000 ** (2 * i / d)
            pe[pos, 2 * i] = math.sin(angle)
            pe[pos, 2 * i + 1] = math.cos(angle)
    return pe


@pytest.mark.parametrize("n_pos,d", [(1, 2), (50, 16), (17, 6)])
def test_sinusoidal_matches_paper_formula(n_pos, d):
    table = sinusoidal_table(n_pos, d)
    assert table.shape == (n_pos, d) and table.dtype == torch.float32
    np.testing.assert_allclose(table.numpy(), paper_table(n_pos, d), atol=1e-6)


def test_split_layout_is_sines_then_cosines():
    ref = paper_table(30, 8)
    split = sinusoidal_table(30, 8, layout="split").numpy()
    np.testing.assert_allclose(split[:, :4], ref[:, 0::2], atol=1e-6)
    np.testing.assert_allclose(split[:, 4:], ref[:, 1::2], atol=1e-6)


def test_sinusoidal_rejects_bad_arguments():
    with pytest.raises(ValueError):
        sinusoidal_table(4, 5)
    with pytest.raises(ValueError):
        sinusoidal_table(4, 6, layout="diagonal")


def test_positional_modules_slice_from_offset():
    sin = SinusoidalPositional(20, 8)
    assert torch.equal(sin(5, offset=3), sinusoidal_table(20, 8)[3:8])
    assert not list(sin.parameters())
    learned = LearnedPositional(20, 8)
    out = learned(4, offset=2)
    assert out.shape == (4, 8) and torch.equal(out, learned.weight[2:6])
    out.sum().backward()
    assert learned.weight.grad[2:6].abs().sum() > 0 and learned.weight.grad[6:].abs().sum() == 0


def test_rotary_matches_complex_rotation():
    # Pair (x_2i, x_2i+1) as the complex number x_2i + j x_2i+1, times exp(j * pos * theta_i).
    T, Dh = 7, 8
    x = torch.randn(2, 3, T, Dh, dtype=torch.float64)
    cos, sin = rotary_cos_sin(20, Dh)
    out = apply_rotary(x.float(), cos, sin, offset=4).double()
    theta = 10000.0 ** (-np.arange(0, Dh, 2) / Dh)  # (Dh/2,)
    pos = np.arange(4, 4 + T)[:, None]
    z = x[..., 0::2].numpy() + 1j * x[..., 1::2].numpy()
    rotated = z * np.exp(1j * pos * theta)
    np.testing.assert_allclose(out[..., 0::2].numpy(), rotated.real, atol=1e-5)
    np.testing.assert_allclose(out[..., 1::2].numpy(), rotated.imag, atol=1e-5)


def test_rotary_keeps_norms_and_position_zero():
    x = torch.randn(2, 2, 9, 16)
    cos, sin = rotary_cos_sin(32, 16)
    out = apply_rotary(x, cos, sin)
    torch.testing.assert_close(out.norm(dim=-1), x.norm(dim=-1), atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(out[:, :, 0], x[:, :, 0])  # angle 0 at position 0
    assert not torch.allclose(out[:, :, 1:], x[:, :, 1:])


def test_rotary_dot_product_depends_only_on_offset():
    Dh = 16
    cos, sin = rotary_cos_sin(64, Dh)
    q = torch.randn(Dh)
    k = torch.randn(Dh)

    def dot(m, n):
        qm = apply_rotary(q.view(1, 1, 1, Dh), cos, sin, offset=m)
        kn = apply_rotary(k.view(1, 1, 1, Dh), cos, sin, offset=n)
        return (qm * kn).sum().item()

    for m, n in [(0, 3), (5, 2), (10, 10)]:
        for c in (1, 7, 30):
            assert dot(m, n) == pytest.approx(dot(m + c, n + c), abs=1e-4)
    assert dot(0, 3) != pytest.approx(dot(0, 4), abs=1e-3)


def test_rotary_offset_equals_slicing_a_longer_sequence():
    cos, sin = rotary_cos_sin(16, 4)
    x = torch.randn(1, 2, 10, 4)
    full = apply_rotary(x, cos, sin)
    torch.testing.assert_close(apply_rotary(x[:, :, 6:], cos, sin, offset=6), full[:, :, 6:])

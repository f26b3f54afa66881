"""On CUDA the trainer and the translator keep attention off cuDNN's per-shape plans
(model/attention.py, avoid_per_shape_kernels). The setting is checked here without a GPU:
the flag it clears is torch's own, readable on any build."""
import pytest
import torch

from model import attention
from model.train import resolve_device


@pytest.fixture
def cudnn_sdp_restored():
    if not hasattr(torch.backends.cuda, "cudnn_sdp_enabled"):
        pytest.skip("this torch has no cuDNN attention switch")
    before = torch.backends.cuda.cudnn_sdp_enabled()
    yield
    torch.backends.cuda.enable_cudnn_sdp(before)


def test_avoid_per_shape_kernels_clears_cudnn_attention_and_keeps_the_others(cudnn_sdp_restored):
    torch.backends.cuda.enable_cudnn_sdp(True)
    flash, efficient = torch.backends.cuda.flash_sdp_enabled(), torch.backends.cuda.mem_efficient_sdp_enabled()
    attention.avoid_per_shape_kernels()
    assert not torch.backends.cuda.cudnn_sdp_enabled()
    assert torch.backends.cuda.flash_sdp_enabled() == flash
    assert torch.backends.cuda.mem_efficient_sdp_enabled() == efficient


def test_a_cpu_device_leaves_the_setting_alone(cudnn_sdp_restored):
    torch.backends.cuda.enable_cudnn_sdp(True)
    assert resolve_device("cpu").type == "cpu"
    assert torch.backends.cuda.cudnn_sdp_enabled()


def test_a_cuda_device_sets_it(cudnn_sdp_restored, monkeypatch):
    torch.backends.cuda.enable_cudnn_sdp(True)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto").type == "cuda"
    assert not torch.backends.cuda.cudnn_sdp_enabled()


def test_a_translator_on_cuda_sets_it(cudnn_sdp_restored):
    from model.inference import Translator

    torch.backends.cuda.enable_cudnn_sdp(True)
    Translator(None, None, None, torch.device("cpu"))
    assert torch.backends.cuda.cudnn_sdp_enabled()
    Translator(None, None, None, torch.device("cuda"))  # nothing runs on it here
    assert not torch.backends.cuda.cudnn_sdp_enabled()

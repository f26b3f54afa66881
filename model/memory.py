"""How this process's C allocator keeps memory that tensors free.

A training step on CPU makes and frees hundreds of tensors of a few hundred KB to a few
MB each. glibc's ``malloc`` serves blocks above a threshold (which it moves between
128 KB and 32 MB as it goes) with fresh pages from the kernel, and hands freed memory at
the top of its heap back to the kernel once more than twice that threshold is free. So
step after step, the same tensors come back as new pages, and each page costs a page
fault and zeroing: about 1,500 faults per step of the default model, 2-3 % of the step.

:func:`keep_freed_memory` fixes both limits, so that freed blocks are reused by the next
step instead. Only glibc (Linux) has these settings; elsewhere it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys

M_TRIM_THRESHOLD = -1  # mallopt parameters, from glibc's <malloc.h>
M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 32 * 1024 * 1024  # blocks up to this size come from the heap: glibc's maximum
TRIM_THRESHOLD = 128 * 1024 * 1024  # free memory kept at the top of the heap for reuse


def keep_freed_memory() -> bool:
    """Let malloc reuse freed tensor memory rather than return it to the kernel.

    Call it once, early. Returns True when glibc took both settings, False where the C
    library is not glibc (macOS, Windows, musl) and nothing changed.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018 - only glibc has it (and mallopt's numbering)
    except (OSError, AttributeError):
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )


def release_freed_memory() -> bool:
    """Hand the free memory inside the heap back to the kernel (glibc's ``malloc_trim``).

    A step of a large model frees its gradients and activations (hundreds of MB) into the
    heap that :func:`keep_freed_memory` keeps; between steps that memory would count in the
    process's resident size. The trainer calls this after each step of a model over
    ``model.train.GOOD_STATE_ADAM_MAX`` parameters, where the next step's page faults cost
    far less than the step. Returns False where the C library is not glibc.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim``, looked up once: ``ctypes.util.find_library`` runs
    ``ldconfig`` in a child process, which in a process of a few GB (a large model, a CUDA
    context) costs more than the trim itself. None where there is no glibc."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


class SpilledTensors:
    """Copies of tensors kept in an anonymous temporary file instead of memory.

    The recovery copy of a large model's weights (``Trainer._keep_good_state``): written
    every few steps and read back only when a step blows up, so it need not stay resident
    (296 MB for opus-mt-en-de). The file has no name on disk and goes when this object or
    the process does. Values come back bit for bit.
    """

    def __init__(self) -> None:
        import tempfile

        self._file = tempfile.TemporaryFile(prefix="transformer-explorer-")
        self.layout: list[tuple[tuple[int, ...], object]] = []

    def write(self, tensors) -> None:
        """Replace the file's contents with these tensors' values."""
        self._file.seek(0)
        for t in tensors:
            self._file.write(_bytes_of(t.detach().cpu().contiguous()))
        self._file.truncate()
        self._file.flush()
        self.layout = [(tuple(t.shape), t.dtype) for t in tensors]

    def read_into(self, tensors) -> None:
        """Put the written values back into ``tensors`` (same shapes and dtypes, in order)."""
        import torch

        if [(tuple(t.shape), t.dtype) for t in tensors] != self.layout:
            raise ValueError("the tensors do not match those written")
        self._file.seek(0)
        with torch.no_grad():
            for t in tensors:
                direct = t.device.type == "cpu" and t.is_contiguous()
                target = t.detach() if direct else torch.empty(t.shape, dtype=t.dtype)
                view = _bytes_of(target)
                if self._file.readinto(view) != view.nbytes:
                    raise OSError("the temporary copy of the weights is shorter than written")
                if not direct:
                    t.copy_(target)

    def close(self) -> None:
        self._file.close()


def _bytes_of(t):
    """A CPU tensor's memory as a numpy uint8 array (no copy)."""
    import torch

    return t.reshape(-1).view(torch.uint8).numpy()

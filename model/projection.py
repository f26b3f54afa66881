"""Embedding projections to 2-D or 3-D: PCA, t-SNE and UMAP behind one function.

``project(X, method)`` returns an (N, dim) layout. Long methods report progress through
``progress(done, total, embedding_or_None)``; a callback returning False cancels the
work, and ``project`` raises ``ProjectionCancelled``.

- PCA (scikit-learn) is exact and fast. ``fit_pca`` keeps the axes, so embeddings from
  later training steps can be drawn in the same frame and watched as they move.
- t-SNE (openTSNE, FFT-accelerated gradients) reports its layout every few iterations
  so a view can animate it. Defaults are tuned for speed (see ``_tsne``): on 2 busy
  cores 5,000 x 128 points took 3-7 s, against 20-90 s with openTSNE's defaults, with
  the same trustworthiness (benchmarks/projector.py).
- UMAP (umap-learn) is compiled by numba on its first use in every process: that first
  call took 45-125 s on 2 busy cores; later calls take seconds (5-14 s for 5,000 x 128).
  Call ``warm_up_umap()`` from a background thread to pay that cost before a person asks
  for a UMAP layout; compiling holds the GIL at times, so the UI thread may stall now
  and then (up to ~0.7 s was seen) while it runs. UMAP offers no per-epoch hook, so its
  progress is reported only at the start and at the end.

Projections use one CPU thread unless told otherwise (``threads``), so a model
training at the same time keeps the other cores.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import PCA
from threadpoolctl import threadpool_limits

Progress = Callable[[int, int, "np.ndarray | None"], "bool | None"]
METHODS = ("pca", "tsne", "umap")


class ProjectionCancelled(Exception):
    """Raised by ``project`` when its progress callback returned False."""


@dataclass(frozen=True)
class PCAProjection:
    """Fixed PCA axes: ``transform`` maps any (M, D) array into the same (M, dim) frame.

    Attributes:
        components: (dim, D) unit axes, largest variance first.
        mean: (D,) the mean removed before projecting.
        explained_variance_ratio: (dim,) share of the total variance along each axis.
    """

    components: np.ndarray
    mean: np.ndarray
    explained_variance_ratio: np.ndarray

    def transform(self, Y: np.ndarray) -> np.ndarray:
        """(M, D) -> (M, dim): (Y - mean) @ components.T."""
        return (np.asarray(Y, dtype=np.float32) - self.mean) @ self.components.T


def fit_pca(X: np.ndarray, dim: int = 2) -> PCAProjection:
    """Principal axes of X (N, D); the sign of each axis follows scikit-learn's rule."""
    X = np.asarray(X, dtype=np.float32)
    pca = PCA(n_components=dim).fit(X)
    return PCAProjection(
        components=pca.components_.astype(np.float32),
        mean=pca.mean_.astype(np.float32),
        explained_variance_ratio=pca.explained_variance_ratio_.copy(),
    )


def project(
    X: np.ndarray,
    method: str = "pca",
    dim: int = 2,
    *,
    seed: int = 0,
    threads: int | None = 1,
    progress: Progress | None = None,
    **options,
) -> np.ndarray:
    """Lay out N points of D dimensions in ``dim`` (2 or 3) dimensions.

    Args:
        X: (N, D) points, e.g. the rows of an embedding matrix.
        method: "pca", "tsne" or "umap".
        dim: output dimensions.
        seed: random seed (t-SNE and UMAP), so the same input gives the same layout.
        threads: CPU threads the work may use (BLAS, OpenMP and openTSNE's own);
            None leaves the libraries' defaults. One by default: the trainer usually
            runs at the same time, and on a busy 2-core machine threads that wait on
            each other lose far more than they gain (PCA of 20,000 x 256 took 35 ms on
            one thread and 125 ms on two while a trainer ran).
        progress: called as ``progress(done, total, embedding)``, where embedding is the
            current (N, dim) layout or None; returning False cancels.
        options: passed to the method: for "tsne" ``perplexity``, ``early_iter``,
            ``n_iter``, ``every``, ``pca_dims``, ``metric``; for "umap" any
            ``umap.UMAP`` argument (``n_neighbors``, ``min_dist``, ``metric``, ...).

    Returns:
        (N, dim) float32 layout.

    Raises:
        ProjectionCancelled: the progress callback returned False.
    """
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2:
        raise ValueError(f"X must be (N, D), not {X.shape}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if method == "pca" and options:
        raise TypeError(f"pca takes no options, got {sorted(options)}")
    report = _reporter(progress)
    with threadpool_limits(threads):
        if method == "tsne":
            return _tsne(X, dim, seed, report, n_jobs=threads or -1, **options)
        if method == "umap":
            return _umap(X, dim, seed, report, **options)
        report(0, 1, None)
        layout = fit_pca(X, dim).transform(X)
        report(1, 1, layout)
        return layout


def _reporter(progress: Progress | None) -> Callable[[int, int, np.ndarray | None], None]:
    """Wrap a progress callback: pass copies, raise ProjectionCancelled on False."""

    def report(done: int, total: int, embedding: np.ndarray | None) -> None:
        if progress is None:
            return
        frame = None if embedding is None else np.array(embedding, dtype=np.float32)
        if progress(done, total, frame) is False:
            raise ProjectionCancelled(f"cancelled at {done}/{total}")

    return report


def _tsne(
    X: np.ndarray,
    dim: int,
    seed: int,
    report: Callable,
    n_jobs: int,
    perplexity: float = 30.0,
    early_iter: int = 125,
    n_iter: int = 250,
    every: int = 10,
    pca_dims: int = 50,
    metric: str = "euclidean",
) -> np.ndarray:
    """t-SNE with openTSNE: PCA start layout, affinities, then two optimisation phases.

    Choices that make it fast without hurting the result (checked by trustworthiness
    in benchmarks/projector.py):
    - the data is reduced to ``pca_dims`` by PCA first (metric="cosine" first scales
      every row to unit length), and the same PCA gives the start layout;
    - neighbours are exact up to 10,000 points (Annoy above);
    - FFT-interpolated repulsion on a coarser grid than openTSNE's default
      (Barnes-Hut for 3-D); 125 + 250 iterations instead of 250 + 500.
    The start layout (done=0) is reported before the neighbour search, then the
    layout every ``every`` iterations.
    """
    from openTSNE import TSNEEmbedding, affinity, initialization, nearest_neighbors

    n = len(X)
    if n < 4:
        raise ValueError("t-SNE needs at least 4 points")
    if metric not in ("euclidean", "cosine"):
        raise ValueError(f"metric must be 'euclidean' or 'cosine', not {metric!r}")
    total = early_iter + n_iter
    report(0, total, None)
    if metric == "cosine":  # Euclidean distance between unit vectors ranks as cosine does
        X = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
    # Principal components: all of them when D <= pca_dims (a rotation, distances kept).
    X = fit_pca(X, max(dim, min(pca_dims, X.shape[1], n))).transform(X)
    # openTSNE's PCA initialisation, reusing the components computed above; shown at
    # once, before the neighbour search, so a view has a first frame without waiting.
    init = initialization.rescale(X[:, :dim].astype(np.float64))
    init = initialization.jitter(init, random_state=seed)
    report(0, total, init)
    perplexity = min(perplexity, (n - 1) / 3)
    # Choosing the neighbour index ourselves also skips openTSNE's probe for pynndescent,
    # an import that costs seconds on the first call.
    index_kind = nearest_neighbors.Sklearn if n <= 10_000 else nearest_neighbors.Annoy
    knn = index_kind(X, k=min(n - 1, int(3 * perplexity)), n_jobs=n_jobs, random_state=seed)
    affinities = affinity.PerplexityBasedNN(perplexity=perplexity, knn_index=knn, n_jobs=n_jobs)
    embedding = TSNEEmbedding(
        init, affinities, negative_gradient_method="fft" if dim <= 2 else "bh",
        min_num_intervals=20, ints_in_interval=2, n_jobs=n_jobs, random_state=seed,
    )
    # Early exaggeration pulls clusters together, then the plain phase spreads them out.
    phases = ((early_iter, 0, {"exaggeration": 12, "momentum": 0.5}),
              (n_iter, early_iter, {"momentum": 0.8}))
    for iters, offset, params in phases:
        if iters > 0:
            embedding = _optimize(embedding, iters, offset, total, every, report, params)
    layout = np.asarray(embedding, dtype=np.float32)
    report(total, total, layout)
    return layout


def _optimize(embedding, iters, offset, total, every, report, params):
    """Run openTSNE iterations, reporting the layout every ``every`` iterations."""
    from openTSNE.tsne import OptimizationInterrupt

    def callback(iteration, error, current):
        try:
            report(offset + iteration, total, current)
        except ProjectionCancelled:
            return True  # asks openTSNE to stop
        return False

    try:
        return embedding.optimize(
            iters, callbacks=[callback], callbacks_every_iters=every,
            propagate_exception=True, **params,
        )
    except OptimizationInterrupt:
        raise ProjectionCancelled("t-SNE cancelled") from None


def _umap(X: np.ndarray, dim: int, seed: int, report: Callable, **options) -> np.ndarray:
    """UMAP with umap-learn; progress is reported at the start and at the end only."""
    report(0, 1, None)
    import umap  # imported late: importing it alone takes seconds

    reducer = umap.UMAP(n_components=dim, random_state=seed, n_jobs=1, **options)
    layout = reducer.fit_transform(X).astype(np.float32)
    report(1, 1, layout)
    return layout


def warm_up_umap() -> float:
    """Run UMAP once on small random data so numba compiles it; returns the seconds taken.

    Safe to call from a background thread at start-up. 4,200 points are used because
    umap-learn switches to approximate neighbours (pynndescent, more to compile) from
    4,096 points on.
    """
    start = time.perf_counter()
    data = np.random.default_rng(0).normal(size=(4200, 4)).astype(np.float32)
    project(data, "umap", seed=0, n_epochs=5)
    return time.perf_counter() - start


def nearest_neighbours(
    X: np.ndarray, index: int, k: int = 10, metric: str = "cosine"
) -> list[tuple[int, float]]:
    """The k rows of X (N, D) nearest to row ``index``, itself excluded, best first.

    Returns (row, score) pairs: cosine similarity (higher is nearer) for "cosine",
    Euclidean distance (lower is nearer) for "euclidean".
    """
    X = np.asarray(X, dtype=np.float64)
    if metric == "cosine":
        norms = np.maximum(np.linalg.norm(X, axis=1), 1e-12)
        scores = X @ X[index] / (norms * norms[index])
        order = np.argsort(-scores, kind="stable")
    elif metric == "euclidean":
        scores = np.linalg.norm(X - X[index], axis=1)
        order = np.argsort(scores, kind="stable")
    else:
        raise ValueError(f"metric must be 'cosine' or 'euclidean', not {metric!r}")
    order = order[order != index][:k]
    return [(int(i), float(scores[i])) for i in order]

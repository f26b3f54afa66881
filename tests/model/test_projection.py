import os

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

from model.projection import ProjectionCancelled, fit_pca, nearest_neighbours, project


def blobs(n=150, d=12, centers=3, seed=0):
    X, y = make_blobs(n, d, centers=centers, cluster_std=1.0, random_state=seed)
    return X.astype(np.float32), y


def same_up_to_sign(a, b):
    signs = np.sign((a * b).sum(axis=0))
    np.testing.assert_allclose(a, b * signs, rtol=1e-3, atol=1e-3)


def test_pca_matches_scikit_learn_up_to_sign():
    X = np.random.default_rng(0).normal(size=(200, 10)).astype(np.float32) * np.arange(1, 11)
    same_up_to_sign(project(X, "pca", dim=3), PCA(3).fit_transform(X))


def test_fit_pca_keeps_its_axes_for_new_points():
    X, _ = blobs()
    reference = PCA(2).fit(X)
    fitted = fit_pca(X, 2)
    Y = X[:20] + 5.0  # e.g. the same rows a few training steps later
    same_up_to_sign(fitted.transform(Y), reference.transform(Y))
    np.testing.assert_allclose(fitted.mean, X.mean(0), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        fitted.explained_variance_ratio, reference.explained_variance_ratio_, rtol=1e-4
    )
    np.testing.assert_allclose(fitted.components @ fitted.components.T, np.eye(2), atol=1e-5)


def test_pca_reports_progress_with_the_layout():
    X, _ = blobs()
    calls = []
    layout = project(X, "pca", progress=lambda done, total, emb: calls.append((done, total, emb)))
    assert [(d, t) for d, t, _ in calls] == [(0, 1), (1, 1)]
    assert calls[0][2] is None
    np.testing.assert_array_equal(calls[-1][2], layout)


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match="method"):
        project(np.zeros((5, 2)), "mds")


def test_tsne_separates_clusters_and_streams_frames():
    X, y = blobs()
    frames = []

    def progress(done, total, emb):
        frames.append((done, total, None if emb is None else emb.copy()))

    layout = project(X, "tsne", progress=progress, early_iter=50, n_iter=100, every=10)
    assert layout.shape == (150, 2)
    assert silhouette_score(layout, y) > 0.5
    shown = [(d, emb) for d, t, emb in frames if emb is not None]
    assert [d for d, _ in shown][:3] == [0, 10, 20]  # initial layout, then every 10 iterations
    assert all(t == 150 for _, t, _ in frames) and shown[-1][0] == 150
    np.testing.assert_array_equal(shown[-1][1], layout)
    assert not np.allclose(shown[1][1], shown[-1][1])  # the frames show movement


def test_tsne_is_cancelled_when_progress_returns_false():
    X, _ = blobs()
    seen = []

    def progress(done, total, emb):
        seen.append(done)
        return done < 20

    with pytest.raises(ProjectionCancelled):
        project(X, "tsne", progress=progress, early_iter=50, n_iter=100, every=10)
    assert max(seen) == 20


def test_tsne_cosine_groups_by_direction_not_length():
    rng = np.random.default_rng(0)
    directions = rng.normal(size=(3, 10))
    y = np.repeat(np.arange(3), 40)
    lengths = rng.uniform(0.2, 5.0, size=(120, 1))  # long and short vectors in each group
    X = (directions[y] + 0.1 * rng.normal(size=(120, 10))) * lengths
    cosine = silhouette_score(project(X, "tsne", metric="cosine", early_iter=50, n_iter=100), y)
    euclidean = silhouette_score(project(X, "tsne", early_iter=50, n_iter=100), y)
    assert cosine > 0.8 and cosine > euclidean + 0.1
    with pytest.raises(ValueError, match="metric"):
        project(X, "tsne", metric="manhattan")


def test_nearest_neighbours_by_brute_force():
    X = np.random.default_rng(1).normal(size=(30, 5))
    unit = X / np.linalg.norm(X, axis=1, keepdims=True)
    cos = unit @ unit[7]
    found = nearest_neighbours(X, 7, k=4, metric="cosine")
    expected = [i for i in np.argsort(-cos) if i != 7][:4]
    assert [i for i, _ in found] == expected
    np.testing.assert_allclose([s for _, s in found], cos[expected])

    dist = np.linalg.norm(X - X[7], axis=1)
    found = nearest_neighbours(X, 7, k=4, metric="euclidean")
    expected = [i for i in np.argsort(dist) if i != 7][:4]
    assert [i for i, _ in found] == expected
    np.testing.assert_allclose([s for _, s in found], dist[expected])
    with pytest.raises(ValueError):
        nearest_neighbours(X, 0, metric="manhattan")


def test_umap_cancelled_before_it_starts_compiling():
    with pytest.raises(ProjectionCancelled):
        project(blobs()[0], "umap", progress=lambda done, total, emb: False)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("RUN_SLOW"), reason="numba compiles UMAP for ~1 min; RUN_SLOW=1")
def test_umap_separates_clusters():
    X, y = blobs()
    frames = []
    layout = project(X, "umap", progress=lambda d, t, e: frames.append((d, t)), n_neighbors=10)
    assert layout.shape == (150, 2) and frames == [(0, 1), (1, 1)]
    assert silhouette_score(layout, y) > 0.5

"""Speed and quality of the embedding projector: PCA, t-SNE, UMAP and the scatter view.

    python benchmarks/projector.py --json [--compare-default-tsne]

Data are Gaussian clusters (float32), so the quality of a layout can be checked against
the known cluster labels:
- pca_ms: PCA of 20,000 x 256 (20 clusters) to 2-D, median of 5 runs.
- tsne_import_s: importing openTSNE (done once, on the first t-SNE request);
  tsne_first_frame_ms: from the call to the first progress call carrying a layout (the
  PCA start layout, shown before the neighbour search); tsne_first_step_frame_ms: to
  the first layout after optimisation steps (10 iterations); tsne_total_s: the whole
  run. 5,000 x 128, 10 clusters.
- tsne_trustworthiness (sklearn, 10 neighbours, on a 2,000-point sample), tsne_knn_purity
  (share of each point's 10 nearest layout neighbours from its own cluster) and
  tsne_silhouette (by cluster). --compare-default-tsne adds the same for openTSNE's
  default settings.
- umap_warmup_s: warm_up_umap() (numba compilation) in this process; umap_total_s: UMAP
  of the 5,000 x 128 data after it, with the same quality figures.
- scatter_fps: 50,000 points in a pyqtgraph ScatterPlotItem (pxMode, one shared pen and
  brush) in an 800 x 600 offscreen view, panned and zoomed ``--frames`` times, each frame
  painted once (QWidget.grab) before the next.

Targets on 2 CPU cores: pca_ms <= 100, tsne_first_frame_ms <= 1000, tsne_total_s <= 10,
scatter_fps >= 30. The load averages at the start and end are reported because other
work on the machine slows every figure. ``--threads`` is passed to project() (default 1,
as the app uses it; 0 = the libraries' own thread counts). Human-readable lines go to stderr; the last stdout line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.manifold import trustworthiness
from sklearn.metrics import silhouette_score
from sklearn.neighbors import NearestNeighbors

from model.projection import project, warm_up_umap


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def clusters(n: int, d: int, k: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(n, d) float32 points around k Gaussian centres, and each point's cluster."""
    X, y = make_blobs(n, d, centers=k, cluster_std=4.0, center_box=(-10, 10), random_state=seed)
    return X.astype(np.float32), y


def quality(X: np.ndarray, y: np.ndarray, layout: np.ndarray, prefix: str) -> dict[str, float]:
    """Trustworthiness, 10-NN label purity and silhouette of a layout."""
    sample = np.random.default_rng(0).choice(len(X), size=min(2000, len(X)), replace=False)
    nearest = NearestNeighbors(n_neighbors=10).fit(layout).kneighbors(return_distance=False)
    return {
        f"{prefix}_trustworthiness": round(
            float(trustworthiness(X[sample], layout[sample], n_neighbors=10)), 4),
        f"{prefix}_knn_purity": round(float((y[nearest] == y[:, None]).mean()), 4),
        f"{prefix}_silhouette": round(float(silhouette_score(layout, y)), 4),
    }


def bench_pca(threads: int | None, repeat: int = 5) -> dict[str, float]:
    X, _ = clusters(20_000, 256, 20)
    project(X, "pca", threads=threads)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        project(X, "pca", threads=threads)
        times.append((time.perf_counter() - start) * 1000)
    return {"pca_ms": round(statistics.median(times), 1)}


def bench_tsne(X: np.ndarray, y: np.ndarray, threads: int | None) -> dict[str, float]:
    start = time.perf_counter()
    import openTSNE  # noqa: F401  (project imports it on first use; timed apart)

    import_s = time.perf_counter() - start
    frames: list[tuple[int, float]] = []
    start = time.perf_counter()

    def progress(done, total, embedding):
        if embedding is not None:
            frames.append((done, time.perf_counter() - start))

    layout = project(X, "tsne", progress=progress, threads=threads)
    total = time.perf_counter() - start
    first_step = next(t for done, t in frames if done > 0)
    return {
        "tsne_first_frame_ms": round(frames[0][1] * 1000, 1),
        "tsne_first_step_frame_ms": round(first_step * 1000, 1),
        "tsne_total_s": round(total, 2),
        "tsne_frames": len(frames),
        "tsne_import_s": round(import_s, 2),
        **quality(X, y, layout, "tsne"),
    }


def bench_default_tsne(X: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """openTSNE with its default settings (250 + 500 iterations, full data), 2 threads."""
    from openTSNE import TSNE

    start = time.perf_counter()
    layout = np.asarray(TSNE(n_jobs=2, random_state=0).fit(X), dtype=np.float32)
    return {"tsne_default_total_s": round(time.perf_counter() - start, 2),
            **quality(X, y, layout, "tsne_default")}


def bench_umap(X: np.ndarray, y: np.ndarray, threads: int | None) -> dict[str, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warmup = warm_up_umap()
        start = time.perf_counter()
        layout = project(X, "umap", threads=threads)
        total = time.perf_counter() - start
    return {"umap_warmup_s": round(warmup, 2), "umap_total_s": round(total, 2),
            **quality(X, y, layout, "umap")}


def bench_scatter(n_points: int = 50_000, frames: int = 60) -> dict[str, float]:
    """Frames per second of a pyqtgraph scatter, each frame painted exactly once.

    The view is not shown, so the event loop never paints it on its own: each frame is
    one QWidget.grab() after processEvents() has handled the range change.
    """
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    class CountedScatter(pg.ScatterPlotItem):
        paints = 0

        def paint(self, *args):
            self.paints += 1
            super().paint(*args)

    app = QApplication.instance() or QApplication([])
    X, _ = clusters(n_points, 16, 10)
    view = pg.PlotWidget()
    view.resize(800, 600)
    scatter = CountedScatter(pos=project(X, "pca"), size=4, pxMode=True,
                             pen=pg.mkPen(None), brush=pg.mkBrush(30, 110, 200, 160))
    view.addItem(scatter)
    app.processEvents()
    view.grab()  # the first paint builds the symbol atlas
    (x0, x1), (y0, y1) = view.viewRange()
    scatter.paints = 0
    start = time.perf_counter()
    for i in range(frames):
        angle = 2 * np.pi * i / frames
        zoom = 1.0 + 0.5 * np.sin(angle)  # zoom in and out while panning sideways
        cx, cy = (x0 + x1) / 2 + 0.2 * (x1 - x0) * np.cos(angle), (y0 + y1) / 2
        hw, hh = (x1 - x0) / 2 * zoom, (y1 - y0) / 2 * zoom
        view.setRange(xRange=(cx - hw, cx + hw), yRange=(cy - hh, cy + hh), padding=0)
        app.processEvents()
        view.grab()
    fps = frames / (time.perf_counter() - start)
    return {"scatter_fps": round(fps, 1), "scatter_points": n_points,
            "scatter_paints_per_frame": scatter.paints / frames}


def run_all(args: argparse.Namespace) -> dict[str, float]:
    result: dict[str, float] = {"cpu_count": os.cpu_count(),
                                "threads": args.threads,
                                "load_avg_start": round(os.getloadavg()[0], 2)}
    threads = args.threads or None
    result.update(bench_pca(threads))
    log(f"PCA 20,000 x 256 -> 2: {result['pca_ms']} ms")
    X, y = clusters(5_000, 128, 10)
    result.update(bench_tsne(X, y, threads))
    log(f"t-SNE 5,000 x 128: first frame {result['tsne_first_frame_ms']} ms, first step frame "
        f"{result['tsne_first_step_frame_ms']} ms, total {result['tsne_total_s']} s, "
        f"trustworthiness {result['tsne_trustworthiness']}, kNN purity {result['tsne_knn_purity']}")
    if args.compare_default_tsne:
        result.update(bench_default_tsne(X, y))
        log(f"openTSNE defaults: {result['tsne_default_total_s']} s, trustworthiness "
            f"{result['tsne_default_trustworthiness']}, kNN purity {result['tsne_default_knn_purity']}")
    if not args.skip_umap:
        result.update(bench_umap(X, y, threads))
        log(f"UMAP: warm-up {result['umap_warmup_s']} s, then 5,000 x 128 in "
            f"{result['umap_total_s']} s, trustworthiness {result['umap_trustworthiness']}")
    result.update(bench_scatter(frames=args.frames))
    log(f"scatter of 50,000 points: {result['scatter_fps']} frames/s")
    result["load_avg_end"] = round(os.getloadavg()[0], 2)
    log(f"1-minute load average {result['load_avg_start']} at the start, "
        f"{result['load_avg_end']} at the end, on {result['cpu_count']} CPUs")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    parser.add_argument("--frames", type=int, default=60, help="scatter frames to time")
    parser.add_argument("--compare-default-tsne", action="store_true",
                        help="also run openTSNE with its default settings (slow)")
    parser.add_argument("--threads", type=int, default=1,
                        help="project(threads=...): 1 as in the app, 0 for library defaults")
    parser.add_argument("--skip-umap", action="store_true")
    args = parser.parse_args()
    result = run_all(args)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

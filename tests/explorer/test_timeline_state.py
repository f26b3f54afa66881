"""The window's timeline state and the replay's aligned PCA, without a QApplication."""
import numpy as np

from explorer.logic.timeline import TimelineState, aligned_layout


def test_scrub_play_and_live():
    t = TimelineState()
    t.set_steps([0, 10, 20, 50, 100])
    assert t.live and t.slider_value == t.slider_max == 5
    assert t.scrub(1) and t.step == 10 and not t.live
    assert not t.scrub(1)
    assert t.play() and t.playing and t.step == 10
    assert t.tick() and t.step == 20
    assert t.tick() and t.tick() and t.step == 100 and not t.playing  # stops at the last one
    assert not t.tick() and t.step == 100
    assert t.play() and t.step == 0  # from the start again
    assert t.go_live() and t.live and not t.playing
    assert not t.go_live()


def test_new_steps_keep_the_shown_snapshot():
    t = TimelineState()
    t.set_steps([0, 10, 20])
    t.scrub(1)
    t.set_steps([0, 10, 20, 50])
    assert t.step == 10 and t.slider_max == 4
    t.set_steps([0, 20])  # a new model: its steps differ
    assert t.live
    t.speed = 2.0
    assert t.interval_ms == 250


def test_aligned_layout_does_not_flip():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 8)) * np.array([5, 3, 1, 1, 1, 1, 1, 1])
    first = aligned_layout(X, 2, None)
    mirrored = first * np.array([-1, 1])
    again = aligned_layout(X, 2, mirrored)
    assert np.allclose(again, mirrored, atol=1e-4)  # follows the previous frame's orientation
    moved = aligned_layout(X + rng.normal(scale=0.05, size=X.shape), 2, first)
    assert np.abs(moved - first).mean() < 0.2

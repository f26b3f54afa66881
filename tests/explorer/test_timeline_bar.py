"""The timeline bar and the Session's replay frames, without a model (snapshots made here)."""
from __future__ import annotations

import numpy as np

from explorer.widgets.timeline import TimelineBar
from model.trace import Snapshot


def snapshots(*steps):
    E = np.zeros((6, 4), np.float32)
    return [Snapshot(step=k, probe=None, src_embeddings=E, tgt_embeddings=E) for k in steps]


def test_a_frame_does_not_lay_out_the_window_again(qtbot, session):
    """The bar's line changes with every frame; the bar's size does not (a new size hint asks
    the window to lay itself out again)."""
    bar = TimelineBar(session)
    qtbot.addWidget(bar)
    bar.resize(1366, 30)
    bar.show()
    session._on_timeline(snapshots(0, 10, 20))
    hints = (bar.sizeHint(), bar.minimumSizeHint())
    sheets, set_sheet = [], bar.state_label.setStyleSheet
    bar.state_label.setStyleSheet = lambda sheet: (sheets.append(sheet), set_sheet(sheet))  # counted
    for position in (0, 1, 2, 1):
        session.show_snapshot(position)
        qtbot.waitUntil(lambda: not session.frame_pending, timeout=5000)
        assert (bar.sizeHint(), bar.minimumSizeHint()) == hints
    assert "Replaying step 10 (2 of 3)" in bar.state_label.text()
    assert len(sheets) == 1  # the amber style set once, not on every frame


def test_playing_never_queues_frames(qtbot, session):
    """While playing, a tick asks for a frame; the next tick is timed from when that frame
    was sent, so however slowly frames draw, none waits in a queue."""
    session._on_timeline(snapshots(0, 10, 20, 50))
    seen = []
    session.sig_replay.connect(lambda snap: seen.append(None if snap is None else snap.step))
    session.set_replay_speed(4.0)
    session.replay(True)
    assert session.frame_pending and not session._replay_timer.isActive()  # timed from the frame
    qtbot.waitUntil(lambda: not session.replay_state.playing and not session.frame_pending, timeout=20000)
    assert seen[:4] == [0, 10, 20, 50] and set(seen[4:]) <= {50}

"""A replay frame settled before it is painted.

A frame changes many panels at once: a status line that wraps, views shown or hidden, a
plot's range. Qt lays such changes out on later turns of the event loop, and pyqtgraph
updates a view's transform only when it paints (``GraphicsScene.prepareForPaint``): a plot
painted before either was done is resized or moved, and painted again. ``settle_frame`` does
both at once, after every panel has answered the frame (``Session.sig_frame_sent``), so that
each changed view is painted once.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent

LAYOUT_DEPTH = 3  # a layout laid out can ask its parent's to follow (a scroll area's widget)


def settle_frame() -> None:
    """Lay out what is waiting to be laid out, then prepare every visible plot for painting."""
    for _ in range(LAYOUT_DEPTH):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    scenes = {}
    for box in list(pg.ViewBox.AllViews):
        try:
            view, scene = box.getViewWidget(), box.scene()
            if view is not None and scene is not None and view.isVisible():
                scenes[id(scene)] = scene
        except RuntimeError:  # its widget is deleted, the Python object not yet collected
            continue
    for scene in scenes.values():
        scene.prepareForPaint()

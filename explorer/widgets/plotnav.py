"""Wheel, zoom and reset over every plot of the app, the same everywhere.

Installed once on the application (:func:`install`, called by ``launch.run_app``), so
every pyqtgraph plot of every panel behaves alike without code of its own:

- **Wheel in a scrolled page.** Over a plot inside a page that scrolls (a scroll area
  with somewhere to go, e.g. the attention panel's Computation tab), the wheel scrolls
  the page. It zooms the plot only with **Ctrl** held, or once the plot has been clicked
  (until a click elsewhere gives the wheel back to the page).
  Outside scrolled pages the wheel zooms as before. A plot that does not zoom never
  swallows the wheel.
- **Reset view.** A double-click on a plot, **R** while it has the focus, or its
  right-click menu's "Reset view" puts back the view its widget chose (see
  :func:`set_home`), else fits everything it shows.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable

import pyqtgraph as pg
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets

HOME = "_explorer_home"  # attribute of a ViewBox: its reset function
_RESET_ACTION = "_explorer_reset_action"
_CLICK_SLOP = 4  # pixels a right click may move and still open the menu

_Type = QtCore.QEvent.Type
_WATCHED = frozenset((_Type.Wheel, _Type.KeyPress, _Type.MouseButtonDblClick,
                      _Type.MouseButtonPress, _Type.MouseButtonRelease))


def reset_text() -> str:
    return QtCore.QCoreApplication.translate("PlotNavigation", "Reset view (R, double-click)")


def set_home(viewbox: pg.ViewBox, home: Callable[[], None]) -> None:
    """What "reset view" does for ``viewbox`` (e.g. fit a matrix without padding).

    A bound method is kept by a weak reference: the view box must not hold its widget
    alive (a reference cycle through Qt wrappers that garbage collection then tears down).
    """
    ref = weakref.WeakMethod(home) if hasattr(home, "__self__") else (lambda: home)
    setattr(viewbox, HOME, ref)


def resettable(viewbox: pg.ViewBox) -> bool:
    """A view the user can move (or one with a home of its own)."""
    return _home(viewbox) is not None or any(viewbox.state["mouseEnabled"])


def _home(viewbox: pg.ViewBox) -> Callable[[], None] | None:
    ref = getattr(viewbox, HOME, None)
    return ref() if ref is not None else None


def reset_view(viewbox: pg.ViewBox) -> None:
    """Put back the view's home (:func:`set_home`), else fit all it shows (auto range)."""
    home = _home(viewbox)
    if home is not None:
        home()
    else:
        viewbox.enableAutoRange()  # and keep following the data, as at first
        viewbox.updateAutoRange()


def view_of(obj: QtCore.QObject) -> pg.GraphicsView | None:
    """The plot widget ``obj`` is (or is the viewport of), else None."""
    if isinstance(obj, pg.GraphicsView):
        return obj
    parent = obj.parent() if isinstance(obj, QtWidgets.QWidget) else None
    if isinstance(parent, pg.GraphicsView) and parent.viewport() is obj:
        return parent
    return None


def viewboxes(view: pg.GraphicsView) -> list[pg.ViewBox]:
    """The resettable views of a plot widget."""
    return [item for item in view.scene().items()
            if isinstance(item, pg.ViewBox) and resettable(item)]


def viewbox_at(view: pg.GraphicsView, pos: QtCore.QPointF) -> pg.ViewBox | None:
    """The view under ``pos`` (viewport coordinates): the innermost, if nested."""
    scene_pos = view.mapToScene(pos.toPoint())
    for item in view.scene().items(scene_pos):
        while item is not None and not isinstance(item, pg.ViewBox):
            item = item.parentItem()
        if item is not None:
            return item
    return None


def scrolling_ancestor(widget: QtWidgets.QWidget) -> QtWidgets.QAbstractScrollArea | None:
    """The nearest scroll area around ``widget`` that can scroll, if any."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QtWidgets.QAbstractScrollArea) and (
                parent.verticalScrollBar().maximum() > 0
                or parent.horizontalScrollBar().maximum() > 0):
            return parent
        parent = parent.parentWidget()
    return None


class PlotNavigation(QtCore.QObject):
    """The application-wide event filter behind the rules in the module's docstring."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._right_press: tuple[pg.GraphicsView, QtCore.QPointF] | None = None
        self.armed: pg.GraphicsView | None = None  # the plot clicked last: the wheel zooms it

    def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in _WATCHED:
            return False
        view = view_of(obj)
        if kind == _Type.MouseButtonPress:
            self._arm(obj, view)
        if view is None:
            return False
        if kind == _Type.Wheel:
            return self._wheel(view, event)
        if kind == _Type.KeyPress:
            return self._key(view, event)
        if kind == _Type.MouseButtonDblClick:
            if event.button() == QtCore.Qt.MouseButton.LeftButton:
                box = viewbox_at(view, event.position())
                if box is not None and resettable(box):
                    reset_view(box)
            return False
        return self._right_click(view, event)

    def _wheel(self, view: pg.GraphicsView, event: QtGui.QWheelEvent) -> bool:
        box = viewbox_at(view, event.position())
        zooms = box is not None and any(box.state["mouseEnabled"])
        ctrl = bool(event.modifiers() & QtCore.Qt.KeyboardModifier.ControlModifier)
        if zooms and (ctrl or view is self.armed):
            return False  # pyqtgraph zooms
        page = scrolling_ancestor(view)
        if page is None:
            return False  # not in a scrolled page: as pyqtgraph does
        QtCore.QCoreApplication.sendEvent(page.viewport(), event)
        return True

    def _arm(self, obj: QtCore.QObject, view: pg.GraphicsView | None) -> None:
        """A press on a plot arms it; a press anywhere else (not on its way up from the armed
        plot to the window) disarms it."""
        if view is not None:
            self.armed = view
        elif (self.armed is not None and isinstance(obj, QtWidgets.QWidget)
              and not obj.isAncestorOf(self.armed)):
            self.armed = None

    def _key(self, view: pg.GraphicsView, event: QtGui.QKeyEvent) -> bool:
        if event.key() != QtCore.Qt.Key.Key_R or event.modifiers() not in (
                QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.KeyboardModifier.KeypadModifier):
            return False
        boxes = viewboxes(view)
        for box in boxes:
            reset_view(box)
        return bool(boxes)

    def _right_click(self, view: pg.GraphicsView, event: QtGui.QMouseEvent) -> bool:
        """A right click (press and release in place) offers "Reset view"."""
        if event.button() != QtCore.Qt.MouseButton.RightButton:
            return False
        if event.type() == _Type.MouseButtonPress:
            self._right_press = (view, event.position())
            box = viewbox_at(view, event.position())
            if box is not None and box.menuEnabled() and resettable(box):
                _add_to_menu(box)  # pyqtgraph opens its own menu: ours joins it
            return False
        pressed, self._right_press = self._right_press, None
        if pressed is None or pressed[0] is not view:
            return False
        moved = (event.position() - pressed[1]).manhattanLength()
        box = viewbox_at(view, event.position())
        if moved > _CLICK_SLOP or box is None or box.menuEnabled() or not resettable(box):
            return False
        menu = QtWidgets.QMenu(view)
        menu.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(reset_text(), lambda: reset_view(box))
        menu.popup(event.globalPosition().toPoint())
        return False


def _add_to_menu(box: pg.ViewBox) -> None:
    """Put "Reset view" first in a pyqtgraph view's own context menu (once)."""
    action = getattr(box, _RESET_ACTION, None)
    if action is None:
        action = QtGui.QAction(box.menu)
        ref = weakref.ref(box)  # no cycle box -> action -> box
        action.triggered.connect(lambda: ref() is not None and reset_view(ref()))
        first = box.menu.actions()[0] if box.menu.actions() else None
        box.menu.insertAction(first, action)
        setattr(box, _RESET_ACTION, action)
    action.setText(reset_text())  # in the language of now


def install(app: QtCore.QCoreApplication) -> PlotNavigation:
    """Apply the rules to every plot of ``app`` (once; later calls return the same filter)."""
    existing = app.findChild(PlotNavigation)
    if existing is not None:
        return existing
    navigation = PlotNavigation(app)
    app.installEventFilter(navigation)
    return navigation

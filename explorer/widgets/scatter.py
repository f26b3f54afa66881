"""The projector's scatter plot: many labelled points in 2D or 3D.

:class:`ProjectorScatter` draws N points (an embedding matrix after PCA, t-SNE or UMAP)
grouped by colour (word class, frequency band, language): one ``ScatterPlotItem`` per
group, each with one shared pen and brush and ``pxMode`` sizes, so drawing stays cheap.
Past ``MAX_DRAWN`` points only every k-th point is drawn (the highlighted and selected
points always are). Search matches get a ring, the selected point and its neighbours a
frame and a label; trails join each point to where it was in the previous snapshot.

3D points go to a ``pyqtgraph.opengl`` view when OpenGL works; without it (no PyOpenGL,
or a platform without GL such as ``offscreen``) they are drawn rotated into the 2D plot,
turned with the azimuth and elevation sliders, and a note says so.

Its texts (slider labels and tooltips, the note, "other" in the legend) are declared where
the widgets are made (``explorer.texts.Texts``) and follow the interface language.

All points are one ``ScatterPlotItem`` (each point with its group's brush, stacked in
legend order): pyqtgraph's cost per item (bounds, culling, painting) was most of a replay
frame with one item per group. A new layout of the same points (a training replay,
following training) is drawn in place: ``set_points`` writes the new positions into the
item (``move_points``: no point rebuilt, no symbol looked up again) and restyles the
points only when the groups or their colours change (the item is kept); one call redraws
once.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets

from explorer.i18n import tr
from explorer.texts import Texts

MAX_DRAWN = 10_000  # past this many points, draw every k-th one
LABEL_LIMIT = 500  # "show labels" draws a label per point up to this many points
POINT_SIZE = 7
CATEGORICAL = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2",
               "#ff9da6", "#9d755d", "#eeca3b", "#bab0ac", "#1f77b4", "#8c564b")
OTHER_COLOR = "#c8c8c8"  # points without a group (e.g. special tokens)
UNCHANGED = object()  # set_points: leave this part as it is


def move_points(item: pg.ScatterPlotItem, x: np.ndarray, y: np.ndarray) -> None:
    """New positions for the points ``item`` holds, in the same order and styles, written in
    place: ``setData`` would rebuild every point and look its symbol up again."""
    if len(x) != len(item.data) or len(y) != len(item.data):
        raise ValueError(f"{len(x)} positions for {len(item.data)} points")
    item.data["x"] = x
    item.data["y"] = y
    item.prepareGeometryChange()
    item.informViewBoundsChanged()
    item.bounds = [None, None]
    item.invalidate()
    item.sigPlotChanged.emit(item)


def group_colors(names: Sequence[str], sequential: bool = False) -> dict[str, str]:
    """A colour per group name: a categorical palette, or viridis steps for ordered bins."""
    if sequential:
        cmap = pg.colormap.get("viridis")
        steps = np.linspace(0.0, 0.9, max(len(names), 1))
        return {n: cmap.map(float(t), mode="qcolor").name() for n, t in zip(names, steps)}
    if len(names) <= len(CATEGORICAL):
        return {n: CATEGORICAL[i] for i, n in enumerate(names)}
    hues = -(-len(names) // 2)  # two brightness levels of as many hues as needed
    return {n: pg.intColor(i, hues=hues, values=2, minValue=150, maxValue=240).name()
            for i, n in enumerate(names)}


def rotate_3d(points: np.ndarray, azimuth_deg: float, elevation_deg: float) -> np.ndarray:
    """Orthographic view of (N, 3) points turned by azimuth (about z) then elevation (about x).

    Returns (N, 2): the screen x and y of each point.
    """
    a, e = np.radians(azimuth_deg), np.radians(elevation_deg)
    turn_z = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    tilt_x = np.array([[1, 0, 0], [0, np.cos(e), -np.sin(e)], [0, np.sin(e), np.cos(e)]])
    turned = np.asarray(points, dtype=float) @ (tilt_x @ turn_z).T
    return turned[:, [0, 2]]


def gl_available() -> tuple[bool, str]:
    """Whether pyqtgraph.opengl can draw here, and why not when it cannot."""
    app = QtWidgets.QApplication.instance()
    if app is not None and app.platformName() in ("offscreen", "minimal"):
        return False, tr("the '{platform}' platform has no OpenGL").format(platform=app.platformName())
    try:
        import pyqtgraph.opengl  # noqa: F401
    except (ImportError, RuntimeError) as exc:  # PyOpenGL missing or broken
        return False, tr("pyqtgraph.opengl is unavailable ({error})").format(
            error=f"{exc.__class__.__name__}: {exc}")
    context = QtGui.QOpenGLContext()
    if not context.create():
        return False, tr("no OpenGL context could be created")
    return True, ""


class ProjectorScatter(QtWidgets.QWidget):
    """Labelled points in 2D (or 3D), coloured by group, with search highlight and picking.

    Signals:
        sig_point_clicked(int): index of the point that was clicked.
    """

    sig_point_clicked = QtCore.Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.coords = np.zeros((0, 2))
        self.labels: list[str] = []
        self.groups: list[str] = []
        self.colors: dict[str, str] = {}
        self.highlighted = np.zeros(0, dtype=int)
        self.selected: int | None = None
        self.neighbours: list[int] = []
        self.previous: np.ndarray | None = None
        self.show_labels = False
        self._gl_view = None  # None: not tried yet; False: no OpenGL here
        self._gl_why = ""  # why there is no OpenGL, in the interface language
        self._gl_items: list = []
        self._legend_names: list[str] = []

        self.plot = pg.PlotWidget(background="w")
        self.plot.getPlotItem().setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        # every point, stacked in legend order, each with its group's brush
        self.points_item = self._new_points_item()
        self._group_members: list[np.ndarray] = []  # each legend group's points
        self._order = np.zeros(0, dtype=int)  # the points drawn, in the item's order
        self._point_brushes = np.zeros(0, dtype=object)  # and their brushes
        self._restyle = False  # the item's points or brushes are to be set again (not only moved)
        self._styled_for: tuple | None = None  # the points and groups the item is styled for
        self._spare: tuple | None = None  # (item, its styling) prepared for other points (hidden)
        self._brushes: dict[str, QtGui.QBrush] = {}  # one per colour: the symbol atlas keys on it
        self.trails = pg.PlotDataItem(pen=pg.mkPen((150, 150, 150, 140), width=1))
        self.match_item = pg.ScatterPlotItem(pxMode=True, size=POINT_SIZE + 8, brush=None,
                                             pen=pg.mkPen((230, 120, 0), width=2))
        self.selection_item = pg.ScatterPlotItem(pxMode=True, size=POINT_SIZE + 10, symbol="s",
                                                 brush=None,
                                                 pen=pg.mkPen(pg.getConfigOption("foreground"), width=2))
        for item, z in ((self.trails, -1), (self.match_item, 5), (self.selection_item, 6)):
            item.setZValue(z)
            self.plot.addItem(item)
        self._text_items: list[pg.TextItem] = []

        self.azimuth = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal, minimum=-180, maximum=180, value=30)
        self.elevation = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal, minimum=-90, maximum=90, value=20)
        self.azimuth.valueChanged.connect(self._redraw)
        self.elevation.valueChanged.connect(self._redraw)
        self.azimuth_label = QtWidgets.QLabel()
        self.elevation_label = QtWidgets.QLabel()
        self.rotation_bar = QtWidgets.QWidget()
        rot = QtWidgets.QHBoxLayout(self.rotation_bar)
        rot.setContentsMargins(4, 0, 4, 0)
        rot.addWidget(self.azimuth_label)
        rot.addWidget(self.azimuth, 1)
        rot.addWidget(self.elevation_label)
        rot.addWidget(self.elevation, 1)
        self.rotation_bar.setVisible(False)
        self.legend = QtWidgets.QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)

        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.plot)
        self.stack.setMinimumHeight(120)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.legend)  # above the sliders, never under them
        layout.addWidget(self.rotation_bar)
        layout.addWidget(self.note)
        t = self.texts = Texts(self)
        t.widget(self.azimuth_label, lambda: self.tr("Azimuth"))
        t.widget(self.elevation_label, lambda: self.tr("Elevation"))
        for slider, label, tip in (
                (self.azimuth, self.azimuth_label, lambda: self.tr("Turn the 3D points about the vertical axis")),
                (self.elevation, self.elevation_label, lambda: self.tr("Tilt the 3D points towards or away from you"))):
            t.widget(slider, tip=tip)
            t.widget(label, tip=tip)
        t.widget(self.plot, tip=lambda: self.tr("Hover over a point to see its word; click one to list its "
                                                "nearest neighbours"))
        t.widget(self.legend, tip=lambda: self.tr("What the colours mean"))
        t.add(self._write_texts)

    def _write_texts(self) -> None:
        """The note and legend in the current language."""
        if self._gl_view is False:
            self._gl_why = gl_available()[1]
        self._write_legend()
        self._write_note()

    # -- data ------------------------------------------------------------------------
    @property
    def dim(self) -> int:
        return int(self.coords.shape[1])

    def set_points(self, coords: np.ndarray, labels: Sequence[str], groups: Sequence[str] | None = None,
                   colors: dict[str, str] | None = None, keep_range: bool = False, *,
                   previous=UNCHANGED, highlight=UNCHANGED, selection=UNCHANGED) -> None:
        """Show ``coords`` (N, 2) or (N, 3), point i labelled ``labels[i]`` and coloured by
        ``colors[groups[i]]`` (groups missing from ``colors`` are drawn grey).

        ``previous`` (trails, see ``set_previous``), ``highlight`` (``set_highlight``) and
        ``selection`` ((index, neighbours), ``set_selection``) may come in the same call:
        the plot is redrawn once. The group items are rebuilt only when the groups or their
        colours change; otherwise they get the new positions in place."""
        coords = np.asarray(coords, dtype=float)
        if coords.ndim != 2 or coords.shape[1] not in (2, 3) or len(coords) != len(labels):
            raise ValueError(f"coords {coords.shape} must be (N, 2) or (N, 3) for {len(labels)} labels")
        groups = None if groups is None else [str(g) for g in groups]
        regroup = (groups is not None and groups != self.groups) \
            or (colors is not None and dict(colors) != self.colors) \
            or len(coords) != len(self.coords) or coords.shape[1] != self.coords.shape[1]
        self.coords = coords
        if len(labels) != len(self.labels) or any(a != b for a, b in zip(labels, self.labels)):
            self.labels = [str(t) for t in labels]
        if groups is not None:
            self.groups = groups
        if len(self.groups) != len(coords):
            self.groups = [""] * len(coords)
        if colors is not None:
            self.colors = dict(colors)
        if regroup and not self._take_spare():
            self._build_groups()
        if previous is not UNCHANGED:
            self.previous = None if previous is None else np.asarray(previous, dtype=float)
        if highlight is not UNCHANGED:
            self.highlighted = np.asarray(list(highlight), dtype=int)
        if selection is not UNCHANGED:
            self.selected, self.neighbours = selection[0], list(selection[1])
        self._redraw()
        if not keep_range:
            self.plot.autoRange()

    def set_highlight(self, indices: Sequence[int]) -> None:
        """Ring these points (e.g. search matches)."""
        self.highlighted = np.asarray(list(indices), dtype=int)
        self._redraw()

    def set_selection(self, index: int | None, neighbours: Sequence[int] = ()) -> None:
        """Frame and label one point and its neighbours (None clears)."""
        self.selected = index
        self.neighbours = list(neighbours)
        self._redraw()

    def set_previous(self, previous: np.ndarray | None) -> None:
        """Draw trails from ``previous`` (same shape as the points) to where they are now."""
        self.previous = None if previous is None else np.asarray(previous, dtype=float)
        self._redraw()

    def set_labels_visible(self, on: bool) -> None:
        self.show_labels = on
        self._redraw()

    def drawn_indices(self) -> np.ndarray:
        """Indices of the points drawn: all, or every k-th past MAX_DRAWN."""
        n = len(self.coords)
        stride = int(np.ceil(n / MAX_DRAWN)) if n > MAX_DRAWN else 1
        return np.arange(0, n, stride)

    def plotted_points(self) -> tuple[np.ndarray, np.ndarray]:
        """(indices (M,), xy (M, 2)) as the 2D scatter item holds them, sorted by index."""
        x, y = self.points_item.getData()
        idx = np.asarray(self.points_item.data["data"], dtype=int)
        order = np.argsort(idx)
        return idx[order], np.c_[x, y].reshape(-1, 2)[order]

    def point_colors(self) -> list[str]:
        """The colour each point is drawn in (by index; '' for a point not drawn)."""
        colors = [""] * len(self.coords)
        for i, brush in zip(self.points_item.data["data"], self.points_item.data["brush"]):
            colors[int(i)] = brush.color().name()
        return colors

    def view_coordinates(self) -> np.ndarray:
        """(N, 2) where each point lands in the 2D plot (3D points: after the rotation)."""
        if self.dim == 3:
            return rotate_3d(self.coords, self.azimuth.value(), self.elevation.value())
        return self.coords

    # -- drawing -----------------------------------------------------------------------
    def _new_points_item(self) -> pg.ScatterPlotItem:
        item = pg.ScatterPlotItem(pxMode=True, size=POINT_SIZE, pen=pg.mkPen(None), hoverable=True, tip=self._tip)
        item.sigClicked.connect(self._on_clicked)
        self.plot.addItem(item)
        return item

    def _styling(self, groups: Sequence[str], colors: dict[str, str], n: int) -> tuple:
        """(legend names, each group's points, the points drawn in the item's order, their
        brushes) for ``n`` points in ``groups`` coloured by ``colors``: every drawn point of the
        first group, then of the second, … (later groups on top)."""
        names = list(dict.fromkeys(groups))
        names.sort(key=lambda g: (g not in colors, list(colors).index(g) if g in colors else 0))
        groups = np.asarray(groups, dtype=object)
        stride = int(np.ceil(n / MAX_DRAWN)) if n > MAX_DRAWN else 1
        drawn = np.zeros(n, dtype=bool)
        drawn[::stride] = True
        members, order, brushes = [], [], []
        for name in names:
            mine = np.flatnonzero(groups == name)
            members.append(mine)
            shown = mine[drawn[mine]]
            order.append(shown)
            brushes.append(np.full(len(shown), self._brush(colors.get(name, OTHER_COLOR)), dtype=object))
        return (names, members, np.concatenate(order) if order else np.zeros(0, dtype=int),
                np.concatenate(brushes) if brushes else np.zeros(0, dtype=object))

    @staticmethod
    def _key(groups: Sequence[str], colors: dict[str, str], n: int) -> tuple:
        return n, tuple(groups), tuple(colors.items())

    def _build_groups(self) -> None:
        """The groups in legend order, and the points the item draws with their brushes. The
        item is kept; it takes the new points and brushes at the next redraw."""
        self._legend_names, self._group_members, self._order, self._point_brushes = \
            self._styling(self.groups, self.colors, len(self.coords))
        self._styled_for = self._key(self.groups, self.colors, len(self.coords))
        self._restyle = True
        self._write_legend()

    def prepare(self, n: int, groups: Sequence[str], colors: dict[str, str]) -> None:
        """Style a second item, hidden, for ``n`` points in ``groups`` coloured by ``colors``
        (e.g. the rows a replay will show, while the live picture is on screen): the
        ``set_points`` that brings those points and groups then shows that item and only
        moves its points. The item on screen becomes the spare (going back is as quick)."""
        groups, colors = [str(g) for g in groups], dict(colors)
        if len(groups) != n:
            raise ValueError(f"{len(groups)} groups for {n} points")
        key = self._key(groups, colors, n)
        if key == self._styled_for or (self._spare is not None and self._spare[1][0] == key):
            return
        item = self._spare[0] if self._spare is not None else self._new_points_item()
        item.setVisible(False)
        names, members, order, brushes = self._styling(groups, colors, n)
        item.setData(x=np.zeros(len(order)), y=np.zeros(len(order)), data=order, brush=brushes)
        self._spare = (item, (key, names, members, order, brushes))

    def _take_spare(self) -> bool:
        """Show the spare item if it is styled for the points and groups now set (True)."""
        key = self._key(self.groups, self.colors, len(self.coords))
        if self._spare is None or self._spare[1][0] != key or self._restyle:
            return False
        item, (key, names, members, order, brushes) = self._spare
        if self._styled_for is not None:  # the one on screen, kept for going back
            self._spare = (self.points_item, (self._styled_for, self._legend_names, self._group_members,
                                              self._order, self._point_brushes))
        else:
            self._spare = None
        self.points_item.setVisible(False)
        item.setVisible(True)
        self.points_item, self._styled_for = item, key
        self._legend_names, self._group_members, self._order, self._point_brushes = names, members, order, brushes
        self._write_legend()
        return True

    def _brush(self, color: str) -> QtGui.QBrush:
        if color not in self._brushes:
            self._brushes[color] = pg.mkBrush(color)
        return self._brushes[color]

    def _write_legend(self) -> None:
        other = self.tr("other")
        self.legend.setText(" ".join(
            f'<span style="color:{self.colors.get(n, OTHER_COLOR)}">●</span>&nbsp;{n or other}'
            for n in self._legend_names))

    def _write_note(self) -> None:
        """Say what is left out: points past MAX_DRAWN, or OpenGL for 3D."""
        n = len(self.coords)
        if n > MAX_DRAWN:
            drawn = self.drawn_indices()
            self.note.setText(self.tr("{n:,} points: every {k}th is drawn ({m:,}); matches and the "
                                      "selection always are.").format(n=n, k=drawn[1], m=len(drawn)))
        elif self.dim == 3 and self._gl_view is False:
            self.note.setText(self.tr("3D is drawn as a rotatable 2D view: {why}.").format(why=self._gl_why))
        else:
            self.note.setText("")

    def _tip(self, x: float, y: float, data) -> str:
        return f"{self.labels[int(data)]} (#{int(data)})"

    def _redraw(self) -> None:
        three_d = self.dim == 3
        use_gl = three_d and self._ensure_gl()
        self.stack.setCurrentIndex(1 if use_gl else 0)
        self.rotation_bar.setVisible(three_d and not use_gl)
        if use_gl:
            self._draw_gl()
        xy = self.view_coordinates()
        order = self._order
        if self._restyle or len(self.points_item.data) != len(order):
            self._restyle = False
            self.points_item.setData(x=xy[order, 0], y=xy[order, 1], data=order, brush=self._point_brushes)
        else:  # the same points in the same colours: moved in place
            move_points(self.points_item, xy[order, 0], xy[order, 1])
        marked = self.highlighted[self.highlighted < len(xy)]
        _set_marks(self.match_item, xy[marked])
        chosen = ([self.selected] if self.selected is not None else []) + self.neighbours
        chosen = [i for i in chosen if i < len(xy)]
        _set_marks(self.selection_item, xy[chosen])
        self._draw_trails(xy)
        self._draw_labels(xy, chosen, marked)
        self._write_note()

    def _draw_trails(self, xy: np.ndarray) -> None:
        if self.previous is None or self.previous.shape != self.coords.shape:
            if self.trails.xData is not None and len(self.trails.xData):
                self.trails.setData([], [])
            return
        before = rotate_3d(self.previous, self.azimuth.value(), self.elevation.value()) \
            if self.dim == 3 else self.previous
        keep = self.drawn_indices()
        pairs = np.empty((2 * len(keep), 2))
        pairs[0::2], pairs[1::2] = before[keep], xy[keep]
        self.trails.setData(pairs[:, 0], pairs[:, 1], connect="pairs")

    def _draw_labels(self, xy: np.ndarray, chosen: list[int], marked: np.ndarray) -> None:
        wanted = list(dict.fromkeys(chosen + [int(i) for i in marked[:LABEL_LIMIT]]))
        if self.show_labels and len(self.coords) <= LABEL_LIMIT:
            wanted = list(dict.fromkeys(wanted + list(range(len(self.coords)))))
        while len(self._text_items) < len(wanted):
            text = pg.TextItem(color=pg.getConfigOption("foreground"), anchor=(0, 1))
            text.setZValue(7)
            self.plot.addItem(text, ignoreBounds=True)
            self._text_items.append(text)
        for text, i in zip(self._text_items, wanted):
            text.setText(self.labels[i])
            text.setPos(xy[i, 0], xy[i, 1])
            text.setVisible(True)
        for text in self._text_items[len(wanted):]:
            text.setVisible(False)

    def _on_clicked(self, item, points, event=None) -> None:
        if len(points):
            self.sig_point_clicked.emit(int(points[0].data()))

    # -- OpenGL 3D ---------------------------------------------------------------------
    def _ensure_gl(self) -> bool:
        if self._gl_view is None:
            ok, why = gl_available()
            if not ok:
                self._gl_view = False
                self._gl_why = why
                return False
            import pyqtgraph.opengl as gl

            self._gl_view = gl.GLViewWidget()
            self._gl_view.setBackgroundColor("w")
            self._gl_view.mouseReleaseEvent = self._on_gl_release
            self.stack.addWidget(self._gl_view)
        return bool(self._gl_view)

    def _draw_gl(self) -> None:
        import pyqtgraph.opengl as gl

        for item in self._gl_items:
            self._gl_view.removeItem(item)
        self._gl_items = []
        pts = self.coords - self.coords.mean(0)
        scale = float(np.abs(pts).max()) or 1.0
        pts = pts / scale * 10
        colors = np.array([pg.mkColor(self.colors.get(g, OTHER_COLOR)).getRgbF() for g in self.groups])
        keep = self.drawn_indices()
        scatter = gl.GLScatterPlotItem(pos=pts[keep], color=colors[keep], size=POINT_SIZE, pxMode=True)
        self._gl_items.append(scatter)
        marked = [int(i) for i in self.highlighted]
        chosen = ([self.selected] if self.selected is not None else []) + self.neighbours
        if marked or chosen:
            ring = gl.GLScatterPlotItem(pos=pts[marked + chosen], color=(0.9, 0.45, 0, 1),
                                        size=POINT_SIZE + 6, pxMode=True)
            self._gl_items.append(ring)
        shown = chosen + marked[:LABEL_LIMIT]
        if self.show_labels and len(pts) <= LABEL_LIMIT:
            shown = list(range(len(pts)))
        for i in dict.fromkeys(shown):
            self._gl_items.append(gl.GLTextItem(pos=pts[i], text=self.labels[i], color=(30, 30, 30, 255)))
        for item in self._gl_items:
            self._gl_view.addItem(item)
        self._gl_points = pts

    def _on_gl_release(self, event) -> None:
        """Pick the point nearest the click on screen (projecting with the view's matrices)."""
        view = self._gl_view
        matrix = view.projectionMatrix() * view.viewMatrix()
        m = np.array(matrix.data(), dtype=float).reshape(4, 4).T  # column-major -> row-major
        keep = self.drawn_indices()
        pts = np.c_[self._gl_points[keep], np.ones(len(keep))] @ m.T
        ndc = pts[:, :2] / pts[:, 3:4]
        screen = np.c_[(ndc[:, 0] + 1) / 2 * view.width(), (1 - ndc[:, 1]) / 2 * view.height()]
        click = np.array([event.position().x(), event.position().y()])
        nearest = int(np.argmin(((screen - click) ** 2).sum(1)))
        if ((screen[nearest] - click) ** 2).sum() < 12 ** 2:
            self.sig_point_clicked.emit(int(keep[nearest]))


def _set_marks(item: pg.ScatterPlotItem, xy: np.ndarray) -> None:
    """Rings or frames at ``xy`` (M, 2); none before and none now changes nothing."""
    if len(xy) or len(item.data):
        item.setData(x=xy[:, 0], y=xy[:, 1])

"""The Qt-free half of the panels: each module holds one panel's state dataclass, the pure
functions that compute what it shows, and the functions or generators its background jobs
run (``explorer.jobs``). Nothing here imports Qt, so tests run without a QApplication;
panels import from here, never the other way round."""

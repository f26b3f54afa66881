"""The Qt side of Transformer Explorer. Importing this package pins the Qt binding."""
import os

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

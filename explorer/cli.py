"""The ``gui`` command: start the desktop app (the default command of main.py)."""
from __future__ import annotations

import argparse
import os
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--smoke", action="store_true",
                        help="build the window with every panel, train a few steps, and exit")
    parser.add_argument("--smoke-steps", type=int, default=3, metavar="N",
                        help="training steps of the smoke run (default 3)")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_API", "pyside6")
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from explorer.launch import run_app

    return run_app(sys.argv[:1], smoke_steps=args.smoke_steps if args.smoke else 0)

"""Transformer Explorer: `python main.py [gui|corpus|train|translate|evaluate|inspect|convert] ...`.

With no command the desktop app starts (`gui`). Every other command is headless and
imports no Qt. Each command lives in its own module, which provides
``add_arguments(parser)`` and ``run(args) -> int``.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from model.memory import keep_freed_memory

# Pin the Qt binding before anything can import Qt (other bindings may be installed).
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

COMMANDS = {
    "gui": ("explorer.cli", "start the desktop app (the default)"),
    "corpus": ("model.cli.corpus_cmd", "load a corpus and print its statistics"),
    "train": ("model.cli.train_cmd", "train a translator and save a checkpoint"),
    "translate": ("model.cli.translate_cmd", "translate sentences with a checkpoint"),
    "evaluate": ("model.cli.evaluate_cmd", "BLEU, chrF, accuracy and alignment error rate"),
    "inspect": ("model.cli.inspect_cmd", "save the full attention trace of one translation"),
    "convert": ("model.cli.convert_cmd", "turn an opus-mt (Marian) model folder into a checkpoint"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="transformer-explorer", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if only is None or only == name:
            importlib.import_module(module_name).add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    keep_freed_memory()  # training steps reuse freed tensor memory (model/memory.py)
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        argv = ["gui", *argv]
    command = argv[0] if argv[0] in COMMANDS else None
    parser = build_parser(only=command)
    args = parser.parse_args(argv)
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""Helpers shared by the headless commands: JSON output and one-line errors."""
from __future__ import annotations

import json
import sys
from typing import Any


def emit_json(obj: dict[str, Any]) -> None:
    """Print one JSON object as the last line of stdout."""
    print(json.dumps(obj, ensure_ascii=False, default=_jsonable))


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def fail(message: str, code: int = 2) -> int:
    """A one-line error on stderr and a non-zero exit code."""
    print(f"error: {message}", file=sys.stderr)
    return code


_quiet = False


def set_quiet(quiet: bool) -> None:
    """Silence :func:`log` (the ranks other than 0 of a distributed run)."""
    global _quiet
    _quiet = quiet


def log(message: str) -> None:
    if not _quiet:
        print(message, file=sys.stderr, flush=True)

"""The attention panel: ``panel.AttentionPanel`` (the Qt view), ``state`` (its Qt-free
part), and one module per tab view (``views``: overview and mean/max, ``detail``,
``lines``, ``computation``).

``AttentionPanel`` is imported from ``panel`` when it is first asked for, so that importing
``explorer.panels.attention.state`` (its tests, the worker's side) imports no Qt."""
from explorer.panels.attention.state import Selection

__all__ = ["AttentionPanel", "Selection"]


def __getattr__(name: str):
    if name == "AttentionPanel":
        from explorer.panels.attention.panel import AttentionPanel

        return AttentionPanel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

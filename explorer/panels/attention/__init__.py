"""The attention panel: ``panel.AttentionPanel`` (the Qt view), ``state`` (its Qt-free
part), and one module per tab view (``views``: overview and mean/max, ``detail``,
``lines``, ``computation``)."""
from explorer.panels.attention.panel import AttentionPanel
from explorer.panels.attention.state import Selection

__all__ = ["AttentionPanel", "Selection"]

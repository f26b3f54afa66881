"""The Analysis panel: ``panel.AnalysisPanel`` (the Qt view), ``state`` (its Qt-free part),
one module per kind of view (``views``: attribution, rollout, logit lens; ``heads``: the
head sweep; ``beam``: the beam tree)."""
from explorer.panels.analysis.panel import AnalysisPanel

__all__ = ["AnalysisPanel"]

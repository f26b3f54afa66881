"""The Analysis panel: ``panel.AnalysisPanel`` (the Qt view), ``state`` (its Qt-free part),
one module per kind of view (``views``: attribution, rollout, logit lens; ``heads``: the
head sweep; ``beam``: the beam tree).

``AnalysisPanel`` is imported from ``panel`` when it is first asked for, so that importing
``explorer.panels.analysis.state`` (its tests) imports no Qt."""

__all__ = ["AnalysisPanel"]


def __getattr__(name: str):
    if name == "AnalysisPanel":
        from explorer.panels.analysis.panel import AnalysisPanel

        return AnalysisPanel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

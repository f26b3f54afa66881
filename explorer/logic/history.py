"""A loaded model's recorded training history as the step reports the curves take (no Qt)."""
from __future__ import annotations


def history_reports(history) -> tuple:
    """A model's recorded history as StepReports (what the curves take): one per recorded
    step, evaluation fields on the steps where one ran (values as stored, 16-bit)."""
    from model.trace import StepReport

    m = history.metrics()
    evals = {int(s): i for i, s in enumerate(m["eval.step"])}
    reports = []
    for i, step in enumerate(m["step"].tolist()):
        j = evals.get(step)
        extra = {} if j is None else {
            "valid_loss": float(m["eval.valid_loss"][j]), "valid_accuracy": float(m["eval.valid_accuracy"][j]),
            "valid_bleu": float(m["eval.bleu"][j]), "valid_chrf": float(m["eval.chrf"][j])}
        reports.append(StepReport(step=step, loss=float(m["loss"][i]), lr=float(m["lr"][i]),
                                  grad_norm=float(m["grad_norm"][i]), tokens=0, ce=float(m["ce"][i]),
                                  tokens_per_s=float(m["tokens_per_s"][i]), elapsed_s=0.0, **extra))
    return tuple(reports)

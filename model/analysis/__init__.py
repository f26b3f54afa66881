"""Looking past attention weights: what decided the output (Qt-free, torch + numpy).

    heads.py        switching heads off (masks on the attention blocks); the head-importance sweep
    attribution.py  gradient x input and integrated gradients on the embedding rows
    rollout.py      attention rollout (Abnar & Zuidema 2020), composed with cross-attention
    lens.py         logit lens: what each decoder layer would predict if it were the last
    beamtree.py     the beam search tree as a report (recorded by model.decode.beam_search)
    sidebyside.py   one sentence through two models: A, B and B - A

Every function returns numpy copies (reports), never live tensors; each has a check that
must hold, tested in tests/model/test_analysis_*.py.
"""

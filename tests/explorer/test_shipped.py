from explorer.shipped import SHIPPED, shipped_models


def test_the_grammar_en_de_model_is_listed_first_and_every_model_has_a_line():
    models = shipped_models()
    assert models[0].file == "en-de.safetensors" and SHIPPED[0].file == "en-de.safetensors"
    for m in models:
        assert m.path.is_file()
        line = m.line()
        assert "test BLEU" in line and ":" in line
    real = next(m for m in SHIPPED if m.file == "tatoeba-en-de.safetensors")
    assert "Tatoeba" in real.line() and "CC BY 2.0 FR" in real.line()

"""Train small translators that differ only in their positional encoding, and compare them.

Every model in a comparison gets the same corpus, tokenizers, shape, seed and batches;
only ``ModelConfig.pos_encoding`` changes ("none", "sinusoidal", "learned", "rotary"),
so the loss curves differ only because of how (or whether) word order reaches the model.

Without any positional encoding the encoder sees its input as a *set*: self-attention and
the feed-forward block treat every position alike, so reordering the source words only
reorders the encoder's outputs (permutation equivariance), and cross-attention, a weighted
sum over those outputs, cannot tell the orders apart at all. :func:`order_blindness`
measures both on two orderings of the same words; :func:`find_reorderings` picks such
sentence pairs from a corpus.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from model.config import ModelConfig, TrainConfig
from model.corpus import Corpus, SentencePair
from model.tokenizer import Tokenizer
from model.trace import StepReport
from model.train import Trainer
from model.transformer import evaluating

KINDS = ("none", "sinusoidal", "learned", "rotary")

Progress = Callable[[str, int, float], "bool | None"]


def positional_trainer(corpus: Corpus, kind: str, model_config: ModelConfig | dict | None = None,
                       train_cfg: TrainConfig | None = None, tokenizer: str = "word",
                       tokenizers: tuple[Tokenizer, Tokenizer] | None = None) -> Trainer:
    """A fresh Trainer whose model uses positional encoding ``kind``; all else as given.

    ``model_config`` is a ModelConfig or a dict of its fields (vocab sizes are taken from
    the tokenizers either way); its ``pos_encoding`` is replaced by ``kind``.
    ``tokenizers`` (source, target) are used as they are when given, else ``tokenizer``
    names the kind to build on the corpus's training split.
    """
    fields = model_config.to_dict() if isinstance(model_config, ModelConfig) else dict(model_config or {})
    fields["pos_encoding"] = kind
    if tokenizers is None:
        fields.pop("src_vocab", None)
        fields.pop("tgt_vocab", None)
        return Trainer.from_corpus(corpus, tokenizer=tokenizer, model_config=fields, train_cfg=train_cfg)
    src_tok, tgt_tok = tokenizers
    fields.update(src_vocab=src_tok.vocab_size, tgt_vocab=tgt_tok.vocab_size)
    return Trainer(corpus, src_tok, tgt_tok, ModelConfig.from_dict(fields), train_cfg)


def compare_positional(corpus: Corpus, kinds: Sequence[str] = KINDS, steps: int = 300,
                       model_config: ModelConfig | dict | None = None, train_cfg: TrainConfig | None = None,
                       tokenizer: str = "word", progress: Progress | None = None,
                       on_trained: Callable[[str, Trainer], None] | None = None) -> dict[str, list[float]]:
    """Train one model per positional encoding on the same data and seed.

    Args:
        corpus: the parallel corpus every model trains on.
        kinds: positional encodings to compare, trained one after another in this order.
        steps: optimiser steps per model.
        model_config, train_cfg: the shared shape and training settings (see
            :func:`positional_trainer`). The seed in ``train_cfg`` gives every kind the
            same batches in the same order and the same initial weights (a learned
            table adds only its own).
        progress: called after every step as ``progress(kind, step, loss)``; returning
            False stops the whole comparison (the curves so far are returned).
        on_trained: called as ``on_trained(kind, trainer)`` after each model finishes its
            steps (not after a cancelled one), e.g. to inspect it with :func:`order_blindness`.

    Returns:
        kind -> training loss of each step, in step order (one list per kind that started).
    """
    curves: dict[str, list[float]] = {}
    for kind, trainer, report in train_each(corpus, kinds, steps, model_config, train_cfg, tokenizer):
        curves.setdefault(kind, []).append(report.loss)
        if progress is not None and progress(kind, report.step, report.loss) is False:
            return curves
        if on_trained is not None and len(curves[kind]) == steps:
            on_trained(kind, trainer)
    return curves


def train_each(corpus: Corpus, kinds: Sequence[str] = KINDS, steps: int = 300,
               model_config: ModelConfig | dict | None = None, train_cfg: TrainConfig | None = None,
               tokenizer: str = "word") -> Iterator[tuple[str, Trainer, StepReport]]:
    """The steps of :func:`compare_positional` one at a time: yields ``(kind, trainer,
    report)`` after each optimiser step, the kinds one after another (for a job that can
    stop between any two steps)."""
    tokenizers = None  # built for the first model, shared by the others
    for kind in kinds:
        trainer = positional_trainer(corpus, kind, model_config, train_cfg, tokenizer, tokenizers)
        tokenizers = trainer.src_tok, trainer.tgt_tok
        for _ in range(steps):
            yield kind, trainer, trainer.step()


@dataclass(frozen=True)
class OrderCheck:
    """One model's answer to two orderings of the same source words.

    Attributes:
        kind: the model's positional encoding.
        tokens, reordered_tokens: the two source token sequences (with <eos>), length S each.
        permutation: (S,) reordered_tokens[i] == tokens[permutation[i]].
        memory, reordered_memory: (S, D) encoder outputs of the two orderings.
        encoder_gap: max |reordered_memory - memory[permutation]|: 0 (up to rounding) means
            the encoder only moved its outputs along with the words.
        logit_gap: max difference of the decoder's logits (T, V) for the two sources, both
            teacher-forced with the same target: 0 means the decoder cannot tell them apart.
        translation, reordered_translation: the model's greedy translations.
    """

    kind: str
    tokens: tuple[str, ...]
    reordered_tokens: tuple[str, ...]
    permutation: tuple[int, ...]
    memory: np.ndarray
    reordered_memory: np.ndarray
    encoder_gap: float
    logit_gap: float
    translation: str
    reordered_translation: str


def token_permutation(tokens: Sequence, reordered: Sequence) -> tuple[int, ...]:
    """Indices p with reordered[i] == tokens[p[i]]; ValueError if not the same multiset.

    Repeated tokens are matched in order of appearance.
    """
    places: dict[str, list[int]] = defaultdict(list)
    for i, token in enumerate(tokens):
        places[token].append(i)
    perm = []
    for token in reordered:
        if not places.get(token):
            raise ValueError(f"{list(reordered)} is not a reordering of {list(tokens)}")
        perm.append(places[token].pop(0))
    if len(perm) != len(tokens):
        raise ValueError(f"{list(reordered)} is not a reordering of {list(tokens)}")
    return tuple(perm)


@torch.no_grad()
def order_blindness(trainer: Trainer, sentence: str, reordered: str) -> OrderCheck:
    """Run two orderings of the same source words through ``trainer``'s model.

    Args:
        sentence: a source sentence; reordered: the same tokens in another order.

    Returns:
        :class:`OrderCheck`. With ``pos_encoding="none"`` both gaps are ~0 (the encoder is
        permutation-equivariant and the decoder sees the same set); with any encoding they
        are not.
    """
    translator = trainer.translator
    ids_a, ids_b = translator.encode_src(sentence), translator.encode_src(reordered)
    tok = trainer.src_tok
    tokens_a = tuple(tok.id_to_token(i) for i in ids_a)
    tokens_b = tuple(tok.id_to_token(i) for i in ids_b)
    perm = token_permutation(ids_a, ids_b)
    model = trainer.model
    with evaluating(model):
        src = torch.tensor([ids_a, ids_b], device=trainer.device)
        memory = model.encode(src)[0].float().cpu().numpy()  # (2, S, D)
    translation, reordered_translation = trainer.translate([sentence, reordered])
    target = translation or reordered_translation
    logits_a = trainer.trace(sentence, target).logits
    logits_b = trainer.trace(reordered, target).logits
    return OrderCheck(
        kind=trainer.model_config.pos_encoding, tokens=tokens_a, reordered_tokens=tokens_b,
        permutation=perm, memory=memory[0].copy(), reordered_memory=memory[1].copy(),
        encoder_gap=float(np.abs(memory[1] - memory[0][list(perm)]).max()),
        logit_gap=float(np.abs(logits_a - logits_b).max()),
        translation=translation, reordered_translation=reordered_translation)


def source_words(pair: SentencePair) -> list[str]:
    """The source sentence as words: the generator's words when known, else split on spaces."""
    return list(pair.src_words) if pair.src_words else pair.src.split()


def find_reorderings(pairs: Iterable[SentencePair], limit: int = 5) -> list[tuple[SentencePair, SentencePair]]:
    """Pairs of corpus sentences whose source words are the same but in another order.

    A group of sentences sharing one multiset of words (:func:`source_words`) gives its
    first two distinct orderings. At most ``limit`` pairs, in corpus order.
    """
    groups: dict[tuple[str, ...], list[SentencePair]] = defaultdict(list)
    for pair in pairs:
        words = source_words(pair)
        group = groups[tuple(sorted(words))]
        if all(source_words(p) != words for p in group):
            group.append(pair)
    found = [(g[0], g[1]) for g in groups.values() if len(g) >= 2]
    return found[:limit]


def _nouns(pair: SentencePair) -> list[int]:
    return [i for i, c in enumerate(pair.src_classes) if c == "noun"]


def order_example(pairs: Sequence[SentencePair]) -> tuple[str, str, str | None, str | None]:
    """Two orderings of the same source words, for :func:`order_blindness`.

    Returns:
        (sentence, reordered, reference, reordered_reference). Two corpus sentences from
        :func:`find_reorderings`, with their reference translations, when the corpus has
        such a pair. Otherwise the shortest sentence with exactly two different nouns,
        neither of them the first word (word classes of the built-in corpora), and the
        same words with the nouns swapped ("the dog sees a cat" -> "the cat sees a dog");
        failing that, the first sentence with its words reversed. Then
        reordered_reference is None (the corpus has no translation of the new order).
    """
    found = find_reorderings(pairs, limit=1)
    if found:
        a, b = found[0]
        return a.src, b.src, a.tgt, b.tgt
    two_nouns = [p for p in pairs if len(_nouns(p)) == 2 and _nouns(p)[0] > 0  # not the capitalised first word
                 and len({source_words(p)[i] for i in _nouns(p)}) == 2]
    if two_nouns:
        pair = min(two_nouns, key=lambda p: len(source_words(p)))
        words = source_words(pair)
        i, j = _nouns(pair)
        words[i], words[j] = words[j], words[i]
        return pair.src, " ".join(words), pair.tgt, None
    for pair in pairs:
        words = source_words(pair)
        if len(set(words)) >= 2:
            return pair.src, " ".join(reversed(words)), pair.tgt, None
    raise ValueError("no sentence with two different words to reorder")

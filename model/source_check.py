"""What a model does not see of a source sentence: words not in its vocabulary, and the
part cut off when the sentence is longer than the model reads. Torch-free, so the panels
can use it on the UI thread.
"""
from __future__ import annotations

import dataclasses

from model.tokenizer import UNK, Tokenizer, _is_wide, _is_word_char


@dataclasses.dataclass(frozen=True)
class SourceCheck:
    """What a model does not see of a source sentence.

    unknown: the words (as written) with a token the vocabulary lacks (<unk>), in order,
        each once. A word is the run of letters, digits and marks around the unknown token,
        or the token's own characters in a script written without spaces.
    unknown_positions: token positions (0-based, no specials) that are <unk>.
    tokens: how many tokens the sentence has; kept: how many the model reads (the rest
        is cut: the source with its <eos> must fit max_len).
    cut_at: character offset in the text where the cut falls, None when nothing is cut.
    """

    text: str
    unknown: tuple[str, ...] = ()
    unknown_positions: tuple[int, ...] = ()
    unknown_at: tuple[str, ...] = ()  # the word of each unknown position
    tokens: int = 0
    kept: int = 0
    cut_at: int | None = None

    @property
    def ok(self) -> bool:
        return not self.unknown and self.cut_at is None

    def messages(self) -> list[str]:
        """Plain-English lines describing the problems (empty when there are none)."""
        out = []
        if self.unknown:
            n = len(self.unknown)
            words = ", ".join(f"\u201c{w}\u201d" for w in self.unknown)
            out.append(f"{n} word{'s' if n != 1 else ''} not in the model's vocabulary: {words}")
        if self.cut_at is not None:
            rest = self.text[self.cut_at:].strip()
            shown = rest if len(rest) <= 30 else rest[:30] + "\u2026"
            out.append(f"longer than the model reads ({self.tokens} tokens, at most {self.kept}): "
                       f"cut at character {self.cut_at}, before \u201c{shown}\u201d")
        return out

    def to_dict(self) -> dict:
        return {"unknown": list(self.unknown), "unknown_positions": list(self.unknown_positions),
                "unknown_at": list(self.unknown_at),
                "tokens": self.tokens, "kept_tokens": self.kept, "cut_at": self.cut_at}


def _word_around(text: str, start: int, end: int) -> str:
    """The word (letters, digits and marks) holding text[start:end], or the span itself
    when it is in a script written without spaces (a CJK character)."""
    piece = text[start:end].strip()
    if piece and all(_is_wide(ch) for ch in piece):
        return piece
    while start > 0 and _is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and _is_word_char(text[end]):
        end += 1
    return text[start:end].strip()


def check_source(tok: Tokenizer, text: str, max_len: int) -> SourceCheck:
    """Unknown words of ``text`` for ``tok`` and where a model of ``max_len`` cuts it."""
    spans = tok.tokenize_with_offsets(text)
    unknown: list[str] = []
    positions, words = [], []
    for i, (token, start, end) in enumerate(spans):
        if tok.token_to_id(token) == UNK:
            word = _word_around(text, start, end) or text[start:end]
            positions.append(i)
            words.append(word)
            if word not in unknown:
                unknown.append(word)
    kept = min(len(spans), max_len - 1)  # one place is the <eos>
    cut_at = spans[kept][1] if kept < len(spans) else None
    return SourceCheck(text, tuple(unknown), tuple(positions), tuple(words), len(spans), kept, cut_at)

"""A Tatoeba-like file in another script: one side of a TSV spelt letter by letter in Cyrillic.

    python benchmarks/cyrillic_sample.py IN.tsv OUT.tsv [--side tgt] [--max-pairs N]

For checking the training defaults on a script other than Latin with real sentence
structure and a real-sized vocabulary (the German of the Tatoeba file becomes a made-up
"Cyrillic German": ä → э, sch → ш, ch → х, ...). Not a real language pair; the point is the
script. The same mapping on the held-out file gives its test set.
"""
from __future__ import annotations

import argparse

PAIRS = [("sch", "ш"), ("tsch", "ч"), ("ch", "х"), ("ei", "ай"), ("ie", "и"), ("eu", "ой"), ("äu", "ой"),
         ("ß", "сс"), ("ä", "э"), ("ö", "ё"), ("ü", "ю"), ("z", "ц"), ("w", "в"), ("v", "ф"), ("j", "й")]
LETTERS = dict(zip("abcdefghiklmnopqrstuxy", "абкдефгхиклмнопкрстуксю"))


def cyrillic(text: str) -> str:
    out, i, low = [], 0, text.lower()
    while i < len(text):
        start = i
        for latin, cyr in sorted(PAIRS, key=lambda p: -len(p[0])):
            if low.startswith(latin, i):
                piece, i = cyr, i + len(latin)
                break
        else:
            piece, i = LETTERS.get(low[i], text[i]), i + 1
        out.append(piece.capitalize() if text[start].isupper() else piece)
    return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--side", choices=("src", "tgt"), default="tgt")
    ap.add_argument("--max-pairs", type=int, default=None)
    args = ap.parse_args()
    col = 0 if args.side == "src" else 1
    with open(args.src, encoding="utf-8") as src, open(args.out, "w", encoding="utf-8") as out:
        for n, line in enumerate(src):
            if args.max_pairs is not None and n >= args.max_pairs:
                break
            cells = line.rstrip("\n").split("\t")
            cells[col] = cyrillic(cells[col])
            out.write("\t".join(cells) + "\n")


if __name__ == "__main__":
    main()

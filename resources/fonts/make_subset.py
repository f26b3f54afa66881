"""Rebuild NotoSansSC-subset.otf: the characters the Chinese interface needs.

The Chinese interface must be readable on a machine without a CJK font. This script
cuts Noto Sans CJK SC (SIL Open Font License 1.1, see OFL.txt) down to the characters
of the interface translation, the Chinese explanations, the built-in en-zh corpus, the
3,755 common characters of GB 2312 level 1 (so that most typed sentences show), and
CJK punctuation. Run it after adding Chinese text; it needs fontTools
(`pip install fonttools`) and the Debian package fonts-noto-cjk (or pass the .ttc path).

    python resources/fonts/make_subset.py [/path/to/NotoSansCJK-Regular.ttc]
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
OUT = HERE / "NotoSansSC-subset.otf"


def needed_characters() -> set[str]:
    texts = [ROOT / "resources/i18n/explorer_zh.ts", *sorted((ROOT / "resources/explanations/zh").glob("*.md")),
             *sorted((ROOT / "model/grammar").glob("*.py"))]
    chars = {ch for path in texts for ch in path.read_text(encoding="utf-8") if ord(ch) > 0x2E7F}
    for hi in range(0xB0, 0xD8):  # GB 2312 level 1: rows 16-55
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF00, 0xFFF0)}
    return chars


def main(source: str = SOURCE) -> None:
    collection = TTCollection(source)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    options = subset.Options()
    options.layout_features = ["vert", "vrt2"]  # none of the shaping a UI label needs
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(text="".join(sorted(needed_characters())))
    sub.subset(font)
    font.save(OUT)
    print(f"{OUT.name}: {len(font.getGlyphOrder())} glyphs, {OUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(*sys.argv[1:])

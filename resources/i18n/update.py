"""Regenerate explorer_zh.ts from the sources and compile explorer_zh.qm, keeping every
translation already made.

    python resources/i18n/update.py

pyside6-lupdate files each string under the class it is written in; when code moves to
another class (or a string is new) its entry comes back empty. This fills such an entry
with the translation the same source text had before (in its old context, else in any),
then lists the entries that still need one; fill those in by hand and run it again.
"""
from __future__ import annotations

import glob
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "explorer_zh.ts"
QM = TS.with_suffix(".qm")
SOURCES = ["explorer/*.py", "explorer/panels/*.py", "explorer/panels/*/*.py", "explorer/widgets/*.py"]


def translations(path: Path) -> tuple[dict, dict]:
    """{(context, source): translation} and {source: translation} of the finished entries."""
    by_context, by_source = {}, {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source, translation = message.findtext("source"), message.find("translation")
            if translation is not None and translation.text and translation.get("type") is None:
                by_context[(name, source)] = translation.text
                by_source.setdefault(source, translation.text)
    return by_context, by_source


def main() -> int:
    by_context, by_source = translations(TS)
    files = sorted(f for pattern in SOURCES for f in glob.glob(str(ROOT / pattern)))
    subprocess.run(["pyside6-lupdate", *files, "-no-obsolete", "-ts", str(TS)], check=True,
                   capture_output=True)
    tree = ET.parse(TS)
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source, translation = message.findtext("source"), message.find("translation")
            if translation.text and translation.get("type") is None:
                continue
            known = by_context.get((name, source)) or by_source.get(source)
            if known is None:
                missing.append(f"{name}: {source}")
                continue
            translation.text = known
            translation.attrib.pop("type", None)
    root = tree.getroot()
    root.text = "\n"
    for context in root:  # the layout of the file as committed: contexts at the margin
        ET.indent(context, space="    ")
        context.tail = "\n"
    with open(TS, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
    subprocess.run(["pyside6-lrelease", str(TS), "-qm", str(QM)], check=True, capture_output=True)
    for line in missing:
        print("no translation yet:", line)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

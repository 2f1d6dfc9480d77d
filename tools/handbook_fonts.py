"""Make the handbook's static Open Sans faces from the variable fonts of Open Sans 3.003 (SIL OFL 1.1).

The PDF handbook embeds only fonts from the repository (``hooks/schulerfolg/handbook/fonts/``), so that
its bytes do not depend on the fonts a machine happens to have. WeasyPrint lays out static faces more
predictably than a variable font, so each weight the print stylesheet uses is instantiated once here.

Get the variable fonts from PyPI and run this script (maintainers only, when updating the typeface)::

    pip download --no-deps -d /tmp/os fontpkg-open-sans==3.3 && python -m zipfile -e /tmp/os/*.whl /tmp/os/x
    .venv/bin/python tools/handbook_fonts.py /tmp/os/x/fontpkg_open_sans/files

then copy ``/tmp/os/x/fontpkg_open_sans/LICENSE`` to ``hooks/schulerfolg/handbook/fonts/OFL.txt`` if it changed.

Open Sans has no arrows, check boxes or geometric shapes; for those the script also cuts a small face
„Handbuch Symbole“ out of DejaVu Sans (Debian's fonts-dejavu-core; Bitstream Vera licence, renamed as the
licence requires, see ``DejaVu-LICENSE.txt``), the only fallback the print stylesheet names.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

TARGET = Path(__file__).resolve().parent.parent / "hooks" / "schulerfolg" / "handbook" / "fonts"
FACES = {  # file name → (source, weight)
    "OpenSans-Regular.ttf": ("OpenSans[wdth,wght].ttf", 400),
    "OpenSans-SemiBold.ttf": ("OpenSans[wdth,wght].ttf", 600),
    "OpenSans-Bold.ttf": ("OpenSans[wdth,wght].ttf", 700),
    "OpenSans-Italic.ttf": ("OpenSans-Italic[wdth,wght].ttf", 400),
    "OpenSans-SemiBoldItalic.ttf": ("OpenSans-Italic[wdth,wght].ttf", 600),
    "OpenSans-BoldItalic.ttf": ("OpenSans-Italic[wdth,wght].ttf", 700),
}

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SYMBOLS = "HandbuchSymbole.ttf"
SYMBOL_RANGES = [(0x0020, 0x0020), (0x00A0, 0x00A0), (0x2000, 0x200A), (0x202F, 0x202F),  # spaces inside a run
                 (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2300, 0x23FF), (0x2460, 0x24FF), (0x2500, 0x257F),
                 (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x2700, 0x27BF), (0x2B00, 0x2BFF)]
"""Arrows, mathematical operators, technical symbols, enclosed numbers, box drawing, geometric shapes,
miscellaneous symbols, dingbats (✓ ✗ ☐ ☑ → ■ …)."""


def symbols_face(target: Path) -> None:
    font = TTFont(DEJAVU, recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for start, end in SYMBOL_RANGES for c in range(start, end + 1)])
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 4, 16):
            record.string = "Handbuch Symbole"
        elif record.nameID == 6:
            record.string = "HandbuchSymbole"
        elif record.nameID == 3:
            record.string = "Handbuch Symbole (aus DejaVu Sans)"
    font.save(target)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    source = Path(argv[0])
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, (variable, weight) in FACES.items():
        font = TTFont(source / variable)
        static = instantiateVariableFont(font, {"wght": weight, "wdth": 100}, updateFontNames=True)
        static.recalcTimestamp = False  # keep the source's date: the same input gives the same bytes
        static.save(TARGET / name, reorderTables=True)
        print(f"{TARGET / name}: {(TARGET / name).stat().st_size} Bytes")
    symbols_face(TARGET / SYMBOLS)
    print(f"{TARGET / SYMBOLS}: {(TARGET / SYMBOLS).stat().st_size} Bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

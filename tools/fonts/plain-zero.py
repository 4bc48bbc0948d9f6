#!/usr/bin/env python3
"""Gives Atkinson Hyperlegible a plain zero (its slashed zero reads as "Ø" to many visitors:
"entre 1Ø et 2Ø minutes").

The zero of both weights is one outer contour and two inner counters split by the slash.
The two counters become one: the outer contour scaled about its centre to the counters'
combined box, in the opposite direction (a hole). Scaling a TrueType outline is exact, so
the counter keeps the outer contour's shape. Nothing else in the file changes but the
version string, which says so. The files in assets/fonts/atkinson-hyperlegible/ are the
output of this script; to redo it from the original files (Braille Institute, OFL 1.1, no
reserved font name):

    python3 -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools
    /tmp/ft/bin/python tools/fonts/plain-zero.py ORIGINAL.ttf OUT.ttf
"""
import sys

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import GlyphCoordinates

MARK = "; zero without its slash (guichet, tools/fonts/plain-zero.py)"


def contours(glyph, glyf):
    coords, ends, flags = glyph.getCoordinates(glyf)
    start = 0
    for end in ends:
        yield list(coords[start:end + 1]), list(flags[start:end + 1])
        start = end + 1


def box(points):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def plain(font):
    glyf = font["glyf"]
    name = font.getBestCmap()[ord("0")]
    zero = glyf[name]
    parts = list(contours(zero, glyf))
    if len(parts) != 3:
        sys.exit(f"{name}: {len(parts)} contours, expected the outer one and two counters")
    outer, outer_flags = parts[0]
    ox0, oy0, ox1, oy1 = box(outer)
    inner = [p for pts, _ in parts[1:] for p in pts]
    ix0, iy0, ix1, iy1 = box(inner)
    cx, cy = (ix0 + ix1) / 2, (iy0 + iy1) / 2
    sx, sy = (ix1 - ix0) / (ox1 - ox0), (iy1 - iy0) / (oy1 - oy0)
    ocx, ocy = (ox0 + ox1) / 2, (oy0 + oy1) / 2
    hole = [(round(cx + (x - ocx) * sx), round(cy + (y - ocy) * sy)) for x, y in outer]
    # The same points backwards, with their on/off-curve flags: a counter turns the other way.
    hole_flags = list(outer_flags)
    hole, hole_flags = hole[::-1], hole_flags[::-1]
    zero.coordinates = GlyphCoordinates(outer + hole)
    zero.flags = bytearray(outer_flags + hole_flags)
    zero.endPtsOfContours = [len(outer) - 1, len(outer) + len(hole) - 1]
    zero.numberOfContours = 2
    zero.program.fromBytecode(b"")  # its hints described the slash
    zero.recalcBounds(glyf)
    for record in font["name"].names:
        if record.nameID == 5 and MARK not in record.toUnicode():
            record.string = record.toUnicode() + MARK


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    font = TTFont(sys.argv[1])
    plain(font)
    font.save(sys.argv[2])


if __name__ == "__main__":
    main()

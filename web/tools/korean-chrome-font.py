"""One small Korean font file per weight for the Hangul every page shows whatever its language.

The site's Korean font is Noto Sans KR split into ~120 files per weight by unicode-range
(korean-font-plugin.mjs). An English page still draws a few Korean words: the articles' titles
and "한국어" in its language switch. Their 34 syllables lie in 5 of those files per weight,
which an English reader on a machine without a Korean font fetched to draw them. This
script keeps only those syllables of the split files that hold them and merges what is left
into one file, which korean.css declares for exactly those syllables.

    python3 korean-chrome-font.py TEXT OUT.woff2 SPLIT.woff2 [SPLIT.woff2 ...]

korean-font-plugin.mjs picks the split files (the ones whose ranges hold a syllable of TEXT).
Uses fontTools, from Debian's python3-fonttools and python3-brotli (web/tools/setup.sh installs
them). Exits 1 if the result lacks a character of TEXT.
"""
import io
import sys

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont


def main(text, out, files):
    wanted = sorted({ord(ch) for ch in text})
    parts = []
    for path in files:
        font = TTFont(path)
        held = [c for c in wanted if c in font.getBestCmap()]
        options = subset.Options()
        options.layout_features = []  # Hangul syllables need no shaping
        options.drop_tables += ['GSUB', 'GPOS', 'GDEF']
        options.hinting = False
        options.name_IDs = ['*']  # the licence and the name travel with the glyphs
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=held)
        subsetter.subset(font)
        font.flavor = None
        data = io.BytesIO()
        font.save(data)
        data.seek(0)
        parts.append(data)

    merged = Merger().merge(parts)
    merged.flavor = 'woff2'
    merged.save(out)
    cmap = TTFont(out).getBestCmap()
    missing = ''.join(chr(c) for c in wanted if c not in cmap)
    if missing:
        print(f'korean-chrome-font: {out} lacks {missing}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))

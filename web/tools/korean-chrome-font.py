"""One small Korean font file per weight for the Hangul every page shows whatever its language.

The site's Korean font is Noto Sans KR split into ~120 files per weight by unicode-range
(korean-font-plugin.mjs). An English page still draws a few Korean words: the articles' titles
and "한국어" in its language switch. Their ~35 syllables lie in several of those files, so an
English reader on a machine without a Korean font fetched 30 files (300 KB) for them. This
script cuts those syllables out of the split files and merges them into one file per weight,
which korean.css declares last, so a browser takes it before the split files for those
characters.

    python3 korean-chrome-font.py PACKAGE_DIR WEIGHT TEXT OUT.woff2

PACKAGE_DIR is @fontsource/noto-sans-kr (its unicode.json and files/). Uses fontTools, from
Debian's python3-fonttools and python3-brotli (web/tools/setup.sh installs them).
Prints the number of characters and files; exits 1 if a character of TEXT is in no file or
missing from the result.
"""
import io
import json
import sys

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont


def ranges(unicode_range):
    out = []
    for part in unicode_range.split(','):
        lo, _, hi = part.strip()[2:].partition('-')
        out.append((int(lo, 16), int(hi or lo, 16)))
    return out


def main(package, weight, text, out):
    with open(f'{package}/unicode.json', encoding='utf-8') as f:
        subsets = {key[1:-1]: ranges(value) for key, value in json.load(f).items() if key.startswith('[')}
    wanted = sorted({ord(ch) for ch in text})
    by_file = {}
    for code in wanted:
        found = next((sid for sid, rs in subsets.items() if any(lo <= code <= hi for lo, hi in rs)), None)
        if found is None:
            print(f'korean-chrome-font: U+{code:04X} ({chr(code)}) is in no file of {package}', file=sys.stderr)
            return 1
        by_file.setdefault(found, []).append(code)

    parts = []
    for sid, codes in sorted(by_file.items()):
        font = TTFont(f'{package}/files/noto-sans-kr-{sid}-{weight}-normal.woff2')
        options = subset.Options()
        options.layout_features = []  # Hangul syllables need no shaping
        options.drop_tables += ['GSUB', 'GPOS', 'GDEF']
        options.hinting = False
        options.name_IDs = ['*']  # the licence and the name travel with the glyphs
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codes)
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
    missing = [chr(c) for c in wanted if c not in cmap]
    if missing:
        print(f'korean-chrome-font: {out} lacks {"".join(missing)}', file=sys.stderr)
        return 1
    print(f'{len(wanted)} characters from {len(by_file)} files')
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))

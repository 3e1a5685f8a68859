#!/usr/bin/env bash
# Rebuilds assets/fonts/NotoSansSC-subset.otf and NotoSansSC-Bold-subset.otf: Noto Sans
# CJK SC regular and bold (SIL OFL 1.1, from Debian's fonts-noto-cjk) cut down to the
# characters our sources use, so Chinese text renders on machines without a CJK font,
# and bold Chinese titles are bold like the Latin text beside them. Run after adding
# Chinese text; the test `bundled_cjk_font_covers_every_chinese_character` fails until
# you do.
# Needs: apt-get install fonts-noto-cjk fonttools (or pip install fonttools).
set -euo pipefail
cd "$(dirname "$0")/../.."
# A Python that has fontTools (Debian's, when another python3 comes first on the PATH).
py=python3
"$py" -c 'import fontTools' 2>/dev/null || py=/usr/bin/python3
chars=$(mktemp)
trap 'rm -f "$chars"' EXIT
# Every character at or above U+2000 in the Rust sources (CJK, punctuation, arrows),
# and in the generator's samples, whose notes the app shows.
python3 - > "$chars" <<'PY'
import pathlib
text = set()
for p in [*pathlib.Path("src").rglob("*.rs"), *pathlib.Path("samples/generator/src/samples").rglob("*.rs")]:
    text |= {c for c in p.read_text(encoding="utf-8") if ord(c) >= 0x2000}
print("".join(sorted(text)))
PY
for weight in Regular Bold; do
    ttc=/usr/share/fonts/opentype/noto/NotoSansCJK-$weight.ttc
    index=$("$py" - "$ttc" <<'PY'
import sys
from fontTools.ttLib import TTCollection
for i, font in enumerate(TTCollection(sys.argv[1]).fonts):
    if "Noto Sans CJK SC" in font["name"].getDebugName(1):
        print(i); break
PY
)
    case $weight in
        Regular) out=assets/fonts/NotoSansSC-subset.otf ;;
        Bold) out=assets/fonts/NotoSansSC-Bold-subset.otf ;;
    esac
    pyftsubset "$ttc" --font-number="$index" --text-file="$chars" \
      --output-file="$out" --layout-features='*' --name-IDs='*' --no-hinting
    ls -l "$out"
done

#!/usr/bin/env bash
# Rebuilds assets/fonts/NotoSansSC-subset.otf: Noto Sans CJK SC (SIL OFL 1.1, from
# Debian's fonts-noto-cjk) cut down to the characters our sources use, so Chinese text
# renders on machines without a CJK font. Run after adding Chinese text; the test
# `bundled_cjk_font_covers_every_chinese_character` fails until you do.
# Needs: apt-get install fonts-noto-cjk; pip install fonttools.
set -euo pipefail
cd "$(dirname "$0")/../.."
ttc=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
index=$(python3 - "$ttc" <<'PY'
import sys
from fontTools.ttLib import TTCollection
for i, font in enumerate(TTCollection(sys.argv[1]).fonts):
    if "Noto Sans CJK SC" in font["name"].getDebugName(1):
        print(i); break
PY
)
chars=$(mktemp)
# Every character at or above U+2000 in the Rust sources (CJK, punctuation, arrows).
python3 - > "$chars" <<'PY'
import pathlib
text = set()
for p in pathlib.Path("src").rglob("*.rs"):
    text |= {c for c in p.read_text(encoding="utf-8") if ord(c) >= 0x2000}
print("".join(sorted(text)))
PY
pyftsubset "$ttc" --font-number="$index" --text-file="$chars" \
  --output-file=assets/fonts/NotoSansSC-subset.otf --layout-features='*' --name-IDs='*' --no-hinting
rm -f "$chars"
ls -l assets/fonts/NotoSansSC-subset.otf

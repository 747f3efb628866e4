#!/usr/bin/env bash
# update-font.sh — make the report's CJK font from Debian's fonts-wqy-microhei.
#
# The package ships WenQuanYi Micro Hei as a TrueType collection (two faces);
# the PDF library reads a single TrueType font only. This script downloads the
# pinned package with `apt-get download`, checks it against the pinned sha256,
# takes its first face ("WenQuanYi Micro Hei", not the Mono one) out of the
# collection unchanged with fontTools (Debian's python3-fonttools: no timestamp
# or bounding box recomputed), then keeps only the characters a report needs —
# GB 2312's 6,763 hanzi and symbols, Latin, Greek, punctuation, units, arrows,
# circled numbers, full-width forms — without hinting or layout tables, so the
# font stays small enough for git (1.3 MB, not 4.6 MB); checks the result and
# copies it, with the package's copyright file, beside this script. A
# character outside the subset prints as the font's blank glyph.
# Needs apt-get (run `apt-get update` once first), dpkg-deb and python3-fonttools.
set -euo pipefail

VERSION='0.2.0-beta-3.1'
DEB_SHA256=239163df984eea5c9da3b551aee374936222cdbd67f1a1be3cdcf3d76143ad66
TTF_SHA256=1c6503e656e7bda78d5958185a49fa9c7692c0446b7a3031a14655095acc8b61
SUB_SHA256=bbeeae64875dd650e53289bd7d97fce980b1ce5b4b9a90926ee9a2f76b2312c8
TTC=usr/share/fonts/truetype/wqy/wqy-microhei.ttc

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

for tool in apt-get dpkg-deb sha256sum python3; do
	command -v "$tool" >/dev/null || { echo "update-font: $tool is needed" >&2; exit 1; }
done
py= # Debian's fontTools is under /usr/bin/python3, which another python3 on the PATH may hide
for c in python3 /usr/bin/python3; do
	if "$c" -c 'import fontTools' 2>/dev/null; then py=$c; break; fi
done
[ -n "$py" ] || { echo "update-font: fontTools is needed (apt-get install python3-fonttools)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt-get download fetches as the _apt user when it can

(cd "$tmp" && apt-get download -q "fonts-wqy-microhei=$VERSION" >/dev/null)
deb=$(ls "$tmp"/fonts-wqy-microhei_*_all.deb)

check() { # check FILE SHA256
	got=$(sha256sum "$1" | cut -d' ' -f1)
	[ "$got" = "$2" ] || { echo "update-font: sha256 mismatch for $1: want $2, got $got" >&2; exit 1; }
}
check "$deb" "$DEB_SHA256"
dpkg-deb -x "$deb" "$tmp/x"

"$py" - "$tmp/x/$TTC" "$tmp/wqy-microhei.ttf" <<'PY'
import sys
from fontTools.ttLib import TTCollection
from fontTools.ttLib import TTFont
# Lazy, and no table read before the save: a table read is written anew.
TTCollection(sys.argv[1], recalcTimestamp=False, recalcBBoxes=False, lazy=True).fonts[0].save(sys.argv[2])
name = TTFont(sys.argv[2])["name"].getDebugName(4)
assert name == "WenQuanYi Micro Hei", name
PY
# Another fontTools may lay the tables out otherwise: read the font, then pin its new sum.
check "$tmp/wqy-microhei.ttf" "$TTF_SHA256"

"$py" - "$tmp/chars.txt" <<'PY'
import sys
chars = set()
for hi in range(0xA1, 0xF8):  # GB 2312: rows A1–F7, cells A1–FE
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
for a, b in [(0x20, 0x7E), (0xA0, 0x17F), (0x370, 0x3FF), (0x2000, 0x206F), (0x2070, 0x209F),
             (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF),
             (0x3000, 0x303F), (0xFF00, 0xFFEF)]:
    chars.update(chr(c) for c in range(a, b + 1))
open(sys.argv[1], "w").write("".join(sorted(chars)))
PY
"$py" -m fontTools.subset "$tmp/wqy-microhei.ttf" --text-file="$tmp/chars.txt" --output-file="$tmp/sub.ttf" \
	--no-hinting --layout-features='' --drop-tables+=DSIG,GSUB,GPOS 2>/dev/null
check "$tmp/sub.ttf" "$SUB_SHA256"

cp "$tmp/sub.ttf" "$here/wqy-microhei.ttf"
cp "$tmp/x/usr/share/doc/fonts-wqy-microhei/copyright" "$here/COPYRIGHT.debian"
echo "update-font: wqy-microhei.ttf from fonts-wqy-microhei $VERSION"

#!/usr/bin/env bash
# update-font.sh — make the report's CJK font from Debian's fonts-wqy-microhei.
#
# The package ships WenQuanYi Micro Hei as a TrueType collection (two faces);
# the PDF library reads a single TrueType font only. This script downloads the
# pinned package with `apt-get download`, checks it against the pinned sha256,
# takes its first face ("WenQuanYi Micro Hei", not the Mono one) out of the
# collection unchanged with fontTools (Debian's python3-fonttools: no timestamp
# or bounding box recomputed), checks the result and copies it, with the
# package's copyright file, beside this script.
# Needs apt-get (run `apt-get update` once first), dpkg-deb and python3-fonttools.
set -euo pipefail

VERSION='0.2.0-beta-3.1'
DEB_SHA256=239163df984eea5c9da3b551aee374936222cdbd67f1a1be3cdcf3d76143ad66
TTF_SHA256=1c6503e656e7bda78d5958185a49fa9c7692c0446b7a3031a14655095acc8b61
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

cp "$tmp/wqy-microhei.ttf" "$here/wqy-microhei.ttf"
cp "$tmp/x/usr/share/doc/fonts-wqy-microhei/copyright" "$here/COPYRIGHT.debian"
echo "update-font: wqy-microhei.ttf from fonts-wqy-microhei $VERSION"

#!/usr/bin/env bash
# update-leaflet.sh — vendor Leaflet for the console, exactly as published.
#
# Fetches the pinned release with `npm pack`, checks the tarball against the
# pinned SRI integrity (sha512), and unpacks it unmodified into
# web/ui/vendor/leaflet/ (dist/, LICENSE, package.json and the rest of the
# package). Run it from anywhere; it finds its own directory. To move to a
# new release, change VERSION and INTEGRITY together (the integrity is the
# `dist.integrity` of that release, shown by `npm view leaflet@VERSION dist`).
set -euo pipefail

VERSION=1.9.4
INTEGRITY='sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=='

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dest="$here/leaflet"

for tool in npm openssl tar base64; do
	command -v "$tool" >/dev/null || { echo "update-leaflet: $tool is needed" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "leaflet@$VERSION" >/dev/null)
tarball="$tmp/leaflet-$VERSION.tgz"
[ -f "$tarball" ] || { echo "update-leaflet: npm pack made no $tarball" >&2; exit 1; }

got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$got" != "$INTEGRITY" ]; then
	cat >&2 <<MSG
update-leaflet: INTEGRITY MISMATCH for leaflet@$VERSION — nothing was changed.
  want $INTEGRITY
  got  $got
MSG
	exit 1
fi

mkdir "$tmp/x"
tar -xzf "$tarball" -C "$tmp/x" --no-same-owner --no-same-permissions
[ -f "$tmp/x/package/dist/leaflet-src.esm.js" ] || { echo "update-leaflet: the package has no dist/leaflet-src.esm.js" >&2; exit 1; }

rm -rf "$dest"
mv "$tmp/x/package" "$dest"
echo "update-leaflet: leaflet@$VERSION verified ($INTEGRITY) and unpacked into $dest"

#!/usr/bin/env bash
# Refresh static/vendor/ from node_modules (versions pinned in package.json /
# package-lock.json). Idempotent: re-running with the same lockfile gives the
# same files. Run from anywhere; it works from the repo root.
#
# To upgrade a package: npm install --save-dev --save-exact <pkg>@<version>,
# then `make vendor-assets`, then update the versions in static/vendor/README.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ]; then
  echo "node_modules missing: running npm ci" >&2
  npm ci --no-audit --no-fund
fi

vendor=static/vendor

# --- Inter (variable, wght axis, normal style, latin subset) -----------------
inter_src=node_modules/@fontsource-variable/inter
inter_dst=$vendor/inter
rm -rf "$inter_dst"
mkdir -p "$inter_dst"
cp "$inter_src/files/inter-latin-wght-normal.woff2" "$inter_dst/"
cp "$inter_src/LICENSE" "$inter_dst/LICENSE"

# --- Lucide icons (only the ones the app uses) ------------------------------
# Canonical Lucide names; old aliases: triangle-alert = alert-triangle,
# chart-column = bar-chart-3, house = home.
icons=(
  store shopping-cart message-circle log-in log-out user mail lock menu x
  check triangle-alert info chevron-right chevron-left package list settings
  chart-column star eye eye-off qr-code phone map-pin clock house plus
  trash-2 pencil search external-link copy share-2 globe upload credit-card gift
  download
)
lucide_src=node_modules/lucide-static
lucide_dst=$vendor/lucide
rm -rf "$lucide_dst"
mkdir -p "$lucide_dst"
cp "$lucide_src/LICENSE" "$lucide_dst/LICENSE"
for name in "${icons[@]}"; do
  src="$lucide_src/icons/$name.svg"
  if [ ! -f "$src" ]; then
    echo "vendor-assets: lucide icon '$name' not found in $lucide_src/icons" >&2
    exit 1
  fi
  cp "$src" "$lucide_dst/"
done

# --- Twemoji (demo store product pictures, drawn at seed time) ---------------
# Only the food emoji the demo catalog uses (services/demo_catalog.go). The
# graphics are CC-BY 4.0 (Twitter, Inc and other contributors); the npm
# repackaging is MIT. Both notices are kept next to the files.
emoji=(
  1f32e 1f34d 1f9c5 1f969 1f437 1f32d 1f411 1f34a 1f33f 1fad3 1f9c0
  1f96a 1f951 1f956 1f336 1f373 1f959 1f33c 1f33d 1f953 1f30b
  1f95b 1f35a 1f379 1f33a 1f9cb 1fad8 1f964 1f9ca 1f9c3 1f34b 2615
  1f36e 1f369 1f36f 1f370
)
twemoji_src=node_modules/@twemoji/svg
twemoji_dst=services/demoart/twemoji
rm -rf "$twemoji_dst"
mkdir -p "$twemoji_dst"
cp "$twemoji_src/license" "$twemoji_dst/LICENSE-npm-package"
for code in "${emoji[@]}"; do
  src="$twemoji_src/$code.svg"
  if [ ! -f "$src" ]; then
    echo "vendor-assets: twemoji '$code' not found in $twemoji_src" >&2
    exit 1
  fi
  cp "$src" "$twemoji_dst/"
done
cat > "$twemoji_dst/ATTRIBUTION.md" <<EOF
# Twemoji graphics

The SVG files in this folder are Twemoji graphics, copied unchanged by
scripts/vendor-assets.sh from the npm package @twemoji/svg
$(node -p "require('./$twemoji_src/package.json').version"), a repackaging of
https://github.com/jdecked/twemoji (originally https://github.com/twitter/twemoji).

Graphics copyright 2019 Twitter, Inc and other contributors, and jdecked and
other contributors. Licensed under CC-BY 4.0:
https://creativecommons.org/licenses/by/4.0/

Qubly draws them, scaled and placed on a background in the store's colours,
as the demo store's product pictures (services/demoart). The demo store's
footer credits Twemoji and links to the license. LICENSE-npm-package is the
MIT license of the npm repackaging, not of the graphics.
EOF

# --- Chart.js (admin metrics pages only) ------------------------------------
# The self-contained UMD build (window.Chart); its source-map comment is
# dropped as the map is not vendored.
chart_src=node_modules/chart.js
chart_dst=$vendor/chartjs
rm -rf "$chart_dst"
mkdir -p "$chart_dst"
cp "$chart_src/LICENSE.md" "$chart_dst/LICENSE.md"
grep -v '^//# sourceMappingURL=' "$chart_src/dist/chart.umd.min.js" > "$chart_dst/chart.umd.min.js"

echo "vendor-assets: inter $(node -p "require('./$inter_src/package.json').version"), lucide-static $(node -p "require('./$lucide_src/package.json').version") (${#icons[@]} icons) -> $vendor, @twemoji/svg $(node -p "require('./$twemoji_src/package.json').version") (${#emoji[@]} emoji) -> $twemoji_dst, chart.js $(node -p "require('./$chart_src/package.json').version") -> $chart_dst"

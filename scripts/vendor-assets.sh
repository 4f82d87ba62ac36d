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
  trash-2 pencil search external-link copy share-2 globe upload
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

echo "vendor-assets: inter $(node -p "require('./$inter_src/package.json').version"), lucide-static $(node -p "require('./$lucide_src/package.json').version") (${#icons[@]} icons) -> $vendor"

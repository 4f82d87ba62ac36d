#!/usr/bin/env bash
# Fail if the committed static/css/app.css is not what the Tailwind build
# produces from static/css/input.css + templates/ + static/js/ (i.e. stale CSS).
# Run from anywhere; it works from the repo root.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ]; then
  echo "node_modules missing: running npm ci" >&2
  npm ci --no-audit --no-fund
fi

committed=static/css/app.css
tmpdir=$(mktemp -d)
trap 'rm -rf "$tmpdir"' EXIT
# Build next to the real output's name so relative url() handling is identical.
mkdir -p "$tmpdir/static/css"
built=$tmpdir/static/css/app.css

npx --no-install @tailwindcss/cli -i static/css/input.css -o "$built" --minify 2>"$tmpdir/build.log" || {
  cat "$tmpdir/build.log" >&2
  echo "check-css: tailwind build failed" >&2
  exit 1
}

if [ ! -f "$committed" ]; then
  echo "check-css: $committed does not exist; run 'make css' and commit it" >&2
  exit 1
fi

if ! cmp -s "$built" "$committed"; then
  echo "check-css: $committed is stale (differs from a fresh Tailwind build)." >&2
  echo "check-css: run 'make css' and commit static/css/app.css" >&2
  diff <(tr '}' '\n' <"$committed") <(tr '}' '\n' <"$built") | cut -c1-200 | head -n 20 >&2 || true
  exit 1
fi

echo "check-css: $committed is up to date"

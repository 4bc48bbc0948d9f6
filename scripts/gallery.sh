#!/usr/bin/env bash
# Renders every screen into docs/screenshots/: French in normal, high contrast and large
# print, plus Arabic and Ukrainian. Uses a scratch data directory (real demo tickets).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${GUICHET_BIN:-target/release/guichet}
[ -n "${GUICHET_BIN:-}" ] || cargo build --release --locked
data=$(mktemp -d)
out=docs/screenshots
mkdir -p "$out"
screens="attract language theme procedure have priority summary ticket help settings warning staff"
for s in $screens; do
  $bin --data-dir "$data" screenshot --screen "$s" --lang fr --out "$out/$s-fr.png" >/dev/null
  $bin --data-dir "$data" screenshot --screen "$s" --lang fr --theme contrast --out "$out/$s-fr-contrast.png" >/dev/null
  $bin --data-dir "$data" screenshot --screen "$s" --lang fr --large --out "$out/$s-fr-large.png" >/dev/null
  $bin --data-dir "$data" screenshot --screen "$s" --lang ar --out "$out/$s-ar.png" >/dev/null
  $bin --data-dir "$data" screenshot --screen "$s" --lang uk --out "$out/$s-uk.png" >/dev/null
done
rm -rf "$data"
echo "screenshots in $out"

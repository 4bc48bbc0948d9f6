#!/usr/bin/env bash
# Renders every screen into docs/screenshots/ on the 10.1" display: French in normal, high
# contrast and large print, plus Arabic and Ukrainian; then a subset on each other
# reference display, and large print in Arabic and Ukrainian. Uses a scratch data
# directory (real demo tickets).
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
# Each reference display beyond the 10.1" (a chosen subset: the repository keeps them),
# and large print in Arabic and Ukrainian: what the tests check, as a person sees it.
display() { # name width height width_mm height_mm
  printf 'site_name = "Démo"\n[display]\nwidth_px = %s\nheight_px = %s\nwidth_mm = %s\nheight_mm = %s\n' \
    "$2" "$3" "$4" "$5" >"$data/$1.toml"
}
display 7in-landscape 800 480 154 86
display 7in-portrait 720 1280 88 155
display 15in 1920 1080 344 194
display 21in-portrait 1080 1920 268 477
display 10in 1280 800 217 136
# An office that offers "Suivre mon tour": the ticket shows the visitor's code too.
display 10in-follow 1280 800 217 136
printf '[follow]\nenabled = true\npublic_url = "http://192.168.1.10:8081"\n' >>"$data/10in-follow.toml"
shot() { # config screen lang name [more args]
  local config=$1 screen=$2 lang=$3 name=$4
  shift 4
  $bin --data-dir "$data" --config "$data/$config.toml" screenshot --size "$(size "$config")" \
    --screen "$screen" --lang "$lang" --out "$out/$name.png" "$@" >/dev/null
}
size() {
  sed -n 's/^width_px = //p;s/^height_px = //p' "$data/$1.toml" | paste -sd x
}
for s in attract theme have ticket; do
  shot 7in-landscape "$s" fr "$s-fr-7in-landscape"
  shot 7in-portrait "$s" fr "$s-fr-7in-portrait"
done
shot 7in-landscape procedure ar procedure-ar-7in-landscape
shot 7in-landscape have uk have-uk-7in-landscape
# The first 7" Touch Display's low-screen frame (three named tools in the rail, Back in
# the action row): its ticket and a list in Arabic and Ukrainian too.
for lang in ar uk; do
  shot 7in-landscape ticket "$lang" "ticket-$lang-7in-landscape"
  shot 7in-landscape theme "$lang" "theme-$lang-7in-landscape"
done
# Large print on the first 7" panel, with its own frame (`tight`).
shot 7in-landscape attract fr attract-fr-7in-landscape-large --large
shot 7in-landscape theme uk theme-uk-7in-landscape-large --large
shot 7in-landscape help ar help-ar-7in-landscape-large --large
shot 7in-landscape settings fr settings-fr-7in-landscape-large --large --theme contrast
shot 7in-landscape have fr have-fr-7in-landscape-large --large
shot 7in-landscape priority ar priority-ar-7in-landscape-large --large
shot 7in-landscape summary uk summary-uk-7in-landscape-large --large
shot 7in-landscape ticket fr ticket-fr-7in-landscape-large --large
# Large print on the 7" portrait panel (88 mm wide): the same frame, the tools in a strip.
shot 7in-portrait theme fr theme-fr-7in-portrait-large --large
shot 7in-portrait have uk have-uk-7in-portrait-large --large
shot 7in-portrait summary ar summary-ar-7in-portrait-large --large
shot 7in-portrait ticket uk ticket-uk-7in-portrait-large --large
shot 7in-portrait procedure ar procedure-ar-7in-portrait-large --large --theme contrast
shot 15in ticket fr ticket-fr-15in
# Large print names the tools where the screen keeps its room (not on the 10.1" yet).
for lang in fr ar uk; do
  shot 15in theme "$lang" "theme-$lang-15in-large" --large
done
shot 21in-portrait theme fr theme-fr-21in-portrait
shot 21in-portrait ticket fr ticket-fr-21in-portrait --large
shot 10in-follow ticket fr ticket-fr-follow
shot 10in-follow ticket ar ticket-ar-follow
for lang in ar uk; do
  for s in theme summary ticket; do
    shot 10in "$s" "$lang" "$s-$lang-large" --large
  done
done
rm -rf "$data"
# A ticket's later pages (NAME-2.png…, written by screenshot) are not kept.
rm -f "$out"/ticket-*-[0-9].png "$out"/ticket-*-[0-9][0-9].png
# Flat colours: a lossless recompression keeps the repository's growth small.
if command -v optipng >/dev/null; then optipng -quiet -o2 "$out"/*.png; fi
echo "screenshots in $out"

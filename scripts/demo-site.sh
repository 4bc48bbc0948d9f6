#!/usr/bin/env bash
# The site demo (`scripts/demo.sh --site`): one shared queue on PostgreSQL (a throwaway
# cluster of Debian's server in ./guichet-site/pg, removed at the end), two kiosk windows
# (the entrance and upstairs, each with its own local series for when the server is away)
# and the staff console on http://127.0.0.1:8080 (the upstairs kiosk's own on :8082):
# a ticket taken at either kiosk shows on the console, in one numbering.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${GUICHET_BIN:-${CARGO_TARGET_DIR:-target}/release/guichet}"
root=${GUICHET_SITE_DIR:-guichet-site}
port=${GUICHET_SITE_PORT:-8080}
mkdir -p "$root"
"$bin" site-demo-server --dir "$root/pg" >"$root/server.out" 2>"$root/server.err" &
server=$!
pids=()
xvfb=
stop() {
  trap - EXIT
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  kill -TERM "$server" 2>/dev/null || true
  wait "${pids[@]}" "$server" 2>/dev/null || true
  if [ -n "$xvfb" ]; then kill "$xvfb" 2>/dev/null || true; fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for _ in $(seq 120); do
  grep -q '^database = ' "$root/server.out" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$root/server.err" >&2; exit 1; }
  sleep 0.5
done
database=$(grep -m1 '^database = ' "$root/server.out") || { echo "the site's server did not start" >&2; exit 1; }
kiosk() { # name, title, series, console port
  mkdir -p "$root/$1"
  cat >"$root/$1/guichet.toml" <<TOML
site_name = "$2"
[site]
$database
local_series = "$3"
[console]
bind = "127.0.0.1:$4"
TOML
}
kiosk entree "Mairie, entrée" E "$port"
kiosk etage "Mairie, étage" H $((port + 2))
if ! "$bin" --data-dir "$root/entree" staff list | cut -f1 | grep -qx demo; then
  echo "demo-accueil-2026" | "$bin" --data-dir "$root/entree" staff add demo --password-stdin
fi
echo "site demo: console http://127.0.0.1:$port (demo / demo-accueil-2026); two kiosks, one queue"
# The windows are X11 (a Wayland desktop has XWayland and sets DISPLAY).
if [ -z "${DISPLAY:-}" ]; then
  n=$((100 + RANDOM % 400))
  while [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  export DISPLAY=":$n"
  echo "No display: the two kiosks run in a virtual display (Xvfb :$n). The consoles still work."
fi
"$bin" --data-dir "$root/entree" kiosk &
pids+=($!)
"$bin" --data-dir "$root/etage" kiosk &
pids+=($!)
wait "${pids[@]}"

#!/usr/bin/env bash
# Runs the kiosk demo: embedded SQLite in ./guichet-data, simulated printer
# (./guichet-data/printer) and keys, staff console on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-debian.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release --locked
bin="${CARGO_TARGET_DIR:-target}/release/guichet"
if ! $bin staff list | cut -f1 | grep -qx demo; then
  echo "demo-accueil-2026" | $bin staff add demo --password-stdin
  echo "staff console account: demo / demo-accueil-2026"
fi
# --site: two kiosks and a console on one PostgreSQL (scripts/demo-site.sh).
if [ "${1:-}" = "--site" ]; then
  shift
  GUICHET_BIN=$bin exec scripts/demo-site.sh "$@"
fi
# The window is X11 (a Wayland desktop has XWayland and sets DISPLAY).
if [ -n "${DISPLAY:-}" ]; then
  exec $bin kiosk "$@"
else
  echo "No display: running the kiosk in a virtual display (xvfb-run). The staff console still works."
  exec xvfb-run -a -s "-screen 0 1280x800x24" $bin kiosk "$@"
fi

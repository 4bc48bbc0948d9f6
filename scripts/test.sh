#!/usr/bin/env bash
# Runs the whole test suite (unit, store, UI visits by pointer, accessibility checklist,
# console through a real browser, the real binary in a real window, QR round trip),
# after installing what it needs, and the appliance booted in a virtual machine. Prints the
# time of each phase.
# The full display × language matrix: scripts/test-full.sh (run before resolving UI work).
set -euo pipefail
cd "$(dirname "$0")/.."
times=()
phase() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  times+=("$(printf '%-28s %4d s' "$name" $((SECONDS - start)))")
}
report() {
  echo "---- test.sh phases ----"
  printf '%s\n' "${times[@]}"
}
trap report EXIT
phase "setup (packages, Rust)" source scripts/setup-debian.sh
export PATH="$HOME/.cargo/bin:$PATH"
phase "build (tests)" cargo test --locked --no-run "$@"
# Licences, advisories (a dated snapshot of the RustSec database, tools/advisory-db/),
# duplicate versions and sources, against deny.toml (docs/DEPENDENCIES.md). Installs
# cargo-deny the first time (about 2.5 min); then a few seconds.
phase "dependencies (cargo deny)" scripts/deny.sh
# The appliance, booted (firmware-config/tests/vm-test.sh): the Pi package's amd64 twin
# (Slint's linuxkms backend, the same unit and scripts; it also proves the Pi build
# compiles) installed offline in a Debian 12 virtual machine and used on its DRM screen.
# Built here, run after the other tests.
if (($# == 0)); then
  phase "appliance: package, bundle, image" firmware-config/tests/vm-test.sh --prepare
fi

# The UI checks run on one thread each (one Slint backend per process): the two longest
# go to a second process, so both cores work.
heavy=(layout_holds no_clipped)
run_tests() {
  if (($#)); then
    cargo test --locked "$@"
    return
  fi
  local log status=0
  log=$(mktemp)
  (for check in "${heavy[@]}"; do cargo test --locked --test ui -- "$check" || exit 1; done) >"$log" 2>&1 &
  local second=$!
  cargo test --locked --lib --bins --test integration || status=1
  cargo test --locked --doc || status=1
  # The installer, in a throwaway root: every file it writes, run twice (idempotent).
  GUICHET_BIN=target/debug/guichet bash firmware-config/tests/provision-test.sh || status=1
  # The card's first boot: how it reads the technician's guichet.txt.
  bash firmware-config/tests/firstboot-test.sh || status=1
  cargo test --locked --test ui -- "${heavy[@]/#/--skip=}" || status=1
  wait "$second" || status=1
  echo "---- the longest UI checks (second process) ----"
  cat "$log"
  rm -f "$log"
  return $status
}
phase "run (tests)" run_tests "$@"
# The machine runs alone: beside the UI checks, its emulated CPU was starved and the first
# words after its boot came more than 30 s late. Install, visit, staff panel and console,
# doctor, watchdog, power cut, the card failing, the clock in 1970 (two boots); the third
# boot (portrait panel, board role) with scripts/test-full.sh.
if (($# == 0)); then
  phase "appliance (virtual machine)" firmware-config/tests/vm-test.sh --run
fi

#!/usr/bin/env bash
# Runs the whole test suite (unit, store, UI visits by pointer, accessibility checklist,
# console through a real browser, the real binary in a real window, QR round trip),
# after installing what it needs. Prints the time of each phase.
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
phase "run (tests)" cargo test --locked "$@"

#!/usr/bin/env bash
# Runs the whole test suite (unit, store, UI journey, accessibility checklist, console,
# QR round trip), after installing what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-debian.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo test --locked "$@"

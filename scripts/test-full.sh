#!/usr/bin/env bash
# The slow matrices, run by hand before resolving UI or appliance work: every screen in
# every language at every display size and print size (the suite runs a sample of it), and
# the virtual appliance's third boot (a portrait panel, the board role).
set -euo pipefail
cd "$(dirname "$0")/.."
export GUICHET_FULL_MATRIX=1
exec ./scripts/test.sh "$@"

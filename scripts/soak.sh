#!/usr/bin/env bash
# The long runs of issue 24, kept out of scripts/test.sh (see docs/RELIABILITY.md):
#   crash    the crash harness with many kills (GUICHET_CRASH_KILLS, 500; the suite runs 40)
#   staff    staff sessions through the console's real socket (GUICHET_SOAK_SESSIONS, 10000)
#   visits   visits by pointer presses on one kiosk (GUICHET_SOAK_VISITS, 10000)
#   kiosks   a new kiosk for each visit, as the UI checks make them (GUICHET_SOAK_KIOSKS, 300)
# With no argument, all four. Each prints its seed or its curve (CSV) and fails if the
# store lost or half-applied anything, or if memory, open files, threads or the time of an
# iteration do not level off. A failed crash run is replayed with GUICHET_CRASH_SEED.
# Runs at the lowest priority: `nice -n 19` is applied here.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export GUICHET_CRASH_KILLS=${GUICHET_CRASH_KILLS:-500}
runs=("$@")
((${#runs[@]})) || runs=(crash staff visits kiosks)
cargo=(nice -n 19 cargo test --locked)
status=0
for run in "${runs[@]}"; do
  start=$SECONDS
  case $run in
    crash) "${cargo[@]}" --test integration -- --exact crash::killed_at_random_moments_the_store_loses_nothing_confirmed_and_half_applies_nothing --nocapture || status=1 ;;
    staff) "${cargo[@]}" --test integration -- --exact soak_staff::soak_staff_sessions --ignored --nocapture || status=1 ;;
    visits) "${cargo[@]}" --test ui -- --exact soak_visits --ignored --nocapture || status=1 ;;
    kiosks) "${cargo[@]}" --test ui -- --exact soak_kiosks --ignored --nocapture || status=1 ;;
    *) echo "soak.sh: unknown run '$run' (crash, staff, visits, kiosks)" >&2; exit 2 ;;
  esac
  echo "---- soak $run: $((SECONDS - start)) s"
done
exit $status

#!/usr/bin/env bash
# The property tests of bad input (tests/integration/props_*.rs) at high case counts:
# the default suite (scripts/test.sh) runs a few hundred cases of each; this runs
# FUZZ_CASES (100 000 by default) of each cheap parser and a share of that of the costly
# ones (each queue case opens a database and commits every step). Not part of CI: run it
# before a release or after changing a parser, the console's routes or the queue rules.
#
# A failure is shrunk to a small input and kept in tests/proptest-regressions/, which
# every later run (the default suite too) tries first: commit that file with the fix and
# a test of its own. Prints the cases and the time of each part.
#
#   scripts/fuzz.sh                  # about 100 000 cases per parser
#   FUZZ_CASES=10000 scripts/fuzz.sh # a quicker pass
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
base=${FUZZ_CASES:-100000}
nice -n 19 cargo test --locked --test integration --no-run

lines=()
status=0
part() {
  local name=$1 cases=$2 start=$SECONDS
  shift 2
  if PROPTEST_CASES=$cases nice -n 19 cargo test --locked --test integration -- "$@"; then
    lines+=("$(printf '%-34s %8d cases each %5d s' "$name" "$cases" $((SECONDS - start)))")
  else
    lines+=("$(printf '%-34s %8d cases each FAILED' "$name" "$cases")")
    status=1
  fi
}
part "config, .po, event stream, ESC/POS" "$base" props_config props_po props_replies
part "catalogue (text)" $((base / 5)) props_catalogue::an_edited
part "catalogue (folder on disk)" $((base / 50)) props_catalogue::a_site_folder
part "console (router)" $((base / 20)) props_console
part "queue (store on a file)" $((base / 100)) props_queue

echo "---- fuzz.sh ----"
printf '%s\n' "${lines[@]}"
exit $status

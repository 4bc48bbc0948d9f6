#!/usr/bin/env bash
# Makes a new dated snapshot of the RustSec advisory database for `cargo deny` (CI has no
# network beyond the package registries, so the database travels in the repository):
#
#   tools/advisory-db/update.sh <a clone of github.com/rustsec/advisory-db>
#
# The clone may be bare. Writes snapshot.tar.xz (the files of its HEAD commit, about
# 0.3 MB) and SNAPSHOT (that commit and its date) beside this script; commit both.
# scripts/deny.sh unpacks them; docs/DEPENDENCIES.md says how old they may get.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${1:?usage: $0 <clone of the rustsec advisory-db repository>}
commit=$(git -C "$src" rev-parse HEAD)
date=$(git -C "$src" show -s --format=%cI HEAD)
git -C "$src" archive --format=tar HEAD crates rust | xz -9e >"$here/snapshot.tar.xz.new"
mv "$here/snapshot.tar.xz.new" "$here/snapshot.tar.xz"
printf 'commit %s\ndate %s\ntaken %s\n' "$commit" "$date" "$(date -u +%Y-%m-%d)" >"$here/SNAPSHOT"
echo "advisory-db snapshot: $commit of $date, $(du -k "$here/snapshot.tar.xz" | cut -f1) KiB"

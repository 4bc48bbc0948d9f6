#!/usr/bin/env bash
# Checks the dependencies against deny.toml (licences, bans, sources, advisories), as
# CI does (a phase of scripts/test.sh): installs cargo-deny if missing, unpacks the
# advisory database snapshot of tools/advisory-db/ (no fetch: CI reaches only the package
# registries) and runs `cargo deny --offline check`. Policy and exceptions:
# docs/DEPENDENCIES.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
version=0.20.2
if [[ "$(cargo-deny --version 2>/dev/null)" != "cargo-deny $version" ]]; then
  # About 2.5 min on 2 cores.
  nice -n 19 cargo install --locked cargo-deny --version "$version"
fi

# cargo deny looks for the database in <db-path>/advisory-db-<hash of its URL> and reads
# its date from the HEAD commit: the snapshot becomes a one-commit repository dated as
# the commit it was taken from.
snapshot=tools/advisory-db
db=target/advisory-dbs/advisory-db-3157b0e258782691
commit=$(sed -n 's/^commit //p' "$snapshot/SNAPSHOT")
date=$(sed -n 's/^date //p' "$snapshot/SNAPSHOT")
if [[ "$(cat "$db/.snapshot" 2>/dev/null)" != "$commit" ]]; then
  rm -rf "$db"
  mkdir -p "$db"
  tar -xJf "$snapshot/snapshot.tar.xz" -C "$db"
  git -C "$db" init -q
  git -C "$db" add -A
  GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git -C "$db" \
    -c user.name=rustsec -c user.email=snapshot@localhost commit -q -m "advisory-db $commit"
  echo "$commit" >"$db/.snapshot"
fi
echo "advisory database: snapshot of $date ($commit)"

# Every crate in Cargo.lock on disk first (cargo deny reads the whole graph offline).
cargo fetch --locked -q
# Who pulls in a flagged crate is shown; the duplicate versions (warnings) without their
# trees (`cargo deny check bans` shows them).
status=0
cargo deny --offline check advisories licenses sources || status=1
cargo deny --offline check --hide-inclusion-graph bans || status=1
exit $status

#!/usr/bin/env bash
# Installs emupos, the ESC/POS printer emulator the paper ticket test prints to
# (tests/integration/paper_emulator.rs), in its own virtual environment under
# target/emupos, pinned by tests/paper/requirements.txt. Safe to run again: an
# environment already there is kept (offline too). emupos needs Python 3.13 or newer:
# python3.13 on the PATH, a pyenv 3.13, or a python3 that new (Debian 12's is 3.11).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/target/emupos"
requirements="$root/tests/paper/requirements.txt"
if [ -x "$venv/bin/emupos" ] && cmp -s "$requirements" "$venv/requirements.txt"; then
  exit 0
fi
python=""
for candidate in python3.14 python3.13 "$(pyenv root 2>/dev/null)"/versions/3.1[3-9]*/bin/python3 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
if [ -z "$python" ]; then
  echo "guichet setup: the paper ticket test needs Python 3.13 or newer for emupos (found none:" \
       "Debian 12's python3 is 3.11; pyenv install 3.13, or Debian 13's python3); the rest works." >&2
  exit 0
fi
echo "guichet setup: installing emupos with $python in $venv"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" "$venv/requirements.txt"

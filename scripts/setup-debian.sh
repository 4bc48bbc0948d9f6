#!/usr/bin/env bash
# Installs what guichet needs to build, run and test on Debian 12: system packages
# (speech, fonts, QR decoder, virtual display, the browser for the console test) and a
# Rust toolchain if none is present.
# Safe to run again: it only installs what is missing.
set -euo pipefail

packages=(
  build-essential pkg-config curl ca-certificates
  libfontconfig1-dev fonts-dejavu-core            # Slint text rendering
  libclang-dev libspeechd-dev                      # the speech-dispatcher crate's bindings
  libinput-dev libudev-dev libxkbcommon-dev        # the appliance's screen (Slint linuxkms: libinput touch, keymaps), in every build
  speech-dispatcher speech-dispatcher-espeak-ng espeak-ng   # the voice
  zbar-tools                                       # tests decode the ticket QR from a screenshot
  xvfb xauth                                       # demo window when there is no display
  xdotool x11-apps                                 # tests click in the real window and capture it (xwd)
  sqlite3
  postgresql                                       # a site's shared queue: the store tests start a throwaway cluster
  git xz-utils                                     # scripts/deny.sh unpacks the advisory database snapshot
  chromium                                         # the staff console test drives a real browser
)
# The console test runs playwright-core on node (>= 20). A node already installed (e.g.
# from NodeSource, which bundles npm and conflicts with Debian's npm) is kept as it is.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "guichet setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian 12's own nodejs is 18: too old for the pinned playwright-core (node >= 20).
node_major=$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || true)
if [ "${node_major:-0}" -lt 20 ] 2>/dev/null; then
  echo "guichet setup: node ${node_major:-(none)} is too old for the browser test of the console," \
       "which needs node 20 or newer (NodeSource's nodejs 20, or Debian 13's); the rest works." >&2
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "guichet setup: installing Rust (rustup, stable)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

# The ESC/POS printer emulator the paper ticket test prints to (emupos, from PyPI, in a
# virtual environment under target/; kept when already there, so it works offline).
bash "$(dirname "${BASH_SOURCE[0]}")/setup-emupos.sh" ||
  echo "guichet setup: emupos could not be installed (offline?); the paper ticket test will say what it needs" >&2

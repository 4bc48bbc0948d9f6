#!/usr/bin/env bash
# Installs what guichet needs to build, run and test on Debian 12: system packages
# (speech, fonts, QR decoder, virtual display) and a Rust toolchain if none is present.
# Safe to run again: it only installs what is missing.
set -euo pipefail

packages=(
  build-essential pkg-config curl ca-certificates
  libfontconfig1-dev fonts-dejavu-core            # Slint text rendering
  libclang-dev libspeechd-dev                      # tts crate (speech-dispatcher bindings)
  speech-dispatcher speech-dispatcher-espeak-ng espeak-ng   # the voice
  zbar-tools                                       # tests decode the ticket QR from a screenshot
  xvfb xauth                                       # demo window when there is no display
  sqlite3
)

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

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "guichet setup: installing Rust (rustup, stable)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

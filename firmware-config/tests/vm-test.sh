#!/usr/bin/env bash
# vm-test.sh: the appliance, booted. Builds the amd64 twin of the Pi package (same
# features, unit and scripts as the arm64 one), the offline bundle and its USB stick, and
# a Debian 12 system like a fresh Raspberry Pi OS Lite (cached), then boots it in qemu
# (TCG, no network) and follows the technician's guide: provision.sh --offline from the
# stick, reboot, then a visit with keys, a finger and a pointer on the DRM screen, the
# printer, the speech, the console from the host in Chromium, the self-test inside the
# sandbox, the watchdog, a power cut, the SD card failing under the running
# kiosk (a device-mapper `error` table: ext4 turns read-only; the visitor is told, staff see
# it, no confirmed ticket lost), and the clock starting in 1970 then set while the kiosk
# runs (numbers, the 1970 tickets carried into the real day, doctor, the console's time;
# the panel's words read by tesseract); with GUICHET_FULL_MATRIX=1 (scripts/test-full.sh)
# a third boot: a portrait panel and the waiting-room board role.
# --stages disk,clock runs only the installation and these fault stages.
# The test itself: tests/integration/vm/ (Rust, run with --ignored).
#
#   firmware-config/tests/vm-test.sh            # everything
#   firmware-config/tests/vm-test.sh --prepare  # build and cache what it needs, boot nothing
#   firmware-config/tests/vm-test.sh --run      # boot and test (after --prepare)
#   firmware-config/tests/vm-test.sh --run --stages disk,clock   # only the installation,
#       then these stages (about 8 minutes)
#   firmware-config/tests/vm-test.sh --arch arm64   # the real Pi package on a Pi card image
#       (build-deb.sh release, build-image.sh), booted on qemu's arm64 virt board: its first
#       boot installs offline, then a visit. About an hour on 2 cores, most of it the
#       arm64 build and emulation: run before resolving appliance work, not in CI.
# scripts/test.sh prepares it after the test build and runs it after the other tests, alone.
#
# Artefacts (qemu and serial logs, WAV recordings, screens that did not match) are kept
# in target/vm/run/. Needs root (mmdebstrap) and Debian's packages.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export PATH="$HOME/.cargo/bin:$PATH"
t0=$SECONDS
phase() { printf '\n==> vm-test: %s (%d s)\n' "$1" $((SECONDS - t0)); }
prepare=1 run=1 arch=amd64 stages=
while (($#)); do
  case $1 in
    --prepare) run=0; shift ;;
    --run) prepare=0; shift ;;
    --arch) arch=${2:-}; shift 2 || true ;;
    --stages) stages=${2:-}; shift 2 || true ;;
    *) echo "vm-test.sh: --prepare, --run, --arch amd64|arm64, --stages disk,clock" >&2; exit 2 ;;
  esac
done
[[ $arch == amd64 || $arch == arm64 ]] || { echo "vm-test.sh: --arch is amd64 or arm64" >&2; exit 2; }
if [[ $arch == arm64 ]]; then
  card=target/vm/card-arm64.img
  if ((prepare)); then
    phase "host tools (arm64)"
    need=()
    for p in qemu-system-arm qemu-user-static arch-test mmdebstrap dosfstools mtools fdisk e2fsprogs gcc-aarch64-linux-gnu sqlite3; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
    done
    if ((${#need[@]})); then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    fi
    phase "the arm64 package (release, as shipped)"
    firmware-config/build-deb.sh --arch arm64 | tail -n 4
    deb=$(find target/debian-arm64 -maxdepth 1 -name 'guichet_*_arm64.deb' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
    phase "the card image, with the test's touch screen and guest agent"
    mkdir -p target/vm
    aarch64-linux-gnu-gcc -O2 -Wall -static -o target/vm/vm-touch-arm64 firmware-config/tests/vm/touch.c
    VM_TOUCH=$repo/target/vm/vm-touch-arm64 firmware-config/build-image.sh --deb "$deb" --out "$card" \
      --include qemu-guest-agent,sqlite3 --customize firmware-config/tests/vm/card-parts.sh | tail -n 4
    phase "the test's build"
    cargo test --locked --no-run
  fi
  if ((run)); then
    phase "the test (arm64 boot)"
    rm -rf target/vm/run-arm64
    mkdir -p target/vm/run-arm64
    GUICHET_VM_CARD="$repo/$card" GUICHET_VM_DIR="$repo/target/vm/run-arm64" \
      cargo test --locked --test integration -- --ignored --nocapture --test-threads=1 vm::card::
  fi
  phase "done"
  exit 0
fi
vm_env() {
  local image
  image=$(firmware-config/tests/vm/image.sh target/vm)
  env GUICHET_VM_STAGES="$stages" GUICHET_VM_IMAGE="$repo/$image" GUICHET_VM_STICK="$repo/target/vm/stick.img" GUICHET_VM_DIR="$repo/target/vm/run" "$@"
}

if ((prepare)); then
phase "host tools"
need=()
for p in qemu-system-x86 mmdebstrap e2fsprogs dosfstools mtools apt-utils netcat-openbsd openssl chromium sqlite3 curl tesseract-ocr tesseract-ocr-fra; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if ((${#need[@]})); then
  sudo_cmd=()
  ((EUID == 0)) || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

phase "the amd64 package (profile dev)"
firmware-config/build-deb.sh --arch amd64 --profile dev | tail -n 4
deb=$(find target/debian-amd64 -maxdepth 1 -name 'guichet_*_amd64.deb' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)

phase "the offline bundle and its USB stick"
firmware-config/build-bundle.sh --deb "$deb" --out target/vm/bundle/guichet-bundle --stick target/vm/stick.img | tail -n 2

phase "the system image (cached)"
image=$(firmware-config/tests/vm/image.sh target/vm)
echo "    $image"

phase "the test's build (up to date: the package reused it)"
cargo test --locked --no-run
fi
if ((run)); then
  phase "the test (boot)"
  rm -rf target/vm/run
  mkdir -p target/vm/run
  vm_env cargo test --locked --test integration -- --ignored --nocapture --test-threads=1 vm::the_appliance
fi
phase "done"

#!/usr/bin/env bash
# build-deb.sh: the Raspberry Pi package, built on a Debian 12 (Bookworm) x86_64 machine.
#
#   firmware-config/build-deb.sh            # → target/aarch64-unknown-linux-gnu/debian/guichet_<version>-1_arm64.deb
#
# Cross-compiles the arm64 release build with the Pi features (Slint's linuxkms backend,
# speech), packs it with cargo-deb (metadata: [package.metadata.deb] in Cargo.toml), runs
# the arm64 binary under qemu for `--version` and `check-config`, and lints the package.
# Run by hand, not in CI: a cold build takes about half an hour on 2 cores.
#
# A package built on Bookworm also installs on Raspberry Pi OS Trixie (newer libraries
# keep the old symbols); one built on Trixie would not install on Bookworm.
#
# Flags: --no-install   do not install the toolchain (apt, rustup, cargo install): only check
#        -h, --help
set -euo pipefail

readonly TARGET=aarch64-unknown-linux-gnu
readonly FEATURES=pi,speech
readonly HOST_PACKAGES=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross pkg-config dpkg-dev libclang-dev)
# arm64 libraries the Pi build links: libinput + libudev + xkbcommon (Slint's linuxkms
# backend with libinput), libspeechd (the tts crate through speech-dispatcher-sys, whose
# bindings bindgen makes with libclang at build time), drm/gbm (the DRM display).
readonly ARM64_PACKAGES=(libfontconfig-dev:arm64 libinput-dev:arm64 libudev-dev:arm64 libxkbcommon-dev:arm64 libgbm-dev:arm64 libdrm-dev:arm64 libspeechd-dev:arm64)
readonly CHECK_PACKAGES=(qemu-user lintian)

die() {
  printf 'build-deb.sh: error: %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf '    %s\n' "$line" >&2; done
  exit 1
}
step() { printf '\n==> %s\n' "$1"; }

install_tools=1
for arg in "$@"; do
  case $arg in
    --no-install) install_tools=0 ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg" "see: $0 --help" ;;
  esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
[[ -f Cargo.toml && -f firmware-config/guichet.service ]] || die "run it from the guichet source tree (firmware-config/build-deb.sh)"
command -v cargo >/dev/null || die "cargo is missing" "install Rust with rustup (see README.md: scripts/setup-debian.sh does it)"

SUDO=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || die "installing packages needs root, and sudo is missing" "run as root, or with --no-install once the tools are there"
  SUDO=(sudo)
fi
missing_packages() { # prints the packages of "$@" that are not installed
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$p"
  done
}

# ---------------------------------------------------------------- toolchain

step "Cross toolchain and arm64 libraries"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  ((install_tools)) || die "apt has no arm64 architecture" "run without --no-install (it runs: dpkg --add-architecture arm64)"
  "${SUDO[@]}" dpkg --add-architecture arm64
  "${SUDO[@]}" apt-get update
fi
mapfile -t need < <(missing_packages "${HOST_PACKAGES[@]}" "${ARM64_PACKAGES[@]}" "${CHECK_PACKAGES[@]}")
if ((${#need[@]})); then
  ((install_tools)) || die "missing: ${need[*]}" "run without --no-install, or: sudo apt-get install ${need[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" ||
    die "apt-get could not install ${need[*]}" "an arm64 library at a version different from the amd64 one blocks multiarch: run 'sudo apt-get update && sudo apt-get upgrade' and try again"
fi
echo "    host: ${HOST_PACKAGES[*]}"
echo "    arm64: ${ARM64_PACKAGES[*]}"

if command -v rustup >/dev/null; then
  if ! rustup target list --installed | grep -qx "$TARGET"; then
    ((install_tools)) || die "the Rust target $TARGET is missing" "rustup target add $TARGET"
    rustup target add "$TARGET"
  fi
else
  rustc --print target-list | grep -qx "$TARGET" || die "this Rust cannot build for $TARGET" "install Rust with rustup"
fi

if ! cargo deb --version >/dev/null 2>&1; then
  ((install_tools)) || die "cargo-deb is missing" "cargo install cargo-deb --locked"
  step "cargo-deb (from crates.io, once)"
  cargo install cargo-deb --locked
fi
echo "    $(cargo deb --version 2>/dev/null | head -n 1)"

# ---------------------------------------------------------------- build

step "Release build for $TARGET (features $FEATURES)"
# The linker and C compiler (rusqlite builds SQLite) for arm64; pkg-config reads the arm64
# .pc files only; bindgen (speech-dispatcher-sys) parses libspeechd.h as arm64, with glibc's
# arm64 headers first and the architecture-independent headers after them.
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export CXX_aarch64_unknown_linux_gnu=aarch64-linux-gnu-g++
export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
export PKG_CONFIG_ALLOW_CROSS=1
export PKG_CONFIG_PATH=""
export PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
export BINDGEN_EXTRA_CLANG_ARGS_aarch64_unknown_linux_gnu="--sysroot=/usr/aarch64-linux-gnu -idirafter /usr/include/aarch64-linux-gnu -idirafter /usr/include"

started=$(date +%s)
cargo build --release --locked --target "$TARGET" --no-default-features --features "$FEATURES"
built=$(date +%s)

target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin=$target_dir/$TARGET/release/guichet
[[ -x $bin ]] || die "the build finished but $bin is missing"

step "Debian package"
deb_out=$(cargo deb --no-build --target "$TARGET" 2>&1 | tee /dev/stderr | tail -n 1)
deb=$deb_out
[[ -f $deb ]] || deb=$(find "$target_dir/$TARGET/debian" -maxdepth 1 -name 'guichet_*_arm64.deb' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
[[ -f $deb ]] || die "cargo deb did not say where the package is" "look in $target_dir/$TARGET/debian/"
finished=$(date +%s)
dpkg-deb --info "$deb" | sed -n '/Package:/,$p' | sed 's/^/    /'
echo "    files:"
dpkg-deb --contents "$deb" | awk '{ print "      " $6, $7, $8 }'

# ---------------------------------------------------------------- checks

step "The arm64 binary under qemu"
# qemu-user runs single-threaded commands only (it hangs at the first thread start here):
# --version and check-config are enough to prove the binary loads its libraries and
# reads a config. Everything else is tried on a real Pi.
if command -v qemu-aarch64 >/dev/null; then
  qemu=(timeout 120 qemu-aarch64 -L /usr/aarch64-linux-gnu -E LD_LIBRARY_PATH=/usr/lib/aarch64-linux-gnu:/lib/aarch64-linux-gnu)
  "${qemu[@]}" "$bin" --version || die "the arm64 binary does not start under qemu" "see the loader's message above: a library missing from the arm64 set?"
  scratch=$(mktemp -d)
  "${qemu[@]}" "$bin" --data-dir "$scratch" --config firmware-config/guichet.toml check-config ||
    die "the arm64 binary refuses firmware-config/guichet.toml"
  rm -rf "$scratch"
else
  echo "    qemu-aarch64 is missing: skipped (apt-get install qemu-user)"
fi

step "lintian"
if command -v lintian >/dev/null; then
  # Information only: the package is not meant for the Debian archive (no changelog, a
  # static Rust binary). Errors (E:) and warnings (W:) deserve a look.
  lintian --info --suppress-tags no-manual-page "$deb" || true
else
  echo "    lintian is missing: skipped (apt-get install lintian)"
fi

step "Done"
printf '    binary:  %s (%s)\n' "$bin" "$(du -h "$bin" | cut -f1)"
printf '    package: %s (%s)\n' "$deb" "$(du -h "$deb" | cut -f1)"
printf '    build:   %dm%02ds, package %ds\n' $(((built - started) / 60)) $(((built - started) % 60)) $((finished - built))
printf '    next:    copy %s and firmware-config/provision.sh to the Pi (README.md, step 4)\n' "$(basename "$deb")"

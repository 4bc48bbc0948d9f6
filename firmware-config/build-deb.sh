#!/usr/bin/env bash
# build-deb.sh: the Raspberry Pi package, built on a Debian 12 (Bookworm) x86_64 machine.
#
#   firmware-config/build-deb.sh            # → target/aarch64-unknown-linux-gnu/debian/guichet_<version>-1_arm64.deb
#   firmware-config/build-deb.sh --bundle   # the same, and the offline bundle (build-bundle.sh)
#   firmware-config/build-deb.sh --arch amd64 --profile dev   # the PC twin the VM test installs
#
# Cross-compiles the arm64 release build with the Pi features (Slint's linuxkms backend,
# speech), packs it with cargo-deb (metadata: [package.metadata.deb] in Cargo.toml), runs
# the arm64 binary under qemu for `--version` and `check-config`, and lints the package.
# Run by hand, not in CI: a cold build takes about half an hour on 2 cores. The amd64 twin
# (same unit and scripts, built natively) is what the virtual appliance test
# (tests/vm-test.sh) boots in CI. It has the default features, the tests' own: the Pi's
# screen backend and speech, and the desktop window beside them, which the service never
# uses (it names the screen backend: SLINT_BACKEND=linuxkms). So its build is the tests'
# build, reused (Pi-only features rebuilt Slint and the windows: 7.5 min of each CI run).
#
# A package built on Bookworm also installs on Raspberry Pi OS Trixie (newer libraries
# keep the old symbols); one built on Trixie would not install on Bookworm.
#
# Flags: --arch arm64|amd64  the package's architecture (default arm64, the Pi)
#        --profile NAME      cargo profile (default release; dev builds in a third of the time)
#        --bundle            also make the offline bundle and its USB stick image
#        --no-install        do not install the toolchain (apt, rustup, cargo install): only check
#        -h, --help
set -euo pipefail

# The Pi's package: its screen (DRM/KMS, libinput) and speech, nothing else.
readonly PI_FEATURES=pi,speech
# arm64 libraries the Pi build links: libinput + libudev + xkbcommon (Slint's linuxkms
# backend with libinput), libspeechd (the speech-dispatcher crate through speech-dispatcher-sys, whose
# bindings bindgen makes with libclang at build time), drm/gbm (the DRM display).
readonly ARM64_PACKAGES=(libfontconfig-dev:arm64 libinput-dev:arm64 libudev-dev:arm64 libxkbcommon-dev:arm64 libgbm-dev:arm64 libdrm-dev:arm64 libspeechd-dev:arm64)
CHECK_PACKAGES=()

die() {
  printf 'build-deb.sh: error: %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf '    %s\n' "$line" >&2; done
  exit 1
}
step() { printf '\n==> %s\n' "$1"; }

install_tools=1 arch=arm64 profile=release bundle=0
while (($#)); do
  case $1 in
    --no-install) install_tools=0; shift ;;
    --bundle) bundle=1; shift ;;
    --arch) arch=${2:-}; shift 2 || die "--arch needs arm64 or amd64" ;;
    --profile) profile=${2:-}; shift 2 || die "--profile needs a cargo profile (release, dev)" ;;
    -h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" "see: $0 --help" ;;
  esac
done
case $arch in
  arm64) TARGET=aarch64-unknown-linux-gnu ;;
  amd64) TARGET=x86_64-unknown-linux-gnu ;;
  *) die "--arch is arm64 or amd64, not '$arch'" ;;
esac
[[ $(uname -m) == x86_64 ]] || die "build it on an x86_64 Debian 12 machine"
if [[ $arch == arm64 ]]; then CHECK_PACKAGES+=(qemu-user lintian); fi
HOST_PACKAGES=(pkg-config dpkg-dev libclang-dev apt-utils dosfstools mtools)
if [[ $arch == arm64 ]]; then HOST_PACKAGES+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross); fi

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

if [[ $arch == arm64 ]]; then
  step "Cross toolchain and arm64 libraries"
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    ((install_tools)) || die "apt has no arm64 architecture" "run without --no-install (it runs: dpkg --add-architecture arm64)"
    "${SUDO[@]}" dpkg --add-architecture arm64
    "${SUDO[@]}" apt-get update
  fi
  LIB_PACKAGES=("${ARM64_PACKAGES[@]}")
else
  step "Build tools and libraries"
  LIB_PACKAGES=("${ARM64_PACKAGES[@]%:arm64}")
fi
mapfile -t need < <(missing_packages "${HOST_PACKAGES[@]}" "${LIB_PACKAGES[@]}" "${CHECK_PACKAGES[@]}")
if ((${#need[@]})); then
  ((install_tools)) || die "missing: ${need[*]}" "run without --no-install, or: sudo apt-get install ${need[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" ||
    die "apt-get could not install ${need[*]}" "an arm64 library at a version different from the amd64 one blocks multiarch: run 'sudo apt-get update && sudo apt-get upgrade' and try again"
fi
echo "    host: ${HOST_PACKAGES[*]}"
echo "    $arch: ${LIB_PACKAGES[*]}"

if [[ $arch == arm64 ]]; then
  if command -v rustup >/dev/null; then
    if ! rustup target list --installed | grep -qx "$TARGET"; then
      ((install_tools)) || die "the Rust target $TARGET is missing" "rustup target add $TARGET"
      rustup target add "$TARGET"
    fi
  else
    rustc --print target-list | grep -qx "$TARGET" || die "this Rust cannot build for $TARGET" "install Rust with rustup"
  fi
fi

if ! cargo deb --version >/dev/null 2>&1; then
  ((install_tools)) || die "cargo-deb is missing" "cargo install cargo-deb --locked"
  step "cargo-deb (from crates.io, once)"
  cargo install cargo-deb --locked
fi
echo "    $(cargo deb --version 2>/dev/null | head -n 1)"

# ---------------------------------------------------------------- build

features=(--no-default-features --features "$PI_FEATURES")
[[ $arch == arm64 ]] || features=()
step "Build for $TARGET (profile $profile, features ${features[*]:-default})"
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
profile_dir=$profile
[[ $profile != dev ]] || profile_dir=debug
target_args=()
out_dir=$target_dir/$profile_dir
if [[ $arch == arm64 ]]; then
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
  target_args=(--target "$TARGET")
  out_dir=$target_dir/$TARGET/$profile_dir
fi
# amd64 builds for the host without --target: the dependencies already built for the
# tests (same profile and features) are reused. Its binary has the tests' name
# (target/debug/guichet), so the package is made at once, before a test build relinks it.

started=$(date +%s)
cargo build --profile "$profile" --locked "${target_args[@]}" "${features[@]}" --bin guichet
built=$(date +%s)

bin=$out_dir/guichet
[[ -x $bin ]] || die "the build finished but $bin is missing"

step "Debian package"
deb_dir=$target_dir/debian-$arch
mkdir -p "$deb_dir"
cargo deb --no-build --no-strip --profile "$profile" "${target_args[@]}" --output "$deb_dir" >/dev/null ||
  die "cargo deb failed" "read its message above"
deb=$(find "$deb_dir" -maxdepth 1 -name "guichet_*_$arch.deb" -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
[[ -f $deb ]] || die "cargo deb did not make a package in $deb_dir"
[[ $(dpkg-deb -f "$deb" Architecture) == "$arch" ]] || die "$deb is not for $arch"
finished=$(date +%s)
dpkg-deb --info "$deb" | sed -n '/Package:/,$p' | sed 's/^/    /'
echo "    files:"
dpkg-deb --contents "$deb" | awk '{ print "      " $6, $7, $8 }'

# ---------------------------------------------------------------- checks

if [[ $arch == arm64 ]]; then
  step "The arm64 binary under qemu"
  # qemu-user runs single-threaded commands only (it hangs at the first thread start here):
  # --version and check-config are enough to prove the binary loads its libraries and
  # reads a config. The booted system is tested by tests/vm-test.sh --arch arm64.
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
if ((bundle)); then
  step "Offline bundle"
  "$repo/firmware-config/build-bundle.sh" --deb "$deb" --out "$target_dir/bundle-$arch/guichet-bundle" --stick "$target_dir/bundle-$arch/stick.img"
fi
printf '    next:    copy %s and firmware-config/provision.sh to the Pi (README.md, section 2)\n' "$(basename "$deb")"

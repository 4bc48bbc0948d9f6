#!/usr/bin/env bash
# build-bundle.sh: the offline bundle, for sites with no internet. A folder (and a USB
# stick image) holding guichet's .deb, every package provision.sh installs and all their
# dependencies, resolved against Debian 12 (Bookworm) for one architecture, indexed as a
# local apt source. On the kiosk: sudo ./provision.sh --offline /media/usb/guichet-bundle …
#
#   firmware-config/build-bundle.sh --deb guichet_0.1.0-1_arm64.deb [--out DIR] [--stick FILE]
#
# Flags: --deb FILE     the guichet package (its architecture is the bundle's)
#        --out DIR      the bundle folder (default: target/bundle-<arch>)
#        --stick FILE   also write a FAT USB stick image holding the folder
#        --mirror URL   Debian mirror (default http://deb.debian.org/debian)
#        -h, --help
#
# Runs on any Debian 12 machine with apt (no root, no emulation: apt resolves for the other
# architecture in a private state folder). Needs the mirror; the stick image needs
# dosfstools and mtools.
set -euo pipefail
die() {
  printf 'build-bundle.sh: error: %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf '    %s\n' "$line" >&2; done
  exit 1
}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
deb="" out="" stick="" mirror=http://deb.debian.org/debian
while (($#)); do
  case $1 in
    --deb) deb=${2:?--deb needs a file}; shift 2 ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --stick) stick=${2:?--stick needs a file}; shift 2 ;;
    --mirror) mirror=${2:?--mirror needs a URL}; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" "see: $0 --help" ;;
  esac
done
[[ -f $deb ]] || die "--deb: give the guichet package (made by build-deb.sh)"
arch=$(dpkg-deb -f "$deb" Architecture) || die "$deb is not a Debian package"
out=${out:-$here/../target/bundle-$arch}
command -v apt-ftparchive >/dev/null || die "apt-ftparchive is missing" "apt-get install apt-utils"

# The packages provision.sh installs, read from the script itself (one list, one place).
mapfile -t runtime < <(sed -n 's/^readonly RUNTIME_PACKAGES=(\(.*\))$/\1/p' "$here/provision.sh" | tr ' ' '\n')
((${#runtime[@]})) || die "cannot read RUNTIME_PACKAGES from $here/provision.sh"

# A private apt for $arch: its own sources, lists and an empty dpkg status, so the whole
# dependency closure is downloaded (a Pi has most of it already; apt keeps what is
# installed when its version is the same or newer).
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/etc/apt/apt.conf.d" "$state/etc/apt/preferences.d" "$state/var/lib/dpkg" "$state/var/cache/apt/archives/partial" "$state/var/lib/apt/lists/partial"
: >"$state/var/lib/dpkg/status"
cat >"$state/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
apt_opts=(-o "Dir=$state" -o "Dir::State::status=$state/var/lib/dpkg/status" -o "APT::Architecture=$arch"
  -o "APT::Architectures=$arch" -o "Dir::Etc::Trusted=/etc/apt/trusted.gpg"
  -o "Dir::Etc::TrustedParts=/usr/share/keyrings" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=$(id -un)")
echo "==> Debian 12 package lists for $arch"
apt-get "${apt_opts[@]}" -qq update
echo "==> guichet's dependencies and ${runtime[*]}"
rm -rf "$out"
mkdir -p "$out/pool"
out=$(cd "$out" && pwd)
cp "$deb" "$out/pool/"
apt-get "${apt_opts[@]}" -qq -y --download-only --no-install-recommends \
  -o "Dir::Cache::archives=$state/var/cache/apt/archives" install "$out/pool/$(basename "$deb")" "${runtime[@]}" >/dev/null
cp "$state"/var/cache/apt/archives/*.deb "$out/pool/"
(cd "$out" && apt-ftparchive packages pool >Packages && gzip -9kn Packages)
cp "$here/provision.sh" "$out/"
chmod 755 "$out/provision.sh"
cat >"$out/README.txt" <<README
guichet offline bundle for $arch (Debian 12 / Raspberry Pi OS Bookworm), $(date -u +%Y-%m-%d).
$(find "$out/pool" -name '*.deb' | wc -l) packages. On the kiosk, with this folder on a USB stick:
  sudo mount /dev/sda1 /mnt
  sudo bash /mnt/$(basename "$out")/provision.sh --offline /mnt/$(basename "$out") --site "…" --display auto --printer usb
README
count=$(find "$out/pool" -name '*.deb' | wc -l)
size=$(du -sm "$out" | cut -f1)
echo "    $out: $count packages, $size MB"

if [[ -n $stick ]]; then
  command -v mkfs.vfat >/dev/null && command -v mcopy >/dev/null || die "the stick image needs dosfstools and mtools" "apt-get install dosfstools mtools"
  rm -f "$stick"
  truncate -s $((size + 64))M "$stick"
  mkfs.vfat -n GUICHET "$stick" >/dev/null
  MTOOLS_SKIP_CHECK=1 mcopy -s -i "$stick" "$out" ::/
  echo "    $stick: FAT image, label GUICHET, folder /$(basename "$out")"
fi

#!/usr/bin/env bash
# build-image.sh: a Raspberry Pi 4 SD card image with guichet, from Debian 12's packages.
#
#   firmware-config/build-image.sh --deb target/debian-arm64/guichet_<version>_arm64.deb
#   → target/image/guichet-<version>-pi4.img (write it with Raspberry Pi Imager or dd)
#
# The card: a FAT boot partition (RASPIFIRM: the Pi's firmware from raspi-firmware,
# Debian's arm64 kernel linux-image-arm64, config.txt, cmdline.txt, and guichet.txt, the
# one file the technician edits) and an ext4 root (RASPIROOT: Debian 12, SSH, Wi-Fi, and
# the offline bundle in /opt/guichet-bundle). At the first boot, guichet-firstboot reads
# guichet.txt, gives the card its own identity (machine-id, SSH host keys, console
# certificate), grows the root to the card, installs guichet from the bundle with
# provision.sh --offline (no network needed) and reboots into the kiosk.
#
# Flags: --deb FILE        the arm64 guichet package (build-deb.sh)
#        --bundle DIR      an offline bundle already made for it (default: made here)
#        --out FILE        the image (default: target/image/guichet-<version>-pi4.img)
#        --include PKGS    more Debian packages in the image, comma-separated
#        --customize FILE  a script run on the finished root folder (given as $1), as
#                          root on this machine: a site's own files, or a test's parts
#        --guichet-txt F   put F on the boot partition as guichet.txt (default: the
#                          commented example, to be edited on the card)
#        --mirror URL      Debian mirror (default http://deb.debian.org/debian)
#        -h, --help
#
# Needs root, mmdebstrap, arch-test, qemu-user-static with binfmt_misc (the arm64 packages'
# scripts run under emulation), dosfstools, mtools, fdisk and the mirror; about 10
# minutes. Pi 5: Debian 12's kernel does not drive it; see README.md.
set -euo pipefail
die() {
  printf 'build-image.sh: error: %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf '    %s\n' "$line" >&2; done
  exit 1
}
step() { printf '\n==> %s\n' "$1"; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

deb="" bundle="" out="" extra="" customize="" txt="$here/image/guichet.txt" mirror=http://deb.debian.org/debian
while (($#)); do
  case $1 in
    --deb) deb=${2:?--deb needs a file}; shift 2 ;;
    --bundle) bundle=${2:?--bundle needs a folder}; shift 2 ;;
    --out) out=${2:?--out needs a file}; shift 2 ;;
    --include) extra=${2:?--include needs packages}; shift 2 ;;
    --customize) customize=$(realpath "${2:?--customize needs a script}"); shift 2 ;;
    --guichet-txt) txt=$(realpath "${2:?--guichet-txt needs a file}"); shift 2 ;;
    --mirror) mirror=${2:?--mirror needs a URL}; shift 2 ;;
    -h | --help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" "see: $0 --help" ;;
  esac
done
[[ -f $deb ]] || die "--deb: give the arm64 guichet package" "firmware-config/build-deb.sh makes it"
[[ $(dpkg-deb -f "$deb" Architecture) == arm64 ]] || die "$deb is not an arm64 package" "a Pi card needs the arm64 build: firmware-config/build-deb.sh"
((EUID == 0)) || die "run it as root (mmdebstrap installs packages as root)"
[[ -z $customize || -x $customize ]] || die "--customize $customize is not an executable script"
[[ -f $txt ]] || die "--guichet-txt: $txt is missing"
for tool in mmdebstrap arch-test mkfs.vfat mcopy sfdisk mke2fs; do
  command -v "$tool" >/dev/null || die "$tool is missing" "apt-get install mmdebstrap arch-test qemu-user-static dosfstools mtools fdisk e2fsprogs"
done
version=$(dpkg-deb -f "$deb" Version)
out=${out:-$repo/target/image/guichet-$version-pi4.img}

# arm64 programs (the packages' scripts) run on this PC through binfmt_misc and qemu.
if [[ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]]; then
  [[ -f /usr/lib/binfmt.d/qemu-aarch64.conf ]] || die "qemu-user-static is missing" "apt-get install qemu-user-static"
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
    die "cannot mount binfmt_misc" "on a container host: modprobe binfmt_misc there"
  cat /usr/lib/binfmt.d/qemu-aarch64.conf >/proc/sys/fs/binfmt_misc/register ||
    die "cannot register qemu-aarch64 with binfmt_misc"
fi

mkdir -p "$(dirname "$out")"
work=$(mktemp -d "$(dirname "$out")/build.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ -z $bundle ]]; then
  step "The offline bundle"
  "$here/build-bundle.sh" --deb "$deb" --out "$work/guichet-bundle" --mirror "$mirror" | tail -n 2
  bundle=$work/guichet-bundle
fi
[[ -f $bundle/provision.sh && -d $bundle/pool ]] || die "$bundle is not an offline bundle" "make it with build-bundle.sh --deb $deb"

step "Debian 12 for arm64, with the Pi's firmware and kernel (mmdebstrap)"
packages=systemd-sysv,udev,kmod,dbus,linux-image-arm64,initramfs-tools,raspi-firmware,firmware-brcm80211,wireless-regdb
packages+=,adduser,sudo,iproute2,procps,less,nano,e2fsprogs,dosfstools,fdisk,cloud-guest-utils
packages+=,openssh-server,wpasupplicant,systemd-timesyncd,ca-certificates
[[ -z $extra ]] || packages+=,$extra
files=$here/image
hooks=(
  --setup-hook='mkdir -p "$1/boot/firmware"'
  # The kernel command line and config.txt are written by raspi-firmware's kernel hook;
  # it finds the root by its label on any card reader.
  --customize-hook='printf "\n# guichet (build-image.sh)\nROOTPART=LABEL=RASPIROOT\nCONSOLES=tty1\n" >> "$1/etc/default/raspi-firmware"'
  --customize-hook='chroot "$1" env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware'
  --customize-hook='echo guichet > "$1/etc/hostname"; printf "127.0.1.1\tguichet\n" >> "$1/etc/hosts"'
  --customize-hook='printf "LABEL=RASPIROOT / ext4 defaults,noatime 0 1\nLABEL=RASPIFIRM /boot/firmware vfat defaults,umask=0077,nofail 0 2\n" > "$1/etc/fstab"'
  --customize-hook='printf "[Match]\nName=eth0 wlan0\n[Network]\nDHCP=yes\nMulticastDNS=no\n" > "$1/etc/systemd/network/20-guichet.network"'
  --customize-hook='chroot "$1" systemctl enable systemd-networkd.service'
  --customize-hook='printf "PasswordAuthentication no\nPermitRootLogin no\n" > "$1/etc/ssh/sshd_config.d/guichet.conf"'
  --customize-hook="upload $files/guichet-firstboot /usr/local/sbin/guichet-firstboot"
  --customize-hook='chmod 755 "$1/usr/local/sbin/guichet-firstboot"'
  --customize-hook="upload $files/guichet-firstboot.service /etc/systemd/system/guichet-firstboot.service"
  --customize-hook='chroot "$1" systemctl enable guichet-firstboot.service'
  --customize-hook='mkdir -p "$1/opt/guichet-bundle"'
  --customize-hook="sync-in $bundle /opt/guichet-bundle"
  # Every card gets its own identity at its first boot.
  --customize-hook='rm -f "$1"/etc/ssh/ssh_host_*; : > "$1/etc/machine-id"; rm -f "$1/var/lib/dbus/machine-id"'
)
[[ -z $customize ]] || hooks+=(--customize-hook="$customize \"\$1\"")
hooks+=(--customize-hook="sync-out /boot/firmware $work/firmware")
mmdebstrap --variant=minbase --architectures=arm64 --include="$packages" "${hooks[@]}" \
  bookworm "$work/root" "deb $mirror bookworm main non-free-firmware" "deb $mirror bookworm-updates main non-free-firmware" \
  "deb http://security.debian.org/debian-security bookworm-security main non-free-firmware"
rm -rf "${work:?}/root/boot/firmware/"*
ls "$work/firmware"/vmlinuz-* "$work/firmware"/initrd.img-* >/dev/null 2>&1 ||
  die "raspi-firmware put no kernel on the boot partition" "read mmdebstrap's messages above"
cp "$txt" "$work/firmware/guichet.txt"
sed -i 's/$/\r/' "$work/firmware/guichet.txt" # read and edited on Windows too

step "The card: boot partition (FAT) and root (ext4)"
boot_mb=512
used_mb=$(du -sm "$work/root" | cut -f1)
root_mb=$((used_mb + used_mb / 4 + 400)) # room for the first boot's install; grown at the first boot
mkfs.vfat -n RASPIFIRM -F 32 -C "$work/boot.vfat" $((boot_mb * 1024)) >/dev/null
mcopy -s -i "$work/boot.vfat" "$work/firmware/"* ::
mke2fs -q -t ext4 -L RASPIROOT -d "$work/root" "$work/root.ext4" "${root_mb}M"
rm -f "$out"
truncate -s $(((1 + boot_mb + root_mb) * 1024 * 1024)) "$out"
sfdisk -q "$out" <<EOF
label: dos
start=1MiB, size=${boot_mb}MiB, type=c, bootable
start=$((1 + boot_mb))MiB, type=83
EOF
dd if="$work/boot.vfat" of="$out" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$work/root.ext4" of="$out" bs=1M seek=$((1 + boot_mb)) conv=notrunc,sparse status=none

step "Done"
printf '    image:  %s (%s MB; %s MB used by the system)\n' "$out" $((1 + boot_mb + root_mb)) "$used_mb"
printf '    boot:   %s\n' "$(ls "$work/firmware" | tr '\n' ' ')"
printf '    next:   write it to a card (Raspberry Pi Imager: "Use custom"; or dd), edit guichet.txt on\n'
printf '            its boot partition, put it in the Pi, power on\n'

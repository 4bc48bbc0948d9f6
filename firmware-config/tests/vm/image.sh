#!/usr/bin/env bash
# image.sh OUT: the Debian 12 system the virtual appliance test boots, as a Raspberry Pi OS
# Lite stands before the technician arrives: systemd, udev, a kernel, adduser and sudo, a
# wired network by DHCP (systemd-networkd here, NetworkManager on Pi OS), and
# none of what provision.sh installs (speech, avahi, nftables, guichet). Two test-only
# parts: qemu's guest agent (the test runs commands inside through it) and vm-touch (a
# uinput touch screen, touch.c), plus sqlite3 to read the database the way staff would not.
#
# Made with mmdebstrap from Debian's packages (needs root and the Debian mirror), cached:
# OUT/<hash>/ is reused while this script, touch.c and vm-touch.service are unchanged. Prints that folder,
# which holds root.img (raw ext4), vmlinuz and initrd.img (qemu boots them directly, as
# the Pi's firmware boots its kernel without a boot loader).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: image.sh OUT}
arch=${VM_ARCH:-amd64}
key=$(cat "$here/image.sh" "$here/touch.c" "$here/vm-touch.service" | sha256sum | cut -c1-16)
dest=$out/$arch-$key
if [[ -f $dest/root.img && -f $dest/vmlinuz && -f $dest/initrd.img ]]; then
  echo "$dest"
  exit 0
fi
for tool in mmdebstrap mke2fs; do
  command -v "$tool" >/dev/null || { echo "image.sh: $tool is missing (apt-get install mmdebstrap e2fsprogs)" >&2; exit 1; }
done
mkdir -p "$out"
work=$(mktemp -d "$out/build.XXXXXX")
trap 'rm -rf "$work"' EXIT

case $arch in
  amd64) kernel=linux-image-amd64 cc=gcc ;;
  arm64) kernel=linux-image-arm64 cc=aarch64-linux-gnu-gcc ;;
  *) echo "image.sh: VM_ARCH is amd64 or arm64" >&2; exit 1 ;;
esac
"$cc" -O2 -Wall -static -o "$work/vm-touch" "$here/touch.c"

packages=systemd-sysv,udev,kmod,dbus,$kernel,initramfs-tools,adduser,sudo,iproute2,procps,e2fsprogs,dosfstools
packages+=,qemu-guest-agent,sqlite3 # test only
echo "image.sh: building the $arch test system with mmdebstrap (a few minutes, once)" >&2
mmdebstrap --variant=minbase --architectures="$arch" --include="$packages" \
  --customize-hook='echo guichet-vm > "$1/etc/hostname"' \
  --customize-hook='printf "/dev/vda / ext4 defaults,noatime 0 1\n" > "$1/etc/fstab"' \
  --customize-hook='echo "root:guichet-vm" | chroot "$1" chpasswd' \
  --customize-hook="upload $work/vm-touch /usr/local/bin/vm-touch" \
  --customize-hook='chmod 755 "$1/usr/local/bin/vm-touch"' \
  --customize-hook="upload $here/vm-touch.service /etc/systemd/system/vm-touch.service" \
  --customize-hook='chroot "$1" systemctl enable vm-touch.service' \
  --customize-hook='printf "uinput\n" > "$1/etc/modules-load.d/vm-touch.conf"' \
  --customize-hook='printf "[Match]\nName=en*\n[Network]\nDHCP=yes\nGateway=10.0.2.2\n" > "$1/etc/systemd/network/20-wired.network"' \
  --customize-hook='chroot "$1" systemctl enable systemd-networkd.service' \
  --customize-hook="sync-out /boot $work/boot" \
  bookworm "$work/root" http://deb.debian.org/debian >&2
rm -rf "$work/root/boot/"* # the kernel boots from outside
mkdir -p "$work/out"
cp "$(ls "$work"/boot/vmlinuz-* | sort -V | tail -n 1)" "$work/out/vmlinuz"
cp "$(ls "$work"/boot/initrd.img-* | sort -V | tail -n 1)" "$work/out/initrd.img"
chmod 644 "$work/out/"*
mke2fs -q -t ext4 -L guichet-root -d "$work/root" "$work/out/root.img" 3G >&2
rm -rf "$dest"
mv "$work/out" "$dest"
echo "$dest"

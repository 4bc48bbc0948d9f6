#!/bin/sh
# card-parts.sh ROOT: the test's own parts in a Pi card image, given to build-image.sh as
# --customize (with --include qemu-guest-agent,sqlite3): vm-touch, the uinput touch
# screen (touch.c, built for arm64 in VM_TOUCH), started at boot. Never on a real card.
set -eu
root=${1:?usage: card-parts.sh ROOT}
here=$(cd "$(dirname "$0")" && pwd)
install -m 755 "${VM_TOUCH:?VM_TOUCH: the arm64 vm-touch binary}" "$root/usr/local/bin/vm-touch"
install -m 644 "$here/vm-touch.service" "$root/etc/systemd/system/vm-touch.service"
chroot "$root" systemctl enable vm-touch.service
printf 'uinput\n' >"$root/etc/modules-load.d/vm-touch.conf"

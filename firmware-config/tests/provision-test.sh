#!/usr/bin/env bash
# Tests provision.sh without a Raspberry Pi and without root: it runs the script with
# --root on a made-up Raspberry Pi OS tree (cmdline.txt, a screen in /sys with its EDID,
# a package built here with dpkg-deb) and checks what it writes, that a second run changes
# nothing, that --dry-run changes nothing, and that bad flags stop with a clear message.
#
#   firmware-config/tests/provision-test.sh
#
# Optional parts, each skipped with a note when it cannot run:
#   - GUICHET_BIN=path/to/guichet (or a built target/*/guichet): every config written is
#     checked by the real `guichet check-config`.
#   - as root with nft and ip netns: the firewall file is loaded twice in a private network
#     namespace, and a client in a second namespace reaches the console port from a
#     private address but not from a public one.
# shellcheck disable=SC2016 # stand-in scripts and sh code are written in single quotes
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fw=$(cd "$here/.." && pwd)
repo=$(cd "$fw/.." && pwd)
provision=$fw/provision.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0 failed=0
pass() { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; [[ -z ${2:-} ]] || printf '%s\n' "$2" | sed 's/^/      /'; }
check() { # check NAME COMMAND...
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

# ---------------------------------------------------------------- fixtures

# A 128-byte EDID: header, 22 x 14 cm in bytes 21-22, and a first detailed timing whose
# image size is 217 x 136 mm (bytes 66-68).
make_edid() {
  python3 - "$1" <<'EOF'
import sys
e = bytearray(128)
e[0:8] = b"\x00\xff\xff\xff\xff\xff\xff\x00"
e[21], e[22] = 22, 14
e[54:56] = (7100).to_bytes(2, "little")  # pixel clock, 71 MHz
e[66], e[67], e[68] = 217 & 0xFF, 136 & 0xFF, ((217 >> 8) << 4) | (136 >> 8)
e[127] = (-sum(e[:127])) % 256
open(sys.argv[1], "wb").write(e)
EOF
}

make_root() { # make_root DIR [dsi]: a fresh Raspberry Pi OS Lite, as far as provision.sh looks
  local r=$1
  mkdir -p "$r/etc" "$r/boot/firmware" "$r/usr/share/zoneinfo/Europe" "$r/usr/share/zoneinfo/Indian"
  printf 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\nVERSION_CODENAME=trixie\n' >"$r/etc/os-release"
  printf 'raspberrypi\n' >"$r/etc/hostname"
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n\n127.0.1.1\traspberrypi\n' >"$r/etc/hosts"
  printf 'console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait cfg80211.ieee80211_regdom=FR\n' \
    >"$r/boot/firmware/cmdline.txt"
  printf '# For more options and information see\n# http://rptl.io/configtxt\ndtparam=audio=on\ncamera_auto_detect=1\ndisplay_auto_detect=1\n\n[all]\n' \
    >"$r/boot/firmware/config.txt"
  : >"$r/usr/share/zoneinfo/Europe/Paris"
  : >"$r/usr/share/zoneinfo/Indian/Reunion"
  if [[ ${2:-} == dsi ]]; then
    mkdir -p "$r/sys/class/drm/card1-DSI-1"
    printf 'connected\n' >"$r/sys/class/drm/card1-DSI-1/status"
    printf '720x1280\n' >"$r/sys/class/drm/card1-DSI-1/modes"
    : >"$r/sys/class/drm/card1-DSI-1/edid"
  else
    mkdir -p "$r/sys/class/drm/card1-HDMI-A-1" "$r/sys/class/drm/card1-HDMI-A-2" "$r/sys/class/drm/card0"
    printf 'connected\n' >"$r/sys/class/drm/card1-HDMI-A-1/status"
    printf '1280x800\n1024x768\n800x600\n' >"$r/sys/class/drm/card1-HDMI-A-1/modes"
    make_edid "$r/sys/class/drm/card1-HDMI-A-1/edid"
    printf 'disconnected\n' >"$r/sys/class/drm/card1-HDMI-A-2/status"
    : >"$r/sys/class/drm/card1-HDMI-A-2/modes"
  fi
}

# A package laid out as cargo-deb lays out the real one (a stand-in binary), in $work.
# make_deb [VERSION [ARCH [DEPENDS]]]: a version from 0.2 on also has the self-test unit.
make_deb() {
  local version=${1:-0.1.0-1} arch=${2:-arm64} depends=${3:-} t
  t=$work/debtree-$version-$arch
  mkdir -p "$t/DEBIAN" "$t/usr/bin" "$t/usr/lib/systemd/system" "$t/etc/guichet" "$t/usr/share/guichet" "$t/usr/share/doc/guichet"
  printf 'Package: guichet\nVersion: %s\nArchitecture: %s\nMaintainer: test <test@example.org>\n%sDescription: stand-in for the provisioning test\n' \
    "$version" "$arch" "${depends:+Depends: $depends$'\n'}" >"$t/DEBIAN/control"
  printf '/etc/guichet/guichet.toml\n' >"$t/DEBIAN/conffiles"
  printf '#!/bin/sh\necho "guichet %s stand-in $*"\n' "$version" >"$t/usr/bin/guichet"
  chmod 755 "$t/usr/bin/guichet"
  cp "$fw/guichet.service" "$t/usr/lib/systemd/system/guichet.service"
  if [[ $version != 0.1.* ]]; then
    printf '[Service]\nType=oneshot\nExecStart=/usr/bin/guichet doctor\n' >"$t/usr/lib/systemd/system/guichet-doctor.service"
  fi
  cp "$fw/guichet.toml" "$t/etc/guichet/guichet.toml"
  cp "$fw/guichet.toml" "$t/usr/share/guichet/guichet.toml"
  cp "$fw/README.md" "$t/usr/share/doc/guichet/README.md"
  chmod -R u+rwX,go+rX,go-w "$t"
  dpkg-deb --root-owner-group -Zgzip --build "$t" "$work/guichet_${version}_$arch.deb" >/dev/null
}

# ---------------------------------------------------------------- the package's own scripts

# cargo-deb replaces every "#DEBHELPER#" in a maintainer script with its systemd part, a
# block of several lines, even inside a comment: the marker must stand alone on its line,
# once, and each script must still be valid sh once the block is in.
snippet='if [ "$1" = "configure" ] ; then
	deb-systemd-helper enable guichet.service >/dev/null || true
fi'
for script in "$fw"/debian/preinst "$fw"/debian/postinst "$fw"/debian/prerm "$fw"/debian/postrm; do
  name=$(basename "$script")
  check "$name: the #DEBHELPER# marker once, alone on its line" \
    test "$(grep -c 'DEBHELPER' "$script")" = 1 -a "$(grep -cx '#DEBHELPER#' "$script")" = 1
  content=$(<"$script")
  filled=${content//'#DEBHELPER#'/$snippet}
  check "$name: valid sh with cargo-deb's part in" sh -n <(printf '%s\n' "$filled")
done

# The preinst's database copy before another version, run in a scratch folder: its paths
# point there, runuser is a stand-in that runs the command as the test's user, and the
# old guichet's `backup FILE` writes FILE (or fails, when told to).
pre=$work/preinst
mkdir -p "$pre/data/backups" "$pre/bin"
sed -e "s#^DATA=.*#DATA=$pre/data#" -e "s#^BIN=.*#BIN=$pre/guichet#" "$fw/debian/preinst" >"$pre/preinst"
printf '#!/bin/sh\nshift 3\nexec "$@"\n' >"$pre/bin/runuser" # drops "-u guichet --"
printf '#!/bin/sh\n[ ! -e "%s/fail" ] || exit 1\nfor a; do f=$a; done\necho copy >"$f"\n' "$pre" >"$pre/guichet"
chmod 755 "$pre/bin/runuser" "$pre/guichet"
: >"$pre/data/guichet.sqlite"
for i in 1 2 3 4 5 6; do touch -d "2026-01-0$i" "$pre/data/backups/guichet-before-0.0.$i-from-0.0.0-2026010$i-000000.sqlite"; done
preinst() { PATH=$pre/bin:$PATH sh "$pre/preinst" "$@" 2>&1; }
copies() { { find "$pre/data/backups" -name '*.sqlite' 2>/dev/null || true; } | wc -l; }
msg=$(preinst upgrade 0.1.0-1 0.2.0-1) && rc=0 || rc=$?
check "preinst upgrade: succeeds" test "$rc" = 0
globbed() { compgen -G "$1" >/dev/null; }
check "preinst upgrade: the database copied, named after both versions" \
  globbed "$pre/data/backups/guichet-before-0.2.0-1-from-0.1.0-1-*.sqlite"
check "preinst upgrade: the 5 newest copies kept" test "$(copies)" = 5 \
  -a ! -e "$pre/data/backups/guichet-before-0.0.2-from-0.0.0-20260102-000000.sqlite" \
  -a -e "$pre/data/backups/guichet-before-0.0.6-from-0.0.0-20260106-000000.sqlite"
rm -rf "$pre/data/backups"
preinst upgrade 0.1.0-1 0.2.0-1 >/dev/null
check "preinst upgrade: the backups folder made 0700" test "$(stat -c %a "$pre/data/backups" 2>/dev/null)" = 700
before_same=$(copies)
preinst upgrade 0.2.0-1 0.2.0-1 >/dev/null
preinst install >/dev/null
check "preinst: no copy for the same version or a first install" test "$(copies)" = "$before_same"
touch "$pre/fail"
msg=$(preinst upgrade 0.2.0-1 0.1.0-1) && rc=0 || rc=$?
if [[ $rc == 0 ]] && grep -q 'warning: the database could not be saved' <<<"$msg"; then
  pass "preinst: a failed copy warns and never stops the upgrade"
else
  fail "preinst: a failed copy warns and never stops the upgrade" "status $rc: $msg"
fi

# Every file, link, mode and modification time under a root, and each file's content
# hash: a run with nothing to do must not even touch a file.
snapshot() {
  (
    cd "$1"
    find . -printf '%y %m %p %l %T@\n' | sort
    find . -type f -print0 | sort -z | xargs -0 -r sha256sum
  )
}

same_tree() { # same_tree ROOT SNAPSHOT NAME: passes when ROOT still matches SNAPSHOT
  local d
  if d=$(diff <(snapshot "$1") - <<<"$2"); then pass "$3"; else fail "$3" "$(head -20 <<<"$d")"; fi
}

run() { # run ROOT ARGS...: provision.sh under --root; output in $out, status in $rc
  local r=$1
  shift
  rc=0
  out=$("$provision" --root "$r" "$@" 2>&1) || rc=$?
}

config_of() { cat "$1/etc/guichet/guichet.toml"; }

# ---------------------------------------------------------------- optional: the real binary

bin=${GUICHET_BIN:-}
if [[ -z $bin ]]; then
  for b in "$repo"/target/release/guichet "$repo"/target/debug/guichet; do
    if [[ -x $b ]]; then bin=$b; break; fi
  done
fi
check_config() { # check_config ROOT NAME: the real binary accepts the config written there
  local r=$1 name=$2 msg
  if [[ -n $bin ]]; then
    if msg=$(GUICHET_DATA_DIR="$work/data" "$bin" --config "$r/etc/guichet/guichet.toml" check-config 2>&1); then
      pass "$name: guichet check-config accepts it"
    else
      fail "$name: guichet check-config refuses it" "$msg"
    fi
  fi
  # Independently of the binary: valid TOML whose sections and keys are the ones
  # src/config.rs knows (deny_unknown_fields there).
  if msg=$(python3 - "$r/etc/guichet/guichet.toml" <<'EOF' 2>&1
import sys, tomllib
known = {
    "": {"site_name", "catalogue_dir", "display", "console", "follow", "queue", "idle", "printer", "speech", "keys"},
    "display": {"width_px", "height_px", "width_mm", "height_mm"},
    "console": {"bind", "public_url", "session_minutes"},
    "follow": {"enabled", "bind", "public_url"},
    "queue": {"minutes_per_visit", "desks"},
    "idle": {"timeout_s", "warning_s", "ticket_s"},
    "printer": {"kind", "path", "address", "baud", "paper_mm", "qr", "status_timeout_ms"},
    "speech": {"enabled"},
    "keys": {"previous", "next", "validate", "back", "help", "repeat", "volume_down", "volume_up"},
}
c = tomllib.load(open(sys.argv[1], "rb"))
bad = set(c) - known[""]
for section, keys in c.items():
    if isinstance(keys, dict):
        bad |= {f"{section}.{k}" for k in set(keys) - known[section]}
assert not bad, f"unknown keys: {sorted(bad)}"
p = c["printer"]
assert p["kind"] in {"none", "folder", "usb", "serial", "tcp"}, p
assert p["kind"] not in {"usb", "serial"} or "path" in p, "usb/serial need a path"
assert (p["kind"] == "tcp") == ("address" in p), "an address exactly for tcp"
assert p.get("paper_mm", 80) in {58, 80}, p
assert isinstance(c["display"]["width_mm"], float) and isinstance(c["display"]["width_px"], int)
EOF
  ); then
    pass "$name: valid TOML with known keys only"
  else
    fail "$name: TOML check" "$msg"
  fi
}

# ---------------------------------------------------------------- the runs

make_deb
deb=$work/guichet_0.1.0-1_arm64.deb
root=$work/root
make_root "$root"

# 1. First run: the whole set-up.
run "$root" --deb "$deb" --site 'France Services de "Saint-Martin"' --hostname guichet-test \
  --display auto --printer usb:/dev/usb/lp0
if ((rc == 0)); then pass "first run succeeds"; else fail "first run succeeds (status $rc)" "$out"; fi
check "first run makes changes" grep -qE '^    [1-9][0-9]* change\(s\)$' <<<"$out"
# Every change is counted once and shown once (a step run in a subshell would lose its count).
shown=$(grep -c '^    + ' <<<"$out" || true)
counted=$(sed -nE 's/^    ([0-9]+) change\(s\)$/\1/p' <<<"$out")
check "changes counted = changes shown ($counted)" test "$shown" = "$counted"
check "new host name applied to the running system" grep -q 'not in --root: hostname guichet-test' <<<"$out"
check "reboot asked for the kernel command line" grep -q 'reboot to apply: kernel command line' <<<"$out"
cfg=$(config_of "$root")
check "display read from the screen's EDID (1280x800, 217x136 mm)" \
  grep -qzE 'width_px = 1280.height_px = 800.width_mm = 217\.0.height_mm = 136\.0' <<<"$cfg"
check "site name quoted for TOML" grep -qF 'site_name = "France Services de \"Saint-Martin\""' <<<"$cfg"
check "USB printer in the config" grep -qzE 'kind = "usb".path = "/dev/usb/lp0"' <<<"$cfg"
check "public URL from the host name" grep -qF 'public_url = "https://guichet-test.local:8080"' <<<"$cfg"
check_config "$root" "first config"
check "package unpacked (binary, unit)" test -x "$root/usr/bin/guichet" -a -f "$root/usr/lib/systemd/system/guichet.service"
check "hostname written" grep -qx guichet-test "$root/etc/hostname"
check "hosts: 127.0.1.1 is the new name, once" test "$(grep -c '^127\.0\.1\.1' "$root/etc/hosts")" = 1 -a "$(grep '^127\.0\.1\.1' "$root/etc/hosts" | awk '{print $2}')" = guichet-test
check "consoleblank=0 appended, serial console kept (USB printer)" \
  grep -qx 'console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait cfg80211.ieee80211_regdom=FR consoleblank=0' "$root/boot/firmware/cmdline.txt"
check "cmdline.txt is still one line" test "$(wc -l <"$root/boot/firmware/cmdline.txt")" = 1
check "firewall table for port 8080" grep -q 'tcp dport 8080 counter drop' "$root/etc/guichet/firewall.nft"
check "journald capped at 50M, persistent" grep -qzE 'Storage=persistent.*SystemMaxUse=50M' "$root/etc/systemd/journald.conf.d/guichet.conf"
check "mDNS service announces port 8080" grep -q '<port>8080</port>' "$root/etc/avahi/services/guichet.service"
check "mDNS service announced as HTTPS (the console serves https://)" grep -qx '    <type>_https._tcp</type>' "$root/etc/avahi/services/guichet.service"
check "firewall unit loads after nftables.service (its flush ruleset)" grep -qE '^After=.*\bnftables\.service\b' "$root/etc/systemd/system/guichet-firewall.service"
check "the package is installed with --allow-downgrades (going back)" \
  grep -qE 'not in --root: .*apt-get .*install .*--allow-downgrades .*guichet_0\.1\.0-1_arm64\.deb$' <<<"$out"
mapfile -t runtime < <(sed -n 's/^readonly RUNTIME_PACKAGES=(\(.*\))$/\1/p' "$provision" | tr ' ' '\n') # as build-bundle.sh reads it
check "RUNTIME_PACKAGES on one line, with systemd-coredump (coredumpctl)" test "${#runtime[@]}" -gt 5 -a -n "$(printf '%s\n' "${runtime[@]}" | grep -x systemd-coredump)"
check "the repair said is 'dpkg --configure -a', never 'apt-get -f install'" test -z "$(grep -l 'apt-get -f install' "$provision" "$fw/README.md")"
check "service enabled (wants link)" test "$(readlink "$root/etc/systemd/system/multi-user.target.wants/guichet.service")" = /usr/lib/systemd/system/guichet.service
check "firewall enabled (wants link)" test -L "$root/etc/systemd/system/multi-user.target.wants/guichet-firewall.service"
check "time zone link" test "$(readlink "$root/etc/localtime")" = /usr/share/zoneinfo/Europe/Paris
check "data folder 0700" test "$(stat -c %a "$root/var/lib/guichet")" = 700
check "no lan drop-in without --lan" test ! -e "$root/etc/systemd/system/guichet.service.d/lan.conf"
check "config.txt untouched (no serial printer)" test "$(grep -c guichet "$root/boot/firmware/config.txt")" = 0
if command -v systemd-analyze >/dev/null && msg=$(systemd-analyze verify "$root/etc/systemd/system/guichet-firewall.service" 2>&1); then
  pass "generated firewall unit passes systemd-analyze verify"
elif command -v systemd-analyze >/dev/null; then
  # /usr/sbin/nft may be missing on the test machine: that is the only acceptable complaint
  if [[ $(grep -v 'Command /usr/sbin/nft is not executable' <<<"$msg" | grep -c .) == 0 ]]; then
    pass "generated firewall unit passes systemd-analyze verify (nft not installed here)"
  else
    fail "generated firewall unit passes systemd-analyze verify" "$msg"
  fi
fi
before=$(snapshot "$root")

# 2. The same command again: nothing to do, not a byte changed.
run "$root" --deb "$deb" --site 'France Services de "Saint-Martin"' --hostname guichet-test \
  --display auto --printer usb:/dev/usb/lp0
check "second run succeeds" test "$rc" = 0
check "second run reports 0 change(s)" grep -qx '    0 change(s)' <<<"$out"
same_tree "$root" "$before" "second run leaves the tree identical"

# 3. A dry run with other flags: says what it would do, changes nothing.
run "$root" --dry-run --force-config --site Autre --printer serial:/dev/serial0@19200 --console 0.0.0.0:9090 \
  --hostname autre --lan 145.242.0.0/16 --journal volatile
check "dry run succeeds" test "$rc" = 0
check "dry run lists changes" grep -q '~ would: update /etc/guichet/guichet.toml' <<<"$out"
check "dry run shows the config diff" grep -qF '+kind = "serial"' <<<"$out"
same_tree "$root" "$before" "dry run changes nothing"

# 4. Other flags without --force-config: the site's config is kept.
run "$root" --site Autre --display 1920x1080@344x194
check "config kept without --force-config" grep -q 'kept as it is' <<<"$out"
if [[ $(config_of "$root") == "$cfg" ]]; then pass "config content unchanged"; else fail "config content unchanged"; fi

# 5. --force-config with a serial printer on the GPIO UART, a port and LAN of its own.
run "$root" --force-config --site 'France Services de Saint-Martin' --display 1920x1080@344x194 \
  --printer serial:/dev/serial0@19200 --console 0.0.0.0:9090 --lan 145.242.0.0/16 --journal volatile \
  --follow http://192.168.1.20:8081/
check "forced rewrite succeeds" test "$rc" = 0
check "old config backed up" globbed "$root/etc/guichet/guichet.toml.*.bak"
cfg2=$(config_of "$root")
check "serial printer with its baud rate" grep -qzE 'kind = "serial".path = "/dev/serial0".baud = 19200' <<<"$cfg2"
check "display from the flag" grep -qzE 'width_px = 1920.height_px = 1080.width_mm = 344\.0.height_mm = 194\.0' <<<"$cfg2"
check "Suivre mon tour on, on its own port, the URL without its slash" \
  grep -qzE '\[follow\][^[]*enabled = true.bind = "0\.0\.0\.0:8081".public_url = "http://192\.168\.1\.20:8081" ' <<<"$cfg2"
check_config "$root" "forced config"
check "serial console removed from cmdline.txt, tty1 kept" \
  grep -qx 'console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait cfg80211.ieee80211_regdom=FR consoleblank=0' "$root/boot/firmware/cmdline.txt"
check "UART switched on in config.txt" grep -qzE 'enable_uart=1.\[pi5\].dtparam=uart0=on' "$root/boot/firmware/config.txt"
check "reboot asked for" grep -q 'reboot to apply' <<<"$out"
check "firewall follows the new port" grep -q 'tcp dport 9090 counter drop' "$root/etc/guichet/firewall.nft"
check "extra LAN range in the firewall" grep -q '145.242.0.0/16' "$root/etc/guichet/firewall.nft"
check "extra LAN range in the service drop-in" grep -qx 'IPAddressAllow=145.242.0.0/16' "$root/etc/systemd/system/guichet.service.d/lan.conf"
check "volatile journal" grep -qx 'Storage=volatile' "$root/etc/systemd/journald.conf.d/guichet.conf"
snap5=$(snapshot "$root")
cp "$root/etc/guichet/firewall.nft" "$work/firewall-9090-lan.nft"
run "$root" --force-config --site 'France Services de Saint-Martin' --display 1920x1080@344x194 \
  --printer serial:/dev/serial0@19200 --console 0.0.0.0:9090 --lan 145.242.0.0/16 --journal volatile \
  --follow http://192.168.1.20:8081/
check "forced rewrite again: 0 change(s), no new backup" grep -qx '    0 change(s)' <<<"$out"
same_tree "$root" "$snap5" "forced rewrite is idempotent too"
run "$root" --printer usb
check "without --lan the drop-in goes" test ! -e "$root/etc/systemd/system/guichet.service.d/lan.conf"
check "the kept config's port still drives the firewall" grep -q 'tcp dport 9090 counter drop' "$root/etc/guichet/firewall.nft"

# 5b. A waiting-room board on a Pi of its own, then a kiosk again.
board_url='https://guichet-stmartin.local:8080/board?key=Kq3-x_9'
board_fp=3A:7F:00:C2:19:D4:8B:E6:51:0F:AA:94:2C:6D:B3:17:E8:45:9C:01:7E:D2:66:B8:F3:0A:5C:91:24:DE:8F:13
# The key must never be readable by others, not even for a moment: a chmod that would
# tighten the file after writing it is logged with the mode it found (a file left by an
# interrupted run, 0644, is the trap).
shim=$work/shim
mkdir -p "$shim"
printf '#!/bin/sh\nfor f; do [ -e "$f" ] && stat -c "%%a %%n" "$f" >>"%s/chmod.log"; done\nexec /bin/chmod "$@"\n' "$work" >"$shim/chmod"
/bin/chmod 755 "$shim/chmod"
printf 'GUICHET_BOARD_URL=old\n' >"$root/etc/guichet/board.env.provision-new"
/bin/chmod 644 "$root/etc/guichet/board.env.provision-new"
PATH=$shim:$PATH run "$root" --printer usb --board-of "$board_url" --fingerprint "$board_fp"
check "board mode succeeds" test "$rc" = 0
check "board.env is 0600 from its first byte (no chmod after writing)" test -z "$(grep -E '^[0-7][1-7][0-7] .*board\.env|^[0-7][0-7][1-7] .*board\.env' "$work/chmod.log" 2>/dev/null)"
dropin=$root/etc/systemd/system/guichet.service.d/board.conf
check "board drop-in: [Service], ExecStart= emptied, then guichet board" \
  test "$(grep -E '^(\[|ExecStart|Type)' "$dropin" | paste -sd'|')" = '[Service]|ExecStart=|ExecStart=/usr/bin/guichet board'
check "board drop-in runs guichet board" grep -qzE 'ExecStart=.ExecStart=/usr/bin/guichet board' "$dropin"
check "board address and fingerprint in an environment file" \
  grep -qzE "GUICHET_BOARD_URL=https://guichet-stmartin.local:8080/board\?key=Kq3-x_9.GUICHET_BOARD_FINGERPRINT=$board_fp" "$root/etc/guichet/board.env"
check "board environment file readable by root only (the key)" test "$(stat -c %a "$root/etc/guichet/board.env")" = 600
snap5b=$(snapshot "$root")
run "$root" --printer usb --board-of "$board_url" --fingerprint "$board_fp"
check "board mode again: 0 change(s)" grep -qx '    0 change(s)' <<<"$out"
same_tree "$root" "$snap5b" "board mode is idempotent"
run "$root" --printer usb
check "without --board-of the Pi is a kiosk again" test ! -e "$dropin" -a ! -e "$root/etc/guichet/board.env"

# 6. Mistakes stop early, say what to do, and touch nothing.
snap6=$(snapshot "$root")
expect_refusal() { # expect_refusal STATUS PATTERN ARGS...
  local want=$1 pattern=$2
  shift 2
  run "$root" "$@"
  local shown=${*//[[:cntrl:]]/^} # a newline or tab shown as ^
  if [[ $rc == "$want" ]] && grep -qE "$pattern" <<<"$out"; then pass "refused: $shown"; else
    fail "refused with status $want and /$pattern/: $shown" "status $rc: $out"
  fi
}
expect_refusal 2 'address and port' --printer tcp:192.168.1.50:99999
expect_refusal 2 'address and port' --printer 'tcp:bad host'
expect_refusal 2 'roll width' --paper 57
expect_refusal 2 'pixels@millimetres' --display 1280x800
expect_refusal 2 'lower-case letters' --hostname Guichet_1
expect_refusal 2 'use 1024 to 65535' --console 0.0.0.0:80
expect_refusal 2 'not ADDRESS:PORT' --console localhost:8080
expect_refusal 2 'baud rate' --printer serial:/dev/serial0@1234
expect_refusal 2 'unknown flag' --colour blue
expect_refusal 2 'a space, not' --site=X
expect_refusal 2 'is unknown here' --timezone Europe/Atlantis
expect_refusal 1 'does not exist' --deb "$work/nope_arm64.deb"
expect_refusal 2 'Tableau d.appel' --board-of https://guichet.local:8080/queue
expect_refusal 2 'needs the kiosk.s certificate fingerprint' --board-of 'https://guichet.local:8080/board?key=k'
expect_refusal 2 'goes with --board-of' --fingerprint "$board_fp"
# into an environment file: whole values only, one line each
expect_refusal 2 'Tableau d.appel' --board-of "$board_url"$'\nLD_PRELOAD=/tmp/x.so' --fingerprint "$board_fp"
expect_refusal 2 'Tableau d.appel' --board-of "$board_url extra" --fingerprint "$board_fp"
expect_refusal 2 'Tableau d.appel' --board-of "https://guichet.local:8080/board?key=k"$'\t'
expect_refusal 2 '32 pairs of hex' --board-of 'https://192.168.1.20:8080/board?key=k' --fingerprint $'AB\nLD_PRELOAD=/tmp/x.so'
expect_refusal 2 'plain http:// is refused' --board-of 'http://192.168.1.20:8080/board?key=k'
expect_refusal 2 "follow 'https://.*write http://" --follow https://192.168.1.20:8081
expect_refusal 2 "the staff console's: give the page a port of its own" --follow http://192.168.1.20:8080
expect_refusal 2 'follow port 80: use 1024 to 65535' --follow http://192.168.1.20:80
expect_refusal 2 'write https://192.168.1.20:8080/board' --board-of 'http://192.168.1.20:8080/board?key=k' --fingerprint "$board_fp"
same_tree "$root" "$snap6" "refusals change nothing"

# 7. A fresh machine: no site name; a DSI screen that does not say its size.
root2=$work/root2
make_root "$root2" dsi
run "$root2" --deb "$deb"
check "a first config needs --site" test "$rc" = 1 -a -n "$(grep -F 'needs --site' <<<"$out")"
run "$root2" --deb "$deb" --site X
check "a screen without EDID asks to be measured" test "$rc" = 1 -a -n "$(grep -F 'measure the visible area' <<<"$out")"
run "$root2" --deb "$deb" --site X --display 720x1280@88x155 --timezone Indian/Reunion --printer folder
check "7-inch Touch Display 2 by hand, folder printer" test "$rc" = 0 -a -n "$(grep -F 'kind = "folder"' "$root2/etc/guichet/guichet.toml")"
check "time zone from the flag" test "$(readlink "$root2/etc/localtime")" = /usr/share/zoneinfo/Indian/Reunion
check "no hostname flag: name kept" grep -qx raspberrypi "$root2/etc/hostname"
check "public URL from the kept name" grep -qF 'public_url = "https://raspberrypi.local:8080"' "$root2/etc/guichet/guichet.toml"
check_config "$root2" "folder-printer config"
run "$root2" --force-config --site X --display 720x1280@88x155 --printer tcp:192.168.1.50 --paper 58
check "network printer: port 9100 by default, paper width" \
  grep -qzE 'kind = "tcp".address = "192\.168\.1\.50:9100".*paper_mm = 58' "$root2/etc/guichet/guichet.toml"
check_config "$root2" "network-printer config"
# A site that chose plain HTTP (its own edit, tls = "off"): announced as what it serves.
sed -i -e 's#^public_url = "https://#public_url = "http://#' -e 's#^\[console\]#[console]\ntls = "off"#' "$root2/etc/guichet/guichet.toml"
run "$root2"
check "mDNS: _http._tcp when the console's public_url is http://" \
  test "$rc" = 0 -a -n "$(grep -x '    <type>_http._tcp</type>' "$root2/etc/avahi/services/guichet.service")"

# 8. The example config the package ships counts as "not configured yet".
root3=$work/root3
make_root "$root3"
run "$root3" --deb "$deb" --site X --no-start
check "package example replaced by the site's config" test "$rc" = 0 -a -n "$(grep -F 'site_name = "X"' "$root3/etc/guichet/guichet.toml")"
check "no backup of the package's example" test -z "$(compgen -G "$root3/etc/guichet/guichet.toml.*.bak" || true)"

# 9. An install cut short: dpkg's database (the tree's own) says guichet is half-configured.
status_of() { # status_of ROOT STATUS: guichet 0.1.0-1 in that state in ROOT's dpkg database
  mkdir -p "$1/var/lib/dpkg"
  printf 'Package: guichet\nStatus: install ok %s\nVersion: 0.1.0-1\nArchitecture: arm64\nMaintainer: t <t@example.org>\nDescription: t\n\n' "$2" \
    >"$1/var/lib/dpkg/status"
}
status_of "$root3" half-configured
run "$root3" --deb "$deb" --no-start
check "half-configured guichet: finished with dpkg --configure -a" \
  test "$rc" = 0 -a -n "$(grep -F 'finish the interrupted install of guichet' <<<"$out")" -a -n "$(grep -F 'not in --root: dpkg --configure -a' <<<"$out")"
status_of "$root3" installed
run "$root3" --deb "$deb" --no-start
check "installed guichet: no repair" test -z "$(grep -F 'dpkg --configure' <<<"$out")"

# 10. --offline: apt reads the bundle only. Bundles made here as build-bundle.sh makes
# them (pool/ and a Packages index), with stand-ins for every package; apt checks them
# for real (--simulate, against the tree's empty dpkg database: no root needed).
arch=$(dpkg --print-architecture)
if [[ $arch == arm64 ]]; then other_arch=amd64; else other_arch=arm64; fi
make_pkg() { # make_pkg NAME [DEPENDS]: an empty stand-in package in $work/pkgs
  local t=$work/pkgtree/$1
  mkdir -p "$t/DEBIAN" "$work/pkgs"
  printf 'Package: %s\nVersion: 99-test\nArchitecture: all\nMaintainer: t <t@example.org>\n%sDescription: stand-in\n' \
    "$1" "${2:+Depends: $2$'\n'}" >"$t/DEBIAN/control"
  dpkg-deb --root-owner-group -Zgzip --build "$t" "$work/pkgs/${1}_99-test_all.deb" >/dev/null
}
make_bundle() { # make_bundle DIR DEB... : pool/ and its Packages index, as apt-ftparchive makes it
  local d=$1 f
  shift
  mkdir -p "$d/pool"
  cp "$@" "$d/pool/"
  for f in "$d"/pool/*.deb; do
    dpkg-deb -f "$f"
    printf 'Filename: pool/%s\nSize: %s\nSHA256: %s\n\n' "${f##*/}" "$(stat -c %s "$f")" "$(sha256sum <"$f" | cut -d' ' -f1)"
  done >"$d/Packages"
  gzip -9kn "$d/Packages"
}
if command -v apt-get >/dev/null; then
  for p in "${runtime[@]}"; do make_pkg "$p"; done
  make_pkg guichet-test-dep guichet-test-deep
  make_pkg guichet-test-deep
  make_deb 0.2.0-1 "$arch" guichet-test-dep
  make_deb 0.2.0-1 "$other_arch" guichet-test-dep
  make_bundle "$work/bundle" "$work"/pkgs/*.deb "$work/guichet_0.2.0-1_$arch.deb"
  mapfile -t some < <(printf '%s\n' "$work"/pkgs/*.deb | grep -v -e systemd-coredump_ -e guichet-test-deep_)
  make_bundle "$work/bundle-lacking" "$work/guichet_0.2.0-1_$arch.deb" "${some[@]}"
  make_bundle "$work/bundle-other" "$work"/pkgs/*.deb "$work/guichet_0.2.0-1_$other_arch.deb"
  root4=$work/root4
  make_root "$root4"
  run "$root4" --offline "$work/bundle" --site X --display 1280x800@217x136 --printer folder
  if ((rc == 0)); then pass "offline: a complete bundle installs"; else fail "offline: a complete bundle installs (status $rc)" "$out"; fi
  apt_line=$(grep -E 'not in --root: .*apt-get .*install .*guichet_0\.2\.0-1_' <<<"$out" || true)
  check "offline: apt reads only a private sources list and lists" \
    grep -qE 'Dir::Etc::SourceList=[^ ]+/sources\.list -o Dir::Etc::SourceParts=- -o Dir::State::Lists=[^ ]+/lists ' <<<"$apt_line"
  check "offline: the guichet .deb is taken from the bundle's pool, for this machine ($arch)" \
    grep -qE "install .*--allow-downgrades .*$work/bundle/pool/guichet_0\.2\.0-1_$arch\.deb$" <<<"$apt_line"
  check "offline: the runtime packages come from the bundle too" \
    grep -qE 'not in --root: .*apt-get -o Dir::Etc::SourceList=.* install -y --no-install-recommends .*systemd-coredump$' <<<"$out"
  check "offline: the unpacked program is the bundle's" grep -q 'guichet 0.2.0-1 stand-in' "$root4/usr/bin/guichet"
  private=$(sed -nE 's/.*Dir::Etc::SourceList=([^ ]+)\/sources\.list .*/\1/p' <<<"$apt_line" | head -n 1)
  check "offline: the private apt folder is gone at the end" test -n "$private" -a ! -e "$private"
  check "self-test in the kiosk's sandbox when the package has guichet-doctor.service" \
    grep -q 'not in --root: systemctl start guichet-doctor.service' <<<"$out"
  check "self-test: its lines read back from its start" grep -q 'journalctl -o cat -u guichet-doctor.service --since' <<<"$out"
  snap10=$(snapshot "$root4")
  run "$root4" --offline "$work/bundle-lacking" --site X --display 1280x800@217x136 --printer folder
  check "offline: a bundle that lacks packages names them (deep ones too), before installing" \
    test "$rc" = 1 -a -n "$(grep -F "the bundle $work/bundle-lacking lacks: guichet-test-deep, systemd-coredump; make it again with build-bundle.sh for $arch" <<<"$out")"
  run "$root4" --offline "$work/bundle-other" --site X --display 1280x800@217x136 --printer folder
  check "offline: a bundle for another architecture is refused, naming both" \
    test "$rc" = 1 -a -n "$(grep -E "guichet_0\.2\.0-1_$other_arch\.deb.*this machine is $arch|$other_arch.*this machine is $arch" <<<"$out")"
  run "$root4" --offline "$work/bundle" --deb "$work/guichet_0.2.0-1_$other_arch.deb" --site X
  check "offline: --deb for another architecture is refused, naming both" \
    test "$rc" = 1 -a -n "$(grep -F "built for $other_arch, and this machine is $arch" <<<"$out")"
  same_tree "$root4" "$snap10" "offline refusals change nothing"
  expect_refusal 2 'not a bundle' --offline "$work/pkgtree"
else
  printf 'skip  --offline (no apt-get here)\n'
fi

# 11. The end of a real run, which --root cannot reach: provision.sh's own functions, with
# systemctl and journalctl stand-ins. A kiosk that does not start and a self-test that
# fails are warnings: the self-test and the summary still come, then exit status 3.
funcs=$(awk '/^[A-Za-z_][A-Za-z0-9_]*\(\) \{/ { if ($0 ~ /; \}( +#.*)?$/) { print; next } f = 1 }
  f { print } f && /^}/ { f = 0 }' "$provision")
fake=$work/fake
mkdir -p "$fake/usr/lib/systemd/system"
finish() { # finish KIOSK_STARTS DOCTOR_PASSES: start_kiosk, self_test, summary as provision.sh runs them
  bash -c 'eval "$1"
    PROG=provision.sh DRY=0 ROOT="" UNIT=guichet.service DOCTOR_UNIT=guichet-doctor.service DATA_DIR=/var/lib/guichet
    CONFIG=/etc/guichet/guichet.toml CHANGES=0 LAST_CHANGED=0 REBOOT_REASONS=() FAILED=() CONSOLE_URL=https://k.local:8080
    BIN=$2/usr/bin/guichet fake=$2 kiosk_status=$3 doctor_status=$4
    P() { printf "%s%s" "$fake" "$1"; }
    systemd_up() { true; }
    runuser() { shift 3; "$@"; }
    systemctl() {
      case "$1 ${2:-}" in
        "start guichet.service") return "$kiosk_status" ;;
        "start guichet-doctor.service") return "$doctor_status" ;;
      esac
    }
    journalctl() { case $* in *"-u guichet-doctor.service --since @"*) echo "FAIL  printer  offline (seen from the sandbox)" ;; esac; }
    start_kiosk start "start guichet.service"
    self_test
    summary
    echo "exit 0 reached"' _ "$funcs" "$fake" "$@" 2>&1
}
: >"$fake/usr/lib/systemd/system/guichet-doctor.service"
rc=0
out=$(finish 1 1) || rc=$?
check "kiosk start fails: a warning, then the self-test and the summary" \
  test -n "$(grep -F 'did not start: going on' <<<"$out")" -a -n "$(grep -F 'staff console: https://k.local:8080' <<<"$out")"
check "self-test inside the sandbox, its lines read back from its start" grep -qF 'FAIL  printer  offline (seen from the sandbox)' <<<"$out"
check "summary says what to read first, and exit status 3" \
  test "$rc" = 3 -a -n "$(grep -F '! the kiosk did not start: read first journalctl -u guichet -b -n 50' <<<"$out")" \
  -a -n "$(grep -F '! the self-test found a fault; again: sudo systemctl start guichet-doctor; journalctl -u guichet-doctor -b -o cat -n 40' <<<"$out")"
rc=0
out=$(finish 0 0) || rc=$?
check "all well: exit status 0, no warning" \
  test "$rc" = 0 -a -n "$(grep -F 'exit 0 reached' <<<"$out")" -a -n "$(grep -F 'staff console:' <<<"$out")" -a -z "$(grep -F '!' <<<"$out")"
rm "$fake/usr/lib/systemd/system/guichet-doctor.service"
mkdir -p "$fake/usr/bin"
printf '#!/bin/sh\n[ "$2" = --help ] && exit 0\necho "FAIL  touch  outside"; exit 1\n' >"$fake/usr/bin/guichet"
chmod 755 "$fake/usr/bin/guichet"
rc=0
out=$(finish 0 0) || rc=$?
check "no guichet-doctor.service: the self-test runs outside the sandbox, and says so" \
  test "$rc" = 3 -a -n "$(grep -F "outside the kiosk's sandbox" <<<"$out")" -a -n "$(grep -F 'FAIL  touch  outside' <<<"$out")"

# 12. The technician's guide.
guide=$fw/README.md
check "guide: the data partition's fstab line has nofail (no emergency mode without SSH)" \
  grep -qE "^ *echo 'LABEL=GUICHETDATA /var/lib/guichet ext4 [^ ]*\bnofail\b" "$guide"
# every check-config, screenshot or screen list is run as guichet with both paths
bad=$(grep -oE '(sudo -u guichet )?(env [A-Z_]+=[a-z]+ )?guichet( --[a-z-]+ [^ `]+)* (check-config|screenshot|kiosk)' "$guide" |
  grep -vxE 'sudo -u guichet (env [A-Z_]+=[a-z]+ )?guichet --data-dir /var/lib/guichet --config /etc/guichet/guichet.toml (check-config|screenshot|kiosk)' || true)
check "guide: check-config and screen commands as guichet, with --data-dir and --config" test -z "$bad"
check "guide: the backup keeps the console's certificate and key" \
  grep -qF 'sudo cp /var/lib/guichet/console-cert.pem /var/lib/guichet/console-key.pem /media/usb/' "$guide"
check "guide: the restore puts them back, owner guichet, mode 0600" \
  grep -qF 'sudo install -o guichet -g guichet -m 600 /media/usb/console-cert.pem /media/usb/console-key.pem /var/lib/guichet/' "$guide"
check "guide: the offline way (bundle on a USB stick)" \
  grep -qF 'sudo bash /media/usb/guichet-bundle/provision.sh --offline /media/usb/guichet-bundle' "$guide"
check "guide: going back to an older version (retour arrière)" grep -q '^### Going back to an older version (retour arrière)' "$guide"
check "guide: the self-test runs in the sandbox" grep -qF 'sudo systemctl start guichet-doctor; journalctl -u guichet-doctor -b -o cat -n 40' "$guide"
check "guide: no self-test run by hand outside the sandbox" test -z "$(grep -E 'guichet( --[a-z-]+ [^ `]+)* doctor`?$' "$guide" | grep -v 'guichet-doctor' || true)"

# 13. cloud-init: the Pi reboots into the kiosk only when provision.sh succeeded. The
# runcmd's wrapper is run with a stand-in provision.sh and its paths moved here.
userdata=$fw/cloud-init/user-data.yaml
if python3 -c 'import yaml' 2>/dev/null; then
  ci=$work/cloud-init
  mkdir -p "$ci/boot/guichet" "$ci/run"
  if msg=$(python3 - "$userdata" "$ci/wrapper.sh" "$ci/condition" <<'EOF' 2>&1
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert isinstance(d, dict) and "runcmd" in d and "power_state" in d, "runcmd and power_state"
ps = d["power_state"]
assert ps["mode"] == "reboot" and isinstance(ps.get("condition"), str), ps
wrap = [c for c in d["runcmd"] if isinstance(c, list) and c[:2] == ["sh", "-c"]]
assert len(wrap) == 1, "one sh -c wrapper around provision.sh"
assert wrap[0][3] == "provision.sh" and "--site" in wrap[0], wrap[0][3:]
open(sys.argv[2], "w").write(wrap[0][2])
open(sys.argv[3], "w").write(ps["condition"])
EOF
  ); then
    pass "cloud-init: valid YAML, power_state with a condition, provision.sh in a wrapper"
  else
    fail "cloud-init: structure" "$msg"
    printf 'echo not run' >"$ci/wrapper.sh"
    printf 'false' >"$ci/condition"
  fi
  sed -i -e "s#/boot/firmware/guichet#$ci/boot/guichet#g" -e "s#/run/#$ci/run/#g" "$ci/wrapper.sh" "$ci/condition"
  reboots() { # reboots STATUS: 0 when power_state would reboot after provision.sh exits with STATUS
    rm -f "$ci"/run/* "$ci"/boot/guichet/*.txt
    printf '#!/bin/sh\nexit %s\n' "$1" >"$ci/boot/guichet/provision.sh"
    sh -c "$(cat "$ci/wrapper.sh")" provision.sh --site X >/dev/null 2>&1 || true
    sh -c "$(cat "$ci/condition")"
  }
  check "cloud-init: reboots after success" reboots 0
  check "cloud-init: reboots when set up with a warning (exit 3: the reboot applies the boot settings)" reboots 3
  if reboots 1; then fail "cloud-init: no reboot after a failure"; else pass "cloud-init: no reboot after a failure"; fi
  check "cloud-init: a failure says why on the boot partition" grep -qs 'provision.sh failed (exit 1)' "$ci/boot/guichet/PROVISION-FAILED.txt"
else
  printf 'skip  cloud-init user-data (python3 has no yaml module)\n'
fi

# ---------------------------------------------------------------- optional: firewall for real

if ((EUID == 0)) && command -v nft >/dev/null && ip netns add gtest_probe 2>/dev/null; then
  ip netns del gtest_probe
  nftfile=$work/firewall-9090-lan.nft # port 9090 and --lan 145.242.0.0/16, from step 5
  srv=guichet_fw_srv cli=guichet_fw_cli
  cleanup_ns() { ip netns del "$srv" 2>/dev/null || true; ip netns del "$cli" 2>/dev/null || true; }
  cleanup_ns
  trap 'cleanup_ns; rm -rf "$work"' EXIT
  ip netns add "$srv"
  ip netns add "$cli"
  ip link add gfw0 netns "$srv" type veth peer name gfw1 netns "$cli"
  ip -n "$srv" addr add 192.168.77.1/24 dev gfw0
  ip -n "$srv" addr add 203.0.113.1/24 dev gfw0
  ip -n "$srv" addr add 145.242.5.1/24 dev gfw0
  ip -n "$cli" addr add 192.168.77.2/24 dev gfw1
  ip -n "$cli" addr add 203.0.113.2/24 dev gfw1
  ip -n "$cli" addr add 145.242.5.2/24 dev gfw1
  ip -n "$srv" link set gfw0 up
  ip -n "$cli" link set gfw1 up
  ip -n "$srv" link set lo up
  if ip netns exec "$srv" nft -f "$nftfile" && ip netns exec "$srv" nft -f "$nftfile"; then
    pass "firewall file loads, and loads again (idempotent)"
  else
    fail "firewall file loads twice"
  fi
  check "one guichet table after two loads" test "$(ip netns exec "$srv" nft list tables | grep -c 'inet guichet')" = 1
  ip netns exec "$srv" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 9090)); s.listen(8); s.settimeout(15)
try:
    while True:
        c, _ = s.accept(); c.sendall(b"console\n"); c.close()
except socket.timeout:
    pass
' &
  listener=$!
  sleep 0.5
  reach() { # reach SOURCE DEST: 0 if a TCP connection to DEST:9090 from SOURCE gets the greeting
    ip netns exec "$cli" python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[2], 9090), timeout=2, source_address=(sys.argv[1], 0))
sys.exit(0 if s.recv(16) == b"console\n" else 1)
' "$1" "$2" 2>/dev/null
  }
  check "console reachable from a private address (192.168.77.2)" reach 192.168.77.2 192.168.77.1
  check "console reachable from the --lan range (145.242.5.2)" reach 145.242.5.2 145.242.5.1
  if reach 203.0.113.2 203.0.113.1; then fail "console dropped from a public address (203.0.113.2)"; else
    pass "console dropped from a public address (203.0.113.2)"
  fi
  kill "$listener" 2>/dev/null || true
  wait "$listener" 2>/dev/null || true
  cleanup_ns
else
  printf 'skip  firewall in network namespaces (needs root, nft and ip netns)\n'
fi
[[ -n $bin ]] || printf 'skip  guichet check-config (no GUICHET_BIN and no target/*/guichet)\n'

printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))

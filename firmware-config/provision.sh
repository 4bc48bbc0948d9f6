#!/usr/bin/env bash
# provision.sh: turn a fresh Raspberry Pi OS Lite (64-bit, Bookworm or Trixie) into a
# guichet kiosk, in one command. Safe to run again: each step looks first and changes only
# what differs, and the last line counts the changes (0 on a second run).
#
#   sudo ./provision.sh --site "France Services de Saint-Martin" --hostname guichet-stmartin \
#        --display auto --printer usb:/dev/usb/lp0
#   sudo bash /media/usb/guichet-bundle/provision.sh --offline /media/usb/guichet-bundle …   # no network
#
# `./provision.sh --help` lists every flag. See README.md beside this script (the
# technician's guide) for the whole procedure, from a blank SD card.
set -euo pipefail

readonly PROG=provision.sh
readonly CONFIG=/etc/guichet/guichet.toml
readonly CONFIG_DEFAULT=/usr/share/guichet/guichet.toml   # the example the package ships
readonly DATA_DIR=/var/lib/guichet
readonly UNIT=guichet.service
readonly FW_UNIT=guichet-firewall.service
readonly FW_FILE=/etc/guichet/firewall.nft
readonly KIOSK_GROUPS=(video input render gpio dialout audio lp)
readonly DOCTOR_UNIT=guichet-doctor.service # `guichet doctor` inside the kiosk's sandbox
# On one line: build-bundle.sh reads it with sed. systemd-coredump keeps the core dump of
# a kiosk the watchdog stopped (coredumpctl), for the developers.
readonly RUNTIME_PACKAGES=(speech-dispatcher speech-dispatcher-espeak-ng espeak-ng alsa-utils avahi-daemon nftables systemd-coredump)
# Private IPv4, link-local, loopback; IPv6 unique-local, link-local, loopback.
readonly LAN4=(10.0.0.0/8 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12 192.168.0.0/16)
readonly LAN6=(::1 fc00::/7 fe80::/10)

usage() {
  cat <<'EOF'
Usage: sudo ./provision.sh [FLAGS] [PACKAGE.deb]

Installs guichet and what it needs, writes /etc/guichet/guichet.toml from the flags, and
sets up the Pi as a kiosk: user and groups, host name and .local name, firewall (staff
console reachable from the office network only), journal limits, no screen blanking,
the service started at boot. Run it again at any time: it changes only what differs.

Site (used when /etc/guichet/guichet.toml is written):
  --site NAME              "France Services de Saint-Martin" (needed for a first config)
  --display SPEC           WxH@WMMxHMM, the visible area in pixels and millimetres,
                           e.g. 1280x800@217x136; or "auto" (read from the connected
                           screen; default)
  --printer SPEC           usb[:/dev/usb/lp0] | serial:/dev/serial0[@9600] |
                           tcp:192.168.1.50[:9100] (network printer) |
                           folder (simulated, tickets saved as files) | none (default)
  --paper 58|80            width of the paper roll in mm (default: 80)
  --console ADDR:PORT      where the staff console listens (default 0.0.0.0:8080)
  --public-url URL         what staff phones open from the ticket's QR code
                           (default https://<hostname>.local:<port>: the console serves
                           HTTPS with a certificate it makes at first start)
  --follow URL             offer "Suivre mon tour": the ticket carries a second QR code
                           that opens the visitor's turn on their phone, in plain HTTP
                           (nothing secret on it). URL is what phones open: this kiosk's
                           address on the visitors' Wi-Fi and a port of its own, e.g.
                           http://192.168.1.20:8081 (docs/STAFF.md says how to offer it
                           on a guest Wi-Fi); "off" (default) leaves it off
  --force-config           rewrite an existing guichet.toml from the flags (the old one
                           is kept as guichet.toml.<date>.bak); without it, an edited
                           config is left alone

A waiting-room board on a Pi of its own (by the TV), instead of a kiosk:
  --board-of URL           the kiosk's board address, from its console's page "Tableau
                           d'appel" (https://guichet-stmartin.local:8080/board?key=…):
                           the service runs `guichet board --follow URL`; run again
                           without it to make this Pi a kiosk again
  --fingerprint SHA256     that kiosk's certificate fingerprint (its `guichet doctor`
                           prints it on the https line; needed for https)

Machine:
  --hostname NAME          host name, also the .local name phones use (default: keep)
  --timezone ZONE          default Europe/Paris (Indian/Reunion, America/Cayenne…)
  --lan CIDR               another address range allowed to reach the console, for an
                           office network outside the private ranges (repeatable)
  --journal MODE           persistent (default) or volatile: where the system log lives
  --deb FILE               the guichet .deb (default: the newest guichet_*_<arch>.deb
                           next to this script, <arch> being this machine's: arm64 on a
                           Pi); may also be the last argument. An older version than the
                           installed one is put back (README.md: retour arrière)
  --offline DIR            no network: install from the bundle DIR (build-bundle.sh, on
                           a USB stick) and from nothing else; the guichet .deb comes
                           from DIR/pool unless --deb is given
  --no-start               do not start or restart the service now (it starts at the
                           next boot)

Checking:
  --dry-run                print every action, change nothing (no root needed)
  --root DIR               work on a copy of a system tree in DIR (tests): files are
                           written under DIR, the .deb is unpacked there, and commands
                           that act on the running system (apt, useradd, systemctl,
                           nft) are listed but not run (no root needed)
  -h, --help               this text

Exit status: 0 done; 1 stopped at an error (its message says what to do); 2 a wrong
flag; 3 set up, but the kiosk did not start or its self-test failed (see the summary).
EOF
}

# ---------------------------------------------------------------- output and errors

die() { # die MESSAGE... : what went wrong and what to do, then stop
  printf '%s: error: %s\n' "$PROG" "$1" >&2
  shift
  local line
  for line in "$@"; do printf '    %s\n' "$line" >&2; done
  exit 1
}
usage_error() {
  printf '%s: %s\n    see: %s --help\n' "$PROG" "$1" "$PROG" >&2
  exit 2
}
step() { printf '\n==> %s\n' "$1"; }
ok() { printf '    = %s\n' "$1"; }
warn() { printf '    ! %s\n' "$1" >&2; }
CHANGES=0
LAST_CHANGED=0
REBOOT_REASONS=()
changed() { # changed DESCRIPTION: counts one change (or one that a dry run would make)
  CHANGES=$((CHANGES + 1))
  LAST_CHANGED=1
  if ((DRY)); then printf '    ~ would: %s\n' "$1"; else printf '    + %s\n' "$1"; fi
}

# Runs a command that acts on the running system. A dry run prints it; --root lists it.
sys() {
  local shown="" arg
  for arg in "$@"; do
    if [[ $arg =~ ^[A-Za-z0-9_./:=@,+-]+$ ]]; then shown+="$arg "; else shown+="$(printf '%q' "$arg") "; fi
  done
  if ((DRY)); then
    printf '    ~ would run: %s\n' "${shown% }"
  elif [[ -n $ROOT ]]; then
    printf '    - not in --root: %s\n' "${shown% }"
  else
    printf '    $ %s\n' "${shown% }"
    "$@"
  fi
}
live() { [[ -z $ROOT ]] && ((!DRY)); }          # really changing this machine
on_system() { [[ -z $ROOT ]]; }                  # looking at this machine (maybe dry)
systemd_up() { on_system && [[ -d /run/systemd/system ]]; }
P() { printf '%s%s' "$ROOT" "$1"; }              # a system path, under --root when given

# ---------------------------------------------------------------- files

# put_file PATH MODE < CONTENT: writes the file when its content or mode differs (MODE
# "keep": leave the mode alone, for the FAT boot partition). Sets LAST_CHANGED. A dry run
# shows the difference. Feed it with < FILE, <<< or < <(…), never through a pipe: a pipe
# would run it in a subshell and lose the change count.
put_file() {
  local rel=$1 mode=$2 dest tmp
  dest=$(P "$rel")
  tmp=$(mktemp)
  cat >"$tmp"
  LAST_CHANGED=0
  if [[ -f $dest ]] && cmp -s "$tmp" "$dest"; then
    if [[ $mode != keep && $(stat -c %a "$dest") != "${mode#0}" ]]; then
      changed "chmod $mode $rel"
      ((DRY)) || chmod "$mode" "$dest"
    else
      ok "$rel"
    fi
    rm -f "$tmp"
    return 0
  fi
  if [[ -e $dest ]]; then changed "update $rel"; else changed "create $rel"; fi
  if ((DRY)); then
    diff -u --label "$rel (now)" --label "$rel (new)" "$([[ -f $dest ]] && echo "$dest" || echo /dev/null)" "$tmp" |
      head -n 60 | sed 's/^/        /' || true
    rm -f "$tmp"
    return 0
  fi
  mkdir -p "$(dirname "$dest")"
  # Written with its mode from the start (a secret is never readable by others, not even
  # for a moment); one left by an interrupted run goes first (cp would keep its mode).
  rm -f "$dest.provision-new"
  if [[ $mode == keep ]]; then cp "$tmp" "$dest.provision-new"; else install -m "$mode" "$tmp" "$dest.provision-new"; fi
  mv -f "$dest.provision-new" "$dest"
  rm -f "$tmp"
}

remove_file() { # remove_file PATH WHY
  local dest
  dest=$(P "$1")
  LAST_CHANGED=0
  if [[ -e $dest || -L $dest ]]; then
    changed "remove $1 ($2)"
    ((DRY)) || rm -f "$dest"
  fi
}

ensure_symlink() { # ensure_symlink LINK TARGET
  local link target=$2
  link=$(P "$1")
  LAST_CHANGED=0
  if [[ -L $link && $(readlink "$link") == "$target" ]]; then
    ok "$1 -> $target"
    return 0
  fi
  changed "link $1 -> $target"
  ((DRY)) && return 0
  mkdir -p "$(dirname "$link")"
  ln -sfn "$target" "$link"
}

ensure_enabled() { # ensure_enabled UNIT FILE: the link `systemctl enable` makes (any target will do)
  local link=/etc/systemd/system/multi-user.target.wants/$1
  if [[ -L $(P "$link") ]]; then
    ok "$1 starts at boot"
    LAST_CHANGED=0
  else
    ensure_symlink "$link" "$2"
  fi
}

ensure_dir() { # ensure_dir PATH MODE [OWNER:GROUP]
  local rel=$1 mode=$2 owner=${3:-} dir
  dir=$(P "$rel")
  if [[ ! -d $dir ]]; then
    changed "create folder $rel"
    ((DRY)) || install -d -m "$mode" "$dir"
  elif [[ $(stat -c %a "$dir") != "${mode#0}" ]]; then
    changed "chmod $mode $rel"
    ((DRY)) || chmod "$mode" "$dir"
  else
    ok "$rel/"
  fi
  if [[ -n $owner ]] && live && [[ $(stat -c %U:%G "$dir") != "$owner" ]]; then
    changed "chown $owner $rel"
    chown "$owner" "$dir"
  fi
}

# ---------------------------------------------------------------- flags

SITE="" DISPLAY_SPEC=auto PRINTER_SPEC=none PAPER="" CONSOLE_BIND=0.0.0.0:8080 PUBLIC_URL="" FOLLOW_URL=off FOLLOW_PORT=""
HOST_WANTED="" TIMEZONE=Europe/Paris JOURNAL=persistent DEB="" ROOT="" OFFLINE=""
FORCE_CONFIG=0 DRY=0 NO_START=0 BOARD_OF="" BOARD_FINGERPRINT=""
LAN_EXTRA=()
CONFIG_FLAGS=() # the flags that only matter when the config is written

ORIG_ARGS=("$@")
need_value() { [[ $# -ge 2 && -n $2 ]] || usage_error "$1 needs a value"; }
while (($#)); do
  case $1 in --site | --display | --printer | --paper | --console | --public-url | --follow) CONFIG_FLAGS+=("$1") ;; esac
  case $1 in
    --site) need_value "$@"; SITE=$2; shift 2 ;;
    --display) need_value "$@"; DISPLAY_SPEC=$2; shift 2 ;;
    --printer) need_value "$@"; PRINTER_SPEC=$2; shift 2 ;;
    --paper) need_value "$@"; PAPER=$2; shift 2 ;;
    --console) need_value "$@"; CONSOLE_BIND=$2; shift 2 ;;
    --public-url) need_value "$@"; PUBLIC_URL=$2; shift 2 ;;
    --follow) need_value "$@"; FOLLOW_URL=$2; shift 2 ;;
    --hostname) need_value "$@"; HOST_WANTED=$2; shift 2 ;;
    --board-of) need_value "$@"; BOARD_OF=$2; shift 2 ;;
    --fingerprint) need_value "$@"; BOARD_FINGERPRINT=$2; shift 2 ;;
    --timezone) need_value "$@"; TIMEZONE=$2; shift 2 ;;
    --lan) need_value "$@"; LAN_EXTRA+=("$2"); shift 2 ;;
    --journal) need_value "$@"; JOURNAL=$2; shift 2 ;;
    --deb) need_value "$@"; DEB=$2; shift 2 ;;
    --offline) need_value "$@"; OFFLINE=$2; shift 2 ;;
    --root) need_value "$@"; ROOT=$2; shift 2 ;;
    --force-config) FORCE_CONFIG=1; shift ;;
    --dry-run) DRY=1; shift ;;
    --no-start) NO_START=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --*=*) usage_error "write '${1%%=*} ${1#*=}' (a space, not '=')" ;;
    -*) usage_error "unknown flag: $1" ;;
    *.deb) DEB=$1; shift ;;
    *) usage_error "unexpected argument: $1 (a package must end in .deb)" ;;
  esac
done

# ---- check every flag before touching anything

if [[ -n $ROOT ]]; then
  [[ -d $ROOT ]] || usage_error "--root $ROOT: no such folder"
  ROOT=$(cd "$ROOT" && pwd)
  [[ $ROOT != / ]] || ROOT=""
fi
if [[ -n $OFFLINE ]]; then
  [[ -d $OFFLINE ]] || usage_error "--offline $OFFLINE: no such folder (is the USB stick mounted? lsblk names it; sudo mount /dev/sda1 /media/usb)"
  OFFLINE=$(cd "$OFFLINE" && pwd)
  [[ $OFFLINE != *[[:space:]]* ]] || usage_error "--offline '$OFFLINE': apt cannot use a folder whose path has spaces: mount the stick on /media/usb"
  [[ -d $OFFLINE/pool && (-f $OFFLINE/Packages || -f $OFFLINE/Packages.gz) ]] ||
    usage_error "--offline $OFFLINE is not a bundle (no Packages index and pool/ folder): give the folder build-bundle.sh made, e.g. /media/usb/guichet-bundle"
fi

case $JOURNAL in persistent | volatile) ;; *) usage_error "--journal is persistent or volatile, not '$JOURNAL'" ;; esac

if [[ -n $HOST_WANTED ]]; then
  [[ $HOST_WANTED =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]] ||
    usage_error "--hostname '$HOST_WANTED': use lower-case letters, digits and '-' (at most 63, no dot), e.g. guichet-stmartin"
fi

[[ $TIMEZONE =~ ^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$ ]] || usage_error "--timezone '$TIMEZONE' is not a zone name such as Europe/Paris"
if [[ -d $(P /usr/share/zoneinfo) && ! -f $(P "/usr/share/zoneinfo/$TIMEZONE") ]]; then
  usage_error "--timezone '$TIMEZONE' is unknown here (see timedatectl list-timezones)"
fi

# console: IPv4:port or [IPv6]:port; the kiosk has no privilege to open a port below 1024
if [[ $CONSOLE_BIND =~ ^([0-9]{1,3}(\.[0-9]{1,3}){3}|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5})$ ]]; then
  CONSOLE_PORT=${BASH_REMATCH[3]}
else
  usage_error "--console '$CONSOLE_BIND' is not ADDRESS:PORT, e.g. 0.0.0.0:8080"
fi
((CONSOLE_PORT >= 1024 && CONSOLE_PORT <= 65535)) ||
  usage_error "--console port $CONSOLE_PORT: use 1024 to 65535 (the kiosk runs without privileges), e.g. 8080"

for cidr in "${LAN_EXTRA[@]}"; do
  [[ $cidr =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$ || $cidr =~ ^[0-9A-Fa-f:]+/[0-9]{1,3}$ ]] ||
    usage_error "--lan '$cidr' is not an address range such as 10.20.0.0/16"
done

# printer → kind, path or address, baud
PRINTER_KIND="" PRINTER_PATH="" PRINTER_ADDRESS="" PRINTER_BAUD=9600
case $PRINTER_SPEC in
  none | folder) PRINTER_KIND=$PRINTER_SPEC ;;
  usb) PRINTER_KIND=usb PRINTER_PATH=/dev/usb/lp0 ;;
  usb:/dev/*) PRINTER_KIND=usb PRINTER_PATH=${PRINTER_SPEC#usb:} ;;
  serial:/dev/*)
    PRINTER_KIND=serial
    PRINTER_PATH=${PRINTER_SPEC#serial:}
    if [[ $PRINTER_PATH == *@* ]]; then
      PRINTER_BAUD=${PRINTER_PATH##*@}
      PRINTER_PATH=${PRINTER_PATH%@*}
    fi
    case $PRINTER_BAUD in
      2400 | 4800 | 9600 | 19200 | 38400 | 57600 | 115200 | 230400) ;;
      *) usage_error "--printer: baud rate '$PRINTER_BAUD' is not a standard one (9600, 19200, 38400, 115200…): see the printer's self-test slip" ;;
    esac
    ;;
  tcp:*)
    PRINTER_KIND=tcp
    PRINTER_ADDRESS=${PRINTER_SPEC#tcp:}
    [[ $PRINTER_ADDRESS == *:* ]] || PRINTER_ADDRESS+=:9100
    if [[ ! $PRINTER_ADDRESS =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:([0-9]{1,5})$ ]] ||
      ((BASH_REMATCH[2] < 1 || BASH_REMATCH[2] > 65535)); then
      usage_error "--printer '$PRINTER_SPEC': write the printer's address and port, e.g. tcp:192.168.1.50:9100 (the address is on its self-test slip)"
    fi
    ;;
  *) usage_error "--printer '$PRINTER_SPEC': use usb[:/dev/usb/lp0], serial:/dev/serial0[@9600], tcp:192.168.1.50:9100, folder or none" ;;
esac
case $PAPER in "" | 58 | 80) ;; *) usage_error "--paper is the roll width: 58 or 80 (mm), not '$PAPER'" ;; esac
[[ $PRINTER_PATH != *[[:space:]\"\\]* ]] || usage_error "--printer: the device path has spaces or quotes"

# site name: one line of text, written as a TOML string
if [[ -n $SITE ]]; then
  [[ $SITE != *[[:cntrl:]]* ]] || usage_error "--site: the name must be one line of text"
  ((${#SITE} <= 80)) || usage_error "--site: at most 80 characters (it is shown on the screen)"
fi

if [[ -n $PUBLIC_URL ]]; then
  [[ $PUBLIC_URL =~ ^https?://[^[:space:]\"\\]+$ ]] ||
    usage_error "--public-url '$PUBLIC_URL' must start with http:// or https://, e.g. https://guichet-stmartin.local:8080"
fi

# "Suivre mon tour": plain http:// (a phone would warn about the kiosk's own certificate),
# a port of its own (1024 to 65535, not the console's); the page listens on every address.
if [[ $FOLLOW_URL != off ]]; then
  if [[ $FOLLOW_URL =~ ^http://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):([0-9]{1,5})/?$ ]]; then
    FOLLOW_PORT=${BASH_REMATCH[2]}
    FOLLOW_URL=${FOLLOW_URL%/}
  else
    usage_error "--follow '$FOLLOW_URL': write http://, this kiosk's address on the visitors' Wi-Fi and a port, e.g. http://192.168.1.20:8081 (or off)"
  fi
  ((FOLLOW_PORT >= 1024 && FOLLOW_PORT <= 65535)) ||
    usage_error "--follow port $FOLLOW_PORT: use 1024 to 65535 (the kiosk runs without privileges), e.g. 8081"
  ((FOLLOW_PORT != CONSOLE_PORT)) ||
    usage_error "--follow port $FOLLOW_PORT is the staff console's: give the page a port of its own, e.g. 8081"
fi

# board of another kiosk: its board address, and its fingerprint for https
# (Both go into an environment file, one line each: whole values only, anchored at both
# ends, no space, quote, backslash or control character.)
if [[ -n $BOARD_OF ]]; then
  # https only, as `guichet board --follow` accepts (the board key would cross the
  # office network readable over http://).
  [[ $BOARD_OF != http://* ]] ||
    usage_error "--board-of '$BOARD_OF': plain http:// is refused (the board key would cross the network readable); write https://${BOARD_OF#http://} and give --fingerprint"
  board_re='^https://[^[:space:]"\\]+/board\?([^[:space:]"\\]*&)?key=[^[:space:]"\\&]+(&[^[:space:]"\\]*)?$'
  [[ $BOARD_OF =~ $board_re && $BOARD_OF != *[[:cntrl:]]* ]] ||
    usage_error "--board-of '$BOARD_OF': give the board address the kiosk's console shows on its page \"Tableau d'appel\", e.g. https://guichet-stmartin.local:8080/board?key=…"
  fp=${BOARD_FINGERPRINT//:/}
  if [[ -z $BOARD_FINGERPRINT ]]; then
    usage_error "--fingerprint: an https board address needs the kiosk's certificate fingerprint, 32 pairs of hex digits (AB:CD:…), as its 'guichet doctor' prints it"
  elif [[ ! $fp =~ ^[0-9A-Fa-f]{64}$ ]]; then
    usage_error "--fingerprint '$BOARD_FINGERPRINT': write 32 pairs of hex digits (AB:CD:…), as the kiosk's 'guichet doctor' prints it"
  fi
elif [[ -n $BOARD_FINGERPRINT ]]; then
  usage_error "--fingerprint goes with --board-of (the kiosk whose board this Pi shows)"
fi

# display: WxH@WMMxHMM now; "auto" is read from the screen later (it needs the machine)
DISPLAY_W="" DISPLAY_H="" DISPLAY_WMM="" DISPLAY_HMM=""
if [[ $DISPLAY_SPEC != auto ]]; then
  if [[ $DISPLAY_SPEC =~ ^([0-9]{3,4})x([0-9]{3,4})@([0-9]{2,4}(\.[0-9])?)x([0-9]{2,4}(\.[0-9])?)$ ]]; then
    DISPLAY_W=${BASH_REMATCH[1]} DISPLAY_H=${BASH_REMATCH[2]}
    DISPLAY_WMM=${BASH_REMATCH[3]} DISPLAY_HMM=${BASH_REMATCH[5]}
  else
    usage_error "--display '$DISPLAY_SPEC': write pixels@millimetres of the visible area, e.g. 1280x800@217x136, or auto"
  fi
fi

if live && ((EUID != 0)); then
  die "this changes the system: run it as root, e.g. sudo ./$PROG $(printf '%q ' "${ORIG_ARGS[@]:-}")" \
    "(--dry-run shows what it would do without root)"
fi

# ---------------------------------------------------------------- what this machine is

step "This machine"
# shellcheck disable=SC1090,SC1091 # the system's own file
OS_CODENAME=$(. "$(P /etc/os-release)" 2>/dev/null && echo "${VERSION_CODENAME:-}") || OS_CODENAME=""
case $OS_CODENAME in
  bookworm | trixie) ok "Debian/Raspberry Pi OS $OS_CODENAME" ;;
  "") warn "no /etc/os-release here: going on as if this were Raspberry Pi OS" ;;
  *) warn "made for Raspberry Pi OS Bookworm or Trixie, this is '$OS_CODENAME': going on" ;;
esac
ARCH=$(dpkg --print-architecture 2>/dev/null) || ARCH=arm64
if ((DRY)); then ok "dry run: nothing will be changed"; fi
if [[ -n $ROOT ]]; then ok "working under --root $ROOT"; fi

# ---------------------------------------------------------------- package

step "Packages"
# dpkg's database: this machine's, or the --root tree's (none there: nothing installed).
# (Its '${…}' formats below are dpkg-query's fields, not the shell's: SC2016.)
dpkgq() { dpkg-query --admindir="$(P /var/lib/dpkg)" "$@"; }
apt_get() { sys env DEBIAN_FRONTEND=noninteractive apt-get "${APT_SRC[@]}" "$@"; }
newest_deb() { # newest_deb FOLDER ARCH: the newest guichet_*_ARCH.deb there, if any
  local f
  f=$(find "$1" -maxdepth 1 -name "guichet_*_$2.deb" -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
  [[ -z $f ]] || printf '%s/%s\n' "$1" "$f"
}
if [[ -z $DEB ]]; then
  if [[ -n $OFFLINE ]]; then from=$OFFLINE/pool; else from=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd); fi
  DEB=$(newest_deb "$from" "$ARCH")
  other=$(newest_deb "$from" '*')
  if [[ -z $DEB && -n $OFFLINE ]]; then
    other_arch=${other##*_}
    die "the bundle $OFFLINE holds ${other:+guichet for ${other_arch%.deb} only (${other##*/}), and this machine is $ARCH}${other:-no guichet package in pool/}" \
      "make it again with build-bundle.sh for $ARCH (build-deb.sh --arch $ARCH --bundle)"
  elif [[ -z $DEB && $ARCH != arm64 ]]; then
    warn "this is $ARCH and no guichet_*_$ARCH.deb is here: the guichet package is built for arm64 (64-bit Raspberry Pi OS)"
  fi
fi
PKG_CHANGED=0
if [[ -n $DEB ]]; then
  [[ -f $DEB ]] || die "the package $DEB does not exist" "give its path: ./$PROG --deb /path/to/guichet_X_$ARCH.deb …"
  DEB=$(cd "$(dirname "$DEB")" && pwd)/$(basename "$DEB")
  deb_version=$(dpkg-deb -f "$DEB" Version) || die "$DEB is not a Debian package (dpkg-deb cannot read it)" "copy it again: it may be cut short"
  deb_arch=$(dpkg-deb -f "$DEB" Architecture)
  # apt would refuse it with less clear words; --root trees are often another machine's
  if [[ $deb_arch != "$ARCH" && $deb_arch != all ]] && { on_system || [[ -n $OFFLINE ]]; }; then
    if [[ -n $OFFLINE ]]; then
      die "the bundle's guichet package is built for $deb_arch, and this machine is $ARCH: $DEB" \
        "make the bundle again with build-bundle.sh for $ARCH (build-deb.sh --arch $ARCH --bundle)"
    elif ((DRY)); then
      warn "$DEB is built for $deb_arch, and this machine is $ARCH (a real run stops here)"
    else
      die "$DEB is built for $deb_arch, and this machine is $ARCH" \
        "take guichet_<version>_$ARCH.deb (64-bit Raspberry Pi OS: arm64)"
    fi
  fi
fi

# A half-done install (power cut, a set-up script that failed) blocks apt, and a guichet
# left "half-configured" is not installed: dpkg finishes it.
# shellcheck disable=SC2016
mapfile -t broken < <(dpkgq -W -f='${db:Status-Abbrev} ${Package}\n' 2>/dev/null | awk 'substr($1, 2, 1) ~ /[UFH]/ { print $2 }')
if ((${#broken[@]})); then
  changed "finish the interrupted install of ${broken[*]}"
  sys dpkg --configure -a ||
    die "dpkg --configure -a failed: ${broken[*]} still half installed" \
      "read its message above (guichet's own set-up says what is wrong), fix it, then: sudo dpkg --configure -a" \
      "and run this again"
fi
# shellcheck disable=SC2016
installed=$(dpkgq -W -f='${db:Status-Status} ${Version}' guichet 2>/dev/null || true)
case $installed in
  "installed "* | "half-configured "* | "unpacked "* | triggers-*) installed=${installed#* } ;; # configured just above
  *) installed="" ;;                                                                          # absent, or to unpack again
esac

# What to install: on this machine, what is missing; under --root, all of it (listed).
want=()
if on_system; then
  # shellcheck disable=SC2016
  for p in "${RUNTIME_PACKAGES[@]}"; do
    dpkgq -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || want+=("$p")
  done
else
  want=("${RUNTIME_PACKAGES[@]}")
fi
install_deb=0
if [[ -n $DEB && $installed != "$deb_version" ]]; then install_deb=1; fi

# --offline: apt reads the bundle only, through a sources list and package lists of its
# own; the system's sources and lists are not touched. Each package is checked first
# (--simulate), so a bundle made for another release says what it lacks.
APT_SRC=()
if [[ -n $OFFLINE ]]; then
  apt_state=$(mktemp -d)
  trap 'rm -rf "$apt_state"' EXIT
  chmod 755 "$apt_state" # apt's download user (_apt) writes in lists/partial
  mkdir -p "$apt_state/lists/partial"
  printf 'deb [trusted=yes] file:%s ./\n' "$OFFLINE" >"$apt_state/sources.list"
  # (No download sandbox user: a stick mounted root-only would be unreadable by _apt.)
  APT_SRC=(-o "Dir::Etc::SourceList=$apt_state/sources.list" -o Dir::Etc::SourceParts=- -o "Dir::State::Lists=$apt_state/lists"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o "APT::Sandbox::User=$(id -un)")
  out=$(apt-get "${APT_SRC[@]}" -o Acquire::Languages=none -o Acquire::CompressionTypes::Order::=gz update 2>&1) ||
    die "apt cannot read the bundle $OFFLINE:" "$(tail -n 4 <<<"$out")" "copy the bundle folder again, whole"
  ok "bundle $OFFLINE: $(find "$OFFLINE/pool" -name '*.deb' | wc -l) packages; the network and this system's sources are not used"
  sim=()
  if [[ -n $ROOT ]]; then # the --root tree's own dpkg database (none: a blank system)
    status=$(P /var/lib/dpkg/status)
    [[ -f $status ]] || status=/dev/null
    sim=(-o "Dir::State::status=$status")
  fi
  check=("${want[@]}")
  ((!install_deb)) || check+=("$DEB")
  lacks=()
  for ((round = 0; round < 5 && ${#check[@]}; round++)); do
    out=$(apt-get "${APT_SRC[@]}" "${sim[@]}" --simulate install --no-install-recommends "${check[@]}" 2>&1) && break
    # apt names a missing package ("not installable"), or one whose own dependencies are
    # missing ("not going to be installed": looked into next round), or stops at names
    # it does not know at all (the others are tried again).
    next=()
    while read -r kind name; do
      if [[ $kind == lack ]]; then lacks+=("$name"); else next+=("$name"); fi
    done < <(awk '
      /^E: Unable to locate package / { print "lack", $NF; next }
      /^E: Package .* has no installation candidate/ { n = $0; sub(/^E: Package ./, "", n); sub(/. has no installation candidate.*/, "", n); print "lack", n; next }
      / but it is not installable/ { n = $0; sub(/ but it is not installable.*/, "", n); sub(/.*Depends: /, "", n); sub(/^ +/, "", n); print "lack", n; next }
      / but it is not going to be installed/ { n = $0; sub(/.*Depends: /, "", n); sub(/^ +/, "", n); sub(/ .*/, "", n); print "dig", n; next }
      / but [^ ]+ is to be installed/ { n = $0; sub(/.*Depends: /, "", n); sub(/^ +/, "", n); sub(/ but /, " (the bundle has ", n); sub(/ is to be installed.*/, ")", n); print "lack", n }
    ' <<<"$out")
    ((round || ${#lacks[@]} || ${#next[@]})) || die "apt refuses the bundle's packages:" "$(tail -n 6 <<<"$out")"
    if grep -qE '^E: (Unable to locate package|Package .* has no installation candidate)' <<<"$out"; then
      for p in "${check[@]}"; do [[ " ${lacks[*]} " == *" $p "* ]] || next+=("$p"); done
    fi
    check=("${next[@]}")
  done
  if ((${#lacks[@]})); then
    lacks_list=$(printf '%s\n' "${lacks[@]}" | sort -u | paste -sd, - | sed 's/,/, /g')
    die "the bundle $OFFLINE lacks: $lacks_list; make it again with build-bundle.sh for $ARCH" \
      "(on a PC with the network: firmware-config/build-bundle.sh --deb guichet_<version>_$ARCH.deb)"
  fi
  ok "the bundle holds everything to install"
fi

if on_system; then
  if ((${#want[@]})); then
    changed "install ${want[*]}"
    if [[ -z $OFFLINE ]]; then
      apt_get update ||
        die "apt-get update failed" "the Pi needs the network (cable or Wi-Fi) to reach the Raspberry Pi OS mirrors; check with: ping -c1 deb.debian.org" \
          "a site with no internet: use the offline bundle (--offline, README.md)"
    fi
    apt_get install -y --no-install-recommends "${want[@]}" ||
      die "installing ${want[*]} failed" "read apt's message above; if it says dpkg was interrupted: sudo dpkg --configure -a, then run this again"
  else
    ok "speech, mDNS, firewall and core dump packages are installed"
  fi
  if ((install_deb)); then
    if [[ -n $installed ]] && dpkg --compare-versions "$deb_version" lt "$installed"; then
      changed "put back the older guichet $deb_version (was $installed)"
      warn "an older guichet refuses a database a newer one upgraded: restore the backup made before the upgrade (README.md, retour arrière)"
    else
      changed "install guichet $deb_version${installed:+ (was $installed)}"
    fi
    PKG_CHANGED=1
    # confold: keep the site's guichet.toml when the package brings a new example;
    # downgrades: going back to an older version is a normal repair
    apt_get install -y --no-install-recommends --allow-downgrades \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$DEB" ||
      die "installing $DEB failed" "read apt's message above (guichet's own set-up says what is wrong); once fixed: sudo dpkg --configure -a" \
        "then run this again"
  elif [[ -n $DEB ]]; then
    ok "guichet $installed is installed"
  elif [[ -z $installed ]]; then
    if ((DRY)); then
      warn "guichet is not installed and no .deb was given (a real run stops here)"
    else
      die "guichet is not installed and no package was given" \
        "copy guichet_<version>_$ARCH.deb next to this script, or pass --deb /path/to/it (or --offline /media/usb/guichet-bundle)"
    fi
  else
    ok "guichet $installed is installed (no .deb given)"
  fi
else
  ok "--root: apt is listed, not run (a real run installs only what is missing)"
  apt_get install -y --no-install-recommends "${RUNTIME_PACKAGES[@]}"
  if [[ -n $DEB ]]; then
    apt_get install -y --no-install-recommends --allow-downgrades \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$DEB"
    # Unpack the package's files like dpkg would, keeping a config the site changed.
    unpack=$(mktemp -d)
    dpkg-deb -x "$DEB" "$unpack"
    while IFS= read -r -d '' f; do
      rel=${f#"$unpack"}
      if [[ -e $(P "$rel") ]] && [[ $rel == /etc/* ]]; then
        continue # a conffile already there stays
      fi
      if [[ -L $f ]]; then
        ensure_symlink "$rel" "$(readlink "$f")" >/dev/null
      else
        fmode=$(stat -c %a "$f")
        put_file "$rel" "$fmode" <"$f" >/dev/null
      fi
      if ((LAST_CHANGED)); then
        PKG_CHANGED=1
        if ((DRY)); then printf '    ~ would unpack %s\n' "$rel"; else printf '    + unpacked %s\n' "$rel"; fi
      fi
    done < <(find "$unpack" \( -type f -o -type l \) -print0 | sort -z)
    rm -rf "$unpack"
    ((PKG_CHANGED)) || ok "guichet $deb_version's files are in place"
  fi
fi

BIN=$(P /usr/bin/guichet)

# ---------------------------------------------------------------- user and groups

step "The guichet user"
NEW_GROUPS=()
if on_system; then
  for g in "${KIOSK_GROUPS[@]}"; do
    if getent group "$g" >/dev/null; then continue; fi
    changed "create group $g"
    NEW_GROUPS+=("$g")
    sys groupadd --system "$g"
  done
  if ! getent passwd guichet >/dev/null; then
    changed "create system user guichet (home $DATA_DIR, no login)"
    sys useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
      --shell /usr/sbin/nologin --comment "guichet kiosk" guichet
    have=""
  else
    have=" $(id -nG guichet) "
  fi
  want=()
  for g in "${KIOSK_GROUPS[@]}"; do [[ $have == *" $g "* ]] || want+=("$g"); done
  if ((${#want[@]})); then
    changed "add guichet to the groups ${want[*]}"
    sys usermod -a -G "$(
      IFS=,
      echo "${want[*]}"
    )" guichet
  else
    ok "user guichet, in the groups ${KIOSK_GROUPS[*]}"
  fi
  if [[ " ${NEW_GROUPS[*]} " == *" gpio "* ]]; then
    warn "group gpio was missing: without Raspberry Pi OS's udev rules, /dev/gpiomem stays root-only and the GPIO keypad will not work"
  fi
else
  ok "--root: user guichet and its groups (${KIOSK_GROUPS[*]}) are left to the package (not checked)"
fi
ensure_dir "$DATA_DIR" 0700 guichet:guichet

# ---------------------------------------------------------------- display size (auto)

# Reads the connected screen: its preferred mode and, from the EDID, the image size in mm.
detect_display() {
  local status dir name modes mode w h hex wmm=0 hmm=0 found=""
  for status in "$(P /sys/class/drm)"/card*-*/status; do
    [[ -f $status ]] || continue
    [[ $(<"$status") == connected ]] || continue
    dir=${status%/status}
    name=${dir##*/card}
    name=${name#*-}
    modes=$(head -n 1 "$dir/modes" 2>/dev/null || true)
    if [[ ! $modes =~ ^([0-9]+)x([0-9]+) ]]; then continue; fi
    if [[ -n $found ]]; then
      warn "another screen is connected ($name): sizing for $found only"
      continue
    fi
    found=$name
    w=${BASH_REMATCH[1]} h=${BASH_REMATCH[2]}
    hex=$(od -An -v -tx1 "$dir/edid" 2>/dev/null | tr -d ' \n' || true)
    if ((${#hex} >= 256)) && [[ ${hex:0:16} == 00ffffffffffff00 ]]; then
      # First detailed timing: bytes 66, 67 (low 8 bits of the mm sizes), 68 (high nibbles).
      wmm=$((0x${hex:132:2} + ((0x${hex:136:2} >> 4) << 8)))
      hmm=$((0x${hex:134:2} + ((0x${hex:136:2} & 15) << 8)))
      if ((wmm < 20 || hmm < 20)); then # no detailed size: bytes 21, 22 in cm
        wmm=$((0x${hex:42:2} * 10)) hmm=$((0x${hex:44:2} * 10))
      fi
    fi
    if ((wmm < 20 || hmm < 20)); then
      case "$name:${w}x$h" in
        DSI-*:800x480) wmm=154 hmm=86 ;; # the first official 7" touch display
        *)
          die "the screen $name (${w}x$h) does not say its size" \
            "measure the visible area with a ruler and give it: --display ${w}x${h}@<width mm>x<height mm>" \
            "(Raspberry Pi Touch Display 2, 7 inch: --display 720x1280@88x155)"
          ;;
      esac
    fi
    DISPLAY_W=$w DISPLAY_H=$h DISPLAY_WMM=$wmm DISPLAY_HMM=$hmm
  done
  [[ -n $found ]] || die "--display auto: no connected screen found in /sys/class/drm" \
    "connect and switch on the screen, then run this again, or give --display WxH@WMMxHMM, e.g. 1280x800@217x136"
  ok "screen $found: ${DISPLAY_W}x$DISPLAY_H pixels, ${DISPLAY_WMM}x$DISPLAY_HMM mm"
}

# ---------------------------------------------------------------- config

step "Configuration $CONFIG"
current_host=$(tr -d '[:space:]' <"$(P /etc/hostname)" 2>/dev/null || true)
HOST_FINAL=${HOST_WANTED:-${current_host:-guichet}}

toml_string() { # a TOML basic string
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}
mm() { awk -v v="$1" 'BEGIN { printf "%.1f", v }'; }

render_config() {
  local url=${PUBLIC_URL:-https://$HOST_FINAL.local:$CONSOLE_PORT}
  cat <<EOF
# guichet site configuration, written by provision.sh from its flags.
# Edit it by hand if you like: provision.sh keeps it unless run with --force-config.
# After each change: sudo -u guichet guichet --data-dir $DATA_DIR --config $CONFIG check-config
#                    sudo systemctl restart guichet
# Every key and its form: /usr/share/guichet/guichet.toml

site_name = $(toml_string "$SITE")

[display]               # the visible area: touch targets are 20 mm on this screen
width_px = $DISPLAY_W
height_px = $DISPLAY_H
width_mm = $(mm "$DISPLAY_WMM")
height_mm = $(mm "$DISPLAY_HMM")

[console]
bind = $(toml_string "$CONSOLE_BIND")     # staff console; the firewall lets in the office network only
public_url = $(toml_string "$url")   # what staff phones open when they scan a ticket
session_minutes = 480
EOF
  if [[ $FOLLOW_URL != off ]]; then
    cat <<EOF

[follow]                # "Suivre mon tour": the visitor's turn on their phone (plain HTTP)
enabled = true
bind = "0.0.0.0:$FOLLOW_PORT"
public_url = $(toml_string "$FOLLOW_URL")   # what phones open: this kiosk on the visitors' Wi-Fi
EOF
  fi
  cat <<EOF

[queue]
minutes_per_visit = 15  # used for the estimated wait
desks = 2

[idle]                  # seconds
timeout_s = 120         # silence before the visit resets
warning_s = 30          # warning shown and spoken this long before (20 or more)
ticket_s = 60           # how long the ticket stays on screen

[printer]
kind = "$PRINTER_KIND"
EOF
  [[ -z $PRINTER_PATH ]] || printf 'path = %s\n' "$(toml_string "$PRINTER_PATH")"
  [[ -z $PRINTER_ADDRESS ]] || printf 'address = %s   # the printer on the network, raw port 9100\n' "$(toml_string "$PRINTER_ADDRESS")"
  [[ $PRINTER_KIND != serial ]] || printf 'baud = %s\n' "$PRINTER_BAUD"
  [[ -z $PAPER ]] || printf 'paper_mm = %s           # roll width\n' "$PAPER"
  cat <<'EOF'

[speech]
enabled = true

[keys]                  # BCM GPIO pins of a tactile keypad (optional, any subset): each key
                        # closes its pin to ground (GND); see README.md for the wiring
# previous = 5
# next = 6
# validate = 17
# back = 13
# help = 22
# repeat = 27
# volume_down = 19
# volume_up = 26
EOF
}

config_path=$(P "$CONFIG")
write_config=0
if [[ ! -f $config_path ]]; then
  write_config=1
elif [[ -f $(P "$CONFIG_DEFAULT") ]] && cmp -s "$config_path" "$(P "$CONFIG_DEFAULT")"; then
  write_config=1 # still the package's example: this site has no config yet
  ok "the config is still the package's example: writing this site's"
elif ((FORCE_CONFIG)); then
  write_config=1
else
  ok "kept as it is (the site's own; --force-config rewrites it from the flags)"
  if ((${#CONFIG_FLAGS[@]})); then
    warn "so ${CONFIG_FLAGS[*]} changed nothing: add --force-config to apply them, or edit the file"
  fi
fi

CONFIG_CHANGED=0
if ((write_config)); then
  [[ -n $SITE ]] || die "no site name: a first configuration needs --site \"France Services de …\"" \
    "(it is shown on the kiosk's screen)"
  [[ $DISPLAY_SPEC != auto ]] || detect_display
  new_config=$(mktemp)
  render_config >"$new_config"
  if [[ -f $config_path ]] && ! cmp -s "$new_config" "$config_path" && ! cmp -s "$config_path" "$(P "$CONFIG_DEFAULT")" 2>/dev/null; then
    backup="$CONFIG.$(date +%Y%m%d-%H%M%S).bak"
    changed "keep the old config as $backup"
    ((DRY)) || cp -p "$config_path" "$(P "$backup")"
  fi
  put_file "$CONFIG" 0644 <"$new_config"
  CONFIG_CHANGED=$LAST_CHANGED
  rm -f "$new_config"
fi

# The console's port and address the kiosk will really use (from the config in place).
console_key() { # console_key KEY: a string value of the [console] section
  awk -F'"' -v key="$1" '/^\[/ { s = $0 } s ~ /^\[console\]/ && $1 ~ "^" key " *= *$" { print $2; exit }' "$config_path"
}
CONSOLE_URL=${PUBLIC_URL:-https://$HOST_FINAL.local:$CONSOLE_PORT}
if [[ -f $config_path ]] && ! ((DRY && CONFIG_CHANGED)); then
  bind_now=$(console_key bind)
  if [[ $bind_now =~ :([0-9]+)$ ]]; then CONSOLE_PORT=${BASH_REMATCH[1]}; fi
  url_now=$(console_key public_url)
  CONSOLE_URL=${url_now:-$CONSOLE_URL}
fi
ok "staff console on port $CONSOLE_PORT, announced as $CONSOLE_URL"

if live && [[ -x $BIN ]]; then
  # The same check the kiosk makes at start, as the kiosk's user.
  if ! out=$(runuser -u guichet -- env GUICHET_DATA_DIR="$DATA_DIR" GUICHET_CONFIG="$CONFIG" "$BIN" check-config 2>&1); then
    die "guichet refuses $CONFIG:" "$out" "fix the flags and run again with --force-config, or edit the file"
  fi
  ok "guichet check-config: $(printf '%s' "$out" | tail -n 1)"
fi

# ---------------------------------------------------------------- names

step "Names: host, mDNS (.local), time zone"
if [[ -n $HOST_WANTED ]]; then
  put_file /etc/hostname 0644 <<<"$HOST_WANTED"
  host_changed=$LAST_CHANGED
  hosts=$(P /etc/hosts)
  put_file /etc/hosts 0644 < <(
    if [[ -f $hosts ]]; then grep -v '^127\.0\.1\.1[[:space:]]' "$hosts" || true; else printf '127.0.0.1\tlocalhost\n'; fi
    printf '127.0.1.1\t%s\n' "$HOST_WANTED"
  )
  if ((host_changed)); then
    if systemd_up; then sys hostnamectl set-hostname "$HOST_WANTED"; else sys hostname "$HOST_WANTED"; fi
    # avahi takes the host name at start: it answers for HOSTNAME.local from then on
    if systemd_up; then sys systemctl try-restart avahi-daemon.service; fi
  fi
else
  ok "host name kept: $HOST_FINAL (phones reach it as $HOST_FINAL.local)"
fi
# Advertise the console on the network (phones and browsers that browse mDNS see it), as
# what it serves: HTTPS unless the config's public_url says http://.
if [[ $CONSOLE_URL == https://* ]]; then mdns_type=_https._tcp; else mdns_type=_http._tcp; fi
put_file /etc/avahi/services/guichet.service 0644 <<EOF
<?xml version="1.0" standalone='no'?>
<!DOCTYPE service-group SYSTEM "avahi-service.dtd">
<!-- Written by guichet's provision.sh: announces the staff console on the office network. -->
<service-group>
  <name replace-wildcards="yes">guichet staff console on %h</name>
  <service>
    <type>$mdns_type</type>
    <port>$CONSOLE_PORT</port>
  </service>
</service-group>
EOF
if systemd_up; then
  if ! systemctl is-enabled --quiet avahi-daemon.service 2>/dev/null; then
    changed "enable the mDNS responder (avahi-daemon)"
    sys systemctl enable --now avahi-daemon.service
  else
    ok "avahi-daemon is enabled"
  fi
fi
# Time: the Pi has no battery clock; the time comes from the network (NTP) at each boot.
if systemd_up && command -v timedatectl >/dev/null; then
  tz_now=$(timedatectl show -p Timezone --value 2>/dev/null || true)
  if [[ $tz_now != "$TIMEZONE" ]]; then
    changed "time zone $TIMEZONE (was ${tz_now:-unset})"
    sys timedatectl set-timezone "$TIMEZONE"
  else
    ok "time zone $TIMEZONE"
  fi
  # Raspberry Pi OS has systemd-timesyncd; a minimal Debian has no time service at all
  # (CanNTP=no): the kiosk still works, its clock just is not corrected.
  if [[ $(timedatectl show -p CanNTP --value 2>/dev/null || true) != yes ]]; then
    warn "no network time service here (install systemd-timesyncd, or keep the site's chrony): the clock is not corrected"
  elif [[ $(timedatectl show -p NTP --value 2>/dev/null || true) != yes ]]; then
    changed "set the clock from the network (NTP)"
    sys timedatectl set-ntp true
  fi
else
  ensure_symlink /etc/localtime "/usr/share/zoneinfo/$TIMEZONE"
fi

# ---------------------------------------------------------------- firewall

step "Firewall: the staff console answers the office network only"
lan4=("${LAN4[@]}") lan6=("${LAN6[@]}")
for cidr in "${LAN_EXTRA[@]}"; do
  if [[ $cidr == *:* ]]; then lan6+=("$cidr"); else lan4+=("$cidr"); fi
done
join() {
  local IFS=,
  printf '%s' "$*" | sed 's/,/, /g'
}
# Our own table, replaced whole each time (add-then-delete makes the load idempotent):
# other rules on the machine (ufw, docker) are left alone.
put_file "$FW_FILE" 0644 <<EOF
#!/usr/sbin/nft -f
# Written by guichet's provision.sh. The staff console (TCP $CONSOLE_PORT) answers
# private, link-local and loopback addresses only; everything else on that port is dropped.
# Other ports are not touched here. Loaded at boot by $FW_UNIT.
table inet guichet
delete table inet guichet
table inet guichet {
	set lan4 {
		type ipv4_addr
		flags interval
		elements = { $(join "${lan4[@]}") }
	}
	set lan6 {
		type ipv6_addr
		flags interval
		elements = { $(join "${lan6[@]}") }
	}
	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport $CONSOLE_PORT ip saddr @lan4 accept
		tcp dport $CONSOLE_PORT ip6 saddr @lan6 accept
		tcp dport $CONSOLE_PORT counter drop
	}
}
EOF
fw_changed=$LAST_CHANGED
put_file "/etc/systemd/system/$FW_UNIT" 0644 <<EOF
# Written by guichet's provision.sh.
[Unit]
Description=guichet: staff console reachable from the office network only
Documentation=file:/usr/share/doc/guichet/README.md
DefaultDependencies=no
Wants=network-pre.target
Before=network-pre.target shutdown.target $UNIT
# After the system's own rules: /etc/nftables.conf usually starts with "flush ruleset",
# which would remove this table if it loaded after it.
After=local-fs.target nftables.service
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/nft -f $FW_FILE
ExecReload=/usr/sbin/nft -f $FW_FILE
ExecStop=/usr/sbin/nft delete table inet guichet

[Install]
WantedBy=multi-user.target
EOF
units_changed=$LAST_CHANGED
# The service itself also refuses other addresses (IPAddressAllow=); extra ranges go there too.
if ((${#LAN_EXTRA[@]})); then
  put_file "/etc/systemd/system/$UNIT.d/lan.conf" 0644 <<EOF
# Written by guichet's provision.sh (--lan): the office network's own address ranges.
[Service]
IPAddressAllow=${LAN_EXTRA[*]}
EOF
else
  remove_file "/etc/systemd/system/$UNIT.d/lan.conf" "no --lan given"
fi
if ((LAST_CHANGED)); then units_changed=1; fi
if on_system && command -v ufw >/dev/null && ufw status 2>/dev/null | grep -q '^Status: active'; then
  # ufw drops what it does not allow, whatever our table says: open the port to the LAN there too.
  for cidr in "${lan4[@]}" "${lan6[@]}"; do
    if ufw status | grep -qE "^$CONSOLE_PORT/tcp +ALLOW +$cidr( |$)"; then continue; fi
    changed "ufw: allow $cidr to TCP $CONSOLE_PORT"
    sys ufw allow proto tcp from "$cidr" to any port "$CONSOLE_PORT"
  done
fi

# ---------------------------------------------------------------- journal

step "System log (journald)"
# Persistent by default: after a power cut or a reboot the technician still finds why the
# kiosk stopped, which a log kept in memory (volatile) would have lost. A kiosk logs a few
# lines per visit, and journald writes in batches (every few minutes, at once for errors),
# so a log capped at 50 MB wears an SD card far less than the database's own writes.
# --journal volatile keeps it in RAM (20 MB), for cards that must last longest; with the
# read-only root (README.md), it is in RAM anyway.
if [[ $JOURNAL == persistent ]]; then
  put_file /etc/systemd/journald.conf.d/guichet.conf 0644 <<'EOF'
# Written by guichet's provision.sh (--journal persistent): kept across reboots, capped.
[Journal]
Storage=persistent
SystemMaxUse=50M
SystemMaxFileSize=8M
SystemKeepFree=500M
RuntimeMaxUse=20M
MaxRetentionSec=3month
EOF
else
  put_file /etc/systemd/journald.conf.d/guichet.conf 0644 <<'EOF'
# Written by guichet's provision.sh (--journal volatile): in RAM only, lost at reboot.
[Journal]
Storage=volatile
RuntimeMaxUse=20M
SystemMaxUse=50M
EOF
fi
if ((LAST_CHANGED)) && systemd_up; then sys systemctl restart systemd-journald.service; fi

# ---------------------------------------------------------------- boot: screen, serial

step "Boot settings: no screen blanking, serial console"
cmdline=""
for c in /boot/firmware/cmdline.txt /boot/cmdline.txt; do
  if [[ -f $(P "$c") ]]; then cmdline=$c; break; fi
done
uart_printer=0
[[ $PRINTER_KIND == serial && $PRINTER_PATH =~ ^/dev/(serial[01]|ttyAMA[0-9]+|ttyS[0-9]+)$ ]] && uart_printer=1
if [[ -z $cmdline ]]; then
  warn "no cmdline.txt in /boot/firmware or /boot: not a Raspberry Pi? screen blanking left as it is"
else
  read -r -a tokens <"$(P "$cmdline")" || true
  out=() seen=0
  for t in "${tokens[@]}"; do
    case $t in
      consoleblank=*) ((seen)) || out+=(consoleblank=0); seen=1 ;;
      # the kernel must not write its messages (or a login prompt) to the ticket printer
      console=serial[01],* | console=ttyAMA[0-9]*,* | console=ttyS[0-9]*,*) ((uart_printer)) || out+=("$t") ;;
      *) out+=("$t") ;;
    esac
  done
  ((seen)) || out+=(consoleblank=0)
  put_file "$cmdline" keep <<<"${out[*]}"
  if ((LAST_CHANGED)); then REBOOT_REASONS+=("kernel command line ($cmdline)"); fi
fi
if ((uart_printer)); then
  configtxt=${cmdline%cmdline.txt}config.txt
  if [[ -n $cmdline && -f $(P "$configtxt") ]]; then
    if grep -q '^# guichet: serial ticket printer' "$(P "$configtxt")"; then
      ok "$configtxt: the UART is on"
    else
      put_file "$configtxt" keep < <(
        cat "$(P "$configtxt")"
        cat <<'EOF'

# guichet: serial ticket printer on the GPIO header (pin 8 TXD, pin 10 RXD, pin 6 GND)
[all]
enable_uart=1
[pi5]
dtparam=uart0=on
[all]
EOF
      )
      REBOOT_REASONS+=("UART switched on ($configtxt)")
    fi
  fi
fi

# ---------------------------------------------------------------- board mode

# --board-of: the same service runs `guichet board --follow` instead of the kiosk (the
# address and fingerprint in an environment file only root reads: the key is in it).
# Without it, a board set up before is undone.
BOARD_DIR=/etc/systemd/system/$UNIT.d
BOARD_DROPIN=$BOARD_DIR/board.conf
BOARD_ENV=/etc/guichet/board.env
if [[ -n $BOARD_OF ]]; then
  step "Waiting-room board of ${BOARD_OF%%\?*}"
  ensure_dir "$BOARD_DIR" 0755
  put_file "$BOARD_DROPIN" 0644 <<UNIT_EOF
# Written by provision.sh --board-of: this Pi shows and says the calls of another kiosk.
[Service]
EnvironmentFile=$BOARD_ENV
ExecStart=
ExecStart=/usr/bin/guichet board
UNIT_EOF
  if ((LAST_CHANGED)); then units_changed=1; fi
  put_file "$BOARD_ENV" 0600 <<ENV_EOF
GUICHET_BOARD_URL=$BOARD_OF
GUICHET_BOARD_FINGERPRINT=$BOARD_FINGERPRINT
ENV_EOF
  if ((LAST_CHANGED)); then units_changed=1; fi
else
  remove_file "$BOARD_DROPIN" "this Pi is a kiosk again"
  if ((LAST_CHANGED)); then units_changed=1; fi
  remove_file "$BOARD_ENV" "this Pi is a kiosk again"
fi

# ---------------------------------------------------------------- the service

step "The kiosk service"
# A kiosk that does not start (a screen missing, a config it refuses) does not stop the
# set-up: the self-test and the summary still come, and the last line says what to read.
FAILED=() # said again at the end, then exit 3
start_kiosk() { # start_kiosk start|restart WHAT
  changed "$2"
  if ! sys systemctl "$1" "$UNIT"; then
    warn "$UNIT did not start: going on to the self-test and the summary"
    FAILED+=("the kiosk did not start: read first journalctl -u guichet -b -n 50")
  fi
}
if systemd_up; then
  if ((units_changed)) || ((PKG_CHANGED)); then sys systemctl daemon-reload; fi
  if ! systemctl is-enabled --quiet "$FW_UNIT" 2>/dev/null; then
    changed "enable $FW_UNIT"
    sys systemctl enable "$FW_UNIT"
  fi
  if ! systemctl is-active --quiet "$FW_UNIT" 2>/dev/null; then
    changed "load the firewall table"
    sys systemctl start "$FW_UNIT"
  elif ((fw_changed)); then
    sys systemctl reload "$FW_UNIT"
  fi
  if ! systemctl is-enabled --quiet "$UNIT" 2>/dev/null; then
    changed "enable $UNIT (starts at boot)"
    sys systemctl enable "$UNIT"
  else
    ok "$UNIT starts at boot"
  fi
  if ((NO_START)); then
    ok "--no-start: not started or restarted now"
    if ((CONFIG_CHANGED || PKG_CHANGED || units_changed)) && systemctl is-active --quiet "$UNIT" 2>/dev/null; then
      warn "$UNIT is running with the previous settings until: sudo systemctl restart guichet"
    fi
  elif ! systemctl is-active --quiet "$UNIT" 2>/dev/null; then
    start_kiosk start "start $UNIT"
  elif ((CONFIG_CHANGED || PKG_CHANGED || units_changed)); then
    start_kiosk restart "restart $UNIT (new configuration)"
  else
    ok "$UNIT is running"
  fi
else
  # Under --root, or in a system being prepared (chroot, no systemd running): the links
  # `systemctl enable` makes; everything starts at the next boot.
  ensure_enabled "$FW_UNIT" "/etc/systemd/system/$FW_UNIT"
  ensure_enabled "$UNIT" "/usr/lib/systemd/system/$UNIT"
  ensure_enabled avahi-daemon.service /usr/lib/systemd/system/avahi-daemon.service
  if on_system; then warn "systemd is not running here: the kiosk starts at the next boot"; fi
fi

# ---------------------------------------------------------------- self-test

step "Self-test (guichet doctor)"
# guichet-doctor.service runs `guichet doctor` as the kiosk runs: same user, groups and
# sandbox (a drop-in both units share), so it opens the devices as the kiosk can. Its
# lines are read back from the journal from the moment it started. A fault is a warning
# here, and makes the exit status 3.
self_test() {
  local d unit="" since why
  for d in /etc/systemd/system /usr/lib/systemd/system /lib/systemd/system; do
    if [[ -f $(P "$d/$DOCTOR_UNIT") ]]; then unit=$d/$DOCTOR_UNIT; fi
  done
  if [[ -n $unit ]] && { systemd_up || [[ -n $ROOT ]]; }; then
    ok "$DOCTOR_UNIT: the screen, touch, sound, printer and keys as the kiosk sees them"
    since=$(date +%s)
    if ! sys systemctl start "$DOCTOR_UNIT"; then
      warn "guichet doctor found a fault: its lines follow"
      FAILED+=("the self-test found a fault; again: sudo systemctl start guichet-doctor; journalctl -u guichet-doctor -b -o cat -n 40")
    fi
    if live; then
      # By time, not by invocation id: a oneshot unit that succeeded forgets its id.
      journalctl --sync 2>/dev/null || true
      journalctl -q --no-pager -o cat -u "$DOCTOR_UNIT" --since "@$since" | sed 's/^/      /' || true
    elif ((DRY)); then
      printf '    ~ would run: journalctl -o cat -u %s --since <its start>\n' "$DOCTOR_UNIT"
    else
      printf '    - not in --root: journalctl -o cat -u %s --since <its start>\n' "$DOCTOR_UNIT"
    fi
  elif live && [[ -x $BIN ]]; then
    if [[ -n $unit ]]; then why="systemd is not running here"; else why="this version has no $DOCTOR_UNIT"; fi
    warn "$why: guichet doctor runs outside the kiosk's sandbox, and may open devices the kiosk cannot"
    if ! "$BIN" doctor --help >/dev/null 2>&1; then
      warn "this version of guichet has no doctor"
    elif ! runuser -u guichet -- env GUICHET_DATA_DIR="$DATA_DIR" GUICHET_CONFIG="$CONFIG" "$BIN" doctor; then
      warn "guichet doctor found a fault: read its lines above"
      FAILED+=("the self-test found a fault: read its lines above")
    fi
  elif live; then
    warn "/usr/bin/guichet is missing: the package did not install; run this again with --deb"
  else
    sys runuser -u guichet -- /usr/bin/guichet doctor
  fi
}
self_test

# ---------------------------------------------------------------- summary

summary() {
  step "Done"
  if ((DRY)); then
    printf '    dry run: %d change(s) would be made\n' "$CHANGES"
  else
    printf '    %d change(s)\n' "$CHANGES"
  fi
  printf '    staff console: %s\n' "$CONSOLE_URL"
  [[ $FOLLOW_URL == off ]] || printf "    visitors' phones (Suivre mon tour): %s\n" "$FOLLOW_URL"
  if ((${#REBOOT_REASONS[@]})); then
    local reasons
    reasons=$(
      IFS=';'
      echo "${REBOOT_REASONS[*]}"
    )
    printf '    reboot to apply: %s (sudo reboot)\n' "${reasons//;/; }"
  fi
  printf '    next: sudo -u guichet guichet --data-dir %s staff add NAME\n' "$DATA_DIR"
  if ((${#FAILED[@]})); then
    printf '    ! %s\n' "${FAILED[@]}"
    exit 3
  fi
}
summary

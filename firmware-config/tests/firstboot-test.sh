#!/usr/bin/env bash
# Tests how the card's first boot reads guichet.txt (image/guichet-firstboot --check), with
# no card and no root: the example file as shipped, a file saved by Windows' Notepad, and
# each mistake a technician can make, which must name the line and what to write instead.
# The first boot itself (identity, growth, offline install, reboot) is tested by booting
# the card: vm-test.sh --arch arm64.
#
#   firmware-config/tests/firstboot-test.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
firstboot=$here/../image/guichet-firstboot
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0 failed=0
result() { # result NAME OK [DETAIL]
  if (($2)); then
    passed=$((passed + 1)); printf 'ok    %s\n' "$1"
  else
    failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; [[ -z ${3:-} ]] || printf '%s\n' "$3" | sed 's/^/      /'
  fi
}
# read_file NAME CONTENT: runs --check on CONTENT; sets OUT (stdout + stderr) and RC.
read_file() {
  printf '%b' "$2" >"$work/$1"
  RC=0
  OUT=$("$firstboot" --check "$work/$1" 2>&1) || RC=$?
}
# accepts NAME CONTENT EXPECTED-FLAGS (one line, space-separated)
accepts() {
  read_file "$1" "$2"
  local flags
  flags=$(tr '\n' ' ' <<<"$OUT")
  [[ $RC == 0 && $flags == "$3 " ]]
  result "accepted: $1" $((!$?)) "rc=$RC: $flags"
}
# refuses NAME CONTENT MESSAGE-PART...: exit 1, and every part in the message
refuses() {
  local name=$1 content=$2 part ok=1
  shift 2
  read_file "$name" "$content"
  ((RC == 1)) || ok=0
  for part in "$@"; do grep -qF -- "$part" <<<"$OUT" || ok=0; done
  result "refused: $name" $ok "rc=$RC: $OUT"
}

example=$(cat "$here/../image/guichet.txt")
accepts "the example as shipped" "$example" \
  "--site France Services de Saint-Martin --display auto --printer usb --paper 80 --timezone Europe/Paris --hostname guichet-stmartin"
accepts "saved by Notepad (BOM, CRLF), spaces around =, capitals in names" \
  '\xef\xbb\xbfSite=Mairie de Saint-Martin \r\n  Printer =  serial:/dev/serial0@9600\r\ndisplay = 800x480@154x86\r\n' \
  "--site Mairie de Saint-Martin --display 800x480@154x86 --printer serial:/dev/serial0@9600 --paper 80 --timezone Europe/Paris"
accepts "a value with = and quotes is kept whole" 'site = Espace « Clé = Accès »\n' \
  "--site Espace « Clé = Accès » --display auto --printer none --paper 80 --timezone Europe/Paris"
refuses "no site" 'hostname = guichet-a\n' "site : donnez le nom du lieu"
refuses "an unknown setting" 'site = A\nprintr = usb\n' "ligne 2 :" "« printr » n'est pas un réglage connu" "printer"
refuses "a line without =" 'site = A\nWi-Fi de la mairie\n' "ligne 2 :" "nom = valeur"
refuses "a setting given twice" 'site = A\nsite = B\n' "ligne 2 :" "déjà donné"
refuses "a host name with capitals" 'site = A\nhostname = Mairie_1\n' "ligne 2 :" "hostname = guichet-stmartin"
refuses "a display without millimetres" 'site = A\ndisplay = 800x480\n' "ligne 2 :" "800x480@154x86"
refuses "a printer spelt wrong" 'site = A\nprinter = USB port\n' "ligne 2 :" "usb, serial:/dev/serial0@9600"
refuses "a paper width" 'site = A\npaper = 57\n' "ligne 2 :" "80 ou 58"
refuses "an unknown time zone" 'site = A\ntimezone = Paris\n' "ligne 2 :" "Europe/Paris"
refuses "a Wi-Fi password too short" 'site = A\nwifi_ssid = Mairie\nwifi_password = court\n' "ligne 3 :" "8 à 63"
refuses "a Wi-Fi network without its password" 'site = A\nwifi_ssid = Mairie\n' "wifi_password" "8 à 63"
refuses "an SSH key cut short" 'site = A\nssh_key = AAAAC3NzaC1lZDI1NTE5\n' "ligne 2 :" "ssh-ed25519"
refuses "every mistake at once" 'site = A\nprintr = usb\njunk\n' "ligne 2 :" "ligne 3 :"

printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))

//! The SD card fails while the kiosk runs. The data folder is put on a device-mapper
//! device over a loop file (ext4, errors=remount-ro, as a card's data partition), a visitor
//! takes a ticket, then the device's table becomes `error`: every read or write of the
//! card fails from then on, and ext4 turns the file system read-only. The next visitor is
//! told on the panel that no ticket could be made (the screen still answers), staff see
//! the fault on the console, and once the device is back, checked and the kiosk restarted,
//! every ticket confirmed before is there in a whole database.

use super::console;
use super::steps::{unit, Kiosk};
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);

/// The loop file, its loop device, the device-mapper device over it and its size.
const CARD: &str = "set -e; img=/var/tmp/guichet-card.img; dev=/dev/mapper/guichet-card; \
                    loop() { losetup -j $img -n -O NAME | head -n 1; }; sectors() { blockdev --getsz $(loop); }";

fn guest(k: &Kiosk, script: &str) -> String {
    let (code, out, err) = k.m.run(&format!("{CARD}; {script}"), MINUTE * 2);
    assert_eq!(code, 0, "{script}:\n{out}{err}");
    out
}

fn integrity(k: &Kiosk) -> String {
    guest(k, "sqlite3 /var/lib/guichet/guichet.sqlite 'PRAGMA integrity_check'").trim().to_string()
}

/// The data folder moved onto the card device, the kiosk started on it.
fn onto_the_card(k: &Kiosk) {
    guest(
        k,
        "modprobe dm_mod; systemctl stop guichet; truncate -s 64M $img; losetup -f $img; \
         dmsetup create guichet-card --table \"0 $(sectors) linear $(loop) 0\"; mkfs.ext4 -q $dev; \
         mkdir -p /mnt/card; mount $dev /mnt/card; cp -a /var/lib/guichet/. /mnt/card/; \
         chown --reference=/var/lib/guichet /mnt/card; chmod --reference=/var/lib/guichet /mnt/card; \
         umount /mnt/card; mount -o errors=remount-ro $dev /var/lib/guichet; systemctl start guichet",
    );
    k.wait_up();
}

/// The card goes bad: its table becomes `error`, at once (no flush first).
fn card_fails(k: &Kiosk) {
    guest(
        k,
        "dmsetup suspend --nolockfs guichet-card; dmsetup reload guichet-card --table \"0 $(sectors) error\"; \
         dmsetup resume guichet-card",
    );
}

/// The kiosk stopped, the card good again and checked by e2fsck, the kiosk started on it.
fn card_restored(k: &Kiosk) -> String {
    let fsck = guest(
        k,
        "systemctl stop guichet; umount /var/lib/guichet; \
         dmsetup suspend guichet-card; dmsetup reload guichet-card --table \"0 $(sectors) linear $(loop) 0\"; \
         dmsetup resume guichet-card; set +e; e2fsck -fy $dev 2>&1; rc=$?; set -e; \
         echo \"e2fsck: $rc\"; [ $rc -le 1 ]; mount -o errors=remount-ro $dev /var/lib/guichet; \
         systemctl start guichet",
    );
    k.wait_up();
    fsck
}

/// The data back in the root file system's folder, the card device gone, the kiosk as it was.
fn off_the_card(k: &Kiosk) {
    guest(
        k,
        "systemctl stop guichet; umount /var/lib/guichet; mount $dev /mnt/card; \
         find /var/lib/guichet -mindepth 1 -delete; cp -a /mnt/card/. /var/lib/guichet/; \
         rm -rf /var/lib/guichet/lost+found; umount /mnt/card; l=$(loop); dmsetup remove guichet-card; \
         losetup -d $l; rm -f $img; systemctl start guichet",
    );
    k.wait_up();
}

pub fn card_turns_read_only(k: &Kiosk) {
    onto_the_card(k);
    k.quick_visit();
    let confirmed = k.tickets();
    let desk = console::desk(k.m, &k.m.dir);
    let restarts = unit(k.m, "guichet", "NRestarts");

    card_fails(k);
    k.to_summary();
    let c = k.centre("Prendre mon ticket");
    k.m.click(c.x, c.y);
    let (told, text) = k.reads("Le ticket n'a pas pu être créé", "panel-no-ticket");
    assert!(told, "the visitor is not told that no ticket was made; the panel reads: {text:?}");
    let kernel = guest(k, "journalctl -k -b --no-pager -o cat | grep -e EXT4-fs -e 'I/O error' | uniq | tail -n 6");
    println!("---- the kernel, the card failing\n{kernel}");
    let (_, _, refused) = k.m.run("touch /var/lib/guichet/probe", MINUTE);
    assert!(refused.contains("Read-only file system"), "ext4 did not turn the file system read-only: {refused}");
    // The screen still answers: "Retour" goes back to the question before.
    k.click("Retour");
    assert_eq!(unit(k.m, "guichet", "NRestarts"), restarts, "the kiosk restarted");
    assert_eq!(unit(k.m, "guichet", "ActiveState"), "active");
    let page = desk.get("/borne");
    assert!(
        page.contains("Enregistrement des tickets") && page.contains("ne peut plus écrire"),
        "the console does not show the disk's fault:\n{page}"
    );

    let fsck = card_restored(k);
    println!("---- the card, restored\n{fsck}");
    assert_eq!(integrity(k), "ok", "the database after the card failed");
    assert_eq!(k.tickets(), confirmed, "the tickets confirmed before the card failed, and no other");
    off_the_card(k);
    assert_eq!(integrity(k), "ok");
    assert_eq!(k.tickets(), confirmed);
}

//! `guichet serve` started on a data directory in a bad state, as systemd starts it: it
//! refuses to start, saying which file and what to do, rather than starting and failing
//! the first visitor's ticket. (`guichet kiosk` opens its database the same way, before
//! its window.) And many processes opening a new data directory at once all succeed.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The user the read-only tests run guichet as when the tests run as root: root writes
/// whatever the permission bits say (CAP_DAC_OVERRIDE), the kiosk's own user does not.
const NOBODY: u32 = 65534;

#[derive(Debug)]
enum Start {
    /// The console listened: it started (then it was stopped).
    Running,
    /// It stopped by itself with a failure: what it wrote on stderr.
    Refused(String),
}

/// Runs `guichet serve` on a free loopback port until it listens or stops.
fn start(mut command: Command) -> Start {
    command.args(["serve", "--bind", "127.0.0.1:0"]).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("guichet starts");
    let listening = Arc::new(AtomicBool::new(false));
    let stdout = child.stdout.take().expect("stdout");
    let heard = listening.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with("staff console:") {
                heard.store(true, Ordering::SeqCst);
            }
        }
    });
    let started = Instant::now();
    loop {
        if listening.load(Ordering::SeqCst) {
            let _ = child.kill();
            let _ = child.wait();
            return Start::Running;
        }
        if let Some(status) = child.try_wait().expect("wait") {
            let out = child.wait_with_output().expect("output");
            assert!(!status.success(), "serve ended with success");
            return Start::Refused(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("serve neither listened nor stopped in 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn guichet(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_guichet"));
    command.arg("--data-dir").arg(data);
    command
}

/// A data directory holding a database made by guichet, and the tests' user id.
fn data_dir() -> (tempfile::TempDir, PathBuf, u32) {
    let dir = tempfile::tempdir().unwrap();
    let me = std::fs::metadata(dir.path()).unwrap().uid();
    // Another user (see NOBODY) must reach the data directory inside.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    drop(guichet::store::Store::open(&data.join("guichet.sqlite")).unwrap());
    (dir, data, me)
}

/// guichet run as the owner of `data` (nobody when the tests run as root).
fn as_owner(data: &Path, me: u32) -> Command {
    let mut command = guichet(data);
    if me == 0 {
        for entry in std::fs::read_dir(data).unwrap() {
            std::os::unix::fs::chown(entry.unwrap().path(), Some(NOBODY), Some(NOBODY)).unwrap();
        }
        std::os::unix::fs::chown(data, Some(NOBODY), Some(NOBODY)).unwrap();
        command.uid(NOBODY).gid(NOBODY);
    }
    command
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn assert_says_write_and_chown(message: &str, path: &Path) {
    assert!(message.contains(&path.display().to_string()), "the path is not named: {message}");
    assert!(message.contains("cannot be written"), "{message}");
    assert!(message.contains("chown"), "the fix is not given: {message}");
}

#[test]
fn a_database_that_cannot_be_written_stops_the_start() {
    // The kiosk's user owns the folder and the file: it starts.
    let (_dir, data, me) = data_dir();
    let db = data.join("guichet.sqlite");
    assert!(matches!(start(as_owner(&data, me)), Start::Running), "a healthy data directory");

    // The file read-only (SQLite then opens it read-only without a word).
    set_mode(&db, 0o444);
    match start(as_owner(&data, me)) {
        Start::Refused(message) => assert_says_write_and_chown(&message, &db),
        Start::Running => panic!("started on a read-only database file"),
    }
    set_mode(&db, 0o644);

    // The folder read-only: no -wal and -shm files can be made beside the database.
    set_mode(&data, 0o555);
    let refused = start(as_owner(&data, me));
    set_mode(&data, 0o755);
    match refused {
        Start::Refused(message) => assert_says_write_and_chown(&message, &data),
        Start::Running => panic!("started in a read-only data directory"),
    }
}

/// `script` run by sh in a mount namespace of its own, with `$D` the data directory and
/// `$G` guichet: None where this machine does not let the tests mount (not root).
pub(crate) fn in_own_mounts(data: &Path, script: &str) -> Option<Command> {
    let probe = Command::new("unshare").args(["--mount", "--propagation", "private", "true"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: no mount namespace here (the tests need root to mount)");
        return None;
    }
    let mut command = Command::new("unshare");
    command.args(["--mount", "--propagation", "private", "sh", "-ec", script, "sh"]);
    command.env("D", data).env("G", env!("CARGO_BIN_EXE_guichet"));
    Some(command)
}

#[test]
fn a_read_only_file_system_stops_the_start() {
    let (_dir, data, _) = data_dir();
    // The data directory bind-mounted on itself, read-only: even root cannot write there
    // (an SD card the kernel remounted read-only after errors looks like this).
    let script = r#"mount --bind "$D" "$D"; mount -o remount,bind,ro "$D"; exec "$G" --data-dir "$D" "$@""#;
    let Some(command) = in_own_mounts(&data, script) else { return };
    match start(command) {
        Start::Refused(message) => {
            assert!(message.contains(&data.display().to_string()), "{message}");
            assert!(message.contains("read-only file system") && message.contains("remount"), "{message}");
        }
        Start::Running => panic!("started on a read-only file system"),
    }
}

#[test]
fn a_full_disk_stops_the_start_with_a_clear_message() {
    let (dir, data, _) = data_dir();
    let saved = dir.path().join("saved.sqlite");
    std::fs::copy(data.join("guichet.sqlite"), &saved).unwrap();
    // A small file system holding the database, filled up but for $K kB: none (no file
    // can be written in the folder), or 16 (a small file can, SQLite's 32 kB -shm cannot).
    let script = r#"mount -t tmpfs -o size=1m,mode=0755 guichet-full "$D"
        cp "$S" "$D/guichet.sqlite"
        dd if=/dev/zero of="$D/room" bs=1k count="$K" 2>/dev/null
        dd if=/dev/zero of="$D/filler" bs=1k 2>/dev/null || true
        rm "$D/room"
        exec "$G" --data-dir "$D" "$@""#;
    for left in ["0", "16"] {
        let Some(mut command) = in_own_mounts(&data, script) else { return };
        command.env("S", &saved).env("K", left);
        match start(command) {
            Start::Refused(message) => {
                assert!(message.contains(&data.display().to_string()), "{left} kB left: {message}");
                assert!(message.contains("is full"), "{left} kB left: {message}");
            }
            Start::Running => panic!("started on a full disk ({left} kB left)"),
        }
    }
}

#[test]
fn many_processes_open_a_new_data_directory_at_once() {
    const OPENERS: usize = 8;
    for round in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let children: Vec<_> = (0..OPENERS)
            .map(|_| {
                let mut command = guichet(dir.path());
                command.args(["staff", "list"]).stdout(Stdio::null()).stderr(Stdio::piped());
                command.spawn().unwrap()
            })
            .collect();
        for (i, child) in children.into_iter().enumerate() {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}, process {i}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let conn = rusqlite::Connection::open(dir.path().join("guichet.sqlite")).unwrap();
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, guichet::store::schema::VERSION, "round {round}");
    }
}

//! Opening the database for writing at start. What keeps it from being used (a folder or
//! file that cannot be written, a read-only or full disk, a damaged file) is found here,
//! before any visitor comes, and said with the file and what to do: the kiosk refuses to
//! start rather than fail the first ticket, and never panics in a restart loop.

use super::{schema, StoreError};
use rusqlite::{Connection, ErrorCode};
use std::io::Write;
use std::path::Path;

/// Below this much free space, a failure to open is the disk being full.
const FULL_BELOW: u64 = 1024 * 1024;

/// The write connection, configured and migrated. The folder and the database are
/// written to first (the migration always commits a write): a start that cannot write
/// stops here.
pub(super) fn for_writing(path: &Path) -> Result<Connection, StoreError> {
    probe_folder(path)?;
    let opened = Connection::open(path).map_err(StoreError::from).and_then(|mut conn| {
        schema::configure(&conn)?;
        schema::migrate(&mut conn, path)?;
        Ok(conn)
    });
    opened.map_err(|e| explain(path, e))
}

/// The folder the database is in: a file made and removed there. SQLite makes its -wal
/// and -shm files beside the database, the console its certificate, a backup its copy.
fn probe_folder(path: &Path) -> Result<(), StoreError> {
    static PROBES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let folder = folder_of(path);
    let n = PROBES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let probe = folder.join(format!(".guichet-start-{}-{n}", std::process::id()));
    let written = std::fs::File::create(&probe).and_then(|mut f| f.write_all(b"guichet"));
    let removed = std::fs::remove_file(&probe);
    match written.and(removed) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::StorageFull => Err(full(path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::Unusable {
            path: path.to_path_buf(),
            problem: format!("the folder {} does not exist", folder.display()),
            fix: format!("make it for the kiosk's user: sudo install -d -o guichet -g guichet {}", folder.display()),
        }),
        Err(e) => Err(unwritable(path, folder, &e.to_string())),
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// An SQLite error at start, said as what it means for the kiosk and what to do.
fn explain(path: &Path, error: StoreError) -> StoreError {
    let StoreError::Sqlite(e) = &error else { return error };
    let cause = e.to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => full(path),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => damaged(
            path,
            format!("it is not a database guichet can read: damaged, cut short or another file ({cause})"),
        ),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) if space_left(path) => {
            unwritable(path, path, &cause)
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Unusable {
            path: path.to_path_buf(),
            problem: format!("another program keeps it locked ({cause})"),
            fix: "stop the other guichet using this data directory (sudo systemctl status guichet), then start again"
                .into(),
        },
        Some(_) if !space_left(path) => full(path),
        _ => StoreError::Unusable {
            path: path.to_path_buf(),
            problem: format!("it cannot be opened ({cause})"),
            fix: format!(
                "look for disk errors (sudo dmesg | tail) and run guichet doctor; if the file is damaged: {}",
                restore(path)
            ),
        },
    }
}

/// The file is not what this guichet wrote: a backup goes in its place, or it goes away.
pub(super) fn damaged(path: &Path, problem: String) -> StoreError {
    StoreError::Unusable { path: path.to_path_buf(), problem, fix: restore(path) }
}

fn restore(path: &Path) -> String {
    let (db, backups) = (path.display(), folder_of(path).join("backups"));
    format!(
        "stop guichet (sudo systemctl stop guichet); put the newest copy from {} in its place and delete \
         {db}-wal and {db}-shm, or move all three away to start with an empty database; start guichet again",
        backups.display()
    )
}

/// `what` (the database or its folder) cannot be written by this process.
fn unwritable(path: &Path, what: &Path, cause: &str) -> StoreError {
    let folder = folder_of(path);
    let read_only =
        nix::sys::statvfs::statvfs(folder).is_ok_and(|s| s.flags().contains(nix::sys::statvfs::FsFlags::ST_RDONLY));
    let (problem, fix) = if read_only {
        (
            format!("{} cannot be written: it is on a read-only file system ({cause})", what.display()),
            format!(
                "remount it read-write (findmnt -T {0} names it; sudo mount -o remount,rw <that mount point>); \
                 a memory card the system turned read-only after errors must be checked or replaced",
                folder.display()
            ),
        )
    } else {
        (
            format!("{} cannot be written by the user guichet runs as ({cause})", what.display()),
            format!(
                "give the folder and its files to that user, guichet on a kiosk: sudo chown -R guichet: {0} \
                 && sudo chmod -R u+rwX {0}",
                folder.display()
            ),
        )
    };
    StoreError::Unusable { path: path.to_path_buf(), problem, fix }
}

fn full(path: &Path) -> StoreError {
    let folder = folder_of(path);
    StoreError::Unusable {
        path: path.to_path_buf(),
        problem: format!("the disk holding {} is full", folder.display()),
        fix: format!(
            "free some space (old logs: sudo journalctl --vacuum-size=50M; old copies in {}; what takes the \
             room: sudo du -xh -d 3 / | sort -h | tail), then start guichet again",
            folder.join("backups").display()
        ),
    }
}

/// Whether the disk the database is on has room left (true when it cannot be told).
fn space_left(path: &Path) -> bool {
    match nix::sys::statvfs::statvfs(folder_of(path)) {
        // The statvfs fields are narrower than u64 on 32-bit targets.
        #[allow(clippy::useless_conversion)]
        Ok(s) => u64::from(s.blocks_available()).saturating_mul(u64::from(s.fragment_size())) >= FULL_BELOW,
        Err(_) => true,
    }
}

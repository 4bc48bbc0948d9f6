//! Opening the database for writing at start. A file in a state no guichet leaves it in
//! is refused, saying which file and what to do: never a panic, which made the service
//! restart in a loop.

use super::{schema, StoreError};
use rusqlite::Connection;
use std::path::Path;

/// The write connection, configured and migrated.
pub(super) fn for_writing(path: &Path) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path)?;
    schema::configure(&conn)?;
    schema::migrate(&mut conn, path)?;
    Ok(conn)
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
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

//! A lone kiosk's backup: a consistent copy of its SQLite file while tickets are issued
//! (a site's queue is backed up on its server with pg_dump: docs/SITE.md).

use super::{Store, StoreError};
use rusqlite::Connection;
use std::path::Path;

impl Store {
    /// Copies the database to `file` with SQLite's online backup (a consistent copy while
    /// tickets are issued), written beside it first and renamed, so no half copy stays.
    /// The copy holds password hashes: it is made readable by its owner only (0600) here,
    /// whatever the umask of whoever runs it.
    pub fn backup_to(&self, file: &Path) -> Result<(), StoreError> {
        use std::os::unix::fs::OpenOptionsExt;
        if self.site.is_some() {
            return Err(StoreError::Unusable {
                path: file.to_path_buf(),
                problem: "the queue is on the site's PostgreSQL, not in a file here".into(),
                fix: "back it up on the site server with pg_dump (docs/SITE.md, section Backups)".into(),
            });
        }
        let source = Connection::open_with_flags(&self.path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let partial = file.with_extension("partial");
        let at = |path: &Path| {
            let path = path.to_path_buf();
            move |e| StoreError::File(path, e)
        };
        // A partial copy left by an interrupted backup: made again from the start.
        match std::fs::remove_file(&partial) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(at(&partial)(e)),
            _ => {}
        }
        // SQLite writes into the file as it is, so it keeps the mode it is created with.
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&partial).map_err(at(&partial))?;
        if let Err(e) = source.backup(rusqlite::MAIN_DB, &partial, None::<fn(rusqlite::backup::Progress)>) {
            let _ = std::fs::remove_file(&partial);
            return Err(e.into());
        }
        std::fs::rename(&partial, file).map_err(at(file))
    }
}

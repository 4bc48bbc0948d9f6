//! The same store tests on both databases: a test written with [`both!`] runs once on
//! SQLite and once on a throwaway PostgreSQL cluster (one per test process, a database
//! per store file the test names), as `NAME::sqlite` and `NAME::postgres`.

use super::cluster::Cluster;
use super::Store;
use crate::clock::Clock;
use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

thread_local! {
    static ON_SITE: Cell<bool> = const { Cell::new(false) };
}

/// From now on, this test thread's stores are on PostgreSQL.
pub(crate) fn on_site() {
    ON_SITE.with(|s| s.set(true));
}

fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
    let made = CLUSTER.get_or_init(|| {
        // Removed by the cluster's watchdog once this process is gone.
        let dir = tempfile::Builder::new().prefix("guichet-pg-").tempdir().map_err(|e| e.to_string())?.keep();
        Cluster::start(&dir)
    });
    match made {
        Ok(cluster) => cluster,
        Err(e) => panic!("the store tests on PostgreSQL need its server (Debian's postgresql package): {e}"),
    }
}

/// The database standing for the store file `path` (made at its first use).
fn database_for(path: &Path) -> String {
    static MADE: OnceLock<Mutex<HashMap<PathBuf, String>>> = OnceLock::new();
    let mut made = MADE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    let n = made.len();
    made.entry(path.to_path_buf())
        .or_insert_with(|| cluster().create_database(&format!("store_{n}")).expect("a new database"))
        .clone()
}

/// Opens the store the test names by its file: that file on SQLite, or its database on
/// the test cluster when the test runs on PostgreSQL.
pub(crate) fn open_store(path: &Path, clock: Arc<dyn Clock>) -> Store {
    if ON_SITE.with(Cell::get) {
        Store::open_postgres(&database_for(path), path, clock).expect("the store opens on PostgreSQL")
    } else {
        Store::open_with_clock(path, clock).expect("the store opens on SQLite")
    }
}

/// A store test run on both databases.
macro_rules! both {
    ($(#[$meta:meta])* fn $name:ident() $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[test]
            fn sqlite() $body
            #[test]
            fn postgres() {
                $crate::store::site_tests::on_site();
                $body
            }
        }
    };
}
pub(crate) use both;

/// The test cluster's superuser settings for database `name`, with another user.
pub(crate) fn as_user(conninfo: &str, user: &str) -> String {
    conninfo.replace(&format!("user={}", super::cluster::USER), &format!("user={user}"))
}

/// The settings of the database standing for `path` (made at its first use).
pub(crate) fn site_database(path: &Path) -> String {
    database_for(path)
}

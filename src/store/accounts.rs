//! Staff accounts (name, role, password hash, generation) and the audit log of what
//! staff did. Writes run on the storage thread (through [`super::Store::write`]); reads
//! run on any connection.
//!
//! A session belongs to the account's id, which is never given again (a removed account
//! made again under the same name is another account). The generation goes up when a
//! password changes: a session remembers the generation it was opened with, and one that
//! no longer matches (or whose account is gone) is out at its next request, whichever
//! process made the change (the console or the terminal).

use super::{Pending, StoreError};
use rusqlite::{params, Connection, OptionalExtension};

/// What an account may do in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Works the queue: calls, serves, records outcomes.
    Agent,
    /// Also manages accounts, reads the audit log and the kiosk's state.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Admin => "admin",
        }
    }

    /// In French, as the console and the audit log show it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Agent => "Agent",
            Role::Admin => "Administrateur",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "agent" => Some(Role::Agent),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// One account, as login and the per-request check need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    /// The row's id: never given to another account, even one with the same name.
    pub id: i64,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub generation: i64,
    /// When an administrator last lifted a login lock on this name (ms since the epoch).
    pub unlocked_at: Option<i64>,
}

/// One account, as the list of accounts shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub name: String,
    pub role: Role,
    pub created_at: i64,
}

fn role_of(text: String) -> rusqlite::Result<Role> {
    Role::parse(&text).ok_or_else(|| rusqlite::Error::InvalidColumnType(0, text, rusqlite::types::Type::Text))
}

const ACCOUNT: &str = "SELECT id, name, password_hash, role, generation, unlocked_at FROM staff";

fn account(r: &rusqlite::Row<'_>) -> rusqlite::Result<StaffAccount> {
    Ok(StaffAccount {
        id: r.get(0)?,
        name: r.get(1)?,
        password_hash: r.get(2)?,
        role: role_of(r.get(3)?)?,
        generation: r.get(4)?,
        unlocked_at: r.get(5)?,
    })
}

pub fn staff(conn: &Connection, name: &str) -> Result<Option<StaffAccount>, StoreError> {
    Ok(conn.query_row(&format!("{ACCOUNT} WHERE name = ?1"), [name], account).optional()?)
}

/// The account with this id (what a console session belongs to), if it still exists.
pub fn staff_by_id(conn: &Connection, id: i64) -> Result<Option<StaffAccount>, StoreError> {
    Ok(conn.query_row(&format!("{ACCOUNT} WHERE id = ?1"), [id], account).optional()?)
}

pub fn accounts(conn: &Connection) -> Result<Vec<AccountSummary>, StoreError> {
    let mut stmt = conn.prepare("SELECT name, role, created_at FROM staff ORDER BY name")?;
    let rows = stmt
        .query_map([], |r| Ok(AccountSummary { name: r.get(0)?, role: role_of(r.get(1)?)?, created_at: r.get(2)? }))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub fn staff_names(conn: &Connection) -> Result<Vec<String>, StoreError> {
    Ok(accounts(conn)?.into_iter().map(|a| a.name).collect())
}

fn admins(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM staff WHERE role = 'admin'", [], |r| r.get(0))?)
}

pub(super) fn add(conn: &Connection, now: i64, name: &str, hash: &str, role: Role) -> Result<(), StoreError> {
    let result = conn.execute(
        "INSERT INTO staff (name, password_hash, created_at, role) VALUES (?1, ?2, ?3, ?4)",
        params![name, hash, now, role.as_str()],
    );
    match result {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
            Err(StoreError::DuplicateStaff(name.to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether `name` is the only administrator left (who must not be removed or demoted:
/// nobody could manage accounts from the console any more).
fn last_admin(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    Ok(staff(conn, name)?.is_some_and(|a| a.role == Role::Admin) && admins(conn)? == 1)
}

/// Removes an account; `false` if there was none. Its sessions end at their next request.
pub(super) fn remove(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    if last_admin(conn, name)? {
        return Err(StoreError::LastAdmin(name.to_string()));
    }
    Ok(conn.execute("DELETE FROM staff WHERE name = ?1", [name])? > 0)
}

/// Changes a password; the account's open sessions end. `false` if there is no such account.
pub(super) fn set_password(conn: &Connection, name: &str, hash: &str) -> Result<bool, StoreError> {
    let sql = "UPDATE staff SET password_hash = ?2, generation = generation + 1 WHERE name = ?1";
    Ok(conn.execute(sql, params![name, hash])? > 0)
}

/// Changes a role (open sessions get the new role at their next request).
pub(super) fn set_role(conn: &Connection, name: &str, role: Role) -> Result<bool, StoreError> {
    if role != Role::Admin && last_admin(conn, name)? {
        return Err(StoreError::LastAdmin(name.to_string()));
    }
    Ok(conn.execute("UPDATE staff SET role = ?2 WHERE name = ?1", params![name, role.as_str()])? > 0)
}

/// Lifts the login locks on `name` (the console sees it at the next attempt).
pub(super) fn unlock(conn: &Connection, now: i64, name: &str) -> Result<bool, StoreError> {
    Ok(conn.execute("UPDATE staff SET unlocked_at = ?2 WHERE name = ?1", params![name, now])? > 0)
}

/// One line of the audit log: who did what, when, from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Milliseconds since the epoch.
    pub at: i64,
    /// The account name (or the name typed at a failed login; "terminal" for `guichet staff`).
    pub actor: String,
    /// A short machine-readable verb: `login`, `login-failed`, `locked`, `call`, …
    pub action: String,
    /// What it applied to, in words (a ticket number, an account name).
    pub detail: String,
    /// The client's address ("" when not over the network).
    pub address: String,
}

pub(super) fn record(conn: &Connection, entry: &AuditEntry) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO audit (at, actor, action, detail, address) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![entry.at, entry.actor, entry.action, entry.detail, entry.address],
    )?;
    Ok(())
}

/// The latest `limit` entries, newest first.
pub fn audit_log(conn: &Connection, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
    Ok(audit_page(conn, AuditPlace::Newest, limit)?.entries)
}

/// Where a page of the audit log is: entries are paged by their id, which only grows,
/// so a page stays the same when new entries arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditPlace {
    Newest,
    /// The entries just older than the entry with this id.
    Before(i64),
    /// The entries just newer than the entry with this id.
    After(i64),
}

/// One page of the audit log, newest first, and where the pages next to it are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// When there are older entries: the place of the page just older.
    pub older: Option<AuditPlace>,
    /// When there are newer entries: the place of the page just newer.
    pub newer: Option<AuditPlace>,
}

/// At most `size` entries at `place`, newest first.
pub fn audit_page(conn: &Connection, place: AuditPlace, size: u32) -> Result<AuditPage, StoreError> {
    const COLUMNS: &str = "SELECT id, at, actor, action, detail, address FROM audit";
    let (sql, from) = match place {
        AuditPlace::Newest => (format!("{COLUMNS} WHERE id < ?1 ORDER BY id DESC LIMIT ?2"), i64::MAX),
        AuditPlace::Before(id) => (format!("{COLUMNS} WHERE id < ?1 ORDER BY id DESC LIMIT ?2"), id),
        AuditPlace::After(id) => (format!("{COLUMNS} WHERE id > ?1 ORDER BY id ASC LIMIT ?2"), id),
    };
    let mut stmt = conn.prepare(&sql)?;
    // One more than asked: whether there is more beyond this page.
    let rows = stmt.query_map(params![from, i64::from(size) + 1], |r| {
        let entry =
            AuditEntry { at: r.get(1)?, actor: r.get(2)?, action: r.get(3)?, detail: r.get(4)?, address: r.get(5)? };
        Ok((r.get::<_, i64>(0)?, entry))
    })?;
    let mut rows = rows.collect::<Result<Vec<_>, _>>()?;
    let more = rows.len() > size as usize;
    rows.truncate(size as usize);
    if matches!(place, AuditPlace::After(_)) {
        rows.reverse();
    }
    // The ids on both sides of this page (an empty page: where it was asked).
    let newest = rows.first().map_or(from.saturating_sub(1), |(id, _)| *id);
    let oldest = rows.last().map_or(from.saturating_add(1), |(id, _)| *id);
    let exists = |sql: &str, id: i64| -> Result<bool, StoreError> {
        Ok(conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM audit WHERE {sql})"), [id], |r| r.get(0))?)
    };
    let (older, newer) = match place {
        AuditPlace::After(_) => (exists("id < ?1", oldest)?, more),
        _ => (more, exists("id > ?1", newest)?),
    };
    Ok(AuditPage {
        entries: rows.into_iter().map(|(_, entry)| entry).collect(),
        older: older.then_some(AuditPlace::Before(oldest)),
        newer: newer.then_some(AuditPlace::After(newest)),
    })
}

/// Forgets audit entries older than `before` (ms); returns how many went.
pub(super) fn purge_audit(conn: &Connection, before: i64) -> Result<usize, StoreError> {
    Ok(conn.execute("DELETE FROM audit WHERE at < ?1", [before])?)
}

/// Account changes and the audit log, through the storage thread.
impl super::Store {
    pub fn add_staff(&self, name: String, hash: String, role: Role) -> Pending<()> {
        self.write(move |conn, clock| add(conn, clock.now_ms(), &name, &hash, role))
    }

    /// Removes an account (`false` if none); refused for the only administrator.
    pub fn remove_staff(&self, name: String) -> Pending<bool> {
        self.write(move |conn, _| remove(conn, &name))
    }

    /// Sets a new password hash and ends the account's sessions.
    pub fn set_password(&self, name: String, hash: String) -> Pending<bool> {
        self.write(move |conn, _| set_password(conn, &name, &hash))
    }

    /// Changes a role; refused when it would leave no administrator.
    pub fn set_role(&self, name: String, role: Role) -> Pending<bool> {
        self.write(move |conn, _| set_role(conn, &name, role))
    }

    /// Lifts the login locks on `name`, in every process that shares this database.
    pub fn unlock_staff(&self, name: String) -> Pending<bool> {
        self.write(move |conn, clock| unlock(conn, clock.now_ms(), &name))
    }

    /// Appends to the audit log, dated by the store's clock, without waiting: entries are
    /// written in the order they are sent, before any later command's answer.
    pub fn audit(&self, actor: &str, action: &str, detail: &str, address: &str) {
        let (actor, action, detail, address) = (actor.into(), action.into(), detail.into(), address.into());
        let write = move |conn: &mut Connection, clock: &dyn crate::clock::Clock| {
            let entry = AuditEntry { at: clock.now_ms(), actor, action, detail, address };
            if let Err(e) = record(conn, &entry) {
                eprintln!("store: cannot write the audit log: {e}");
            }
        };
        let _ = self.tx.send(super::Command::Run(Box::new(write)));
    }

    /// Resolves once every command sent before it is done (the audit entries too).
    pub fn flush(&self) -> Pending<()> {
        self.write(|_, _| Ok(()))
    }

    /// Forgets audit entries older than `days` days.
    pub fn purge_audit(&self, days: u32) -> Pending<usize> {
        self.write(move |conn, clock| purge_audit(conn, clock.now_ms() - i64::from(days) * 86_400_000))
    }
}

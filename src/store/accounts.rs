//! Staff accounts (name, role, password hash, generation) and the audit log of what
//! staff did. Writes run on the storage thread (through [`super::Store::write`]); reads
//! run on any connection.
//!
//! A session belongs to the account's id, which is never given again (a removed account
//! made again under the same name is another account). The generation goes up when a
//! password changes: a session remembers the generation it was opened with, and one that
//! no longer matches (or whose account is gone) is out at its next request, whichever
//! process made the change (the console or the terminal).

use super::sql::{args, Db, Row};
use super::{Pending, StoreError};

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

fn role_of(r: &Row, i: usize) -> Result<Role, StoreError> {
    Role::parse(&r.text(i)?).ok_or(StoreError::Column { index: i, wanted: "a role (agent or admin)" })
}

const ACCOUNT: &str = "SELECT id, name, password_hash, role, generation, unlocked_at FROM staff";

fn account(r: &Row) -> Result<StaffAccount, StoreError> {
    Ok(StaffAccount {
        id: r.int(0)?,
        name: r.text(1)?,
        password_hash: r.text(2)?,
        role: role_of(r, 3)?,
        generation: r.int(4)?,
        unlocked_at: r.opt_int(5)?,
    })
}

pub fn staff(db: &dyn Db, name: &str) -> Result<Option<StaffAccount>, StoreError> {
    db.query_opt(&format!("{ACCOUNT} WHERE name = ?1"), args![name])?.as_ref().map(account).transpose()
}

/// The account with this id (what a console session belongs to), if it still exists.
pub fn staff_by_id(db: &dyn Db, id: i64) -> Result<Option<StaffAccount>, StoreError> {
    db.query_opt(&format!("{ACCOUNT} WHERE id = ?1"), args![id])?.as_ref().map(account).transpose()
}

pub fn accounts(db: &dyn Db) -> Result<Vec<AccountSummary>, StoreError> {
    let rows = db.query("SELECT name, role, created_at FROM staff ORDER BY name", &[])?;
    rows.iter().map(|r| Ok(AccountSummary { name: r.text(0)?, role: role_of(r, 1)?, created_at: r.int(2)? })).collect()
}

pub fn staff_names(db: &dyn Db) -> Result<Vec<String>, StoreError> {
    Ok(accounts(db)?.into_iter().map(|a| a.name).collect())
}

fn admins(db: &dyn Db) -> Result<i64, StoreError> {
    Ok(db.query_one("SELECT count(*) FROM staff WHERE role = 'admin'", &[])?.int(0)?)
}

pub(super) fn add(db: &dyn Db, now: i64, name: &str, hash: &str, role: Role) -> Result<(), StoreError> {
    // Checked first, in the same transaction: the name's uniqueness stays the database's,
    // but its error would read differently on each.
    if staff(db, name)?.is_some() {
        return Err(StoreError::DuplicateStaff(name.to_string()));
    }
    db.execute(
        "INSERT INTO staff (name, password_hash, created_at, role) VALUES (?1, ?2, ?3, ?4)",
        args![name, hash, now, role.as_str()],
    )?;
    Ok(())
}

/// Whether `name` is the only administrator left (who must not be removed or demoted:
/// nobody could manage accounts from the console any more).
fn last_admin(db: &dyn Db, name: &str) -> Result<bool, StoreError> {
    Ok(staff(db, name)?.is_some_and(|a| a.role == Role::Admin) && admins(db)? == 1)
}

/// Removes an account; `false` if there was none. Its sessions end at their next request.
pub(super) fn remove(db: &dyn Db, name: &str) -> Result<bool, StoreError> {
    if last_admin(db, name)? {
        return Err(StoreError::LastAdmin(name.to_string()));
    }
    Ok(db.execute("DELETE FROM staff WHERE name = ?1", args![name])? > 0)
}

/// Changes a password; the account's open sessions end. `false` if there is no such account.
pub(super) fn set_password(db: &dyn Db, name: &str, hash: &str) -> Result<bool, StoreError> {
    let sql = "UPDATE staff SET password_hash = ?2, generation = generation + 1 WHERE name = ?1";
    Ok(db.execute(sql, args![name, hash])? > 0)
}

/// Changes a role (open sessions get the new role at their next request).
pub(super) fn set_role(db: &dyn Db, name: &str, role: Role) -> Result<bool, StoreError> {
    if role != Role::Admin && last_admin(db, name)? {
        return Err(StoreError::LastAdmin(name.to_string()));
    }
    Ok(db.execute("UPDATE staff SET role = ?2 WHERE name = ?1", args![name, role.as_str()])? > 0)
}

/// Lifts the login locks on `name` (the console sees it at the next attempt).
pub(super) fn unlock(db: &dyn Db, now: i64, name: &str) -> Result<bool, StoreError> {
    Ok(db.execute("UPDATE staff SET unlocked_at = ?2 WHERE name = ?1", args![name, now])? > 0)
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

pub(super) fn record(db: &dyn Db, entry: &AuditEntry) -> Result<(), StoreError> {
    db.execute(
        "INSERT INTO audit (at, actor, action, detail, address) VALUES (?1, ?2, ?3, ?4, ?5)",
        args![entry.at, &entry.actor, &entry.action, &entry.detail, &entry.address],
    )?;
    Ok(())
}

/// The latest `limit` entries, newest first.
pub fn audit_log(db: &dyn Db, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
    Ok(audit_page(db, AuditPlace::Newest, limit)?.entries)
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
pub fn audit_page(db: &dyn Db, place: AuditPlace, size: u32) -> Result<AuditPage, StoreError> {
    const COLUMNS: &str = "SELECT id, at, actor, action, detail, address FROM audit";
    let (sql, from) = match place {
        AuditPlace::Newest => (format!("{COLUMNS} WHERE id < ?1 ORDER BY id DESC LIMIT ?2"), i64::MAX),
        AuditPlace::Before(id) => (format!("{COLUMNS} WHERE id < ?1 ORDER BY id DESC LIMIT ?2"), id),
        AuditPlace::After(id) => (format!("{COLUMNS} WHERE id > ?1 ORDER BY id ASC LIMIT ?2"), id),
    };
    // One more than asked: whether there is more beyond this page.
    let rows = db.query(&sql, args![from, i64::from(size) + 1])?;
    let mut rows = rows
        .iter()
        .map(|r| {
            let entry = AuditEntry {
                at: r.int(1)?,
                actor: r.text(2)?,
                action: r.text(3)?,
                detail: r.text(4)?,
                address: r.text(5)?,
            };
            Ok((r.int(0)?, entry))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let more = rows.len() > size as usize;
    rows.truncate(size as usize);
    if matches!(place, AuditPlace::After(_)) {
        rows.reverse();
    }
    // The ids on both sides of this page (an empty page: where it was asked).
    let newest = rows.first().map_or(from.saturating_sub(1), |(id, _)| *id);
    let oldest = rows.last().map_or(from.saturating_add(1), |(id, _)| *id);
    let exists = |sql: &str, id: i64| -> Result<bool, StoreError> {
        Ok(db.query_one(&format!("SELECT EXISTS (SELECT 1 FROM audit WHERE {sql})"), args![id])?.bool(0)?)
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
pub(super) fn purge_audit(db: &dyn Db, before: i64) -> Result<usize, StoreError> {
    Ok(db.execute("DELETE FROM audit WHERE at < ?1", args![before])?)
}

/// Account changes and the audit log, through the storage thread.
impl super::Store {
    pub fn add_staff(&self, name: String, hash: String, role: Role) -> Pending<()> {
        self.write(move |db, clock| add(db, clock.now_ms(), &name, &hash, role))
    }

    /// Removes an account (`false` if none); refused for the only administrator.
    pub fn remove_staff(&self, name: String) -> Pending<bool> {
        self.write(move |db, _| remove(db, &name))
    }

    /// Sets a new password hash and ends the account's sessions.
    pub fn set_password(&self, name: String, hash: String) -> Pending<bool> {
        self.write(move |db, _| set_password(db, &name, &hash))
    }

    /// Changes a role; refused when it would leave no administrator.
    pub fn set_role(&self, name: String, role: Role) -> Pending<bool> {
        self.write(move |db, _| set_role(db, &name, role))
    }

    /// Lifts the login locks on `name`, in every process that shares this database.
    pub fn unlock_staff(&self, name: String) -> Pending<bool> {
        self.write(move |db, clock| unlock(db, clock.now_ms(), &name))
    }

    /// Appends to the audit log, dated by the store's clock, without waiting: entries are
    /// written in the order they are sent, before any later command's answer.
    pub fn audit(&self, actor: &str, action: &str, detail: &str, address: &str) {
        let (actor, action, detail, address) = (actor.into(), action.into(), detail.into(), address.into());
        let write = move |writer: &mut super::writer::Writer, clock: &dyn crate::clock::Clock| {
            let entry = AuditEntry { at: clock.now_ms(), actor, action, detail, address };
            if let Err(e) = writer.tx(|db| record(db, &entry)) {
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
        self.write(move |db, clock| purge_audit(db, clock.now_ms() - i64::from(days) * 86_400_000))
    }
}

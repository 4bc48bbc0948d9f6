//! `guichet staff add|list|remove|passwd|unlock|role`: accounts from the terminal, for
//! the technician who installs the kiosk (and when no administrator can log in). Every
//! change goes to the audit log, as done from "the terminal".

use super::Site;
use crate::cli::StaffAction;
use crate::staff::{account_name, hash_password, password_problem};
use crate::store::Role;
use anyhow::{anyhow, bail, Context};
use std::io::BufRead;

/// Who the audit log says acted, for changes made here.
const TERMINAL: &str = "(terminal)";

/// The new password: one line from standard input, or asked twice on the terminal
/// without showing it.
fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        let first = rpassword::prompt_password("Mot de passe (rien ne s'affiche) : ")
            .context("cannot read the password from the terminal (use --password-stdin)")?;
        let again = rpassword::prompt_password("Encore une fois : ")?;
        if first != again {
            bail!("the two passwords differ: nothing was changed");
        }
        first
    };
    if let Some(problem) = password_problem(&password) {
        bail!("{problem}");
    }
    Ok(password)
}

fn new_hash(from_stdin: bool) -> anyhow::Result<String> {
    let password = read_password(from_stdin)?;
    hash_password(&password).map_err(|e| anyhow!("cannot hash the password: {e}"))
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Agent => "agent",
        Role::Admin => "administrator",
    }
}

pub fn staff(site: &Site, action: StaffAction) -> anyhow::Result<()> {
    let store = site.store()?;
    let no_such = |name: &str| anyhow!("no account named {name} (see `guichet staff list`)");
    match action {
        StaffAction::Add { name, password_stdin, admin } => {
            let name = account_name(&name).ok_or_else(|| anyhow!("the account name must be 1 to 64 characters"))?;
            let first = store.reader().with(crate::store::staff_names)?.is_empty();
            let role = if admin || first { Role::Admin } else { Role::Agent };
            let hash = new_hash(password_stdin)?;
            store.add_staff(name.clone(), hash, role).wait().with_context(|| format!("cannot create {name}"))?;
            store.audit(TERMINAL, "account-add", &format!("{name} ({})", role.label()), "");
            println!("account {name} created ({})", role_name(role));
        }
        StaffAction::List => {
            for account in store.reader().with(crate::store::accounts)? {
                println!("{}\t{}", account.name, role_name(account.role));
            }
        }
        StaffAction::Remove { name } => {
            if !store.remove_staff(name.clone()).wait()? {
                return Err(no_such(&name));
            }
            store.audit(TERMINAL, "account-remove", &name, "");
            println!("account {name} removed; its console sessions are closed");
        }
        StaffAction::Passwd { name, password_stdin } => {
            if store.reader().with(|c| crate::store::staff(c, &name))?.is_none() {
                return Err(no_such(&name));
            }
            let hash = new_hash(password_stdin)?;
            if !store.set_password(name.clone(), hash).wait()? {
                return Err(no_such(&name));
            }
            store.audit(TERMINAL, "password", &name, "");
            println!("password of {name} changed; its console sessions are closed");
        }
        StaffAction::Unlock { name } => {
            if !store.unlock_staff(name.clone()).wait()? {
                return Err(no_such(&name));
            }
            store.audit(TERMINAL, "unlock", &name, "");
            println!("{name} may try to log in again, from every address");
        }
        StaffAction::Role { name, agent } => {
            let role = if agent { Role::Agent } else { Role::Admin };
            if !store.set_role(name.clone(), role).wait()? {
                return Err(no_such(&name));
            }
            store.audit(TERMINAL, "role", &format!("{name} ({})", role.label()), "");
            println!("{name} is now {}", role_name(role));
        }
    }
    // Waits until the audit entry is written.
    store.flush().wait().map_err(Into::into)
}

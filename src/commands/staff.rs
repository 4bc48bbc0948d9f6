//! `guichet staff add|list|remove`.

use super::Site;
use crate::cli::StaffAction;
use crate::staff::hash_password;
use anyhow::{bail, Context};
use std::io::BufRead;

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let mut line = String::new();
    if from_stdin {
        stdin.lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    eprint!("Mot de passe : ");
    stdin.lock().read_line(&mut line)?;
    let mut again = String::new();
    eprint!("Encore une fois : ");
    stdin.lock().read_line(&mut again)?;
    if line != again {
        bail!("the two passwords differ: nothing was created");
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub fn staff(site: &Site, action: StaffAction) -> anyhow::Result<()> {
    let store = site.store()?;
    match action {
        StaffAction::Add { name, password_stdin } => {
            let name = name.trim().to_string();
            if name.is_empty() || name.len() > 64 {
                bail!("the account name must be 1 to 64 characters");
            }
            let password = read_password(password_stdin)?;
            if password.chars().count() < 10 {
                bail!("the password must have at least 10 characters: nothing was created");
            }
            let hash = hash_password(&password).map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?;
            store.add_staff(name.clone(), hash).wait().with_context(|| format!("cannot create {name}"))?;
            println!("account {name} created");
        }
        StaffAction::List => {
            for name in store.reader().with(crate::store::staff_names)? {
                println!("{name}");
            }
        }
        StaffAction::Remove { name } => {
            if !store.remove_staff(name.clone()).wait()? {
                bail!("no account named {name}");
            }
            println!("account {name} removed");
        }
    }
    Ok(())
}

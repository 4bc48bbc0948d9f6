//! For administrators: the accounts (add, role, new password, unlock, remove) and the
//! audit log. Every change is written to the audit log; a removed account or a changed
//! password ends that person's sessions at once.

use super::console::Console;
use super::extract::{Admin, CsrfForm, Posted, Staff};
use crate::staff::access::auth::{account_name, hash_password, password_problem, Notice};
use crate::staff::pages::admin_view;
use crate::staff::pages::{self, paths, Plain};
use crate::store::{self, AuditPlace, Role, StoreError};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// Every account form: which fields an action reads depends on the action.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AccountFields {
    pub csrf: String,
    pub name: String,
    pub role: String,
    pub password: String,
    pub again: String,
}

impl CsrfForm for AccountFields {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub(crate) async fn accounts_page(State(console): State<Console>, Admin(staff): Admin) -> Response {
    match console.read(store::accounts).await {
        Ok(accounts) => {
            let notice = console.auth.take_notice(&staff.session_id);
            admin_view::accounts(&staff.chrome(&console), &staff.session, notice.as_ref(), &accounts).into_response()
        }
        Err(e) => console.unavailable(&staff.nonce, Some(&staff.session), e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct NameQuery {
    name: String,
}

pub(crate) async fn account_page(
    State(console): State<Console>,
    Admin(staff): Admin,
    query: Result<Query<NameQuery>, QueryRejection>,
) -> Response {
    let name = query.map(|Query(q)| q.name).unwrap_or_default();
    match console.read(move |conn| store::staff(conn, &name)).await {
        Ok(Some(account)) => admin_view::account(&staff.chrome(&console), &staff.session, &account).into_response(),
        Ok(None) => pages::plain(&staff.chrome(&console), Plain::NotFound),
        Err(e) => console.unavailable(&staff.nonce, Some(&staff.session), e),
    }
}

/// Where a page of the journal is: `?avant=<id>` (older than that entry), `?apres=<id>`
/// (newer), neither (the newest).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct JournalQuery {
    avant: Option<i64>,
    apres: Option<i64>,
}

/// GET the journal, a page at a time, newest first; a place that is no number shows the
/// newest page.
pub(crate) async fn journal_page(
    State(console): State<Console>,
    Admin(staff): Admin,
    query: Result<Query<JournalQuery>, QueryRejection>,
) -> Response {
    let place = match query.map(|Query(q)| q) {
        Ok(JournalQuery { avant: Some(id), .. }) => AuditPlace::Before(id),
        Ok(JournalQuery { apres: Some(id), .. }) => AuditPlace::After(id),
        _ => AuditPlace::Newest,
    };
    match console.read(move |conn| store::audit_page(conn, place, admin_view::JOURNAL_ROWS)).await {
        Ok(page) => admin_view::journal(&staff.chrome(&console), &page).into_response(),
        Err(e) => console.unavailable(&staff.nonce, Some(&staff.session), e),
    }
}

/// Shows `notice` once on the accounts page.
fn back(console: &Console, staff: &Staff, notice: Notice) -> Response {
    console.auth.update(&staff.session_id, |s| s.notice = Some(notice));
    Redirect::to(paths::ADMIN).into_response()
}

/// The store's refusal, in words; `None` for a technical problem.
fn refusal(error: &StoreError) -> Option<String> {
    match error {
        StoreError::DuplicateStaff(name) => {
            Some(format!("Un compte « {name} » existe déjà : choisissez un autre nom."))
        }
        StoreError::LastAdmin(name) => {
            Some(format!("« {name} » est le seul administrateur : nommez d'abord quelqu'un d'autre administrateur."))
        }
        _ => None,
    }
}

/// POST `/admin/accounts/{op}`: `add`, `role`, `password`, `unlock` or `remove`.
pub(crate) async fn account_action(
    State(console): State<Console>,
    Path(op): Path<String>,
    Posted { staff, form }: Posted<AccountFields>,
) -> Response {
    if !staff.is_admin() {
        return pages::plain(&staff.chrome(&console), Plain::AdminOnly);
    }
    let result = match op.as_str() {
        "add" => add(&console, &form).await,
        "role" => set_role(&console, &form).await,
        "password" => set_password(&console, &form).await,
        "unlock" => found(console.store.unlock_staff(form.name.clone()).await, "unlock"),
        "remove" => found(console.store.remove_staff(form.name.clone()).await, "account-remove"),
        _ => return pages::plain(&staff.chrome(&console), Plain::NotFound),
    };
    let name = form.name.trim();
    match result {
        Ok(Some(action)) => {
            if matches!(action, "account-remove" | "password") {
                console.auth.close_sessions_of(name);
            }
            staff.audit(&console, action, &admin_view::audit_detail(action, name, &form.role));
            back(&console, &staff, Notice::info(admin_view::done(action, name)))
        }
        Ok(None) => back(&console, &staff, Notice::problem(format!("Il n'y a pas de compte « {name} »."))),
        Err(Problem::Form(text)) => back(&console, &staff, Notice::problem(text)),
        Err(Problem::Store(e)) => match refusal(&e) {
            Some(text) => back(&console, &staff, Notice::problem(text)),
            None => console.unavailable(&staff.nonce, Some(&staff.session), e.into()),
        },
    }
}

/// Why an account change was not made.
enum Problem {
    /// The form's content (a short password, an empty name): said to the administrator.
    Form(String),
    Store(StoreError),
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        Problem::Store(e)
    }
}

/// `action` if the account was there.
fn found(result: Result<bool, StoreError>, action: &'static str) -> Result<Option<&'static str>, Problem> {
    Ok(result?.then_some(action))
}

/// The new password from the form, hashed (on a worker thread: it is slow on purpose).
async fn new_hash(form: &AccountFields) -> Result<String, Problem> {
    if form.password != form.again {
        return Err(Problem::Form("Les deux mots de passe sont différents : rien n'a été changé.".into()));
    }
    if let Some(problem) = password_problem(&form.password) {
        return Err(Problem::Form(problem));
    }
    let password = form.password.clone();
    let hashed = tokio::task::spawn_blocking(move || hash_password(&password)).await;
    match hashed {
        Ok(Ok(hash)) => Ok(hash),
        _ => Err(Problem::Form("Le mot de passe n'a pas pu être enregistré : réessayez.".into())),
    }
}

fn role(form: &AccountFields) -> Result<Role, Problem> {
    Role::parse(&form.role).ok_or_else(|| Problem::Form("Choisissez un rôle : agent ou administrateur.".into()))
}

async fn add(console: &Console, form: &AccountFields) -> Result<Option<&'static str>, Problem> {
    let Some(name) = account_name(&form.name) else {
        return Err(Problem::Form("Le nom doit avoir de 1 à 64 caractères.".into()));
    };
    let role = role(form)?;
    let hash = new_hash(form).await?;
    console.store.add_staff(name, hash, role).await?;
    Ok(Some("account-add"))
}

async fn set_role(console: &Console, form: &AccountFields) -> Result<Option<&'static str>, Problem> {
    let role = role(form)?;
    Ok(console.store.set_role(form.name.clone(), role).await?.then_some("role"))
}

async fn set_password(console: &Console, form: &AccountFields) -> Result<Option<&'static str>, Problem> {
    let hash = new_hash(form).await?;
    Ok(console.store.set_password(form.name.clone(), hash).await?.then_some("password"))
}

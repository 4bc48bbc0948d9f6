//! What administrators read: the accounts, one account's page, the audit log. Plain
//! French; every form is a real form (no script), with labels and the session's token.

use super::labels;
use super::layout::{self, Chrome};
use super::paths::{ADMIN as PATH, JOURNAL};
use crate::staff::access::auth::{Notice, Session, MIN_PASSWORD};
use crate::store::{AccountSummary, AuditPage, AuditPlace, Role, StaffAccount};
use maud::{html, Markup};

/// How many audit entries a page of the journal shows.
pub(crate) const JOURNAL_ROWS: u32 = 100;

/// The date and time of an audit entry or an account, local time.
fn date_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M:%S").to_string())
        .unwrap_or_default()
}

/// The link to one account's page (its name percent-encoded in the query).
fn account_link(name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{PATH}/compte?name={encoded}")
}

pub(crate) fn accounts(
    chrome: &Chrome<'_>,
    session: &Session,
    notice: Option<&Notice>,
    accounts: &[AccountSummary],
) -> Markup {
    let body = html! {
        h1 { "Comptes de la console" }
        (layout::notice(notice))
        p { "Les agents appellent et reçoivent les personnes. Les administrateurs gèrent aussi les comptes et lisent le "
            a href=(JOURNAL) { "journal" } "." }
        table {
            thead { tr { th { "Nom" } th { "Rôle" } th { "Créé le" } th { "Gérer" } } }
            tbody {
                @for a in accounts {
                    tr {
                        td data-label="Nom" { (a.name) }
                        td data-label="Rôle" { (a.role.label()) }
                        td data-label="Créé le" { (date_time(a.created_at)) }
                        td { a href=(account_link(&a.name)) { "Gérer le compte de " (a.name) } }
                    }
                }
            }
        }
        h2 { "Ajouter un compte" }
        form.stack method="post" action=(format!("{PATH}/accounts/add")) {
            input type="hidden" name="csrf" value=(session.csrf);
            label for="new-name" { "Nom" }
            input type="text" id="new-name" name="name" required maxlength=(crate::staff::access::auth::MAX_NAME) autocomplete="off";
            label for="new-role" { "Rôle" }
            select id="new-role" name="role" {
                option value="agent" selected { "Agent" }
                option value="admin" { "Administrateur" }
            }
            (password_fields("new"))
            button type="submit" { "Créer le compte" }
        }
    };
    layout::page(chrome, "Comptes", false, body)
}

/// The new password, twice, with what it must be.
fn password_fields(id: &str) -> Markup {
    html! {
        label for=(format!("{id}-password")) { "Mot de passe (au moins " (MIN_PASSWORD) " caractères)" }
        input id=(format!("{id}-password")) type="password" name="password" required minlength=(MIN_PASSWORD)
            autocomplete="new-password";
        label for=(format!("{id}-again")) { "Le même mot de passe, encore une fois" }
        input id=(format!("{id}-again")) type="password" name="again" required minlength=(MIN_PASSWORD)
            autocomplete="new-password";
    }
}

/// One form that acts on `name`: hidden token and name, then `fields`, then the button.
fn account_form(session: &Session, name: &str, op: &str, fields: Markup, button: &str) -> Markup {
    html! {
        form.stack method="post" action=(format!("{PATH}/accounts/{op}")) {
            input type="hidden" name="csrf" value=(session.csrf);
            input type="hidden" name="name" value=(name);
            (fields)
            button type="submit" { (button) }
        }
    }
}

pub(crate) fn account(chrome: &Chrome<'_>, session: &Session, account: &StaffAccount) -> Markup {
    let name = account.name.as_str();
    let (other, other_label) = match account.role {
        Role::Agent => (Role::Admin, "Nommer administrateur"),
        Role::Admin => (Role::Agent, "Rendre agent (plus d'accès aux comptes)"),
    };
    let body = html! {
        p { a href=(PATH) { "← Tous les comptes" } }
        h1 { "Compte de " (name) }
        p { "Rôle : " strong { (account.role.label()) } }
        h2 { "Rôle" }
        (account_form(session, name, "role", html! { input type="hidden" name="role" value=(other.as_str()); }, other_label))
        h2 { "Nouveau mot de passe" }
        p { "Les sessions ouvertes de ce compte se ferment aussitôt." }
        (account_form(session, name, "password", password_fields("reset"), "Changer le mot de passe"))
        h2 { "Débloquer" }
        p { "Après trop d'essais, le nom est bloqué pendant un moment. Débloquez-le si la personne attend." }
        (account_form(session, name, "unlock", html! {}, "Débloquer le compte"))
        h2 { "Supprimer" }
        p { "La personne ne pourra plus se connecter ; ses sessions se ferment aussitôt. "
            "Ce qu'elle a fait reste dans le journal." }
        (account_form(session, name, "remove", html! {}, "Supprimer le compte"))
    };
    layout::page(chrome, &format!("Compte de {name}"), false, body)
}

/// The audit verb in words.
fn action_label(action: &str) -> &str {
    if let Some(ticket_action) = labels::action_from_slug(action) {
        return labels::action_name(ticket_action);
    }
    match action {
        "login" => "Connexion",
        "login-failed" => "Connexion refusée (nom ou mot de passe)",
        "locked" => "Nom bloqué après trop d'essais",
        "slowed" => "Nom ralenti : trop d'essais depuis plusieurs adresses",
        "logout" => "Déconnexion",
        "call-next" => "Appelle la personne suivante",
        "help-answer" => "Répond à un appel à l'aide",
        "open-day" => "Ouvre une nouvelle journée",
        "account-add" => "Crée un compte",
        "account-remove" => "Supprime un compte",
        "role" => "Change un rôle",
        "password" => "Change un mot de passe",
        "unlock" => "Débloque un compte",
        "board-key" => "Crée une nouvelle adresse du tableau",
        "board-key-view" => "Voit l'adresse du tableau",
        "ticket-view" => "Ouvre la fiche d'un ticket",
        "report-export" => "Exporte le rapport",
        other => other,
    }
}

/// What the audit log says the action applied to.
pub(crate) fn audit_detail(action: &str, name: &str, role: &str) -> String {
    match Role::parse(role) {
        Some(role) if matches!(action, "account-add" | "role") => format!("{name} ({})", role.label()),
        _ => name.to_string(),
    }
}

/// The confirmation shown after an account change.
pub(crate) fn done(action: &str, name: &str) -> String {
    match action {
        "account-add" => format!("Le compte « {name} » est créé."),
        "account-remove" => format!("Le compte « {name} » est supprimé."),
        "role" => format!("Le rôle de « {name} » est changé."),
        "password" => format!("Le mot de passe de « {name} » est changé ; ses sessions sont fermées."),
        "unlock" => format!("« {name} » peut de nouveau essayer de se connecter."),
        other => other.to_string(),
    }
}

/// The address of a page of the journal.
fn journal_link(place: AuditPlace) -> String {
    match place {
        AuditPlace::Newest => JOURNAL.to_string(),
        AuditPlace::Before(id) => format!("{JOURNAL}?avant={id}"),
        AuditPlace::After(id) => format!("{JOURNAL}?apres={id}"),
    }
}

pub(crate) fn journal(chrome: &Chrome<'_>, page: &AuditPage) -> Markup {
    let entries = &page.entries;
    let body = html! {
        h1 { "Journal de la console" }
        p { "Chaque connexion, échec et blocage, et chaque action du personnel, du plus récent au plus ancien, "
            (JOURNAL_ROWS) " par page. Un nom inconnu n'est pas noté : ce pourrait être un mot de passe." }
        @if entries.is_empty() {
            p { "Aucune ligne ici." }
        } @else {
            table {
                thead { tr { th { "Quand" } th { "Qui" } th { "Action" } th { "Sur" } th { "Depuis" } } }
                tbody {
                    @for e in entries {
                        @let from = if e.address.is_empty() { "cette machine" } else { e.address.as_str() };
                        tr {
                            td data-label="Quand" { (date_time(e.at)) }
                            td data-label="Qui" { (e.actor) }
                            td data-label="Action" { (action_label(&e.action)) }
                            td data-label="Sur" { (e.detail) }
                            td data-label="Depuis" { (from) }
                        }
                    }
                }
            }
        }
        @if page.newer.is_some() || page.older.is_some() {
            nav aria-label="Pages du journal" {
                @if let Some(newer) = page.newer {
                    a.button href=(journal_link(newer)) { "Plus récentes" }
                }
                " "
                @if let Some(older) = page.older {
                    a.button href=(journal_link(older)) { "Plus anciennes" }
                }
            }
        }
    };
    layout::page(chrome, "Journal", false, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_links_encode_the_name() {
        assert_eq!(account_link("Marie Dupont"), "/admin/compte?name=Marie%20Dupont");
        assert_eq!(account_link("é&x"), "/admin/compte?name=%C3%A9%26x");
    }

    #[test]
    fn every_audited_verb_reads_in_french() {
        for verb in [
            "login",
            "login-failed",
            "locked",
            "slowed",
            "logout",
            "call",
            "finish",
            "call-next",
            "account-add",
            "unlock",
            "ticket-view",
            "report-export",
            "board-key-view",
        ] {
            assert_ne!(action_label(verb), verb, "{verb}");
        }
        assert_eq!(audit_detail("account-add", "paul", "admin"), "paul (Administrateur)");
        assert_eq!(audit_detail("unlock", "paul", ""), "paul");
    }
}

//! The words staff read: statuses, actions, outcomes, languages, and a ticket described
//! from the catalogue (titles, what the visitor has and lacks, priority, waiting time).

use crate::core::catalogue::{Catalogue, Item, Procedure};
use crate::core::lang::Lang;
use crate::core::outcome::{Autonomy, Outcome};
use crate::core::queue::{Action, Status};
use crate::store::TicketRow;

pub(crate) fn status(status: Status) -> &'static str {
    match status {
        Status::Waiting => "en attente",
        Status::Called => "appelé",
        Status::InService => "en cours",
        Status::Done => "terminé",
        Status::NoShow => "absent",
        Status::Cancelled => "annulé",
        Status::NotSeen => "pas reçu (journée finie)",
    }
}

/// Every action, in the order its button appears.
pub(crate) const ACTIONS: [Action; 7] =
    [Action::Call, Action::Start, Action::Finish, Action::NoShow, Action::Transfer, Action::Requeue, Action::Cancel];

/// The action's name in URLs (`/tickets/{id}/no-show`).
pub fn action_slug(action: Action) -> &'static str {
    match action {
        Action::Call => "call",
        Action::Start => "start",
        Action::Finish => "finish",
        Action::NoShow => "no-show",
        Action::Cancel => "cancel",
        Action::Requeue => "requeue",
        Action::Transfer => "transfer",
    }
}

pub(crate) fn action_from_slug(slug: &str) -> Option<Action> {
    ACTIONS.into_iter().find(|a| action_slug(*a) == slug)
}

/// The button's text; calling someone already called is calling them again.
pub(crate) fn action_button(action: Action, from: Status) -> &'static str {
    match action {
        Action::Call if from == Status::Called => "Rappeler",
        Action::Call => "Appeler",
        Action::Start => "Commencer",
        Action::Finish => "Terminé",
        Action::NoShow => "Absent",
        Action::Cancel => "Annuler",
        Action::Requeue => "Remettre en attente",
        Action::Transfer => "Changer de file",
    }
}

/// The action in the audit log ("who did what").
pub(crate) fn action_name(action: Action) -> &'static str {
    match action {
        Action::Call => "Appelle un ticket",
        Action::Start => "Commence l'accompagnement",
        Action::Finish => "Termine",
        Action::NoShow => "Note absent",
        Action::Cancel => "Annule",
        Action::Requeue => "Remet en attente",
        Action::Transfer => "Change de file",
    }
}

/// How a visit ended, in the words staff pick it with.
pub(crate) fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Done => "Démarche faite",
        Outcome::Partly => "Faite en partie, à reprendre",
        Outcome::Information => "Information seulement",
        Outcome::Redirected => "Orienté ailleurs",
    }
}

/// Who did the procedure (the levels digital-inclusion reports count).
pub(crate) fn autonomy_label(autonomy: Autonomy) -> &'static str {
    match autonomy {
        Autonomy::ForThem => "Fait à sa place",
        Autonomy::WithThem => "Fait avec la personne",
        Autonomy::Alone => "La personne a fait seule",
    }
}

/// A stored outcome as staff read it (an early version stored "autonomy").
pub(crate) fn outcome(value: &str) -> Option<&'static str> {
    match value {
        "autonomy" => Some("La personne sait faire seule maintenant"),
        _ => Outcome::parse(value).map(outcome_label),
    }
}

/// The confirmation shown after an action.
pub(crate) fn action_done(action: Action, ticket: &TicketRow) -> String {
    let number = &ticket.number;
    match action {
        Action::Call => format!("{number} est appelé au bureau « {} ».", ticket.desk.as_deref().unwrap_or("?")),
        Action::Start => format!("{number} : accompagnement commencé."),
        Action::Finish => match (ticket.outcome.as_deref().and_then(outcome), &ticket.redirect_to) {
            (Some(label), Some(to)) => format!("{number} : terminé ({label} : {to})."),
            (Some(label), None) => format!("{number} : terminé ({label})."),
            (None, _) => format!("{number} : terminé."),
        },
        Action::NoShow => format!("{number} : noté absent."),
        Action::Cancel => format!("{number} : annulé."),
        Action::Requeue => format!("{number} : remis en attente."),
        Action::Transfer => format!("{number} : passe dans la file {}, à sa place d'arrivée.", ticket.queue),
    }
}

/// The language's French name, French included (the report).
pub(crate) fn language_name(lang: Lang) -> &'static str {
    language(lang).unwrap_or("français")
}

/// A priority reason's staff-side name; "aucun" for none.
pub(crate) fn priority_name<'a>(catalogue: &'a Catalogue, id: &'a str) -> &'a str {
    priority_label(catalogue, id).unwrap_or("aucun")
}

/// The language's French name, for a visitor who does not speak French.
fn language(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Fr => None,
        Lang::En => Some("anglais"),
        Lang::Ar => Some("arabe"),
        Lang::Es => Some("espagnol"),
        Lang::Pt => Some("portugais"),
        Lang::Tr => Some("turc"),
        Lang::Uk => Some("ukrainien"),
        Lang::Ro => Some("roumain"),
    }
}

/// Staff-side wording of the catalogue's "what I have" items (the kiosk's are in the
/// first person); an item added to the catalogue later shows its kiosk label.
fn have_label<'a>(catalogue: &'a Catalogue, id: &'a str) -> &'a str {
    match id {
        "id-card" => "pièce d'identité",
        "email" => "accès à son e-mail",
        "phone" => "téléphone portable",
        "letters" => "courriers reçus",
        "login" => "identifiants du site",
        "bank" => "relevé d'identité bancaire",
        "tax-notice" => "avis d'impôt",
        _ => item_label(&catalogue.have, id),
    }
}

/// Staff-side wording of a priority need; `none` is no priority.
fn priority_label<'a>(catalogue: &'a Catalogue, id: &'a str) -> Option<&'a str> {
    let label = match id {
        "none" | "" => return None,
        "mobility" => "a du mal à rester debout",
        "disability" => "handicap",
        "pregnancy" => "enceinte ou avec un bébé",
        "appointment" => "a un rendez-vous",
        _ => item_label(&catalogue.priority, id),
    };
    Some(label)
}

fn item_label<'a>(items: &'a [Item], id: &'a str) -> &'a str {
    items.iter().find(|i| i.id == id).map_or(id, |i| i.label.as_str())
}

/// "12 min", "1 h 05", from a duration in milliseconds.
pub(crate) fn duration(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    match minutes {
        0 => "moins d'une minute".to_string(),
        1..=59 => format!("{minutes} min"),
        _ => format!("{} h {:02}", minutes / 60, minutes % 60),
    }
}

/// "14:05", local time.
pub(crate) fn clock_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
        .unwrap_or_default()
}

/// A ticket as staff read it, with the catalogue's titles.
pub(crate) struct Described<'a> {
    pub row: &'a TicketRow,
    pub theme: &'a str,
    pub procedure: Option<&'a Procedure>,
    pub procedure_title: &'a str,
    pub have: Vec<&'a str>,
    /// Items the online procedure needs that the visitor does not have.
    pub missing: Vec<&'a str>,
    pub priority: Option<&'a str>,
    pub language: Option<&'static str>,
    /// Waiting (or waited) since the ticket was issued.
    pub waited: String,
}

pub(crate) fn describe<'a>(row: &'a TicketRow, catalogue: &'a Catalogue, now_ms: i64) -> Described<'a> {
    let found = catalogue.find_procedure(&row.procedure);
    let procedure = found.map(|(_, p)| p);
    let missing = procedure
        .map(|p| p.ready.iter().filter(|id| !row.have.contains(id)).map(|id| have_label(catalogue, id)).collect())
        .unwrap_or_default();
    Described {
        row,
        theme: found.map_or(row.theme.as_str(), |(t, _)| t.title.as_str()),
        procedure,
        procedure_title: procedure.map_or(row.procedure.as_str(), |p| p.title.as_str()),
        have: row.have.iter().map(|id| have_label(catalogue, id)).collect(),
        missing,
        priority: row.priority.as_deref().and_then(|id| priority_label(catalogue, id)),
        language: language(row.lang),
        waited: duration(now_ms - row.issued_at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_slug_that_parses_back() {
        for action in ACTIONS {
            assert_eq!(action_from_slug(action_slug(action)), Some(action));
        }
        assert_eq!(action_from_slug("explode"), None);
        assert_eq!(action_button(Action::Call, Status::Called), "Rappeler");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(-5), "moins d'une minute");
        assert_eq!(duration(59_000), "moins d'une minute");
        assert_eq!(duration(12 * 60_000 + 5), "12 min");
        assert_eq!(duration(65 * 60_000), "1 h 05");
    }

    #[test]
    fn outcomes_are_known_values_only() {
        assert_eq!(outcome("redirected"), Some("Orienté ailleurs"));
        assert_eq!(outcome("autonomy"), Some("La personne sait faire seule maintenant"));
        assert_eq!(outcome("<script>"), None);
    }
}

//! The network's page (`/rapport/reseau`, with `[network]`): the figures every site of
//! the network sent for a span, drawn with the site report's charts (`report_view`): the
//! whole network (visits per site first), then site by site (key figures, visits per
//! month), or one site chosen in the form, with all its charts.

use super::paths;
use super::report_view::{self, Namer};
use crate::core::network::NetworkReport;
use crate::core::report::Report;
use crate::staff::access::guard::percent_encode;
use maud::{html, Markup};

pub(crate) const TITLE: &str = "Chiffres du réseau";

/// A span the page refuses.
pub(crate) const BAD_SPAN: &str =
    "Choisissez un début avant la fin, sur dix ans au plus (3660 jours). Sans date : cette année jusqu'à hier.";

/// Why the network's figures could not be read (the cause, in English, for the log).
#[derive(Debug)]
pub(crate) enum Unread {
    /// No answer in time (the server, or a read before this one, still silent).
    Silent,
    /// The server answered with a refusal (the role's rights, the tables).
    Refused(String),
    /// The server could not be reached (the network, its address, its certificate).
    Unreached(String),
    /// Something else went wrong here.
    Failed(String),
}

impl Unread {
    /// The cause, for the log.
    pub(crate) fn cause(&self) -> &str {
        match self {
            Unread::Silent => "no answer in time",
            Unread::Refused(cause) | Unread::Unreached(cause) | Unread::Failed(cause) => cause,
        }
    }

    /// What staff read: what is wrong, and what to do. `waited`: how long the page waited.
    pub(crate) fn said(&self, waited: std::time::Duration) -> String {
        let here = "Les chiffres de ce site restent dans son rapport d'activité.";
        match self {
            Unread::Silent => format!(
                "Le serveur du réseau ne répond pas (rien en {} secondes) : les chiffres des sites ne peuvent pas \
                 être lus maintenant. Réessayez dans quelques minutes ; si cela dure, prévenez la personne qui \
                 s'occupe du serveur du réseau. {here}",
                waited.as_secs()
            ),
            Unread::Refused(_) => format!(
                "Le serveur du réseau a répondu, mais refuse de donner les chiffres au compte de ce site (ses \
                 droits de lecture). Prévenez la personne qui administre la base du réseau (docs/SITE.md, \
                 section 5). {here}"
            ),
            Unread::Unreached(_) => format!(
                "La console n'arrive pas à joindre le serveur du réseau (connexion internet du bureau, adresse \
                 du serveur ou son certificat). Vérifiez que la connexion internet marche et réessayez ; si cela \
                 dure, prévenez la personne qui s'occupe du matériel ([network] dans guichet.toml). {here}"
            ),
            Unread::Failed(_) => {
                format!("La console n'a pas pu lire les chiffres du réseau. Réessayez dans un instant. {here}")
            }
        }
    }
}

/// The form: the span, and the site (`chosen`, "" for the whole network) among `sites`.
fn form(from: &str, to: &str, sites: &[&str], chosen: &str) -> Markup {
    let site = html! {
        div {
            label for="site" { "Site" }
            select #site name="site" {
                option value="" selected[chosen.is_empty()] { "Tout le réseau" }
                @for s in sites {
                    option value=(s) selected[*s == chosen] { (s) }
                }
            }
        }
    };
    report_view::span_form(paths::REPORT_NETWORK, from, to, site)
}

/// Why the figures are not shown (a span refused, the network out of reach), with the
/// form to try again.
pub(crate) fn problem(text: &str, from: &str, to: &str) -> Markup {
    html! {
        h1 { (TITLE) }
        p.notice.problem role="alert" { (text) }
        (form(from, to, &[], ""))
        p { a href=(paths::REPORT) { "Le rapport d'activité de ce site" } }
    }
}

/// The page: `chosen` is the site asked for ("" for the whole network).
pub(crate) fn body(r: &NetworkReport, chosen: &str, name: &Namer<'_>) -> Markup {
    let (from, to) = (r.all.from.to_string(), r.all.to.to_string());
    let query = format!("?from={from}&to={to}");
    let sites: Vec<&str> = r.sites.iter().map(|(s, _)| s.as_str()).collect();
    html! {
        h1 { (TITLE) }
        (form(&from, &to, &sites, chosen))
        p.no-print {
            a href={ (paths::REPORT_NETWORK_CSV) (query) } { "Télécharger le tableau de tous les sites (CSV)" }
            " · " a href={ (paths::REPORT_NETWORK_JSON) (query) } { "JSON" }
            " · Pour l'imprimer : Ctrl + P. · "
            a href=(paths::REPORT) { "Le rapport de ce site" }
        }
        (report_view::dates(&r.all))
        p { "Ce que chaque site a envoyé de ses journées finies (chaque heure) : la journée en cours n'y est pas." }
        @if chosen.is_empty() {
            (whole(r, &query, name))
        } @else {
            @match r.sites.iter().find(|(s, _)| s == chosen) {
                Some((site, report)) => { (one(site, report, name)) }
                None => { p.notice.problem role="status" { "« " (chosen) " » n'a envoyé aucun chiffre sur cette période." } }
            }
        }
    }
}

/// The whole network, then each site's key figures and visits per month.
fn whole(r: &NetworkReport, query: &str, name: &Namer<'_>) -> Markup {
    html! {
        h2 { "Tout le réseau" }
        (report_view::summary(&r.all))
        div.charts {
            (report_view::bars("Visites par site", &r.per_site, "site", name))
            (report_view::charts(&r.all, name, report_view::period(&r.all), false))
        }
        h2 { "Site par site" }
        @if r.sites.is_empty() {
            p { "Aucun site n'a envoyé de chiffres sur cette période." }
        } @else {
            table.sites {
                thead { tr { th { "Site" } th { "Tickets" } th { "Visites accompagnées" } th { "Absents" } th { "Attente médiane" } } }
                tbody {
                    @for (site, s) in &r.sites {
                        tr {
                            td data-label="Site" { a href={ (paths::REPORT_NETWORK) (query) "&site=" (percent_encode(site)) } { (site) } }
                            td data-label="Tickets" { (s.tickets) }
                            td data-label="Visites accompagnées" { (s.visits) }
                            td data-label="Absents" { (s.no_shows) }
                            td data-label="Attente médiane" { (median(s)) }
                        }
                    }
                }
            }
            h2 { "Visites par mois, site par site" }
            div.charts {
                @for (site, s) in &r.sites {
                    (report_view::columns(site, &s.per_month.0, &report_view::short_period))
                }
            }
        }
    }
}

fn median(r: &Report) -> String {
    r.wait.median_min.map_or_else(|| "pas mesurée".into(), |m| format!("{m} min"))
}

/// One site: its key figures and every chart (its visits per month: sites send days,
/// the network keeps months).
fn one(site: &str, r: &Report, name: &Namer<'_>) -> Markup {
    html! {
        h2 { (site) }
        (report_view::summary(r))
        div.charts { (report_view::charts(r, name, (&r.per_month, "Visites par mois"), false)) }
    }
}

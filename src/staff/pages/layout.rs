//! The page frame (header, style, live-update script), the login page and the short
//! message pages (refused, not found, technical problem). All text in plain French.

use crate::staff::access::auth::{Notice, Session};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// Large type, strong contrast (at least 7:1 for text), big targets, readable on a phone.
const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:20px/1.45 system-ui,"Atkinson Hyperlegible",sans-serif;color:#111;background:#fff}
header{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:center;justify-content:space-between;
 padding:.5em 1em;background:#0b2e59;color:#fff}
header a{color:#fff}
main{padding:1em;max-width:80em;margin:auto}
h1{font-size:1.6em;margin:.3em 0}h2{font-size:1.25em;margin:1em 0 .3em}
a{color:#0b3d91}
:focus-visible{outline:4px solid #b35c00;outline-offset:2px}
button,input,select{font:inherit;min-height:48px;padding:.3em .7em;border-radius:6px;max-width:100%}
input,select{border:2px solid #333;background:#fff;color:#111}
button{border:2px solid #0b2e59;background:#0b2e59;color:#fff;cursor:pointer;margin:.15em}
button.quiet,a.button.quiet{background:#fff;color:#0b2e59}
a.button{display:inline-flex;align-items:center;min-height:48px;padding:.3em .7em;margin:.15em;border-radius:6px;
 border:2px solid #0b2e59;background:#0b2e59;color:#fff;text-decoration:none}
fieldset{display:flex;flex-wrap:wrap;gap:.6em;border:2px solid #333;border-radius:6px;max-width:100%;min-width:0}
fieldset>div{max-width:100%;min-width:0}
legend{font-weight:bold;padding:0 .3em}
header button{background:#fff;color:#0b2e59;min-height:40px}
label{display:block;font-weight:bold}
form.line{display:flex;flex-wrap:wrap;gap:.6em;align-items:flex-end}form.line>div{max-width:100%}
form.stack{max-width:24em}form.stack input{width:100%;margin-bottom:.8em}
.notice{padding:.6em 1em;border-left:8px solid #1b5e20;background:#e8f5e9}
.notice.problem{border-color:#8b0000;background:#fdecea}
.counts{display:flex;flex-wrap:wrap;gap:.5em;padding:0;list-style:none}
.counts li{border:2px solid #333;border-radius:6px;padding:.2em .6em}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #666;padding:.4em;text-align:left;vertical-align:top}
.number{font-size:1.4em;font-weight:bold;white-space:nowrap}
.status{display:inline-block;padding:0 .4em;border-radius:4px;border:2px solid #111}
.status.called{background:#ffd54f}.status.in_service{background:#bbdefb}
.missing{color:#8b0000;font-weight:bold}
.priority{font-weight:bold;color:#4a148c}
.help{border:4px solid #8b0000;background:#fff1c2;color:#111;border-radius:8px;padding:.2em 1em;margin:.6em 0}
.alert{border:4px solid #8b0000;background:#fdecea;color:#111;border-radius:8px;padding:.6em 1em;margin:.6em 0}
.help ul{list-style:none;padding:0}.help li{display:flex;flex-wrap:wrap;gap:.6em;align-items:center;justify-content:space-between}
code.fingerprint{overflow-wrap:anywhere;font-size:.9em}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3em 1em}dt{font-weight:bold}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,26em),1fr));gap:1em}
figure.chart{margin:0;border:2px solid #333;border-radius:6px;padding:.5em 1em;break-inside:avoid}
figure.chart figcaption{font-weight:bold;font-size:1.1em;margin-bottom:.3em}
figure.chart svg{display:block;max-width:24em}
.top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5em}
.desk-grid{display:grid;grid-template-columns:minmax(0,17em) minmax(0,1fr);gap:0 1.5em;align-items:start}
.desk-grid h2{margin-top:.2em}
.desk{border:2px solid #0b2e59;border-radius:8px;padding:.2em .8em .6em}
.current{border-bottom:2px solid #666;padding-bottom:.4em;margin-bottom:.4em}
.current .who{margin:.2em 0;font-size:1.1em}
fieldset.ending button{flex:1 1 auto}
details.more,details.where{flex-basis:100%;min-width:0;max-width:100%}details .line>div{max-width:100%;min-width:0}details.more summary,details.where summary{cursor:pointer;min-height:32px;padding:.2em 0}
.rare{margin:.3em 0}.rare a.button{font-size:.9em}
.confirm{border:4px solid #8b0000;border-radius:8px;padding:.2em 1em .6em;margin:.6em 0}
.waiting table{font-size:.85em;table-layout:fixed}.waiting td,.waiting th{padding:.2em .4em}
.waiting th:nth-child(1){width:5.5em}.waiting th:nth-child(2){width:12em}.waiting th:nth-child(4){width:10.5em}
.waiting td{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.waiting .number{font-size:1.25em}.waiting .counts{margin:.2em 0}
.waiting td span+span::before{content:"· "}
.others{list-style:none;padding:0;margin:0}.others li{padding:.15em 0}
kbd{font:inherit;font-weight:bold;border:1px solid currentColor;border-radius:4px;padding:0 .25em}
.key,.keys-legend{display:none}
html.keys .key{display:inline}html.keys .keys-legend{display:block;font-size:.9em}
@media print{
 @page{size:A4 portrait;margin:12mm}
 body{font-size:11pt}header,.no-print{display:none!important}main{max-width:none;padding:0}
 .charts{grid-template-columns:1fr 1fr;gap:4mm}figure.chart{border-width:1px}
}
@media (max-width:1000px){
 .desk-grid{grid-template-columns:1fr}html.keys .keys-legend{display:none}
}
@media (max-width:760px),(hover:none) and (pointer:coarse){
 html.keys .key,html.keys .keys-legend{display:none}
}
@media (max-width:760px){
 body{font-size:18px}header{padding:.3em .6em;font-size:.9em}main{padding:.5em .6em}h1{font-size:1.4em}
 table,tbody,tr,td{display:block}thead{display:none}
 .waiting tr{display:flex;flex-wrap:wrap;gap:0 .8em;margin-bottom:.4em;padding:.3em .5em}
 .waiting td{padding:0;white-space:normal}.waiting td.request{flex-basis:100%}
 h1{margin:.1em 0}.top button{min-height:40px}.desk{padding:0 .5em .3em}form.line{gap:.3em}
 tr{border:2px solid #333;border-radius:8px;margin-bottom:.8em;padding:.4em}
 td{border:0;padding:.2em}td[data-label]::before{content:attr(data-label) " : ";font-weight:bold}
 dl{grid-template-columns:1fr}
}
"#;

/// What every page shares: this response's nonce, the site and who is logged in.
pub(crate) struct Chrome<'a> {
    pub nonce: &'a str,
    pub site: &'a str,
    pub staff: Option<&'a Session>,
    /// The site sends its figures to a network (`[network]`): its page is in the menu.
    pub network: bool,
}

/// A page's head: French text on any screen size, never indexed, `title`, and its one
/// style block (`css`) with this response's nonce.
pub(crate) fn head(title: &str, nonce: &str, css: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="robots" content="noindex";
            title { (title) }
            style nonce=(nonce) { (PreEscaped(css)) }
        }
    }
}

/// A full page. `live` adds the live-update script (the queue page only).
pub(crate) fn page(chrome: &Chrome<'_>, title: &str, live: bool, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            (head(&format!("{title} – {}", chrome.site), chrome.nonce, CSS))
            body {
                header {
                    strong { (chrome.site) " – accueil" }
                    @if let Some(staff) = chrome.staff {
                        nav aria-label="Pages de la console" {
                            a href="/" { "File d'attente" } " · "
                            @if staff.role == crate::store::Role::Admin {
                                a href=(super::paths::ADMIN) { "Comptes" } " · "
                                a href=(super::paths::JOURNAL) { "Journal" } " · "
                                a href=(super::paths::BOARD_ADMIN) { "Tableau" } " · "
                            }
                            a href=(super::paths::REPORT) { "Rapport" } " · "
                            @if chrome.network {
                                a href=(super::paths::REPORT_NETWORK) { "Réseau" } " · "
                            }
                            a href=(super::paths::HEALTH) { "État de la borne" }
                        }
                        form.line method="post" action="/logout" {
                            span { "Connecté : " (staff.name) }
                            input type="hidden" name="csrf" value=(staff.csrf);
                            button type="submit" { "Se déconnecter" }
                        }
                    }
                }
                main { (body) }
                @if live {
                    script nonce=(chrome.nonce) { (PreEscaped(super::script::LIVE_JS)) }
                }
            }
        }
    }
}

/// A confirmation or a problem, shown once at the top of a page.
pub(crate) fn notice(notice: Option<&Notice>) -> Markup {
    html! {
        @if let Some(n) = notice {
            p.notice.problem[n.problem] role="status" { (n.text) }
        }
    }
}

/// The short pages that only say what happened and where to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plain {
    Forbidden,
    AdminOnly,
    NotFound,
    TicketNotFound,
    BadRequest,
    /// A form body over `limits::MAX_BODY`.
    TooLarge,
    Unavailable,
}

impl Plain {
    /// What to show for a form that could not be read: too long, or not a form.
    pub fn form_refused(rejection: &axum::extract::rejection::FormRejection) -> Plain {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Plain::TooLarge
        } else {
            Plain::BadRequest
        }
    }
}

impl Plain {
    fn status(self) -> StatusCode {
        match self {
            Plain::Forbidden | Plain::AdminOnly => StatusCode::FORBIDDEN,
            Plain::NotFound | Plain::TicketNotFound => StatusCode::NOT_FOUND,
            Plain::BadRequest => StatusCode::BAD_REQUEST,
            Plain::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Plain::Unavailable => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Plain::Forbidden => "Action refusée",
            Plain::AdminOnly => "Réservé aux administrateurs",
            Plain::NotFound => "Page introuvable",
            Plain::TicketNotFound => "Ticket inconnu ou expiré",
            Plain::BadRequest => "Demande incomplète",
            Plain::TooLarge => "Formulaire trop long",
            Plain::Unavailable => "Problème technique",
        }
    }

    fn text(self) -> &'static str {
        match self {
            Plain::Forbidden => {
                "Rien n'a été fait : le formulaire a expiré ou ne vient pas de cette console. \
                 Rechargez la page et recommencez."
            }
            Plain::AdminOnly => {
                "Cette page sert à gérer les comptes et la borne. \
                 Demandez à la personne qui administre la console."
            }
            Plain::NotFound => "Cette adresse n'existe pas dans la console.",
            Plain::TicketNotFound => {
                "Ce ticket n'existe pas, ou il date d'un jour précédent. \
                 Demandez son numéro à la personne et cherchez-le dans la file d'attente."
            }
            Plain::BadRequest => "Il manque une information. Revenez en arrière et recommencez.",
            Plain::TooLarge => {
                "Ce formulaire est trop long pour la console : rien n'a été fait. \
                 Revenez en arrière, raccourcissez ce que vous avez écrit et recommencez."
            }
            Plain::Unavailable => {
                "La console n'a pas pu lire ou enregistrer les données. Réessayez dans un instant. \
                 Si le problème continue, prévenez la personne qui s'occupe du matériel."
            }
        }
    }
}

pub(crate) fn plain(chrome: &Chrome<'_>, which: Plain) -> Response {
    let body = html! {
        h1 { (which.title()) }
        p { (which.text()) }
        p { a href="/" { "Retour à la file d'attente" } }
    };
    (which.status(), page(chrome, which.title(), false, body)).into_response()
}

/// What the login form shows again after a refusal.
pub(crate) struct LoginForm<'a> {
    pub csrf: &'a str,
    pub next: &'a str,
    pub name: &'a str,
    pub problem: Option<String>,
}

pub(crate) fn login(chrome: &Chrome<'_>, form: &LoginForm<'_>) -> Markup {
    let body = html! {
        h1 { "Connexion" }
        p { "Connectez-vous pour voir la file d'attente et appeler les personnes." }
        @if let Some(problem) = &form.problem {
            p.notice.problem role="alert" { (problem) }
        }
        form.stack method="post" action="/login" {
            input type="hidden" name="csrf" value=(form.csrf);
            input type="hidden" name="next" value=(form.next);
            label for="name" { "Votre nom" }
            input type="text" id="name" name="name" value=(form.name) autocomplete="username" required autofocus
                maxlength=(crate::staff::access::auth::MAX_NAME);
            label for="password" { "Mot de passe" }
            input id="password" type="password" name="password" autocomplete="current-password" required;
            button type="submit" { "Se connecter" }
        }
    };
    page(chrome, "Connexion", false, body)
}

//! The kiosk's health as staff see it: an alert banner over the live queue when the
//! printer needs someone or a part has a lasting fault, and the page "État de la borne"
//! (version, uptime, printer, speech, free disk, faults, last error). `guichet serve` runs no kiosk: the page says so.

use super::layout::{self, Chrome};
use super::paths;
use crate::clock::Synced;
use crate::health::{Snapshot, SpeechHealth};
use maud::{html, Markup};
use std::time::{Duration, SystemTime};

const TITLE: &str = "État de la borne";

/// The banners shown above the queue while the printer needs someone, and one per
/// lasting fault of the kiosk (catalogue refused, disk full…); nothing otherwise.
pub(crate) fn printer_banner(snapshot: Option<&Snapshot>) -> Markup {
    html! {
        @if let Some(state) = snapshot.filter(|s| s.printer_alert()).and_then(|s| s.printer) {
            div.alert role="alert" data-alert="Imprimante" data-alert-id="printer" {
                strong { "Imprimante de la borne : " } (state.to_string()) "."
                " " a href=(paths::HEALTH) { "Voir l'état de la borne" }
            }
        }
        @for fault in snapshot.map(|s| s.faults.as_slice()).unwrap_or_default() {
            div.alert role="alert" data-alert="Borne" data-alert-id={ "fault-" (fault.part) } {
                strong { (part_name(fault.part)) " : " } (fault.problem.what)
                " " a href=(paths::HEALTH) { "Voir l'état de la borne" }
            }
        }
    }
}

/// The alerts' names in the tab's title, as `printer_banner` shows them.
pub(crate) fn alerts(snapshot: Option<&Snapshot>) -> Vec<&'static str> {
    let printer = snapshot.is_some_and(|s| s.printer_alert() && s.printer.is_some());
    let faults = snapshot.map_or(0, |s| s.faults.len());
    printer.then_some("Imprimante").into_iter().chain(std::iter::repeat_n("Borne", faults)).collect()
}

/// A fault's part as staff read it.
fn part_name(part: &str) -> &str {
    match part {
        "catalogue" => "Catalogue des démarches",
        "disk" => "Enregistrement des tickets",
        "console" => "Console du personnel",
        "site" => "File commune du site",
        other => other,
    }
}

/// The page "État de la borne": `kiosk` is the kiosk's health and the free disk space
/// (`None` without a kiosk in this process), `fingerprint` the certificate's under HTTPS.
pub(crate) fn page(
    chrome: &Chrome<'_>,
    kiosk: Option<(&Snapshot, Option<u64>)>,
    now_ms: i64,
    synced: &Synced,
    fingerprint: Option<&str>,
) -> Markup {
    let body = match kiosk {
        None => html! {
            h1 { (TITLE) }
            p { "Pas de borne dans ce processus : cette console tourne seule (guichet serve)." }
        },
        Some((snapshot, free)) => details(snapshot, free),
    };
    let body = html! { (body) (time_details(now_ms, synced)) (https_details(fingerprint)) };
    layout::page(chrome, TITLE, false, body)
}

/// The kiosk's time and whether the network set it (the Pi has no clock battery).
fn time_details(now_ms: i64, synced: &Synced) -> Markup {
    let now = chrono::DateTime::from_timestamp_millis(now_ms)
        .map(|t| t.with_timezone(&chrono::Local).format("%d/%m/%Y à %H:%M").to_string())
        .unwrap_or_default();
    html! {
        h2 { "Heure de la borne" }
        p {
            "Le " (now) ". "
            @match synced {
                Synced::Yes => { "Réglée par le réseau." }
                Synced::No => {
                    "Pas réglée par le réseau : les numéros restent justes, mais les heures des tickets "
                    "et du rapport suivent cette horloge. Si elle est fausse, un technicien lance « guichet doctor »."
                }
                Synced::Unknown(_) => { "On ne sait pas si elle est réglée par le réseau." }
            }
        }
    }
}

/// How staff reach the console, and the certificate's fingerprint to compare with the
/// browser's the first time.
fn https_details(fingerprint: Option<&str>) -> Markup {
    html! {
        h2 { "Connexion à la console" }
        @match fingerprint {
            Some(fingerprint) => {
                p { "Chiffrée (HTTPS). Empreinte SHA-256 du certificat, à comparer avec celle que montre le navigateur :" }
                p { code.fingerprint { (fingerprint) } }
            }
            None => p { "Non chiffrée (HTTP simple) : seulement sur cette machine, ou parce que la configuration le demande." },
        }
    }
}

fn details(s: &Snapshot, free_bytes: Option<u64>) -> Markup {
    html! {
        h1 { (TITLE) }
        (printer_banner(Some(s)))
        @for fault in &s.faults {
            p { "Depuis le " (when(fault.problem.at)) " (" (part_name(fault.part)) ")." }
        }
        dl {
            dt { "Version" } dd { (s.version) }
            dt { "En marche depuis" } dd { (duration(s.uptime)) }
            dt { "Imprimante" }
            dd {
                @match s.printer {
                    Some(state) => { (state.to_string()) }
                    None => { "Pas encore vérifiée" }
                }
                @if let Some(at) = s.printer_checked {
                    br; "Vérifiée le " (when(at))
                }
            }
            dt { "Voix" }
            dd {
                @match &s.speech {
                    SpeechHealth::Working => { "Fonctionne" }
                    SpeechHealth::Lost(why) => { "Perdue : " (why) ". La borne affiche le texte seul jusqu'au redémarrage." }
                    SpeechHealth::Absent => { "Pas de voix sur cette borne" }
                }
            }
            dt { "Espace libre" }
            dd {
                @match free_bytes {
                    Some(bytes) => { (megabytes(bytes)) }
                    None => { "Inconnu" }
                }
            }
            dt { "Dernière erreur" }
            dd {
                @match &s.last_error {
                    Some(p) => { (p.what) br; "le " (when(p.at)) }
                    None => { "Aucune depuis le démarrage" }
                }
            }
        }
    }
}

fn megabytes(bytes: u64) -> String {
    match bytes / 1_000_000 {
        mb @ 0..10_000 => format!("{mb} Mo"),
        mb => format!("{},{} Go", mb / 1000, mb % 1000 / 100),
    }
}

/// "2 j 3 h 05 min", "1 h 05 min", "12 min".
fn duration(d: Duration) -> String {
    let minutes = d.as_secs() / 60;
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes} min"),
        (0, h) => format!("{h} h {minutes:02} min"),
        (d, h) => format!("{d} j {h} h {minutes:02} min"),
    }
}

fn when(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Local>::from(at).format("%d/%m/%Y à %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes_read_plainly() {
        assert_eq!(duration(Duration::from_secs(12 * 60 + 5)), "12 min");
        assert_eq!(duration(Duration::from_secs(3900)), "1 h 05 min");
        assert_eq!(duration(Duration::from_secs(2 * 86_400 + 3 * 3600 + 5 * 60)), "2 j 3 h 05 min");
        assert_eq!(megabytes(420_000_000), "420 Mo");
        assert_eq!(megabytes(12_345_000_000), "12,3 Go");
    }

    #[test]
    fn the_time_says_whether_the_network_set_it() {
        let noon = 1_795_435_200_000; // 23/11/2026 at noon UTC
        let set = time_details(noon, &Synced::Yes).into_string();
        assert!(set.contains("23/11/2026") && set.contains("Réglée par le réseau"), "{set}");
        let unset = time_details(noon, &Synced::No).into_string();
        assert!(unset.contains("Pas réglée") && unset.contains("guichet doctor"), "{unset}");
        let unknown = time_details(noon, &Synced::Unknown("EPERM".into())).into_string();
        assert!(unknown.contains("On ne sait pas"), "{unknown}");
    }
}

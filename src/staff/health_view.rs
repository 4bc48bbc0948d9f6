//! The kiosk's health as staff see it: an alert banner over the live queue when the
//! printer needs someone or a part has a lasting fault, and the page "État de la borne"
//! (version, uptime, printer, speech, free disk, faults, last error). `guichet serve` runs no kiosk: the page says so.

use super::extract::Staff;
use super::pages;
use super::Console;
use crate::clock::Synced;
use crate::health::{Snapshot, SpeechHealth};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// The page's address (linked from the header).
pub(super) const PATH: &str = "/borne";

const TITLE: &str = "État de la borne";

/// The banners shown above the queue while the printer needs someone, and one per
/// lasting fault of the kiosk (catalogue refused, disk full…); nothing otherwise.
pub(super) fn printer_banner(snapshot: Option<&Snapshot>) -> Markup {
    html! {
        @if let Some(state) = snapshot.filter(|s| s.printer_alert()).and_then(|s| s.printer) {
            div.alert role="alert" {
                strong { "Imprimante de la borne : " } (state.to_string()) "."
                " " a href=(PATH) { "Voir l'état de la borne" }
            }
        }
        @for fault in snapshot.map(|s| s.faults.as_slice()).unwrap_or_default() {
            div.alert role="alert" {
                strong { (part_name(fault.part)) " : " } (fault.problem.what)
                " " a href=(PATH) { "Voir l'état de la borne" }
            }
        }
    }
}

/// A fault's part as staff read it.
fn part_name(part: &str) -> &str {
    match part {
        "catalogue" => "Catalogue des démarches",
        "disk" => "Enregistrement des tickets",
        "console" => "Console du personnel",
        other => other,
    }
}

/// What the banners say now (the live stream sends an event when it changes).
pub(super) fn alert_now(console: &Console) -> Option<String> {
    let snapshot = console.health.as_ref()?.snapshot();
    let printer = snapshot.printer_alert().then(|| snapshot.printer.map(|s| s.to_string())).flatten();
    let faults = snapshot.faults.iter().map(|f| f.problem.what.as_str());
    let all: Vec<String> = printer.into_iter().chain(faults.map(str::to_string)).collect();
    (!all.is_empty()).then(|| all.join("\n"))
}

pub(super) async fn page(State(console): State<Console>, staff: Staff) -> Response {
    let body = match &console.health {
        None => html! {
            h1 { (TITLE) }
            p { "Pas de borne dans ce processus : cette console tourne seule (guichet serve)." }
        },
        Some(health) => {
            let data_dir = console.store.path().parent().map(Path::to_path_buf);
            let free = match data_dir {
                Some(dir) => tokio::task::spawn_blocking(move || free_space(&dir)).await.ok().flatten(),
                None => None,
            };
            details(&health.snapshot(), free)
        }
    };
    let time = time_details(console.clock.now_ms(), &crate::clock::kernel_synced());
    let body = html! { (body) (time) (https_details(&console)) };
    pages::page(&staff.chrome(&console), TITLE, false, body).into_response()
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
fn https_details(console: &Console) -> Markup {
    html! {
        h2 { "Connexion à la console" }
        @match console.tls_fingerprint() {
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

/// Free bytes for an unprivileged process on the data directory's disk.
fn free_space(dir: &Path) -> Option<u64> {
    let s = nix::sys::statvfs::statvfs(dir).ok()?;
    // The statvfs fields are narrower than u64 on 32-bit targets.
    #[allow(clippy::useless_conversion)]
    let bytes = u64::from(s.blocks_available()).saturating_mul(u64::from(s.fragment_size()));
    Some(bytes)
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

//! "État de la borne" (`/borne`) and the printer alert's words for the live stream: the
//! kiosk's health read here, drawn by `pages::health_view`.

use super::console::Console;
use super::extract::Staff;
use crate::staff::pages::health_view;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use std::path::Path;

/// What the banners say now (the live stream sends an event when it changes).
pub(crate) fn alert_now(console: &Console) -> Option<String> {
    let snapshot = console.health.as_ref()?.snapshot();
    let printer = snapshot.printer_alert().then(|| snapshot.printer.map(|s| s.to_string())).flatten();
    let faults = snapshot.faults.iter().map(|f| f.problem.what.as_str());
    let all: Vec<String> = printer.into_iter().chain(faults.map(str::to_string)).collect();
    (!all.is_empty()).then(|| all.join("\n"))
}

pub(crate) async fn page(State(console): State<Console>, staff: Staff) -> Response {
    let kiosk = match &console.health {
        None => None,
        Some(health) => {
            let data_dir = console.store.path().parent().map(Path::to_path_buf);
            let free = match data_dir {
                Some(dir) => tokio::task::spawn_blocking(move || free_space(&dir)).await.ok().flatten(),
                None => None,
            };
            Some((health.snapshot(), free))
        }
    };
    let kiosk = kiosk.as_ref().map(|(snapshot, free)| (snapshot, *free));
    let synced = crate::clock::kernel_synced();
    health_view::page(&staff.chrome(&console), kiosk, console.clock.now_ms(), &synced, console.tls_fingerprint())
        .into_response()
}

/// Free bytes for an unprivileged process on the data directory's disk.
fn free_space(dir: &Path) -> Option<u64> {
    let s = nix::sys::statvfs::statvfs(dir).ok()?;
    // The statvfs fields are narrower than u64 on 32-bit targets.
    #[allow(clippy::useless_conversion)]
    let bytes = u64::from(s.blocks_available()).saturating_mul(u64::from(s.fragment_size()));
    Some(bytes)
}

//! The staff panel's facts (`ui/screens/staff.slint`): where the staff console listens and
//! its certificate's fingerprint, which staff compare with the one their browser shows
//! the first time it meets the kiosk's self-signed certificate.

use crate::ui::KioskApi;
use slint::Image;

/// The console this kiosk process runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleInfo {
    /// What phones on the office network open (`console.public_url`).
    pub address: String,
    /// SHA-256 of its certificate, "AB:CD:…"; `None` under plain HTTP.
    pub fingerprint: Option<String>,
}

/// A fingerprint on four lines of eight pairs: read and compared a line at a time.
pub fn fingerprint_lines(fingerprint: &str) -> String {
    let pairs: Vec<&str> = fingerprint.split(':').collect();
    pairs.chunks(8).map(|line| line.join(":")).collect::<Vec<_>>().join("\n")
}

/// Puts `info` on the panel (`None`: no console in this process).
pub(super) fn show(api: &KioskApi<'_>, info: Option<&ConsoleInfo>) {
    let Some(info) = info else {
        api.set_console_address(Default::default());
        api.set_console_fingerprint(Default::default());
        return;
    };
    api.set_console_address(info.address.as_str().into());
    api.set_console_fingerprint(info.fingerprint.as_deref().map(fingerprint_lines).unwrap_or_default().into());
    if let Some(pixels) = super::ticket::qr_pixels(&info.address, 8) {
        api.set_console_qr(Image::from_rgb8(pixels));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_fingerprint_is_shown_on_four_lines_of_eight_pairs() {
        let f = (0..32).map(|i| format!("{i:02X}")).collect::<Vec<_>>().join(":");
        let lines = super::fingerprint_lines(&f);
        let lines: Vec<&str> = lines.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], "00:01:02:03:04:05:06:07");
        assert_eq!(lines[3], "18:19:1A:1B:1C:1D:1E:1F");
    }
}

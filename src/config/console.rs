//! `[console]`: where the staff console listens and how phones reach it.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleSection {
    pub bind: String,
    /// Address phones on the office network use to reach the console (put in QR codes).
    pub public_url: String,
    pub session_minutes: u32,
}

impl Default for ConsoleSection {
    fn default() -> Self {
        ConsoleSection {
            bind: "127.0.0.1:8080".into(),
            public_url: "http://127.0.0.1:8080".into(),
            session_minutes: 480,
        }
    }
}

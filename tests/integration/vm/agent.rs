//! qemu's guest agent (qemu-guest-agent in the test image, over a virtio serial port): runs
//! a command inside the guest and returns its output, as a technician's SSH session would.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

/// A connection synchronised with the agent (stale answers of an earlier client skipped).
fn connect(socket: &Path) -> Option<(BufReader<UnixStream>, UnixStream)> {
    let stream = UnixStream::connect(socket).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut writer = stream;
    let id = rand_id();
    // 0xFF flushes the agent's parser (guest-sync-delimited, as the agent's docs advise).
    writer.write_all(&[0xff]).ok()?;
    writeln!(writer, "{}", json!({"execute": "guest-sync-delimited", "arguments": {"id": id}})).ok()?;
    loop {
        let mut buf = Vec::new();
        if reader.read_until(b'\n', &mut buf).ok()? == 0 {
            return None;
        }
        let text = String::from_utf8_lossy(&buf);
        let text = text.trim_start_matches('\u{fffd}').trim_start_matches('\u{ff}');
        if let Ok(v) = serde_json::from_str::<Value>(text.trim()) {
            if v["return"] == json!(id) {
                reader.get_ref().set_read_timeout(Some(Duration::from_secs(60))).ok()?;
                return Some((reader, writer));
            }
        }
    }
}

fn rand_id() -> u64 {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    (t.as_nanos() as u64) & 0xffff_ffff
}

fn call(link: &mut (BufReader<UnixStream>, UnixStream), execute: &str, arguments: Value) -> Option<Value> {
    writeln!(link.1, "{}", json!({"execute": execute, "arguments": arguments})).ok()?;
    let mut line = String::new();
    link.0.read_line(&mut line).ok()?;
    let v: Value = serde_json::from_str(&line).ok()?;
    v.get("return").cloned()
}

/// Whether the agent answers (the guest is up).
pub fn ping(socket: &Path) -> bool {
    connect(socket).is_some_and(|mut link| call(&mut link, "guest-ping", json!({})).is_some())
}

/// Starts `script` inside the guest and does not wait for it (a reboot or a power-off
/// ends the agent before it could answer).
pub fn spawn(socket: &Path, script: &str) {
    let mut link = connect(socket).unwrap_or_else(|| panic!("the guest agent does not answer (for: {script})"));
    let args = json!({"path": "/bin/sh", "arg": ["-c", script]});
    assert!(call(&mut link, "guest-exec", args).is_some(), "the guest agent could not start: {script}");
}

/// Runs `script` with /bin/sh inside the guest, as root, within `limit`.
pub fn run(socket: &Path, script: &str, limit: Duration) -> (i64, String, String) {
    try_run(socket, script, limit).unwrap_or_else(|why| panic!("{why}"))
}

/// `run`, or why not (no agent, or the command outlived `limit`): for a guest that may be
/// going down for a reboot meanwhile.
pub fn try_run(socket: &Path, script: &str, limit: Duration) -> Result<(i64, String, String), String> {
    let started = Instant::now();
    let mut link = loop {
        if let Some(link) = connect(socket) {
            break link;
        }
        if started.elapsed() >= limit {
            return Err(format!("the guest agent does not answer (for: {script})"));
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    let args = json!({"path": "/bin/sh", "arg": ["-c", script], "capture-output": true});
    let pid = call(&mut link, "guest-exec", args).and_then(|v| v["pid"].as_i64());
    let pid = pid.ok_or_else(|| format!("the guest agent could not start: {script}"))?;
    loop {
        let status = call(&mut link, "guest-exec-status", json!({ "pid": pid })).unwrap_or_default();
        if status["exited"] == json!(true) {
            let text = |key: &str| {
                let data = status[key].as_str().unwrap_or_default();
                String::from_utf8_lossy(&decode64(data)).to_string()
            };
            return Ok((status["exitcode"].as_i64().unwrap_or(-1), text("out-data"), text("err-data")));
        }
        if started.elapsed() >= limit {
            return Err(format!("{script:?} still running after {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// Standard base64 (the agent's encoding of command output).
fn decode64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    digits
        .chunks(4)
        .flat_map(|c| {
            let n = c.iter().enumerate().fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(c.len().saturating_sub(1))
        })
        .collect()
}

#[test]
fn base64_decodes() {
    assert_eq!(decode64("aGVsbG8="), b"hello");
    assert_eq!(decode64("aGk="), b"hi");
    assert_eq!(decode64("YWJj"), b"abc");
}

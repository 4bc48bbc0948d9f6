//! `guichet board --follow URL`: the board of a kiosk elsewhere on the network (a second
//! Pi by the waiting-room TV), read from that kiosk's live stream `/board/events`, over
//! HTTPS pinned to its certificate's fingerprint. It shows the last calls silently at
//! first, then hears every new call in order; when the link drops it says so on screen
//! and comes back where it left off (no call skipped, none said twice).

use super::pinned;
use super::sse::{SseEvent, SseReader};
use crate::core::lang::Lang;
use crate::store::BoardCall;
use axum::http::{header, Request, StatusCode, Uri};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use std::time::Duration;

/// Longest wait for a connection or an answer.
const CONNECT: Duration = Duration::from_secs(10);
/// The kiosk sends a keep-alive every 15 s: this long without a byte is a dead link.
const SILENCE: Duration = Duration::from_secs(45);
/// Waits between tries after a failure: 1 s, doubling, at most 30 s.
const RETRY_MAX: Duration = Duration::from_secs(30);

/// What the board hears from the kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// A call made before the board connected: shown, not said.
    Shown(BoardCall),
    /// A new call: announced.
    Call(BoardCall),
    /// The stream is open (again).
    Connected,
    /// The link is down; the board tries again.
    Lost(String),
}

/// Where the calls come from: the board address an administrator gives on the console.
#[derive(Clone)]
pub struct Source {
    host: String,
    port: u16,
    /// "host:port" as the address gives it (IPv6 in brackets), for the Host header.
    authority: String,
    /// `/…/board/events?key=…`, without the position.
    events: String,
    /// Trusts the kiosk's certificate only (its fingerprint).
    tls: Arc<rustls::ClientConfig>,
    /// The address without its key, for messages.
    pub shown: String,
}

impl Source {
    /// `url`: "https://kiosk.local:8443/board?key=…" (the console's board page); `fingerprint`:
    /// the kiosk's certificate's. Plain HTTP is refused: the key and the calls would cross
    /// the network readable, and nothing would prove the answer comes from the kiosk.
    pub fn parse(url: &str, fingerprint: Option<&str>) -> Result<Source, String> {
        let fix = "give the board address the console shows on its page \"Tableau d'appel\" \
                   (https://…/board?key=…)";
        let uri: Uri = url.trim().parse().map_err(|_| format!("\"{url}\" is not an address: {fix}"))?;
        let host = uri.host().ok_or_else(|| format!("\"{url}\" names no machine: {fix}"))?;
        let authority = uri.authority().map_or(host, |a| a.as_str()).to_string();
        let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
        let path = uri.path().trim_end_matches('/');
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") => {
                return Err(format!(
                    "\"http://{authority}{path}\" is plain HTTP, which a board does not follow (the key and \
                     the calls would cross the network readable, and any machine could answer): write \
                     https://{authority}{path}?key=… (the address the console shows) and add --fingerprint \
                     SHA256, the kiosk's certificate fingerprint as its `guichet doctor` prints it on its \
                     https line"
                ))
            }
            _ => return Err(format!("\"{url}\" does not start with https://: {fix}")),
        }
        if !path.ends_with("/board") {
            return Err(format!("\"{url}\" is not a board address (it should end with /board?key=…): {fix}"));
        }
        let key = uri.query().unwrap_or("").split('&').find_map(|p| p.strip_prefix("key="));
        let key = key.filter(|k| !k.is_empty()).ok_or_else(|| format!("\"{url}\" has no key=…: {fix}"))?;
        let Some(fingerprint) = fingerprint else {
            return Err("an https board address needs the kiosk's certificate fingerprint: add \
                        --fingerprint AB:CD:… (the kiosk's `guichet doctor` prints it on its https line)"
                .into());
        };
        let tls = pinned::client_config(pinned::parse_fingerprint(fingerprint)?).map_err(|e| e.to_string())?;
        Ok(Source {
            port: uri.port_u16().unwrap_or(443),
            events: format!("{path}/events?key={key}"),
            shown: format!("https://{authority}{path}"),
            authority,
            host,
            tls,
        })
    }
}

/// Follows `source` on a thread of its own, for as long as the process runs; `heard` gets
/// everything in order.
pub fn follow(source: Source, mut heard: impl FnMut(Heard) + Send + 'static) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    std::thread::Builder::new().name("board-follow".into()).spawn(move || {
        runtime.block_on(async move {
            let mut after = None;
            let mut wait = Duration::from_secs(1);
            loop {
                let was = after;
                let why = match session(&source, &mut after, &mut heard).await {
                    Ok(()) => "the kiosk closed the stream".to_string(),
                    Err(why) => why,
                };
                heard(Heard::Lost(why));
                // A session that heard something starts the waits again from 1 s.
                wait = if after != was { Duration::from_secs(1) } else { (wait * 2).min(RETRY_MAX) };
                tokio::time::sleep(wait).await;
            }
        })
    })?;
    Ok(())
}

async fn within<T, E: std::fmt::Display>(
    what: &str,
    future: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(CONNECT, future).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(format!("{what}: {e}")),
        Err(_) => Err(format!("{what}: no answer within {} s", CONNECT.as_secs())),
    }
}

/// One connection: returns when it ends. `after`: the newest call heard (`None` before
/// the first connection, which asks for the last calls to show).
async fn session(source: &Source, after: &mut Option<i64>, heard: &mut impl FnMut(Heard)) -> Result<(), String> {
    let tcp =
        within("cannot reach the kiosk", tokio::net::TcpStream::connect((source.host.as_str(), source.port))).await?;
    let _ = tcp.set_nodelay(true);
    let name = rustls::pki_types::ServerName::try_from(source.host.clone()).map_err(|e| e.to_string())?;
    let connector = tokio_rustls::TlsConnector::from(source.tls.clone());
    let io =
        within("secure connection refused (is the fingerprint the kiosk's?)", connector.connect(name, tcp)).await?;
    let (mut sender, connection) = within("HTTP", hyper::client::conn::http1::handshake(TokioIo::new(io))).await?;
    tokio::spawn(connection);
    let path = match after {
        None => format!("{}&recent=1", source.events),
        Some(id) => format!("{}&after={id}", source.events),
    };
    let request = Request::get(path)
        .header(header::HOST, source.authority.as_str())
        .header(header::ACCEPT, "text/event-stream")
        .body(Empty::<Bytes>::new())
        .map_err(|e| e.to_string())?;
    let response = within("the kiosk did not answer", sender.send_request(request)).await?;
    match response.status() {
        StatusCode::OK => {}
        StatusCode::NOT_FOUND => {
            return Err("the kiosk knows no board with this key (an administrator may have made a new one)".into())
        }
        StatusCode::NO_CONTENT => return Err("the kiosk serves too many boards with this key already".into()),
        other => return Err(format!("the kiosk answered {other}")),
    }
    heard(Heard::Connected);
    let mut body = response.into_body();
    let mut reader = SseReader::default();
    loop {
        let frame = match tokio::time::timeout(SILENCE, body.frame()).await {
            Err(_) => return Err(format!("nothing from the kiosk for {} s", SILENCE.as_secs())),
            Ok(None) => return Ok(()),
            Ok(Some(Err(e))) => return Err(format!("the stream broke: {e}")),
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(bytes) = frame.into_data() else { continue };
        for event in reader.feed(&bytes) {
            if let Some(h) = understood(&event, after) {
                heard(h);
            }
        }
    }
}

/// What an event means for the board; `after` moves past each call.
fn understood(event: &SseEvent, after: &mut Option<i64>) -> Option<Heard> {
    let json: serde_json::Value = serde_json::from_str(&event.data).ok()?;
    if event.name == "ready" {
        *after = Some(json["after"].as_i64()?.max(after.unwrap_or(0)));
        return None;
    }
    let call = BoardCall {
        id: json["id"].as_i64()?,
        at: 0,
        number: json["number"].as_str()?.to_string(),
        desk: json["desk"].as_str()?.to_string(),
        // The announcement's languages: French, then the visitor's when it is another.
        lang: json["langs"].as_array()?.last()?.as_str().and_then(Lang::from_code).unwrap_or_default(),
    };
    // Never the same call twice (a stream resumed a little early).
    if after.is_some_and(|a| call.id <= a) {
        return None;
    }
    *after = Some(call.id);
    match event.name.as_str() {
        "shown" => Some(Heard::Shown(call)),
        "call" => Some(Heard::Call(call)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FP: &str = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

    #[test]
    fn the_console_board_address_is_understood_and_mistakes_say_what_to_give() {
        let s = Source::parse("https://guichet.local:8443/board?key=Ab-9_x", Some(FP)).unwrap();
        assert_eq!((s.host.as_str(), s.port, s.events.as_str()), ("guichet.local", 8443, "/board/events?key=Ab-9_x"));
        assert_eq!(s.shown, "https://guichet.local:8443/board", "the key stays out of messages");
        let s = Source::parse("https://[::1]/kiosque/board/?lang=fr&key=k", Some(FP)).unwrap();
        assert_eq!((s.host.as_str(), s.port, s.events.as_str()), ("::1", 443, "/kiosque/board/events?key=k"));
        assert_eq!(s.authority, "[::1]");
        for (url, fp, says) in [
            // Plain HTTP is refused, with or without a fingerprint (it would be dropped).
            ("http://g.local:8080/board?key=k", None, "https://g.local:8080/board?key=…"),
            ("http://g.local:8080/board?key=k", Some(FP), "--fingerprint"),
            ("http://g.local/board?key=k", Some(FP), "guichet doctor"),
            ("https://g.local/board?key=k", None, "--fingerprint"),
            ("https://g.local/board?key=k", Some("AB:CD"), "guichet doctor"),
            ("ftp://g.local/board?key=k", None, "https://"),
            ("https://g.local/queue?key=k", Some(FP), "/board?key="),
            ("https://g.local/board", Some(FP), "no key"),
            ("not an address at all", None, "Tableau d'appel"),
        ] {
            let e = Source::parse(url, fp).err().unwrap();
            assert!(e.contains(says), "{url}: {e}");
        }
    }

    fn event(name: &str, data: &str) -> SseEvent {
        SseEvent { name: name.into(), data: data.into(), id: None }
    }

    #[test]
    fn calls_are_heard_once_in_order_and_the_visitor_language_is_the_last() {
        let mut after = None;
        let shown =
            understood(&event("shown", r#"{"id":4,"number":"A-004","desk":"Bureau 1","langs":["fr"]}"#), &mut after);
        assert!(matches!(shown, Some(Heard::Shown(ref c)) if c.number == "A-004" && c.lang == Lang::Fr));
        assert_eq!(understood(&event("ready", r#"{"after":4}"#), &mut after), None);
        assert_eq!(after, Some(4));
        let call = understood(
            &event("call", r#"{"id":5,"number":"B-001","desk":"Salle Marianne","langs":["fr","uk"]}"#),
            &mut after,
        );
        assert!(
            matches!(call, Some(Heard::Call(ref c)) if c.id == 5 && c.desk == "Salle Marianne" && c.lang == Lang::Uk)
        );
        // The same call again, or an older one, is not heard twice; nonsense is ignored.
        assert_eq!(
            understood(&event("call", r#"{"id":5,"number":"B-001","desk":"x","langs":["fr"]}"#), &mut after),
            None
        );
        assert_eq!(understood(&event("call", "not json"), &mut after), None);
        assert_eq!(understood(&event("call", r#"{"id":6}"#), &mut after), None);
        assert_eq!(after, Some(5));
    }
}

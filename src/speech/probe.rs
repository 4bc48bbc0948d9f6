//! Is speech-dispatcher answering? Its client library (libspeechd, the `speech-dispatcher` crate)
//! waits for ever when a server accepts the connection and then says nothing (seen: a
//! stuck speech-dispatcher made `guichet doctor` hang). Before handing over, we open the
//! same socket ourselves and ask one SSIP question under a time limit. Nothing listening
//! is not our verdict to give: the library then starts a server itself (autospawn).

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

/// speech-dispatcher accepted the connection but did not answer in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silent {
    /// The socket asked.
    pub socket: PathBuf,
    pub waited: Duration,
}

impl Silent {
    /// For the technician (`guichet doctor`, in English like the rest of it).
    pub fn en(&self) -> String {
        format!(
            "speech-dispatcher at {} accepted the connection but did not answer within {} s: \
             restart it (sudo systemctl restart guichet starts a new one)",
            self.socket.display(),
            self.waited.as_secs_f32()
        )
    }

    /// For staff (the console's "État de la borne", in French like the rest of it).
    pub fn fr(&self) -> String {
        format!(
            "speech-dispatcher ({}) accepte la connexion mais ne répond pas en {} s : \
             redémarrez la borne (sudo systemctl restart guichet)",
            self.socket.display(),
            self.waited.as_secs_f32()
        )
    }
}

/// The socket libspeechd would use: `SPEECHD_ADDRESS=unix_socket:PATH`, else
/// `$XDG_RUNTIME_DIR/speech-dispatcher/speechd.sock`, else the same under `~/.cache`
/// (GLib's runtime folder fallback). `None`: a TCP address, not probed.
pub fn socket() -> Option<PathBuf> {
    socket_from(
        std::env::var("SPEECHD_ADDRESS").ok().as_deref(),
        std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
        std::env::var_os("HOME").map(PathBuf::from),
    )
}

fn socket_from(address: Option<&str>, runtime: Option<PathBuf>, home: Option<PathBuf>) -> Option<PathBuf> {
    match address.map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) if a.starts_with("inet_socket") => None,
        Some(a) if a.starts_with("unix_socket:") => Some(PathBuf::from(&a["unix_socket:".len()..])),
        _ => {
            let base = runtime.filter(|r| r.is_absolute()).or_else(|| Some(home?.join(".cache")))?;
            Some(base.join("speech-dispatcher/speechd.sock"))
        }
    }
}

/// Asks speech-dispatcher's socket one question (`SET SELF CLIENT_NAME`), waiting at most
/// about `limit` for the reply. Ok when it answers, when nothing listens there (the
/// library will start a server or fail by itself, quickly) or for a TCP address.
pub fn probe(limit: Duration) -> Result<(), Silent> {
    match socket() {
        Some(path) => probe_at(path, limit),
        None => Ok(()),
    }
}

pub fn probe_at(socket: PathBuf, limit: Duration) -> Result<(), Silent> {
    let Ok(mut stream) = UnixStream::connect(&socket) else { return Ok(()) };
    let silent = Silent { socket, waited: limit };
    let timed = stream.set_read_timeout(Some(limit)).and_then(|()| stream.set_write_timeout(Some(limit)));
    if timed.is_err() || stream.write_all(b"SET SELF CLIENT_NAME \"guichet:guichet:probe\"\r\n").is_err() {
        return Err(silent);
    }
    // One line such as "208 OK CLIENT NAME SET" (a "NNN-" line continues).
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    let answered = loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(1..) if line.as_bytes().get(3) == Some(&b'-') => continue,
            Ok(1..) => break line.len() > 3 && line.as_bytes()[..3].iter().all(u8::is_ascii_digit),
            _ => break false,
        }
    };
    if !answered {
        return Err(silent);
    }
    let _ = stream.write_all(b"QUIT\r\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixListener;
    use std::time::Instant;

    #[test]
    fn the_socket_is_found_where_libspeechd_looks() {
        let home = Some(PathBuf::from("/home/kiosk"));
        let run = Some(PathBuf::from("/run/user/1000"));
        let at = |a: Option<&str>, r: Option<PathBuf>| socket_from(a, r, home.clone());
        assert_eq!(at(Some("unix_socket:/tmp/s.sock"), run.clone()), Some("/tmp/s.sock".into()));
        assert_eq!(at(Some("inet_socket:127.0.0.1:6560"), run.clone()), None);
        assert_eq!(at(None, run), Some("/run/user/1000/speech-dispatcher/speechd.sock".into()));
        assert_eq!(at(Some(""), None), Some("/home/kiosk/.cache/speech-dispatcher/speechd.sock".into()));
    }

    /// A stand-in speech-dispatcher on a socket: answers the greeting, or stays silent.
    fn stand_in(dir: &std::path::Path, answers: bool) -> PathBuf {
        let path = dir.join(if answers { "answers.sock" } else { "silent.sock" });
        let listener = UnixListener::bind(&path).unwrap();
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            for mut conn in listener.incoming().flatten() {
                if answers {
                    let mut line = String::new();
                    let _ = BufReader::new(&conn).read_line(&mut line);
                    let _ = conn.write_all(b"208 OK CLIENT NAME SET\r\n");
                }
                kept.push(conn);
            }
        });
        path
    }

    #[test]
    fn a_server_that_accepts_and_never_answers_is_found_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let limit = Duration::from_millis(300);
        let silent = stand_in(dir.path(), false);
        let started = Instant::now();
        let got = probe_at(silent.clone(), limit);
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        assert_eq!(got, Err(Silent { socket: silent, waited: limit }));
        assert!(got.unwrap_err().en().contains("did not answer within 0.3 s"));
        assert_eq!(probe_at(stand_in(dir.path(), true), limit), Ok(()));
        // Nothing there: the library's own start (or quick failure) decides.
        assert_eq!(probe_at(dir.path().join("none.sock"), limit), Ok(()));
    }
}

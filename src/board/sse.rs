//! Reads a server-sent event stream (the board's `/board/events`) as it arrives, in pieces
//! cut anywhere: lines end with LF, CRLF or CR; `:` lines are comments (keep-alives); an
//! empty line ends an event. No IO here.

/// One event: its name (`message` when none is given), its data lines joined with LF,
/// and its id when it carries one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub name: String,
    pub data: String,
    pub id: Option<String>,
}

/// Longest line kept: a longer one is a broken or hostile stream, not a board call.
const MAX_LINE: usize = 64 * 1024;

#[derive(Debug, Default)]
pub struct SseReader {
    line: Vec<u8>,
    /// The last byte seen was a CR (an LF right after it ends nothing more).
    after_cr: bool,
    name: String,
    data: Vec<String>,
    id: Option<String>,
}

impl SseReader {
    /// Adds the bytes that came in; returns the events they complete, in order.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        let mut done = Vec::new();
        for &b in bytes {
            let after_cr = std::mem::replace(&mut self.after_cr, b == b'\r');
            match b {
                b'\n' if after_cr => {}
                b'\n' | b'\r' => {
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.line_ended(&String::from_utf8_lossy(&line)) {
                        done.push(event);
                    }
                }
                _ if self.line.len() < MAX_LINE => self.line.push(b),
                _ => {}
            }
        }
        done
    }

    fn line_ended(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            let name = std::mem::take(&mut self.name);
            let data = std::mem::take(&mut self.data);
            if data.is_empty() {
                return None;
            }
            let name = if name.is_empty() { "message".to_string() } else { name };
            return Some(SseEvent { name, data: data.join("\n"), id: self.id.clone() });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => self.name = value.to_string(),
            "data" => self.data.push(value.to_string()),
            "id" if !value.contains('\0') => self.id = Some(value.to_string()),
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str =
        ": keep-alive\r\nevent: call\r\nid: 7\r\ndata: {\"n\":1}\r\n\r\nevent:call\nid:8\ndata: a\ndata: b\n\n";

    fn expected() -> Vec<SseEvent> {
        vec![
            SseEvent { name: "call".into(), data: "{\"n\":1}".into(), id: Some("7".into()) },
            SseEvent { name: "call".into(), data: "a\nb".into(), id: Some("8".into()) },
        ]
    }

    #[test]
    fn events_come_out_whole_however_the_stream_is_cut() {
        let bytes = STREAM.as_bytes();
        for size in 1..=bytes.len() {
            let mut reader = SseReader::default();
            let events: Vec<SseEvent> = bytes.chunks(size).flat_map(|c| reader.feed(c)).collect();
            assert_eq!(events, expected(), "pieces of {size} bytes");
        }
    }

    #[test]
    fn comments_and_empty_events_give_nothing_and_a_bare_cr_ends_a_line() {
        let mut reader = SseReader::default();
        assert!(reader.feed(b":ping\n\n\n").is_empty());
        let events = reader.feed(b"data: x\r\r");
        assert_eq!(events, vec![SseEvent { name: "message".into(), data: "x".into(), id: None }]);
        // A line longer than the limit is cut, not kept growing.
        let long = vec![b'd'; MAX_LINE * 2];
        assert!(reader.feed(&long).is_empty());
        assert!(reader.line.len() <= MAX_LINE);
    }

    #[test]
    fn a_multibyte_character_split_between_pieces_is_kept() {
        let text = "event: call\ndata: Salle Hélène — bureau 2\n\n".as_bytes();
        let cut = text.iter().position(|&b| b >= 0x80).unwrap() + 1;
        let mut reader = SseReader::default();
        assert!(reader.feed(&text[..cut]).is_empty());
        let events = reader.feed(&text[cut..]);
        assert_eq!(events[0].data, "Salle Hélène — bureau 2");
    }
}

//! Property tests of what comes back over a wire: the board's event stream as another Pi
//! reads it (`board::sse`), cut anywhere and sprinkled with comments and unknown fields,
//! and the printer's ESC/POS status replies (`hardware::printer_status`), any byte, late
//! or missing.

use crate::props::cases;
use guichet::board::sse::{SseEvent, SseReader};
use guichet::hardware::printer_status::{self, PrinterState, Status};
use guichet::hardware::transport::{Job, Port};
use proptest::prelude::*;
use std::io;
use std::time::Duration;

/// A field's value: no line break (a stream cannot carry one inside a line).
fn value() -> impl Strategy<Value = String> {
    "[^\r\n]{0,12}"
}

#[derive(Debug, Clone)]
struct Sent {
    name: Option<String>,
    id: Option<String>,
    data: Vec<String>,
}

fn sent() -> impl Strategy<Value = Sent> {
    (proptest::option::of(value()), proptest::option::of(value()), proptest::collection::vec(value(), 0..4))
        .prop_map(|(name, id, data)| Sent { name, id, data })
}

/// `field: value`, or `field:value` when that reads the same (no leading space to lose).
fn line(field: &str, value: &str, tight: bool) -> String {
    if tight && !value.starts_with(' ') {
        format!("{field}:{value}")
    } else {
        format!("{field}: {value}")
    }
}

/// The stream a server would send for `events`, each line ended by `ends` in turn,
/// with comments and fields a reader must skip.
fn stream(events: &[Sent], ends: &[&str], extras: bool) -> Vec<u8> {
    let mut lines = Vec::new();
    for (k, e) in events.iter().enumerate() {
        let tight = k % 2 == 1;
        if extras {
            lines.extend([": keep-alive".to_string(), line("retry", "3000", tight)]);
        }
        lines.extend(e.name.iter().map(|n| line("event", n, tight)));
        lines.extend(e.id.iter().map(|i| line("id", i, tight)));
        lines.extend(e.data.iter().map(|d| line("data", d, tight)));
        lines.push(String::new());
    }
    let mut out = Vec::new();
    for (k, l) in lines.iter().enumerate() {
        out.extend_from_slice(l.as_bytes());
        // CR then LF is one line end: an empty line after a CR ends with CR or CRLF.
        let end = match ends[k % ends.len()] {
            "\n" if l.is_empty() && out.last() == Some(&b'\r') => "\r\n",
            end => end,
        };
        out.extend_from_slice(end.as_bytes());
    }
    out
}

/// What the reader must make of `events` (the event-stream rules): an event without
/// data is none; a missing name is `message`; the last id holds until another comes.
fn expected(events: &[Sent]) -> Vec<SseEvent> {
    let mut last_id = None;
    let mut out = Vec::new();
    for e in events {
        if let Some(id) = e.id.as_ref().filter(|i| !i.contains('\0')) {
            last_id = Some(id.clone());
        }
        if !e.data.is_empty() {
            let name = e.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "message".into());
            out.push(SseEvent { name, data: e.data.join("\n"), id: last_id.clone() });
        }
    }
    out
}

/// What a printer does when asked: answers a byte, stays silent, or is unplugged.
#[derive(Debug, Clone, Copy)]
enum Reply {
    Byte(u8),
    Silent,
    Unplugged,
}

/// A printer port that answers each query with the next scripted reply.
struct Scripted(Vec<Reply>);

impl Port for Scripted {
    fn send(&mut self, _job: &Job) -> io::Result<()> {
        Ok(())
    }
    fn ask(&mut self, _query: &[u8], _timeout: Duration) -> io::Result<Option<u8>> {
        match (!self.0.is_empty()).then(|| self.0.remove(0)) {
            Some(Reply::Byte(b)) => Ok(Some(b)),
            Some(Reply::Unplugged) => Err(io::Error::new(io::ErrorKind::BrokenPipe, "unplugged")),
            Some(Reply::Silent) | None => Ok(None),
        }
    }
    fn describe(&self) -> String {
        "scripted".into()
    }
}

fn reply() -> impl Strategy<Value = Reply> {
    prop_oneof![
        4 => any::<u8>().prop_map(Reply::Byte),
        // A status byte (fixed bits right), the meaningful bits at random.
        4 => any::<u8>().prop_map(|b| Reply::Byte(0x12 | (b & 0b0110_1100))),
        1 => Just(Reply::Silent),
        1 => Just(Reply::Unplugged),
    ]
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn board_events_come_out_whole_however_the_stream_is_cut(
        events in proptest::collection::vec(sent(), 0..6),
        ends in proptest::sample::subsequence(vec!["\n", "\r\n", "\r"], 1..=3),
        extras in any::<bool>(),
        cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..8),
    ) {
        let bytes = stream(&events, &ends, extras);
        let mut at: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
        at.extend([0, bytes.len()]);
        at.sort_unstable();
        let mut reader = SseReader::default();
        let got: Vec<SseEvent> = at.windows(2).flat_map(|w| reader.feed(&bytes[w[0]..w[1]])).collect();
        prop_assert_eq!(got, expected(&events));
    }

    /// Any bytes (a broken or hostile server): no panic, and an event's data is whole
    /// lines of what was sent, never more than the stream held.
    #[test]
    fn any_stream_is_read_without_a_panic(chunks in proptest::collection::vec(proptest::collection::vec(
        prop_oneof![any::<u8>(), Just(b'\n'), Just(b'\r'), Just(b':'), Just(b'd')], 0..64), 0..8)) {
        let mut reader = SseReader::default();
        let total: usize = chunks.iter().map(Vec::len).sum();
        for chunk in &chunks {
            for event in reader.feed(chunk) {
                prop_assert!(event.data.len() <= total * 3, "{} bytes of data from {total}", event.data.len());
            }
        }
    }

    /// Each status byte is taken or refused by its fixed bits alone, and the state shown
    /// is the first thing staff must fix among what the bits say.
    #[test]
    fn status_replies_give_the_state_staff_must_act_on(replies in [any::<u8>(); 3]) {
        let mut status = Status::default();
        let taken: Vec<bool> = [1, 2, 4].into_iter().zip(replies).map(|(n, r)| status.take(n, r)).collect();
        for (ok, r) in taken.iter().zip(replies) {
            prop_assert_eq!(*ok, r & 0x93 == 0x12, "{:#04x}", r);
        }
        let bit = |k: usize, b: u8| taken[k] && replies[k] & (1 << b) != 0;
        let want = if bit(1, 2) {
            PrinterState::CoverOpen
        } else if bit(1, 5) || bit(2, 5) || bit(2, 6) {
            PrinterState::PaperOut
        } else if bit(0, 3) || bit(1, 6) {
            PrinterState::Offline
        } else if bit(2, 2) || bit(2, 3) {
            PrinterState::PaperLow
        } else {
            PrinterState::Ready
        };
        prop_assert_eq!(status.state(), want);
    }

    /// A printer asked over a port that answers anything (late, garbled, unplugged):
    /// an error only when the port failed, `Unknown` when a reply is missing or is not a
    /// status, otherwise the state of the three replies.
    #[test]
    fn asking_a_printer_that_answers_anything(script in proptest::collection::vec(reply(), 0..4)) {
        let answer = printer_status::ask(&mut Scripted(script.clone()), Duration::from_millis(1));
        let mut status = Status::default();
        let mut want = None;
        for (k, n) in [1u8, 2, 4].into_iter().enumerate() {
            match script.get(k).copied().unwrap_or(Reply::Silent) {
                Reply::Unplugged => { want = Some(Err(())); break }
                Reply::Byte(r) if status.take(n, r) => {}
                _ => { want = Some(Ok(PrinterState::Unknown)); break }
            }
        }
        let want = want.unwrap_or(Ok(status.state()));
        prop_assert_eq!(answer.map_err(|_| ()), want);
    }
}

//! What the property tests (props_*.rs) share: how many cases, and valid text mutated by
//! lines, so that a parser sees files that are nearly right (random bytes would stop at
//! the first character and never reach the checks behind it).
//!
//! The default suite runs few cases per property; `scripts/fuzz.sh` runs many
//! (PROPTEST_CASES). A failure proptest finds is kept in `proptest-regressions/` beside
//! these files and tried first at every later run.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::Config;

/// `default` cases, or PROPTEST_CASES when it is set (scripts/fuzz.sh).
pub(crate) fn cases(default: u32) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default;
    }
    config
}

/// One change to a text, made on its lines.
#[derive(Debug, Clone)]
pub(crate) enum Edit {
    Delete(Index),
    Duplicate(Index),
    Swap(Index, Index),
    /// A line from the pool in place of a line.
    Replace(Index, String),
    /// A line from the pool put before a line.
    Insert(Index, String),
    /// The value after the line's `=` replaced.
    Value(Index, String),
    /// A character put inside a line.
    Char(Index, Index, char),
    /// The text cut short (a file half written).
    Truncate(Index),
}

/// Values a person (or a broken editor) might write after `key =`.
pub(crate) fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        any::<i64>().prop_map(|n| n.to_string()),
        (0u32..100_000).prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| format!("{f:?}")),
        Just("nan".to_string()),
        Just("-inf".to_string()),
        Just("1e400".to_string()),
        Just("true".to_string()),
        Just("[]".to_string()),
        Just("[1, \"a\"]".to_string()),
        Just("{}".to_string()),
        Just("\"\"".to_string()),
        "\"[ -~é€\u{202e}\u{0}]{0,12}\"",
        Just(format!("\"{}\"", "x".repeat(5_000))),
        Just("\"\\u0000\"".to_string()),
        Just("'''\n".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
    ]
}

/// Lines worth putting into a file: `pool` (the file's own kind of lines) and syntax debris.
pub(crate) fn line(pool: Vec<String>) -> impl Strategy<Value = String> {
    let debris = prop_oneof![
        Just("[".to_string()),
        Just("]]".to_string()),
        Just("=".to_string()),
        Just("\"".to_string()),
        Just("[[x]]".to_string()),
        Just("a.b.c = 1".to_string()),
        Just("\u{feff}x = 1".to_string()),
        "[ -~éÉ€\t\u{0}]{0,30}",
    ];
    prop_oneof![3 => proptest::sample::select(pool), 1 => debris]
}

pub(crate) fn edit(pool: Vec<String>) -> impl Strategy<Value = Edit> {
    let text_char = prop_oneof![any::<char>(), Just('"'), Just('='), Just('['), Just('\n'), Just('#')];
    prop_oneof![
        1 => any::<Index>().prop_map(Edit::Delete),
        1 => any::<Index>().prop_map(Edit::Duplicate),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        2 => (any::<Index>(), line(pool.clone())).prop_map(|(i, l)| Edit::Replace(i, l)),
        2 => (any::<Index>(), line(pool)).prop_map(|(i, l)| Edit::Insert(i, l)),
        3 => (any::<Index>(), value()).prop_map(|(i, v)| Edit::Value(i, v)),
        1 => (any::<Index>(), any::<Index>(), text_char).prop_map(|(i, at, c)| Edit::Char(i, at, c)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

/// `text` with `edits` made in order.
pub(crate) fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for e in edits {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match e {
            Edit::Delete(i) => drop(lines.remove(i.index(n))),
            Edit::Duplicate(i) => {
                let i = i.index(n);
                lines.insert(i, lines[i].clone());
            }
            Edit::Swap(a, b) => lines.swap(a.index(n), b.index(n)),
            Edit::Replace(i, l) => lines[i.index(n)] = l.clone(),
            Edit::Insert(i, l) => lines.insert(i.index(n + 1), l.clone()),
            Edit::Value(i, v) => {
                let line = &mut lines[i.index(n)];
                if let Some((key, _)) = line.split_once('=') {
                    *line = format!("{key}= {v}");
                }
            }
            Edit::Char(i, at, c) => {
                let line = &mut lines[i.index(n)];
                let chars: Vec<char> = line.chars().collect();
                let at = at.index(chars.len() + 1);
                *line = chars[..at].iter().chain([c]).chain(&chars[at..]).collect();
            }
            Edit::Truncate(at) => {
                let all: Vec<char> = lines.join("\n").chars().collect();
                let kept: String = all[..at.index(all.len() + 1)].iter().collect();
                lines = kept.split('\n').map(String::from).collect();
            }
        }
    }
    lines.join("\n") + "\n"
}

/// The lines of `text` that set a key, commented out or not (`# desks = [...]` too), and
/// every section header: what a technician would move, copy or uncomment.
pub(crate) fn key_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_start_matches('#').trim())
        .filter(|l| (l.contains(" = ") && !l.starts_with(char::is_uppercase)) || l.starts_with('['))
        .map(String::from)
        .collect()
}

/// The 1-based line an error names is inside the text (or just after it: the end of
/// the file), or 0 when no line is at fault.
pub(crate) fn line_in(text: &str, line: usize) -> bool {
    line <= text.lines().count() + 1
}

/// How many of `n` values drawn from `strategy` (a fixed seed) satisfy `f`: tells that the
/// generated inputs get past the first refusal to the code behind it.
pub(crate) fn share<S: Strategy>(strategy: S, n: usize, mut f: impl FnMut(S::Value) -> bool) -> usize {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..n).filter(|_| strategy.new_tree(&mut runner).is_ok_and(|tree| f(tree.current()))).count()
}

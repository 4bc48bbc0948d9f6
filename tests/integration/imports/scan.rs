//! The paths a Rust file names, read from its text: its tokens (comments skipped,
//! literals whole), the modules it declares (`mod x;`, `#[path]`, inline `mod x { … }`),
//! and every `crate::…`, `super::…`, `self::…` or own-module path, in `use` trees and in
//! code, made absolute.

use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
    /// A string literal (only `#[path = "…"]` needs its text).
    Str(String),
}

/// The code's tokens with their line numbers; comments skipped, literals kept whole.
pub fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if c == 'r' && (at(i + 1) == '"' || (at(i + 1) == '#' && matches!(at(i + 2), '"' | '#'))) {
            // A raw string: r"…", r#"…"#, r##"…"##…
            let mut j = i + 1;
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            let start = j;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| at(j + 1 + k) == '#') {
                    break;
                }
                j += 1;
            }
            let body: String = chars[start..j.min(chars.len())].iter().collect();
            line += body.matches('\n').count();
            out.push((Token::Str(body), line));
            i = j + 1 + hashes;
        } else if c == '"' || (c == 'b' && at(i + 1) == '"') {
            let mut j = if c == 'b' { i + 2 } else { i + 1 };
            let start = j;
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            let body: String = chars[start..j.min(chars.len())].iter().collect();
            out.push((Token::Str(body.clone()), line));
            line += body.matches('\n').count();
            i = j + 1;
        } else if c == '\'' {
            // A character literal ('a', '\n', '\u{2019}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                let mut j = i + 3;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else if c == ':' && at(i + 1) == ':' {
            out.push((Token::Path, line));
            i += 2;
        } else {
            out.push((Token::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// What one file declares and names.
pub struct Scan {
    /// Modules in other files: full path, and the `#[path]` if given.
    pub children: Vec<(String, Option<String>)>,
    /// Absolute paths named (`crate::…`, `super::…`, `self::…` resolved), with their line.
    pub paths: Vec<(Vec<String>, usize)>,
}

fn ident(t: Option<&(Token, usize)>) -> Option<&str> {
    match t {
        Some((Token::Ident(s), _)) => Some(s),
        _ => None,
    }
}

pub fn scan(tokens: &[(Token, usize)], module: &str) -> Scan {
    let root: Vec<String> = if module.is_empty() { Vec::new() } else { module.split("::").map(String::from).collect() };
    let mut scan = Scan { children: Vec::new(), paths: Vec::new() };
    // This file's own modules: `child::x` (in a `use` or in code) names them too.
    let own: BTreeSet<&str> = tokens
        .windows(3)
        .filter(|w| ident(w.first()) == Some("mod") && matches!(w[2].0, Token::Punct(';' | '{')))
        .filter_map(|w| ident(w.get(1)))
        .collect();
    // Inline modules open here: their name and the depth of braces at their opening.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut attr_path: Option<String> = None;
    let mut i = 0;
    while i < tokens.len() {
        let here = || -> Vec<String> { root.iter().cloned().chain(inline.iter().map(|(n, _)| n.clone())).collect() };
        match &tokens[i].0 {
            Token::Punct('#') if matches!(tokens.get(i + 1), Some((Token::Punct('['), _))) => {
                if ident(tokens.get(i + 2)) == Some("path") {
                    if let Some((Token::Str(p), _)) = tokens.get(i + 4) {
                        attr_path = Some(p.clone());
                    }
                }
                // Skip the attribute.
                let mut open = 0;
                while i < tokens.len() {
                    match tokens[i].0 {
                        Token::Punct('[') => open += 1,
                        Token::Punct(']') => {
                            open -= 1;
                            if open == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            Token::Ident(word) if word == "mod" => {
                if let Some(name) = ident(tokens.get(i + 1)) {
                    let name = name.to_string();
                    match tokens.get(i + 2) {
                        Some((Token::Punct(';'), _)) => {
                            let path = here().into_iter().chain([name]).collect::<Vec<_>>().join("::");
                            scan.children.push((path, attr_path.take()));
                            i += 3;
                            continue;
                        }
                        Some((Token::Punct('{'), _)) => {
                            inline.push((name, depth));
                            depth += 1;
                            i += 3;
                            continue;
                        }
                        _ => {}
                    }
                }
            }
            Token::Ident(word) if word == "use" => {
                let end = (i..tokens.len()).find(|&j| tokens[j].0 == Token::Punct(';')).unwrap_or(tokens.len());
                let line = tokens[i].1;
                for path in use_tree(&tokens[i + 1..end]) {
                    if let Some(abs) = resolve(&path, &here(), &own) {
                        scan.paths.push((abs, line));
                    }
                }
                i = end + 1;
                attr_path = None;
                continue;
            }
            Token::Ident(word)
                if (matches!(word.as_str(), "crate" | "super" | "self") || own.contains(word.as_str()))
                    && tokens.get(i + 1).map(|t| &t.0) == Some(&Token::Path)
                    && !matches!(tokens.get(i.wrapping_sub(1)).map(|t| &t.0), Some(Token::Path)) =>
            {
                let line = tokens[i].1;
                let mut path = vec![word.clone()];
                let mut j = i + 1;
                while tokens.get(j).map(|t| &t.0) == Some(&Token::Path) {
                    match ident(tokens.get(j + 1)) {
                        Some(s) => path.push(s.to_string()),
                        None => break,
                    }
                    j += 2;
                }
                if let Some(abs) = resolve(&path, &here(), &own) {
                    scan.paths.push((abs, line));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    scan
}

/// The paths a `use` tree names: `a::{b, c::{d, e}}` → a::b, a::c::d, a::c::e.
fn use_tree(tokens: &[(Token, usize)]) -> Vec<Vec<String>> {
    fn walk(tokens: &[(Token, usize)], prefix: &[String], out: &mut Vec<Vec<String>>) {
        // Split at top-level commas.
        let mut parts = vec![Vec::new()];
        let mut open = 0;
        for t in tokens {
            match t.0 {
                Token::Punct('{') => open += 1,
                Token::Punct('}') => open -= 1,
                Token::Punct(',') if open == 0 => {
                    parts.push(Vec::new());
                    continue;
                }
                _ => {}
            }
            if let Some(last) = parts.last_mut() {
                last.push(t.clone());
            }
        }
        for part in parts.iter().filter(|p| !p.is_empty()) {
            let mut path = prefix.to_vec();
            let mut k = 0;
            let mut nested = false;
            while k < part.len() {
                match &part[k].0 {
                    Token::Ident(s) if s == "as" => break,
                    Token::Ident(s) => path.push(s.clone()),
                    Token::Punct('*') => {}
                    Token::Punct('{') => {
                        let inner = &part[k + 1..part.len().saturating_sub(1)];
                        walk(inner, &path, out);
                        nested = true;
                        break;
                    }
                    _ => {}
                }
                k += 1;
            }
            if !nested {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(tokens, &[], &mut out);
    out
}

/// `path` from module `here` as an absolute path, if it starts with `crate`, `super`,
/// `self` or one of the file's `own` modules.
fn resolve(path: &[String], here: &[String], own: &BTreeSet<&str>) -> Option<Vec<String>> {
    let first = path.first()?;
    let (mut base, rest) = match first.as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" => (here.to_vec(), &path[1..]),
        "super" => (here.to_vec(), path),
        child if own.contains(child) => (here.to_vec(), path),
        _ => return None,
    };
    let mut rest = rest;
    while rest.first().is_some_and(|s| s == "super") {
        base.pop();
        rest = &rest[1..];
    }
    base.extend(rest.iter().filter(|s| *s != "self").cloned());
    Some(base)
}

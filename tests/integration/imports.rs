//! No import circle in the crate. Reads `src/`, follows the module tree from `src/lib.rs`
//! (`mod x;`, `#[path]`, inline `mod x { … }`), collects every `crate::…`, `super::…` and
//! `self::…` path (in `use` trees and in code), and builds two graphs:
//! - the folders: each top-level module is one node (`health`, `store`, `commands`…), and
//!   each folder below it another (`staff::http`, `staff::act`…); the files directly in a
//!   folder (its `mod.rs` too) are that folder's node;
//! - the files: each file is a node.
//!
//! Either graph with a cycle fails, naming its nodes and the lines that make each step.
//! Comments and strings are skipped; a path is counted where it is written, whether it
//! is compiled into the library, its tests or both.

#[path = "imports/scan.rs"]
mod scan;

use scan::{scan, tokens};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[test]
fn no_import_circle_between_folders() {
    let graph = Graph::read(&src());
    let cycles = graph.cycles(Level::Folder);
    assert!(cycles.is_empty(), "import circles between folders:\n{}", cycles.join("\n"));
}

/// Among the console's files and the doctor's. Elsewhere a folder's `mod.rs` and its
/// files often use each other (a shared type above, its parts below), and three pairs of
/// files do (hardware: escpos ↔ receipt_layout; store: open ↔ schema; commands: degraded
/// ↔ kiosk): not checked yet.
#[test]
fn no_import_circle_between_files() {
    let graph = Graph::read(&src());
    let checked = |m: &str| m == "staff" || m.starts_with("staff::") || m.starts_with("commands::doctor");
    let cycles = graph.cycles_among(Level::File, &checked);
    assert!(cycles.is_empty(), "import circles between files:\n{}", cycles.join("\n"));
}

/// The test reads itself: a circle made on purpose is found and named.
#[test]
fn a_circle_is_found_and_named() {
    let mut graph = Graph::default();
    for (name, file) in [("a", "src/a.rs"), ("b", "src/b/mod.rs"), ("b::c", "src/b/c.rs"), ("d", "src/d.rs")] {
        graph.files.insert(name.to_string(), PathBuf::from(file));
    }
    let place = |line| Place { file: PathBuf::from("src/x.rs"), line };
    graph.edges.insert(("a".into(), "b::c".into()), place(1));
    graph.edges.insert(("b::c".into(), "b".into()), place(2));
    graph.edges.insert(("b".into(), "a".into()), place(3));
    graph.edges.insert(("a".into(), "d".into()), place(4));
    let folders = graph.cycles(Level::Folder);
    assert_eq!(folders.len(), 1, "{folders:?}");
    assert!(folders[0].starts_with("a → b → a"), "{}", folders[0]);
    assert!(folders[0].contains("src/x.rs:1"), "{}", folders[0]);
    let files = graph.cycles(Level::File);
    assert!(graph.cycles_among(Level::File, &|m: &str| m != "b").is_empty());
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with("a → b::c → b → a"), "{}", files[0]);
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[derive(Debug, Clone, Copy)]
enum Level {
    Folder,
    File,
}

/// Where a path was written.
#[derive(Debug, Clone)]
struct Place {
    file: PathBuf,
    line: usize,
}

/// Modules by path ("" for the crate root), each with its file; and which module's file
/// names which other module, with the first place it does.
#[derive(Default)]
struct Graph {
    files: BTreeMap<String, PathBuf>,
    edges: BTreeMap<(String, String), Place>,
}

impl Graph {
    fn read(src: &Path) -> Graph {
        let mut graph = Graph::default();
        let mut todo = vec![(String::new(), src.join("lib.rs"))];
        let mut paths = Vec::new();
        while let Some((module, file)) = todo.pop() {
            let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let scan = scan(&tokens(&text), &module);
            for (child, attr_path) in scan.children {
                let dir = file.parent().unwrap_or(src);
                let child_file = match attr_path {
                    Some(p) => dir.join(p),
                    None => {
                        let is_root = matches!(file.file_name().and_then(|n| n.to_str()), Some("lib.rs" | "mod.rs"));
                        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                        let base = if is_root { dir.to_path_buf() } else { dir.join(stem) };
                        let last = child.rsplit("::").next().unwrap_or_default();
                        let flat = base.join(format!("{last}.rs"));
                        if flat.is_file() {
                            flat
                        } else {
                            base.join(last).join("mod.rs")
                        }
                    }
                };
                todo.push((child, child_file));
            }
            let relative = file.strip_prefix(src.parent().unwrap_or(src)).unwrap_or(&file).to_path_buf();
            paths.extend(
                scan.paths.into_iter().map(|(to, line)| (module.clone(), to, Place { file: relative.clone(), line })),
            );
            graph.files.insert(module, relative);
        }
        for (from, to, place) in paths {
            let Some(target) = graph.module_of(&to) else { continue };
            if target != from {
                graph.edges.entry((from, target)).or_insert(place);
            }
        }
        graph
    }

    /// The module (with a file of its own) that the absolute path `to` names or is in.
    fn module_of(&self, to: &[String]) -> Option<String> {
        (0..=to.len()).rev().map(|n| to[..n].join("::")).find(|m| self.files.contains_key(m))
    }

    /// The node a module belongs to at `level`: "src/x.rs", "src/x/mod.rs", "src/x/y.rs"
    /// → x; "src/x/y/mod.rs", "src/x/y/z.rs" → x::y.
    fn node(&self, module: &str, level: Level) -> String {
        let Level::Folder = level else { return name(module) };
        let depth = self.files[module].components().count();
        let keep = depth.saturating_sub(2).max(1);
        name(&module.split("::").take(keep).collect::<Vec<_>>().join("::"))
    }

    /// Each strongly connected group of nodes, as one cycle through it and its members.
    fn cycles(&self, level: Level) -> Vec<String> {
        self.cycles_among(level, &|_| true)
    }

    /// The same among the modules `checked` keeps.
    fn cycles_among(&self, level: Level, checked: &dyn Fn(&str) -> bool) -> Vec<String> {
        let mut next: BTreeMap<String, BTreeMap<String, &Place>> = BTreeMap::new();
        for ((from, to), place) in self.edges.iter().filter(|((a, b), _)| checked(a) && checked(b)) {
            let (a, b) = (self.node(from, level), self.node(to, level));
            if a != b {
                next.entry(a).or_default().entry(b).or_insert(place);
            }
        }
        let mut out = Vec::new();
        for group in groups(&next) {
            let start = group.iter().next().cloned().unwrap_or_default();
            let ring = ring(&next, &group, &start);
            let steps: Vec<String> = ring
                .windows(2)
                .map(|w| {
                    format!(
                        "    {} → {} ({}:{})",
                        w[0],
                        w[1],
                        next[&w[0]][&w[1]].file.display(),
                        next[&w[0]][&w[1]].line
                    )
                })
                .collect();
            let members: Vec<&str> = group.iter().map(String::as_str).collect();
            out.push(format!(
                "{}\n{}\n    (all in this circle: {})",
                ring.join(" → "),
                steps.join("\n"),
                members.join(", ")
            ));
        }
        out
    }
}

fn name(module: &str) -> String {
    if module.is_empty() {
        "crate".to_string()
    } else {
        module.to_string()
    }
}

/// Strongly connected groups of more than one node (Tarjan's algorithm).
fn groups(next: &BTreeMap<String, BTreeMap<String, &Place>>) -> Vec<BTreeSet<String>> {
    struct State<'a> {
        next: &'a BTreeMap<String, BTreeMap<String, &'a Place>>,
        index: BTreeMap<String, usize>,
        low: BTreeMap<String, usize>,
        stack: Vec<String>,
        on_stack: BTreeSet<String>,
        found: Vec<BTreeSet<String>>,
    }
    fn visit(s: &mut State<'_>, v: &str) {
        let i = s.index.len();
        s.index.insert(v.to_string(), i);
        s.low.insert(v.to_string(), i);
        s.stack.push(v.to_string());
        s.on_stack.insert(v.to_string());
        let targets: Vec<String> = s.next.get(v).map(|m| m.keys().cloned().collect()).unwrap_or_default();
        for w in targets {
            if !s.index.contains_key(&w) {
                visit(s, &w);
                let low = s.low[v].min(s.low[&w]);
                s.low.insert(v.to_string(), low);
            } else if s.on_stack.contains(&w) {
                let low = s.low[v].min(s.index[&w]);
                s.low.insert(v.to_string(), low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(&w);
                let done = w == v;
                group.insert(w);
                if done {
                    break;
                }
            }
            if group.len() > 1 {
                s.found.push(group);
            }
        }
    }
    let mut s = State {
        next,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    let nodes: Vec<String> = next.keys().cloned().collect();
    for v in nodes {
        if !s.index.contains_key(&v) {
            visit(&mut s, &v);
        }
    }
    s.found
}

/// The shortest way from `start` back to itself inside `group` (breadth first).
fn ring(next: &BTreeMap<String, BTreeMap<String, &Place>>, group: &BTreeSet<String>, start: &str) -> Vec<String> {
    let mut parent: BTreeMap<String, String> = BTreeMap::new();
    let mut seen = BTreeSet::from([start.to_string()]);
    let mut queue = std::collections::VecDeque::from([start.to_string()]);
    while let Some(v) = queue.pop_front() {
        for w in next.get(&v).map(|m| m.keys()).into_iter().flatten().filter(|w| group.contains(*w)) {
            if w == start {
                let mut path = vec![v.clone()];
                while let Some(p) = path.last().and_then(|last| parent.get(last)) {
                    path.push(p.clone());
                }
                path.reverse();
                path.push(start.to_string());
                return path;
            }
            if seen.insert(w.clone()) {
                parent.insert(w.clone(), v.clone());
                queue.push_back(w.clone());
            }
        }
    }
    vec![start.to_string()]
}

//! The catalogue: themes, procedures, documents to prepare, what the visitor may have
//! with them and priority needs. Parsed from TOML text and validated here, without IO:
//! the caller hands in the files' text. Every error names the file, the line and the fix.

use super::lang::Lang;
use super::po;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use toml::Spanned;

/// One source file of the catalogue, as read by the caller.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown in errors, relative to the catalogue folder (`themes/01-papiers.toml`).
    pub path: String,
    pub text: String,
}

/// A catalogue mistake: where it is and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    pub file: String,
    pub line: usize,
    pub problem: String,
    pub fix: String,
}

impl std::fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}\n    fix: {}", self.file, self.line, self.problem, self.fix)
    }
}

/// All the mistakes found in one pass, so a technician fixes them together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CatalogueErrors(pub Vec<CatalogueError>);

impl std::fmt::Display for CatalogueErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "the catalogue has {} mistake(s):", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    pub prefix: char,
    pub name: String,
}

/// A choice on the "what do you have" or "priority" screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub label: String,
    /// How the summary names it when the visitor lacks it, in the second person
    /// ("Votre pièce d'identité"); the label when the catalogue gives none.
    pub missing: String,
    pub icon: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    pub id: String,
    pub title: String,
    pub hint: String,
    pub operator: String,
    pub documents: Vec<String>,
    /// Ids of `have` items needed for the online procedure (e-mail, phone, login…).
    pub ready: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub id: String,
    pub title: String,
    pub hint: String,
    pub icon: String,
    pub queue: char,
    pub procedures: Vec<Procedure>,
}

/// The validated catalogue, with its translations.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub queues: Vec<Queue>,
    pub have: Vec<Item>,
    pub priority: Vec<Item>,
    pub themes: Vec<Theme>,
    translations: HashMap<Lang, HashMap<String, String>>,
}

impl Catalogue {
    /// The text in `lang`, or the French source when no translation exists.
    pub fn tr<'a>(&'a self, lang: Lang, french: &'a str) -> &'a str {
        self.translations.get(&lang).and_then(|m| m.get(french)).map_or(french, String::as_str)
    }

    /// Whether a translation exists for this French text (used by completeness tests).
    pub fn has_translation(&self, lang: Lang, french: &str) -> bool {
        lang == Lang::Fr || self.translations.get(&lang).is_some_and(|m| m.contains_key(french))
    }

    pub fn queue(&self, prefix: char) -> Option<&Queue> {
        self.queues.iter().find(|q| q.prefix == prefix)
    }

    pub fn find_procedure(&self, id: &str) -> Option<(&Theme, &Procedure)> {
        self.themes.iter().find_map(|t| t.procedures.iter().find(|p| p.id == id).map(|p| (t, p)))
    }

    /// Where a procedure stands: its theme's index and its own in that theme.
    pub fn procedure_index(&self, id: &str) -> Option<(usize, usize)> {
        self.themes.iter().enumerate().find_map(|(t, th)| th.procedures.iter().position(|p| p.id == id).map(|p| (t, p)))
    }

    /// Every French string a visitor can see, for translation and plain-language checks.
    pub fn visible_texts(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        out.extend(self.queues.iter().map(|q| q.name.as_str()));
        for item in self.have.iter().chain(&self.priority) {
            out.push(&item.label);
        }
        out.extend(self.have.iter().filter(|h| h.missing != h.label).map(|h| h.missing.as_str()));
        for t in &self.themes {
            out.extend([t.title.as_str(), t.hint.as_str()]);
            for p in &t.procedures {
                out.extend([p.title.as_str(), p.hint.as_str(), p.operator.as_str()]);
                out.extend(p.documents.iter().map(String::as_str));
            }
        }
        out
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoot {
    #[serde(rename = "queue")]
    queues: Vec<RawQueue>,
    have: Vec<RawItem>,
    priority: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQueue {
    prefix: Spanned<String>,
    name: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    label: Spanned<String>,
    missing: Option<Spanned<String>>,
    icon: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    id: Spanned<String>,
    title: Spanned<String>,
    hint: Spanned<String>,
    icon: Spanned<String>,
    queue: Spanned<String>,
    #[serde(rename = "procedure")]
    procedures: Vec<RawProcedure>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProcedure {
    id: Spanned<String>,
    title: Spanned<String>,
    hint: Spanned<String>,
    operator: Spanned<String>,
    documents: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    ready: Vec<Spanned<String>>,
}

/// Collects errors for one file, turning byte spans into line numbers.
struct Checker<'a> {
    file: &'a SourceFile,
    errors: &'a mut Vec<CatalogueError>,
}

impl Checker<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.file.text.len());
        self.file.text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
    }

    fn error(&mut self, offset: usize, problem: impl Into<String>, fix: impl Into<String>) {
        let line = self.line_of(offset);
        self.errors.push(CatalogueError {
            file: self.file.path.clone(),
            line,
            problem: problem.into(),
            fix: fix.into(),
        });
    }

    fn text(&mut self, field: &str, value: &Spanned<String>) -> String {
        let v = value.get_ref().trim();
        if v.is_empty() {
            self.error(value.span().start, format!("`{field}` is empty"), format!("write the {field} in plain French"));
        } else if v.contains(['{', '}', '\\', '\n']) {
            self.error(
                value.span().start,
                format!("`{field}` contains {{, }}, \\ or a line break"),
                "write one line of plain text without those characters",
            );
        }
        v.to_string()
    }

    fn id(&mut self, value: &Spanned<String>, seen: &mut HashSet<String>) -> String {
        let v = value.get_ref();
        let ok = !v.is_empty() && v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            self.error(
                value.span().start,
                format!("id \"{v}\" is not valid"),
                "use lowercase letters, digits and '-' only, for example \"carte-identite\"",
            );
        } else if !seen.insert(v.clone()) {
            self.error(value.span().start, format!("id \"{v}\" is used twice"), "give each one a different id");
        }
        v.clone()
    }

    fn icon(&mut self, value: &Spanned<String>, icons: &HashSet<String>) -> String {
        let v = value.get_ref();
        if !icons.contains(v.as_str()) {
            let mut known: Vec<&str> = icons.iter().map(String::as_str).collect();
            known.sort_unstable();
            self.error(
                value.span().start,
                format!("icon \"{v}\" does not exist"),
                format!("use one of: {}", known.join(", ")),
            );
        }
        v.clone()
    }

    fn parse<T: for<'de> Deserialize<'de>>(&mut self) -> Option<T> {
        match toml::from_str::<T>(&self.file.text) {
            Ok(v) => Some(v),
            Err(e) => {
                let offset = e.span().map_or(0, |s| s.start);
                let (problem, fix) = super::syntax::describe(&e, &self.file.text);
                self.error(
                    offset,
                    problem,
                    fix.as_deref().unwrap_or("correct the TOML syntax or the field name shown"),
                );
                None
            }
        }
    }

    fn items(&mut self, raw: &[RawItem], icons: &HashSet<String>) -> Vec<Item> {
        let mut seen = HashSet::new();
        raw.iter()
            .map(|r| Item {
                id: self.id(&r.id, &mut seen),
                label: self.text("label", &r.label),
                missing: r.missing.as_ref().map_or_else(|| r.label.get_ref().clone(), |m| self.text("missing", m)),
                icon: self.icon(&r.icon, icons),
            })
            .collect()
    }
}

/// Parses and validates the catalogue. `files` holds `catalogue.toml`,
/// `themes/*.toml` (in display order) and `translations/<lang>.po`;
/// `icons` is the set of icon names that exist.
pub fn load(files: &[SourceFile], icons: &HashSet<String>) -> Result<Catalogue, CatalogueErrors> {
    let mut errors = Vec::new();
    let mut cat = Catalogue::default();
    let root_file = files.iter().find(|f| f.path == "catalogue.toml");
    let Some(root_file) = root_file else {
        return Err(CatalogueErrors(vec![CatalogueError {
            file: "catalogue.toml".into(),
            line: 0,
            problem: "the file is missing".into(),
            fix: "create catalogue.toml with [[queue]], [[have]] and [[priority]] tables".into(),
        }]));
    };
    let mut ck = Checker { file: root_file, errors: &mut errors };
    if let Some(root) = ck.parse::<RawRoot>() {
        for q in &root.queues {
            let p = q.prefix.get_ref();
            let mut chars = p.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_uppercase() => {
                    if cat.queue(c).is_some() {
                        ck.error(
                            q.prefix.span().start,
                            format!("queue prefix \"{p}\" is used twice"),
                            "give each queue its own letter",
                        );
                    }
                    let name = ck.text("name", &q.name);
                    cat.queues.push(Queue { prefix: c, name });
                }
                _ => ck.error(
                    q.prefix.span().start,
                    format!("queue prefix \"{p}\" is not one capital letter"),
                    "write one letter A to Z, for example prefix = \"C\"",
                ),
            }
        }
        cat.have = ck.items(&root.have, icons);
        cat.priority = ck.items(&root.priority, icons);
        if cat.priority.first().map(|i| i.id.as_str()) != Some("none") {
            ck.error(
                0,
                "the first [[priority]] is not id = \"none\"",
                "start [[priority]] with the choice id = \"none\" (no priority)",
            );
        }
    }
    let mut proc_ids = HashSet::new();
    let mut theme_ids = HashSet::new();
    for file in files.iter().filter(|f| f.path.starts_with("themes/")) {
        let mut ck = Checker { file, errors: &mut errors };
        let Some(raw) = ck.parse::<RawTheme>() else { continue };
        let queue =
            raw.queue.get_ref().chars().next().filter(|c| cat.queue(*c).is_some() && raw.queue.get_ref().len() == 1);
        if queue.is_none() {
            let known: String = cat.queues.iter().map(|q| q.prefix).collect();
            ck.error(
                raw.queue.span().start,
                format!("queue \"{}\" is not declared in catalogue.toml", raw.queue.get_ref()),
                format!("use one of the prefixes: {known}"),
            );
        }
        if !(1..=6).contains(&raw.procedures.len()) {
            ck.error(
                raw.id.span().start,
                format!("{} procedures in this theme", raw.procedures.len()),
                "give each theme between 1 and 6 [[procedure]] tables",
            );
        }
        let mut procedures = Vec::new();
        for rp in &raw.procedures {
            let documents: Vec<String> = rp.documents.get_ref().iter().map(|d| ck.text("document", d)).collect();
            if documents.is_empty() {
                ck.error(
                    rp.documents.span().start,
                    "no document to prepare",
                    "list at least one, for example documents = [\"Les courriers reçus\"]",
                );
            }
            for r in &rp.ready {
                if !cat.have.iter().any(|h| &h.id == r.get_ref()) {
                    let known: Vec<&str> = cat.have.iter().map(|h| h.id.as_str()).collect();
                    ck.error(
                        r.span().start,
                        format!("ready \"{}\" is not a [[have]] id", r.get_ref()),
                        format!("use one of: {}", known.join(", ")),
                    );
                }
            }
            procedures.push(Procedure {
                id: ck.id(&rp.id, &mut proc_ids),
                title: ck.text("title", &rp.title),
                hint: ck.text("hint", &rp.hint),
                operator: ck.text("operator", &rp.operator),
                documents,
                ready: rp.ready.iter().map(|r| r.get_ref().clone()).collect(),
            });
        }
        cat.themes.push(Theme {
            id: ck.id(&raw.id, &mut theme_ids),
            title: ck.text("title", &raw.title),
            hint: ck.text("hint", &raw.hint),
            icon: ck.icon(&raw.icon, icons),
            queue: queue.unwrap_or('?'),
            procedures,
        });
    }
    if cat.themes.is_empty() && errors.is_empty() {
        errors.push(CatalogueError {
            file: "themes/".into(),
            line: 0,
            problem: "no theme file".into(),
            fix: "add themes/01-<name>.toml files, one per theme".into(),
        });
    }
    for file in files.iter().filter(|f| f.path.starts_with("translations/")) {
        let code = file.path.trim_start_matches("translations/").trim_end_matches(".po");
        let Some(lang) = Lang::from_code(code) else {
            errors.push(CatalogueError {
                file: file.path.clone(),
                line: 0,
                problem: format!("unknown language \"{code}\""),
                fix: format!("name the file after one of: {}", Lang::ALL.map(|l| l.code()).join(", ")),
            });
            continue;
        };
        match po::parse(&file.text) {
            Ok(mut map) => {
                // Right-to-left text: Latin words isolated, so brackets land right.
                if lang.is_rtl() {
                    map.values_mut().for_each(|t| *t = super::bidi::isolate_latin(t));
                }
                cat.translations.insert(lang, map);
            }
            Err(e) => errors.push(CatalogueError {
                file: file.path.clone(),
                line: e.line,
                problem: e.message,
                fix: "follow the gettext PO format: msgid \"French\" then msgstr \"translation\"".into(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(cat)
    } else {
        Err(CatalogueErrors(errors))
    }
}

#[cfg(test)]
#[path = "catalogue_tests.rs"]
pub(crate) mod tests;

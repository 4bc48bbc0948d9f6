//! The one table the speed bench prints: each figure beside its budget (DESIGN.md) and a
//! verdict. Figures are measured in this run; nothing here is asserted.

use std::time::Duration;

/// How a figure compares with its budget.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Within,
    Over,
    /// No budget: tracked (memory, ratios below their target are `Over`).
    Tracked,
}

pub struct Row {
    pub what: String,
    pub measured: String,
    pub budget: String,
    pub verdict: Verdict,
}

#[derive(Default)]
pub struct Table {
    rows: Vec<Row>,
}

impl Table {
    /// A figure with a ceiling: within when `value <= limit`.
    pub fn at_most(&mut self, what: impl Into<String>, measured: String, value: f64, limit: f64, budget: &str) {
        let verdict = if value <= limit { Verdict::Within } else { Verdict::Over };
        self.push(what, measured, budget, verdict);
    }

    /// A figure with a floor (a ratio against Chromium): within when `value >= limit`.
    pub fn at_least(&mut self, what: impl Into<String>, measured: String, value: f64, limit: f64, budget: &str) {
        let verdict = if value >= limit { Verdict::Within } else { Verdict::Over };
        self.push(what, measured, budget, verdict);
    }

    /// A figure kept on record without a budget.
    pub fn track(&mut self, what: impl Into<String>, measured: String) {
        self.push(what, measured, "tracked", Verdict::Tracked);
    }

    /// A part that could not be measured in this run, and why.
    pub fn missing(&mut self, what: impl Into<String>, why: String) {
        self.push(what, format!("not measured: {why}"), "", Verdict::Over);
    }

    fn push(&mut self, what: impl Into<String>, measured: String, budget: &str, verdict: Verdict) {
        self.rows.push(Row { what: what.into(), measured, budget: budget.to_string(), verdict });
    }

    /// The table as Markdown (also what docs/PERFORMANCE.md keeps).
    pub fn markdown(&self) -> String {
        let mut out = String::from("| what | measured | budget | |\n|---|---|---|---|\n");
        for r in &self.rows {
            let mark = match r.verdict {
                Verdict::Within => "ok",
                Verdict::Over => "**over**",
                Verdict::Tracked => "",
            };
            out.push_str(&format!("| {} | {} | {} | {} |\n", r.what, r.measured, r.budget, mark));
        }
        out
    }

    pub fn over(&self) -> usize {
        self.rows.iter().filter(|r| r.verdict == Verdict::Over).count()
    }
}

/// Milliseconds, as printed.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The nearest-rank quantile `q` of `v` (sorted here); zero for an empty list.
pub fn quantile(v: &mut [Duration], q: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v.sort();
    v[((v.len() - 1) as f64 * q).round() as usize]
}

/// "p50 1.23 ms, p99 4.56 ms (n=300)" and the p99 in ms.
pub fn p50_p99(mut v: Vec<Duration>) -> (String, f64) {
    let p50 = ms(quantile(&mut v, 0.5));
    let p99 = ms(quantile(&mut v, 0.99));
    (format!("p50 {p50:.2} ms, p99 {p99:.2} ms (n={})", v.len()), p99)
}

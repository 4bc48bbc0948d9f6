//! Soak measurements (`scripts/soak.sh`): this process's memory, open files and threads,
//! sampled as a long run goes on, printed as CSV, and the bound they must stay under.

use std::time::Instant;

/// The counts of a soak run: `GUICHET_SOAK_<name>` or `default`.
pub fn count(name: &str, default: usize) -> usize {
    std::env::var(format!("GUICHET_SOAK_{name}")).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One line of the curve.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Iterations done.
    pub done: usize,
    pub secs: f64,
    /// Resident and proportional set size, kB (`/proc/self/status`, `smaps_rollup`).
    pub rss_kb: u64,
    pub pss_kb: u64,
    /// Entries of `/proc/self/fd` and `/proc/self/task`.
    pub fds: usize,
    pub threads: usize,
    /// Mean time of one iteration since the previous sample, ms: wall clock, and CPU
    /// time of the whole process (what other programs on the machine do not change).
    pub ms_each: f64,
    pub cpu_ms_each: f64,
}

fn kb(file: &str, key: &str) -> u64 {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// CPU time this process used so far (user + system, all threads), ms.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // After the command name in brackets: state is field 3, utime and stime 14 and 15.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i - 3).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // The kernel counts in USER_HZ, 100 a second on Linux.
    (ticks(14) + ticks(15)) * 10.0
}

fn entries(dir: &str) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

/// How far the last quarter of a run may rise above its first quarter (which holds the
/// warm-up: caches filled, pools grown): more is a leak, not a level.
pub struct Bound {
    /// Resident memory: this many kB, plus `rss_share` of the first quarter's peak.
    pub rss_kb: u64,
    pub rss_share: f64,
    pub fds: usize,
    pub threads: usize,
    /// The CPU time of an iteration: the last quarter's mean at most this times the first's.
    pub slowdown: f64,
    /// Whatever the shape, the run's peak above what the process held before its first
    /// iteration (a level reached at 200 MB is not a level a Pi can afford).
    pub rss_over_start_kb: u64,
}

pub const BOUND: Bound =
    Bound { rss_kb: 4096, rss_share: 0.05, fds: 2, threads: 2, slowdown: 1.5, rss_over_start_kb: 64 * 1024 };

/// The curve of one run.
pub struct Curve {
    name: String,
    began: Instant,
    /// When, after how many iterations and at what CPU time the last sample was taken.
    last: (Instant, usize, f64),
    pub samples: Vec<Sample>,
}

impl Curve {
    pub fn new(name: &str) -> Curve {
        println!("soak {name}: done,secs,rss_kb,pss_kb,fds,threads,ms_each,cpu_ms_each");
        let now = Instant::now();
        Curve { name: name.to_string(), began: now, last: (now, 0, cpu_ms()), samples: Vec::new() }
    }

    /// Takes a sample after `done` iterations and prints it as a CSV line.
    pub fn sample(&mut self, done: usize) {
        let (now, cpu) = (Instant::now(), cpu_ms());
        let n = (done - self.last.1).max(1) as f64;
        let (ms_each, cpu_ms_each) = ((now - self.last.0).as_secs_f64() * 1e3 / n, (cpu - self.last.2) / n);
        self.last = (now, done, cpu);
        let s = Sample {
            done,
            secs: (now - self.began).as_secs_f64(),
            rss_kb: kb("/proc/self/status", "VmRSS:"),
            pss_kb: kb("/proc/self/smaps_rollup", "Pss:"),
            fds: entries("/proc/self/fd"),
            threads: entries("/proc/self/task"),
            ms_each,
            cpu_ms_each,
        };
        println!(
            "soak {}: {},{:.1},{},{},{},{},{:.2},{:.2}",
            self.name, s.done, s.secs, s.rss_kb, s.pss_kb, s.fds, s.threads, s.ms_each, s.cpu_ms_each
        );
        self.samples.push(s);
    }

    /// The run levelled off: the last quarter's peaks within [`BOUND`] of the first's.
    pub fn levelled(&self) -> Result<(), String> {
        let n = self.samples.len();
        if n < 8 {
            return Err(format!("{}: {n} samples, too few to tell a level from a slope", self.name));
        }
        // The first sample is taken before any iteration: it has no time of its own.
        let (first, last) = (&self.samples[1..=n / 4], &self.samples[n - n / 4..]);
        let peak = |part: &[Sample], f: fn(&Sample) -> u64| part.iter().map(f).max().unwrap_or(0);
        let mean = |part: &[Sample]| part.iter().map(|s| s.cpu_ms_each).sum::<f64>() / part.len() as f64;
        let (rss0, rss1) = (peak(first, |s| s.rss_kb), peak(last, |s| s.rss_kb));
        let (fd0, fd1) = (peak(first, |s| s.fds as u64), peak(last, |s| s.fds as u64));
        let (th0, th1) = (peak(first, |s| s.threads as u64), peak(last, |s| s.threads as u64));
        let (t0, t1) = (mean(first), mean(last));
        println!(
            "soak {}: first quarter → last: RSS peak {rss0} → {rss1} kB, fds {fd0} → {fd1}, threads {th0} → {th1}, \
             {t0:.2} → {t1:.2} ms of CPU each",
            self.name
        );
        let mut faults = Vec::new();
        let rss_room = BOUND.rss_kb + (rss0 as f64 * BOUND.rss_share) as u64;
        let (start, top) = (self.samples[0].rss_kb, peak(&self.samples, |s| s.rss_kb));
        if top > start + BOUND.rss_over_start_kb {
            faults.push(format!("resident memory reached {top} kB from {start} kB before the first iteration"));
        }
        if rss1 > rss0 + rss_room {
            faults.push(format!("resident memory rose {} kB (bound {rss_room})", rss1 - rss0));
        }
        if fd1 > fd0 + BOUND.fds as u64 {
            faults.push(format!("open files rose from {fd0} to {fd1}"));
        }
        if th1 > th0 + BOUND.threads as u64 {
            faults.push(format!("threads rose from {th0} to {th1}"));
        }
        if t1 > t0 * BOUND.slowdown {
            faults.push(format!("an iteration's CPU time rose from {t0:.2} to {t1:.2} ms"));
        }
        match faults.is_empty() {
            true => Ok(()),
            false => Err(format!("{} did not level off: {}", self.name, faults.join("; "))),
        }
    }
}

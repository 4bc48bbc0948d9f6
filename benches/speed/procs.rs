//! Facts about running processes from /proc: proportional memory (PSS) of a process tree,
//! CPU time, and timing a command from its start to its exit.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The PSS of one process in KiB (`smaps_rollup`), 0 if it is gone.
fn pss_kib(pid: u32) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The parent of a process, from /proc/PID/stat (the field after the command's `)`).
fn parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// `root` and every process descending from it.
pub fn tree(root: u32) -> Vec<u32> {
    let all: Vec<u32> = std::fs::read_dir("/proc")
        .map(|d| d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).collect())
        .unwrap_or_default();
    let mut found = vec![root];
    let mut grew = true;
    while grew {
        grew = false;
        for &pid in &all {
            if !found.contains(&pid) && parent(pid).is_some_and(|p| found.contains(&p)) {
                found.push(pid);
                grew = true;
            }
        }
    }
    found
}

/// The PSS of a process and all its descendants, in MiB.
pub fn tree_pss_mib(root: u32) -> f64 {
    tree(root).into_iter().map(pss_kib).sum::<u64>() as f64 / 1024.0
}

/// User + system CPU time a process has used so far.
pub fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the command's `)`: state (field 3), ppid (4) … utime (14), stime (15).
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let field = |n: usize| rest.split_whitespace().nth(n - 3).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    let ticks = field(14) + field(15);
    // SAFETY: sysconf only reads a constant of the system.
    let per_s = unsafe { libc_sysconf_clk_tck() };
    Duration::from_secs_f64(ticks as f64 / per_s)
}

extern "C" {
    fn sysconf(name: i32) -> i64;
}

/// Clock ticks per second (`_SC_CLK_TCK` is 2 on Linux).
unsafe fn libc_sysconf_clk_tck() -> f64 {
    let v = sysconf(2);
    if v > 0 {
        v as f64
    } else {
        100.0
    }
}

/// The median wall time of `runs` runs of a command, from its start to its exit; an error
/// names the command when one fails.
pub fn median_run(runs: usize, mut command: impl FnMut() -> Command) -> Result<Duration, String> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let mut c = command();
        let began = Instant::now();
        let out = c.stdout(Stdio::null()).stderr(Stdio::piped()).output().map_err(|e| format!("{c:?}: {e}"))?;
        times.push(began.elapsed());
        if !out.status.success() {
            return Err(format!("{c:?}: {}", String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")));
        }
    }
    Ok(super::table::quantile(&mut times, 0.5))
}

/// True when `program` is on the PATH.
pub fn exists(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| Path::new(&d).join(program).is_file()))
}

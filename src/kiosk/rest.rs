//! At rest, the kiosk hands back the memory it is not using.
//!
//! A kiosk spends most of its day on the attract screen. Its program file is mapped by
//! the kernel in 64 KiB runs around each page it runs (fault-around), and a visit runs
//! code from most of the file, so after a few visits two thirds of the program stay
//! mapped although the attract screen needs a small part of it. A few seconds after the
//! attract screen comes back, the kiosk unmaps every clean file mapping of its own
//! (`madvise(MADV_DONTNEED)`: read-only, file-backed, with no private page in it) and
//! gives the allocator's free pages back (`malloc_trim`).
//!
//! Nothing is lost: the pages stay in the page cache (the kernel may reclaim them when
//! memory runs short, as it would anyway), and the next visit maps what it runs again
//! with minor faults (docs/PERFORMANCE.md measures what the first screen of the next
//! visit costs). A mapping that was ever written (relocations made read-only after
//! start, a copied page) has private pages and is never touched: unmapping it would lose
//! them.

use std::ops::Range;

/// What one rest handed back.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Rested {
    /// Clean file mappings unmapped.
    pub mappings: usize,
    /// Their resident size before, in KiB.
    pub kib: u64,
}

/// Hands back clean file mappings and free heap pages. Safe from any thread.
pub fn hand_back() -> Rested {
    let smaps = match std::fs::read_to_string("/proc/self/smaps") {
        Ok(text) => text,
        Err(_) => return Rested::default(),
    };
    let mut rested = Rested::default();
    for clean in clean_mappings(&smaps) {
        if unmap(clean.range.clone()) {
            rested.mappings += 1;
            rested.kib += clean.rss_kib;
        }
    }
    trim_heap();
    rested
}

/// A mapping that can be unmapped without losing anything.
#[derive(Debug, PartialEq, Eq)]
pub struct Clean {
    pub range: Range<usize>,
    pub rss_kib: u64,
}

/// The mappings of an `smaps` text that are backed by a file (not a device), not
/// writable, not locked, hold no private page, and have some page resident.
pub fn clean_mappings(smaps: &str) -> Vec<Clean> {
    let mut out = Vec::new();
    let mut current: Option<Mapping> = None;
    for line in smaps.lines() {
        if let Some(next) = Mapping::header(line) {
            if let Some(done) = current.take().and_then(Mapping::clean) {
                out.push(done);
            }
            current = Some(next);
        } else if let Some(m) = current.as_mut() {
            m.field(line);
        }
    }
    if let Some(done) = current.and_then(Mapping::clean) {
        out.push(done);
    }
    out
}

struct Mapping {
    range: Range<usize>,
    candidate: bool,
    rss_kib: u64,
    anonymous_kib: Option<u64>,
    locked: bool,
}

impl Mapping {
    /// `start-end perms offset dev inode [path]`
    fn header(line: &str) -> Option<Mapping> {
        let mut parts = line.split_whitespace();
        let (start, end) = parts.next()?.split_once('-')?;
        let start = usize::from_str_radix(start, 16).ok()?;
        let end = usize::from_str_radix(end, 16).ok()?;
        let perms = parts.next()?;
        let path = parts.nth(3).unwrap_or("");
        let readonly = perms.len() == 4 && !perms.contains('w');
        let file = path.starts_with('/') && !path.starts_with("/dev/") && !line.ends_with("(deleted)");
        Some(Mapping { range: start..end, candidate: readonly && file, rss_kib: 0, anonymous_kib: None, locked: false })
    }

    fn field(&mut self, line: &str) {
        let kib = |rest: &str| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok();
        if let Some(rest) = line.strip_prefix("Rss:") {
            self.rss_kib = kib(rest).unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("Anonymous:") {
            self.anonymous_kib = kib(rest);
        } else if let Some(rest) = line.strip_prefix("Locked:") {
            self.locked |= kib(rest).is_some_and(|k| k > 0);
        } else if let Some(flags) = line.strip_prefix("VmFlags:") {
            self.locked |= flags.split_whitespace().any(|f| f == "lo" || f == "io" || f == "pf");
        }
    }

    fn clean(self) -> Option<Clean> {
        // No Anonymous line at all: the kernel did not say, so the mapping is left alone.
        let private_pages = self.anonymous_kib.is_none_or(|k| k > 0);
        (self.candidate && !private_pages && !self.locked && self.rss_kib > 0 && !self.range.is_empty())
            .then_some(Clean { range: self.range, rss_kib: self.rss_kib })
    }
}

#[cfg(target_os = "linux")]
fn unmap(range: Range<usize>) -> bool {
    use nix::sys::mman::{madvise, MmapAdvise};
    let Some(start) = std::ptr::NonNull::new(range.start as *mut std::ffi::c_void) else {
        return false;
    };
    // SAFETY: the range is a whole mapping of this process that is read-only, backed by a
    // file and holds no private page (checked in `clean_mappings`); MADV_DONTNEED then only
    // drops page-table entries, and the next access maps the same file page again. The
    // permissions cannot have changed to writable and back with a page written in between
    // without this process calling mprotect, which it never does on file mappings.
    unsafe { madvise(start, range.len(), MmapAdvise::MADV_DONTNEED) }.is_ok()
}

#[cfg(not(target_os = "linux"))]
fn unmap(_: Range<usize>) -> bool {
    false
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim_heap() {
    // glibc's malloc.h: `int malloc_trim (size_t pad)`.
    extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: malloc_trim only returns free memory of the allocator's arenas; thread-safe.
    unsafe { malloc_trim(0) };
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim_heap() {}

#[cfg(test)]
mod tests {
    use super::*;

    const SMAPS: &str = "\
55d000000000-55d000100000 r--p 00000000 fd:01 42 /usr/bin/guichet
Rss:                 512 kB
Anonymous:             0 kB
Locked:                0 kB
VmFlags: rd mr mw me sd
55d000100000-55d001000000 r-xp 00100000 fd:01 42 /usr/bin/guichet
Rss:               18000 kB
Anonymous:             0 kB
Locked:                0 kB
VmFlags: rd ex mr mw me sd
55d001000000-55d001200000 r--p 01000000 fd:01 42 /usr/bin/guichet
Rss:                2048 kB
Anonymous:          2048 kB
VmFlags: rd mr mw me ac sd
55d001200000-55d001300000 rw-p 01200000 fd:01 42 /usr/bin/guichet
Rss:                 100 kB
Anonymous:           100 kB
7f0000000000-7f0000010000 r--s 00000000 00:01 7 /dev/dri/card0
Rss:                  64 kB
Anonymous:             0 kB
7f0000010000-7f0000020000 r--p 00000000 00:00 0 
Rss:                  64 kB
Anonymous:            64 kB
7f0000020000-7f0000030000 r--p 00000000 fd:01 9 /usr/lib/libx.so
Rss:                   0 kB
Anonymous:             0 kB
7f0000030000-7f0000040000 r-xp 00000000 fd:01 10 /usr/lib/liby.so
Rss:                  40 kB
Anonymous:             0 kB
Locked:               40 kB
7f0000040000-7f0000050000 r-xp 00000000 fd:01 11 /usr/lib/libz.so
Rss:                  64 kB
Anonymous:             0 kB
";

    #[test]
    fn only_clean_resident_file_mappings_are_handed_back() {
        let found = clean_mappings(SMAPS);
        let starts: Vec<usize> = found.iter().map(|c| c.range.start).collect();
        // The header segment, the code, and a library's code; not the relocated table
        // (private pages), the data, a device, anonymous memory, an empty or locked one.
        assert_eq!(starts, vec![0x55d000000000, 0x55d000100000, 0x7f0000040000]);
        assert_eq!(found[1].rss_kib, 18000);
    }

    #[test]
    fn a_mapping_without_an_anonymous_count_is_left_alone() {
        let old_kernel = "7f0000040000-7f0000050000 r-xp 00000000 fd:01 11 /usr/lib/libz.so\nRss: 64 kB\n";
        assert!(clean_mappings(old_kernel).is_empty());
    }
}

//! Argon2id takes a 19 MiB block for every hash and every login's check. glibc's
//! allocator serves a block that large with its own mapping, given back on free, until
//! the first one is freed: it then raises its mapping threshold above that size, and
//! later blocks come from the arena of the thread that asked, which keeps them when
//! freed. Each of the console's worker threads that ever checked a password then held
//! its own 19 MiB: a console measured 19 MB resident before its first login held 197 to
//! 333 MB after 80 (docs/RELIABILITY.md). Fixing the threshold at 1 MiB keeps every large
//! block in a mapping of its own, returned to the system when the hash is done.

/// Called before each hash; sets the threshold once per process.
pub(crate) fn give_large_blocks_back() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(set_threshold);
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn set_threshold() {
    // glibc's malloc.h: `int mallopt (int param, int value)`; M_MMAP_THRESHOLD is -3.
    extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
    // SAFETY: mallopt only changes a setting of the allocator; glibc makes it thread-safe.
    if unsafe { mallopt(M_MMAP_THRESHOLD, 1 << 20) } != 1 {
        eprintln!("console: could not set the allocator's mapping threshold; each worker may keep 19 MiB");
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set_threshold() {}

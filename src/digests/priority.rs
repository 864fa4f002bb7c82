//! Thread priority for background work. On Linux each thread has a nice value of its own, and a
//! new thread starts with its creator's; elsewhere this does nothing.
//!
//! The digest workers run nicer than the thread that records their results ([`WORKER_NICE`]):
//! that writer is the pass's bottleneck, and with the writer and two workers runnable on two
//! cores, an even share left it two thirds of a core. The reader lowers a whole refresh the same
//! way (`session::priority`), so that keypresses come first; in such a refresh the workers keep
//! the writer's priority.

/// How much nicer than the writer the digest workers run. Measured on a first fetch of 500 feeds
/// x 50 items over 50 hosts at 50 ms (`benches/fetch.sh`'s corpus, alternating runs, 2 cores):
/// 4.13-4.22 s with the workers at the writer's priority, 3.96 s at +5, 3.82-3.97 s at +10; on
/// 200 x 50 with no latency 1.64 s and 1.58 s (+10).
pub const WORKER_NICE: i32 = 10;

/// Lowers the calling thread's priority by `by` (to at most nice 19). Threads it starts
/// afterwards inherit the lower priority. A failure is logged, never fatal: the work still gets
/// done, only not as politely.
pub fn lower_this_thread(by: i32) {
    #[cfg(target_os = "linux")]
    {
        let now = this_thread_nice().unwrap_or(0);
        let target = (now + by).min(19);
        // SAFETY: `gettid` has no preconditions, and `setpriority` only reads its arguments.
        let rc = unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, tid, target)
        };
        if rc != 0 {
            tracing::debug!(
                "cannot lower a background thread's priority: {}",
                std::io::Error::last_os_error()
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = by;
}

/// The calling thread's nice value (Linux only; `None` elsewhere or when it cannot be read).
pub fn this_thread_nice() -> Option<i32> {
    #[cfg(target_os = "linux")]
    {
        // `getpriority` may return -1 as a value: errno tells a failure apart.
        // SAFETY: plain system calls on the calling thread; errno is thread-local.
        unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            *libc::__errno_location() = 0;
            let nice = libc::getpriority(libc::PRIO_PROCESS, tid);
            if nice == -1 && *libc::__errno_location() != 0 {
                return None;
            }
            Some(nice)
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

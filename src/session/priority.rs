//! Background work yields to the interface. A refresh started from the reader (downloads,
//! parsing, storing, digests, the search index) runs on threads of a lower scheduling priority,
//! so that on a busy machine a keypress is drawn before the next batch of background work.
//!
//! On Linux each thread has a nice value of its own, and a new thread starts with its creator's:
//! lowering the thread that starts a refresh lowers every thread the refresh starts (its tokio
//! runtime, the writer, the digest workers). Elsewhere this does nothing.

/// How much nicer than the reader's own threads background work runs: `nice` 10 gets about a
/// tenth of the processor that a `nice` 0 thread gets when both want it.
pub const BACKGROUND_NICE: i32 = 10;

/// Lowers the calling thread's priority by [`BACKGROUND_NICE`] (to at most `nice` 19). Threads
/// it starts afterwards inherit the lower priority. A failure is logged, never fatal: the work
/// still gets done, only not as politely.
pub fn lower_this_thread() {
    #[cfg(target_os = "linux")]
    {
        let now = this_thread_nice().unwrap_or(0);
        let target = (now + BACKGROUND_NICE).min(19);
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_lowered_thread_and_the_threads_it_starts_run_nicer_than_the_others() {
        let ours = this_thread_nice().expect("readable");
        let (lowered, inherited) = std::thread::spawn(|| {
            lower_this_thread();
            let lowered = this_thread_nice();
            let inherited = std::thread::spawn(this_thread_nice).join().unwrap();
            (lowered, inherited)
        })
        .join()
        .unwrap();
        let expected = (ours + BACKGROUND_NICE).min(19);
        assert_eq!(lowered, Some(expected));
        assert_eq!(
            inherited,
            Some(expected),
            "a new thread takes its creator's"
        );
        assert_eq!(
            this_thread_nice(),
            Some(ours),
            "only the calling thread changes"
        );
    }
}

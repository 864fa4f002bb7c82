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
    crate::digests::priority::lower_this_thread(BACKGROUND_NICE);
}

pub use crate::digests::priority::this_thread_nice;

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

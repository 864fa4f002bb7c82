//! Running feed-rs (or a digest worker's body) so that a panic inside it becomes an error for that
//! one feed or item, silently on screen and written to the log.
//!
//! Silencing works with a process-wide panic hook, installed once, that stays quiet only while the
//! current thread is inside [`catch`] and otherwise hands over to the hook that was installed
//! before it. A hook installed later that chains to the previous one (as `ratatui::init` does)
//! keeps working; one that replaces it without chaining brings the panic message back, which
//! is harmless. [`install_quiet_panic_filter`] lets the caller choose when the hook goes in.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

static INSTALL: Once = Once::new();

/// Installs (once per process) the panic hook that keeps panics caught while parsing a feed off
/// the screen. [`crate::feed::parse`] calls it itself; call it earlier only to put it under a
/// terminal-restoring hook, so that a caught parser panic does not restore the terminal.
pub fn install_quiet_panic_filter() {
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                // Caught by `catch`: the log keeps it, the screen does not.
                tracing::error!("caught a panic: {info}");
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, returning `None` (and printing nothing) if it panics.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Option<T> {
    install_quiet_panic_filter();
    let was = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_none() {
        assert_eq!(catch(|| 7), Some(7));
        let out: Option<()> = catch(|| panic!("inside the parser"));
        assert_eq!(out, None);
        assert!(!QUIET.with(Cell::get));
    }
}

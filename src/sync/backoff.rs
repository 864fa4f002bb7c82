//! Backoff after failed syncs: a server that is down, slow or answering errors is not asked again
//! by every automatic sync (the reader's start-up and periodic refresh, `tidings fetch --due`),
//! but after a wait that doubles with each failure in a row: [`FIRST_WAIT_SECS`] after the first,
//! at most [`MAX_WAIT_SECS`]. A sync the user asks for (`tidings sync`, a plain `tidings fetch`,
//! the reader's refresh key) always tries; a successful sync ends the wait.
//!
//! The count and the time of the last failure are kept per account in the cache, as the cursors
//! `failed_syncs` and `failed_at` (Unix seconds) of `sync_cursors`.

use crate::store::{Result, Store};

/// The wait after one failed sync, in seconds.
pub const FIRST_WAIT_SECS: i64 = 60;
/// The longest wait, in seconds.
pub const MAX_WAIT_SECS: i64 = 3_600;

const FAILURES: &str = "failed_syncs";
const FAILED_AT: &str = "failed_at";

/// The wait after `failures` failed syncs in a row (none after none).
pub fn wait_after(failures: u32) -> i64 {
    match failures {
        0 => 0,
        n => FIRST_WAIT_SECS
            .saturating_mul(1_i64 << (n - 1).min(20))
            .min(MAX_WAIT_SECS),
    }
}

/// An account's failed syncs in a row, and when the last one failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backoff {
    /// Failed syncs since the last one that succeeded.
    pub failures: u32,
    /// When the last failed (Unix seconds).
    pub failed_at: i64,
}

/// An automatic sync skipped because the server failed lately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    /// Failed syncs in a row.
    pub failures: u32,
    /// Seconds left before an automatic sync tries again.
    pub secs_left: i64,
}

impl Waiting {
    /// The wait left in whole minutes, rounded up.
    pub fn minutes_left(&self) -> i64 {
        (self.secs_left + 59) / 60
    }

    /// One line saying so, ending with `how_now` (what tries now, e.g. "`tidings sync` tries
    /// now").
    pub fn message(&self, how_now: &str) -> String {
        format!(
            "waiting {} min after {} failed sync{}; {how_now}",
            self.minutes_left(),
            self.failures,
            if self.failures == 1 { "" } else { "s" }
        )
    }
}

impl Backoff {
    /// `account`'s backoff as the cache holds it (none when it holds nothing readable).
    pub fn load(store: &Store, account: &str) -> Result<Backoff> {
        let number = |name| -> Result<Option<i64>> {
            Ok(store
                .sync_cursor(account, name)?
                .and_then(|v| v.parse().ok()))
        };
        Ok(Backoff {
            failures: number(FAILURES)?.map_or(0, |n| n.clamp(0, i64::from(u32::MAX)) as u32),
            failed_at: number(FAILED_AT)?.unwrap_or(0),
        })
    }

    /// Whether an automatic sync at `now` waits, and how long. A clock set back does not make
    /// the wait longer than the backoff's own.
    pub fn waiting(&self, now: i64) -> Option<Waiting> {
        let wait = wait_after(self.failures);
        let elapsed = now.saturating_sub(self.failed_at).max(0);
        (elapsed < wait).then(|| Waiting {
            failures: self.failures,
            secs_left: wait - elapsed,
        })
    }
}

/// Records a failed sync of `account` at `now`.
pub fn record_failure(store: &Store, account: &str, now: i64) -> Result<()> {
    let failures = Backoff::load(store, account)?.failures.saturating_add(1);
    store.set_sync_cursors(
        account,
        &[
            (FAILURES, Some(&failures.to_string())),
            (FAILED_AT, Some(&now.to_string())),
        ],
    )
}

/// Records a sync of `account` that succeeded: no more waiting (nothing written when there was
/// no wait, as after most syncs).
pub fn record_success(store: &Store, account: &str) -> Result<()> {
    if Backoff::load(store, account)? == Backoff::default() {
        return Ok(());
    }
    store.set_sync_cursors(account, &[(FAILURES, None), (FAILED_AT, None)])
}

/// Whether an automatic sync of `account` in the cache at `path` waits now. A cache that cannot
/// be read does not hold a sync back (the sync then says what is wrong).
pub fn automatic_sync_waits(path: &std::path::Path, account: &str) -> Option<Waiting> {
    let store = Store::open_readable(path).ok()?;
    Backoff::load(&store, account)
        .ok()?
        .waiting(crate::refresh::unix_now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_a_minute_up_to_an_hour() {
        let waits: Vec<i64> = (0..9).map(wait_after).collect();
        assert_eq!(waits, [0, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(wait_after(u32::MAX), 3600);
    }

    #[test]
    fn an_automatic_sync_waits_until_the_backoff_has_passed() {
        let b = Backoff {
            failures: 2,
            failed_at: 1_000,
        };
        let w = b.waiting(1_001).unwrap();
        assert_eq!((w.failures, w.secs_left, w.minutes_left()), (2, 119, 2));
        assert_eq!(
            w.message("`tidings sync` tries now"),
            "waiting 2 min after 2 failed syncs; `tidings sync` tries now"
        );
        assert_eq!(b.waiting(1_120), None);
        // A clock set back an hour waits no longer than the backoff.
        assert_eq!(b.waiting(-2_600).map(|w| w.secs_left), Some(120));
        assert_eq!(Backoff::default().waiting(0), None);
    }

    #[test]
    fn failures_count_up_in_the_cache_and_a_success_clears_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let store = Store::open(&path).unwrap();
        record_failure(&store, "a", 100).unwrap();
        record_failure(&store, "a", 200).unwrap();
        assert_eq!(
            Backoff::load(&store, "a").unwrap(),
            Backoff {
                failures: 2,
                failed_at: 200
            }
        );
        assert_eq!(Backoff::load(&store, "b").unwrap(), Backoff::default());
        let now = crate::refresh::unix_now();
        record_failure(&store, "b", now).unwrap();
        assert_eq!(
            automatic_sync_waits(&path, "b").map(|w| w.failures),
            Some(1)
        );
        record_success(&store, "b").unwrap();
        assert_eq!(automatic_sync_waits(&path, "b"), None);
        assert_eq!(Backoff::load(&store, "a").unwrap().failures, 2);
    }
}

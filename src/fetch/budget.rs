//! A byte budget for large bodies, so that downloads wait for memory instead of piling up.
//!
//! Every request may hold a small body ([`super::SMALL_BODY`]) without asking. A body that grows
//! past that (or announces a larger `Content-Length`, or is a larger local file) first reserves
//! room for a whole body of the largest accepted size, and keeps that reservation in a
//! [`BodyHold`] until the caller drops it, after parsing. A reservation is taken whole, once, and
//! never grown, so holders never wait on each other: the budget cannot deadlock.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::FetchError;

/// Room for large bodies, counted in KiB.
#[derive(Debug)]
pub(crate) struct Budget {
    kib: Arc<Semaphore>,
    per_body: u32,
}

/// A reservation of room for one large body; the room is free again when this is dropped.
/// Empty for bodies that needed none.
#[derive(Debug, Default)]
pub struct BodyHold(Option<OwnedSemaphorePermit>);

impl BodyHold {
    /// Whether this holds a reservation.
    pub fn is_held(&self) -> bool {
        self.0.is_some()
    }
}

impl Budget {
    /// A budget of `total` bytes, from which each large body reserves `max_body` bytes (at most
    /// the whole budget, so that one body always fits).
    pub(crate) fn new(total: u64, max_body: u64) -> Budget {
        let total_kib = total.div_ceil(1024).clamp(1, u64::from(u32::MAX));
        let per_body = max_body.div_ceil(1024).clamp(1, total_kib);
        Budget {
            kib: Arc::new(Semaphore::new(total_kib as usize)),
            per_body: per_body as u32,
        }
    }

    /// Makes sure `hold` has a reservation, waiting for room if there is none.
    pub(crate) async fn reserve(&self, hold: &mut BodyHold) {
        if hold.is_held() {
            return;
        }
        let permit = Arc::clone(&self.kib)
            .acquire_many_owned(self.per_body)
            .await
            .expect("the body budget is never closed");
        *hold = BodyHold(Some(permit));
    }
}

/// The time limit of one fetch, as a deadline that time spent waiting for room in the budget
/// moves back: a download that waits for memory is not the server's fault.
#[derive(Debug)]
pub(crate) struct Deadline {
    at: Instant,
    limit: Duration,
}

impl Deadline {
    /// A deadline `limit` from now.
    pub(crate) fn new(limit: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + limit,
            limit,
        }
    }

    /// Runs `work` until the deadline; past it, [`FetchError::Timeout`] with the full limit.
    pub(crate) async fn run<F: Future>(&self, work: F) -> Result<F::Output, FetchError> {
        tokio::time::timeout_at(self.at, work)
            .await
            .map_err(|_| FetchError::Timeout(self.limit))
    }

    /// Makes sure `hold` has room in `budget`, moving the deadline back by the time waited.
    pub(crate) async fn reserve(&mut self, budget: &Budget, hold: &mut BodyHold) {
        let started = Instant::now();
        budget.reserve(hold).await;
        self.at += started.elapsed();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_third_large_body_waits_until_one_is_dropped() {
        let budget = Budget::new(2 << 20, 1 << 20);
        let (mut a, mut b, mut c) = (
            BodyHold::default(),
            BodyHold::default(),
            BodyHold::default(),
        );
        budget.reserve(&mut a).await;
        budget.reserve(&mut b).await;
        let waited = tokio::time::timeout(Duration::from_millis(50), budget.reserve(&mut c)).await;
        assert!(waited.is_err(), "no room for a third body");
        drop(a);
        tokio::time::timeout(Duration::from_secs(5), budget.reserve(&mut c))
            .await
            .expect("room once a body is dropped");
        assert!(c.is_held());
    }

    #[tokio::test]
    async fn a_body_larger_than_the_budget_still_fits_alone() {
        let budget = Budget::new(1 << 20, 64 << 20);
        let mut a = BodyHold::default();
        tokio::time::timeout(Duration::from_secs(5), budget.reserve(&mut a))
            .await
            .expect("one body always fits");
    }
}

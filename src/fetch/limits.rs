//! How many requests may be in flight: in all, and to one host.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Two layers of semaphores: one per host, then one for everything.
#[derive(Debug)]
pub(crate) struct Limits {
    global: Arc<Semaphore>,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Held while a request is in flight; dropping it frees both slots.
#[derive(Debug)]
pub(crate) struct Slot {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl Limits {
    /// Limits of `max_in_flight` in all and `per_host` per host (each at least one).
    pub(crate) fn new(max_in_flight: usize, per_host: usize) -> Self {
        Limits {
            global: Arc::new(Semaphore::new(max_in_flight.max(1))),
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a slot for `host`. The host's slot is taken first, so that requests queued
    /// behind a busy host do not hold global slots other hosts could use.
    pub(crate) async fn acquire(&self, host: &str) -> Slot {
        let host_sem = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            hosts
                .entry(host.to_ascii_lowercase())
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_host)))
                .clone()
        };
        let host_permit = host_sem
            .acquire_owned()
            .await
            .expect("host semaphores are never closed");
        let global_permit = self
            .global
            .clone()
            .acquire_owned()
            .await
            .expect("the global semaphore is never closed");
        Slot {
            _host: host_permit,
            _global: global_permit,
        }
    }
}

//! What can go wrong in a sync, each as one line naming the server and what to do.

use crate::store::StoreError;

/// A sync that could not be done; its `Display` is one line naming the server.
#[derive(Debug, thiserror::Error)]
#[error("{server}: {kind}")]
pub struct SyncError {
    /// The server as the user knows it: its kind and address (password masked).
    pub server: String,
    /// What went wrong.
    pub kind: SyncErrorKind,
}

/// The causes of a [`SyncError`].
#[derive(Debug, thiserror::Error)]
pub enum SyncErrorKind {
    /// `[sync]` is incomplete or wrong.
    #[error("{0}")]
    Config(String),
    /// The password or token command failed.
    #[error("{0}")]
    Secret(String),
    /// No connection (refused, unreachable, timed out).
    #[error(
        "cannot reach the server ({0}); is it running, and is `[sync] url` right? Local changes stay queued for the next sync"
    )]
    Unreachable(String),
    /// The TLS handshake failed.
    #[error(
        "TLS failed ({0}); for a server with its own certificate authority set `[sync] ca_file`"
    )]
    Tls(String),
    /// The server refused the credentials.
    #[error(
        "the server refused the credentials (HTTP {0}); check `[sync] username` and the password or token command (the server may need its API password set in its own settings)"
    )]
    Auth(u16),
    /// The address answers, but not with this kind of server's API.
    #[error("no {kind} API at this address ({detail}); check `[sync] url` and `[sync] server`")]
    WrongKind {
        /// The kind asked for.
        kind: &'static str,
        /// What answered.
        detail: String,
    },
    /// The server answered an error.
    #[error(
        "the server answered HTTP {status} to {what}; local changes stay queued for the next sync"
    )]
    Status {
        /// The HTTP status.
        status: u16,
        /// The request, in words.
        what: String,
    },
    /// The answer could not be read (not JSON of the expected shape).
    #[error("unreadable answer to {what}: {detail}")]
    BadAnswer {
        /// The request, in words.
        what: String,
        /// Why.
        detail: String,
    },
    /// The answer was larger than the limit.
    #[error("the answer to {what} exceeds {limit} bytes")]
    TooLarge {
        /// The request, in words.
        what: String,
        /// The limit.
        limit: u64,
    },
    /// The cache failed.
    #[error("cache: {0}")]
    Store(#[from] StoreError),
}

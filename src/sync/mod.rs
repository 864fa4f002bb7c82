//! Sync with a server the user runs (Miniflux's REST API, or the Google Reader API of FreshRSS,
//! Miniflux and others, both behind [`Server`]): its subscriptions, items and read and starred state come into
//! the cache, and the local changes queued in the cache go to it.
//!
//! Offline first: marking read or starred only writes the cache, whose triggers queue the change
//! for the account it concerns (see `store/sync.rs`); so does renaming or tagging one of the
//! server's feeds (see `store/sync_edits.rs`). A sync sends the queues first (local changes
//! win), then lets the server's state win. A sync pages through what changed since the
//! last one, storing each page with the cursor that follows it, so a sync stopped half-way
//! resumes where it stopped. Nothing here touches the terminal.

pub mod backoff;
mod client;
pub mod entries;
mod error;
pub mod greader;
pub mod miniflux;
mod run;
pub mod server;

use std::path::PathBuf;
use std::time::Duration;

pub use crate::fetch::Secret;
pub use error::{SyncError, SyncErrorKind};
pub use run::{SyncProgress, SyncReport, run};
pub use server::{FolderEdit, Page, Pass, RemoteEntry, RemoteFeed, Server, States};

use crate::config::SyncSettings;
use crate::config::credentials::{COMMAND_TIMEOUT, run_secret_command};

/// How the sync proves who it is.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// An API token (Miniflux's `X-Auth-Token`).
    Token(Secret),
    /// A user name and password.
    Password {
        /// The user.
        username: String,
        /// The password.
        password: Secret,
    },
}

/// The kinds of server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Miniflux's REST API.
    Miniflux,
    /// The Google Reader API.
    GoogleReader,
}

impl Kind {
    /// The name `[sync] server` takes.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Miniflux => "miniflux",
            Kind::GoogleReader => "greader",
        }
    }
}

/// A server to sync with, as `[sync]` describes it (the secret not yet read).
#[derive(Debug, Clone)]
pub struct Account {
    /// Its kind.
    pub kind: Kind,
    /// Its base address.
    pub url: String,
    /// The user.
    pub username: String,
    /// The command printing the password, if any.
    pub password_command: Vec<String>,
    /// The command printing a token, if any.
    pub token_command: Vec<String>,
    /// Extra roots.
    pub ca_file: Option<PathBuf>,
    /// Days of read items the first sync brings.
    pub days: u32,
}

impl Account {
    /// The account `[sync]` describes, or `None` when no server is set.
    pub fn from_settings(s: &SyncSettings) -> Result<Option<Account>, SyncError> {
        if !s.enabled() {
            return Ok(None);
        }
        let server = format!(
            "{} at {}",
            s.server.trim(),
            crate::fetch::display_url(&s.url)
        );
        let fail = |m: String| SyncError {
            server: server.clone(),
            kind: SyncErrorKind::Config(m),
        };
        let kind = match s.server.trim() {
            "miniflux" => Kind::Miniflux,
            "greader" => Kind::GoogleReader,
            other => {
                return Err(fail(format!(
                    "`[sync] server = {other:?}` is not a kind tidings knows: \"miniflux\" or \"greader\""
                )));
            }
        };
        let url = s.url.trim();
        if entries::web_url(url).is_none() {
            return Err(fail(
                "`[sync] url` must be the server's http(s) address".to_string(),
            ));
        }
        if s.password_command.is_empty() && s.token_command.is_empty() {
            return Err(fail(
                "set `[sync] password_command` (or `token_command`) to a command printing the secret"
                    .to_string(),
            ));
        }
        if s.token_command.is_empty() && s.username.trim().is_empty() {
            return Err(fail("set `[sync] username`".to_string()));
        }
        Ok(Some(Account {
            kind,
            url: url.trim_end_matches('/').to_string(),
            username: s.username.trim().to_string(),
            password_command: s.password_command.clone(),
            token_command: s.token_command.clone(),
            ca_file: (!s.ca_file.trim().is_empty()).then(|| PathBuf::from(s.ca_file.trim())),
            days: s.days.max(1),
        }))
    }

    /// The key the cache files this account's feeds, items, queue and cursors under: the kind,
    /// the address and the user.
    pub fn key(&self) -> String {
        format!("{} {} {}", self.kind.name(), self.url, self.username)
    }

    /// The server as messages name it.
    pub fn describe(&self) -> String {
        format!(
            "{} at {}",
            self.kind.name(),
            crate::fetch::display_url(&self.url)
        )
    }

    /// Runs the secret command (a token when set, else the password).
    pub fn credentials(&self) -> Result<Credentials, SyncError> {
        let fail = |m: String| SyncError {
            server: self.describe(),
            kind: SyncErrorKind::Secret(format!("[sync] {m}")),
        };
        if !self.token_command.is_empty() {
            let t = run_secret_command("token_command", &self.token_command, COMMAND_TIMEOUT)
                .map_err(|e| fail(e.to_string()))?;
            return Ok(Credentials::Token(t));
        }
        let p = run_secret_command("password_command", &self.password_command, COMMAND_TIMEOUT)
            .map_err(|e| fail(e.to_string()))?;
        Ok(Credentials::Password {
            username: self.username.clone(),
            password: p,
        })
    }

    /// A client of this account's server, with the credentials read.
    pub fn connect(&self, timeout: Duration) -> Result<AnyServer, SyncError> {
        let credentials = self.credentials()?;
        let http = client::HttpClient::new(self.describe(), self.ca_file.as_deref(), timeout)?;
        Ok(match self.kind {
            Kind::Miniflux => AnyServer::Miniflux(miniflux::Miniflux::new(
                http,
                &self.url,
                credentials,
                self.describe(),
            )),
            Kind::GoogleReader => AnyServer::GoogleReader(greader::GoogleReader::new(
                http,
                &self.url,
                credentials,
                self.describe(),
            )),
        })
    }
}

/// A server of either kind.
pub enum AnyServer {
    /// Miniflux's REST API.
    Miniflux(miniflux::Miniflux),
    /// The Google Reader API.
    GoogleReader(greader::GoogleReader),
}

impl Server for AnyServer {
    fn describe(&self) -> String {
        match self {
            AnyServer::Miniflux(s) => s.describe(),
            AnyServer::GoogleReader(s) => s.describe(),
        }
    }

    async fn check(&self) -> Result<(), SyncError> {
        match self {
            AnyServer::Miniflux(s) => s.check().await,
            AnyServer::GoogleReader(s) => s.check().await,
        }
    }

    fn now(&self) -> i64 {
        match self {
            AnyServer::Miniflux(s) => s.now(),
            AnyServer::GoogleReader(s) => s.now(),
        }
    }

    async fn feeds(&self) -> Result<Vec<RemoteFeed>, SyncError> {
        match self {
            AnyServer::Miniflux(s) => s.feeds().await,
            AnyServer::GoogleReader(s) => s.feeds().await,
        }
    }

    async fn page(
        &self,
        pass: Pass,
        token: Option<&str>,
        known: &std::collections::HashSet<String>,
    ) -> Result<Page, SyncError> {
        match self {
            AnyServer::Miniflux(s) => s.page(pass, token, known).await,
            AnyServer::GoogleReader(s) => s.page(pass, token, known).await,
        }
    }

    async fn states(&self) -> Result<Option<States>, SyncError> {
        match self {
            AnyServer::Miniflux(s) => s.states().await,
            AnyServer::GoogleReader(s) => s.states().await,
        }
    }

    async fn subscribe(&self, url: &str, tag: Option<&str>) -> Result<(), SyncError> {
        match self {
            AnyServer::Miniflux(s) => s.subscribe(url, tag).await,
            AnyServer::GoogleReader(s) => s.subscribe(url, tag).await,
        }
    }

    async fn edit_feed(
        &self,
        feed: &RemoteFeed,
        title: Option<&str>,
        folders: Option<&[String]>,
    ) -> Result<(), SyncError> {
        match self {
            AnyServer::Miniflux(s) => s.edit_feed(feed, title, folders).await,
            AnyServer::GoogleReader(s) => s.edit_feed(feed, title, folders).await,
        }
    }

    async fn unsubscribe(&self, id: &str) -> Result<(), SyncError> {
        match self {
            AnyServer::Miniflux(s) => s.unsubscribe(id).await,
            AnyServer::GoogleReader(s) => s.unsubscribe(id).await,
        }
    }

    async fn push(
        &self,
        change: crate::store::SyncChange,
        ids: &[String],
    ) -> Result<(), SyncError> {
        match self {
            AnyServer::Miniflux(s) => s.push(change, ids).await,
            AnyServer::GoogleReader(s) => s.push(change, ids).await,
        }
    }
}

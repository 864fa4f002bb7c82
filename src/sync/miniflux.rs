//! The `miniflux` kind: Miniflux's REST API (`/v1/...`), with an API key (`X-Auth-Token`) or the
//! user's password (HTTP basic).
//!
//! Pages run by entry id (`after_entry_id`, ascending), which never shift while the server
//! changes: an entry changed during a sync may be missed by this run's id walk, but its change
//! time is after the run's start, from which the next sync asks.

use serde::Deserialize;

use super::client::{HttpClient, parse_json};
use super::server::{FolderEdit, Page, Pass, RemoteEntry, RemoteFeed, Server};
use super::{Credentials, SyncError, SyncErrorKind};
use crate::store::SyncChange;

/// Entries per page (Miniflux's largest `limit`).
pub const PAGE_SIZE: usize = 1000;

/// Ids per status update.
const PUSH_CHUNK: usize = 500;

/// A Miniflux server.
pub struct Miniflux {
    http: HttpClient,
    base: String,
    credentials: Credentials,
    describe: String,
}

impl Miniflux {
    /// A client of the Miniflux at `base` (its address, without `/v1`).
    pub fn new(http: HttpClient, base: &str, credentials: Credentials, describe: String) -> Self {
        Miniflux {
            http,
            base: base.trim_end_matches('/').to_string(),
            credentials,
            describe,
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let r = self
            .http
            .client()
            .request(method, format!("{}{path}", self.base))
            .header("Accept", "application/json");
        match &self.credentials {
            Credentials::Token(t) => r.header("X-Auth-Token", t.expose()),
            Credentials::Password { username, password } => {
                r.basic_auth(username, Some(password.expose()))
            }
        }
    }

    /// The id of the category titled `title`, created when there is none.
    async fn category_id(&self, title: &str) -> Result<i64, SyncError> {
        let categories: Vec<MfCategoryId> = self.get("/v1/categories").await?;
        // Miniflux compares titles ignoring case (it refuses "news" beside "News").
        let found = categories.iter().find(|c| c.title == title).or_else(|| {
            categories
                .iter()
                .find(|c| c.title.to_lowercase() == title.to_lowercase())
        });
        if let Some(c) = found {
            return Ok(c.id);
        }
        let request = self
            .request(reqwest::Method::POST, "/v1/categories")
            .header("Content-Type", "application/json")
            .body(serde_json::json!({ "title": title }).to_string());
        let made = self.http.send(request, "POST /v1/categories").await?;
        Ok(parse_json::<MfCategoryId>(&self.http, &made, "POST /v1/categories")?.id)
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, SyncError> {
        let what = format!("GET {}", path.split('?').next().unwrap_or(path));
        let body = self
            .http
            .send(self.request(reqwest::Method::GET, path), &what)
            .await?;
        parse_json(&self.http, &body, &what)
    }
}

#[derive(Deserialize)]
struct Me {
    #[allow(dead_code)]
    id: i64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MfCategory {
    title: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MfCategoryId {
    id: i64,
    title: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MfFeed {
    id: i64,
    feed_url: String,
    site_url: String,
    title: String,
    category: Option<MfCategory>,
    parsing_error_count: i64,
    parsing_error_message: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MfEnclosure {
    url: String,
    mime_type: String,
    size: i64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MfEntry {
    id: i64,
    feed_id: i64,
    status: String,
    title: String,
    url: String,
    published_at: String,
    content: String,
    author: String,
    starred: bool,
    enclosures: Option<Vec<MfEnclosure>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MfEntries {
    entries: Vec<MfEntry>,
}

fn non_empty(s: String) -> Option<String> {
    Some(s).filter(|s| !s.trim().is_empty())
}

impl From<MfEntry> for RemoteEntry {
    fn from(e: MfEntry) -> RemoteEntry {
        RemoteEntry {
            id: e.id.to_string(),
            feed_id: e.feed_id.to_string(),
            title: e.title,
            url: non_empty(e.url),
            author: non_empty(e.author),
            published: chrono::DateTime::parse_from_rfc3339(&e.published_at)
                .ok()
                .map(|d| d.timestamp()),
            content: e.content,
            enclosures: e
                .enclosures
                .unwrap_or_default()
                .into_iter()
                .map(|x| {
                    (
                        x.url,
                        non_empty(x.mime_type),
                        u64::try_from(x.size).ok().filter(|&s| s > 0),
                    )
                })
                .collect(),
            read: e.status == "read",
            starred: e.starred,
        }
    }
}

impl Server for Miniflux {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    async fn check(&self) -> Result<(), SyncError> {
        match self.get::<Me>("/v1/me").await {
            Ok(_) => Ok(()),
            Err(SyncError {
                kind: SyncErrorKind::Status { status, .. },
                ..
            }) => Err(self.http.error(SyncErrorKind::WrongKind {
                kind: "Miniflux",
                detail: format!("HTTP {status} to GET /v1/me"),
            })),
            Err(SyncError {
                kind: SyncErrorKind::BadAnswer { .. },
                ..
            }) => Err(self.http.error(SyncErrorKind::WrongKind {
                kind: "Miniflux",
                detail: "GET /v1/me is not Miniflux's answer".to_string(),
            })),
            Err(e) => Err(e),
        }
    }

    fn now(&self) -> i64 {
        self.http.now()
    }

    async fn feeds(&self) -> Result<Vec<RemoteFeed>, SyncError> {
        let feeds: Vec<MfFeed> = self.get("/v1/feeds").await?;
        Ok(feeds
            .into_iter()
            .map(|f| RemoteFeed {
                id: f.id.to_string(),
                url: f.feed_url,
                title: f.title,
                site_url: non_empty(f.site_url),
                categories: f
                    .category
                    .map(|c| c.title)
                    .into_iter()
                    .filter(|t| !t.trim().is_empty())
                    .collect(),
                error: (f.parsing_error_count > 0)
                    .then(|| non_empty(f.parsing_error_message))
                    .flatten(),
            })
            .collect())
    }

    async fn page(
        &self,
        pass: Pass,
        token: Option<&str>,
        _known: &std::collections::HashSet<String>,
    ) -> Result<Page, SyncError> {
        let filter = match pass {
            Pass::Unread => "status=unread".to_string(),
            Pass::Starred => "starred=true".to_string(),
            Pass::ReadSince(t) => format!("status=read&published_after={t}"),
            Pass::ChangedSince(t) => format!("changed_after={t}"),
        };
        let after: i64 = token.and_then(|t| t.parse().ok()).unwrap_or(0);
        let path = format!(
            "/v1/entries?{filter}&order=id&direction=asc&limit={PAGE_SIZE}&after_entry_id={after}"
        );
        let answer: MfEntries = self.get(&path).await?;
        let full = answer.entries.len() >= PAGE_SIZE;
        let last = answer.entries.iter().map(|e| e.id).max();
        Ok(Page {
            entries: answer.entries.into_iter().map(RemoteEntry::from).collect(),
            next: last.filter(|_| full).map(|id| id.to_string()),
        })
    }

    async fn subscribe(&self, url: &str, tag: Option<&str>) -> Result<(), SyncError> {
        let mut body = serde_json::json!({ "feed_url": url });
        if let Some(tag) = tag {
            body["category_id"] = self.category_id(tag).await?.into();
        }
        let request = self
            .request(reqwest::Method::POST, "/v1/feeds")
            .header("Content-Type", "application/json")
            .body(body.to_string());
        self.http.send(request, "POST /v1/feeds").await?;
        Ok(())
    }

    async fn edit_feed(
        &self,
        feed: &RemoteFeed,
        title: Option<&str>,
        folders: Option<&[String]>,
    ) -> Result<(), SyncError> {
        let mut body = serde_json::Map::new();
        if let Some(title) = title.filter(|t| *t != feed.title) {
            body.insert("title".into(), title.into());
        }
        // One category per feed: the first folder added (see `FolderEdit`).
        let folders = folders.map(|f| FolderEdit::between(&feed.categories, f));
        if let Some(folder) = folders.as_ref().and_then(FolderEdit::move_to) {
            body.insert("category_id".into(), self.category_id(folder).await?.into());
        }
        if body.is_empty() {
            return Ok(());
        }
        let id: i64 = feed.id.parse().unwrap_or(0);
        let request = self
            .request(reqwest::Method::PUT, &format!("/v1/feeds/{id}"))
            .header("Content-Type", "application/json")
            .body(serde_json::Value::Object(body).to_string());
        self.http.send(request, "PUT /v1/feeds").await?;
        Ok(())
    }

    async fn unsubscribe(&self, id: &str) -> Result<(), SyncError> {
        let id: i64 = id.parse().unwrap_or(0);
        let path = format!("/v1/feeds/{id}");
        let request = self.request(reqwest::Method::DELETE, &path);
        self.http.send(request, "DELETE /v1/feeds").await?;
        Ok(())
    }

    async fn push(&self, change: SyncChange, ids: &[String]) -> Result<(), SyncError> {
        let ids: Vec<i64> = ids.iter().filter_map(|i| i.parse().ok()).collect();
        for chunk in ids.chunks(PUSH_CHUNK) {
            let body = match change {
                SyncChange::Read => serde_json::json!({ "entry_ids": chunk, "status": "read" }),
                SyncChange::Unread => serde_json::json!({ "entry_ids": chunk, "status": "unread" }),
                SyncChange::Starred => serde_json::json!({ "entry_ids": chunk, "starred": true }),
                SyncChange::Unstarred => {
                    serde_json::json!({ "entry_ids": chunk, "starred": false })
                }
            };
            let request = self
                .request(reqwest::Method::PUT, "/v1/entries")
                .header("Content-Type", "application/json")
                .body(body.to_string());
            self.http.send(request, "PUT /v1/entries").await?;
        }
        Ok(())
    }
}

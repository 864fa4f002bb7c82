//! The `greader` kind: the Google Reader API (`/accounts/ClientLogin`, `/reader/api/0/...`) as
//! FreshRSS, Miniflux and hosted services serve it.
//!
//! Items are known by their short (decimal) ids. The API cannot say which items changed state, so
//! after the new items of an incremental sync the sync compares the server's whole lists of
//! unread and starred ids with the cache (see [`Server::states`]). New items are the ids of the
//! reading list published since [`LATE_ARRIVAL_SECS`] before the last sync (`ot`) that the cache
//! does not have; only their contents are asked for.

use std::sync::Mutex;

use serde::Deserialize;

use super::client::{HttpClient, parse_json};
use super::server::{FolderEdit, Page, Pass, RemoteEntry, RemoteFeed, Server, States};
use super::{Credentials, SyncError, SyncErrorKind};
use crate::store::SyncChange;

/// Item ids per page.
pub const PAGE_SIZE: usize = 1000;
/// Ids per `stream/items/contents` or `edit-tag` request.
const CHUNK: usize = 250;
/// How far before the last sync an incremental sync looks for new items by publication time
/// (their ids only; the contents of those the cache lacks).
pub const LATE_ARRIVAL_SECS: i64 = 30 * 86_400;

const READING_LIST: &str = "user/-/state/com.google/reading-list";
const READ: &str = "user/-/state/com.google/read";
const STARRED: &str = "user/-/state/com.google/starred";

/// A Google Reader API server.
pub struct GoogleReader {
    http: HttpClient,
    base: String,
    credentials: Credentials,
    describe: String,
    /// The `Auth` token from ClientLogin, once logged in.
    auth: Mutex<Option<String>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Login {
    #[serde(rename = "Auth")]
    auth: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Category {
    label: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Subscription {
    id: String,
    title: String,
    categories: Vec<Category>,
    url: String,
    html_url: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Subscriptions {
    subscriptions: Vec<Subscription>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ItemRef {
    id: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ItemIds {
    item_refs: Vec<ItemRef>,
    continuation: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Href {
    href: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Text {
    content: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Origin {
    stream_id: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GrEnclosure {
    url: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Item {
    id: String,
    categories: Vec<String>,
    title: String,
    published: i64,
    author: String,
    alternate: Vec<Href>,
    canonical: Vec<Href>,
    summary: Text,
    content: Text,
    origin: Origin,
    enclosure: Vec<GrEnclosure>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Contents {
    items: Vec<Item>,
}

/// The short (decimal) form of an item id, from the long form
/// `tag:google.com,2005:reader/item/<16 hex digits>` or the short one.
pub fn short_id(id: &str) -> Option<String> {
    match id.rsplit_once("reader/item/") {
        Some((_, hex)) => u64::from_str_radix(hex, 16).ok().map(|n| n.to_string()),
        None => id.parse::<u64>().ok().map(|n| n.to_string()),
    }
}

/// Whether `categories` holds the state `state` (`read`, `starred`), for any user.
fn has_state(categories: &[String], state: &str) -> bool {
    let suffix = format!("/state/com.google/{state}");
    categories
        .iter()
        .any(|c| c.starts_with("user/") && c.ends_with(&suffix))
}

impl From<Item> for RemoteEntry {
    fn from(i: Item) -> RemoteEntry {
        let body = if i.content.content.trim().is_empty() {
            i.summary.content
        } else {
            i.content.content
        };
        RemoteEntry {
            id: short_id(&i.id).unwrap_or_default(),
            feed_id: i.origin.stream_id,
            read: has_state(&i.categories, "read"),
            starred: has_state(&i.categories, "starred"),
            title: i.title,
            url: i
                .alternate
                .into_iter()
                .chain(i.canonical)
                .map(|h| h.href)
                .find(|h| !h.trim().is_empty()),
            author: Some(i.author).filter(|a| !a.trim().is_empty()),
            published: Some(i.published).filter(|&p| p > 0),
            content: body,
            enclosures: i
                .enclosure
                .into_iter()
                .map(|e| (e.url, Some(e.kind).filter(|k| !k.is_empty()), None))
                .collect(),
        }
    }
}

impl GoogleReader {
    /// A client of the Google Reader API at `base` (the address before `/accounts` and
    /// `/reader`; for FreshRSS, `.../api/greader.php`).
    pub fn new(http: HttpClient, base: &str, credentials: Credentials, describe: String) -> Self {
        GoogleReader {
            http,
            base: base.trim_end_matches('/').to_string(),
            credentials,
            describe,
            auth: Mutex::new(None),
        }
    }

    fn wrong_kind(&self, detail: String) -> SyncError {
        self.http.error(SyncErrorKind::WrongKind {
            kind: "Google Reader",
            detail,
        })
    }

    async fn login(&self) -> Result<String, SyncError> {
        if let Some(t) = self.auth.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            return Ok(t);
        }
        let (user, password) = match &self.credentials {
            Credentials::Password { username, password } => (username.clone(), password.expose()),
            Credentials::Token(t) => {
                // A token is the ClientLogin `Auth` value itself.
                let t = t.expose().to_string();
                *self.auth.lock().unwrap_or_else(|p| p.into_inner()) = Some(t.clone());
                return Ok(t);
            }
        };
        let request = self
            .http
            .client()
            .post(format!("{}/accounts/ClientLogin", self.base))
            .header("Content-Type", FORM)
            .body(form_body(&[
                ("Email", user.as_str()),
                ("Passwd", password),
                ("output", "json"),
            ]));
        let body = match self.http.send(request, "ClientLogin").await {
            Err(SyncError {
                kind: SyncErrorKind::Status { status, .. },
                ..
            }) => return Err(self.wrong_kind(format!("HTTP {status} to ClientLogin"))),
            other => other?,
        };
        let login: Login = parse_json(&self.http, &body, "ClientLogin")
            .map_err(|_| self.wrong_kind("ClientLogin did not answer with a token".into()))?;
        if login.auth.is_empty() {
            return Err(self.wrong_kind("ClientLogin did not answer with a token".into()));
        }
        *self.auth.lock().unwrap_or_else(|p| p.into_inner()) = Some(login.auth.clone());
        Ok(login.auth)
    }

    async fn get(&self, path_and_query: &str, what: &str) -> Result<Vec<u8>, SyncError> {
        let auth = self.login().await?;
        let request = self
            .http
            .client()
            .get(format!("{}/reader/api/0/{path_and_query}", self.base))
            .header("Authorization", format!("GoogleLogin auth={auth}"));
        self.http.send(request, what).await
    }

    async fn post(
        &self,
        path: &str,
        form: Vec<(&str, String)>,
        what: &str,
    ) -> Result<Vec<u8>, SyncError> {
        let auth = self.login().await?;
        let token = self.get("token", "GET token").await?;
        let token = String::from_utf8_lossy(&token).trim().to_string();
        let mut form = form;
        form.push(("T", token));
        let request = self
            .http
            .client()
            .post(format!("{}/reader/api/0/{path}", self.base))
            .header("Authorization", format!("GoogleLogin auth={auth}"))
            .header("Content-Type", FORM)
            .body(form_body(
                &form
                    .iter()
                    .map(|(k, v)| (*k, v.as_str()))
                    .collect::<Vec<_>>(),
            ));
        self.http.send(request, what).await
    }

    /// One page of item ids of `stream` (with `extra` query parameters), from `continuation`.
    async fn ids(
        &self,
        stream: &str,
        extra: &str,
        continuation: Option<&str>,
    ) -> Result<(Vec<String>, Option<String>), SyncError> {
        let mut query = format!(
            "stream/items/ids?output=json&s={}&n={PAGE_SIZE}{extra}",
            url_encode(stream)
        );
        if let Some(c) = continuation {
            query.push_str(&format!("&c={}", url_encode(c)));
        }
        let body = self.get(&query, "GET stream/items/ids").await?;
        let ids: ItemIds = parse_json(&self.http, &body, "GET stream/items/ids")?;
        let next = match ids.continuation {
            Some(serde_json::Value::String(s)) if !s.is_empty() && s != "0" => Some(s),
            Some(serde_json::Value::Number(n)) if n.as_i64().is_some_and(|n| n > 0) => {
                Some(n.to_string())
            }
            _ => None,
        };
        Ok((
            ids.item_refs
                .into_iter()
                .filter_map(|r| short_id(&r.id))
                .collect(),
            next,
        ))
    }

    /// Every id of `stream` (with `extra`), page after page.
    async fn all_ids(&self, stream: &str, extra: &str) -> Result<Vec<String>, SyncError> {
        let mut out = Vec::new();
        let mut continuation = None;
        loop {
            let (ids, next) = self.ids(stream, extra, continuation.as_deref()).await?;
            out.extend(ids);
            match next {
                Some(n) if continuation.as_deref() != Some(n.as_str()) => continuation = Some(n),
                _ => return Ok(out),
            }
        }
    }
}

/// The media type of a form body.
const FORM: &str = "application/x-www-form-urlencoded";

/// A form body of `pairs`.
fn form_body(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Percent-encodes a query value.
fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

impl Server for GoogleReader {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    async fn check(&self) -> Result<(), SyncError> {
        self.login().await?;
        match self.get("user-info?output=json", "GET user-info").await {
            Ok(_) => Ok(()),
            Err(SyncError {
                kind: SyncErrorKind::Status { status, .. },
                ..
            }) => Err(self.wrong_kind(format!("HTTP {status} to GET user-info"))),
            Err(e) => Err(e),
        }
    }

    fn now(&self) -> i64 {
        self.http.now()
    }

    async fn feeds(&self) -> Result<Vec<RemoteFeed>, SyncError> {
        let body = self
            .get("subscription/list?output=json", "GET subscription/list")
            .await?;
        let list: Subscriptions = parse_json(&self.http, &body, "GET subscription/list")?;
        Ok(list
            .subscriptions
            .into_iter()
            .map(|s| RemoteFeed {
                id: s.id,
                url: s.url,
                title: s.title,
                site_url: Some(s.html_url).filter(|u| !u.trim().is_empty()),
                categories: s
                    .categories
                    .into_iter()
                    .map(|c| c.label)
                    .filter(|l| !l.trim().is_empty())
                    .collect(),
                error: None,
            })
            .collect())
    }

    async fn page(
        &self,
        pass: Pass,
        token: Option<&str>,
        known: &std::collections::HashSet<String>,
    ) -> Result<Page, SyncError> {
        let (stream, extra) = match pass {
            Pass::Unread => (READING_LIST, format!("&xt={}", url_encode(READ))),
            Pass::Starred => (STARRED, String::new()),
            Pass::ReadSince(t) => (READ, format!("&ot={t}")),
            Pass::ChangedSince(t) => (
                READING_LIST,
                format!("&ot={}", (t - LATE_ARRIVAL_SECS).max(1)),
            ),
        };
        let (mut ids, next) = self.ids(stream, &extra, token).await?;
        if matches!(pass, Pass::ChangedSince(_)) {
            // Only new items: the state of known ones comes from `states`.
            ids.retain(|id| !known.contains(id));
        }
        let mut entries = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(CHUNK) {
            let form = std::iter::once(("output", "json".to_string()))
                .chain(chunk.iter().map(|id| ("i", id.clone())))
                .collect();
            let body = self
                .post("stream/items/contents", form, "POST stream/items/contents")
                .await?;
            let contents: Contents = parse_json(&self.http, &body, "POST stream/items/contents")?;
            entries.extend(contents.items.into_iter().map(RemoteEntry::from));
        }
        Ok(Page { entries, next })
    }

    async fn states(&self) -> Result<Option<States>, SyncError> {
        let unread = self
            .all_ids(READING_LIST, &format!("&xt={}", url_encode(READ)))
            .await?;
        let starred = self.all_ids(STARRED, "").await?;
        Ok(Some(States {
            unread: unread.into_iter().collect(),
            starred: starred.into_iter().collect(),
        }))
    }

    async fn subscribe(&self, url: &str, tag: Option<&str>) -> Result<(), SyncError> {
        let mut form = vec![
            ("ac", "subscribe".to_string()),
            ("s", format!("feed/{url}")),
        ];
        if let Some(tag) = tag {
            form.push(("a", format!("user/-/label/{tag}")));
        }
        self.post("subscription/edit", form, "POST subscription/edit")
            .await?;
        Ok(())
    }

    async fn edit_feed(
        &self,
        feed: &RemoteFeed,
        title: Option<&str>,
        folders: Option<&[String]>,
    ) -> Result<(), SyncError> {
        let mut form = vec![("ac", "edit".to_string()), ("s", feed.id.clone())];
        if let Some(title) = title.filter(|t| *t != feed.title) {
            form.push(("t", title.to_string()));
        }
        // The folder to move to first: a server of one folder per feed takes the first `a`.
        let folders = folders
            .map(|f| FolderEdit::between(&feed.categories, f))
            .unwrap_or_default();
        for added in &folders.added {
            form.push(("a", format!("user/-/label/{added}")));
        }
        for removed in &folders.removed {
            form.push(("r", format!("user/-/label/{removed}")));
        }
        if form.len() == 2 {
            return Ok(());
        }
        self.post("subscription/edit", form, "POST subscription/edit")
            .await?;
        Ok(())
    }

    async fn unsubscribe(&self, id: &str) -> Result<(), SyncError> {
        let form = vec![("ac", "unsubscribe".to_string()), ("s", id.to_string())];
        self.post("subscription/edit", form, "POST subscription/edit")
            .await?;
        Ok(())
    }

    async fn push(&self, change: SyncChange, ids: &[String]) -> Result<(), SyncError> {
        let (verb, tag) = match change {
            SyncChange::Read => ("a", READ),
            SyncChange::Unread => ("r", READ),
            SyncChange::Starred => ("a", STARRED),
            SyncChange::Unstarred => ("r", STARRED),
        };
        for chunk in ids.chunks(CHUNK) {
            let form = std::iter::once((verb, tag.to_string()))
                .chain(chunk.iter().map(|id| ("i", id.clone())))
                .collect();
            self.post("edit-tag", form, "POST edit-tag").await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_short_item_ids_meet() {
        assert_eq!(
            short_id("tag:google.com,2005:reader/item/00000000000000ff").as_deref(),
            Some("255")
        );
        assert_eq!(short_id("255").as_deref(), Some("255"));
        assert_eq!(short_id("x"), None);
        assert!(has_state(&["user/1/state/com.google/read".into()], "read"));
        assert!(!has_state(&["user/1/label/read".into()], "read"));
    }
}

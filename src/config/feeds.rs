//! `[[feed]]` tables: settings for one feed, or for every feed of a tag.
//!
//! ```toml
//! [[feed]]
//! tag = "news"
//! max_items_per_feed = 200
//!
//! [[feed]]
//! url = "https://example.org/private.xml"
//! username = "me"
//! password_command = ["pass", "show", "example.org"]
//! full_text = "always"
//! ```
//!
//! A table matches by `url` (compared by the address's identity, see [`crate::fetch::identity`])
//! or by `tag` (one of the feed's stored tags). The effective settings of a feed are laid key by
//! key: the tables that match by tag in file order, then those that match by URL in file order,
//! so a URL match wins over a tag match and a later table over an earlier one. A setting from a
//! `[[feed]]` table wins over what `tidings add`, `tidings set` or the reader stored in the cache.
//!
//! Each table is checked as written (see [`read`]), so a problem names its line.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::validate::Problem;
use crate::content::fulltext::FullTextMode;

/// Every key a `[[feed]]` table takes besides `url` and `tag`, in the order the docs list them.
pub const KEYS: &[&str] = &[
    "max_items_per_feed",
    "max_age_days",
    "keep_unread",
    "keep_starred",
    "min_refresh_minutes",
    "user_agent",
    "headers",
    "proxy",
    "username",
    "password_command",
    "netrc",
    "dedup",
    "full_text",
    "full_text_selector",
    "title",
    "tags",
    "auto_download",
    "images",
    "images_offline",
];

/// The proxy schemes tidings takes, in `[[feed]] proxy` and `[fetch] proxy`.
pub const PROXY_SCHEMES: &[&str] = &["http", "https", "socks5", "socks5h"];

/// Which feeds a `[[feed]]` table is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedMatch {
    /// The feed with this address identity.
    Url(String),
    /// Every feed with this stored tag.
    Tag(String),
}

/// The settings a `[[feed]]` table sets; `None` for a key it leaves alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedSettings {
    /// Items kept for the feed (`0`: no limit), instead of `[retention]`'s.
    pub max_items_per_feed: Option<usize>,
    /// Days items are kept (`0`: no limit), instead of `[retention]`'s.
    pub max_age_days: Option<u32>,
    /// Whether unread items are never removed, instead of `[retention]`'s.
    pub keep_unread: Option<bool>,
    /// Whether starred items are never removed, instead of `[retention]`'s.
    pub keep_starred: Option<bool>,
    /// `tidings fetch --due` and the reader's periodic refresh fetch the feed at most this often.
    pub min_refresh_minutes: Option<u64>,
    /// The `User-Agent` sent for the feed.
    pub user_agent: Option<String>,
    /// Extra request headers, sent to the feed's own origin only.
    pub headers: Option<Vec<(String, String)>>,
    /// The proxy the feed is fetched through.
    pub proxy: Option<String>,
    /// The user name for HTTP Basic authentication.
    pub username: Option<String>,
    /// The program (no shell) whose first line of output is the password.
    pub password_command: Option<Vec<String>>,
    /// Take the credentials from the `.netrc` entry of the feed's host.
    pub netrc: Option<bool>,
    /// `false`: the feed's items are neither folded nor merged into stories.
    pub dedup: Option<bool>,
    /// Whether the feed's articles are fetched from their pages.
    pub full_text: Option<FullTextMode>,
    /// The CSS selector of the article on the feed's pages.
    pub full_text_selector: Option<String>,
    /// The title shown for the feed.
    pub title: Option<String>,
    /// Tags added to the feed's stored ones.
    pub tags: Option<Vec<String>>,
    /// Whether the feed's new episodes are queued for download.
    pub auto_download: Option<bool>,
    /// How the feed's article images are drawn, instead of `[reader] images`.
    pub images: Option<super::ImageMode>,
    /// Whether the images of the feed's new items are fetched with the feed, to show offline.
    pub images_offline: Option<bool>,
}

/// Lays `over` onto `base`, key by key: every key `over` sets replaces the base's.
macro_rules! overlay {
    ($base:expr, $over:expr, $keys:expr; $($field:ident),* $(,)?) => {
        $(
            if let Some(v) = &$over.$field {
                $base.$field = Some(v.clone());
                if !$keys.contains(&stringify!($field)) {
                    $keys.push(stringify!($field));
                }
            }
        )*
    };
}

impl FeedSettings {
    /// Lays `over` onto these settings and notes in `keys` each key it set.
    fn overlay(&mut self, over: &FeedSettings, keys: &mut Vec<&'static str>) {
        overlay!(self, over, keys;
            max_items_per_feed, max_age_days, keep_unread, keep_starred, min_refresh_minutes,
            user_agent, headers, proxy, username, password_command, netrc, dedup, full_text,
            full_text_selector, title, tags, auto_download, images,
            images_offline);
    }

    /// Whether these settings set `key` (one of [`KEYS`]).
    pub fn sets(&self, key: &str) -> bool {
        match key {
            "max_items_per_feed" => self.max_items_per_feed.is_some(),
            "max_age_days" => self.max_age_days.is_some(),
            "keep_unread" => self.keep_unread.is_some(),
            "keep_starred" => self.keep_starred.is_some(),
            "min_refresh_minutes" => self.min_refresh_minutes.is_some(),
            "user_agent" => self.user_agent.is_some(),
            "headers" => self.headers.is_some(),
            "proxy" => self.proxy.is_some(),
            "username" => self.username.is_some(),
            "password_command" => self.password_command.is_some(),
            "netrc" => self.netrc.is_some(),
            "dedup" => self.dedup.is_some(),
            "full_text" => self.full_text.is_some(),
            "full_text_selector" => self.full_text_selector.is_some(),
            "title" => self.title.is_some(),
            "tags" => self.tags.is_some(),
            "auto_download" => self.auto_download.is_some(),
            "images" => self.images.is_some(),
            "images_offline" => self.images_offline.is_some(),
            _ => false,
        }
    }

    /// Whether the feed asks for credentials (`password_command` or `netrc = true`).
    pub fn wants_credentials(&self) -> bool {
        self.password_command.is_some() || self.netrc == Some(true)
    }
}

/// One `[[feed]]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedTable {
    /// Which feeds it is for.
    pub matches: FeedMatch,
    /// Its 1-based line in the config file.
    pub line: usize,
    /// What it sets.
    pub settings: FeedSettings,
}

/// The effective settings of one feed, and which keys the config file set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effective {
    /// The settings the `[[feed]]` tables give the feed (keys left alone are `None`).
    pub settings: FeedSettings,
    /// The keys some `[[feed]]` table set for it, in [`KEYS`] order.
    pub from_config: Vec<&'static str>,
}

/// Every `[[feed]]` table of the config, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedRules {
    /// The tables.
    pub tables: Vec<FeedTable>,
}

impl FeedRules {
    /// The settings the `[[feed]]` tables give the feed at `url` with the stored `tags`: tag
    /// matches first, then URL matches, each in file order, laid key by key.
    pub fn effective(&self, url: &str, tags: &[String]) -> Effective {
        let mut out = Effective::default();
        if self.tables.is_empty() {
            return out;
        }
        let key = crate::fetch::identity(url);
        let by_tag = self.tables.iter().filter(|t| match &t.matches {
            FeedMatch::Tag(tag) => tags.iter().any(|s| s == tag),
            FeedMatch::Url(_) => false,
        });
        let by_url = self
            .tables
            .iter()
            .filter(|t| matches!(&t.matches, FeedMatch::Url(u) if *u == key));
        for table in by_tag.chain(by_url) {
            out.settings.overlay(&table.settings, &mut out.from_config);
        }
        out.from_config
            .sort_by_key(|k| KEYS.iter().position(|x| x == k).unwrap_or(usize::MAX));
        out
    }

    /// The keys of the feed at `url` with the stored `tags` that a `[[feed]]` table sets, so
    /// that an edit of one of them in the cache (a rename with `c`, tags with `t`, `tidings set`)
    /// can say it is overridden by the config file. Empty when no table matches.
    pub fn overridden_keys(&self, url: &str, tags: &[String]) -> Vec<&'static str> {
        self.effective(url, tags).from_config
    }

    /// The line of the `[[feed]]` table whose `key` the feed at `url` with the stored `tags` gets
    /// (the one that wins), to name it when it overrides an edit.
    pub fn line_setting(&self, url: &str, tags: &[String], key: &str) -> Option<usize> {
        let id = crate::fetch::identity(url);
        let sets = |t: &&FeedTable| t.settings.sets(key);
        let by_url = self
            .tables
            .iter()
            .filter(|t| matches!(&t.matches, FeedMatch::Url(u) if *u == id))
            .rfind(sets);
        let by_tag = || {
            self.tables
                .iter()
                .filter(|t| matches!(&t.matches, FeedMatch::Tag(tag) if tags.contains(tag)))
                .rfind(sets)
        };
        by_url.or_else(by_tag).map(|t| t.line)
    }

    /// The title and tags `feed` is shown with: a table's `title` wins over the cache's, and its
    /// `tags` are added to the stored ones (sorted, without duplicates). For every list of feeds
    /// (`tidings feeds`, `tidings show`, and the reader's feed pane).
    pub fn title_and_tags(&self, feed: &crate::model::FeedRow) -> (String, Vec<String>) {
        let s = self.effective(&feed.url, &feed.tags).settings;
        let title = s.title.unwrap_or_else(|| feed.title.clone());
        let mut tags = feed.tags.clone();
        for t in s.tags.unwrap_or_default() {
            let t = crate::content::sanitize_line(&t).trim().to_string();
            if !t.is_empty() && !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags.sort();
        (title, tags)
    }

    /// Whether any table asks for credentials (the reader resolves them before it starts).
    pub fn any_credentials(&self) -> bool {
        self.tables.iter().any(|t| t.settings.wants_credentials())
    }
}

/// The `[[feed]]` tables of the user's `text` (already known to be valid TOML), in file order.
pub(super) fn read(text: &str) -> Result<FeedRules, Problem> {
    let tables = super::tables::read_each(text, "feed", "`url` or `tag`", |t, at, _| {
        read_table(text, at, t)
    })?;
    Ok(FeedRules { tables })
}

fn problem(offset: usize, message: String) -> Problem {
    Problem { offset, message }
}

/// One `[[feed]]` table, starting at byte `at`.
fn read_table(text: &str, at: usize, t: &DeTable<'_>) -> Result<FeedTable, Problem> {
    let mut matches = None;
    let mut s = FeedSettings::default();
    for (k, v) in t {
        let name = k.get_ref().as_ref();
        let start = v.span().start;
        match name {
            "url" | "tag" => {
                if matches.is_some() {
                    return Err(problem(
                        k.span().start,
                        "a [[feed]] matches by `url` or by `tag`, not both".into(),
                    ));
                }
                let value = string(name, v)?;
                let value = value.trim();
                if value.is_empty() {
                    return Err(problem(start, format!("`feed.{name}` cannot be empty")));
                }
                matches = Some(if name == "url" {
                    FeedMatch::Url(crate::fetch::identity(value))
                } else {
                    FeedMatch::Tag(value.to_string())
                });
            }
            "max_items_per_feed" => {
                s.max_items_per_feed = Some(number(name, v, 0, 1_000_000)? as usize)
            }
            "max_age_days" => s.max_age_days = Some(number(name, v, 0, 36_500)? as u32),
            "min_refresh_minutes" => {
                s.min_refresh_minutes = Some(number(name, v, 0, 44_640)? as u64)
            }
            "keep_unread" => s.keep_unread = Some(boolean(name, v)?),
            "keep_starred" => s.keep_starred = Some(boolean(name, v)?),
            "netrc" => s.netrc = Some(boolean(name, v)?),
            "dedup" => s.dedup = Some(boolean(name, v)?),
            "auto_download" => s.auto_download = Some(boolean(name, v)?),
            "images_offline" => s.images_offline = Some(boolean(name, v)?),
            "images" => {
                let m = string(name, v)?;
                s.images = Some(super::ImageMode::parse(m.trim()).ok_or_else(|| {
                    problem(
                        start,
                        format!(
                            "`feed.images = {m:?}`: it takes \"auto\", \"halfblocks\" or \"off\""
                        ),
                    )
                })?);
            }
            "user_agent" => s.user_agent = Some(header_value(name, v)?),
            "username" => s.username = Some(header_value(name, v)?),
            "title" => s.title = Some(nonempty(name, v)?),
            "proxy" => {
                let p = string(name, v)?;
                check_proxy(&p).map_err(|m| problem(start, format!("`feed.proxy`: {m}")))?;
                s.proxy = Some(p.trim().to_string());
            }
            "full_text" => {
                let m = string(name, v)?;
                s.full_text = Some(FullTextMode::from_name(m.trim()).ok_or_else(|| {
                    problem(
                        start,
                        format!(
                            "`feed.full_text = {m:?}`: it takes \"auto\", \"always\" or \"never\""
                        ),
                    )
                })?);
            }
            "full_text_selector" => {
                let sel = string(name, v)?;
                if crate::content::extract::check_selector(&sel).is_err() {
                    return Err(problem(
                        start,
                        format!("`feed.full_text_selector = {sel:?}` is not a CSS selector"),
                    ));
                }
                s.full_text_selector = Some(sel);
            }
            "tags" => s.tags = Some(strings(name, v, false)?),
            "password_command" => s.password_command = Some(strings(name, v, true)?),
            "headers" => s.headers = Some(headers(text, v)?),
            other => {
                return Err(problem(
                    k.span().start,
                    format!(
                        "unknown key `{other}` in [[feed]] (the keys are url, tag, {})",
                        KEYS.join(", ")
                    ),
                ));
            }
        }
    }
    let Some(matches) = matches else {
        return Err(problem(
            at,
            "a [[feed]] needs a `url` or a `tag` to say which feeds it is for".into(),
        ));
    };
    if s.password_command.is_some() && s.username.is_none() {
        return Err(problem(
            at,
            "a [[feed]] with `password_command` needs a `username`".into(),
        ));
    }
    if s.password_command.is_some() && s.netrc == Some(true) {
        return Err(problem(
            at,
            "a [[feed]] takes its password from `password_command` or from `netrc`, not both"
                .into(),
        ));
    }
    if s.username.is_some() && !s.wants_credentials() {
        return Err(problem(
            at,
            "a [[feed]] with `username` needs `password_command` or `netrc = true`".into(),
        ));
    }
    Ok(FeedTable {
        matches,
        line: super::line_of(text, at),
        settings: s,
    })
}

/// What a value is, in words.
fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn string(name: &str, v: &Spanned<DeValue<'_>>) -> Result<String, Problem> {
    match v.get_ref() {
        DeValue::String(s) => Ok(s.to_string()),
        other => Err(problem(
            v.span().start,
            format!(
                "`feed.{name}` must be text (in quotes), not {}",
                kind(other)
            ),
        )),
    }
}

/// Text that is not empty once trimmed.
fn nonempty(name: &str, v: &Spanned<DeValue<'_>>) -> Result<String, Problem> {
    let s = string(name, v)?;
    if s.trim().is_empty() {
        return Err(problem(
            v.span().start,
            format!("`feed.{name}` cannot be empty"),
        ));
    }
    Ok(s.trim().to_string())
}

/// Text that may go into an HTTP header: not empty, no control characters.
fn header_value(name: &str, v: &Spanned<DeValue<'_>>) -> Result<String, Problem> {
    let s = nonempty(name, v)?;
    if s.chars().any(char::is_control) {
        return Err(problem(
            v.span().start,
            format!("`feed.{name}` cannot hold a control character"),
        ));
    }
    Ok(s)
}

fn boolean(name: &str, v: &Spanned<DeValue<'_>>) -> Result<bool, Problem> {
    match v.get_ref() {
        DeValue::Boolean(b) => Ok(*b),
        other => Err(problem(
            v.span().start,
            format!("`feed.{name}` must be true or false, not {}", kind(other)),
        )),
    }
}

fn number(name: &str, v: &Spanned<DeValue<'_>>, lo: i64, hi: i64) -> Result<i64, Problem> {
    let DeValue::Integer(i) = v.get_ref() else {
        return Err(problem(
            v.span().start,
            format!(
                "`feed.{name}` must be a whole number, not {}",
                kind(v.get_ref())
            ),
        ));
    };
    match i64::from_str_radix(i.as_str(), i.radix()) {
        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
        _ => Err(problem(
            v.span().start,
            format!(
                "`feed.{name} = {}` is out of range: it takes a whole number from {lo} to {hi}",
                i.as_str()
            ),
        )),
    }
}

/// A list of text; with `required`, a non-empty one whose first entry is not empty.
fn strings(name: &str, v: &Spanned<DeValue<'_>>, required: bool) -> Result<Vec<String>, Problem> {
    let DeValue::Array(items) = v.get_ref() else {
        return Err(problem(
            v.span().start,
            format!(
                "`feed.{name}` must be a list of text, such as [\"a\", \"b\"], not {}",
                kind(v.get_ref())
            ),
        ));
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item.get_ref() {
            DeValue::String(s) => out.push(s.to_string()),
            other => {
                return Err(problem(
                    item.span().start,
                    format!(
                        "`feed.{name}` is a list of text, and this entry is {}",
                        kind(other)
                    ),
                ));
            }
        }
    }
    if required && out.first().is_none_or(|p| p.trim().is_empty()) {
        return Err(problem(
            v.span().start,
            format!("`feed.{name}` needs a program to run, such as [\"pass\", \"show\", \"site\"]"),
        ));
    }
    Ok(out)
}

/// `headers = { "Name" = "value" }`: names that are HTTP tokens, values without controls.
fn headers(text: &str, v: &Spanned<DeValue<'_>>) -> Result<Vec<(String, String)>, Problem> {
    let DeValue::Table(t) = v.get_ref() else {
        return Err(problem(
            v.span().start,
            format!(
                "`feed.headers` must be a table such as {{ \"X-Token\" = \"abc\" }}, not {}",
                kind(v.get_ref())
            ),
        ));
    };
    let mut out = Vec::new();
    for (k, val) in t {
        let name = k.get_ref().as_ref();
        let token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !token {
            let shown = text.get(k.span()).unwrap_or(name);
            return Err(problem(
                k.span().start,
                format!("`feed.headers`: {shown} is not a header name"),
            ));
        }
        let lower = name.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "host" | "content-length" | "transfer-encoding"
        ) {
            return Err(problem(
                k.span().start,
                format!("`feed.headers`: tidings sets {name} itself"),
            ));
        }
        let value = match val.get_ref() {
            DeValue::String(s) if !s.chars().any(char::is_control) => s.to_string(),
            DeValue::String(_) => {
                return Err(problem(
                    val.span().start,
                    format!("`feed.headers.{name}` cannot hold a control character"),
                ));
            }
            other => {
                return Err(problem(
                    val.span().start,
                    format!(
                        "`feed.headers.{name}` must be text (in quotes), not {}",
                        kind(other)
                    ),
                ));
            }
        };
        out.push((name.to_string(), value));
    }
    Ok(out)
}

/// Checks a proxy address: a URL with a scheme of [`PROXY_SCHEMES`] and a host.
pub fn check_proxy(proxy: &str) -> Result<(), String> {
    let p = proxy.trim();
    let url = url::Url::parse(p).map_err(|_| {
        format!("{p:?} is not a proxy address (such as \"socks5h://127.0.0.1:1080\")")
    })?;
    if !PROXY_SCHEMES.contains(&url.scheme()) {
        return Err(format!(
            "the proxy scheme {:?} is not one of {}",
            url.scheme(),
            PROXY_SCHEMES.join(", ")
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("the proxy {p:?} names no host"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;

    fn load(text: &str) -> Result<Config, String> {
        Config::from_user_text(text, Path::new("c.toml")).map_err(|e| e.to_string())
    }

    fn tags(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_url_match_beats_a_tag_match_whatever_the_order() {
        let c = load(
            "[[feed]]\nurl = \"HTTP://Example.org:80/feed#x\"\nmax_age_days = 3\n\n\
             [[feed]]\ntag = \"news\"\nmax_age_days = 30\ndedup = false\n",
        )
        .unwrap();
        let e = c
            .feeds
            .effective("http://example.org/feed", &tags(&["news"]));
        assert_eq!(e.settings.max_age_days, Some(3), "the URL table wins");
        assert_eq!(
            e.settings.dedup,
            Some(false),
            "the tag table still gives its other keys"
        );
        assert_eq!(e.from_config, ["max_age_days", "dedup"]);
        let other = c
            .feeds
            .effective("http://example.org/other", &tags(&["news"]));
        assert_eq!(other.settings.max_age_days, Some(30));
        let none = c
            .feeds
            .effective("http://example.org/other", &tags(&["sport"]));
        assert_eq!(none, Effective::default());
        assert!(
            c.feeds
                .overridden_keys("http://example.org/other", &[])
                .is_empty()
        );
    }

    #[test]
    fn a_later_table_beats_an_earlier_one_key_by_key() {
        let c = load(
            "[[feed]]\ntag = \"a\"\ntitle = \"First\"\nkeep_unread = false\n\n\
             [[feed]]\ntag = \"b\"\ntitle = \"Second\"\n\n\
             [[feed]]\nurl = \"http://h.test/f\"\nfull_text = \"never\"\n\n\
             [[feed]]\nurl = \"http://h.test/f\"\nfull_text = \"always\"\ntags = [\"x\"]\n",
        )
        .unwrap();
        let e = c.feeds.effective("http://h.test/f", &tags(&["a", "b"]));
        assert_eq!(e.settings.title.as_deref(), Some("Second"));
        assert_eq!(e.settings.keep_unread, Some(false));
        assert_eq!(e.settings.full_text, Some(FullTextMode::Always));
        assert_eq!(e.settings.tags, Some(tags(&["x"])));
        assert_eq!(
            c.feeds
                .overridden_keys("http://h.test/f", &tags(&["a", "b"])),
            ["keep_unread", "full_text", "title", "tags"]
        );
        let line = |key| {
            c.feeds
                .line_setting("http://h.test/f", &tags(&["a", "b"]), key)
        };
        assert_eq!(line("title"), Some(6));
        assert_eq!(line("full_text"), Some(14));
        assert_eq!(line("keep_unread"), Some(1));
        assert_eq!(line("dedup"), None);
    }

    #[test]
    fn every_key_reads() {
        let c = load(
            "[[feed]]\nurl = \"https://h.test/f\"\nmax_items_per_feed = 5\nmax_age_days = 2\n\
             keep_unread = false\nkeep_starred = false\nmin_refresh_minutes = 90\n\
             user_agent = \"Bot/1\"\nheaders = { \"X-Token\" = \"abc\" }\n\
             proxy = \"socks5h://127.0.0.1:1080\"\nusername = \"me\"\n\
             password_command = [\"echo\", \"pw\"]\ndedup = false\nfull_text = \"always\"\n\
             full_text_selector = \"div.story\"\ntitle = \"Mine\"\ntags = [\"x\", \"y\"]\n\
             auto_download = true\nimages = \"off\"\nimages_offline = true\n\n\
             [[feed]]\ntag = \"t\"\nnetrc = true\n",
        )
        .unwrap();
        let e = c.feeds.effective("https://h.test/f", &[]);
        assert_eq!(e.from_config.len(), KEYS.len() - 1, "all but netrc");
        assert_eq!(
            e.settings.headers,
            Some(vec![("X-Token".to_string(), "abc".to_string())])
        );
        assert_eq!(e.settings.password_command, Some(tags(&["echo", "pw"])));
        assert_eq!(e.settings.auto_download, Some(true));
        assert_eq!(e.settings.images, Some(crate::config::ImageMode::Off));
        assert_eq!(e.settings.images_offline, Some(true));
        assert_eq!(c.feeds.tables[1].line, 22);
        assert!(c.feeds.any_credentials());
    }

    #[test]
    fn problems_name_their_lines() {
        for (text, line, words) in [
            (
                "[[feed]]\nurl = \"http://h/\"\nmax_item = 3\n",
                3,
                "unknown key `max_item`",
            ),
            (
                "\n[[feed]]\nmax_age_days = 3\n",
                2,
                "needs a `url` or a `tag`",
            ),
            (
                "[[feed]]\ntag = \"a\"\nurl = \"http://h/\"\n",
                3,
                "not both",
            ),
            (
                "[[feed]]\ntag = \"a\"\nmax_age_days = -1\n",
                3,
                "out of range",
            ),
            (
                "[[feed]]\ntag = \"a\"\nkeep_unread = \"yes\"\n",
                3,
                "true or false",
            ),
            (
                "[[feed]]\ntag = \"a\"\nfull_text = \"sometimes\"\n",
                3,
                "\"auto\"",
            ),
            (
                "[[feed]]\ntag = \"a\"\nfull_text_selector = \"div[\"\n",
                3,
                "not a CSS selector",
            ),
            (
                "[[feed]]\ntag = \"a\"\nproxy = \"ftp://h:21\"\n",
                3,
                "socks5h",
            ),
            (
                "[[feed]]\ntag = \"a\"\nheaders = { \"Bad Name\" = \"x\" }\n",
                3,
                "not a header name",
            ),
            (
                "[[feed]]\ntag = \"a\"\nheaders = { \"X\" = 3 }\n",
                3,
                "must be text",
            ),
            (
                "[[feed]]\ntag = \"a\"\npassword_command = []\n",
                3,
                "needs a program",
            ),
            (
                "[[feed]]\ntag = \"a\"\npassword_command = [\"x\"]\n",
                1,
                "needs a `username`",
            ),
            (
                "[[feed]]\ntag = \"a\"\nusername = \"me\"\n",
                1,
                "needs `password_command`",
            ),
            ("[[feed]]\ntag = \"a\"\ntags = \"x\"\n", 3, "list of text"),
            ("[feed]\ntag = \"a\"\n", 1, "list of tables"),
            ("[fetch]\nproxy = \"gopher://h\"\n", 2, "proxy scheme"),
        ] {
            let e = load(text).unwrap_err();
            assert!(e.starts_with(&format!("c.toml:{line}:")), "{text}: {e}");
            assert!(e.contains(words), "{text}: {e}");
        }
    }
}

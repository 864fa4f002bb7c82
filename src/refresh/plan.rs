//! What the config's `[[feed]]` tables change in a refresh run, feed by feed: the requests'
//! extras (user agent, headers, credentials, proxy), retention, the full-text mode and
//! selector, deduplication, and whether a feed is due.
//!
//! Credentials are resolved before the run (see [`resolve`]): the `password_command`s run, and
//! the `.netrc` is read, before the reader takes the terminal or `tidings fetch` starts.

use std::collections::{HashMap, HashSet};

use crate::config::credentials::Resolver;
use crate::config::feeds::{FeedRules, FeedSettings};
use crate::content::fulltext::FullTextMode;
use crate::fetch::{BasicAuth, RequestExtras, identity};
use crate::model::{FeedId, FeedRow};
use crate::store::RetentionPolicy;

/// The per-feed settings of a run: the `[[feed]]` tables and the credentials resolved for them.
#[derive(Debug, Clone, Default)]
pub struct FeedPlans {
    /// The config's `[[feed]]` tables.
    pub rules: FeedRules,
    /// Credentials by feed address identity, kept in memory only.
    pub credentials: HashMap<String, BasicAuth>,
}

impl FeedPlans {
    /// Plans from the tables alone, with no credentials.
    pub fn new(rules: FeedRules) -> FeedPlans {
        FeedPlans {
            rules,
            credentials: HashMap::new(),
        }
    }

    /// What the tables set for `feed`.
    pub fn settings(&self, feed: &FeedRow) -> FeedSettings {
        self.rules.effective(&feed.url, &feed.tags).settings
    }

    /// What `feed`'s requests carry besides the fetcher's defaults.
    pub fn extras(&self, feed: &FeedRow) -> RequestExtras {
        let s = self.settings(feed);
        RequestExtras {
            user_agent: s.user_agent,
            headers: s.headers.unwrap_or_default(),
            auth: self.credentials.get(&identity(&feed.url)).cloned(),
            proxy: s.proxy,
        }
    }

    /// The feeds among `feeds` whose tables set retention keys, each with its policy: `base`
    /// with those keys laid over it (`0` is no limit, as in `[retention]`).
    pub fn retention(
        &self,
        feeds: &[FeedRow],
        base: &RetentionPolicy,
    ) -> HashMap<FeedId, RetentionPolicy> {
        let mut out = HashMap::new();
        for feed in feeds {
            let s = self.settings(feed);
            if s.max_items_per_feed.is_none()
                && s.max_age_days.is_none()
                && s.keep_unread.is_none()
                && s.keep_starred.is_none()
            {
                continue;
            }
            let mut p = base.clone();
            if let Some(n) = s.max_items_per_feed {
                p.max_items_per_feed = (n > 0).then_some(n);
            }
            if let Some(d) = s.max_age_days {
                p.max_age_days = (d > 0).then_some(d);
            }
            p.keep_unread = s.keep_unread.unwrap_or(p.keep_unread);
            p.keep_starred = s.keep_starred.unwrap_or(p.keep_starred);
            out.insert(feed.id, p);
        }
        out
    }

    /// The full-text modes and selectors the tables set, by feed.
    pub fn full_text(
        &self,
        feeds: &[FeedRow],
    ) -> (HashMap<FeedId, FullTextMode>, HashMap<FeedId, String>) {
        let mut modes = HashMap::new();
        let mut selectors = HashMap::new();
        for feed in feeds {
            let s = self.settings(feed);
            if let Some(m) = s.full_text {
                modes.insert(feed.id, m);
            }
            if let Some(sel) = s.full_text_selector {
                selectors.insert(feed.id, sel);
            }
        }
        (modes, selectors)
    }

    /// The feeds among `feeds` set to `auto_download = true`.
    pub fn auto_download(&self, feeds: &[FeedRow]) -> Vec<FeedId> {
        feeds
            .iter()
            .filter(|f| self.settings(f).auto_download == Some(true))
            .map(|f| f.id)
            .collect()
    }

    /// The feeds among `feeds` set to `images_offline = true`.
    pub fn images_offline(&self, feeds: &[FeedRow]) -> Vec<FeedRow> {
        feeds
            .iter()
            .filter(|f| self.settings(f).images_offline == Some(true))
            .cloned()
            .collect()
    }

    /// The feeds among `feeds` set to `dedup = false`.
    pub fn without_dedup(&self, feeds: &[FeedRow]) -> HashSet<FeedId> {
        feeds
            .iter()
            .filter(|f| self.settings(f).dedup == Some(false))
            .map(|f| f.id)
            .collect()
    }

    /// Whether `feed` is due at `now`: its `min_refresh_minutes`, else its own `hint` (seconds,
    /// capped at a day), since its last attempt; a feed never tried, or with neither, is due.
    pub fn is_due(&self, feed: &FeedRow, hint: Option<i64>, now: i64) -> bool {
        let wait = match self.settings(feed).min_refresh_minutes {
            Some(m) => i64::try_from(m.saturating_mul(60)).unwrap_or(i64::MAX),
            None => hint.unwrap_or(0).clamp(0, crate::feed::MAX_HINT_SECS),
        };
        match feed.last_checked {
            Some(last) if wait > 0 => now.saturating_sub(last) >= wait,
            _ => true,
        }
    }
}

/// Resolves the credentials the tables ask for, for each of `feeds`: runs each distinct
/// `password_command` once (no shell, standard input closed, 10 s at most) and reads the
/// `.netrc` once. Returns the plans and one line per problem, for the user: a credential that
/// cannot be had (the feed is fetched without it), and Basic auth over plain http (once a feed).
pub fn resolve(rules: &FeedRules, feeds: &[FeedRow]) -> (FeedPlans, Vec<String>) {
    let mut plans = FeedPlans::new(rules.clone());
    let mut problems = Vec::new();
    if !rules.any_credentials() {
        return (plans, problems);
    }
    let mut resolver = Resolver::new();
    for feed in feeds {
        let settings = plans.settings(feed);
        if !settings.wants_credentials() {
            continue;
        }
        let name = crate::content::sanitize_line(&crate::fetch::redact(&feed.title)).into_owned();
        match resolver.credentials(&settings, &feed.url) {
            Ok(Some(auth)) => {
                if feed.url.trim().to_ascii_lowercase().starts_with("http://") {
                    problems.push(format!(
                        "{name}: Basic auth over plain http sends the password unencrypted"
                    ));
                }
                plans.credentials.insert(identity(&feed.url), auth);
            }
            Ok(None) => {}
            Err(e) => problems.push(format!("{name}: {e}; fetched without credentials")),
        }
    }
    (plans, problems)
}

/// The request extras of a feed not subscribed yet, at `url` with `tags` (for `tidings add`),
/// with the problems [`resolve`] reports.
pub fn extras_for(rules: &FeedRules, url: &str, tags: &[String]) -> (RequestExtras, Vec<String>) {
    let row = FeedRow {
        id: 0,
        url: url.to_string(),
        title: crate::fetch::display_url(url),
        site_link: None,
        tags: tags.to_vec(),
        items: 0,
        unread: 0,
        last_success: None,
        last_checked: None,
        last_error: None,
        etag: None,
        last_modified: None,
        retry_not_before: None,
    };
    let (plans, problems) = resolve(rules, std::slice::from_ref(&row));
    (plans.extras(&row), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(url: &str, last_checked: Option<i64>) -> FeedRow {
        FeedRow {
            id: 1,
            url: url.into(),
            title: "t".into(),
            site_link: None,
            tags: Vec::new(),
            items: 0,
            unread: 0,
            last_success: None,
            last_checked,
            last_error: None,
            etag: None,
            last_modified: None,
            retry_not_before: None,
        }
    }

    fn plans(text: &str) -> FeedPlans {
        let c =
            crate::config::Config::from_user_text(text, std::path::Path::new("c.toml")).unwrap();
        FeedPlans::new(c.feeds)
    }

    #[test]
    fn a_feed_is_due_by_its_setting_else_by_its_hint() {
        let p = plans("[[feed]]\nurl = \"http://h.test/a\"\nmin_refresh_minutes = 60\n");
        let now = 100_000;
        let a = feed("http://h.test/a", Some(now - 1_800));
        assert!(!p.is_due(&a, None, now), "checked 30 min ago, due every 60");
        assert!(
            !p.is_due(&a, Some(60), now),
            "the setting wins over the hint"
        );
        assert!(p.is_due(&feed("http://h.test/a", Some(now - 3_600)), None, now));
        let b = feed("http://h.test/b", Some(now - 1_800));
        assert!(p.is_due(&b, None, now), "no setting and no hint");
        assert!(!p.is_due(&b, Some(3_600), now));
        assert!(p.is_due(&b, Some(600), now));
        assert!(
            p.is_due(
                &feed("http://h.test/b", Some(now - 86_400)),
                Some(7 * 86_400),
                now
            ),
            "hints are capped at a day"
        );
        assert!(p.is_due(&feed("http://h.test/b", None), Some(3_600), now));
    }

    #[test]
    fn credentials_from_a_command_and_the_plain_http_warning() {
        let c = crate::config::Config::from_user_text(
            "[[feed]]\ntag = \"private\"\nusername = \"me\"\n\
             password_command = [\"sh\", \"-c\", \"echo pw\"]\n",
            std::path::Path::new("c.toml"),
        )
        .unwrap();
        let mut a = feed("http://h.test/a", None);
        a.tags = vec!["private".into()];
        let b = feed("https://h.test/b", None);
        let (plans, problems) = resolve(&c.feeds, &[a.clone(), b.clone()]);
        let auth = plans.extras(&a).auth.unwrap();
        assert_eq!(
            (auth.username.as_str(), auth.password.expose()),
            ("me", "pw")
        );
        assert_eq!(plans.extras(&b).auth, None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("plain http"), "{problems:?}");
        assert!(!problems[0].contains("pw"), "{problems:?}");
    }
}

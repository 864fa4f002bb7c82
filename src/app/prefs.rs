//! The reader's remembered choices: each view's order and whether it hides read items (`S`, `H`),
//! and the feed list's order, whether it hides feeds with nothing unread, and which tags are
//! folded. They are kept in the cache's `view_settings` table (see [`crate::store::ViewSetting`])
//! as a view key, a setting name and a text value; a cache that cannot be written simply does not
//! remember them.

use std::collections::{BTreeSet, HashMap};

use crate::app::msg::Command;
use crate::model::{ItemQuery, View};
use crate::store::ViewSetting;

/// The key under which the feed list's own settings are kept.
pub const FEED_LIST: &str = "feed_list";

const OLDEST_FIRST: &str = "oldest_first";
const UNREAD_ONLY: &str = "unread_only";
const ORDER: &str = "order";
const HIDE_READ: &str = "hide_read";
const COLLAPSED: &str = "collapsed";

/// How the feed list orders its feeds (within each tag, and the feeds without one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FeedOrder {
    /// By title, A to Z.
    #[default]
    Title,
    /// Most unread items first.
    Unread,
    /// The feed with the newest item first.
    Latest,
}

impl FeedOrder {
    /// The next order in the cycle title, unread, latest.
    pub fn next(self) -> FeedOrder {
        match self {
            FeedOrder::Title => FeedOrder::Unread,
            FeedOrder::Unread => FeedOrder::Latest,
            FeedOrder::Latest => FeedOrder::Title,
        }
    }

    /// The name kept in the cache and shown in the status line.
    pub fn name(self) -> &'static str {
        match self {
            FeedOrder::Title => "title",
            FeedOrder::Unread => "unread",
            FeedOrder::Latest => "latest",
        }
    }

    fn from_name(name: &str) -> Option<FeedOrder> {
        [FeedOrder::Title, FeedOrder::Unread, FeedOrder::Latest]
            .into_iter()
            .find(|o| o.name() == name)
    }
}

/// One view's remembered choices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ViewPrefs {
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
    /// Read items hidden.
    pub unread_only: bool,
}

/// The feed list's remembered choices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedListPrefs {
    /// The order of the feeds.
    pub order: FeedOrder,
    /// Feeds with nothing unread are hidden (the one shown stays).
    pub hide_read: bool,
    /// The tags whose feeds are folded away.
    pub collapsed: BTreeSet<String>,
}

/// Every remembered choice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefs {
    /// Each view's choices, by view key; views not listed use the defaults.
    pub views: HashMap<String, ViewPrefs>,
    /// The feed list's choices.
    pub feed_list: FeedListPrefs,
}

/// The key a view's choices are kept under; a search has none (it takes the choices of the view
/// it was started from, and they are not kept).
pub fn view_key(view: &View) -> Option<String> {
    Some(match view {
        View::All => "all".to_string(),
        View::Unread => "unread".to_string(),
        View::Starred => "starred".to_string(),
        View::Feed(id) => format!("feed:{id}"),
        View::Tag(t) => format!("tag:{t}"),
        View::Search(_) => return None,
        // A query feed or a narrowed view keeps its own choices, by its filter as written.
        View::Filter { base, filter } => format!("{}|filter:{filter}", view_key(base)?),
    })
}

fn flag(value: bool) -> String {
    if value { "1" } else { "0" }.to_string()
}

impl Prefs {
    /// Reads the settings the cache keeps; unknown names and values are ignored.
    pub fn from_settings(settings: &[ViewSetting]) -> Prefs {
        let mut prefs = Prefs::default();
        for s in settings {
            let on = s.value == "1";
            if s.view == FEED_LIST {
                match s.setting.as_str() {
                    ORDER => {
                        if let Some(o) = FeedOrder::from_name(&s.value) {
                            prefs.feed_list.order = o;
                        }
                    }
                    HIDE_READ => prefs.feed_list.hide_read = on,
                    _ => {}
                }
                continue;
            }
            if let (Some(tag), COLLAPSED) = (s.view.strip_prefix("tag:"), s.setting.as_str()) {
                if on {
                    prefs.feed_list.collapsed.insert(tag.to_string());
                }
                continue;
            }
            let v = prefs.views.entry(s.view.clone()).or_default();
            match s.setting.as_str() {
                OLDEST_FIRST => v.oldest_first = on,
                UNREAD_ONLY => v.unread_only = on,
                _ => {}
            }
        }
        prefs
    }

    /// Gives a query the remembered choices of its view (the defaults when there are none); a
    /// search keeps the choices it was given.
    pub fn apply(&self, query: &mut ItemQuery) {
        let Some(key) = view_key(&query.view) else {
            return;
        };
        let v = self.views.get(&key).copied().unwrap_or_default();
        query.oldest_first = v.oldest_first;
        query.unread_only = v.unread_only;
    }

    /// Remembers a query's choices for its view, and returns the commands that keep them in the
    /// cache (none for a search).
    pub fn remember(&mut self, query: &ItemQuery) -> Vec<Command> {
        let Some(key) = view_key(&query.view) else {
            return Vec::new();
        };
        let v = ViewPrefs {
            oldest_first: query.oldest_first,
            unread_only: query.unread_only,
        };
        self.views.insert(key.clone(), v);
        vec![
            save(&key, OLDEST_FIRST, flag(v.oldest_first)),
            save(&key, UNREAD_ONLY, flag(v.unread_only)),
        ]
    }

    /// Folds or unfolds a tag; returns the command that keeps the choice.
    pub fn toggle_collapsed(&mut self, tag: &str) -> Command {
        let folded = !self.feed_list.collapsed.remove(tag);
        if folded {
            self.feed_list.collapsed.insert(tag.to_string());
        }
        save(&format!("tag:{tag}"), COLLAPSED, flag(folded))
    }

    /// Moves the feed list on to its next order; returns the command that keeps it.
    pub fn next_feed_order(&mut self) -> Command {
        self.feed_list.order = self.feed_list.order.next();
        save(FEED_LIST, ORDER, self.feed_list.order.name().to_string())
    }

    /// Hides or shows the feeds with nothing unread; returns the command that keeps the choice.
    pub fn toggle_hide_read_feeds(&mut self) -> Command {
        self.feed_list.hide_read = !self.feed_list.hide_read;
        save(FEED_LIST, HIDE_READ, flag(self.feed_list.hide_read))
    }
}

fn save(view: &str, setting: &str, value: String) -> Command {
    Command::SaveViewSetting {
        view: view.to_string(),
        setting: setting.to_string(),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(cmds: &[Command]) -> Vec<ViewSetting> {
        cmds.iter()
            .filter_map(|c| match c {
                Command::SaveViewSetting {
                    view,
                    setting,
                    value,
                } => Some(ViewSetting {
                    view: view.clone(),
                    setting: setting.clone(),
                    value: value.clone(),
                }),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn what_is_saved_reads_back_the_same() {
        let mut p = Prefs::default();
        let mut q = ItemQuery::new(View::Feed(7));
        q.oldest_first = true;
        let mut cmds = p.remember(&q);
        cmds.push(p.toggle_collapsed("news"));
        cmds.push(p.toggle_collapsed("tech"));
        cmds.push(p.toggle_collapsed("tech"));
        cmds.push(p.next_feed_order());
        cmds.push(p.next_feed_order());
        cmds.push(p.toggle_hide_read_feeds());
        cmds.extend(p.remember(&ItemQuery::new(View::Search("x".into()))));
        // Later rows replace earlier ones, as the table's key does.
        let mut latest: Vec<ViewSetting> = Vec::new();
        for s in settings(&cmds) {
            latest.retain(|o| (&o.view, &o.setting) != (&s.view, &s.setting));
            latest.push(s);
        }
        let back = Prefs::from_settings(&latest);
        assert_eq!(back, p);
        assert_eq!(back.feed_list.order, FeedOrder::Latest);
        assert!(back.feed_list.hide_read);
        assert_eq!(
            back.feed_list.collapsed.iter().collect::<Vec<_>>(),
            vec!["news"]
        );
        let mut other = ItemQuery::new(View::Feed(7));
        back.apply(&mut other);
        assert!(other.oldest_first && !other.unread_only);
        let mut all = ItemQuery::new(View::All).unread_only(true);
        back.apply(&mut all);
        assert!(!all.unread_only, "a view without choices gets the defaults");
    }
}

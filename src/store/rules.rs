//! Rules on arrival: `[[rule]]` tables of the config pair a filter with an action (hide, mark
//! read, star, highlight, or set a tag), applied to new items in the transaction that stores
//! them, in file order; every matching rule applies, and hide wins (no action shows an item
//! again).
//!
//! Only new items are checked on arrival, by id, so a refresh pays for its own items and not
//! for the whole cache. What is already cached changes only through [`Store::apply_rules`],
//! which records the state of every item it changes so that [`Store::undo_rules`] can put the
//! last application back exactly.
//!
//! A hidden item stays in the cache (so a refetch does not bring it back as new), but the lists
//! and the feed counters leave it out unless [`Store::set_show_hidden`] asks for it.

use rusqlite::types::Value;
use rusqlite::{Connection, params};

use super::filter::{Facts, matching};
use super::{Result, Store};
use crate::filter::Expr;
use crate::filter::Field;
use crate::model::ItemId;

/// What a rule does to the items its filter matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleAction {
    /// Keep the item in the cache but list it nowhere.
    Hide,
    /// Mark it read.
    Read,
    /// Star it.
    Star,
    /// Colour its row in headline lists.
    Highlight,
    /// Give it a tag, which the filter language's `tag:` matches.
    Tag(String),
}

impl RuleAction {
    /// The action written as `hide`, `read`, `star`, `highlight` or `tag:NAME`; `None` for
    /// anything else (an empty or control-character tag name included).
    pub fn parse(text: &str) -> Option<RuleAction> {
        match text.trim() {
            "hide" => Some(RuleAction::Hide),
            "read" => Some(RuleAction::Read),
            "star" => Some(RuleAction::Star),
            "highlight" => Some(RuleAction::Highlight),
            other => {
                let name = other.strip_prefix("tag:")?.trim();
                (!name.is_empty() && !name.chars().any(char::is_control))
                    .then(|| RuleAction::Tag(name.to_string()))
            }
        }
    }

    /// The action as written in the config.
    pub fn name(&self) -> String {
        match self {
            RuleAction::Hide => "hide".into(),
            RuleAction::Read => "read".into(),
            RuleAction::Star => "star".into(),
            RuleAction::Highlight => "highlight".into(),
            RuleAction::Tag(t) => format!("tag:{t}"),
        }
    }

    /// The SQL telling whether item `?1` would change (one row when it would).
    fn would_change(&self) -> &'static str {
        match self {
            RuleAction::Hide => {
                "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM item_hidden WHERE item_id = ?1)"
            }
            RuleAction::Read => "SELECT 1 FROM items WHERE id = ?1 AND read = 0",
            RuleAction::Star => "SELECT 1 FROM items WHERE id = ?1 AND starred = 0",
            RuleAction::Highlight => {
                "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM item_highlight WHERE item_id = ?1)"
            }
            RuleAction::Tag(_) => {
                "SELECT 1 WHERE NOT EXISTS \
                 (SELECT 1 FROM item_tags WHERE item_id = ?1 AND tag = ?2)"
            }
        }
    }

    /// The SQL making the change to item `?1` (`?2` is the tag).
    fn change(&self) -> &'static str {
        match self {
            RuleAction::Hide => "INSERT OR IGNORE INTO item_hidden (item_id) VALUES (?1)",
            RuleAction::Read => "UPDATE items SET read = 1 WHERE id = ?1",
            RuleAction::Star => "UPDATE items SET starred = 1 WHERE id = ?1",
            RuleAction::Highlight => "INSERT OR IGNORE INTO item_highlight (item_id) VALUES (?1)",
            RuleAction::Tag(_) => "INSERT OR IGNORE INTO item_tags (item_id, tag) VALUES (?1, ?2)",
        }
    }

    fn tag(&self) -> &str {
        match self {
            RuleAction::Tag(t) => t,
            _ => "",
        }
    }
}

/// One rule: a filter and what to do with the items it matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The filter as written.
    pub filter: String,
    /// The filter, parsed.
    pub expr: Expr,
    /// What it does.
    pub action: RuleAction,
}

/// How many items one rule matched or changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleCount {
    /// The rule's filter as written.
    pub filter: String,
    /// Its action as written.
    pub action: String,
    /// The number of items.
    pub items: u64,
}

/// The store's rule settings.
#[derive(Debug, Default)]
pub(super) struct Settings {
    /// Applied to new items as they are stored.
    pub(super) on_arrival: Vec<Rule>,
    /// Whether lists include hidden items.
    pub(super) show_hidden: std::cell::Cell<bool>,
}

/// The SQL recording an item's state in `rules_undo` before its first change.
const RECORD_UNDO: &str = "INSERT OR IGNORE INTO rules_undo \
     (item_id, read, starred, hidden, highlight, tags) \
     SELECT i.id, i.read, i.starred, \
            EXISTS (SELECT 1 FROM item_hidden WHERE item_id = i.id), \
            EXISTS (SELECT 1 FROM item_highlight WHERE item_id = i.id), \
            COALESCE((SELECT json_group_array(tag) FROM item_tags WHERE item_id = i.id), '[]') \
     FROM items i WHERE i.id = ?1";

/// Applies `rules` in order to the items of `from` (which names `items i`, with `args`): the
/// new items whose ids the JSON list `among` holds, or every item. Works through `conn` (the
/// caller's transaction), recording each changed item's earlier state when `undo` says so.
/// Returns how many items each rule changed.
fn apply(
    conn: &Connection,
    rules: &[Rule],
    among: Option<&str>,
    now: i64,
    undo: bool,
) -> Result<Vec<u64>> {
    let (from, args) = match among {
        // The new items by id, one lookup each: never a walk of the whole cache.
        Some(list) => (
            "json_each(?) AS new CROSS JOIN items i ON i.id = new.value",
            vec![Value::Text(list.to_string())],
        ),
        None => ("items i", Vec::new()),
    };
    let mut facts = Facts::load(conn)?;
    let mut counts = Vec::with_capacity(rules.len());
    for rule in rules {
        if rule.expr.reads(Field::Tag) {
            // Earlier rules may have set tags.
            facts.load_tags(conn, among)?;
        }
        let hits = matching(conn, &facts, from, "1", args.clone(), &rule.expr, now, "")?;
        let mut check = conn.prepare_cached(rule.action.would_change())?;
        let mut change = conn.prepare_cached(rule.action.change())?;
        let mut record = conn.prepare_cached(RECORD_UNDO)?;
        let tag = rule.action.tag();
        let mut changed = 0;
        for h in hits {
            let exists = if matches!(rule.action, RuleAction::Tag(_)) {
                check.exists(params![h.id, tag])?
            } else {
                check.exists([h.id])?
            };
            if !exists {
                continue;
            }
            if undo {
                record.execute([h.id])?;
            }
            if matches!(rule.action, RuleAction::Tag(_)) {
                change.execute(params![h.id, tag])?;
            } else {
                change.execute([h.id])?;
            }
            changed += 1;
        }
        counts.push(changed);
    }
    Ok(counts)
}

/// Applies the arrival `rules` to the new items `ids` inside the transaction `conn` that
/// stored them.
pub(super) fn on_arrival(
    conn: &Connection,
    rules: &[Rule],
    ids: &[ItemId],
    now: i64,
) -> Result<()> {
    if rules.is_empty() || ids.is_empty() {
        return Ok(());
    }
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    apply(conn, rules, Some(&list), now, false)?;
    Ok(())
}

fn counted(rules: &[Rule], counts: Vec<u64>) -> Vec<RuleCount> {
    rules
        .iter()
        .zip(counts)
        .map(|(r, items)| RuleCount {
            filter: r.filter.clone(),
            action: r.action.name(),
            items,
        })
        .collect()
}

impl Store {
    /// Sets the rules applied to new items as they are stored from now on.
    pub fn set_rules(&mut self, rules: Vec<Rule>) {
        self.rules.on_arrival = rules;
    }

    /// Makes lists include hidden items (or leave them out again, the default).
    pub fn set_show_hidden(&self, show: bool) {
        if self.rules.show_hidden.replace(show) != show {
            self.search_cache.clear();
        }
    }

    /// Whether lists include hidden items.
    pub fn shows_hidden(&self) -> bool {
        self.rules.show_hidden.get()
    }

    /// An SQL condition to append to a condition on `items i` that leaves hidden items out
    /// (empty when the store shows them).
    pub(super) fn hidden_sql(&self) -> &'static str {
        if self.rules.show_hidden.get() {
            ""
        } else {
            " AND i.id NOT IN (SELECT item_id FROM item_hidden)"
        }
    }

    /// How many cached items (hidden ones included) each rule's filter matches at time `now`.
    pub fn rule_matches(&self, rules: &[Rule], now: i64) -> Result<Vec<RuleCount>> {
        let mut facts = Facts::load(&self.conn)?;
        facts.load_tags(&self.conn, None)?;
        let mut counts = Vec::with_capacity(rules.len());
        for rule in rules {
            let hits = matching(
                &self.conn,
                &facts,
                "items i",
                "1",
                Vec::new(),
                &rule.expr,
                now,
                "",
            )?;
            counts.push(hits.len() as u64);
        }
        Ok(counted(rules, counts))
    }

    /// Applies `rules` in order to every cached item at time `now` in one transaction and
    /// returns how many items each rule changed. With `dry_run` nothing is kept; otherwise the
    /// earlier state of every changed item replaces the record of the previous application, for
    /// [`Store::undo_rules`].
    pub fn apply_rules(&self, rules: &[Rule], now: i64, dry_run: bool) -> Result<Vec<RuleCount>> {
        let tx = self.write_tx()?;
        tx.execute("DELETE FROM rules_undo", [])?;
        let counts = apply(&tx, rules, None, now, true)?;
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(counted(rules, counts))
    }

    /// Puts back the read, starred, hidden and highlight state and the tags of every item the
    /// last [`Store::apply_rules`] changed, as they were before it, and forgets that
    /// application. Returns how many items it restored (0 when there is nothing to undo).
    pub fn undo_rules(&self) -> Result<u64> {
        let tx = self.write_tx()?;
        let n: i64 = tx.query_row(
            "SELECT count(*) FROM rules_undo WHERE item_id IN (SELECT id FROM items)",
            [],
            |r| r.get(0),
        )?;
        // Flags first, while the hidden marks are as the application left them: the counter
        // triggers then count each item exactly once, whatever its marks.
        tx.execute_batch(
            "UPDATE items SET read = u.read, starred = u.starred
                 FROM rules_undo u WHERE items.id = u.item_id
                 AND (items.read <> u.read OR items.starred <> u.starred);
             DELETE FROM item_hidden WHERE item_id IN
                 (SELECT item_id FROM rules_undo WHERE hidden = 0);
             INSERT OR IGNORE INTO item_hidden (item_id) SELECT item_id FROM rules_undo
                 WHERE hidden <> 0 AND item_id IN (SELECT id FROM items);
             DELETE FROM item_highlight WHERE item_id IN
                 (SELECT item_id FROM rules_undo WHERE highlight = 0);
             INSERT OR IGNORE INTO item_highlight (item_id) SELECT item_id FROM rules_undo
                 WHERE highlight <> 0 AND item_id IN (SELECT id FROM items);
             DELETE FROM item_tags WHERE item_id IN (SELECT item_id FROM rules_undo);
             INSERT OR IGNORE INTO item_tags (item_id, tag)
                 SELECT u.item_id, j.value FROM rules_undo u, json_each(u.tags) j
                 WHERE u.item_id IN (SELECT id FROM items);
             DELETE FROM rules_undo;",
        )?;
        tx.commit()?;
        self.search_cache.clear();
        Ok(n.max(0) as u64)
    }

    /// Which of `ids` are hidden and which are highlighted.
    pub fn row_marks(&self, ids: &[ItemId]) -> Result<(Vec<ItemId>, Vec<ItemId>)> {
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let pick = |table: &str| -> Result<Vec<ItemId>> {
            let sql = format!(
                "SELECT item_id FROM {table} WHERE item_id IN (SELECT value FROM json_each(?1))"
            );
            let ids = self
                .conn
                .prepare_cached(&sql)?
                .query_map([&list], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(ids)
        };
        Ok((pick("item_hidden")?, pick("item_highlight")?))
    }

    /// Whether item `id` is hidden, highlighted, and the tags rules set on it (sorted).
    pub fn item_marks(&self, id: ItemId) -> Result<ItemMarks> {
        let hidden = self
            .conn
            .prepare_cached("SELECT 1 FROM item_hidden WHERE item_id = ?1")?
            .exists([id])?;
        let highlight = self
            .conn
            .prepare_cached("SELECT 1 FROM item_highlight WHERE item_id = ?1")?
            .exists([id])?;
        let tags = self
            .conn
            .prepare_cached("SELECT tag FROM item_tags WHERE item_id = ?1 ORDER BY tag")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ItemMarks {
            hidden,
            highlight,
            tags,
        })
    }
}

/// What rules set on one item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemMarks {
    /// A `hide` rule hid it.
    pub hidden: bool,
    /// A `highlight` rule marked it.
    pub highlight: bool,
    /// The tags rules set on it, sorted.
    pub tags: Vec<String>,
}

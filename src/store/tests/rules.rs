//! Rules on arrival, and their application to the cache with undo: each action lands on the
//! items its filter matches, hidden items leave the lists and the counters, and an undo puts
//! every touched item back as it was.

use crate::filter::parse;
use crate::model::{FeedId, ItemId, ItemQuery, View};
use crate::store::testutil::{item, temp_store, update};
use crate::store::{Rule, RuleAction, Store};

const NOW: i64 = 1_700_000_000;

fn rule(filter: &str, action: &str) -> Rule {
    Rule {
        filter: filter.into(),
        expr: parse(filter).unwrap(),
        action: RuleAction::parse(action).unwrap(),
    }
}

/// The rules of the tests: every action, with hide depending on a tag an earlier rule sets.
fn rules() -> Vec<Rule> {
    vec![
        rule("title:river", "read"),
        rule("title:river", "tag:fish"),
        rule("tag:fish", "hide"),
        rule("title:market", "star"),
        rule("title:market", "highlight"),
        // A later rule cannot show a hidden item again: hide wins.
        rule("title:river", "star"),
    ]
}

fn titles(s: &Store, view: View) -> Vec<String> {
    let mut t: Vec<String> = s
        .headlines(&ItemQuery::new(view), 0, 100)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect();
    t.sort();
    t
}

fn id_of(s: &Store, feed: FeedId, title: &str) -> ItemId {
    s.items_of_feed(feed, 100)
        .unwrap()
        .into_iter()
        .find(|i| i.title == title)
        .unwrap()
        .id
}

/// The feed's counters, and the same counted from the items that are not hidden.
fn counters(s: &Store, feed: FeedId) -> ((u64, u64), (u64, u64)) {
    let row = s.feed(feed).unwrap();
    let counted: (i64, i64) = s
        .conn
        .query_row(
            "SELECT count(*), COALESCE(sum(read = 0), 0) FROM items WHERE feed_id = ?1 \
             AND id NOT IN (SELECT item_id FROM item_hidden)",
            [feed],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    (
        (row.items, row.unread),
        (counted.0 as u64, counted.1 as u64),
    )
}

fn three_items() -> Vec<crate::model::ParsedItem> {
    vec![
        item("r", "Salmon in the river", Some(NOW - 60)),
        item("m", "Market day", Some(NOW - 120)),
        item("o", "Other news", Some(NOW - 180)),
    ]
}

#[test]
fn each_action_lands_on_arrival_and_hide_wins() {
    let (_d, mut s) = temp_store();
    let f = s
        .add_feed("https://a.test/", Some("A"), &["t".into()])
        .unwrap();
    s.store_feed_update(
        f,
        &update(NOW - 1000, vec![item("old", "Old river", Some(NOW - 900))]),
    )
    .unwrap();
    s.set_rules(rules());
    s.store_feed_update(f, &update(NOW, three_items())).unwrap();

    let river = s.item_marks(id_of(&s, f, "Salmon in the river")).unwrap();
    assert!(river.hidden);
    assert_eq!(river.tags, ["fish"]);
    let river_row = s.item(id_of(&s, f, "Salmon in the river")).unwrap();
    assert!(river_row.read, "the read rule applied before the hide");
    let market = s.item_marks(id_of(&s, f, "Market day")).unwrap();
    assert!(market.highlight && !market.hidden);
    assert!(s.item(id_of(&s, f, "Market day")).unwrap().starred);
    assert_eq!(
        s.item_marks(id_of(&s, f, "Other news")).unwrap(),
        Default::default()
    );
    // Items stored before the rules were set are not touched on arrival.
    assert_eq!(
        s.item_marks(id_of(&s, f, "Old river")).unwrap(),
        Default::default()
    );

    // The hidden item is listed nowhere and counted nowhere.
    let shown = ["Market day", "Old river", "Other news"];
    assert_eq!(titles(&s, View::All), shown);
    assert_eq!(titles(&s, View::Feed(f)), shown);
    assert_eq!(titles(&s, View::Starred), ["Market day"]);
    assert_eq!(titles(&s, View::Tag("t".into())), shown);
    while s.index_pending(1_000).unwrap() > 0 {}
    assert_eq!(titles(&s, View::Search("river".into())), ["Old river"]);
    let (kept, counted) = counters(&s, f);
    assert_eq!(kept, counted);
    assert_eq!(kept, (3, 3));
    assert_eq!(s.item_total().unwrap(), 3);
    let by_tag = s
        .filter_ids(&ItemQuery::new(View::All), &parse("tag:fish").unwrap(), NOW)
        .unwrap();
    assert!(by_tag.is_empty(), "filters leave hidden items out");

    // Unless asked.
    s.set_show_hidden(true);
    assert_eq!(titles(&s, View::All).len(), 4);
    assert_eq!(
        titles(&s, View::Search("river".into())),
        ["Old river", "Salmon in the river"]
    );
    // The counts and positions that page a list through the view count the hidden item too.
    for view in [View::All, View::Feed(f), View::Unread] {
        let q = ItemQuery::new(view.clone());
        let rows = s.headlines(&q, 0, 100).unwrap();
        assert_eq!(s.count(&q).unwrap(), rows.len() as u64, "{view:?}");
        let last = rows.last().unwrap().id;
        assert_eq!(
            s.position(&q, last).unwrap(),
            Some(rows.len() as u64 - 1),
            "{view:?}"
        );
    }
    let by_tag = s
        .filter_ids(&ItemQuery::new(View::All), &parse("tag:fish").unwrap(), NOW)
        .unwrap();
    assert_eq!(by_tag, [id_of(&s, f, "Salmon in the river")]);
}

#[test]
fn a_batch_of_feeds_gets_the_rules_too() {
    let (_d, mut s) = temp_store();
    let a = s.add_feed("https://a.test/", Some("A"), &[]).unwrap();
    let b = s.add_feed("https://b.test/", Some("B"), &[]).unwrap();
    s.set_rules(vec![rule("feed:B and title:market", "hide")]);
    let ua = update(NOW, three_items());
    let ub = update(NOW, three_items());
    s.store_feed_updates(&[(a, &ua, None), (b, &ub, None)])
        .unwrap();
    assert_eq!(titles(&s, View::Feed(a)).len(), 3);
    assert_eq!(
        titles(&s, View::Feed(b)),
        ["Other news", "Salmon in the river"]
    );
    let (kept, counted) = counters(&s, b);
    assert_eq!(kept, counted);
}

#[test]
fn deleting_a_hidden_item_keeps_the_counters_right() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    s.set_rules(vec![rule("title:river", "hide")]);
    s.store_feed_update(f, &update(NOW, three_items())).unwrap();
    let river = id_of(&s, f, "Salmon in the river");
    s.conn
        .execute("DELETE FROM items WHERE id = ?1", [river])
        .unwrap();
    let (kept, counted) = counters(&s, f);
    assert_eq!(kept, counted);
    assert_eq!(kept, (2, 2));
    let left: i64 = s
        .conn
        .query_row("SELECT count(*) FROM item_hidden", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn dry_run_changes_nothing_apply_changes_and_undo_restores() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", None, &[]).unwrap();
    s.store_feed_update(f, &update(NOW, three_items())).unwrap();
    let market = id_of(&s, f, "Market day");
    let river = id_of(&s, f, "Salmon in the river");
    // The user had starred the river item and read the market one before the rules came.
    s.set_starred(river, true).unwrap();
    s.set_read(market, true).unwrap();
    let before = |s: &Store| {
        let mut state = Vec::new();
        for id in [market, river] {
            let row = s.item(id).unwrap();
            state.push((row.read, row.starred, s.item_marks(id).unwrap()));
        }
        (state, counters(s, f).0)
    };
    let start = before(&s);

    let dry = s.apply_rules(&rules(), NOW, true).unwrap();
    let counts: Vec<u64> = dry.iter().map(|c| c.items).collect();
    // read: river; tag: river; hide: river; star: market; highlight: market; star: river is
    // starred already.
    assert_eq!(counts, [1, 1, 1, 1, 1, 0]);
    assert_eq!(dry[1].action, "tag:fish");
    assert_eq!(before(&s), start, "a dry run changes nothing");
    assert_eq!(
        s.undo_rules().unwrap(),
        0,
        "a dry run leaves nothing to undo"
    );

    let done = s.apply_rules(&rules(), NOW, false).unwrap();
    assert_eq!(done, dry);
    assert_ne!(before(&s), start);
    assert!(s.item_marks(river).unwrap().hidden);
    assert_eq!(titles(&s, View::All), ["Market day", "Other news"]);
    let (kept, counted) = counters(&s, f);
    assert_eq!(kept, counted);

    assert_eq!(s.undo_rules().unwrap(), 2);
    assert_eq!(before(&s), start, "undo restores every touched item");
    assert_eq!(titles(&s, View::All).len(), 3);
    assert_eq!(
        s.undo_rules().unwrap(),
        0,
        "only the last application is undone"
    );

    // Counts of what each rule matches, hidden items included.
    let matched = s.rule_matches(&rules(), NOW).unwrap();
    assert_eq!(matched[0].items, 1);
    assert_eq!(matched[2].items, 0, "no item holds the tag after the undo");
}

#[test]
fn actions_parse_as_written() {
    for (text, action) in [
        ("hide", RuleAction::Hide),
        ("read", RuleAction::Read),
        ("star", RuleAction::Star),
        ("highlight", RuleAction::Highlight),
        ("tag:later", RuleAction::Tag("later".into())),
    ] {
        assert_eq!(RuleAction::parse(text), Some(action.clone()));
        assert_eq!(action.name(), text);
    }
    for bad in ["", "delete", "tag:", "tag: ", "Hide", "tag:a\u{1b}b"] {
        assert_eq!(RuleAction::parse(bad), None, "{bad:?}");
    }
}

//! Tag views list and count a story carried by several of the tag's feeds once, as All does:
//! by its leader when the tag holds it, else by its first copy in the tag.

use crate::content::dedup::StoryInfo;
use crate::model::{ItemQuery, ParsedItem, View};
use crate::store::Store;
use crate::store::testutil::{item, temp_store, update};

/// An item with its own link (the story key across feeds) and an unrelated body.
fn linked(key: &str, link: &str, published: i64) -> ParsedItem {
    ParsedItem {
        link: Some(format!("https://wire.test/{link}")),
        guid: Some(key.to_string()),
        content: format!("<p>Body of {key}, which no other item tells.</p>"),
        ..item(key, key, Some(published))
    }
}

/// Stores `items` in `feed` with their story digests, as a fetch does.
fn store(s: &mut Store, feed: i64, at: i64, items: Vec<ParsedItem>) {
    let stories = items
        .iter()
        .map(|i| StoryInfo::new(i.link.as_deref(), i.guid.as_deref(), &i.title, &i.content))
        .collect();
    let up = crate::store::FeedUpdate {
        stories,
        ..update(at, items)
    };
    s.store_feed_update(feed, &up).unwrap();
}

fn per_story(view: View) -> ItemQuery {
    ItemQuery {
        one_per_story: true,
        ..ItemQuery::new(view)
    }
}

fn titles(s: &Store, q: &ItemQuery, offset: usize, limit: usize) -> Vec<String> {
    s.headlines(q, offset, limit)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect()
}

/// Feeds: Alpha and Beta and Delta carry the tag "news", Gamma carries "other". The "rail" story
/// leads in Alpha with a copy in Beta; the "port" story leads in Gamma with copies in Beta and
/// Delta.
fn setup() -> (tempfile::TempDir, Store) {
    let (d, mut s) = temp_store();
    let news = ["news".to_string()];
    let a = s.add_feed("https://a.test/", Some("Alpha"), &news).unwrap();
    let c = s
        .add_feed("https://c.test/", Some("Gamma"), &["other".to_string()])
        .unwrap();
    let b = s.add_feed("https://b.test/", Some("Beta"), &news).unwrap();
    let dl = s.add_feed("https://d.test/", Some("Delta"), &news).unwrap();
    store(
        &mut s,
        a,
        100,
        vec![linked("a-rail", "rail", 10), linked("a-own", "a-own", 11)],
    );
    store(&mut s, c, 200, vec![linked("c-port", "port", 20)]);
    store(
        &mut s,
        b,
        300,
        vec![
            linked("b-rail", "rail", 30),
            linked("b-port", "port", 31),
            linked("b-own", "b-own", 32),
        ],
    );
    store(
        &mut s,
        dl,
        400,
        vec![linked("d-port", "port", 40), linked("d-own", "d-own", 41)],
    );
    (d, s)
}

#[test]
fn a_tag_lists_and_counts_each_story_once() {
    let (_d, s) = setup();
    let news = per_story(View::Tag("news".into()));
    assert_eq!(
        titles(&s, &news, 0, 50),
        vec!["d-own", "b-own", "b-port", "a-own", "a-rail"]
    );
    assert_eq!(s.count(&news).unwrap(), 5);
    assert_eq!(s.count(&news.clone().unread_only(true)).unwrap(), 5);
    // As All does: All holds each story once among its 8 items.
    assert_eq!(s.count(&per_story(View::All)).unwrap(), 5);
    // The story's leader is named with the feeds of its copies.
    let rail = s.headlines(&news, 4, 1).unwrap();
    assert_eq!(rail[0].also_in, vec!["Beta".to_string()]);
    // Pages, by offset and by cursor, leave the same items out.
    let mut paged = titles(&s, &news, 0, 2);
    paged.extend(titles(&s, &news, 2, 2));
    paged.extend(titles(&s, &news, 4, 2));
    assert_eq!(paged, titles(&s, &news, 0, 50));
    let first = s.headlines_after(&news, None, 2).unwrap();
    let last = first.last().unwrap();
    let next = s
        .headlines_after(&news, Some((last.sort_time, last.id)), 50)
        .unwrap();
    let names: Vec<String> = next.into_iter().map(|h| h.title).collect();
    assert_eq!(names, vec!["b-port", "a-own", "a-rail"]);
    // The other tag holds the port story's leader.
    let other = per_story(View::Tag("other".into()));
    assert_eq!(titles(&s, &other, 0, 50), vec!["c-port"]);
    assert_eq!(s.count(&other).unwrap(), 1);
    // Without the option every copy is listed and counted.
    let every = ItemQuery::new(View::Tag("news".into()));
    assert_eq!(titles(&s, &every, 0, 50).len(), 7);
    assert_eq!(s.count(&every).unwrap(), 7);
}

#[test]
fn unread_counts_of_a_tag_follow_the_stories() {
    let (_d, s) = setup();
    let news = per_story(View::Tag("news".into())).unread_only(true);
    let own = s.headlines(&news, 0, 1).unwrap()[0].id;
    s.set_read(own, true).unwrap();
    assert_eq!(s.count(&news).unwrap(), 4);
    assert_eq!(titles(&s, &news, 0, 50).len(), 4);
    // Reading a story reads every copy: the tag counts it once, then not at all.
    let rail = s.headlines(&news, 3, 1).unwrap()[0].id;
    s.set_read(rail, true).unwrap();
    assert_eq!(s.count(&news).unwrap(), 3);
    assert_eq!(titles(&s, &news, 0, 50), vec!["b-own", "b-port", "a-own"]);
}

#[test]
fn a_tag_view_per_story_stays_index_only() {
    let (_d, s) = setup();
    let news = per_story(View::Tag("news".into()));
    let no_walk = |what: &str, plan: &[String]| {
        let text = plan.join(" | ");
        assert!(!text.contains("TEMP B-TREE"), "{what} sorts: {text}");
        assert!(!text.contains("SCAN"), "{what} walks a table: {text}");
        assert!(
            !text.contains("items_feed") && !text.contains("items_time"),
            "{what} walks the tag's items: {text}"
        );
        assert!(text.contains("USING INDEX items_story"), "{what}: {text}");
    };
    // The copies the list leaves out come from the copies' index alone.
    no_walk(
        "left-out copies",
        &s.tag_hidden_copies_plan("news").unwrap(),
    );
    // The counts read the feeds' counters and subtract those copies.
    for unread in [false, true] {
        let q = news.clone().unread_only(unread);
        let plan = s.count_plan(&q).unwrap();
        let text = plan.join(" | ");
        assert!(
            text.contains("SEARCH f USING INTEGER PRIMARY KEY"),
            "{text}"
        );
        no_walk(&format!("{q:?}"), &plan[1..]);
    }
    // The list merges the feeds' own pages, each read from its feed's index in list order.
    for unread in [false, true] {
        let q = ItemQuery {
            one_per_story: true,
            ..ItemQuery::new(View::Feed(1)).unread_only(unread)
        };
        let text = s.headline_plan(&q).unwrap().join(" | ");
        assert!(text.contains("INDEX items_feed"), "{text}");
        assert!(!text.contains("TEMP B-TREE"), "{text}");
    }
}

#[test]
fn a_place_in_a_tag_view_per_story_leaves_the_hidden_copies_out() {
    let (_d, s) = setup();
    for unread in [false, true] {
        for oldest_first in [false, true] {
            let q = ItemQuery {
                oldest_first,
                ..per_story(View::Tag("news".into())).unread_only(unread)
            };
            let rows = s.headlines(&q, 0, 50).unwrap();
            assert_eq!(rows.len(), 5, "{q:?}");
            for (i, row) in rows.iter().enumerate() {
                assert_eq!(
                    s.position(&q, row.id).unwrap(),
                    Some(i as u64),
                    "{q:?}: {}",
                    row.title
                );
            }
        }
    }
    // A copy the view leaves out is placed where it would be: before the next listed item.
    let news = per_story(View::Tag("news".into()));
    let all = ItemQuery::new(View::Tag("news".into()));
    let every = s.headlines(&all, 0, 50).unwrap();
    let hidden = every.iter().find(|h| h.title == "d-port").unwrap();
    assert_eq!(
        s.position(&news, hidden.id).unwrap(),
        Some(1),
        "after d-own"
    );
}

#[test]
fn placing_and_paging_a_tag_view_per_story_stay_index_only() {
    let (_d, s) = setup();
    let walks = |text: &str| {
        text.contains("TEMP B-TREE") || text.contains("SCAN i") || text.contains("SCAN items")
    };
    for (unread, oldest_first) in [(false, false), (true, false), (false, true), (true, true)] {
        let q = ItemQuery {
            oldest_first,
            ..per_story(View::Tag("news".into())).unread_only(unread)
        };
        // A place is counted in each feed's own index, the left-out copies before it in theirs.
        let plans = s.position_plans(&q).unwrap();
        assert_eq!(plans.len(), 3, "one count per feed of the tag");
        for plan in plans {
            let text = plan.join(" | ");
            assert!(!walks(&text), "{q:?} walks the items: {text}");
            assert!(text.contains("COVERING INDEX items_feed"), "{q:?}: {text}");
        }
        let text = s
            .tag_hidden_before_plan("news", unread)
            .unwrap()
            .join(" | ");
        assert!(!walks(&text) && !text.contains("SCAN"), "{q:?}: {text}");
        assert!(text.contains("USING INDEX items_story"), "{q:?}: {text}");
        assert!(!text.contains("items_feed"), "{q:?}: {text}");
        // Each feed's next page after a cursor, as the merge asks for it, follows its index.
        for feed in s.feeds_with_tag("news").unwrap() {
            let q = ItemQuery {
                view: View::Feed(feed),
                ..q.clone()
            };
            let text = s.headline_plan_after(&q).unwrap().join(" | ");
            assert!(!walks(&text), "{q:?}: {text}");
            assert!(text.contains("INDEX items_feed"), "{q:?}: {text}");
            assert!(
                text.contains("SEARCH x USING INTEGER PRIMARY KEY"),
                "{q:?}: {text}"
            );
        }
    }
}

//! Stories across feeds, kept as items are stored: one item per story in All and Unread, the
//! other feeds named, read state shared by every copy.

use crate::content::dedup::StoryInfo;
use crate::model::{ItemQuery, ParsedItem, View};
use crate::store::testutil::{item, temp_store, update};
use crate::store::{FeedUpdate, Store};

const BODY: &str = "The regional parliament approved a plan on Thursday to reopen the old branch \
                    railway line to passenger trains within five years, with new stations at the \
                    mill village and the hospital, at a cost of forty million, after a campaign \
                    that lasted more than a decade and gathered twenty thousand signatures.";

fn with(key: &str, title: &str, link: &str, body: &str, published: i64) -> ParsedItem {
    ParsedItem {
        link: Some(link.to_string()),
        guid: Some(format!("{key}-{link}")),
        content: body.to_string(),
        ..item(key, title, Some(published))
    }
}

/// Stores `items` in `feed` with their story digests, as a fetch does.
fn store(s: &mut Store, feed: i64, at: i64, items: Vec<ParsedItem>) {
    let stories = items
        .iter()
        .map(|i| StoryInfo::new(i.link.as_deref(), i.guid.as_deref(), &i.title, &i.content))
        .collect();
    let up = FeedUpdate {
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

fn titles(s: &Store, q: &ItemQuery) -> Vec<(String, Vec<String>)> {
    s.headlines(q, 0, 50)
        .unwrap()
        .into_iter()
        .map(|h| (h.title, h.also_in))
        .collect()
}

fn three_feeds(s: &Store) -> (i64, i64, i64) {
    let a = s.add_feed("https://a.test/", Some("Alpha"), &[]).unwrap();
    let b = s.add_feed("https://b.test/", Some("Beta"), &[]).unwrap();
    let c = s.add_feed("https://c.test/", Some("Gamma"), &[]).unwrap();
    (a, b, c)
}

#[test]
fn same_link_or_same_body_is_one_story_and_a_title_alone_is_not() {
    let (_d, mut s) = temp_store();
    let (a, b, c) = three_feeds(&s);
    store(
        &mut s,
        a,
        100,
        vec![
            with(
                "a1",
                "Rail line to reopen",
                "https://news.test/rail?utm_source=rss",
                BODY,
                10,
            ),
            with(
                "a2",
                "Daily briefing",
                "https://a.test/brief",
                "Short note one.",
                11,
            ),
        ],
    );
    // Same page through an aggregator (tracking parameters differ), and a generic title that
    // recurs with a different body.
    store(
        &mut s,
        b,
        200,
        vec![
            with(
                "b1",
                "Parliament backs railway",
                "https://www.news.test/rail/",
                "Teaser.",
                20,
            ),
            with(
                "b2",
                "Daily briefing",
                "https://b.test/brief",
                "Another note entirely.",
                21,
            ),
        ],
    );
    // The same wire story under its own link and title: bodies alone decide.
    store(
        &mut s,
        c,
        300,
        vec![with(
            "c1",
            "Branch line approved",
            "https://c.test/9",
            BODY,
            30,
        )],
    );

    let all = titles(&s, &per_story(View::All));
    assert_eq!(
        all,
        vec![
            ("Daily briefing".to_string(), vec![]),
            ("Daily briefing".to_string(), vec![]),
            (
                "Rail line to reopen".to_string(),
                vec!["Beta".to_string(), "Gamma".to_string()]
            ),
        ]
    );
    assert_eq!(s.count(&per_story(View::All)).unwrap(), 3);
    assert_eq!(s.count(&per_story(View::Unread)).unwrap(), 3);
    // Without the option, and in a feed's own view, every copy is listed.
    assert_eq!(
        s.headlines(&ItemQuery::new(View::All), 0, 50)
            .unwrap()
            .len(),
        5
    );
    assert_eq!(s.count(&ItemQuery::new(View::All)).unwrap(), 5);
    assert_eq!(
        titles(&s, &ItemQuery::new(View::Feed(c)))[0].0,
        "Branch line approved"
    );
    // The article of any copy names the other feeds.
    let copy = s.headlines(&ItemQuery::new(View::Feed(c)), 0, 1).unwrap()[0].id;
    assert_eq!(s.item(copy).unwrap().also_in, vec!["Alpha", "Beta"]);
}

#[test]
fn reading_one_copy_reads_the_story_everywhere_and_later_copies_arrive_read() {
    let (_d, mut s) = temp_store();
    let (a, b, c) = three_feeds(&s);
    store(
        &mut s,
        a,
        100,
        vec![with("a1", "Rail", "https://news.test/rail", BODY, 10)],
    );
    store(
        &mut s,
        b,
        200,
        vec![with("b1", "Rail", "https://news.test/rail", "x", 20)],
    );
    let copy = s.headlines(&ItemQuery::new(View::Feed(b)), 0, 1).unwrap()[0].id;
    s.set_read(copy, true).unwrap();
    assert_eq!(s.count(&ItemQuery::new(View::Unread)).unwrap(), 0);
    assert_eq!(s.feed(a).unwrap().unread, 0);

    store(
        &mut s,
        c,
        300,
        vec![with("c1", "Rail", "https://news.test/rail", "y", 30)],
    );
    assert_eq!(s.feed(c).unwrap().unread, 0, "the story was already read");

    s.set_read(copy, false).unwrap();
    assert_eq!(s.count(&ItemQuery::new(View::Unread)).unwrap(), 3);
    assert_eq!(s.count(&per_story(View::Unread)).unwrap(), 1);
}

#[test]
fn mark_all_in_one_feed_reaches_the_copies_and_undo_restores_them() {
    let (_d, mut s) = temp_store();
    let (a, b, _) = three_feeds(&s);
    store(
        &mut s,
        a,
        100,
        vec![
            with("a1", "Rail", "https://news.test/rail", BODY, 10),
            with(
                "a2",
                "Other",
                "https://a.test/other",
                "Unrelated words here.",
                11,
            ),
        ],
    );
    store(
        &mut s,
        b,
        200,
        vec![
            with("b1", "Rail", "https://news.test/rail", "x", 20),
            with("b2", "Own", "https://b.test/own", "Its own story.", 21),
        ],
    );
    let changed = s.mark_all_read(&ItemQuery::new(View::Feed(b))).unwrap();
    assert_eq!(changed.len(), 3, "{changed:?}");
    assert_eq!(s.feed(a).unwrap().unread, 1, "a2 is not part of the story");
    s.set_read_many(&changed, false).unwrap();
    assert_eq!(s.count(&ItemQuery::new(View::Unread)).unwrap(), 4);
}

#[test]
fn one_feed_never_merges_with_itself_and_a_removed_leader_frees_its_copies() {
    let (_d, mut s) = temp_store();
    let (a, b, _) = three_feeds(&s);
    store(
        &mut s,
        a,
        100,
        vec![
            with("a1", "Rail", "https://news.test/rail", BODY, 10),
            with("a2", "Rail again", "https://news.test/rail", BODY, 11),
        ],
    );
    assert_eq!(s.headlines(&per_story(View::All), 0, 50).unwrap().len(), 2);
    store(
        &mut s,
        b,
        200,
        vec![with("b1", "Rail", "https://news.test/rail", BODY, 20)],
    );
    assert_eq!(s.headlines(&per_story(View::All), 0, 50).unwrap().len(), 2);
    s.remove_feed(a).unwrap();
    let left = titles(&s, &per_story(View::All));
    assert_eq!(
        left,
        vec![("Rail".to_string(), vec![])],
        "the copy leads again"
    );
}

#[test]
fn a_story_another_connection_stored_meanwhile_is_found() {
    // The first store holds the story keys in memory from its first item on (an empty cache);
    // the second stores the story's first copy behind its back; the first must still find it.
    let (d, mut s) = temp_store();
    let (a, b, _) = three_feeds(&s);
    store(
        &mut s,
        a,
        100,
        vec![with(
            "a1",
            "Daily briefing",
            "https://a.test/brief",
            "Short note one.",
            10,
        )],
    );
    let mut other = Store::open(&d.path().join("cache.db")).unwrap();
    store(
        &mut other,
        b,
        200,
        vec![with(
            "b1",
            "Rail line to reopen",
            "https://b.test/rail",
            BODY,
            20,
        )],
    );
    store(
        &mut s,
        a,
        300,
        vec![with(
            "a2",
            "Branch line approved",
            "https://a.test/9",
            BODY,
            30,
        )],
    );
    assert_eq!(
        titles(&s, &per_story(View::All)),
        vec![
            ("Rail line to reopen".to_string(), vec!["Alpha".to_string()]),
            ("Daily briefing".to_string(), vec![]),
        ]
    );
}

//! Search results as the reader lists them: one row per story, title and phrase matches first,
//! quoted phrases that really occur, and a scope of one feed or all.

use crate::content::dedup::StoryInfo;
use crate::model::{BodyKind, ItemQuery, ParsedItem, SearchQuery, View};
use crate::store::testutil::{item, temp_store, update};
use crate::store::{FeedUpdate, Store};

/// Stores `items` in `feed` with their story digests, as a fetch does, and indexes them.
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
    while s.index_pending(1000).unwrap() > 0 {}
}

fn text_item(key: &str, title: &str, body: &str, published: i64) -> ParsedItem {
    ParsedItem {
        content: body.to_string(),
        content_kind: BodyKind::Text,
        ..item(key, title, Some(published))
    }
}

fn query(text: &str, feed: Option<i64>) -> ItemQuery {
    ItemQuery {
        one_per_story: true,
        ..ItemQuery::new(View::Search(SearchQuery::new(text, feed)))
    }
}

/// The titles listed, checked against the count and against paging by cursor.
fn titles(s: &Store, q: &ItemQuery) -> Vec<String> {
    let rows = s.headlines(q, 0, 500).unwrap();
    assert_eq!(rows.len() as u64, s.count(q).unwrap(), "count agrees");
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = s.headlines_after(q, after, 3).unwrap();
        let Some(last) = page.last() else { break };
        after = Some((last.sort_time, last.id));
        paged.extend(page.into_iter().map(|h| h.id));
    }
    assert_eq!(
        paged,
        rows.iter().map(|h| h.id).collect::<Vec<_>>(),
        "paging by cursor lists the same rows in the same order"
    );
    rows.into_iter().map(|h| h.title).collect()
}

const STORY: &str = "The regional parliament approved a plan on Thursday to reopen the old branch \
                     railway line to passenger trains within five years, with new stations at the \
                     mill village and the hospital, at a cost of forty million.";

#[test]
fn a_story_carried_by_three_feeds_is_one_result_naming_the_others() {
    let (_d, mut s) = temp_store();
    let mut feeds = Vec::new();
    for (n, name) in ["Alpha", "Beta", "Gamma"].iter().enumerate() {
        let f = s
            .add_feed(&format!("https://{n}.test/"), Some(name), &[])
            .unwrap();
        let copy = ParsedItem {
            link: Some("https://news.test/railway".into()),
            ..text_item(&format!("k{n}"), "Railway line to reopen", STORY, 100)
        };
        store(&mut s, f, 1000 + n as i64, vec![copy]);
        feeds.push(f);
    }
    store(
        &mut s,
        feeds[1],
        2000,
        vec![text_item(
            "other",
            "Railway museum",
            "A railway museum opens.",
            50,
        )],
    );
    let q = query("railway", None);
    let rows = s.headlines(&q, 0, 50).unwrap();
    let shown: Vec<(&str, &str, Vec<String>)> = rows
        .iter()
        .map(|h| (h.title.as_str(), h.feed_title.as_str(), h.also_in.clone()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "Railway line to reopen",
                "Alpha",
                vec!["Beta".to_string(), "Gamma".to_string()]
            ),
            ("Railway museum", "Beta", vec![]),
        ],
        "the story's leader once, as All lists it"
    );
    assert_eq!(s.count(&q).unwrap(), 2);
    assert_eq!(s.count(&q.clone().unread_only(true)).unwrap(), 2);

    // Read state is the story's: reading a copy reads the row.
    let copy = s
        .headlines(&query("railway", Some(feeds[2])), 0, 5)
        .unwrap();
    assert_eq!(copy.len(), 1, "a search in one feed finds its copy");
    s.set_read(copy[0].id, true).unwrap();
    let rows = s.headlines(&q, 0, 50).unwrap();
    assert!(rows[0].read, "the leader shows the copy's read mark");
    assert_eq!(s.count(&q.clone().unread_only(true)).unwrap(), 1);
    assert_eq!(titles(&s, &q.clone().unread_only(true)), ["Railway museum"]);
}

#[test]
fn an_exact_title_ranks_first_then_title_phrases_then_text_phrases() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", Some("Alpha"), &[]).unwrap();
    let mut items = Vec::new();
    // Many newer items that hold the words somewhere, as a busy cache would.
    for n in 0..40 {
        items.push(text_item(
            &format!("noise{n}"),
            &format!("Council notes {n}"),
            "The wall by the harbour needs repairs, the council heard.",
            10_000 + n,
        ));
    }
    items.push(text_item(
        "text-phrase",
        "Weekend notes",
        "Work on the harbour wall repairs starts on Monday.",
        9_000,
    ));
    items.push(text_item(
        "title-words",
        "Repairs to the old wall at the harbour",
        "Work starts.",
        8_000,
    ));
    items.push(text_item(
        "title-phrase",
        "Harbour wall repairs delayed again",
        "Work waits.",
        7_000,
    ));
    items.push(text_item(
        "exact",
        "Harbour Wall Repairs",
        "The plan.",
        1_000,
    ));
    store(&mut s, f, 20_000, items);

    let got = titles(&s, &query("harbour wall repairs", None));
    assert_eq!(got.len(), 44);
    assert_eq!(
        got[..5],
        [
            "Harbour Wall Repairs",
            "Harbour wall repairs delayed again",
            "Repairs to the old wall at the harbour",
            "Weekend notes",
            "Council notes 39",
        ],
        "exact title, title phrase, title words, text phrase, then newest first"
    );
    // Within a tier the list's order holds: oldest first.
    let oldest = ItemQuery {
        oldest_first: true,
        ..query("harbour wall repairs", None)
    };
    assert_eq!(titles(&s, &oldest)[4], "Council notes 0");
}

#[test]
fn a_quoted_phrase_must_occur_side_by_side_in_the_title_or_text() {
    let (_d, mut s) = temp_store();
    let f = s.add_feed("https://a.test/", Some("Alpha"), &[]).unwrap();
    let mut html = text_item("html", "Survey", "", 30);
    html.content = "<p>Divers mapped the <b>Coral</b> Reef at dawn.</p>".into();
    html.content_kind = BodyKind::Html;
    store(
        &mut s,
        f,
        100,
        vec![
            html,
            text_item(
                "apart",
                "Reef news",
                "The reef and the coral both grew.",
                20,
            ),
            text_item("title", "Coral reef bleaching", "Nothing more.", 10),
            text_item("longer", "Coralline", "A coralline reef.", 5),
        ],
    );
    assert_eq!(
        titles(&s, &query("\"coral reef\"", None)),
        ["Coral reef bleaching", "Survey"]
    );
    assert_eq!(
        titles(&s, &query("coral reef", None)),
        ["Coral reef bleaching", "Survey", "Reef news"],
        "unquoted, the words anywhere match too, after the phrases"
    );
    assert_eq!(
        titles(&s, &query("\"reef coral\"", None)),
        Vec::<String>::new()
    );
}

#[test]
fn a_search_in_one_feed_lists_and_counts_that_feed_only() {
    let (_d, mut s) = temp_store();
    let a = s.add_feed("https://a.test/", Some("Alpha"), &[]).unwrap();
    let b = s.add_feed("https://b.test/", Some("Beta"), &[]).unwrap();
    store(
        &mut s,
        a,
        100,
        vec![
            text_item("a1", "Coral survey", "Coral.", 30),
            text_item("a2", "Coral spawning", "Coral.", 20),
        ],
    );
    store(
        &mut s,
        b,
        100,
        vec![text_item("b1", "Coral bleaching", "Coral.", 40)],
    );
    assert_eq!(
        titles(&s, &query("coral", Some(a))),
        ["Coral survey", "Coral spawning"]
    );
    assert_eq!(titles(&s, &query("coral", Some(b))), ["Coral bleaching"]);
    assert_eq!(titles(&s, &query("coral", None)).len(), 3);
    // Marking a scoped search read marks that feed's items only.
    let marked = s
        .mark_all_read(&query("coral", Some(a)).unread_only(true))
        .unwrap();
    assert_eq!(marked.len(), 2);
    assert_eq!(s.count(&query("coral", None).unread_only(true)).unwrap(), 1);
}

//! Missing titles: an untitled item says so, an untitled feed shows its host or file name.

use crate::app::msg::{Msg, Totals};
use crate::app::tests::{feed, loaded_state};
use crate::app::update::update;
use crate::ui::tests::screen;

#[test]
fn an_untitled_item_and_untitled_feeds_get_a_name() {
    let mut s = loaded_state(160, 40, 3);
    let mut by_path = feed(1, "/home/reader/feeds/coastal-notes.xml", &[], 1, None);
    by_path.url = by_path.title.clone();
    let mut by_url = feed(
        2,
        "https://news.example.org/feeds/all.atom?x=1",
        &[],
        1,
        None,
    );
    by_url.url = by_url.title.clone();
    update(
        &mut s,
        Msg::FeedsLoaded(vec![by_path, by_url], Totals::default()),
    );
    s.list.rows[0].title = "   ".into();
    s.list.rows[0].feed_id = 1;
    s.list.rows[0].feed_title = "/home/reader/feeds/coastal-notes.xml".into();
    let query = s.list.query.clone();
    let rows = s.list.rows.clone();
    s.list.pending = Some(0);
    update(
        &mut s,
        Msg::HeadlinesLoaded {
            query,
            offset: 0,
            rows,
            total: 3,
        },
    );
    let text = screen(&s);
    assert!(
        !text.contains("/home/reader"),
        "never a whole path:\n{text}"
    );
    assert!(text.contains("coastal-notes.xml"), "{text}");
    assert!(text.contains("news.example.org"), "{text}");
    assert!(!text.contains("feeds/all.atom"), "{text}");
    let first = text
        .lines()
        .find(|l| l.contains("12:00"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(first.contains("(untitled)"), "{first}");
}

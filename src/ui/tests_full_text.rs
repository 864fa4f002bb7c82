//! The article pane's title says which text is shown when the item has an article from its page.

use crate::app::msg::Msg;
use crate::app::tests::{item, loaded_state};
use crate::app::text::parse;
use crate::app::update::update;
use crate::config::keymap::{Action, Key};
use crate::model::FullText;
use crate::ui::tests::screen;

#[test]
fn the_title_names_the_article_from_the_page_or_the_feed_text() {
    let mut s = loaded_state(160, 40, 3);
    update(&mut s, Msg::Key(Key::parse("Enter").unwrap()));
    let id = s.list.selected_row().unwrap().id;
    let plain = item(id);
    let (body, kind, base) = plain.shown_body(false);
    let doc = parse(body, kind, base);
    update(
        &mut s,
        Msg::ArticleLoaded(Box::new(plain.clone()), doc, Vec::new()),
    );
    let text = screen(&s);
    assert!(text.contains("Article 100%"), "{text}");
    assert!(!text.contains("Feed text") && !text.contains("from the page"));

    let mut full = plain;
    full.full_text = Some(FullText {
        html: "<p>Every word of the story, fetched from its page.</p>".into(),
        url: "https://example.org/story".into(),
        fetched_at: 0,
    });
    s.article_pending = Some(id);
    let (body, kind, base) = full.shown_body(false);
    let doc = parse(body, kind, base);
    update(
        &mut s,
        Msg::ArticleLoaded(Box::new(full.clone()), doc, Vec::new()),
    );
    let text = screen(&s);
    assert!(text.contains("Article from the page"), "{text}");
    assert!(text.contains("fetched from its page"), "{text}");

    update(&mut s, Msg::Action(Action::ToggleFullText));
    let (body, kind, base) = full.shown_body(true);
    let doc = parse(body, kind, base);
    update(&mut s, Msg::ArticleLoaded(Box::new(full), doc, Vec::new()));
    let text = screen(&s);
    assert!(text.contains("Feed text"), "{text}");
    assert!(!text.contains("fetched from its page"), "{text}");
}

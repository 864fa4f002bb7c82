//! The reader's side of full text: switching the open article between the feed's own text and
//! the article fetched from the item's page, and asking for the page (again) in the background.
//! The fetch runs through the refresher, never in the interface thread; its outcome comes back
//! as [`Msg::PageFetched`](crate::app::msg::Msg::PageFetched).

use crate::app::msg::Command;
use crate::app::state::State;
use crate::model::ItemId;

/// `f`: shows the feed's text when the article from the page is shown, the article when the
/// feed's text is; fetches the page when the item has no article yet.
pub fn toggle(state: &mut State) -> Vec<Command> {
    let Some(a) = &state.article else {
        return Vec::new();
    };
    let id = a.item.id;
    if a.shows_full_text() {
        state.feed_text_for = Some(id);
        state.article_pending = Some(id);
        vec![Command::LoadFeedText(id)]
    } else if a.item.full_text.is_some() {
        state.feed_text_for = None;
        state.article_pending = Some(id);
        vec![Command::LoadArticle(id)]
    } else {
        fetch(state, id)
    }
}

/// `F`: fetches the open article's page again, whatever happened to it before.
pub fn fetch_again(state: &mut State) -> Vec<Command> {
    match &state.article {
        Some(a) => {
            let id = a.item.id;
            fetch(state, id)
        }
        None => Vec::new(),
    }
}

fn fetch(state: &mut State, id: ItemId) -> Vec<Command> {
    let linked = state
        .article
        .as_ref()
        .is_some_and(|a| a.item.link.as_deref().is_some_and(|l| !l.is_empty()));
    if !linked {
        state.notify("This item links to no page");
        return Vec::new();
    }
    state.notify("Fetching the article from its page…");
    vec![Command::FetchPage(id)]
}

/// A page fetch finished: says how, and shows the article if it is still open.
pub fn fetched(state: &mut State, item: ItemId, outcome: String) -> Vec<Command> {
    state.notify(crate::content::sanitize_line(&outcome).into_owned());
    if state.article.as_ref().is_some_and(|a| a.item.id == item) {
        state.feed_text_for = None;
        state.article_pending = Some(item);
        return vec![Command::LoadArticle(item)];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::msg::Msg;
    use crate::app::tests::{item, loaded_state};
    use crate::app::text::parse;
    use crate::app::update;
    use crate::config::keymap::Action;
    use crate::model::{BodyKind, FullText};

    fn open(s: &mut State, it: crate::model::ItemRow, feed_text: bool) {
        let (body, kind, base) = it.shown_body(feed_text);
        let doc = parse(body, kind, base);
        s.article_pending = Some(it.id);
        update(s, Msg::ArticleLoaded(Box::new(it), doc, Vec::new()));
    }

    #[test]
    fn f_switches_between_the_article_and_the_feed_text_and_fetches_what_is_missing() {
        let mut s = loaded_state(120, 40, 5);
        let mut it = item(3);
        it.full_text = Some(FullText {
            html: "<p>The whole article.</p>".into(),
            url: "https://example.org/a".into(),
            fetched_at: 0,
        });
        open(&mut s, it.clone(), false);
        assert!(s.article.as_ref().unwrap().shows_full_text());
        let cmds = update(&mut s, Msg::Action(Action::ToggleFullText));
        assert_eq!(cmds, vec![Command::LoadFeedText(3)]);
        // The feed text arrives: the view knows which text it shows.
        let doc = parse(&it.content, BodyKind::Html, None);
        update(
            &mut s,
            Msg::ArticleLoaded(Box::new(it.clone()), doc, Vec::new()),
        );
        let a = s.article.as_ref().unwrap();
        assert!(a.feed_text && !a.shows_full_text());
        let cmds = update(&mut s, Msg::Action(Action::ToggleFullText));
        assert_eq!(cmds, vec![Command::LoadArticle(3)]);

        // No article yet: f fetches it, through a command (the interface never waits).
        let mut s = loaded_state(120, 40, 5);
        open(&mut s, item(4), false);
        let cmds = update(&mut s, Msg::Action(Action::ToggleFullText));
        assert_eq!(cmds, vec![Command::FetchPage(4)]);
        let cmds = update(
            &mut s,
            Msg::PageFetched {
                item: 4,
                outcome: "Article fetched".into(),
            },
        );
        assert_eq!(cmds, vec![Command::LoadArticle(4)]);
        assert_eq!(s.notice.as_ref().unwrap().text, "Article fetched");
        let cmds = update(&mut s, Msg::Action(Action::FetchArticle));
        assert_eq!(cmds, vec![Command::FetchPage(4)]);
    }

    fn body_text(s: &State) -> String {
        let a = s.article.as_ref().unwrap();
        a.lines.iter().map(|l| l.plain() + "\n").collect()
    }

    #[test]
    fn the_raw_view_of_an_article_shows_the_feed_text_after_a_rule() {
        let mut s = loaded_state(120, 40, 5);
        let mut it = item(3);
        it.content = "<p>The feed's own teaser sentence.</p>".into();
        it.full_text = Some(FullText {
            html: "<p>The whole article from the page.</p>".into(),
            url: "https://example.org/a".into(),
            fetched_at: 0,
        });
        open(&mut s, it, false);
        let plain = body_text(&s);
        assert!(plain.contains("The whole article"), "{plain}");
        assert!(!plain.contains("teaser sentence"), "{plain}");

        update(&mut s, Msg::Action(Action::ToggleRaw));
        let raw = body_text(&s);
        let article = raw.find("The whole article").expect("the article");
        let rule = raw
            .find("Feed text")
            .expect("a rule line naming the feed text");
        let teaser = raw.find("teaser sentence").expect("the feed text");
        assert!(article < rule && rule < teaser, "{raw}");

        // Back out of the raw view: the article alone again.
        update(&mut s, Msg::Action(Action::ToggleRaw));
        assert!(!body_text(&s).contains("teaser sentence"));

        // An item with no article has no second text to show.
        let mut s = loaded_state(120, 40, 5);
        open(&mut s, item(4), false);
        update(&mut s, Msg::Action(Action::ToggleRaw));
        assert!(!body_text(&s).contains("Feed text"));
    }
}

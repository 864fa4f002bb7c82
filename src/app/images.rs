//! Images in the open article: which ones to ask for, taking them in as they arrive, the `i`
//! toggle, and placing them among the laid-out lines as rows of half blocks.
//!
//! The reader asks for an article's images when it is first shown ([`Command::LoadImages`]);
//! the session fetches and decodes them on threads of its own and sends each one back as
//! [`Msg::ImageLoaded`]. Until then, and for an image that fails, its alt text line is all
//! that shows. A decoded image goes above its alt text line, which stays as its caption (see
//! [`crate::app::image_rows`]).

use std::sync::Arc;

use crate::app::article::ArticleView;
use crate::app::msg::Command;
use crate::app::state::State;
use crate::app::text::LinkKind;
use crate::config::ImageMode;
use crate::content::picture::Picture;
use crate::model::ItemId;

pub use crate::refresh::images::MAX_PER_ARTICLE;

/// How images are drawn for the article of `feed`: its `[[feed]]` table's `images`, else
/// `[reader] images`; `Off` when the `i` key turned them off.
pub fn mode_for(state: &State, feed: crate::model::FeedId) -> ImageMode {
    if !state.images_on {
        return ImageMode::Off;
    }
    let per_feed = state
        .feeds
        .iter()
        .find(|f| f.id == feed)
        .and_then(|f| state.feed_rules.effective(&f.url, &f.tags).settings.images);
    per_feed.unwrap_or(state.settings.images)
}

/// Whether some article may be drawn with a graphics protocol: `[reader] images = "auto"`, or
/// a `[[feed]]` table that says so. Otherwise the terminal is not asked which one it speaks.
pub fn auto_anywhere(state: &State) -> bool {
    state.settings.images == ImageMode::Auto
        || state
            .feed_rules
            .tables
            .iter()
            .any(|t| t.settings.images == Some(ImageMode::Auto))
}

/// The addresses of the images the article's shown blocks carry, at most [`MAX_PER_ARTICLE`].
pub fn wanted(view: &ArticleView) -> Vec<String> {
    view.doc.links[..view.shown_links.min(view.doc.links.len())]
        .iter()
        .filter(|l| l.kind == LinkKind::Image)
        .filter(|l| l.url.starts_with("http://") || l.url.starts_with("https://"))
        .take(MAX_PER_ARTICLE)
        .map(|l| l.url.clone())
        .collect()
}

/// Sets the open article's image mode and asks for its images when they are on.
pub fn request(state: &mut State) -> Vec<Command> {
    let Some(feed) = state.article.as_ref().map(|a| a.item.feed_id) else {
        return Vec::new();
    };
    let mode = mode_for(state, feed);
    let feed_url = state
        .feeds
        .iter()
        .find(|f| f.id == feed)
        .map(|f| f.url.clone())
        .unwrap_or_default();
    let rows = state.settings.image_max_height.max(1);
    let (max_width, center) = (state.settings.text_width(), state.settings.center);
    let Some(a) = &mut state.article else {
        return Vec::new();
    };
    let max_rows = (mode != ImageMode::Off).then_some(rows);
    if a.image_rows != max_rows {
        a.image_rows = max_rows;
        let w = a.width;
        a.relayout(w, max_width, center);
    }
    let urls = wanted(a);
    if max_rows.is_none() || urls.iter().all(|u| a.pictures.iter().any(|(p, _)| p == u)) {
        return Vec::new();
    }
    vec![Command::LoadImages {
        item: a.item.id,
        feed_url,
        urls,
    }]
}

/// Takes in a decoded image for `item`, if that article is still open.
pub fn loaded(state: &mut State, item: ItemId, url: String, picture: Arc<Picture>) {
    let (max_width, center) = (state.settings.text_width(), state.settings.center);
    let Some(a) = &mut state.article else { return };
    if a.item.id != item || a.pictures.iter().any(|(u, _)| *u == url) {
        return;
    }
    a.pictures.push((url, picture));
    if a.image_rows.is_some() {
        let w = a.width;
        a.relayout(w, max_width, center);
    }
}

/// The `i` key: images off, or on again (fetching those not yet here).
pub fn toggle(state: &mut State) -> Vec<Command> {
    state.images_on = !state.images_on;
    let cmds = request(state);
    state.notify(if state.images_on {
        "Images on"
    } else {
        "Images off: alt text only"
    });
    cmds
}

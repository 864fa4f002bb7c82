//! Protocol images in the article pane: with kitty, sixel or iTerm2 the image's cells are left
//! blank for the session to draw in (skipped by ratatui for sixel and iTerm2), `[reader] images
//! = "halfblocks"` keeps half blocks, a kitty image partly scrolled out is cropped while a sixel
//! one is drawn as half blocks, and an overlay takes the images away.

use std::sync::Arc;

use ratatui::buffer::CellDiffOption;

use crate::app::image_spots::spots;
use crate::app::msg::Msg;
use crate::app::protocol::Protocol;
use crate::app::state::{Overlay, State};
use crate::app::tests::{item, loaded_state};
use crate::app::text::parse;
use crate::app::update::update;
use crate::config::ImageMode;
use crate::config::keymap::Key;
use crate::content::picture::Picture;
use crate::ui::tests::draw;

/// An open article with a 4 x 4 picture (4 columns, 2 rows of cells) and text below it.
fn with_picture(protocol: Protocol) -> State {
    let mut s = loaded_state(160, 40, 3);
    update(&mut s, Msg::Graphics(protocol));
    update(&mut s, Msg::Key(Key::parse("Enter").unwrap()));
    let id = s.list.selected_row().unwrap().id;
    let mut it = item(id);
    it.content = "<p>Before.</p><img src='https://img.test/a.png' alt='A square'>".to_string()
        + &"<p>More text.</p>".repeat(60);
    let doc = parse(&it.content, it.content_kind, None);
    s.article_pending = Some(id);
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, Vec::new()));
    update(
        &mut s,
        Msg::ImageLoaded {
            item: id,
            url: "https://img.test/a.png".into(),
            picture: Arc::new(Picture {
                width: 4,
                height: 4,
                rgba: [200, 0, 0, 255].repeat(16),
            }),
        },
    );
    s
}

fn half_blocks(s: &State) -> usize {
    let term = draw(s);
    let n = term.backend().buffer().content.iter();
    n.filter(|c| c.symbol() == "▀").count()
}

/// Scrolls the article so that the image's first `n` rows are above the pane.
fn scroll_into(s: &mut State, n: usize) {
    let a = s.article.as_mut().unwrap();
    a.scroll = a.header_lines.len() + 1 + a.placed[0].line + n;
}

#[test]
fn a_kitty_image_leaves_its_cells_blank_and_is_cropped_when_scrolled() {
    let mut s = with_picture(Protocol::Kitty);
    let found = spots(&s);
    assert_eq!(found.len(), 1);
    let spot = &found[0];
    assert_eq!((spot.cols, spot.rows, spot.top, spot.shown), (4, 2, 0, 2));
    assert_eq!(half_blocks(&s), 0);
    let term = draw(&s);
    let cell = term.backend().buffer().cell((spot.x, spot.y)).unwrap();
    assert_eq!(cell.symbol(), " ");
    assert_eq!(cell.diff_option, CellDiffOption::None);
    // One row scrolled out at the top: the rest shows, cropped, at the pane's first row.
    scroll_into(&mut s, 1);
    let found = spots(&s);
    assert_eq!((found[0].top, found[0].shown), (1, 1));
    assert_eq!(half_blocks(&s), 0);
    // An overlay over the pane: no protocol image (the help is drawn over blank cells).
    s.overlay = Some(Overlay::Help { scroll: 0 });
    assert!(spots(&s).is_empty());
}

#[test]
fn a_sixel_image_is_skipped_by_ratatui_and_half_blocks_when_partly_out() {
    let mut s = with_picture(Protocol::Sixel);
    let found = spots(&s);
    assert_eq!(found.len(), 1);
    // The frame as drawn (a backend never receives skipped cells).
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 40)).unwrap();
    let frame = term.draw(|f| crate::ui::render(&s, f)).unwrap();
    for x in found[0].x..found[0].x + 4 {
        for y in found[0].y..found[0].y + 2 {
            let cell = frame.buffer.cell((x, y)).unwrap();
            assert_eq!(cell.diff_option, CellDiffOption::Skip);
        }
    }
    let right = frame.buffer.cell((found[0].x + 4, found[0].y)).unwrap();
    assert_eq!(right.diff_option, CellDiffOption::None);
    assert_eq!(half_blocks(&s), 0);
    // Partly out: no sixel there, its visible row as half blocks.
    scroll_into(&mut s, 1);
    assert!(spots(&s).is_empty());
    assert_eq!(half_blocks(&s), 4);
}

#[test]
fn halfblocks_mode_keeps_half_blocks_whatever_the_terminal_speaks() {
    let mut s = with_picture(Protocol::Kitty);
    s.settings.images = ImageMode::Halfblocks;
    assert!(spots(&s).is_empty());
    assert_eq!(half_blocks(&s), 8);
    // And without a protocol, auto is half blocks too.
    let s = with_picture(Protocol::Halfblocks);
    assert!(spots(&s).is_empty());
    assert_eq!(half_blocks(&s), 8);
}

//! Images in the article pane: asked for when the article opens, drawn as half blocks above
//! their alt text once decoded, turned off and on with `i`, never asked for when off.

use std::sync::Arc;

use ratatui::style::Color;

use crate::app::msg::{Command, Msg};
use crate::app::tests::{item, loaded_state};
use crate::app::text::parse;
use crate::app::update::update;
use crate::config::ImageMode;
use crate::config::keymap::Key;
use crate::content::picture::Picture;
use crate::ui::tests::{draw, screen};

const BODY: &str = "<p>Before the picture.</p>\
    <img src='https://img.test/red.png' alt='A red square'>\
    <p>After the picture.</p>";

fn open(s: &mut crate::app::state::State) -> Vec<Command> {
    update(s, Msg::Key(Key::parse("Enter").unwrap()));
    let id = s.list.selected_row().unwrap().id;
    let mut it = item(id);
    it.content = BODY.into();
    let doc = parse(&it.content, it.content_kind, None);
    s.article_pending = Some(id);
    update(s, Msg::ArticleLoaded(Box::new(it), doc, Vec::new()))
}

/// A 4 x 4 picture: red above, blue below.
fn red_over_blue() -> Arc<Picture> {
    let mut rgba = Vec::new();
    for y in 0..4 {
        for _ in 0..4 {
            rgba.extend_from_slice(if y < 2 {
                &[255, 0, 0, 255]
            } else {
                &[0, 0, 255, 255]
            });
        }
    }
    Arc::new(Picture {
        width: 4,
        height: 4,
        rgba,
    })
}

/// The half-block cells on screen: (upper colour, lower colour) of each `▀`.
fn half_blocks(s: &crate::app::state::State) -> Vec<(Color, Color)> {
    let term = draw(s);
    term.backend()
        .buffer()
        .content
        .iter()
        .filter(|c| c.symbol() == "▀")
        .map(|c| (c.fg, c.bg))
        .collect()
}

#[test]
fn images_are_asked_for_then_drawn_as_half_blocks_above_their_alt_text() {
    let mut s = loaded_state(160, 40, 3);
    let cmds = open(&mut s);
    let id = s.article.as_ref().unwrap().item.id;
    let asked = cmds.iter().find_map(|c| match c {
        Command::LoadImages { item, urls, .. } => Some((*item, urls.clone())),
        _ => None,
    });
    assert_eq!(
        asked,
        Some((id, vec!["https://img.test/red.png".to_string()]))
    );
    // While it loads: the alt text, no blocks.
    assert!(screen(&s).contains("[image: A red square]"));
    assert!(half_blocks(&s).is_empty());

    update(
        &mut s,
        Msg::ImageLoaded {
            item: id,
            url: "https://img.test/red.png".into(),
            picture: red_over_blue(),
        },
    );
    let cells = half_blocks(&s);
    let red = Color::Rgb(255, 0, 0);
    let blue = Color::Rgb(0, 0, 255);
    assert_eq!(cells.len(), 8, "4 columns, 2 rows");
    assert!(cells[..4].iter().all(|&c| c == (red, red)), "{cells:?}");
    assert!(cells[4..].iter().all(|&c| c == (blue, blue)), "{cells:?}");
    let text = screen(&s);
    let block = text.find('▀').unwrap();
    let alt = text.find("[image: A red square]").unwrap();
    assert!(
        block < alt,
        "the image is drawn above its alt text:\n{text}"
    );
    assert!(text.contains("After the picture."));

    // An image for another article is dropped.
    update(
        &mut s,
        Msg::ImageLoaded {
            item: id + 1000,
            url: "https://img.test/other.png".into(),
            picture: red_over_blue(),
        },
    );
    assert_eq!(s.article.as_ref().unwrap().pictures.len(), 1);

    // `i` turns images off (alt text only) and on again, without asking twice.
    let cmds = update(&mut s, Msg::Key(Key::parse("i").unwrap()));
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(half_blocks(&s).is_empty());
    assert!(screen(&s).contains("[image: A red square]"));
    let cmds = update(&mut s, Msg::Key(Key::parse("i").unwrap()));
    assert!(cmds.is_empty(), "already here: {cmds:?}");
    assert_eq!(half_blocks(&s).len(), 8);
}

#[test]
fn with_images_off_nothing_is_asked_for_and_the_alt_text_shows() {
    let mut s = loaded_state(160, 40, 3);
    s.settings.images = ImageMode::Off;
    let cmds = open(&mut s);
    assert!(
        !cmds.iter().any(|c| matches!(c, Command::LoadImages { .. })),
        "{cmds:?}"
    );
    assert!(screen(&s).contains("[image: A red square]"));
}

#[test]
fn images_fit_the_pane_width_and_the_maximum_height() {
    let mut s = loaded_state(80, 40, 3);
    s.settings.image_max_height = 5;
    open(&mut s);
    let id = s.article.as_ref().unwrap().item.id;
    update(
        &mut s,
        Msg::ImageLoaded {
            item: id,
            url: "https://img.test/red.png".into(),
            picture: Arc::new(Picture {
                width: 400,
                height: 100,
                rgba: vec![200; 400 * 100 * 4],
            }),
        },
    );
    let a = s.article.as_ref().unwrap();
    let p = &a.placed[0];
    assert!(p.blocks.rows <= 5, "{}", p.blocks.rows);
    assert!(
        usize::from(p.blocks.cols) + p.x <= a.width,
        "{p:?} in {}",
        a.width
    );
}

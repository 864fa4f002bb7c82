//! The article header wraps, and lines up with the centred body.

use crate::app::msg::Msg;
use crate::app::state::{Focus, State};
use crate::app::tests::{item, loaded_state};
use crate::app::text::parse;
use crate::app::update::update;
use crate::config::keymap::Key;
use crate::model::BodyKind;
use crate::ui::tests::screen;

const TITLE: &str = "The harbour council votes to rebuild the old sea wall before the storms of \
                     the coming winter, after engineers warned that the stones had shifted";
const LINK: &str = "https://example.org/news/2026/11/30/harbour-council-votes-to-rebuild-the-old-sea-wall-before-winter";
const AUDIO: &str =
    "https://media.example.org/podcasts/harbour-weekly/episode-0147-the-sea-wall-vote.mp3";

fn reading(width: u16, height: u16) -> State {
    let mut s = loaded_state(width, height, 10);
    update(&mut s, Msg::Key(Key::parse("Enter").unwrap()));
    let id = s.list.selected_row().unwrap().id;
    let mut it = item(id);
    it.title = TITLE.into();
    it.link = Some(LINK.into());
    it.enclosures[0].url = AUDIO.into();
    it.author = Some("The Harbour Gazette newsroom, with reporting from the coastal desk".into());
    let doc = parse(&it.content, BodyKind::Html, None);
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, Vec::new()));
    assert_eq!(s.focus, Focus::Article);
    s
}

/// The article pane's text (the rightmost pane) with line ends and spaces taken out, so that
/// wrapped text reads as one.
fn joined(text: &str) -> String {
    text.lines()
        .filter_map(|l| l.trim_matches('"').rsplit('│').nth(1))
        .map(|l| l.replace(' ', ""))
        .collect()
}

#[test]
fn long_header_fields_wrap_instead_of_being_cut() {
    for (w, h) in [(100, 40), (160, 40), (60, 40)] {
        let s = reading(w, h);
        let text = screen(&s);
        let all = joined(&text);
        for whole in [TITLE, LINK, AUDIO, "withreportingfromthecoastaldesk"] {
            assert!(
                all.contains(&whole.replace(' ', "")),
                "{w}x{h}: {whole:?} is shown whole:\n{text}"
            );
        }
    }
}

#[test]
fn the_header_lines_up_with_the_centred_body() {
    let s = reading(100, 40);
    let text = screen(&s);
    let col = |needle: &str| {
        text.lines()
            .find_map(|l| l.find(needle).map(|b| l[..b].chars().count()))
            .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{text}"))
    };
    let body = col("First paragraph");
    assert!(body > 3, "the body is centred in a wide pane:\n{text}");
    assert_eq!(col("The harbour council"), body, "title:\n{text}");
    assert_eq!(col("Feed:"), body, "fields:\n{text}");
}

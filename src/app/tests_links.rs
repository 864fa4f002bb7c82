//! The link list (`L`): every link of the article with its text and kind, the enclosures after
//! the body's links, and `y` naming the address it copied.

use crate::app::msg::{Command, Msg};
use crate::app::state::{Focus, State};
use crate::app::tests::{item, loaded_state};
use crate::app::text::parse;
use crate::app::update::update;
use crate::config::keymap::Key;
use crate::model::{BodyKind, Enclosure};

pub(crate) const AUDIO: &str =
    "https://media.example.org/podcasts/harbour-weekly/episode-0147-the-sea-wall-vote.mp3";

fn key(s: &mut State, name: &str) -> Vec<Command> {
    update(s, Msg::Key(Key::parse(name).expect("key name")))
}

/// A podcast episode open in the article pane: a link, an image, and an audio enclosure.
pub(crate) fn podcast(width: u16, height: u16) -> State {
    let mut s = loaded_state(width, height, 10);
    key(&mut s, "Enter");
    let id = s.list.selected_row().unwrap().id;
    let mut it = item(id);
    it.content = "<p>Show notes: read <a href=\"https://example.org/report\">the full \
                  <b>engineers'</b> report</a>.</p><p><img src=\"https://example.org/wall.jpg\" \
                  alt=\"The wall at low tide\"></p>"
        .into();
    it.enclosures = vec![Enclosure {
        url: AUDIO.into(),
        mime: Some("audio/mpeg".into()),
        length: Some(24_000_000),
    }];
    let doc = parse(&it.content, BodyKind::Html, None);
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, Vec::new()));
    assert_eq!(s.focus, Focus::Article);
    s
}

#[test]
fn the_enclosure_is_listed_after_the_body_links_and_opens_from_the_list() {
    let mut s = podcast(160, 40);
    let article = s.article.as_ref().unwrap();
    let urls: Vec<&str> = article.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(
        urls,
        vec![
            "https://example.org/report",
            "https://example.org/wall.jpg",
            AUDIO
        ]
    );
    key(&mut s, "L");
    key(&mut s, "G");
    assert_eq!(key(&mut s, "Enter"), vec![Command::OpenUrl(AUDIO.into())]);
    key(&mut s, "L");
    key(&mut s, "3");
    assert_eq!(key(&mut s, "Enter"), vec![Command::OpenUrl(AUDIO.into())]);
}

#[test]
fn y_in_the_list_copies_the_enclosure_and_says_which_address() {
    let mut s = podcast(160, 40);
    key(&mut s, "L");
    key(&mut s, "3");
    assert_eq!(
        key(&mut s, "y"),
        vec![Command::CopyToClipboard(AUDIO.into())]
    );
    let notice = s.notice.as_ref().unwrap();
    assert!(!notice.error);
    assert_eq!(notice.text, format!("Copied {AUDIO}"));
}

#[test]
fn y_names_the_article_link_it_copied_shortened_when_long() {
    let mut s = podcast(160, 40);
    assert_eq!(
        key(&mut s, "y"),
        vec![Command::CopyToClipboard(
            "https://example.org/article".into()
        )]
    );
    assert_eq!(
        s.notice.as_ref().unwrap().text,
        "Copied https://example.org/article"
    );
    // A long address keeps its start and its end around a "…", within what the status line
    // leaves it at 80 columns.
    let mut s = podcast(80, 24);
    let long = format!("https://example.org/{}/end.html", "segment/".repeat(20));
    s.article.as_mut().unwrap().item.link = Some(long.clone());
    assert_eq!(key(&mut s, "y"), vec![Command::CopyToClipboard(long)]);
    let text = &s.notice.as_ref().unwrap().text;
    let shown = text.strip_prefix("Copied ").unwrap();
    assert!(shown.contains('…'), "{text}");
    assert!(shown.starts_with("https://exa"), "{text}");
    assert!(shown.ends_with("/end.html"), "{text}");
    assert!(shown.chars().count() <= 24, "{text}");
}

#[test]
fn each_link_has_its_text_and_kind() {
    let s = podcast(160, 40);
    let article = s.article.as_ref().unwrap();
    let shown: Vec<(String, String)> = article
        .links
        .iter()
        .map(|l| (l.text.clone(), l.kind_label()))
        .collect();
    assert_eq!(
        shown,
        vec![
            ("the full engineers' report".into(), "link".into()),
            ("The wall at low tide".into(), "image".into()),
            (
                "episode-0147-the-sea-wall-vote.mp3".into(),
                "enclosure · audio/mpeg, 24.0 MB".into()
            ),
        ]
    );
}

#[test]
fn an_enclosure_the_body_links_to_is_listed_once_as_an_enclosure() {
    let mut s = loaded_state(160, 40, 10);
    key(&mut s, "Enter");
    let id = s.list.selected_row().unwrap().id;
    let mut it = item(id);
    it.content = format!(
        "<p><a href=\"{AUDIO}\">Listen</a> or <a href=\"https://example.org/t\">read \
         \u{1b}]52;c;aGk=\u{7}\u{1b}[2Jit</a>.</p>"
    );
    it.enclosures = vec![
        Enclosure {
            url: AUDIO.into(),
            mime: None,
            length: None,
        },
        Enclosure {
            url: "https://example.org/\u{1b}[31mtranscript.pdf".into(),
            mime: Some("application/pdf\u{7}".into()),
            length: Some(2_048),
        },
    ];
    let doc = parse(&it.content, BodyKind::Html, None);
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, Vec::new()));
    let links = &s.article.as_ref().unwrap().links;
    assert_eq!(links.len(), 3, "{links:?}");
    assert_eq!(links[1].text, "read it");
    assert_eq!(links[0].url, AUDIO);
    assert_eq!(links[0].text, "Listen");
    assert_eq!(links[0].kind_label(), "enclosure");
    assert_eq!(links[2].kind_label(), "enclosure · application/pdf, 2.0 kB");
    for l in links {
        let all = format!("{}{}{}", l.url, l.text, l.kind_label());
        assert!(!all.chars().any(char::is_control), "{all:?}");
    }
}

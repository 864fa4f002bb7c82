//! The link list overlay shows each link's text, kind and address, enclosures included.

use crate::app::msg::Msg;
use crate::app::tests_links::podcast;
use crate::app::update::update;
use crate::config::keymap::Key;
use crate::ui::tests::screen;

fn key(s: &mut crate::app::State, name: &str) {
    update(s, Msg::Key(Key::parse(name).unwrap()));
}

/// The rows of the screen that lie inside the overlay box, its borders taken off.
fn overlay_rows(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_matches('"'))
        .filter(|l| l.contains('│'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('│').collect();
            // The overlay is the innermost box: the text between its two bars.
            (cells.len() >= 3).then(|| cells[cells.len() / 2].trim().to_string())
        })
        .collect()
}

#[test]
fn the_list_names_each_link_its_kind_and_the_enclosure_type_and_size() {
    for (w, h) in [(160, 40), (80, 24)] {
        let mut s = podcast(w, h);
        key(&mut s, "L");
        let text = screen(&s);
        let rows = overlay_rows(&text).join("\n");
        // At 80 columns the enclosure's file name is cut (with "…") to leave room for its kind.
        let name = if w > 100 {
            "[3] episode-0147-the-sea-wall-vote.mp3"
        } else {
            "[3] episode-0147"
        };
        for want in [
            "[1] the full engineers' report",
            "https://example.org/report",
            "[2] The wall at low tide",
            "https://example.org/wall.jpg",
            name,
            "enclosure · audio/mpeg, 24.0 MB",
        ] {
            assert!(text.contains(want), "{w}x{h}: no {want:?} in\n{text}");
        }
        assert!(rows.contains("link") && rows.contains("image"), "{text}");
    }
}

#[test]
fn a_long_list_scrolls_to_keep_the_chosen_link_in_view() {
    let mut s = podcast(80, 12);
    let article = s.article.as_mut().unwrap();
    for n in 0..30 {
        article.listed.insert(
            0,
            crate::app::links::LinkEntry {
                url: format!("https://example.org/extra/{n}"),
                text: format!("Extra link {n}"),
                kind: crate::app::links::EntryKind::Link,
            },
        );
    }
    key(&mut s, "L");
    key(&mut s, "G");
    let text = screen(&s);
    assert!(text.contains("[33] episode-0147"), "{text}");
    assert!(!text.contains("[1] Extra"), "{text}");
}

//! Links that only folded blocks carry: left out of the `L` list and of the body's own link list,
//! listed again in the raw view (which shows every block).

use crate::app::msg::Msg;
use crate::app::tests::{item, loaded_state};
use crate::app::text::parse;
use crate::app::update::update;
use crate::config::keymap::Key;
use crate::content::dedup::DedupOptions;
use crate::model::BodyKind;
use crate::ui::tests::screen;

fn key(s: &mut crate::app::State, name: &str) {
    update(s, Msg::Key(Key::parse(name).unwrap()));
}

const LONG: &str = "The harbour wall will be rebuilt before the winter storms, the council decided \
                    on Tuesday, after engineers found that its stones had shifted by a metre";

#[test]
fn the_link_list_leaves_out_links_only_folded_blocks_carry() {
    let mut s = loaded_state(120, 40, 10);
    key(&mut s, "Enter");
    let id = s.list.selected_row().unwrap().id;
    let mut it = item(id);
    // The title, repeated as a heading that links to a tracking copy of the address, is folded:
    // its link with it.
    it.content = format!(
        "<h1><a href=\"https://tracker.example/article?utm=feed\">{}</a></h1>\
         <p>{LONG} <a href=\"https://example.org/wall\">wall</a>.</p>\
         <p>Short note with <a href=\"https://example.org/note\">a note</a>.</p>",
        it.title
    );
    let doc = parse(&it.content, BodyKind::Html, None);
    let hidden =
        crate::content::fold::fold_item(&doc, Some(&it.title), None, &DedupOptions::default());
    assert_eq!(hidden, vec![true, false, false]);
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, hidden));

    let body = screen(&s);
    assert!(body.contains("https://example.org/note"), "{body}");
    assert!(!body.contains("tracker.example"), "{body}");
    key(&mut s, "L");
    let list = screen(&s);
    assert!(list.contains("[1] wall"), "{list}");
    assert!(list.contains("https://example.org/wall"), "{list}");
    assert!(list.contains("[2] a note"), "{list}");
    assert!(list.contains("https://example.org/note"), "{list}");
    assert!(!list.contains("tracker.example"), "{list}");
    // The item's enclosure follows the shown links; the folded link is not among them.
    assert!(list.contains("[3] ep.mp3"), "{list}");
    assert!(!list.contains("[4]"), "{list}");
    // Moving down stops at the last listed entry; Enter opens it.
    key(&mut s, "G");
    let cmds = update(&mut s, Msg::Action(crate::config::keymap::Action::Open));
    assert_eq!(
        cmds,
        vec![crate::app::Command::OpenUrl(
            "https://example.org/ep.mp3".into()
        )]
    );

    // The raw view shows the folded block and lists its link.
    key(&mut s, "u");
    let raw = screen(&s);
    assert!(raw.contains("tracker.example"), "{raw}");
    key(&mut s, "L");
    let list = screen(&s);
    assert!(list.contains("[3] "), "{list}");
    assert!(
        list.contains("https://tracker.example/article?utm=feed"),
        "{list}"
    );
}

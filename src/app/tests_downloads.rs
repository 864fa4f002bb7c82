//! The download action (`D`): the article's episode, the enclosure chosen in the link list, and
//! what the reader says when there is nothing to download.

use crate::app::msg::{Command, Msg};
use crate::app::state::State;
use crate::app::tests::{item, loaded_state};
use crate::app::tests_links::{AUDIO, podcast};
use crate::app::text::parse;
use crate::app::update::update;
use crate::config::keymap::Key;
use crate::model::BodyKind;

fn key(s: &mut State, name: &str) -> Vec<Command> {
    update(s, Msg::Key(Key::parse(name).expect("key name")))
}

#[test]
fn d_queues_the_articles_episode() {
    let mut s = podcast(160, 40);
    let id = s.article.as_ref().unwrap().item.id;
    assert_eq!(
        key(&mut s, "D"),
        vec![Command::QueueDownload {
            item: id,
            url: None
        }]
    );
}

#[test]
fn d_in_the_link_list_queues_the_chosen_enclosure_and_refuses_a_link() {
    let mut s = podcast(160, 40);
    let id = s.article.as_ref().unwrap().item.id;
    key(&mut s, "L");
    assert!(key(&mut s, "D").is_empty(), "the first entry is a link");
    let notice = s.notice.clone().expect("a notice");
    assert!(
        notice.error && notice.text.contains("Only an enclosure"),
        "{notice:?}"
    );
    key(&mut s, "G");
    assert_eq!(
        key(&mut s, "D"),
        vec![Command::QueueDownload {
            item: id,
            url: Some(AUDIO.into())
        }]
    );
    assert!(s.overlay.is_none(), "the list closes");
}

#[test]
fn an_article_without_enclosures_says_so() {
    let mut s = loaded_state(160, 40, 10);
    key(&mut s, "Enter");
    let id = s.list.selected_row().unwrap().id;
    let mut it = item(id);
    it.enclosures.clear();
    let doc = parse(&it.content, BodyKind::Html, None);
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, Vec::new()));
    assert_eq!(s.focus, crate::app::state::Focus::Article);
    assert!(key(&mut s, "D").is_empty());
    let notice = s.notice.clone().expect("a notice");
    assert!(
        notice.error && notice.text.contains("no enclosure"),
        "{notice:?}"
    );
}

#[test]
fn from_the_headlines_the_worker_picks_the_episode_and_a_queued_one_runs() {
    let mut s = loaded_state(120, 30, 5);
    let id = s.list.selected_row().unwrap().id;
    assert_eq!(
        key(&mut s, "D"),
        vec![Command::QueueDownload {
            item: id,
            url: None
        }]
    );
    let cmds = update(&mut s, Msg::DownloadQueued("Feed - Ep".into()));
    assert_eq!(cmds, vec![Command::RunDownloads]);
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .contains("Queued for download: Feed - Ep")
    );
}

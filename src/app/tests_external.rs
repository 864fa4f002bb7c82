//! The commands the reader makes for other programs, before anything runs: the pipe binding's
//! argv and text, the `[open]` command of an enclosure, the save action's Markdown, and the
//! notification after new stories.

use std::path::Path;

use crate::app::msg::{Command, Msg};
use crate::app::state::State;
use crate::app::tests::{item, loaded_state};
use crate::app::tests_links::podcast;
use crate::app::text::parse;
use crate::app::update::update;
use crate::config::commands::TerminalNotify;
use crate::config::keymap::{Key, Keymap};
use crate::model::BodyKind;

fn key(s: &mut State, name: &str) -> Vec<Command> {
    update(s, Msg::Key(Key::parse(name).expect("key name")))
}

fn with_pipe(s: &mut State, command: &str) {
    let user = Keymap::from_toml_str(
        &format!("[keys]\n\"P\" = {{ action = \"pipe\", command = {command} }}\n"),
        Path::new("k.toml"),
    )
    .unwrap();
    s.keymap = Keymap::merge(Keymap::default_keys(), user);
}

/// An article with a heading, a list, a quote, a table and code, its second paragraph folded.
fn rich(width: u16) -> State {
    let mut s = loaded_state(width, 40, 10);
    key(&mut s, "Enter");
    let id = s.list.selected_row().unwrap().id;
    let mut it = item(id);
    it.content =
        "<p>Opening <a href=\"https://example.org/a\">words</a> about the harbour and the \
                  boats that came in on the morning tide.</p><p>Share this!</p>\
                  <h2>Details</h2><ul><li>one</li><li>two</li></ul>\
                  <blockquote><p>Quoted line.</p></blockquote>\
                  <table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>\
                  <pre>let x = 1;</pre>"
            .into();
    let doc = parse(&it.content, BodyKind::Html, None);
    let mut hidden = vec![false; doc.blocks.len()];
    hidden[1] = true;
    update(&mut s, Msg::ArticleLoaded(Box::new(it), doc, hidden));
    s
}

#[test]
fn save_writes_markdown_of_the_shown_blocks() {
    let mut s = rich(100);
    s.external.save_dir = "/somewhere/saved".into();
    let cmds = key(&mut s, "w");
    let [
        Command::SaveArticle {
            dir,
            title,
            markdown,
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    assert_eq!(dir, Path::new("/somewhere/saved"));
    let item_title = &s.article.as_ref().unwrap().item.title;
    assert_eq!(title, item_title);
    assert!(
        markdown.starts_with(&format!("# {item_title}\n")),
        "{markdown}"
    );
    for part in [
        "## Details",
        "- one\n\n- two",
        "> Quoted line.",
        "| k | v |\n| --- | --- |\n| a | 1 |",
        "```\nlet x = 1;\n```",
        "[1]: <https://example.org/a>",
    ] {
        assert!(markdown.contains(part), "{part:?} not in:\n{markdown}");
    }
    assert!(
        !markdown.contains("Share this!"),
        "a folded block: {markdown}"
    );
}

#[test]
fn pipe_fills_whole_arguments_and_sends_the_unwrapped_text() {
    let mut s = rich(40);
    with_pipe(
        &mut s,
        "[\"tee\", \"--\", \"{title}\", \"{feed}\", \"x{url}\"]",
    );
    let cmds = key(&mut s, "P");
    let [
        Command::Pipe {
            argv,
            input,
            terminal,
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    let a = s.article.as_ref().unwrap();
    assert_eq!(argv[2], a.item.title);
    assert_eq!(argv[3], a.item.feed_title);
    assert_eq!(argv[4], "x{url}");
    assert!(!terminal);
    // At 40 columns the pane wraps the first paragraph; the text keeps it on one line.
    let first =
        "Opening words [1] about the harbour and the boats that came in on the morning tide.";
    assert!(input.lines().any(|l| l == first), "{input}");
    assert!(
        s.article.as_ref().unwrap().lines.len() > 10,
        "the pane wraps it"
    );
    assert!(!input.contains("Share this!"), "{input}");
}

#[test]
fn pipe_refuses_a_value_that_looks_like_an_option() {
    let mut s = rich(100);
    s.article.as_mut().unwrap().item.title = "--output=/etc/passwd".into();
    with_pipe(&mut s, "[\"tee\", \"{title}\"]");
    assert!(key(&mut s, "P").is_empty());
    let notice = s.notice.as_ref().unwrap();
    assert!(
        notice.error && notice.text.contains("{title}"),
        "{notice:?}"
    );
}

#[test]
fn an_enclosure_with_an_open_command_runs_it_and_others_go_to_the_browser() {
    let mut s = podcast(160, 40);
    key(&mut s, "L");
    key(&mut s, "G");
    let url = s.article.as_ref().unwrap().links[2].url.clone();
    let browser = key(&mut s, "Enter");
    assert_eq!(browser, vec![Command::OpenUrl(url.clone())]);
    s.external.open.insert(
        "audio/*".into(),
        vec!["mpv".into(), "--".into(), "{url}".into()],
    );
    key(&mut s, "L");
    key(&mut s, "G");
    assert_eq!(
        key(&mut s, "Enter"),
        vec![Command::OpenWith(vec!["mpv".into(), "--".into(), url])]
    );
    // A link of the body still goes to the browser.
    key(&mut s, "L");
    assert!(matches!(
        key(&mut s, "Enter").as_slice(),
        [Command::OpenUrl(_)]
    ));
}

#[test]
fn new_stories_notify_as_configured() {
    let mut s = loaded_state(100, 30, 3);
    let feeds = vec!["Alpha".to_string()];
    let msg = |count| Msg::NewStories {
        count,
        feeds: feeds.clone(),
    };
    assert!(update(&mut s, msg(2)).is_empty(), "nothing configured");
    s.external.notify.terminal = TerminalNotify::Osc777;
    s.external.notify.command = vec!["n".into(), "{count}".into()];
    assert_eq!(
        update(&mut s, msg(2)),
        vec![Command::Notify {
            argv: Some(vec!["n".into(), "2".into()]),
            osc: Some("\x1b]777;notify;tidings;2 new stories: Alpha\x07".into()),
        }]
    );
    assert!(update(&mut s, msg(0)).is_empty());
}

//! The reader and the rules' marks: `I` lists the hidden items of the current view and another
//! view leaves them out again; highlighted and hidden rows are drawn as such; `U` with no
//! mark-all-read to undo asks the cache to undo the last `tidings rules apply`.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;

use crate::app::msg::{Command, Msg};
use crate::app::state::State;
use crate::app::tests::{headline, loaded_state};
use crate::app::update::update;
use crate::config::keymap::Key;
use crate::config::theme::Theme;
use crate::model::{ItemQuery, View};

fn key(s: &mut State, name: &str) -> Vec<Command> {
    update(s, Msg::Key(Key::parse(name).expect("key name")))
}

#[test]
fn i_shows_hidden_items_in_this_view_and_another_view_leaves_them_out() {
    let mut s = loaded_state(160, 40, 100);
    let cmds = key(&mut s, "I");
    assert_eq!(
        cmds.first(),
        Some(&Command::SetShowHidden(true)),
        "{cmds:?}"
    );
    assert!(
        cmds.iter().any(|c| matches!(
            c,
            Command::LoadHeadlinesAt { .. } | Command::LoadHeadlines { .. }
        )),
        "the view is loaded again: {cmds:?}"
    );
    assert!(s.marks.show_hidden);
    assert!(
        s.notice
            .clone()
            .unwrap()
            .text
            .contains("Hidden items shown")
    );

    let cmds = crate::app::views::show_query(&mut s, ItemQuery::new(View::Starred));
    assert_eq!(
        cmds.first(),
        Some(&Command::SetShowHidden(false)),
        "{cmds:?}"
    );
    assert!(!s.marks.show_hidden);

    key(&mut s, "I");
    let cmds = key(&mut s, "I");
    assert_eq!(
        cmds.first(),
        Some(&Command::SetShowHidden(false)),
        "{cmds:?}"
    );
    assert!(s.notice.clone().unwrap().text.contains("left out"));
}

#[test]
fn u_without_a_mark_all_undoes_the_last_rules_apply() {
    let mut s = loaded_state(160, 40, 100);
    assert_eq!(key(&mut s, "U"), vec![Command::UndoRules]);
    let cmds = update(&mut s, Msg::RulesUndone(3));
    assert!(cmds.contains(&Command::LoadFeeds), "{cmds:?}");
    assert!(s.notice.clone().unwrap().text.contains("Put 3 items back"));
    assert!(update(&mut s, Msg::RulesUndone(0)).is_empty());
    assert_eq!(s.notice.clone().unwrap().text, "Nothing to undo");
}

fn row_of(term: &Terminal<TestBackend>, text: &str) -> (u16, u16) {
    let buf = term.backend().buffer();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        if let Some(at) = line.find(text) {
            let x = line[..at].chars().count() as u16;
            return (x, y);
        }
    }
    panic!("{text:?} not on screen");
}

#[test]
fn highlighted_rows_use_the_theme_and_hidden_rows_say_so_even_without_colour() {
    for theme in [Theme::default(), Theme::monochrome()] {
        let mut s = loaded_state(160, 40, 100);
        s.theme = theme.clone();
        // Rows 2 and 3 are unread and not selected.
        let (lit, gone) = (headline(2).id, headline(3).id);
        update(
            &mut s,
            Msg::RowMarks {
                hidden: vec![gone],
                highlighted: vec![lit],
            },
        );
        let mut term = Terminal::new(TestBackend::new(s.width, s.height)).unwrap();
        term.draw(|f| crate::ui::render(&s, f)).unwrap();
        let (x, y) = row_of(&term, "Headline number 2");
        let cell = &term.backend().buffer()[(x, y)];
        assert_eq!(
            cell.style().patch(theme.highlight),
            cell.style(),
            "{cell:?}"
        );
        assert!(
            cell.modifier.contains(Modifier::UNDERLINED),
            "monochrome-safe: {cell:?}"
        );
        let (_, y3) = row_of(&term, "(hidden) Headline number 3");
        let (x4, y4) = row_of(&term, "Headline number 4");
        assert_eq!(y3, y4 - 1);
        assert!(
            !term.backend().buffer()[(x4, y4)]
                .modifier
                .contains(Modifier::UNDERLINED),
            "an unmarked row is drawn as before"
        );
    }
}

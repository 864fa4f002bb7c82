//! Terminal input to reader messages: crossterm key and mouse events become [`Msg`]s.

use crossterm::event::{
    Event, KeyCode as CtKey, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use crate::app::msg::{MouseKind, Msg};
use crate::config::keymap::{Key, KeyCode};

/// The key-map key of a key press; `None` for releases and keys the map cannot name.
pub fn key_of(ev: &KeyEvent) -> Option<Key> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    let code = match ev.code {
        CtKey::Char(c) => KeyCode::Char(c),
        CtKey::Enter => KeyCode::Enter,
        CtKey::Esc => KeyCode::Esc,
        CtKey::Tab => KeyCode::Tab,
        CtKey::BackTab => KeyCode::BackTab,
        CtKey::Backspace => KeyCode::Backspace,
        CtKey::Delete => KeyCode::Delete,
        CtKey::Insert => KeyCode::Insert,
        CtKey::Up => KeyCode::Up,
        CtKey::Down => KeyCode::Down,
        CtKey::Left => KeyCode::Left,
        CtKey::Right => KeyCode::Right,
        CtKey::Home => KeyCode::Home,
        CtKey::End => KeyCode::End,
        CtKey::PageUp => KeyCode::PageUp,
        CtKey::PageDown => KeyCode::PageDown,
        CtKey::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    let code = match code {
        KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
        other => other,
    };
    Some(Key {
        code,
        ctrl,
        alt: ev.modifiers.contains(KeyModifiers::ALT),
    })
}

/// The message for a terminal event, if it means anything to the reader.
pub fn msg_of(ev: &Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => key_of(k).map(Msg::Key),
        Event::Resize(w, h) => Some(Msg::Resize(*w, *h)),
        Event::Mouse(m) => {
            let kind = match m.kind {
                MouseEventKind::Down(MouseButton::Left) => MouseKind::Click,
                MouseEventKind::ScrollUp => MouseKind::WheelUp,
                MouseEventKind::ScrollDown => MouseKind::WheelDown,
                _ => return None,
            };
            Some(Msg::Mouse {
                kind,
                column: m.column,
                row: m.row,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_letters_and_control_keys_map_like_the_key_map_names_them() {
        let ev = KeyEvent::new(CtKey::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(key_of(&ev), Key::parse("G"));
        let ev = KeyEvent::new(CtKey::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(key_of(&ev), Key::parse("ctrl-d"));
        let ev = KeyEvent::new(CtKey::PageDown, KeyModifiers::NONE);
        assert_eq!(key_of(&ev), Key::parse("PageDown"));
    }
}

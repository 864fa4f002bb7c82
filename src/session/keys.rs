//! Terminal input to reader messages: crossterm key and mouse events become [`Msg`]s; so do
//! the keys typed while the reader read the terminal's graphics answer itself ([`typed_msgs`]),
//! and a graphics answer that came too late is kept from acting as keys ([`LateAnswer`]).

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

/// The messages for bytes typed while the reader read the terminal itself (see
/// [`crate::session::probe`]): printable characters, Enter, Tab, Backspace, Esc, control and
/// Alt letters, arrows and the editing keys. Other sequences (mouse reports, function keys) are
/// dropped.
pub fn typed_msgs(bytes: &[u8]) -> Vec<Msg> {
    let text = String::from_utf8_lossy(bytes);
    let mut chars = text.chars().peekable();
    let mut out = Vec::new();
    let key = |code, mods| Event::Key(KeyEvent::new(code, mods));
    while let Some(c) = chars.next() {
        let ev = match c {
            '\r' | '\n' => key(CtKey::Enter, KeyModifiers::NONE),
            '\t' => key(CtKey::Tab, KeyModifiers::NONE),
            '\x7f' | '\x08' => key(CtKey::Backspace, KeyModifiers::NONE),
            '\x01'..='\x1a' => {
                let letter = char::from(b'a' + (c as u8) - 1);
                key(CtKey::Char(letter), KeyModifiers::CONTROL)
            }
            '\x1b' => match chars.next() {
                None => key(CtKey::Esc, KeyModifiers::NONE),
                Some('[' | 'O') => {
                    let mut seq = String::new();
                    while let Some(&n) = chars.peek() {
                        chars.next();
                        seq.push(n);
                        if ('@'..='~').contains(&n) {
                            break;
                        }
                    }
                    match csi_key(&seq) {
                        Some(code) => key(code, KeyModifiers::NONE),
                        None => continue,
                    }
                }
                Some(n) if !n.is_control() => key(CtKey::Char(n), KeyModifiers::ALT),
                Some(_) => continue,
            },
            c if c.is_control() => continue,
            c => key(CtKey::Char(c), KeyModifiers::NONE),
        };
        out.extend(msg_of(&ev));
    }
    out
}

/// The key of a `CSI` or `SS3` sequence's tail (after `ESC [` or `ESC O`).
fn csi_key(seq: &str) -> Option<CtKey> {
    Some(match seq {
        "A" => CtKey::Up,
        "B" => CtKey::Down,
        "C" => CtKey::Right,
        "D" => CtKey::Left,
        "H" | "1~" | "7~" => CtKey::Home,
        "F" | "4~" | "8~" => CtKey::End,
        "Z" => CtKey::BackTab,
        "2~" => CtKey::Insert,
        "3~" => CtKey::Delete,
        "5~" => CtKey::PageUp,
        "6~" => CtKey::PageDown,
        _ => return None,
    })
}

/// Keeps a kitty graphics answer that came after the reader stopped waiting for it from acting
/// as keys: crossterm reads `ESC _ G i=31;OK ESC \` as Alt+`_`, `G`, `i`, ... and Alt+`\`;
/// from an Alt+`_` to the next Alt+`\` (at most [`LateAnswer::MOST`] events) nothing passes.
/// Armed only when the terminal did not finish answering in time.
#[derive(Debug, Default)]
pub struct LateAnswer {
    armed: bool,
    inside: Option<usize>,
}

impl LateAnswer {
    /// The longest run of events dropped as one answer.
    pub const MOST: usize = 256;

    /// A filter that drops late answers when `armed`, else lets everything pass.
    pub fn new(armed: bool) -> LateAnswer {
        LateAnswer {
            armed,
            inside: None,
        }
    }

    /// Whether `ev` is a real event (not part of a late answer).
    pub fn pass(&mut self, ev: &Event) -> bool {
        if !self.armed {
            return true;
        }
        let alt = |c: char| {
            matches!(ev, Event::Key(k) if k.code == CtKey::Char(c)
                && k.modifiers.contains(KeyModifiers::ALT))
        };
        match self.inside {
            Some(n) => {
                self.inside = (!alt('\\') && n + 1 < Self::MOST).then_some(n + 1);
                false
            }
            None if alt('_') => {
                self.inside = Some(0);
                false
            }
            None => true,
        }
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

    fn keys(msgs: Vec<Msg>) -> Vec<Key> {
        msgs.into_iter()
            .map(|m| match m {
                Msg::Key(k) => k,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn bytes_typed_during_the_query_become_keys() {
        let got = keys(typed_msgs(b"jG\r\x04\x1b[B\x1b[6~\x1bx\x1b[<0;3;4M\x1b"));
        let want: Vec<Key> = [
            "j", "G", "Enter", "ctrl-d", "Down", "PageDown", "alt-x", "Esc",
        ]
        .iter()
        .map(|k| Key::parse(k).unwrap())
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_late_graphics_answer_is_dropped_and_keys_around_it_pass() {
        let ev = |c: char, m: KeyModifiers| Event::Key(KeyEvent::new(CtKey::Char(c), m));
        let none = KeyModifiers::NONE;
        let mut stream = vec![ev('j', none), ev('_', KeyModifiers::ALT)];
        stream.extend("Gi=31;OK".chars().map(|c| ev(c, none)));
        stream.push(ev('\\', KeyModifiers::ALT));
        stream.push(ev('k', none));
        let mut f = LateAnswer::new(true);
        let passed: Vec<_> = stream.iter().filter(|e| f.pass(e)).cloned().collect();
        assert_eq!(passed, vec![ev('j', none), ev('k', none)]);
        // Not armed: everything passes.
        let mut f = LateAnswer::new(false);
        assert!(stream.iter().all(|e| f.pass(e)));
    }
}

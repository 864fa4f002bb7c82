//! Which way the terminal can draw images: the kitty graphics protocol, sixel, the iTerm2
//! protocol, or half blocks (every terminal, tmux included). Told from the environment
//! ([`from_env`]) and, where that says nothing, from the terminal's answer to [`QUERY`]
//! ([`from_answer`]); pure functions, so that the choice is tested without a terminal.
//!
//! The session writes the query after the first frame, never before it, and reads the answer
//! itself ([`crate::session::probe`]) before the input thread first reads the terminal, so
//! that the answer never reaches the key map. [`Answer`] takes the bytes as they come (an
//! answer may be split across reads) and tells the answers from keys typed meanwhile.

pub use crate::app::protocol::Protocol;

/// What is written to ask the terminal: a kitty graphics query (a 1x1 image it must not keep or
/// show, answered `ESC _ G i=31;OK ESC \` by a terminal that speaks the protocol), the size of
/// a cell in pixels (`CSI 16 t`, answered `ESC [ 6 ; height ; width t`), then the primary device
/// attributes (`ESC [ c`), which every terminal answers, sixel ones with a 4 among the
/// parameters. The DA1 answer coming last tells that every answer is in.
pub const QUERY: &str = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[16t\x1b[c";

/// The protocol the environment names, if it names one: inside tmux or screen, half blocks
/// (graphics do not pass through a multiplexer reliably); kitty and Ghostty by `TERM` or
/// `KITTY_WINDOW_ID`; iTerm2 and WezTerm by `TERM_PROGRAM`; foot and mlterm (sixel) by `TERM`.
/// `None` when only asking the terminal can tell.
pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Option<Protocol> {
    let term = var("TERM").unwrap_or_default().to_ascii_lowercase();
    let program = var("TERM_PROGRAM").unwrap_or_default().to_ascii_lowercase();
    if var("TMUX").is_some_and(|v| !v.is_empty())
        || term.starts_with("screen")
        || term.starts_with("tmux")
    {
        return Some(Protocol::Halfblocks);
    }
    if term == "xterm-kitty"
        || term == "xterm-ghostty"
        || var("KITTY_WINDOW_ID").is_some_and(|v| !v.is_empty())
        || program == "ghostty"
    {
        return Some(Protocol::Kitty);
    }
    if program == "iterm.app" || program == "wezterm" {
        return Some(Protocol::Iterm2);
    }
    if term.starts_with("foot") || term.starts_with("mlterm") {
        return Some(Protocol::Sixel);
    }
    if term == "linux" || term == "dumb" || term.is_empty() {
        return Some(Protocol::Halfblocks);
    }
    None
}

/// The longest answer sequence kept; a longer one is cut off and dropped.
const MAX_SEQUENCE: usize = 4096;

/// What the terminal sent back after [`QUERY`], sorted as the bytes come: the answers to the
/// query, and anything else (keys typed in that instant), in order. A sequence split across
/// reads waits in `pending` for the rest.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The answer sequences (graphics reply, cell size, device attributes), one after another.
    pub answers: Vec<u8>,
    /// Every other byte: keys typed meanwhile.
    pub typed: Vec<u8>,
    /// The device attributes, which come last, are in: nothing more to wait for.
    pub done: bool,
    pending: Vec<u8>,
}

impl Answer {
    /// Takes the next bytes read from the terminal.
    pub fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.pending.push(b);
            self.sort();
        }
    }

    /// Whether a sequence has begun and not ended (more bytes are needed to tell what it is).
    pub fn midway(&self) -> bool {
        !self.pending.is_empty()
    }

    /// No more bytes will be read: a sequence left unfinished is a key (a lone `ESC` is the Esc
    /// key), unless it starts like an answer (`ESC _`, `ESC [ ?`), which is dropped.
    pub fn finish(&mut self) {
        let p = std::mem::take(&mut self.pending);
        if !(p.starts_with(b"\x1b_") || p.starts_with(b"\x1b[?") || p.starts_with(b"\x1b[6;")) {
            self.typed.extend_from_slice(&p);
        }
    }

    /// The size of a cell in pixels (width, height) from a `CSI 16 t` answer, if one came.
    pub fn cell_size(&self) -> Option<(u16, u16)> {
        let text = String::from_utf8_lossy(&self.answers);
        text.split("\x1b[6;").skip(1).find_map(|rest| {
            let (h, rest) = rest.split_once(';')?;
            let w = rest.split('t').next()?;
            let (h, w) = (h.parse::<u16>().ok()?, w.parse::<u16>().ok()?);
            (h > 0 && w > 0).then_some((w, h))
        })
    }

    /// Looks at `pending` after a byte was added: moves out a finished sequence or a key.
    fn sort(&mut self) {
        let p = &self.pending;
        let Some(&last) = p.last() else { return };
        let to_answers = match (p[0], p.get(1)) {
            (0x1b, None) => return,
            (0x1b, Some(b'_')) => {
                // APC, to `ESC \` (or BEL): only ever an answer (kitty's graphics reply).
                if p.len() > MAX_SEQUENCE {
                    self.pending.clear();
                    return;
                }
                if !(p.ends_with(b"\x1b\\") && p.len() > 3) && last != 0x07 {
                    return;
                }
                true
            }
            (0x1b, Some(b'[')) => {
                if p.len() == 2 || !(0x40..=0x7e).contains(&last) {
                    if p.len() > MAX_SEQUENCE {
                        self.pending.clear();
                    }
                    return;
                }
                // Device attributes `CSI ? ... c`, cell size `CSI 6 ; h ; w t`; anything else
                // (arrows, function keys) is a key.
                let da1 = p.get(2) == Some(&b'?') && last == b'c';
                if da1 {
                    self.done = true;
                }
                da1 || (p.starts_with(b"\x1b[6;") && last == b't')
            }
            // SS3 keys (`ESC O A`) wait for their third byte.
            (0x1b, Some(b'O')) if p.len() == 2 => return,
            _ => false,
        };
        let seq = std::mem::take(&mut self.pending);
        if to_answers {
            self.answers.extend_from_slice(&seq);
        } else {
            self.typed.extend_from_slice(&seq);
        }
    }
}

/// The protocol the terminal's answer to [`QUERY`] shows: kitty when it answered the graphics
/// query with `OK`, else sixel when its device attributes list 4, else half blocks.
pub fn from_answer(answer: &[u8]) -> Protocol {
    let text = String::from_utf8_lossy(answer);
    if let Some(start) = text.find("\x1b_G") {
        let reply = &text[start + 3..];
        let reply = reply.split("\x1b\\").next().unwrap_or("");
        if reply
            .split_once(';')
            .is_some_and(|(keys, msg)| keys.split(',').any(|k| k == "i=31") && msg == "OK")
        {
            return Protocol::Kitty;
        }
    }
    // ESC [ ? Pp ; Ps ... c
    if let Some(start) = text.find("\x1b[?") {
        let rest = &text[start + 3..];
        if let Some(end) = rest.find('c') {
            let params = &rest[..end];
            if params.split(';').skip(1).any(|p| p == "4") {
                return Protocol::Sixel;
            }
        }
    }
    Protocol::Halfblocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn the_environment_names_the_protocol_and_tmux_gets_half_blocks() {
        assert_eq!(
            from_env(env(&[("TERM", "xterm-kitty")])),
            Some(Protocol::Kitty)
        );
        assert_eq!(
            from_env(env(&[("TERM", "xterm-256color"), ("KITTY_WINDOW_ID", "3")])),
            Some(Protocol::Kitty)
        );
        assert_eq!(
            from_env(env(&[
                ("TERM", "xterm-256color"),
                ("TERM_PROGRAM", "iTerm.app")
            ])),
            Some(Protocol::Iterm2)
        );
        assert_eq!(
            from_env(env(&[
                ("TERM", "xterm-256color"),
                ("TERM_PROGRAM", "WezTerm")
            ])),
            Some(Protocol::Iterm2)
        );
        assert_eq!(from_env(env(&[("TERM", "foot")])), Some(Protocol::Sixel));
        // tmux wins over the terminal it runs in.
        assert_eq!(
            from_env(env(&[("TERM", "tmux-256color"), ("KITTY_WINDOW_ID", "3")])),
            Some(Protocol::Halfblocks)
        );
        assert_eq!(
            from_env(env(&[
                ("TERM", "xterm-kitty"),
                ("TMUX", "/tmp/tmux-0/default,1,0")
            ])),
            Some(Protocol::Halfblocks)
        );
        assert_eq!(from_env(env(&[("TERM", "xterm-256color")])), None);
    }

    #[test]
    fn the_terminals_answer_chooses_the_protocol() {
        // kitty: the graphics query answered OK, then its device attributes.
        assert_eq!(
            from_answer(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;c"),
            Protocol::Kitty
        );
        // An error answer to the graphics query is no kitty support.
        assert_eq!(
            from_answer(b"\x1b_Gi=31;ENOTSUPPORTED:no\x1b\\\x1b[?62;22c"),
            Protocol::Halfblocks
        );
        // xterm -ti vt340 and foot: 4 among the attributes.
        assert_eq!(from_answer(b"\x1b[?63;1;2;4;6;9;15;22c"), Protocol::Sixel);
        assert_eq!(from_answer(b"\x1b[?62;4;22c"), Protocol::Sixel);
        // A plain xterm: no 4 (the 64 of a VT420 class is not a 4).
        assert_eq!(
            from_answer(b"\x1b[?64;1;2;6;9;15;22c"),
            Protocol::Halfblocks
        );
        // No answer at all.
        assert_eq!(from_answer(b""), Protocol::Halfblocks);
    }

    #[test]
    fn answers_are_told_from_keys_across_split_reads() {
        let whole: &[u8] = b"j\x1b_Gi=31;OK\x1b\\k\x1b[6;16;8t\x1b[A\x1b[?62;4;22c";
        // Any split gives the same sorting.
        for cut in 0..whole.len() {
            let mut a = Answer::default();
            a.feed(&whole[..cut]);
            assert!(!a.done || cut == whole.len());
            a.feed(&whole[cut..]);
            assert!(a.done);
            assert_eq!(a.typed, b"jk\x1b[A", "cut at {cut}");
            assert_eq!(
                a.answers, b"\x1b_Gi=31;OK\x1b\\\x1b[6;16;8t\x1b[?62;4;22c",
                "cut at {cut}"
            );
            assert_eq!(from_answer(&a.answers), Protocol::Kitty);
            assert_eq!(a.cell_size(), Some((8, 16)));
        }
        // An answer still coming when the time is up is not done; a lone ESC is the Esc key.
        let mut a = Answer::default();
        a.feed(b"q\x1b");
        assert!(!a.done && a.midway());
        a.finish();
        assert_eq!(a.typed, b"q\x1b");
        assert_eq!(a.cell_size(), None);
        // Half an answer when the time is up is dropped, never taken as keys.
        let mut a = Answer::default();
        a.feed(b"\x1b_Gi=31;O");
        a.finish();
        assert!(a.typed.is_empty() && !a.done);
        // Sixel from the device attributes alone.
        let mut a = Answer::default();
        a.feed(b"\x1b[?63;1;2;4c");
        assert!(a.done);
        assert_eq!(from_answer(&a.answers), Protocol::Sixel);
    }
}

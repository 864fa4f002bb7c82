//! Which way the terminal can draw images: the kitty graphics protocol, sixel, the iTerm2
//! protocol, or half blocks (every terminal, tmux included). Told from the environment
//! ([`from_env`]) and, where that says nothing, from the terminal's answer to [`QUERY`]
//! ([`from_answer`]); pure functions, so that the choice is tested without a terminal.
//!
//! The query is meant to be written after the first frame, never before it, and its answer read
//! where the input thread reads keys. The reader does not send it yet: until protocol images are
//! drawn, every mode draws half blocks (see [`choose`]).

use crate::config::ImageMode;

/// A way of drawing images in a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// The kitty graphics protocol (kitty, Ghostty, WezTerm in part).
    Kitty,
    /// Sixel graphics (foot, mlterm, xterm with `-ti vt340`, ...).
    Sixel,
    /// The iTerm2 inline images protocol (iTerm2, WezTerm).
    Iterm2,
    /// Upper half blocks with two colours: every colour terminal.
    Halfblocks,
}

/// What is written to ask the terminal: a kitty graphics query (a 1x1 image it must not keep or
/// show, answered `ESC _ G i=31;OK ESC \` by a terminal that speaks the protocol), then the
/// primary device attributes (`ESC [ c`), which every terminal answers, sixel ones with a 4
/// among the parameters. The DA1 answer coming last tells that every answer is in.
pub const QUERY: &str = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[c";

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

/// The protocol to draw with for a `[reader] images` mode, the environment's word and the
/// terminal's answer (`None` when it was not asked or did not answer): `halfblocks` always
/// draws half blocks; `auto` takes the environment's word, else the answer's.
pub fn choose(mode: ImageMode, env: Option<Protocol>, answer: Option<&[u8]>) -> Protocol {
    match mode {
        ImageMode::Halfblocks | ImageMode::Off => Protocol::Halfblocks,
        ImageMode::Auto => env
            .or_else(|| answer.map(from_answer))
            .unwrap_or(Protocol::Halfblocks),
    }
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
    fn the_mode_decides_first_then_the_environment_then_the_answer() {
        let sixel: &[u8] = b"\x1b[?62;4c";
        assert_eq!(
            choose(ImageMode::Halfblocks, Some(Protocol::Kitty), Some(sixel)),
            Protocol::Halfblocks
        );
        assert_eq!(
            choose(ImageMode::Auto, Some(Protocol::Kitty), Some(sixel)),
            Protocol::Kitty
        );
        assert_eq!(choose(ImageMode::Auto, None, Some(sixel)), Protocol::Sixel);
        assert_eq!(choose(ImageMode::Auto, None, None), Protocol::Halfblocks);
    }
}

//! The ways a terminal draws images, one of which the session finds out and the reader keeps
//! in its state (see [`crate::app::image_spots`] for where they go).

/// A way of drawing images in a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    /// The kitty graphics protocol (kitty, Ghostty, WezTerm in part).
    Kitty,
    /// Sixel graphics (foot, mlterm, xterm with `-ti vt340`, ...).
    Sixel,
    /// The iTerm2 inline images protocol (iTerm2, WezTerm).
    Iterm2,
    /// Upper half blocks with two colours: every colour terminal.
    #[default]
    Halfblocks,
}

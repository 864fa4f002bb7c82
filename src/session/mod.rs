//! The reader's session: the event loop that takes the terminal over, turns terminal events and
//! worker results into [`crate::app::Msg`]s, runs the pure [`crate::app::update()`], carries out
//! the commands it returns (against the cache, the browser, the clipboard) and draws with
//! [`crate::ui::render`]. It sits above both [`crate::app`] and [`crate::ui`], so that neither of
//! them knows the loop.
//!
//! - [`runtime`]: the loop itself, the terminal's setup and restoration, and the input thread.
//! - [`keys`]: terminal events to the reader's messages.
//! - [`aside`]: giving the terminal to a program for a while (a terminal browser, a pipe).
//! - [`browser`]: starting the browser for a link.
//! - [`external`]: the programs the user configured for an article (pipe, open), and saving it.
//! - [`worker`]: the thread that owns the cache connection and runs the store commands.
//! - [`renderer`]: the threads that parse and fold article bodies for the worker.
//! - [`graphics`]: which image protocol the terminal speaks, from its environment or answer.
//! - [`encode`]: a decoded picture to kitty, sixel or iTerm2 escape sequences.
//! - [`probe`]: asking the terminal which graphics it speaks, after the first frame.
//! - [`images`]: the thread that fetches and decodes the open article's images.
//! - [`placements`]: keeping the terminal's protocol images in step with the frame.
//! - [`downloads`]: the thread that runs the podcast download queue in the background.
//! - [`priority`]: background work (a refresh) runs at a lower scheduling priority.
//! - [`writes`]: the reader's writes, which wait for the write lock on a thread of their own
//!   when another connection holds it, so that they never hold up the reads.

pub mod aside;
pub mod browser;
pub mod downloads;
pub mod encode;
pub mod external;
pub mod graphics;
pub mod images;
pub mod keys;
pub mod placements;
pub mod priority;
pub mod probe;
pub mod renderer;
pub mod runtime;
pub mod worker;
pub mod writes;

pub use runtime::{Refresher, RunOptions, run};

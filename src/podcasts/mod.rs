//! Podcasts: the enclosures queued in the cache (the reader's download action, feeds set to
//! `auto_download`) downloaded into the podcasts folder, two at a time.
//!
//! Each file is written to a `.part` file (opened without following a symbolic link) and then
//! given its final name, made from the sanitised feed and item titles; an existing file is never
//! overwritten. An interrupted download resumes: the next run asks for the rest with `Range` and
//! `If-Range`, and starts over when the server sends the whole file. Enclosure addresses come
//! from feeds, so they are fetched under a [`crate::fetch::LinkPolicy`] trusting only the feed's
//! own host. Knows nothing of the terminal: progress goes to the caller as [`Event`]s.

mod files;
mod names;
mod run;

pub use files::{FileError, part_of};
pub use names::{MAX_NAME_BYTES, extension, file_name, stem};
pub use run::{AT_ONCE, Event, Folder, Summary, Take, label, run};

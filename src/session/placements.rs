//! Keeping the terminal's protocol images in step with the frame: after each frame, [`Placer`]
//! compares where the open article's images are now ([`crate::app::image_spots::spots`]) with
//! where it last put them, and writes only the difference. Nothing is written on a frame where
//! no image moved.
//!
//! Kitty: each picture is transmitted once (an image id), then only placed, moved (placing
//! again replaces a placement, numbered by the image's place in the article) and taken off
//! (`a=d`); a picture partly scrolled out shows a
//! cropped part. Its data is freed when another article's images come, on a resize and on
//! quitting. Sixel and iTerm2 have no placements: an image is written again where it moved to
//! (encoded once and kept), after its cells are blanked; the article pane marks its cells as
//! skipped, so that ratatui neither writes over it nor forgets to write the cells it left.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::app::image_spots::Spot;
use crate::app::protocol::Protocol;
use crate::model::ItemId;
use crate::session::encode::{self, Canvas};

/// A picture as encoded: its address and its size in cells.
type Key = (String, u16, u16);

/// What the terminal shows of the protocol images, and what it holds of them.
pub struct Placer {
    protocol: Protocol,
    cell: (u16, u16),
    /// The spots as last written.
    shown: Vec<Spot>,
    /// The article whose pictures the terminal (or `encoded`) holds.
    item: Option<ItemId>,
    /// Kitty: the pictures transmitted, their image ids and canvas cell sizes.
    kitty: HashMap<Key, (u32, (u32, u32))>,
    next_id: u32,
    /// Sixel and iTerm2: the sequences made so far.
    encoded: HashMap<Key, String>,
    /// The screen size the spots were written for.
    size: (u16, u16),
}

impl Placer {
    /// A placer for `protocol`, with cells of `cell` pixels (width, height).
    pub fn new(protocol: Protocol, cell: (u16, u16)) -> Placer {
        Placer {
            protocol,
            cell,
            shown: Vec::new(),
            item: None,
            kitty: HashMap::new(),
            next_id: 1,
            encoded: HashMap::new(),
            size: (0, 0),
        }
    }

    /// The screen was cleared behind the placer's back (a program had the terminal): every
    /// image is placed again on the next [`Placer::sync`].
    pub fn forget(&mut self) {
        self.shown.clear();
    }

    /// Writes what changed since the last call for the images at `spots` on a screen of `size`
    /// (columns, rows); writes nothing when nothing moved.
    pub fn sync(
        &mut self,
        spots: &[Spot],
        size: (u16, u16),
        out: &mut impl Write,
    ) -> io::Result<()> {
        if self.protocol == Protocol::Halfblocks {
            return Ok(());
        }
        let mut seq = String::new();
        let item = spots.first().map(|s| s.item);
        // A resize clears the screen and changes the images' cells; another article's
        // images replace this one's: free what the terminal holds.
        if size != self.size || (item.is_some() && item != self.item) {
            self.free_all(&mut seq);
            self.size = size;
            if item.is_some() {
                self.item = item;
            }
        }
        if !same_places(spots, &self.shown) {
            if self.protocol == Protocol::Kitty {
                self.kitty_sync(spots, &mut seq);
            } else {
                self.cells_sync(spots, &mut seq);
            }
            self.shown = spots.to_vec();
        }
        if !seq.is_empty() {
            out.write_all(seq.as_bytes())?;
            out.flush()?;
        }
        Ok(())
    }

    /// Takes every image off the screen and frees them (the reader is leaving).
    pub fn clear(&mut self, out: &mut impl Write) -> io::Result<()> {
        let mut seq = String::new();
        self.free_all(&mut seq);
        out.write_all(seq.as_bytes())?;
        out.flush()
    }

    fn free_all(&mut self, seq: &mut String) {
        for (id, _) in self.kitty.values() {
            seq.push_str(&encode::kitty_free(*id));
        }
        self.kitty.clear();
        self.encoded.clear();
        self.shown.clear();
    }

    fn kitty_sync(&mut self, spots: &[Spot], seq: &mut String) {
        for old in &self.shown {
            let gone = !spots
                .iter()
                .any(|s| key(s) == key(old) && s.placed == old.placed);
            if gone && let Some((id, _)) = self.kitty.get(&key(old)) {
                seq.push_str(&encode::kitty_unplace(*id, old.placed + 1));
            }
        }
        for s in spots {
            if self.shown.iter().any(|o| o.place() == s.place()) {
                continue;
            }
            let (id, cell) = match self.kitty.get(&key(s)) {
                Some(known) => *known,
                None => {
                    let canvas = encode::fit(&s.picture, s.cols, s.rows, self.cell);
                    let id = self.next_id;
                    self.next_id = self.next_id.wrapping_add(1).max(1);
                    seq.push_str(&encode::kitty_transmit(id, &canvas));
                    self.kitty.insert(key(s), (id, canvas.cell));
                    (id, canvas.cell)
                }
            };
            move_to(seq, s.x, s.y);
            seq.push_str(&encode::kitty_place(
                (id, s.placed + 1),
                cell,
                s.cols,
                s.top,
                s.shown,
            ));
        }
    }

    fn cells_sync(&mut self, spots: &[Spot], seq: &mut String) {
        for s in spots {
            if self.shown.iter().any(|o| o.place() == s.place()) {
                continue;
            }
            let made = self.encoded.entry(key(s)).or_insert_with(|| {
                let canvas: Canvas = encode::fit(&s.picture, s.cols, s.rows, self.cell);
                match self.protocol {
                    Protocol::Iterm2 => encode::iterm2(&canvas, s.cols, s.rows).unwrap_or_default(),
                    _ => encode::sixel(&canvas),
                }
            });
            // Blank its cells first: what was there (text ratatui did not write again) must
            // not show through the image's transparent parts.
            for row in 0..s.rows {
                move_to(seq, s.x, s.y + row);
                seq.push_str(&format!("\x1b[{}X", s.cols));
            }
            move_to(seq, s.x, s.y);
            seq.push_str(made);
        }
    }
}

/// What identifies a picture as encoded.
fn key(s: &Spot) -> Key {
    (s.url.clone(), s.cols, s.rows)
}

/// Whether two lists of spots put the same images in the same places.
fn same_places(a: &[Spot], b: &[Spot]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.place() == y.place())
}

/// The cursor to a cell (0-based column and row).
fn move_to(seq: &mut String, x: u16, y: u16) {
    seq.push_str(&format!("\x1b[{};{}H", y + 1, x + 1));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::picture::Picture;
    use std::sync::Arc;

    fn spot(item: ItemId, y: u16, top: u16, shown: u16) -> Spot {
        Spot {
            item,
            url: "https://img.test/a.png".into(),
            placed: 0,
            picture: Arc::new(Picture {
                width: 4,
                height: 4,
                rgba: [9, 9, 9, 255].repeat(16),
            }),
            x: 2,
            y,
            cols: 4,
            rows: 2,
            top,
            shown,
        }
    }

    fn sync(p: &mut Placer, spots: &[Spot]) -> String {
        let mut out = Vec::new();
        p.sync(spots, (80, 24), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn kitty_transmits_once_and_then_only_moves_and_deletes_placements() {
        let mut p = Placer::new(Protocol::Kitty, (8, 16));
        let first = sync(&mut p, &[spot(1, 5, 0, 2)]);
        assert_eq!(first.matches("a=t,").count(), 1);
        assert!(first.contains("\x1b[6;3H\x1b_Ga=p,i=1,p=1,x=0,y=0,w=32,h=32,c=4,r=2,C=1"));
        // Nothing moved: nothing written.
        assert_eq!(sync(&mut p, &[spot(1, 5, 0, 2)]), "");
        // Scrolled: partly out at the top, placed again cropped, not transmitted again.
        let moved = sync(&mut p, &[spot(1, 1, 1, 1)]);
        assert_eq!(moved.matches("a=t,").count(), 0);
        assert!(
            moved.contains("a=p,i=1,p=1,x=0,y=16,w=32,h=16,c=4,r=1"),
            "{moved:?}"
        );
        // Scrolled out: its placement deleted, its data kept.
        assert_eq!(sync(&mut p, &[]), "\x1b_Ga=d,d=i,i=1,p=1,q=2\x1b\\");
        assert_eq!(sync(&mut p, &[spot(1, 5, 0, 2)]).matches("a=t,").count(), 0);
        // Another article: the first's data freed.
        let other = sync(&mut p, &[spot(2, 5, 0, 2)]);
        assert!(
            other.starts_with("\x1b_Ga=d,d=I,i=1,q=2\x1b\\"),
            "{other:?}"
        );
        assert_eq!(other.matches("a=t,").count(), 1);
        let mut out = Vec::new();
        p.clear(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b_Ga=d,d=I,i=2,q=2\x1b\\"
        );
    }

    #[test]
    fn sixel_is_written_where_the_image_moves_and_never_when_it_stays() {
        let mut p = Placer::new(Protocol::Sixel, (8, 16));
        let first = sync(&mut p, &[spot(1, 5, 0, 2)]);
        assert_eq!(first.matches("\x1bP0;1;0q").count(), 1);
        assert!(first.starts_with("\x1b[6;3H\x1b[4X\x1b[7;3H\x1b[4X\x1b[6;3H\x1bP"));
        assert_eq!(sync(&mut p, &[spot(1, 5, 0, 2)]), "");
        let moved = sync(&mut p, &[spot(1, 4, 0, 2)]);
        assert_eq!(moved.matches("\x1bP0;1;0q").count(), 1);
        // A screen cleared by someone else: written again.
        p.forget();
        assert_eq!(
            sync(&mut p, &[spot(1, 4, 0, 2)]).matches("\x1bP").count(),
            1
        );
    }
}

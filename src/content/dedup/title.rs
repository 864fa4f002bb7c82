//! The item's title repeated at the top of its body: many feeds start the body with the title, as
//! a paragraph or as a heading, right under the title the reader already shows.

use super::shingle::Prepared;
use super::{Piece, PieceKind};

/// Which pieces repeat `title` at the top of the body: the first piece with words when it equals
/// the title after normalisation, and a heading equal to the title that only other headings,
/// pieces without words or pieces already folded (`folded`) come before. The scan stops at the
/// first other piece, so the title quoted further down stays.
pub(crate) fn title_repeats(title: &str, pieces: &[Piece], folded: &[bool]) -> Vec<bool> {
    let mut out = vec![false; pieces.len()];
    let mut buf = String::new();
    let title = Prepared::new(title, false, &mut buf);
    if title.len() == 0 {
        return out;
    }
    for (i, piece) in pieces.iter().enumerate() {
        if folded[i] || piece.kind == PieceKind::Code {
            continue;
        }
        let p = Prepared::new(piece.text, false, &mut buf);
        if p.len() == 0 {
            continue;
        }
        if p.hash == title.hash && p.words == title.words {
            out[i] = true;
        } else if piece.kind != PieceKind::Heading {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLE: &str = "City council approves a night bus network";

    fn run(texts: &[(&str, PieceKind)], folded: &[bool]) -> Vec<bool> {
        let pieces: Vec<Piece> = texts.iter().map(|(t, k)| Piece::new(t, *k)).collect();
        title_repeats(TITLE, &pieces, folded)
    }

    const P: PieceKind = PieceKind::Paragraph;
    const H: PieceKind = PieceKind::Heading;

    #[test]
    fn the_title_as_first_block_folds_after_normalisation() {
        let body = [
            ("City Council approves a night-bus network.", P),
            ("The council voted on Monday.", P),
        ];
        assert_eq!(run(&body, &[false; 2]), vec![true, false]);
    }

    #[test]
    fn the_title_as_a_heading_under_other_headings_folds() {
        let body = [
            ("", PieceKind::Other),
            ("Transport", H),
            (TITLE, H),
            ("The council voted on Monday.", P),
            (TITLE, P),
        ];
        assert_eq!(
            run(&body, &[false; 5]),
            vec![false, false, true, false, false]
        );
    }

    #[test]
    fn the_title_below_running_text_or_changed_stays() {
        let below = [("The council voted on Monday.", P), (TITLE, H)];
        assert_eq!(run(&below, &[false; 2]), vec![false, false]);
        let longer = [("City council approves a night bus network at last", P)];
        assert_eq!(run(&longer, &[false]), vec![false]);
        let shorter = [("City council approves a night bus", P)];
        assert_eq!(run(&shorter, &[false]), vec![false]);
    }

    #[test]
    fn folded_blocks_above_are_passed_over() {
        let body = [("Share this story", P), (TITLE, P)];
        assert_eq!(run(&body, &[true, false]), vec![false, true]);
        assert_eq!(run(&body, &[false, false]), vec![false, false]);
    }
}

//! Truncated copies: a block that repeats the start of a block shown above it and stops in the
//! middle of one of its sentences, as aggregators print a "Meta Description:" cut from the lead
//! ("... four night bus routes permanent. The.").
//!
//! Such a block adds nothing but, at most, a short label in front ("Meta Description:"): every
//! other word is the shown block's own, in the same order. A block that adds a word anywhere else,
//! or that stops where a sentence of the shown block ends, stays.

use super::hash::HashMapU64;
use super::normalize::normalize_into;
use super::shingle::Prepared;

/// A truncated copy folds when it repeats at least this many words of the shown block.
pub(crate) const MIN_WORDS: usize = 10;
/// A label in front ("Meta Description:", "Summary:") holds at most this many words.
const LABEL_MAX_WORDS: usize = 3;
/// Where in a block's text the label's colon may stand, at most (in bytes).
const LABEL_MAX_BYTES: usize = 40;

/// How many words a label in front of `text` holds: the words before a colon near the start,
/// followed by a space; 0 without one.
fn label_words(text: &str, buf: &mut String) -> usize {
    let text = text.trim_start();
    let head = match text.char_indices().nth(LABEL_MAX_BYTES) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    let Some(colon) = head.find(':') else {
        return 0;
    };
    let after = &text[colon + 1..];
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        return 0;
    }
    normalize_into(&text[..colon], buf);
    let n = if buf.is_empty() {
        0
    } else {
        buf.split(' ').count()
    };
    if n <= LABEL_MAX_WORDS { n } else { 0 }
}

/// Whether `part` is the start of `shown`, stopping inside one of `shown`'s sentences.
fn cut_prefix_of(part: &[u64], shown: &Prepared) -> bool {
    let m = part.len();
    m >= MIN_WORDS
        && shown.len() > m
        && shown.words[..m] == *part
        && shown.sentences.iter().any(|&(s, e)| s < m && m < e)
}

/// Which blocks are truncated copies of a block shown above them. `texts` are the blocks' texts
/// (for the label), `blocks` their prepared forms; `folded` says which blocks already fold (they
/// neither fold again nor count as shown). Code blocks must come in as folded or empty.
pub(crate) fn truncated_copies(texts: &[&str], blocks: &[Prepared], folded: &[bool]) -> Vec<bool> {
    let mut out = vec![false; blocks.len()];
    // Shown blocks long enough to be cut, by their first word.
    let mut shown: HashMapU64<Vec<usize>> = HashMapU64::default();
    let mut buf = String::new();
    for (i, p) in blocks.iter().enumerate() {
        if folded[i] || p.len() < MIN_WORDS {
            continue;
        }
        let label = label_words(texts[i], &mut buf);
        let is_copy = [0, label].iter().any(|&k| {
            let part = &p.words[k.min(p.len())..];
            part.first()
                .and_then(|w| shown.get(w))
                .is_some_and(|cands| cands.iter().any(|&a| cut_prefix_of(part, &blocks[a])))
        });
        if is_copy {
            out[i] = true;
        } else {
            shown.entry(p.words[0]).or_default().push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAD: &str = "After two years of pilot runs and a long public consultation, the city \
                        council voted on Monday evening to make four night bus routes permanent. \
                        The routes will run every thirty minutes between midnight and five.";

    fn run(texts: &[&str]) -> Vec<bool> {
        let mut buf = String::new();
        let blocks: Vec<Prepared> = texts
            .iter()
            .map(|t| Prepared::new(t, false, &mut buf))
            .collect();
        truncated_copies(texts, &blocks, &vec![false; texts.len()])
    }

    #[test]
    fn labels_are_a_few_words_before_a_colon() {
        let mut buf = String::new();
        assert_eq!(label_words("Meta Description: After two", &mut buf), 2);
        assert_eq!(label_words("  Summary:\tAfter", &mut buf), 1);
        assert_eq!(label_words("Summary:", &mut buf), 1);
        assert_eq!(label_words("No label here at all", &mut buf), 0);
        assert_eq!(label_words("Time 10:30 is not a label", &mut buf), 0);
        assert_eq!(
            label_words("Far too many words for a label: x", &mut buf),
            0
        );
    }

    #[test]
    fn a_lead_cut_mid_sentence_folds_with_its_label() {
        let cut = "Meta Description: After two years of pilot runs and a long public \
                   consultation, the city council voted on Monday evening to make four night \
                   bus routes permanent. The.";
        assert_eq!(run(&[LEAD, cut]), vec![false, true]);
        let plain = "After two years of pilot runs and a long public consultation, the city…";
        assert_eq!(run(&[LEAD, plain]), vec![false, true]);
    }

    #[test]
    fn a_block_that_adds_a_word_or_ends_a_sentence_stays() {
        // One word more than the lead holds at that place.
        let added = "After two years of pilot runs and a long public consultation, the new \
                     city council voted";
        // The lead's first sentence, whole: a summary, not a cut.
        let sentence = "After two years of pilot runs and a long public consultation, the city \
                        council voted on Monday evening to make four night bus routes permanent.";
        // A label that is not in front.
        let inside = "After two years of pilot runs and a long public consultation, the city \
                      council Note: voted";
        // Too short to tell.
        let short = "After two years of pilot runs and a long";
        for text in [added, sentence, inside, short] {
            assert_eq!(run(&[LEAD, text]), vec![false, false], "{text}");
        }
        // The cut copy above its source: nothing shown above covers it.
        let cut = "After two years of pilot runs and a long public consultation, the city…";
        assert_eq!(run(&[cut, LEAD]), vec![false, false]);
    }

    #[test]
    fn folded_blocks_are_no_source() {
        let cut = "After two years of pilot runs and a long public consultation, the city…";
        let mut buf = String::new();
        let texts = [LEAD, cut];
        let blocks: Vec<Prepared> = texts
            .iter()
            .map(|t| Prepared::new(t, false, &mut buf))
            .collect();
        assert_eq!(
            truncated_copies(&texts, &blocks, &[true, false]),
            vec![false, false]
        );
    }
}

//! Repeats within one article: a block folds when what is already shown covers its text, word
//! 3-shingle by word 3-shingle, allowing one short inserted sentence that is promotional or feed
//! boilerplate. Long blocks fold on their own; short ones only with a run of repeated blocks
//! around them that copies earlier text in order, so that repeated labels and table headers stay.

use super::hash::{HashMapU64, SEQ_SEED, SeqHasher};
use super::promo::is_promo;
use super::shingle::Prepared;
use super::stats::FeedStats;

/// A run of covered short blocks this long (in words) folds even without a long block: a repeated
/// copy of a table or of an article made of short lines.
pub(crate) const RUN_WORDS: usize = 60;
/// A block this long (in words) folds on its own when covered; shorter covered blocks fold only as
/// part of a run of repeated blocks that holds a long one (or fragments of long ones this long).
pub(crate) const LONG_WORDS: usize = 25;
/// Uncovered stretches up to this long (in words) may be shown blocks glued together.
const MAX_GLUED: usize = 60;
/// The one inserted sentence a near repeat may add is at most this long (in words)...
const INSERT_MAX_WORDS: usize = 30;
/// ...and the rest of the block must be at least this long.
const INSERT_MIN_REST: usize = 8;

/// What pass 1 found out about a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Never folds and does not break a run: no words.
    Empty,
    /// Never folds and breaks runs: code.
    Code,
    /// Folds as boilerplate; runs pass over it.
    Boilerplate,
    /// New text: shown.
    New,
    /// Covered by shown text. `long`: the block itself is long; `source_long`: most of its text
    /// comes from a long shown block; `linked`: it continues the run of the previous covered
    /// block (its text does not come from before the run's earliest source).
    Covered {
        long: bool,
        source_long: bool,
        linked: bool,
    },
}

/// How shown text covers a block.
struct Cover {
    /// Most of the text comes from a long shown block.
    source_long: bool,
    /// The shown blocks the start and the end of the text come from, when shingles tell.
    src: Option<(u32, u32)>,
}

/// The text shown so far, indexed by shingle and by block and sentence hash.
struct Shown<'a> {
    shingles: HashMapU64<u32>,
    seqs: HashMapU64<u32>,
    blocks: &'a [Prepared],
}

impl<'a> Shown<'a> {
    fn add(&mut self, i: usize) {
        let p = &self.blocks[i];
        let i = i as u32;
        self.seqs.entry(p.hash).or_insert(i);
        for k in 0..p.sentences.len() {
            self.seqs.entry(p.sentence_hash(k)).or_insert(i);
        }
        for s in 0..p.len().saturating_sub(2) {
            self.shingles.entry(p.shingle(s)).or_insert(i);
        }
    }

    /// Whether the words are a concatenation of shown blocks or sentences.
    fn is_concatenation(&self, words: &[u64]) -> bool {
        let n = words.len();
        let mut reach = vec![false; n + 1];
        reach[0] = true;
        for i in 0..n {
            if !reach[i] {
                continue;
            }
            let mut h = SeqHasher::new(SEQ_SEED);
            for j in i + 1..=n.min(i + MAX_GLUED) {
                h.push(words[j - 1]);
                if !reach[j] && self.seqs.contains_key(&h.finish()) {
                    reach[j] = true;
                }
            }
        }
        reach[n]
    }

    fn is_long(&self, src: u32) -> bool {
        self.blocks[src as usize].len() >= LONG_WORDS
    }

    /// Whether shown text covers block `p`; if so, whether its text comes mostly from a long block.
    fn cover(&self, p: &Prepared, stats: Option<&FeedStats>) -> Option<Cover> {
        let n = p.len();
        if let Some(&src) = self.seqs.get(&p.hash) {
            return Some(Cover {
                source_long: self.is_long(src),
                src: Some((src, src)),
            });
        }
        let glued = Cover {
            source_long: false,
            src: None,
        };
        if n < 3 || n <= MAX_GLUED && !p.sentences.iter().any(|&(s, e)| e - s >= 3) {
            return self.is_concatenation(&p.words).then_some(glued);
        }
        let mut covered = vec![false; n];
        let (mut votes, mut long_votes) = (0usize, 0usize);
        let mut src: Option<(u32, u32)> = None;
        for s in 0..n - 2 {
            if let Some(&from) = self.shingles.get(&p.shingle(s)) {
                covered[s..s + 3].fill(true);
                votes += 1;
                long_votes += usize::from(self.is_long(from));
                src = Some((src.map_or(from, |x| x.0), from));
            }
        }
        if votes == 0 {
            return (n <= MAX_GLUED && self.is_concatenation(&p.words)).then_some(glued);
        }
        // A number counts as shown only when the shingles around it within its sentence that are
        // not shown are consecutive (those of a join between two shown blocks): a copy that
        // differs only in a number must never fold.
        let shown = |t: usize| t + 3 <= n && self.shingles.contains_key(&p.shingle(t));
        for &(s, e) in &p.sentences {
            if e - s < 3 {
                continue;
            }
            for (i, alpha) in p.alpha.iter().enumerate().take(e).skip(s) {
                if !covered[i] || *alpha {
                    continue;
                }
                // The shingles of a join are consecutive; a number shown elsewhere in another
                // context leaves a gap on both sides of it.
                let first = i.saturating_sub(2).max(s);
                let last = i.min(e - 3);
                let missing: Vec<usize> = (first..=last).filter(|&t| !shown(t)).collect();
                let consecutive = missing.windows(2).all(|w| w[1] == w[0] + 1);
                if !consecutive {
                    covered[i] = false;
                }
            }
        }
        let cover = Cover {
            source_long: long_votes * 2 > votes,
            src,
        };
        if covered.iter().all(|&c| c) {
            return Some(cover);
        }
        // Whole sentences shown elsewhere (a short sentence moved to another paragraph).
        for (k, &(s, e)) in p.sentences.iter().enumerate() {
            if covered[s..e].iter().any(|&c| !c) && self.seqs.contains_key(&p.sentence_hash(k)) {
                covered[s..e].fill(true);
            }
        }
        // Shown short blocks or sentences glued together or to a sentence (a heading merged into
        // its paragraph, two short lines merged into one).
        let mut a = 0;
        while a < n {
            if covered[a] {
                a += 1;
                continue;
            }
            let b = (a..n).find(|&j| covered[j]).unwrap_or(n);
            // Inside a block, only text at a sentence boundary with a word that is not a number
            // (a changed number must never be excused); at the block's own edges, anything.
            let at_sentence = p.sentences.iter().any(|&(s, e)| s == a || e == b)
                && p.alpha[a..b].iter().any(|&x| x);
            if (a == 0 || b == n || at_sentence)
                && b - a <= MAX_GLUED
                && self.is_concatenation(&p.words[a..b])
            {
                covered[a..b].fill(true);
            }
            a = b;
        }
        // What is left must sit in one short promotional or boilerplate sentence.
        let mut left = p
            .sentences
            .iter()
            .enumerate()
            .filter(|(_, (s, e))| covered[*s..*e].iter().any(|&c| !c));
        let Some((k, &(s, e))) = left.next() else {
            return Some(cover);
        };
        if left.next().is_some() {
            return None;
        }
        let m = e - s;
        if m > INSERT_MAX_WORDS || n - m < INSERT_MIN_REST.max(m) {
            return None;
        }
        let promo = is_promo(&p.words[s..e]);
        let frequent = stats
            .is_some_and(|st| !p.folded.is_empty() && st.is_frequent(p.folded_sentence_hash(k)));
        (promo || frequent).then_some(cover)
    }
}

/// Pass 1: the status of every block, in order. `boiler` flags blocks already folded as boilerplate;
/// `code` flags code blocks.
pub(crate) fn statuses(
    blocks: &[Prepared],
    code: &[bool],
    boiler: &[bool],
    stats: Option<&FeedStats>,
) -> Vec<Status> {
    let words: usize = blocks.iter().map(Prepared::len).sum();
    let sentences: usize = blocks.iter().map(|p| p.sentences.len() + 1).sum();
    let mut shown = Shown {
        shingles: HashMapU64::with_capacity_and_hasher(words, Default::default()),
        seqs: HashMapU64::with_capacity_and_hasher(sentences, Default::default()),
        blocks,
    };
    let mut out = Vec::with_capacity(blocks.len());
    // The earliest source of the current run: a run copies text from there on, so a covered block
    // whose text comes from before it starts a new run.
    let mut floor: Option<u32> = None;
    for (i, p) in blocks.iter().enumerate() {
        let status = if code[i] {
            floor = None;
            Status::Code
        } else if p.len() == 0 {
            Status::Empty
        } else if boiler[i] {
            Status::Boilerplate
        } else if let Some(cover) = shown.cover(p, stats) {
            let from = cover.src.map(|x| x.0);
            let linked = match (floor, from) {
                (None, _) => false,
                (Some(f), Some(s)) => s >= f,
                (Some(_), None) => true,
            };
            if !linked {
                floor = from.or(Some(0));
            }
            Status::Covered {
                long: p.len() >= LONG_WORDS,
                source_long: cover.source_long,
                linked,
            }
        } else {
            floor = None;
            shown.add(i);
            Status::New
        };
        out.push(status);
    }
    out
}

/// Pass 2: which covered blocks fold. A run is a sequence of covered blocks that copies earlier
/// text in order, passing over empty and boilerplate blocks; it folds when it holds a long covered
/// block, or when its blocks whose text comes from long shown blocks add up to a long block's
/// length, or when it is long itself.
pub(crate) fn repeats(statuses: &[Status], blocks: &[Prepared]) -> Vec<bool> {
    let mut fold = vec![false; statuses.len()];
    let mut members: Vec<usize> = Vec::new();
    let (mut any_long, mut fragment_words, mut run_words) = (false, 0usize, 0usize);
    let mut close =
        |members: &mut Vec<usize>, any_long: bool, fragment_words: usize, run_words: usize| {
            if any_long || fragment_words >= LONG_WORDS || run_words >= RUN_WORDS {
                for &m in members.iter() {
                    fold[m] = true;
                }
            }
            members.clear();
        };
    for (j, status) in statuses.iter().enumerate() {
        match *status {
            Status::Covered {
                long,
                source_long,
                linked,
            } => {
                if !linked {
                    close(&mut members, any_long, fragment_words, run_words);
                    (any_long, fragment_words, run_words) = (false, 0, 0);
                }
                members.push(j);
                any_long |= long;
                run_words += blocks[j].len();
                if source_long {
                    fragment_words += blocks[j].len();
                }
            }
            Status::Empty | Status::Boilerplate => {}
            Status::New | Status::Code => {
                close(&mut members, any_long, fragment_words, run_words);
                (any_long, fragment_words, run_words) = (false, 0, 0);
            }
        }
    }
    close(&mut members, any_long, fragment_words, run_words);
    fold
}

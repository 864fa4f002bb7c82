//! Benchmarks of the deduplicator: a 50 KB article (unique, and half of it a re-split repeat, with
//! and without feed statistics), the fingerprint one stored item costs, keeping statistics current,
//! and a MinHash signature. Texts are generated here, deterministically.
//!
//! For scale, it also times storing one item in a SQLite file (WAL, one transaction per item) with
//! and without its fingerprint: the statistics may add at most 30% to the time spent storing items.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tidings::content::dedup::{DedupOptions, FeedStats, Piece, PieceKind, fold, minhash};

/// A small deterministic generator of words, sentences and paragraphs.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn word(&mut self) -> String {
        const SYL: &[&str] = &[
            "ka", "ri", "to", "men", "sa", "lo", "ver", "di", "an", "po", "ste", "gu", "ne", "bar",
            "il",
        ];
        let n = 1 + self.next() % 3;
        (0..n)
            .map(|_| SYL[(self.next() % SYL.len() as u64) as usize])
            .collect()
    }

    fn sentence(&mut self) -> String {
        let n = 6 + self.next() % 18;
        let mut s: Vec<String> = (0..n).map(|_| self.word()).collect();
        if self.next().is_multiple_of(5) {
            s.push(format!("{}", self.next() % 1000));
        }
        let mut s = s.join(" ");
        s[..1].make_ascii_uppercase();
        s.push('.');
        s
    }

    fn paragraph(&mut self) -> String {
        let n = 2 + self.next() % 4;
        (0..n)
            .map(|_| self.sentence())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Blocks (kind, text) adding up to about `bytes` bytes, a heading every few paragraphs.
    fn article(&mut self, bytes: usize) -> Vec<(PieceKind, String)> {
        let mut out = Vec::new();
        let mut size = 0;
        while size < bytes {
            let (kind, text) = if self.next().is_multiple_of(6) {
                (PieceKind::Heading, self.sentence())
            } else {
                (PieceKind::Paragraph, self.paragraph())
            };
            size += text.len();
            out.push((kind, text));
        }
        out
    }
}

/// 25 KB of text followed by the same text split into paragraphs differently.
fn repeated_article(g: &mut Gen) -> Vec<(PieceKind, String)> {
    let first = g.article(25_000);
    let mut out = first.clone();
    let mut i = 0;
    while i < first.len() {
        if i + 1 < first.len() && i % 3 == 0 {
            out.push((
                PieceKind::Paragraph,
                format!("{} {}", first[i].1, first[i + 1].1),
            ));
            i += 2;
        } else {
            out.push(first[i].clone());
            i += 1;
        }
    }
    out
}

fn as_pieces(blocks: &[(PieceKind, String)]) -> Vec<Piece<'_>> {
    blocks.iter().map(|(k, t)| Piece::new(t, *k)).collect()
}

fn size(blocks: &[(PieceKind, String)]) -> usize {
    blocks.iter().map(|b| b.1.len()).sum()
}

fn benches(c: &mut Criterion) {
    let mut g = Gen(0x1234_5678_9ABC_DEF1);
    let unique = g.article(50_000);
    let repeated = repeated_article(&mut g);
    let feed: Vec<Vec<(PieceKind, String)>> = (0..100)
        .map(|_| {
            let mut item = g.article(5_000);
            item.push((PieceKind::Paragraph, "Share this:".to_owned()));
            item.push((
                PieceKind::ListItem,
                "Click to share on X (Opens in new window) X".to_owned(),
            ));
            item
        })
        .collect();
    let feed_pieces: Vec<Vec<Piece>> = feed.iter().map(|i| as_pieces(i)).collect();
    let stats = FeedStats::from_items(&feed_pieces);
    let fp_len: usize = feed_pieces
        .iter()
        .map(|p| FeedStats::item_fingerprint(p).hashes().len())
        .sum::<usize>()
        / feed.len();
    println!(
        "fingerprint: {fp_len} hashes per item on average; feed statistics hold {} hashes",
        stats.counts().count()
    );
    println!(
        "inputs: unique article {} bytes / {} blocks; repeated article {} bytes / {} blocks; feed items {} bytes each on average",
        size(&unique),
        unique.len(),
        size(&repeated),
        repeated.len(),
        feed.iter().map(|i| size(i)).sum::<usize>() / feed.len()
    );
    let opts = DedupOptions::default();
    let up = as_pieces(&unique);
    let rp = as_pieces(&repeated);
    c.bench_function("fold 50 KB unique article", |b| {
        b.iter(|| fold(black_box(&up), None, &opts))
    });
    c.bench_function("fold 50 KB article, second half a re-split repeat", |b| {
        b.iter(|| fold(black_box(&rp), None, &opts))
    });
    c.bench_function("fold 50 KB re-split repeat with feed stats", |b| {
        b.iter(|| fold(black_box(&rp), Some(&stats), &opts))
    });
    let item = &feed_pieces[0];
    c.bench_function("fingerprint one 5 KB item", |b| {
        b.iter(|| FeedStats::item_fingerprint(black_box(item)))
    });
    let mut k = 0;
    c.bench_function("fingerprint 5 KB items, cycling over 100", |b| {
        b.iter(|| {
            k = (k + 1) % feed_pieces.len();
            FeedStats::item_fingerprint(black_box(&feed_pieces[k]))
        })
    });
    let fp = FeedStats::item_fingerprint(item);
    let mut s = stats.clone();
    c.bench_function("stats remove + add one item", |b| {
        b.iter(|| {
            s.remove(black_box(&fp));
            s.add(black_box(&fp));
        })
    });
    sqlite_benches(c, &feed);
    let body: String = feed[1]
        .iter()
        .map(|b| b.1.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    c.bench_function("minhash of a 5 KB body", |b| {
        b.iter(|| minhash(black_box(&body)))
    });
}

/// Storing one item, alone, with its fingerprint as a blob, and with its fingerprint counted into a
/// per-feed frequency table.
fn sqlite_benches(c: &mut Criterion, feed: &[Vec<(PieceKind, String)>]) {
    let bodies: Vec<String> = feed
        .iter()
        .map(|i| {
            i.iter()
                .map(|b| b.1.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let variants = [
        ("sqlite: store one 5 KB item", false, false),
        (
            "sqlite: store one 5 KB item, fingerprint computed",
            true,
            false,
        ),
        (
            "sqlite: store one 5 KB item + fingerprint blob",
            true,
            false,
        ),
        (
            "sqlite: store one 5 KB item + fingerprint blob + df upserts",
            true,
            true,
        ),
    ];
    for (name, with_fp, with_df) in variants {
        // A fresh file per variant; keys cycle over 200 items so the table keeps its size.
        let dir = tempfile::tempdir().expect("temp dir");
        let db = rusqlite::Connection::open(dir.path().join("bench.db")).expect("open");
        db.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE TABLE items(id INTEGER PRIMARY KEY, feed INTEGER, key TEXT UNIQUE, content TEXT, fp BLOB);
             CREATE TABLE df(feed INTEGER, hash INTEGER, n INTEGER, PRIMARY KEY(feed, hash)) WITHOUT ROWID;",
        )
        .expect("schema");
        let mut n = 0usize;
        let keep_blob = name.contains("blob");
        c.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                let k = n % feed.len();
                let tx = db.unchecked_transaction().expect("tx");
                let fp = with_fp.then(|| FeedStats::item_fingerprint(&as_pieces(&feed[k])));
                let blob: Option<Vec<u8>> = fp
                    .as_ref()
                    .filter(|_| keep_blob)
                    .map(|f| f.hashes().iter().flat_map(|h| h.to_le_bytes()).collect());
                tx.execute(
                    "INSERT OR REPLACE INTO items(feed, key, content, fp) VALUES(1, ?1, ?2, ?3)",
                    rusqlite::params![format!("item-{}", n % 200), bodies[k], blob],
                )
                .expect("insert");
                if with_df && let Some(fp) = &fp {
                    let mut st = tx
                        .prepare_cached(
                            "INSERT INTO df(feed, hash, n) VALUES(1, ?1, 1) \
                             ON CONFLICT(feed, hash) DO UPDATE SET n = n + 1",
                        )
                        .expect("prepare");
                    for &h in fp.hashes() {
                        st.execute([h as i64]).expect("upsert");
                    }
                }
                tx.commit().expect("commit");
            })
        });
    }
}

criterion_group!(dedup, benches);
criterion_main!(dedup);

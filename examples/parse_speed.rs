//! Times parsing a folder of feed files: `cargo run --release --example parse_speed -- DIR`.
fn main() {
    let dir = std::env::args().nth(1).expect("DIR");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    let bytes: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let total: usize = bytes.iter().map(Vec::len).sum();
    let t = std::time::Instant::now();
    let mut items = 0;
    for b in &bytes {
        items += feed_rs::parser::parse(&b[..])
            .map(|f| f.entries.len())
            .unwrap_or(0);
    }
    let e = t.elapsed().as_secs_f64();
    println!(
        "feed-rs alone: {} items, {:.1} MB in {:.2} s = {:.0} MB/s",
        items,
        total as f64 / 1e6,
        e,
        total as f64 / 1e6 / e
    );
    let t = std::time::Instant::now();
    let mut items = 0;
    for b in &bytes {
        items += tidings::feed::parse(b, None, "http://x/", 2_000_000_000)
            .map(|f| f.items.len())
            .unwrap_or(0);
    }
    let e = t.elapsed().as_secs_f64();
    println!(
        "tidings::feed::parse: {} items in {:.2} s = {:.0} MB/s",
        items,
        e,
        total as f64 / 1e6 / e
    );
    let parsed: Vec<_> = bytes
        .iter()
        .filter_map(|b| tidings::feed::parse(b, None, "http://x/", 2_000_000_000).ok())
        .collect();
    let body_bytes: usize = parsed
        .iter()
        .flat_map(|f| &f.items)
        .map(|i| i.content.len())
        .sum();
    println!("bodies: {:.1} MB", body_bytes as f64 / 1e6);
    let t = std::time::Instant::now();
    for f in &parsed {
        for i in &f.items {
            std::hint::black_box(tidings::content::parse(&i.content, i.content_kind, None));
        }
    }
    println!("content::parse: {:.2} s", t.elapsed().as_secs_f64());
    digests_speed(&parsed);
    let t = std::time::Instant::now();
    let texts: Vec<Vec<Vec<(String, tidings::content::dedup::PieceKind)>>> = parsed
        .iter()
        .map(|f| {
            f.items
                .iter()
                .map(|i| {
                    tidings::content::fold::block_texts(&tidings::content::parse(
                        &i.content,
                        i.content_kind,
                        None,
                    ))
                })
                .collect()
        })
        .collect();
    println!("parse + block texts: {:.2} s", t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    for (f, tx) in parsed.iter().zip(&texts) {
        let inputs: Vec<tidings::content::dedup::DigestInput> = f
            .items
            .iter()
            .zip(tx)
            .map(|(item, blocks)| tidings::content::dedup::DigestInput {
                pieces: blocks
                    .iter()
                    .map(|(t, k)| tidings::content::dedup::Piece::new(t, *k))
                    .collect(),
                link: item.link.as_deref(),
                guid: item.guid.as_deref(),
                title: &item.title,
            })
            .collect();
        std::hint::black_box(tidings::content::dedup::digest_feed(&inputs, 100));
    }
    println!("digest_feed alone: {:.2} s", t.elapsed().as_secs_f64());
    use tidings::content::{dedup, fold};
    let docs: Vec<Vec<_>> = parsed
        .iter()
        .map(|f| {
            f.items
                .iter()
                .map(|i| tidings::content::parse(&i.content, i.content_kind, None))
                .collect()
        })
        .collect();
    let t = std::time::Instant::now();
    let mut stats = Vec::new();
    for f in &docs {
        let mut s = dedup::FeedStats::new();
        for d in f {
            s.add(&fold::document_fingerprint(d));
        }
        stats.push(s);
    }
    println!("fingerprints: {:.2} s", t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    let mut texts = Vec::new();
    for (f, s) in docs.iter().zip(&stats) {
        for d in f {
            let hidden = fold::fold_document(d, Some(s), &dedup::DedupOptions::default());
            let text: Vec<String> = d
                .blocks
                .iter()
                .zip(&hidden)
                .filter(|&(_, &h)| !h)
                .map(|(b, _)| b.text())
                .collect();
            texts.push(text.join("\n"));
        }
    }
    println!("fold with stats: {:.2} s", t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    for x in &texts {
        std::hint::black_box(dedup::StoryInfo::new(None, None, "t", x));
    }
    println!("story info (minhash): {:.2} s", t.elapsed().as_secs_f64());
}

/// Times what the refresh computes for deduplication on the parsing pool, per stage.
#[allow(dead_code)]
fn digests_speed(feeds: &[tidings::model::ParsedFeed]) {
    let t = std::time::Instant::now();
    let mut n = 0;
    for f in feeds {
        n += tidings::refresh::digests(f).stories.len();
    }
    println!("digests: {n} items in {:.2} s", t.elapsed().as_secs_f64());
}

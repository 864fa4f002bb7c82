//! Times parsing a folder of feed files, then their bodies and their deduplication digests:
//! `cargo run --release --example parse_speed -- DIR`.
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
    let t = std::time::Instant::now();
    for i in parsed.iter().flat_map(|f| &f.items) {
        std::hint::black_box(tidings::content::parse(&i.content, i.content_kind, None));
    }
    println!(
        "content::parse of {:.1} MB of bodies: {:.2} s",
        body_bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    // What a fetch's digest pass computes (it includes the parse above).
    let t = std::time::Instant::now();
    let items: usize = parsed
        .iter()
        .map(|f| tidings::digests::digest_parsed(f).stories.len())
        .sum();
    println!(
        "deduplication digests of {items} items: {:.2} s",
        t.elapsed().as_secs_f64()
    );
}

//! How fast feeds parse: a 200-item RSS 2.0 feed with HTML bodies (UTF-8, then windows-1252 with
//! HTML entities to repair) and a 200-entry Atom feed, each through `tidings::feed::parse`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const NOW: i64 = 1_750_000_000;

fn rss(items: usize, sloppy: bool) -> Vec<u8> {
    let space = if sloppy { "&nbsp;" } else { " " };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<rss version=\"2.0\"><channel>\
         <title>Bench</title><link>https://bench.example/</link>\n",
    );
    for i in 0..items {
        xml.push_str(&format!(
            "<item><title>Item {i}{space}title</title><link>https://bench.example/{i}</link>\
             <guid>bench-{i}</guid><pubDate>Tue, 04 Mar 2025 09:30:00 GMT</pubDate>\
             <description><![CDATA[<p>Paragraph one of item {i}, long enough to matter in a \
             benchmark of feed parsing.</p><p>Paragraph two with <a href=\"/x/{i}\">a link</a>.</p>]]>\
             </description></item>\n"
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml.into_bytes()
}

fn atom(entries: usize) -> Vec<u8> {
    let mut xml = String::from(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://bench.example/\">\
         <title>Bench</title><id>urn:bench</id><updated>2025-05-01T12:00:00Z</updated>\n",
    );
    for i in 0..entries {
        xml.push_str(&format!(
            "<entry><title>Entry {i}</title><id>urn:bench:{i}</id><link href=\"e/{i}\"/>\
             <updated>2025-05-01T12:00:00Z</updated><author><name>A</name></author>\
             <content type=\"html\">&lt;p&gt;Body of entry {i} with some words in it.&lt;/p&gt;</content>\
             </entry>\n"
        ));
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

fn bench(c: &mut Criterion) {
    let cases = [
        ("rss2_200_items", rss(200, false)),
        ("rss2_200_items_sloppy_cp1252", rss(200, true)),
        ("atom_200_entries", atom(200)),
    ];
    let mut group = c.benchmark_group("feed_parse");
    for (name, bytes) in &cases {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| {
                let feed =
                    tidings::feed::parse(black_box(bytes), None, "https://bench.example/feed", NOW)
                        .expect("bench feed parses");
                assert_eq!(feed.items.len(), 200);
                feed
            })
        });
    }
    // feed-rs alone on the same RSS bytes, for comparison with the whole pipeline.
    let raw = &cases[0].1;
    group.throughput(Throughput::Bytes(raw.len() as u64));
    group.bench_function("rss2_200_items_feed_rs_only", |b| {
        b.iter(|| feed_rs::parser::parse(black_box(&raw[..])).expect("parses"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Deduplication through the real binary: `tidings show` on a feed file, on the same feed once
//! subscribed (statistics from the cache), with `--raw`, with folding turned off, and on a demo feed.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// `tidings --home HOME ARGS...`, with no terminal and no inherited TIDINGS_HOME.
fn tidings(home: &Path, args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("TIDINGS_HOME")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    assert!(
        o.status.success(),
        "tidings {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn json(o: &Output) -> Vec<Value> {
    serde_json::from_slice::<Value>(&o.stdout)
        .expect("JSON on stdout")
        .as_array()
        .expect("an array of items")
        .clone()
}

const PROMO: &str = "Subscribe to the Harbour Weekly newsletter for more local stories";
const SHARE: &str = "Share this article on Mastodon, Bluesky or by email";

/// Six items, each with its own two paragraphs between the same share and promo lines; the
/// third repeats its whole article.
const STORIES: [(&str, &str, &str); 6] = [
    (
        "Ferry timetable",
        "The winter ferry timetable starts on Monday, with the early crossing moved half an hour later so that the crews can load freight in daylight.",
        "Passengers who hold season tickets keep them, and the operator says the evening boat will wait for the last train from the city on Fridays.",
    ),
    (
        "Library roof",
        "Builders finished the copper roof of the old library a fortnight ahead of plan, and the reading room reopens to the public next week.",
        "The council paid for the work from the heritage fund, after volunteers counted every slate that could be saved from the original roof.",
    ),
    (
        "Orchard harvest",
        "The community orchard on Mill Lane picked its largest apple harvest in ten years, thanks to a mild spring and the new bee hives.",
        "Most of the fruit goes to the school kitchens, and the rest will be pressed into juice at the autumn fair on the village green.",
    ),
    (
        "Night market",
        "Stallholders at the night market voted to stay open until ten in the summer months, after a trial run drew twice the usual crowds.",
        "Residents near the square asked for quieter generators, which the market committee has promised to provide before the season starts.",
    ),
    (
        "Cycle lane",
        "The new cycle lane along the river path opened with a parade of children on bicycles and a ribbon cut by the oldest club member.",
        "Road engineers will count riders for a year before deciding whether to extend the lane to the railway station and the business park.",
    ),
    (
        "Swimming club",
        "The swimming club raised enough money at its sponsored swim to replace the starting blocks and buy a new lane rope for the pool.",
        "Coaches thanked the bakery on the high street, which gave every swimmer a bun and matched the first hundred pounds of the donations.",
    ),
];

const REPEATED: usize = 2;

/// An RSS file with the stories above, written for this test.
fn write_feed(dir: &Path) -> std::path::PathBuf {
    let mut items = String::new();
    for (i, (title, a, b)) in STORIES.iter().enumerate() {
        let mut body = format!("<p>{SHARE}</p><p>{a}</p><p>{b}</p>");
        if i == REPEATED {
            body.push_str(&format!("<p>{a}</p><p>{b}</p>"));
        }
        body.push_str(&format!("<p>{PROMO}</p>"));
        items.push_str(&format!(
            "<item><title>{title}</title><link>https://harbour.example/{i}</link>\
             <guid>https://harbour.example/{i}</guid>\
             <pubDate>Mon, 0{} Jun 2026 10:00:00 +0000</pubDate>\
             <description><![CDATA[{body}]]></description></item>\n",
            i + 1
        ));
    }
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Harbour Weekly</title>\
         <link>https://harbour.example/</link><description>Local news</description>\n{items}\
         </channel></rss>\n"
    );
    let path = dir.join("harbour.xml");
    std::fs::write(&path, xml).unwrap();
    path
}

fn body(item: &Value) -> &str {
    item["body"].as_str().expect("a body")
}

fn by_title<'a>(items: &'a [Value], title: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["title"] == title)
        .unwrap_or_else(|| panic!("no item {title}"))
}

/// Words of a paragraph that the wrapping cannot split: its first five words.
fn opening(p: &str) -> String {
    p.split(' ').take(5).collect::<Vec<_>>().join(" ")
}

/// Checks folded output: the repeat shown once, promo and share lines gone, `folded` counted.
fn assert_folded(items: &[Value]) {
    assert_eq!(items.len(), STORIES.len());
    for (title, a, b) in STORIES {
        let item = by_title(items, title);
        let text = body(item);
        assert_eq!(text.matches(&opening(a)).count(), 1, "{title}: {text}");
        assert_eq!(text.matches(&opening(b)).count(), 1, "{title}: {text}");
        assert!(
            !text.contains("Harbour Weekly newsletter"),
            "{title}: {text}"
        );
        assert!(!text.contains("Share this article"), "{title}: {text}");
        assert!(item["folded"].as_u64().unwrap() >= 2, "{title}: {item}");
    }
    let repeated = by_title(items, STORIES[REPEATED].0);
    assert!(repeated["folded"].as_u64().unwrap() >= 4, "{repeated}");
    assert!(body(repeated).contains("repeated paragraphs hidden"));
}

#[test]
fn a_feed_file_shows_each_paragraph_once_and_raw_shows_everything() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let feed = write_feed(dir.path());
    let file = feed.to_str().unwrap();

    let folded = json(&tidings(&home, &["show", file, "--json", "--width", "200"]));
    assert_folded(&folded);

    let raw = json(&tidings(
        &home,
        &["show", file, "--json", "--raw", "--width", "200"],
    ));
    let (title, a, _) = STORIES[REPEATED];
    let item = by_title(&raw, title);
    let text = body(item);
    assert_eq!(text.matches(&opening(a)).count(), 2, "{text}");
    assert!(text.contains("Harbour Weekly newsletter"), "{text}");
    assert!(text.contains("Share this article"), "{text}");
    assert!(text.contains('▌'), "folded blocks are marked: {text}");
    assert!(!text.contains("repeated paragraphs hidden"), "{text}");
    assert_eq!(item["folded"], by_title(&folded, title)["folded"]);

    // Subscribed: the statistics come from the cache.
    tidings(&home, &["add", file]);
    let cached = json(&tidings(
        &home,
        &["show", "Harbour Weekly", "--json", "--width", "200"],
    ));
    assert_folded(&cached);
    let all = json(&tidings(
        &home,
        &["show", "all", "--json", "--width", "200"],
    ));
    assert_folded(&all);
}

#[test]
fn each_kind_of_folding_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let feed = write_feed(dir.path());
    let file = feed.to_str().unwrap();
    let (title, a, _) = STORIES[REPEATED];

    std::fs::write(
        home.join("config.toml"),
        "[dedup]\nwithin_article = false\n",
    )
    .unwrap();
    let items = json(&tidings(&home, &["show", file, "--json", "--width", "200"]));
    let text = body(by_title(&items, title));
    assert_eq!(text.matches(&opening(a)).count(), 2, "{text}");
    assert!(
        !text.contains("Share this article"),
        "boilerplate still folds: {text}"
    );

    std::fs::write(home.join("config.toml"), "[dedup]\nboilerplate = false\n").unwrap();
    let items = json(&tidings(&home, &["show", file, "--json", "--width", "200"]));
    let text = body(by_title(&items, title));
    assert_eq!(text.matches(&opening(a)).count(), 1, "{text}");
    assert!(text.contains("Share this article"), "{text}");
    let plain = body(by_title(&items, STORIES[0].0));
    assert!(plain.contains("Harbour Weekly newsletter"), "{plain}");
    assert_eq!(by_title(&items, STORIES[0].0)["folded"], 0);
}

#[test]
fn the_demo_feed_shows_each_paragraph_once() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let items = json(&tidings(
        &home,
        &["show", "demo:lakeside-ledger", "--json", "--width", "2000"],
    ));
    assert!(!items.is_empty());
    let mut folded = 0;
    for item in &items {
        let text = body(item);
        let paragraphs: Vec<&str> = text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| p.split(' ').count() >= 12)
            .collect();
        for (i, p) in paragraphs.iter().enumerate() {
            assert!(
                !paragraphs[..i].contains(p),
                "{}: paragraph shown twice: {p}",
                item["title"]
            );
        }
        folded += item["folded"].as_u64().unwrap();
    }
    assert!(folded > 0, "the demo feed has repeats to fold");
}

/// A second feed: one story with the same link as the first feed's library story, one with the
/// same text as its ferry story under another address, and one of its own.
fn write_second_feed(dir: &Path) -> std::path::PathBuf {
    let (_, ferry_a, ferry_b) = STORIES[0];
    let items = [
        (
            "Library reopens after roof repairs",
            "https://www.harbour.example/1/?utm_source=rss",
            "<p>Copper roof finished, reading room open.</p>".to_string(),
        ),
        (
            "Ferries change their winter times",
            "https://courier.example/ferries",
            format!("<p>{ferry_a}</p><p>{ferry_b}</p>"),
        ),
        (
            "Valley fair dates set",
            "https://courier.example/fair",
            "<p>The valley fair will be held on the last weekend of August again.</p>".to_string(),
        ),
    ];
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Valley Courier</title>\
         <link>https://courier.example/</link><description>Valley news</description>\n",
    );
    for (i, (title, link, body)) in items.iter().enumerate() {
        xml.push_str(&format!(
            "<item><title>{title}</title><link>{link}</link><guid>courier-{i}</guid>\
             <pubDate>Wed, 0{} Jul 2026 09:00:00 +0000</pubDate>\
             <description><![CDATA[{body}]]></description></item>\n",
            i + 1
        ));
    }
    xml.push_str("</channel></rss>\n");
    let path = dir.join("courier.xml");
    std::fs::write(&path, xml).unwrap();
    path
}

#[test]
fn show_all_shows_a_story_from_several_feeds_once() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let first = write_feed(dir.path());
    let second = write_second_feed(dir.path());
    tidings(&home, &["add", first.to_str().unwrap()]);
    tidings(&home, &["add", second.to_str().unwrap()]);

    let all = json(&tidings(
        &home,
        &["show", "all", "--json", "--width", "200"],
    ));
    assert_eq!(
        all.len(),
        STORIES.len() + 3 - 2,
        "two stories are shown once"
    );
    let also = |i: &Value| -> Vec<String> {
        i["also_in"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect()
    };
    let titles: Vec<&str> = all.iter().map(|i| i["title"].as_str().unwrap()).collect();
    // The Harbour's items were stored first, so they lead their stories.
    let library = by_title(&all, "Library roof");
    assert_eq!(also(library), vec!["Valley Courier"]);
    let ferries = by_title(&all, "Ferry timetable");
    assert_eq!(also(ferries), vec!["Valley Courier"]);
    assert!(
        !titles.contains(&"Library reopens after roof repairs")
            && !titles.contains(&"Ferries change their winter times"),
        "{titles:?}"
    );
    assert!(also(by_title(&all, "Valley fair dates set")).is_empty());
    assert!(also(by_title(&all, "Cycle lane")).is_empty());

    let text =
        String::from_utf8(tidings(&home, &["show", "all", "--width", "200"]).stdout).unwrap();
    assert!(text.contains("Also in: Valley Courier"), "{text}");
    // A copy, shown through its own feed, names the feed that leads the story.
    let courier = json(&tidings(
        &home,
        &["show", second.to_str().unwrap(), "--json", "--width", "200"],
    ));
    let copy = by_title(&courier, "Library reopens after roof repairs");
    assert_eq!(also(copy), vec!["Harbour Weekly"]);

    std::fs::write(home.join("config.toml"), "[dedup]\nstories = false\n").unwrap();
    let all = json(&tidings(
        &home,
        &["show", "all", "--json", "--width", "200"],
    ));
    assert_eq!(all.len(), STORIES.len() + 3);
    assert!(all.iter().all(|i| also(i).is_empty()));
}

//! The two repeats aggregators add around an article, through the real binary: the item's title
//! repeated as the body's first line, and a "Meta Description:" that repeats the lead cut in the
//! middle of a sentence. Both fold like every other repeat (a "hidden" line; `--raw` shows and
//! marks them), and the links only they carry leave the link list.

#[path = "support/shared.rs"]
mod shared;
mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::cli::{stderr, tidings};

const TITLE: &str = "City council approves a night bus network";
const LEAD: &str = "After two years of pilot runs and a long public consultation, the city council \
                    voted on Monday evening to make four night bus routes permanent. The routes \
                    will run every thirty minutes between midnight and five in the morning.";
const CUT: &str = "After two years of pilot runs and a long public consultation, the city council \
                   voted on Monday evening to make four night bus routes permanent. The.";
const SECOND: &str = "Supporters said the decision finally recognises the people who keep the city \
                      running at night: hospital staff, cleaners, bakers and bar workers.";

/// Runs tidings and returns its standard output, failing on an error.
fn run(home: &Path, args: &[&str]) -> String {
    let o = tidings(home, args);
    assert!(o.status.success(), "tidings {args:?}: {}", stderr(&o));
    String::from_utf8(o.stdout).expect("UTF-8 output")
}

/// The items of `show --json`.
fn json(home: &Path, args: &[&str]) -> Vec<Value> {
    let out = run(home, args);
    serde_json::from_str::<Value>(&out)
        .expect("JSON on stdout")
        .as_array()
        .expect("an array of items")
        .clone()
}

/// An RSS file `name` with one item per `(title, body)`, written for this test.
fn write_feed(dir: &Path, name: &str, items: &[(&str, String)]) -> PathBuf {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Night Ledger</title>\
         <link>https://ledger.example/</link><description>x</description>\n",
    );
    for (i, (title, body)) in items.iter().enumerate() {
        xml.push_str(&format!(
            "<item><title>{title}</title><link>https://ledger.example/{i}</link>\
             <guid>ledger-{i}</guid><pubDate>Tue, 0{} Nov 2026 09:00:00 +0000</pubDate>\
             <description><![CDATA[{body}]]></description></item>\n",
            i + 1
        ));
    }
    xml.push_str("</channel></rss>\n");
    let path = dir.join(name);
    std::fs::write(&path, xml).unwrap();
    path
}

fn body(item: &Value) -> &str {
    item["body"].as_str().expect("a body")
}

#[test]
fn the_title_repeated_as_first_line_folds_and_raw_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let as_paragraph = format!("<p>{TITLE}</p><p>{LEAD}</p><p>{SECOND}</p>");
    let as_heading = format!("<h2>Transport</h2><h1>{TITLE}.</h1><p>{LEAD}</p>");
    // The title further down, after running text, is the article's own.
    let quoted = format!("<p>{SECOND}</p><p>{TITLE}</p>");
    // One feed each: bodies shared by a feed's items would fold as its boilerplate.
    let shown = |name: &str, body: String, raw: bool| -> Value {
        let feed = write_feed(dir.path(), name, &[(TITLE, body)]);
        let mut args = vec!["show", feed.to_str().unwrap(), "--json", "--width", "300"];
        if raw {
            args.push("--raw");
        }
        json(&home, &args).remove(0)
    };
    let paragraph = shown("p.xml", as_paragraph.clone(), false);
    let heading = shown("h.xml", as_heading, false);
    let quoted = shown("q.xml", quoted, false);
    for item in [&paragraph, &heading] {
        let text = body(item);
        assert!(!text.contains(TITLE), "{text}");
        assert!(text.contains("⋯ 1 repeated paragraph hidden"), "{text}");
        assert!(text.contains(LEAD), "{text}");
        assert_eq!(item["folded"], 1, "{item}");
    }
    assert!(body(&paragraph).starts_with("⋯ 1 repeated paragraph hidden"));
    assert!(body(&heading).starts_with("Transport"));
    assert!(body(&quoted).contains(TITLE), "{}", body(&quoted));
    assert_eq!(quoted["folded"], 0);

    let raw = shown("p.xml", as_paragraph.clone(), true);
    let text = body(&raw);
    assert!(text.contains(&format!("▌ {TITLE}")), "raw marks it: {text}");
    assert_eq!(raw["folded"], 1);

    // Within-article folding off: the title stays.
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(
        home.join("config.toml"),
        "[dedup]\nwithin_article = false\n",
    )
    .unwrap();
    let off = shown("p.xml", as_paragraph, false);
    assert!(body(&off).contains(TITLE), "{}", body(&off));
}

#[test]
fn a_lead_repeated_cut_mid_sentence_folds_with_its_label() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let cut = format!("<p>{LEAD}</p><p>{SECOND}</p><p>Meta Description: {CUT}</p>");
    // Each adds a word, or ends where a sentence ends: they stay.
    let added = format!(
        "<p>{LEAD}</p><p>{SECOND}</p><p>Meta Description: {}</p>",
        CUT.replace("the city council", "the new city council")
    );
    let whole = "After two years of pilot runs and a long public consultation, the city council \
                 voted on Monday evening to make four night bus routes permanent.";
    let sentence = format!("<p>{LEAD}</p><p>{SECOND}</p><p>Summary: {whole}</p>");
    // One feed each: bodies shared by a feed's items would fold as its boilerplate.
    let shown = |title: &str, body: String, raw: bool| -> Value {
        let feed = write_feed(dir.path(), &format!("{title}.xml"), &[(title, body)]);
        let mut args = vec!["show", feed.to_str().unwrap(), "--json", "--width", "400"];
        if raw {
            args.push("--raw");
        }
        json(&home, &args).remove(0)
    };
    let (cut_item, added, sentence) = (
        shown("Cut", cut.clone(), false),
        shown("Added", added, false),
        shown("Sentence", sentence, false),
    );
    let by = |t: &str| match t {
        "Cut" => &cut_item,
        "Added" => &added,
        _ => &sentence,
    };

    let text = body(by("Cut"));
    assert!(!text.contains("Meta Description"), "{text}");
    assert!(!text.contains("permanent. The."), "{text}");
    assert!(text.contains("⋯ 1 repeated paragraph hidden"), "{text}");
    assert!(text.contains(LEAD) && text.contains(SECOND), "{text}");
    assert_eq!(by("Cut")["folded"], 1);

    let text = body(by("Added"));
    assert!(text.contains("Meta Description"), "{text}");
    assert_eq!(by("Added")["folded"], 0);
    let text = body(by("Sentence"));
    assert!(text.contains("Summary:"), "{text}");
    assert_eq!(by("Sentence")["folded"], 0);

    let raw = shown("Cut", cut, true);
    let text = body(&raw);
    assert!(text.contains("▌ Meta Description:"), "{text}");
}

#[test]
fn the_demo_aggregator_feed_shows_neither_title_nor_cut_lead() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let items = json(
        &home,
        &["show", "demo:lakeside-ledger", "--json", "--width", "2000"],
    );
    let night = items
        .iter()
        .find(|i| i["title"] == TITLE)
        .expect("the night bus article");
    let text = body(night);
    assert!(!text.contains("Meta Description"), "{text}");
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("⋯") && !text.contains(&format!("\n{TITLE}\n")),
        "{text}"
    );
}

/// The reference article from `../shared` as one feed item: its first line is its title.
#[test]
fn the_reference_article_shows_its_title_once_and_each_paragraph_once() {
    let Some(path) = shared::shared_path("reference/duplicated-article.txt") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let title = lines[0];
    let html: String = lines
        .iter()
        .map(|l| format!("<p>{}</p>", l.replace('&', "&amp;").replace('<', "&lt;")))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let feed = write_feed(dir.path(), "reference.xml", &[(title, html)]);
    let items = json(
        &home,
        &["show", feed.to_str().unwrap(), "--json", "--width", "5000"],
    );
    let shown = body(&items[0]);
    assert!(!shown.contains(title), "the title is folded: {shown}");
    // Every paragraph of the article's first copy (it ends where a line repeats) is shown once.
    let mut seen = std::collections::HashSet::new();
    let first_copy_end = lines.iter().position(|l| !seen.insert(*l)).unwrap();
    let mut checked = 0;
    for l in &lines[1..first_copy_end] {
        if l.split(' ').count() >= 12 {
            assert_eq!(shown.matches(*l).count(), 1, "{l}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "the article's paragraphs were checked");
}

#[test]
fn show_lists_no_link_that_only_a_folded_block_carries() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let body = format!(
        "<h1><a href=\"https://tracker.example/night-bus?utm=feed\">{TITLE}</a></h1>\
         <p>{LEAD} <a href=\"https://ledger.example/vote\">The vote</a>.</p>"
    );
    let feed = write_feed(dir.path(), "linked.xml", &[(TITLE, body)]);
    let file = feed.to_str().unwrap();
    let text = run(&home, &["show", file, "--width", "300"]);
    assert!(text.contains("[1]: https://ledger.example/vote"), "{text}");
    assert!(!text.contains("tracker.example"), "{text}");
    assert!(!text.contains("[2]"), "{text}");
    let raw = run(&home, &["show", file, "--raw", "--width", "300"]);
    assert!(raw.contains(&format!("▌ {TITLE} [2]")), "{raw}");
    assert!(
        raw.contains("[2]: https://tracker.example/night-bus?utm=feed"),
        "{raw}"
    );
}

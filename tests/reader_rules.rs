//! The reader and the rules as a person uses them: the real binary in a pseudo-terminal, on a
//! cache of local feeds where `tidings rules apply` hid an item. The item is listed nowhere
//! until `I` shows the hidden items of the view (marked on their rows); `U` undoes the
//! application.

mod support;

use std::path::Path;

use support::cli::{stderr, stdout, tidings};
use support::pty::Term;

/// A feed file with these titles, dated an hour apart from now backwards.
fn feed_file(dir: &Path, name: &str, titles: &[&str]) -> String {
    let now = chrono::Utc::now().timestamp();
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
         <link>http://127.0.0.1/</link>"
    );
    for (i, t) in titles.iter().enumerate() {
        let d = chrono::DateTime::from_timestamp(now - 3_600 * (i as i64 + 1), 0).unwrap();
        s.push_str(&format!(
            "<item><guid>{name}-{i}</guid><title>{t}</title><link>http://127.0.0.1/{name}/{i}</link>\
             <pubDate>{}</pubDate><description>Body of {t}.</description></item>",
            d.to_rfc2822()
        ));
    }
    s.push_str("</channel></rss>");
    let path = dir.join(format!("{name}.xml"));
    std::fs::write(&path, s).unwrap();
    path.display().to_string()
}

const READER: &str =
    "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n";

#[test]
fn a_hidden_item_shows_with_i_and_u_undoes_the_rules_apply() {
    let files = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    std::fs::write(h.join("config.toml"), READER).unwrap();
    let f = feed_file(
        files.path(),
        "Harbour",
        &[
            "River market reopens",
            "Boats for sale",
            "Quiet river night",
        ],
    );
    let o = tidings(h, &["add", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(
        h.join("config.toml"),
        format!("{READER}\n[[rule]]\nfilter = \"title:boats\"\naction = \"hide\"\n"),
    )
    .unwrap();
    let o = tidings(h, &["rules", "apply"]);
    assert!(stdout(&o).contains("changed 1 items"), "{}", stdout(&o));

    let mut t = Term::start(h, &[], 130, 30);
    let s = t.wait_for("Quiet river night", 10);
    assert!(!s.contains("Boats for sale"), "hidden: {s}");

    t.send("I");
    let s = t.wait_for("(hidden) Boats for sale", 5);
    assert!(s.contains("with hidden"), "{s}");
    assert!(
        s.contains("Quiet river night"),
        "the rows after it stay: {s}"
    );
    assert!(s.contains("All (3)"), "counted: {s}");
    assert!(s.contains("Hidden items shown"), "{s}");
    t.send("I");
    t.wait_gone("Boats for sale", 5);

    // No mark-all-read to undo: U undoes the rules' application.
    t.send("U");
    t.wait_for("Put 1 items back", 5);
    let s = t.wait_for("Boats for sale", 5);
    assert!(!s.contains("(hidden)"), "{s}");

    t.send("Q");
    assert!(t.wait_exit(10), "the reader exits with success");
    let o = tidings(h, &["rules", "undo"]);
    assert!(stdout(&o).contains("Nothing to undo"), "{}", stdout(&o));
}

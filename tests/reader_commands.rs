//! The reader's commands for an article, as a person uses them in a pseudo-terminal: a `pipe`
//! binding feeding the article's text to a program (in the background, or with the terminal),
//! an `[open]` command for an enclosure by its declared type, and the save action writing
//! Markdown; each checked through the files it writes. Placeholders are whole arguments, a value
//! that looks like an option is refused, and a program's failure shows in the status line.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use support::cli::{stderr, tidings};
use support::pty::Term;

/// The newest item's long paragraph: wider than any terminal here, so the reader wraps it.
fn long_paragraph() -> String {
    "The harbour reopened this morning after a winter of repairs to the old stone quay, \
     and the first boats came in on the tide with a catch that the market sold out of \
     before noon, while the council promised a new lighthouse keeper by the spring."
        .to_string()
}

/// A feed file: the newest item with a long paragraph and an audio enclosure, then an item whose
/// title starts with a dash.
fn feed_file(dir: &Path) -> String {
    let now = chrono::Utc::now().timestamp();
    let date = |h: i64| {
        chrono::DateTime::from_timestamp(now - 3_600 * h, 0)
            .unwrap()
            .to_rfc2822()
    };
    let xml = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour News</title>\
         <link>https://site.example/</link>\
         <item><guid>h1</guid><title>Harbour reopens</title><link>https://site.example/harbour</link>\
         <pubDate>{}</pubDate><description>&lt;p&gt;{}&lt;/p&gt;&lt;p&gt;Second paragraph.&lt;/p&gt;</description>\
         <enclosure url=\"https://media.example/ep1.mp3\" type=\"audio/mpeg\" length=\"24000000\"/></item>\
         <item><guid>h2</guid><title>-rf Bridge</title><link>https://site.example/bridge</link>\
         <pubDate>{}</pubDate><description>Bridge body.</description></item>\
         </channel></rss>",
        date(1),
        long_paragraph(),
        date(2)
    );
    let path = dir.join("harbour.xml");
    std::fs::write(&path, xml).unwrap();
    path.display().to_string()
}

/// A script that appends each of its arguments, one per line, then `END`, to `out`.
fn recorder(dir: &Path, out: &Path) -> PathBuf {
    let script = dir.join("record.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{0}'; done\necho END >> '{0}'\n",
            out.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// Waits until `path` holds `text`; returns what it holds.
fn wait_file(path: &Path, text: &str, secs: u64) -> String {
    let deadline = support::pty::deadline(secs);
    loop {
        let got = std::fs::read_to_string(path).unwrap_or_default();
        if got.contains(text) {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "{} never held {text:?}: {got:?}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Setup {
    _files: tempfile::TempDir,
    home: tempfile::TempDir,
    piped: PathBuf,
    paged: PathBuf,
    calls: PathBuf,
    saved: PathBuf,
}

fn setup() -> Setup {
    let files = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let piped = files.path().join("piped.txt");
    let paged = files.path().join("paged.txt");
    let calls = files.path().join("calls.txt");
    let saved = files.path().join("saved");
    let script = recorder(files.path(), &calls);
    let q = |p: &Path| format!("{:?}", p.display().to_string());
    let config = format!(
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n\n\
         [save]\ndir = {saved}\n\n\
         [open]\n\"audio/*\" = [{script}, \"--\", \"{{url}}\"]\n\n\
         [keys]\n\
         \"P\" = {{ action = \"pipe\", command = [\"tee\", {piped}], desc = \"Tee it\" }}\n\
         \"X\" = {{ action = \"pipe\", command = [{script}, \"{{title}}\", \"--\", \"{{feed}}\", \"{{url}}\"], desc = \"Record\" }}\n\
         \"Z\" = {{ action = \"pipe\", command = [\"/nonexistent/tidings-test-program\"], desc = \"Missing\" }}\n\
         \"ctrl-t\" = {{ action = \"pipe\", command = [\"tee\", {paged}], terminal = true, desc = \"Page\" }}\n",
        saved = q(&saved),
        script = q(&script),
        piped = q(&piped),
        paged = q(&paged),
    );
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    let feed = feed_file(files.path());
    let o = tidings(home.path(), &["add", &feed]);
    assert!(o.status.success(), "{}", stderr(&o));
    Setup {
        _files: files,
        home,
        piped,
        paged,
        calls,
        saved,
    }
}

#[test]
fn pipe_sends_the_article_unwrapped_and_save_writes_markdown() {
    let s = setup();
    let mut t = Term::start(s.home.path(), &[], 100, 30);
    t.wait_for("Harbour reopens", 10);
    t.send("\r");
    t.wait_for("Second paragraph.", 5);

    // P: the article as shown, each paragraph on one line.
    t.send("P");
    let text = wait_file(&s.piped, "Second paragraph.", 5);
    assert!(text.starts_with("Harbour reopens\n"), "{text}");
    assert!(text.contains("Feed: Harbour News"), "{text}");
    assert!(
        text.lines().any(|l| l == long_paragraph()),
        "the long paragraph is not on one line: {text}"
    );
    t.wait_for("Piped the article to tee", 5);

    // X: placeholders are whole arguments, filled and cleaned.
    t.send("X");
    let calls = wait_file(&s.calls, "END", 5);
    let lines: Vec<&str> = calls.lines().collect();
    assert_eq!(
        lines,
        [
            "Harbour reopens",
            "--",
            "Harbour News",
            "https://site.example/harbour",
            "END"
        ]
    );

    // w: Markdown in [save] dir, named after the title; a second save never overwrites.
    t.send("w");
    let file = s.saved.join("Harbour reopens.md");
    let md = wait_file(&file, "Second paragraph.", 5);
    assert!(md.starts_with("# Harbour reopens\n"), "{md}");
    assert!(md.contains("- Feed: Harbour News"), "{md}");
    assert!(md.contains(&long_paragraph()), "{md}");
    t.wait_for("Saved", 5);
    t.send("w");
    wait_file(
        &s.saved.join("Harbour reopens-2.md"),
        "# Harbour reopens",
        5,
    );
    assert!(std::fs::read_to_string(&file).unwrap() == md);

    t.send("Q");
    assert!(t.wait_exit(10));
}

#[test]
fn an_enclosure_opens_with_its_types_command_and_failures_show() {
    let s = setup();
    let mut t = Term::start(s.home.path(), &[], 100, 30);
    t.wait_for("Harbour reopens", 10);
    t.send("\r");
    t.wait_for("Second paragraph.", 5);

    // The link list: the enclosure is its only entry; Enter runs the [open] command.
    t.send("L");
    t.wait_for("enclosure · audio/mpeg", 5);
    t.send("\r");
    let calls = wait_file(&s.calls, "END", 5);
    assert_eq!(
        calls.lines().collect::<Vec<_>>(),
        ["--", "https://media.example/ep1.mp3", "END"]
    );
    t.wait_for("Opening the enclosure with", 5);

    // A program that cannot start says so in the status line.
    t.send("Z");
    t.wait_for("Cannot start /nonexistent/tidings-test-program", 5);

    // The next article's title starts with "-": X refuses to pass it, and runs nothing.
    std::fs::remove_file(&s.calls).unwrap();
    t.send("J");
    t.wait_for("Bridge body.", 5);
    t.send("X");
    t.wait_for("Not run: {title} starts with \"-\"", 5);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!s.calls.exists());

    t.send("Q");
    assert!(t.wait_exit(10));
}

#[test]
fn a_pipe_that_needs_the_terminal_gets_it_and_the_reader_comes_back() {
    let s = setup();
    let mut t = Term::start(s.home.path(), &[], 100, 30);
    t.wait_for("Harbour reopens", 10);
    t.send("\r");
    t.wait_for("Second paragraph.", 5);
    t.send("\x14");
    let text = wait_file(&s.paged, "Second paragraph.", 5);
    assert!(text.starts_with("Harbour reopens\n"), "{text}");
    t.wait_for("Back from tee", 5);
    t.wait_for("Second paragraph.", 5);
    t.send("Q");
    assert!(t.wait_exit(10));
}

//! Graphics protocols in the reader: the real binary in a pseudo-terminal, the test playing the
//! terminal. It asks which graphics the terminal speaks after its first frame; the test answers
//! as kitty (the image is transmitted once however the article scrolls, and placed), as a
//! sixel terminal (a sixel image, written again only when it moves), or not at all (half
//! blocks, and an answer that comes too late is not taken as keys); when the environment names
//! the terminal (iTerm2) or says tmux, it asks nothing.

mod support;

use std::time::{Duration, Instant};

use support::cli::{stderr, tidings};
use support::images::{harbour_feed, png};
use support::pty::Term;
use support::server::{Reply, TestServer};

/// What the reader asks (see `tidings::session::graphics::QUERY`).
const QUERY: &[u8] = tidings::session::graphics::QUERY.as_bytes();
/// The start of a kitty transmission (`a=t`), once for each image sent.
const KITTY_SEND: &[u8] = b"\x1b_Ga=t,";
/// The start of a sixel image.
const SIXEL: &[u8] = b"\x1bP0;1;0q";

/// A feed with one article: a paragraph, a red 24 x 12 image, and enough text to scroll.
fn lighthouse(home: &std::path::Path) -> TestServer {
    std::fs::write(
        home.join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n\
         images = \"auto\"\nimage_max_height = 6\n",
    )
    .unwrap();
    let server = TestServer::start();
    let mut body = format!(
        "<p>The new harbour light, seen from the pier.</p><img src=\"{}\" alt=\"Red lamp\">",
        server.url("/red.png")
    );
    for i in 0..40 {
        body.push_str(&format!("<p>Line {i} of the keeper's log.</p>"));
    }
    body.push_str("<p>It shines red.</p>");
    server.route("/feed.xml", Reply::ok(harbour_feed(&body)));
    server.route(
        "/red.png",
        Reply::ok(png(24, 12, [255, 0, 0])).content_type("image/png"),
    );
    let out = tidings(home, &["add", &server.url("/feed.xml")]);
    assert!(out.status.success(), "{}", stderr(&out));
    server
}

/// The environment of a terminal that does not say what it is (not tmux, not kitty, ...).
const PLAIN: &[(&str, &str)] = &[
    ("TMUX", ""),
    ("KITTY_WINDOW_ID", ""),
    ("TERM_PROGRAM", ""),
    ("STY", ""),
];

/// [`PLAIN`], and time enough to answer on a busy machine (debug builds only).
const PLAIN_PATIENT: &[(&str, &str)] = &[
    ("TMUX", ""),
    ("KITTY_WINDOW_ID", ""),
    ("TERM_PROGRAM", ""),
    ("STY", ""),
    ("TIDINGS_DEBUG_GRAPHICS_WAIT_MS", "3000"),
];

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Waits until the program has written `needle` `n` times or more.
fn wait_raw(t: &Term, needle: &[u8], n: usize, secs: u64) {
    let deadline = support::pty::deadline(secs);
    while count(&t.raw(), needle) < n {
        if Instant::now() > deadline {
            panic!(
                "{:?} not written {n} times; the screen shows:\n{}",
                String::from_utf8_lossy(needle),
                t.screen()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Fails if the program wrote a kitty graphics sequence (query or image) or asked for the device
/// attributes; `case` names the run.
fn assert_nothing_asked(raw: &[u8], case: &str) {
    assert_eq!(find(raw, b"\x1b_G"), None, "{case}: graphics asked or sent");
    assert_eq!(
        find(raw, b"\x1b[c"),
        None,
        "{case}: device attributes asked"
    );
}

/// Opens the article and waits for its image's alt text.
fn open_article(t: &mut Term) {
    t.wait_for("Harbour light", 10);
    t.send("\r");
    t.wait_for("[image: Red lamp]", 5);
}

#[test]
fn a_kitty_terminal_gets_each_image_once_however_the_article_scrolls() {
    let home = tempfile::tempdir().unwrap();
    let _server = lighthouse(home.path());
    let mut t = Term::start_env(home.path(), &[], 130, 40, PLAIN_PATIENT);
    wait_raw(&t, QUERY, 1, 10);
    // A key typed right after start, in the same instant as the answer: still a key.
    t.send("?\x1b_Gi=31;OK\x1b\\\x1b[6;16;8t\x1b[?62;c");
    t.wait_for("Show or hide this help", 5);
    t.send("?");
    t.wait_gone("Show or hide this help", 5);
    open_article(&mut t);
    wait_raw(&t, KITTY_SEND, 1, 10);
    // Placed at the image's cells: 24 columns, 6 rows (a 192 x 96 canvas of 8 x 16 cells).
    wait_raw(&t, b"c=24,r=6,C=1", 1, 5);
    assert!(count(&t.raw(), b"s=192,v=96,") == 1);
    assert!(t.cells_showing("▀").is_empty(), "{}", t.screen());
    // Down and up a few times: partly out (cropped), wholly out (placement deleted), back.
    for _ in 0..3 {
        for _ in 0..4 {
            t.send("j");
        }
        t.send("G");
        t.wait_for("It shines red.", 5);
        t.send("g");
        t.wait_for("The new harbour light", 5);
    }
    std::thread::sleep(Duration::from_millis(300));
    let raw = t.raw();
    assert_eq!(count(&raw, KITTY_SEND), 1, "transmitted once");
    assert!(
        count(&raw, b"a=d,d=i,") >= 1,
        "scrolled out: placement deleted"
    );
    assert!(count(&raw, b"\x1b_Ga=p,") >= 3, "placed again when back");
    assert!(t.cells_showing("▀").is_empty(), "{}", t.screen());
    // A resize frees the image and sends it again for its new place.
    assert_eq!(count(&raw, b"a=d,d=I,"), 0);
    t.resize(120, 40);
    wait_raw(&t, b"a=d,d=I,", 1, 5);
    wait_raw(&t, KITTY_SEND, 2, 5);
    t.send("Q");
    assert!(t.wait_exit(10));
    // Quitting frees it again.
    assert_eq!(count(&t.raw(), b"a=d,d=I,"), 2);
}

#[test]
fn a_sixel_terminal_gets_a_sixel_image_written_only_when_it_moves() {
    let home = tempfile::tempdir().unwrap();
    let _server = lighthouse(home.path());
    let mut t = Term::start_env(home.path(), &[], 130, 40, PLAIN_PATIENT);
    wait_raw(&t, QUERY, 1, 10);
    t.send("\x1b[?62;4;22c");
    open_article(&mut t);
    wait_raw(&t, SIXEL, 1, 10);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(count(&t.raw(), SIXEL), 1);
    assert!(t.cells_showing("▀").is_empty(), "{}", t.screen());
    // Frames where nothing moved (keys bound to nothing): no new sixel.
    t.send("%");
    t.send("%");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(count(&t.raw(), SIXEL), 1, "not written again");
    // The article scrolled by a line: the image moves, and is written there.
    t.send("j");
    wait_raw(&t, SIXEL, 2, 5);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(count(&t.raw(), SIXEL), 2);
    t.send("Q");
    assert!(t.wait_exit(10));
}

#[test]
fn a_terminal_that_never_answers_gets_half_blocks_and_a_late_answer_is_no_keys() {
    let home = tempfile::tempdir().unwrap();
    let _server = lighthouse(home.path());
    let mut t = Term::start_env(home.path(), &[], 130, 40, PLAIN);
    wait_raw(&t, QUERY, 1, 10);
    // The first frame was written before the query.
    let raw = t.raw();
    let frame = find(&raw, b"Feeds").expect("a first frame");
    assert!(frame < find(&raw, QUERY).unwrap(), "the query came first");
    open_article(&mut t);
    let deadline = Instant::now() + Duration::from_secs(10);
    while t.cells_showing("▀").len() < 24 * 6 {
        assert!(Instant::now() < deadline, "no half blocks:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    let before = t.screen();
    // Long after the reader stopped waiting: kitty's answer, the cell size, then the device
    // attributes. As keys they would be Alt+_, G (to the end), i (images off), ... and Alt+\.
    t.send("\x1b_Gi=31;OK\x1b\\\x1b[6;16;8t\x1b[?62;c");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(t.screen(), before, "the late answer acted as keys");
    assert_eq!(t.cells_showing("▀").len(), 24 * 6);
    // Keys after it work.
    t.send("i");
    t.wait_for("Images off", 5);
    let raw = t.raw();
    assert_eq!(count(&raw, KITTY_SEND), 0);
    assert_eq!(count(&raw, SIXEL), 0);
    t.send("Q");
    assert!(t.wait_exit(10));
}

#[test]
fn an_iterm2_terminal_named_by_its_environment_gets_an_inline_png_unasked() {
    let home = tempfile::tempdir().unwrap();
    let _server = lighthouse(home.path());
    let mut env = PLAIN.to_vec();
    env[2] = ("TERM_PROGRAM", "iTerm.app");
    let mut t = Term::start_env(home.path(), &[], 130, 40, &env);
    open_article(&mut t);
    wait_raw(&t, b"\x1b]1337;File=inline=1;", 1, 10);
    assert!(count(&t.raw(), b";width=24;height=6;") == 1);
    std::thread::sleep(Duration::from_millis(300));
    assert!(t.cells_showing("▀").is_empty(), "{}", t.screen());
    t.send("Q");
    assert!(t.wait_exit(10));
    let raw = t.raw();
    assert_eq!(
        find(&raw, QUERY),
        None,
        "the environment said it: nothing asked"
    );
    assert_eq!(count(&raw, b"\x1b]1337;"), 1);
    // A PNG made here: its base64 starts with the PNG signature.
    assert!(count(&raw, b":iVBORw0KGgo") == 1);
}

#[test]
fn inside_tmux_nothing_is_asked_and_images_are_half_blocks() {
    let home = tempfile::tempdir().unwrap();
    let _server = lighthouse(home.path());
    let mut env = PLAIN.to_vec();
    env[0] = ("TMUX", "/tmp/tmux-1000/default,4242,0");
    let mut t = Term::start_env(home.path(), &[], 130, 40, &env);
    open_article(&mut t);
    let deadline = Instant::now() + Duration::from_secs(10);
    while t.cells_showing("▀").len() < 24 * 6 {
        assert!(Instant::now() < deadline, "no half blocks:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    t.send("Q");
    assert!(t.wait_exit(10));
    assert_nothing_asked(&t.raw(), "in tmux");
}

#[test]
fn with_images_on_halfblocks_or_off_nothing_is_asked() {
    for mode in ["halfblocks", "off"] {
        let home = tempfile::tempdir().unwrap();
        let _server = lighthouse(home.path());
        let config = std::fs::read_to_string(home.path().join("config.toml")).unwrap();
        let config = config.replace("images = \"auto\"", &format!("images = \"{mode}\""));
        std::fs::write(home.path().join("config.toml"), config).unwrap();
        let mut t = Term::start_env(home.path(), &[], 130, 40, PLAIN);
        open_article(&mut t);
        std::thread::sleep(Duration::from_millis(400));
        t.send("Q");
        assert!(t.wait_exit(10));
        assert_nothing_asked(&t.raw(), mode);
    }
}

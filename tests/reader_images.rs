//! Images in the reader: the real binary in a pseudo-terminal draws an article's image, fetched
//! from a 127.0.0.1 server, as coloured half blocks; an image bomb and an SVG are refused (their
//! alt text stays); the image is kept in the image cache and shows again with the server gone.

mod support;

use support::cli::{stderr, stdout, tidings};
use support::images::{harbour_feed, png};
use support::pty::Term;
use support::server::{Reply, TestServer};

/// CRC-32 as PNG chunks carry it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A real PNG whose header claims 30000 x 30000 pixels: 3.6 GB once decoded.
fn bomb() -> Vec<u8> {
    let mut b = png(1, 1, [0, 255, 0]);
    b[16..20].copy_from_slice(&30_000u32.to_be_bytes());
    b[20..24].copy_from_slice(&30_000u32.to_be_bytes());
    let crc = crc32(&b[12..29]);
    b[29..33].copy_from_slice(&crc.to_be_bytes());
    b
}

fn harbour(home: &std::path::Path) -> TestServer {
    std::fs::write(
        home.join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\nmouse = false\n\
         images = \"halfblocks\"\nimage_max_height = 6\n",
    )
    .unwrap();
    let server = TestServer::start();
    let body = format!(
        "<p>The new harbour light, seen from the pier.</p>\
         <img src=\"{}\" alt=\"Red lamp\">\
         <img src=\"{}\" alt=\"Green bomb\">\
         <img src=\"{}\" alt=\"Vector map\">\
         <p>It shines red.</p>",
        server.url("/red.png"),
        server.url("/bomb.png"),
        server.url("/map.svg"),
    );
    server.route("/feed.xml", Reply::ok(harbour_feed(&body)));
    server.route(
        "/red.png",
        Reply::ok(png(24, 12, [255, 0, 0])).content_type("image/png"),
    );
    server.route("/bomb.png", Reply::ok(bomb()).content_type("image/png"));
    // An SVG served as a PNG: refused by its content.
    server.route(
        "/map.svg",
        Reply::ok(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\
             <rect width=\"10\" height=\"10\" fill=\"#0f0\"/></svg>",
        )
        .content_type("image/png"),
    );
    server
}

/// Waits until the screen shows `n` half blocks or more; returns their colours.
fn wait_for_blocks(t: &Term, n: usize) -> Vec<(vt100::Color, vt100::Color)> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let cells = t.cells_showing("▀");
        if cells.len() >= n {
            return cells;
        }
        if std::time::Instant::now() > deadline {
            panic!("no image drawn; the screen shows:\n{}", t.screen());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn an_image_is_drawn_as_half_blocks_and_a_bomb_and_an_svg_are_refused() {
    let home = tempfile::tempdir().unwrap();
    let server = harbour(home.path());
    let out = tidings(home.path(), &["add", &server.url("/feed.xml")]);
    assert!(out.status.success(), "{}", stderr(&out));

    let mut t = Term::start(home.path(), &[], 130, 40);
    t.wait_for("Harbour light", 10);
    t.send("\r");
    t.wait_for("It shines red.", 5);
    // 24 x 12 pixels: 24 columns, 6 rows of half blocks, all red.
    let red = vt100::Color::Rgb(255, 0, 0);
    let cells = wait_for_blocks(&t, 24 * 6);
    assert_eq!(cells.len(), 24 * 6, "{}", t.screen());
    assert!(cells.iter().all(|&c| c == (red, red)), "{cells:?}");
    // The refused ones keep their alt text, and draw nothing.
    let s = t.screen();
    for alt in [
        "[image: Red lamp]",
        "[image: Green bomb]",
        "[image: Vector map]",
    ] {
        assert!(s.contains(alt), "{alt} missing:\n{s}");
    }
    assert_eq!(server.requests_to("/bomb.png").len(), 1);
    assert_eq!(server.requests_to("/map.svg").len(), 1);

    // i: alt text only; i again: the image again (from memory, not fetched again).
    t.send("i");
    t.wait_for("Images off", 5);
    assert!(t.cells_showing("▀").is_empty(), "{}", t.screen());
    t.send("i");
    wait_for_blocks(&t, 24 * 6);
    t.send("Q");
    assert!(t.wait_exit(10));
    assert_eq!(server.requests_to("/red.png").len(), 1);

    // Kept in the image cache, which `tidings paths` names: only the image that decoded.
    let out = tidings(home.path(), &["paths"]);
    let line = stdout(&out)
        .lines()
        .find_map(|l| l.strip_prefix("images: ").map(str::to_string))
        .expect("tidings paths names the image cache");
    let kept: Vec<_> = std::fs::read_dir(line.trim()).unwrap().collect();
    assert_eq!(kept.len(), 1, "{kept:?}");

    // The server forgets the image: it shows from the cache.
    server.route("/red.png", Reply::status(404));
    let mut t = Term::start(home.path(), &[], 130, 40);
    t.wait_for("Harbour light", 10);
    t.send("\r");
    t.wait_for("It shines red.", 5);
    let cells = wait_for_blocks(&t, 24 * 6);
    assert!(cells.iter().all(|&c| c == (red, red)));
    t.send("Q");
    assert!(t.wait_exit(10));
    assert_eq!(server.requests_to("/red.png").len(), 1, "not fetched again");
}

#[test]
fn images_off_fetches_nothing_and_shows_the_alt_text() {
    let home = tempfile::tempdir().unwrap();
    let server = harbour(home.path());
    let out = tidings(home.path(), &["add", &server.url("/feed.xml")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let config = std::fs::read_to_string(home.path().join("config.toml")).unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "{config}\n[[feed]]\nurl = \"{}\"\nimages = \"off\"\n",
            server.url("/feed.xml")
        ),
    )
    .unwrap();
    let mut t = Term::start(home.path(), &[], 130, 40);
    t.wait_for("Harbour light", 10);
    t.send("\r");
    t.wait_for("[image: Red lamp]", 5);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(t.cells_showing("▀").is_empty(), "{}", t.screen());
    t.send("Q");
    assert!(t.wait_exit(10));
    assert!(server.requests_to("/red.png").is_empty());
}

#[test]
fn images_offline_fetches_the_images_of_new_items_with_the_feed() {
    let home = tempfile::tempdir().unwrap();
    let server = harbour(home.path());
    let config = std::fs::read_to_string(home.path().join("config.toml")).unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "{config}\n[[feed]]\nurl = \"{}\"\nimages_offline = true\n",
            server.url("/feed.xml")
        ),
    )
    .unwrap();
    // `add` stores the first items and fetches their images: the bomb and the SVG are refused.
    let out = tidings(home.path(), &["add", &server.url("/feed.xml")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 images kept for offline reading"),
        "{}",
        stdout(&out)
    );
    assert_eq!(server.requests_to("/red.png").len(), 1);
    let dir = home.path().join("images");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);

    // A new item comes with the next fetch: its image is fetched with it.
    server.route(
        "/feed.xml",
        Reply::ok(format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour News</title>\
             <item><guid>2</guid><title>Blue boat</title><description><![CDATA[<p>A boat.</p>\
             <img src=\"{}\" alt=\"Blue boat\">]]></description></item></channel></rss>",
            server.url("/blue.png")
        )),
    );
    server.route(
        "/blue.png",
        Reply::ok(png(8, 8, [0, 0, 255])).content_type("image/png"),
    );
    let out = tidings(home.path(), &["fetch"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.requests_to("/blue.png").len(), 1);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);

    // Offline: the server forgets it, the reader draws it from the cache.
    server.route("/blue.png", Reply::status(404));
    let mut t = Term::start(home.path(), &[], 130, 40);
    t.wait_for("Blue boat", 10);
    t.send("\r");
    t.wait_for("[image: Blue boat]", 5);
    let blue = vt100::Color::Rgb(0, 0, 255);
    let cells = wait_for_blocks(&t, 8 * 4);
    assert!(cells.iter().all(|&c| c == (blue, blue)), "{cells:?}");
    t.send("Q");
    assert!(t.wait_exit(10));
    assert_eq!(server.requests_to("/blue.png").len(), 1);
}

//! `[[feed]]` tables against the real binary and real HTTP servers on 127.0.0.1: the user agent,
//! a header and Basic credentials reach the feed's own origin and never another port; a
//! `password_command` and a `.netrc`; `fetch --due`; retention per feed; `dedup = false`; the
//! title and tags `tidings feeds` shows; a table's `full_text` winning over `add --full-text`;
//! and `tidings set`.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use base64::Engine as _;
use support::server::{Reply, TestServer};

/// Runs `tidings --home HOME ARGS...` with nothing of the caller's environment that could send
/// a request elsewhere: no proxy variables, no `.netrc` but the test's.
fn tidings_env(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidings"));
    cmd.arg("--home")
        .arg(home)
        .args(args)
        .env_remove("TIDINGS_HOME");
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NETRC", home.join("no-netrc")).env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn tidings(home: &Path, args: &[&str]) -> Output {
    tidings_env(home, args, &[])
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An RSS document titled `title` with `n` items, each linking to `link_base/N`, dated a day apart
/// from now back.
fn rss(title: &str, n: usize, link_base: &str, extra: &str) -> String {
    let now = chrono::Utc::now();
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://site.example/</link>{extra}"
    );
    for i in 0..n {
        let date = (now - chrono::Duration::days(i as i64)).to_rfc2822();
        s.push_str(&format!(
            "<item><guid>{title}-{i}</guid><title>{title} item {i}</title>\
             <link>{link_base}/{i}</link><pubDate>{date}</pubDate>\
             <description>A short teaser {i}.</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn write_config(home: &Path, text: &str) {
    std::fs::create_dir_all(home).unwrap();
    std::fs::write(home.join("config.toml"), text).unwrap();
}

fn feeds_json(home: &Path) -> Vec<serde_json::Value> {
    serde_json::from_str(&ok(&tidings(home, &["feeds", "--json"]))).unwrap()
}

fn basic(user: &str, password: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {token}")
}

#[test]
fn agent_header_and_credentials_go_to_the_feed_origin_and_never_to_another_port() {
    let home = tempfile::tempdir().unwrap();
    let feed_server = TestServer::start();
    let elsewhere = TestServer::start();
    let url = feed_server.url("/feed.xml");
    feed_server.route(
        "/feed.xml",
        Reply::ok(rss("Private", 2, "https://site.example", "")),
    );
    write_config(
        home.path(),
        &format!(
            "[[feed]]\nurl = \"{url}\"\nuser_agent = \"PerFeedBot/2\"\n\
             headers = {{ \"X-Token\" = \"tok-123\" }}\nusername = \"me\"\n\
             password_command = [\"sh\", \"-c\", \"echo s3cret-pw\"]\n"
        ),
    );
    let added = tidings(home.path(), &["add", &url]);
    ok(&added);
    assert!(
        stderr(&added).contains("plain http"),
        "Basic auth over http warns: {}",
        stderr(&added)
    );
    let fetched = tidings(home.path(), &["fetch"]);
    ok(&fetched);
    let all = feed_server.requests_to("/feed.xml");
    assert_eq!(all.len(), 2, "add and fetch");
    for r in &all {
        assert_eq!(r.header("user-agent"), Some("PerFeedBot/2"));
        assert_eq!(r.header("x-token"), Some("tok-123"));
        assert_eq!(
            r.header("authorization"),
            Some(basic("me", "s3cret-pw").as_str())
        );
    }
    let warned = stderr(&fetched);
    assert_eq!(warned.matches("plain http").count(), 1, "{warned}");
    assert!(!warned.contains("s3cret"), "{warned}");

    // Now the feed moves to another port of 127.0.0.1: another origin.
    elsewhere.route(
        "/moved.xml",
        Reply::ok(rss("Private", 3, "https://site.example", "")),
    );
    feed_server.route(
        "/feed.xml",
        Reply::redirect(302, &elsewhere.url("/moved.xml")),
    );
    ok(&tidings(home.path(), &["fetch"]));
    let hop = &feed_server.requests_to("/feed.xml")[2];
    assert_eq!(hop.header("x-token"), Some("tok-123"));
    let moved = elsewhere.requests_to("/moved.xml");
    assert_eq!(moved.len(), 1);
    assert_eq!(
        moved[0].header("authorization"),
        None,
        "credentials stay behind"
    );
    assert_eq!(moved[0].header("x-token"), None, "the header stays behind");
    assert_eq!(
        feeds_json(home.path())[0]["items"],
        3,
        "the feed was read there"
    );
    // Nothing of the secret reached the cache or the log.
    for file in ["cache.db", "tidings.log"] {
        for entry in walk(home.path()) {
            if entry
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(file))
            {
                let bytes = std::fs::read(&entry).unwrap();
                assert!(
                    !bytes.windows(9).any(|w| w == b"s3cret-pw"),
                    "{} holds the password",
                    entry.display()
                );
            }
        }
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn netrc_gives_the_credentials_of_its_exact_machine_entry() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let url = server.url("/feed.xml");
    server.route(
        "/feed.xml",
        Reply::ok(rss("N", 1, "https://site.example", "")),
    );
    let netrc = home.path().join("netrc");
    std::fs::write(
        &netrc,
        "machine 127.0.0.2 login wrong password wrong\n\
         machine 127.0.0.1\n  login reader\n  password from-netrc\n\
         default login any password any\n",
    )
    .unwrap();
    write_config(
        home.path(),
        &format!("[[feed]]\nurl = \"{url}\"\nnetrc = true\n"),
    );
    let env = [("NETRC", netrc.to_str().unwrap())];
    ok(&tidings_env(home.path(), &["add", &url], &env));
    ok(&tidings_env(home.path(), &["fetch"], &env));
    for r in server.requests_to("/feed.xml") {
        assert_eq!(
            r.header("authorization"),
            Some(basic("reader", "from-netrc").as_str())
        );
    }
    // Without an entry for the host, the feed is fetched without credentials, with a warning.
    std::fs::write(&netrc, "default login any password any\n").unwrap();
    let o = tidings_env(home.path(), &["fetch"], &env);
    ok(&o);
    assert!(stderr(&o).contains("machine 127.0.0.1"), "{}", stderr(&o));
    assert_eq!(
        server.requests_to("/feed.xml")[2].header("authorization"),
        None
    );
}

#[test]
fn a_failing_password_command_is_a_warning_that_quotes_nothing_it_printed() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let url = server.url("/feed.xml");
    server.route(
        "/feed.xml",
        Reply::ok(rss("P", 1, "https://site.example", "")),
    );
    write_config(
        home.path(),
        &format!(
            "[[feed]]\nurl = \"{url}\"\nusername = \"me\"\n\
             password_command = [\"sh\", \"-c\", \"echo half-secret; exit 4\"]\n"
        ),
    );
    let o = tidings(home.path(), &["add", &url]);
    ok(&o);
    let err = stderr(&o);
    assert!(err.contains("password_command \"sh\" failed"), "{err}");
    assert!(!err.contains("half-secret"), "{err}");
    assert_eq!(
        server.requests_to("/feed.xml")[0].header("authorization"),
        None
    );
}

#[test]
fn fetch_due_skips_a_feed_not_due_by_its_setting_or_its_own_hint() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let (set, hinted, plain) = (
        server.url("/set.xml"),
        server.url("/ttl.xml"),
        server.url("/plain.xml"),
    );
    server.route(
        "/set.xml",
        Reply::ok(rss("Set", 1, "https://site.example", "")),
    );
    server.route(
        "/ttl.xml",
        Reply::ok(rss("Hinted", 1, "https://site.example", "<ttl>120</ttl>")),
    );
    server.route(
        "/plain.xml",
        Reply::ok(rss("Plain", 1, "https://site.example", "")),
    );
    write_config(
        home.path(),
        &format!("[[feed]]\nurl = \"{set}\"\nmin_refresh_minutes = 60\n"),
    );
    for url in [&set, &hinted, &plain] {
        ok(&tidings(home.path(), &["add", url]));
    }
    // A plain fetch fetches every feed, and keeps the hint of the one that gives one.
    ok(&tidings(home.path(), &["fetch"]));
    let count = |p: &str| server.requests_to(p).len();
    assert_eq!(
        (count("/set.xml"), count("/ttl.xml"), count("/plain.xml")),
        (2, 2, 2)
    );
    let o = tidings(home.path(), &["fetch", "--due"]);
    ok(&o);
    assert!(stderr(&o).contains("2 feeds not due yet"), "{}", stderr(&o));
    assert_eq!(
        (count("/set.xml"), count("/ttl.xml"), count("/plain.xml")),
        (2, 2, 3),
        "only the feed with neither a setting nor a hint was due"
    );
}

#[test]
fn retention_per_feed_wins_over_the_global_one() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let (short, long) = (server.url("/short.xml"), server.url("/long.xml"));
    server.route(
        "/short.xml",
        Reply::ok(rss("Short", 6, "https://site.example", "")),
    );
    server.route(
        "/long.xml",
        Reply::ok(rss("Long", 6, "https://site.example", "")),
    );
    write_config(
        home.path(),
        &format!(
            "[retention]\nmax_items_per_feed = 4\nkeep_unread = false\n\n\
             [[feed]]\nurl = \"{short}\"\nmax_items_per_feed = 2\n"
        ),
    );
    ok(&tidings(home.path(), &["add", &short]));
    ok(&tidings(home.path(), &["add", &long]));
    ok(&tidings(home.path(), &["fetch"]));
    let items: Vec<(String, u64)> = feeds_json(home.path())
        .iter()
        .map(|f| {
            (
                f["title"].as_str().unwrap().to_string(),
                f["items"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(items, [("Long".to_string(), 4), ("Short".to_string(), 2)]);
}

/// Two feeds carrying the same story (same link and title, a real paragraph).
fn story_feed(name: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {name}</title>\
         <link>https://{name}.example/</link><item><guid>{name}-a</guid>\
         <title>Flood barrier stays closed</title><link>https://news.example/flood</link>\
         <pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate><description>&lt;p&gt;The river \
         authority said on Monday that the flood barrier would stay closed for another week \
         while engineers inspect it.&lt;/p&gt;</description></item></channel></rss>"
    )
}

#[test]
fn a_feed_without_dedup_joins_no_story() {
    let run = |lone: bool| -> Vec<serde_json::Value> {
        let home = tempfile::tempdir().unwrap();
        let server = TestServer::start();
        let (f, g) = (server.url("/f.xml"), server.url("/g.xml"));
        server.route("/f.xml", Reply::ok(story_feed("f")));
        server.route("/g.xml", Reply::ok(story_feed("g")));
        let table = format!("[[feed]]\nurl = \"{g}\"\ndedup = false\n");
        write_config(home.path(), if lone { &table } else { "" });
        ok(&tidings(home.path(), &["add", &f]));
        ok(&tidings(home.path(), &["add", &g]));
        ok(&tidings(home.path(), &["fetch"]));
        serde_json::from_str(&ok(&tidings(home.path(), &["show", "all", "--json"]))).unwrap()
    };
    let merged = run(false);
    assert_eq!(merged.len(), 1, "one story: {merged:?}");
    assert_eq!(merged[0]["also_in"].as_array().unwrap().len(), 1);
    let apart = run(true);
    let mut feeds: Vec<&str> = apart.iter().map(|i| i["feed"].as_str().unwrap()).collect();
    feeds.sort();
    assert_eq!(feeds, ["Feed f", "Feed g"], "{apart:?}");
    assert!(
        apart
            .iter()
            .all(|i| i["also_in"].as_array().unwrap().is_empty())
    );
}

#[test]
fn feeds_shows_a_table_title_and_its_extra_tags_by_tag_and_by_url() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let url = server.url("/feed.xml");
    server.route(
        "/feed.xml",
        Reply::ok(rss("Own title", 1, "https://site.example", "")),
    );
    write_config(
        home.path(),
        &format!(
            "[[feed]]\ntag = \"base\"\ntitle = \"From the tag\"\ntags = [\"tagged\"]\n\n\
             [[feed]]\nurl = \"{url}\"\ntitle = \"From the URL\"\n"
        ),
    );
    ok(&tidings(home.path(), &["add", &url, "--tag", "base"]));
    let f = &feeds_json(home.path())[0];
    assert_eq!(f["title"], "From the URL");
    assert_eq!(f["tags"], serde_json::json!(["base", "tagged"]));
    assert_eq!(
        f["settings_from_config"],
        serde_json::json!(["title", "tags"])
    );
    let table = ok(&tidings(home.path(), &["feeds"]));
    assert!(table.contains("From the URL"), "{table}");
    let shown = ok(&tidings(home.path(), &["show", "all", "--json"]));
    assert!(shown.contains("\"feed\": \"From the URL\""), "{shown}");
}

/// The titles of the items `show all --filter EXPR --json` lists.
fn filtered(home: &Path, expr: &str) -> Vec<String> {
    let out = ok(&tidings(home, &["show", "all", "--filter", expr, "--json"]));
    let items: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let mut titles: Vec<String> = items
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

#[test]
fn a_table_tag_is_a_tag_for_filters_and_stays_out_of_the_feeds_own() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let (a, b) = (server.url("/a.xml"), server.url("/b.xml"));
    server.route(
        "/a.xml",
        Reply::ok(rss("Alpha", 1, "https://a.example", "")),
    );
    server.route("/b.xml", Reply::ok(rss("Beta", 1, "https://b.example", "")));
    ok(&tidings(home.path(), &["add", &a, "--tag", "own"]));
    ok(&tidings(home.path(), &["add", &b]));
    assert!(filtered(home.path(), "tag:morning").is_empty());
    write_config(
        home.path(),
        &format!("[[feed]]\nurl = \"{b}\"\ntags = [\"morning\"]\n"),
    );
    assert_eq!(filtered(home.path(), "tag:morning"), ["Beta item 0"]);
    assert_eq!(filtered(home.path(), "tag:own"), ["Alpha item 0"]);
    // Rules see it too.
    write_config(
        home.path(),
        &format!(
            "[[feed]]\nurl = \"{b}\"\ntags = [\"morning\"]\n\n\
             [[rule]]\nfilter = \"tag:morning\"\naction = \"star\"\n"
        ),
    );
    ok(&tidings(home.path(), &["rules", "apply"]));
    assert_eq!(filtered(home.path(), "starred"), ["Beta item 0"]);
    // Without the table, the tag is gone; the feed's own tags never held it.
    write_config(home.path(), "");
    assert!(filtered(home.path(), "tag:morning").is_empty());
    let beta = feeds_json(home.path())
        .into_iter()
        .find(|f| f["title"] == "Beta")
        .unwrap();
    assert_eq!(beta["tags"], serde_json::json!([]));
}

#[test]
fn a_table_full_text_wins_over_add_and_set_says_so() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let url = server.url("/feed.xml");
    let pages = server.url("/page");
    server.route("/feed.xml", Reply::ok(rss("Teasers", 2, &pages, "")));
    for i in 0..2 {
        server.route(
            &format!("/page/{i}"),
            Reply::ok(format!(
                "<html><body><article><p>{}</p></article></body></html>",
                "Long article text. ".repeat(80)
            ))
            .content_type("text/html"),
        );
    }
    write_config(
        home.path(),
        &format!("[[feed]]\nurl = \"{url}\"\nfull_text = \"never\"\n"),
    );
    ok(&tidings(
        home.path(),
        &["add", &url, "--full-text", "always"],
    ));
    let f = &feeds_json(home.path())[0];
    assert_eq!(f["full_text"], "never");
    assert_eq!(
        f["full_text_why"],
        "never: set by the [[feed]] table at line 1 of the config"
    );
    ok(&tidings(home.path(), &["fetch"]));
    let asked: Vec<String> = server
        .requests()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| p.starts_with("/page"))
        .collect();
    assert!(
        asked.is_empty(),
        "pages fetched for a feed set to never: {asked:?}"
    );

    let o = tidings(
        home.path(),
        &["set", "1", "--full-text", "always", "--title", "Mine"],
    );
    let out = ok(&o);
    assert!(out.contains("full text always"), "{out}");
    let note = stderr(&o);
    assert!(
        note.contains("`full_text` is set for this feed by the [[feed]] table at")
            && note.contains("config.toml:1"),
        "{note}"
    );
    assert!(!note.contains("`title`"), "no table sets the title: {note}");
    let f = &feeds_json(home.path())[0];
    assert_eq!(f["full_text"], "never", "the table still wins");
    assert_eq!(f["title"], "Mine");
}

#[test]
fn set_changes_and_clears_the_stored_selector_and_mode() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let url = server.url("/feed.xml");
    server.route(
        "/feed.xml",
        Reply::ok(rss("S", 1, "https://site.example", "")),
    );
    ok(&tidings(
        home.path(),
        &["add", &url, "--full-text-selector", "div.old"],
    ));
    assert_eq!(feeds_json(home.path())[0]["full_text_selector"], "div.old");
    let o = tidings(
        home.path(),
        &[
            "set",
            &url,
            "--full-text-selector",
            "main p",
            "--full-text",
            "never",
        ],
    );
    ok(&o);
    assert!(stderr(&o).is_empty(), "no table, no note: {}", stderr(&o));
    let f = &feeds_json(home.path())[0];
    assert_eq!(f["full_text_selector"], "main p");
    assert_eq!(f["full_text"], "never");
    ok(&tidings(
        home.path(),
        &["set", "S", "--full-text-selector", "", "--full-text", ""],
    ));
    let f = &feeds_json(home.path())[0];
    assert_eq!(f["full_text_selector"], serde_json::Value::Null);
    assert_eq!(f["full_text"], "auto");
    let bad = tidings(home.path(), &["set", "S", "--full-text-selector", "div["]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("not a CSS selector"),
        "{}",
        stderr(&bad)
    );
    let nothing = tidings(home.path(), &["set", "S"]);
    assert!(
        stderr(&nothing).contains("nothing to set"),
        "{}",
        stderr(&nothing)
    );
}

#[test]
fn an_unknown_key_in_a_feed_table_names_file_and_line() {
    let home = tempfile::tempdir().unwrap();
    write_config(
        home.path(),
        "[reader]\nmouse = false\n\n[[feed]]\ntag = \"x\"\nmax_items = 3\n",
    );
    let o = tidings(home.path(), &["feeds"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("config.toml:6:"), "{e}");
    assert!(e.contains("unknown key `max_items` in [[feed]]"), "{e}");
}

#[test]
fn proxies_from_a_feed_table_from_fetch_and_from_the_environment() {
    let home = tempfile::tempdir().unwrap();
    let proxy = TestServer::start();
    // Addresses on a closed port of another loopback address: reached only through the proxy,
    // which sees them in absolute form.
    let own = "http://127.0.0.2:9/own.xml";
    let global = "http://127.0.0.2:9/global.xml";
    for (url, title) in [(own, "Own"), (global, "Global")] {
        proxy.route(url, Reply::ok(rss(title, 1, "https://site.example", "")));
    }
    let through = proxy.url("");
    write_config(
        home.path(),
        &format!("[[feed]]\nurl = \"{own}\"\nproxy = \"{through}\"\n"),
    );
    ok(&tidings(home.path(), &["add", own]));
    assert_eq!(
        proxy.requests_to(own).len(),
        1,
        "add went through the feed's proxy"
    );
    let refused = tidings(home.path(), &["add", global]);
    assert!(!refused.status.success(), "no proxy for this one");
    // The environment's proxy, when the config names none.
    ok(&tidings_env(
        home.path(),
        &["add", global],
        &[("HTTP_PROXY", &through)],
    ));
    assert_eq!(proxy.requests_to(global).len(), 1);
    // `[fetch] proxy` for every feed without one of its own.
    write_config(
        home.path(),
        &format!(
            "[fetch]\nproxy = \"{through}\"\n\n[[feed]]\nurl = \"{own}\"\nproxy = \"{through}\"\n"
        ),
    );
    let o = tidings(home.path(), &["fetch", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&ok(&o)).unwrap();
    assert_eq!(report["updated"], 2, "{report}");
    assert_eq!(
        (
            proxy.requests_to(own).len(),
            proxy.requests_to(global).len()
        ),
        (2, 2)
    );
}

/// A SOCKS5 proxy on 127.0.0.1 that takes no authentication, records each target as the client
/// named it, and connects every target to `upstream` (so no name is ever resolved).
fn socks5_proxy(
    upstream: std::net::SocketAddr,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { return };
            let record = std::sync::Arc::clone(&record);
            std::thread::spawn(move || -> std::io::Result<()> {
                let mut head = [0u8; 2];
                client.read_exact(&mut head)?;
                let mut methods = vec![0u8; usize::from(head[1])];
                client.read_exact(&mut methods)?;
                client.write_all(&[5, 0])?;
                let mut req = [0u8; 4];
                client.read_exact(&mut req)?;
                let target = match req[3] {
                    3 => {
                        let mut len = [0u8; 1];
                        client.read_exact(&mut len)?;
                        let mut name = vec![0u8; usize::from(len[0])];
                        client.read_exact(&mut name)?;
                        String::from_utf8_lossy(&name).into_owned()
                    }
                    1 => {
                        let mut ip = [0u8; 4];
                        client.read_exact(&mut ip)?;
                        std::net::Ipv4Addr::from(ip).to_string()
                    }
                    _ => return Ok(()),
                };
                let mut port = [0u8; 2];
                client.read_exact(&mut port)?;
                record
                    .lock()
                    .unwrap()
                    .push(format!("{target}:{}", u16::from_be_bytes(port)));
                let server = TcpStream::connect(upstream)?;
                client.write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0])?;
                let (mut c2, mut s2) = (client.try_clone()?, server.try_clone()?);
                let up = std::thread::spawn(move || std::io::copy(&mut c2, &mut s2));
                let mut server = server;
                std::io::copy(&mut server, &mut client)?;
                let _ = up.join();
                Ok(())
            });
        }
    });
    (format!("socks5h://{addr}"), seen)
}

#[test]
fn a_socks5h_proxy_gets_the_feed_name_unresolved() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Reply::ok(rss("Socks", 2, "https://site.example", "")),
    );
    let (proxy, seen) = socks5_proxy(server.addr());
    // A reserved name that no resolver knows: only the proxy can take it anywhere.
    let url = "http://feeds.invalid/feed.xml";
    write_config(
        home.path(),
        &format!("[[feed]]\nurl = \"{url}\"\nproxy = \"{proxy}\"\n"),
    );
    let out = ok(&tidings(home.path(), &["add", url]));
    assert!(out.contains("2 items"), "{out}");
    assert_eq!(*seen.lock().unwrap(), ["feeds.invalid:80"]);
    assert_eq!(
        server.requests_to("/feed.xml")[0].header("host"),
        Some("feeds.invalid")
    );
}

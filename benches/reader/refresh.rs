//! Keypress to frame while a refresh runs in the same process: the reader's own loop (messages
//! in, the pure `update`, one `render` into a 200x50 test backend per batch), its real cache
//! worker on a real cache file, and a refresh of 500 new feeds x 50 items (the shared corpus of
//! `benches/fetch.sh`, served by `../shared/bench/serve.py` on 127.0.0.1..50 with 50 ms added
//! latency) storing, digesting and indexing into that same file, started the way the reader
//! starts one (its thread lowered with `session::priority`, a tokio runtime, `refresh::run`).
//!
//! The cache first holds another 500 feeds x 50 items, so that scrolling loads windows of
//! headlines from the file while the refresh writes. A "keyboard" thread presses Down every
//! 8 ms (Top at the end of the list) and toggles the read mark of the selected item every
//! 100th key (a write, which goes through the worker). Each key's time runs from the moment it
//! is sent until the frame that shows it is drawn, waiting in the loop's queue included.
//!
//! The server has compressed every feed of the measured refreshes before they start (`warm`), as
//! remote servers do their own work elsewhere.
//!
//! Printed: p50, p99 and the maximum of keys pressed with no refresh, during the refresh as the
//! reader runs it, and during a refresh left at the interface's priority (for comparison).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tidings::app::{Command, Msg, State, update};
use tidings::config::ReaderSettings;
use tidings::config::keymap::{Action, Keymap};
use tidings::config::theme::Theme;
use tidings::content::dedup::DedupOptions;
use tidings::refresh::{self, RefreshOptions};
use tidings::store::Store;

const FEEDS: usize = 500;
const ITEMS: usize = 50;
const HOSTS: usize = 50;
const KEY_EVERY: Duration = Duration::from_millis(8);
/// Keys pressed with no refresh under way.
const IDLE_KEYS: usize = 1000;

/// The loopback feed server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench")
}

/// Writes the corpus `name` (seed `seed`) under `root`.
fn corpus(root: &Path, name: &str, seed: u32) {
    let ok = Process::new("python3")
        .arg(bench_dir().join("gen_corpus.py"))
        .arg("--out")
        .arg(root.join(name))
        .args(["--feeds", &FEEDS.to_string(), "--items", &ITEMS.to_string()])
        .args(["--seed", &seed.to_string()])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3")
        .success();
    assert!(ok, "gen_corpus.py failed");
}

fn serve(root: &Path, work: &Path) -> Server {
    let port_file = work.join("port");
    let child = Process::new("python3")
        .arg(bench_dir().join("serve.py"))
        .arg("--root")
        .arg(root)
        .args(["--port", "0", "--port-file"])
        .arg(&port_file)
        .args(["--delay-ms", "50", "--hosts", &HOSTS.to_string()])
        .args(["--max-seconds", "1800"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3");
    // From here on the server is stopped (and waited for) when dropped, panics included.
    let mut server = Server { child, port: 0 };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(text) = std::fs::read_to_string(&port_file)
            && let Ok(port) = text.trim().parse()
        {
            server.port = port;
            return server;
        }
        assert!(Instant::now() < deadline, "the feed server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Asks the server for every feed of the corpus `name` once, gzip accepted, as a refresh will.
/// The server compresses a file on its first request and keeps the result: 6-7 s of processor
/// time for a corpus, which a remote server spends on its own machine. Done beforehand, it does
/// not compete with the interface during the measured refresh (it held both cores for up to
/// 74 ms at a time while a key waited).
fn warm(server: &Server, root: &Path, name: &str) {
    use std::io::{Read, Write};
    let list = std::fs::read_to_string(root.join(name).join("feeds.txt")).unwrap();
    let files: Vec<String> = list.lines().map(str::to_string).collect();
    let port = server.port;
    std::thread::scope(|scope| {
        for chunk in files.chunks(files.len().div_ceil(16).max(1)) {
            scope.spawn(move || {
                for file in chunk {
                    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
                    write!(
                        conn,
                        "GET /{name}/{file} HTTP/1.0\r\nHost: 127.0.0.1\r\n\
                         Accept-Encoding: gzip\r\n\r\n"
                    )
                    .unwrap();
                    let mut answer = Vec::new();
                    conn.read_to_end(&mut answer).unwrap();
                    assert!(
                        answer.starts_with(b"HTTP/1.0 200") || answer.starts_with(b"HTTP/1.1 200"),
                        "warming {file}: {}",
                        String::from_utf8_lossy(&answer[..answer.len().min(80)])
                    );
                }
            });
        }
    });
}

/// Subscribes the cache to the corpus `name`; returns the new feeds' ids.
fn subscribe(store: &Store, server: &Server, root: &Path, name: &str) -> Vec<i64> {
    let list = std::fs::read_to_string(root.join(name).join("feeds.txt")).unwrap();
    list.lines()
        .enumerate()
        .map(|(k, file)| {
            let url = format!(
                "http://127.0.0.{}:{}/{name}/{file}",
                1 + k % HOSTS,
                server.port
            );
            store.add_feed(&url, None, &[]).unwrap()
        })
        .collect()
}

/// Refreshes `feeds` the way the reader does, on a thread of its own; reports to `tx` with the
/// reader's messages. `lower` says whether the thread lowers its priority (as the reader's does).
fn start_refresh(
    path: PathBuf,
    feeds: Vec<i64>,
    lower: bool,
    tx: Sender<Msg>,
) -> std::thread::JoinHandle<refresh::Report> {
    std::thread::spawn(move || {
        if lower {
            tidings::session::priority::lower_this_thread();
        }
        let rows = {
            let store = Store::open(&path).unwrap();
            feeds.iter().map(|&id| store.feed(id).unwrap()).collect()
        };
        let _ = tx.send(Msg::RefreshStarted { total: feeds.len() });
        let progress = tx.clone();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        let opts = RefreshOptions {
            fetch: Default::default(),
            retention: Default::default(),
            pages: Default::default(),
            plans: Default::default(),
            rules: Vec::new(),
            images: None,
        };
        let report = rt
            .block_on(refresh::run(&path, rows, &opts, move |p| {
                let _ = progress.send(Msg::RefreshProgress {
                    done: p.done,
                    total: p.total,
                    failed: p.failed,
                });
            }))
            .unwrap();
        let _ = tx.send(Msg::RefreshDone {
            at: refresh::unix_now(),
            new_items: report.new_items,
            failed: Vec::new(),
        });
        report
    })
}

/// The reader's loop without a terminal: its state, a test backend, and its cache worker.
struct Reader {
    state: State,
    term: Terminal<TestBackend>,
    store_tx: Sender<Command>,
    rx: Receiver<Msg>,
    tx: Sender<Msg>,
}

impl Reader {
    fn open(path: &Path) -> Reader {
        let (tx, rx) = mpsc::channel();
        let (store_tx, store_rx) = mpsc::channel();
        let store = Store::open_readable(path).unwrap();
        let results = tx.clone();
        std::thread::spawn(move || {
            tidings::session::worker::serve(store, store_rx, results, DedupOptions::default())
        });
        let mut state = State::new(
            ReaderSettings::default(),
            Keymap::default_keys(),
            Theme::default(),
            refresh::unix_now(),
        );
        update(&mut state, Msg::Resize(200, 50));
        let cmds = tidings::app::start(&mut state);
        let r = Reader {
            state,
            term: Terminal::new(TestBackend::new(200, 50)).unwrap(),
            store_tx,
            rx,
            tx,
        };
        r.carry_out(cmds);
        r
    }

    fn carry_out(&self, cmds: Vec<Command>) {
        for c in cmds {
            match c {
                Command::Refresh(..)
                | Command::FetchPage(_)
                | Command::OpenUrl(_)
                | Command::CopyToClipboard(_)
                | Command::Quit => {}
                other => self.store_tx.send(other).unwrap(),
            }
        }
    }

    /// Runs the loop while keys come from a keyboard thread, until `done` says so; returns each
    /// key's time from being sent until its frame was drawn.
    fn type_until(&mut self, done: impl Fn(&Msg, usize) -> bool) -> Keys {
        let sent: Arc<Mutex<VecDeque<Instant>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let keyboard = {
            let (tx, sent, stop) = (self.tx.clone(), Arc::clone(&sent), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut n = 0u64;
                while !stop.load(Ordering::Acquire) {
                    std::thread::sleep(KEY_EVERY);
                    n += 1;
                    let action = if n.is_multiple_of(100) {
                        Action::ToggleRead
                    } else {
                        Action::Down
                    };
                    sent.lock().unwrap().push_back(Instant::now());
                    if tx.send(Msg::Action(action)).is_err() {
                        break;
                    }
                }
            })
        };
        let mut times = Keys::default();
        let mut finished = false;
        while !finished {
            let Ok(first) = self.rx.recv_timeout(Duration::from_secs(60)) else {
                panic!("the reader heard nothing for a minute");
            };
            let woke = Instant::now();
            let mut keys = Vec::new();
            let batch: Vec<Msg> = std::iter::once(first).chain(self.rx.try_iter()).collect();
            for mut msg in batch {
                finished |= done(&msg, times.total.len() + keys.len());
                if let Msg::Action(action) = &msg {
                    keys.push(sent.lock().unwrap().pop_front().expect("a key's time"));
                    let list = &self.state.list;
                    if *action == Action::Down && list.selected + 1 >= list.total {
                        msg = Msg::Action(Action::Top);
                    }
                }
                let cmds = update(&mut self.state, msg);
                self.carry_out(cmds);
            }
            let state = &self.state;
            self.term.draw(|f| tidings::ui::render(state, f)).unwrap();
            std::hint::black_box(self.term.backend().buffer());
            let drawn = Instant::now();
            for k in keys {
                times.total.push(drawn - k);
                times.queued.push(woke.saturating_duration_since(k));
                times.work.push(drawn - woke);
            }
        }
        stop.store(true, Ordering::Release);
        keyboard.join().unwrap();
        // Keys still queued were pressed after the end: dropped, not counted.
        let left: Vec<Msg> = self.rx.try_iter().collect();
        for msg in left {
            if !matches!(msg, Msg::Action(_)) {
                let cmds = update(&mut self.state, msg);
                self.carry_out(cmds);
            }
        }
        times
    }
}

/// Each key's time from being sent until its frame was drawn (`total`), split into the time
/// before the loop woke up for its batch (`queued`: the thread waiting to run, or busy with the
/// batch before) and the time the loop then spent on the batch (`work`: update and render).
#[derive(Default)]
struct Keys {
    total: Vec<Duration>,
    queued: Vec<Duration>,
    work: Vec<Duration>,
}

impl Keys {
    fn print(self, label: &str) {
        summary(label, self.total);
        summary("    of which before the loop woke", self.queued);
        summary("    of which update and render", self.work);
    }
}

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort_unstable();
    if times.is_empty() {
        println!("{label}: no keys");
        return;
    }
    let p = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label}: {} keys, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        ms(p(0.5)),
        ms(p(0.99)),
        ms(times[times.len() - 1])
    );
}

/// Runs the whole measurement and prints its figures (or why it was skipped).
pub fn during_refresh() {
    if !bench_dir().join("gen_corpus.py").exists() {
        println!("keypress during a refresh: SKIPPED, ../shared/bench is missing");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("corpus");
    for (name, seed) in [("prefill", 11), ("nice", 12), ("plain", 13)] {
        corpus(&root, name, seed);
    }
    let server = serve(&root, work.path());
    let path = work.path().join("cache.db");
    let (prefill, nice, plain) = {
        let store = Store::open(&path).unwrap();
        (
            subscribe(&store, &server, &root, "prefill"),
            subscribe(&store, &server, &root, "nice"),
            subscribe(&store, &server, &root, "plain"),
        )
    };
    let (tx, rx) = mpsc::channel();
    let report = start_refresh(path.clone(), prefill, false, tx)
        .join()
        .unwrap();
    drop(rx);
    println!(
        "keypress during a refresh: cache holds {} items; {} cores (shared with whatever else runs)",
        report.new_items,
        std::thread::available_parallelism().map_or(0, usize::from)
    );

    warm(&server, &root, "nice");
    warm(&server, &root, "plain");

    let mut reader = Reader::open(&path);
    let idle = reader.type_until(|_, keys| keys >= IDLE_KEYS);
    idle.print("  no refresh");

    for (label, feeds, lower) in [
        ("  refresh at nice +10 (as the reader runs it)", nice, true),
        ("  refresh at the interface's priority", plain, false),
    ] {
        let started = Instant::now();
        let refresh = start_refresh(path.clone(), feeds, lower, reader.tx.clone());
        let times = reader.type_until(|m, _| matches!(m, Msg::RefreshDone { .. }));
        let report = refresh.join().unwrap();
        times.print(label);
        println!(
            "    the refresh: {} new items, stored at {:.2} s, digested at {:.2} s, indexed at {:.2} s, \
             {:.2} s in all",
            report.new_items,
            report.stored_secs,
            report.digested_secs,
            report.elapsed_secs,
            started.elapsed().as_secs_f64()
        );
    }
}

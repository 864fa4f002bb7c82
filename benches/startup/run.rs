//! One start of the real binary in a pseudo-terminal: when its output first reached the screen,
//! when the screen first showed anything, when it first showed the newest headline; its memory;
//! and, on request, what it did while left alone.
//!
//! A thread reads the pty and feeds a terminal emulator (vt100), checking the screen after each
//! chunk, so each moment is taken when the bytes arrive, not on a polling tick.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Terminal size of the measurement.
pub const COLS: u16 = 160;
/// Terminal size of the measurement.
pub const ROWS: u16 = 45;

/// What one start measured.
#[derive(Debug, Clone, Copy)]
pub struct Start {
    /// Spawn to the first byte the program wrote (terminal set-up).
    pub first_byte: Duration,
    /// Spawn to the first screen with any visible character: the first frame.
    pub first_frame: Duration,
    /// Spawn to the first screen showing the newest headline: the first useful frame.
    pub headlines: Duration,
    /// Peak resident memory (VmHWM) just before quitting, in KiB.
    pub hwm_kib: u64,
    /// Resident memory (VmRSS) just before quitting, in KiB.
    pub rss_kib: u64,
    /// What the program did while idle, when asked for.
    pub idle: Option<Idle>,
}

/// Activity of the program while nobody touched it.
#[derive(Debug, Clone, Copy)]
pub struct Idle {
    /// How long it was left alone.
    pub span: Duration,
    /// utime + stime growth (clock ticks turned into ms; 10 ms resolution on most kernels).
    pub cpu_ms: f64,
    /// CPU time of all its threads from `/proc/PID/task/*/schedstat`, in ms (ns resolution).
    pub sched_ms: f64,
    /// Wake-ups: voluntary + involuntary context switches of all its threads.
    pub wakeups: u64,
    /// Bytes it wrote to the terminal (a redraw would write some).
    pub bytes: usize,
}

#[derive(Default)]
struct Marks {
    first_byte: Option<Instant>,
    first_frame: Option<Instant>,
    headlines: Option<Instant>,
    bytes: usize,
}

/// Starts `bin --home HOME`, waits for `marker` on screen, measures, quits with `Q`.
pub fn start(bin: &Path, home: &Path, marker: &str, idle: Option<Duration>) -> Start {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut cmd = CommandBuilder::new(bin);
    cmd.arg("--home");
    cmd.arg(home);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("TIDINGS_HOME");
    cmd.env_remove("NO_COLOR");
    let marks = Arc::new(Mutex::new(Marks::default()));
    let (seen_tx, seen_rx) = mpsc::channel::<()>();
    let t0 = Instant::now();
    let mut child = pty.slave.spawn_command(cmd).expect("spawn tidings");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("pty reader");
    let mut writer = pty.master.take_writer().expect("pty writer");
    let pid = child.process_id().expect("child pid");
    let m = Arc::clone(&marks);
    let wanted = marker.to_string();
    let pump = std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(ROWS, COLS, 0);
        let mut buf = [0u8; 16384];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let now = Instant::now();
            parser.process(&buf[..n]);
            let mut m = m.lock().unwrap();
            m.bytes += n;
            m.first_byte.get_or_insert(now);
            if m.headlines.is_none() {
                let screen = parser.screen().contents();
                if m.first_frame.is_none() && screen.chars().any(|c| !c.is_whitespace()) {
                    m.first_frame = Some(now);
                }
                if screen.contains(&wanted) {
                    m.headlines = Some(now);
                    let _ = seen_tx.send(());
                }
            }
        }
    });
    if seen_rx.recv_timeout(Duration::from_secs(30)).is_err() {
        let _ = child.kill();
        panic!("the reader did not show {marker:?} within 30 s");
    }
    // Let any follow-up work (a second window, the feed list) finish before reading memory.
    std::thread::sleep(Duration::from_millis(300));
    let idle = idle.map(|span| {
        let before = (
            cpu_ticks(pid),
            sched_ns(pid),
            switches(pid),
            marks.lock().unwrap().bytes,
        );
        std::thread::sleep(span);
        let after = (
            cpu_ticks(pid),
            sched_ns(pid),
            switches(pid),
            marks.lock().unwrap().bytes,
        );
        Idle {
            span,
            cpu_ms: (after.0 - before.0) as f64 * 1000.0 / clock_ticks_per_sec(),
            sched_ms: (after.1 - before.1) as f64 / 1e6,
            wakeups: after.2 - before.2,
            bytes: after.3 - before.3,
        }
    });
    let (hwm_kib, rss_kib) = memory(pid);
    writer.write_all(b"Q").expect("send Q");
    writer.flush().expect("flush");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the reader did not quit on Q");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(pty.master);
    let _ = pump.join();
    let m = marks.lock().unwrap();
    let since = |t: Option<Instant>| t.expect("a moment seen").duration_since(t0);
    Start {
        first_byte: since(m.first_byte),
        first_frame: since(m.first_frame),
        headlines: since(m.headlines),
        hwm_kib,
        rss_kib,
        idle,
    }
}

/// `VmHWM` and `VmRSS` of `pid`, in KiB.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// utime + stime of the whole process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name may hold spaces: count fields after its closing parenthesis.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 of the file are the 12th and 13th after the name (state is the 1st).
    let get = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    get(11) + get(12)
}

/// Time on CPU of every thread of `pid`, in ns.
fn sched_ns(pid: u32) -> u64 {
    tasks(pid)
        .iter()
        .filter_map(|t| std::fs::read_to_string(format!("/proc/{pid}/task/{t}/schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// Context switches of every thread of `pid`.
fn switches(pid: u32) -> u64 {
    tasks(pid)
        .iter()
        .filter_map(|t| std::fs::read_to_string(format!("/proc/{pid}/task/{t}/status")).ok())
        .map(|s| {
            s.lines()
                .filter(|l| l.contains("ctxt_switches:"))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum::<u64>()
        })
        .sum()
}

fn tasks(pid: u32) -> Vec<String> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn clock_ticks_per_sec() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

//! The real binary in a pseudo-terminal, read back through a terminal emulator (vt100).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// How many times longer than a test's own limit a wait may last. The limits are what a quiet
/// machine needs with room to spare; a loaded CI machine running a debug build can take several
/// times that, and a wait that ends when the screen arrives costs nothing more when it is quick.
const SLACK: u64 = 3;

/// The deadline of a wait a test limits to `secs` seconds.
pub fn deadline(secs: u64) -> Instant {
    Instant::now() + Duration::from_secs(secs * SLACK)
}

/// A running `tidings` in a pty, with the screen it has drawn so far.
pub struct Term {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Term {
    /// Starts `tidings --home HOME ARGS...` in a `cols` x `rows` terminal.
    pub fn start(home: &Path, args: &[&str], cols: u16, rows: u16) -> Term {
        Term::start_env(home, args, cols, rows, &[])
    }

    /// Like [`Term::start`], with these variables set in the program's environment (after
    /// `NO_COLOR` and `TIDINGS_HOME` are removed, so they may be set here).
    pub fn start_env(
        home: &Path,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Term {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tidings"));
        cmd.arg("--home");
        cmd.arg(home);
        for a in args {
            cmd.arg(a);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("TIDINGS_HOME");
        cmd.env_remove("NO_COLOR");
        cmd.env("BROWSER", "true");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).expect("spawn tidings");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let writer = pty.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Term {
            parser,
            raw,
            writer,
            child,
            master: pty.master,
        }
    }

    /// The screen's text now.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// How many cells of the screen now have a foreground or background colour.
    pub fn colored_cells(&self) -> usize {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        let mut n = 0;
        for r in 0..rows {
            for c in 0..cols {
                if let Some(cell) = screen.cell(r, c)
                    && (cell.fgcolor() != vt100::Color::Default
                        || cell.bgcolor() != vt100::Color::Default)
                {
                    n += 1;
                }
            }
        }
        n
    }

    /// The colours (foreground, background) of every cell on screen that shows `symbol`.
    pub fn cells_showing(&self, symbol: &str) -> Vec<(vt100::Color, vt100::Color)> {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        let mut out = Vec::new();
        for r in 0..rows {
            for c in 0..cols {
                if let Some(cell) = screen.cell(r, c)
                    && cell.contents() == symbol
                {
                    out.push((cell.fgcolor(), cell.bgcolor()));
                }
            }
        }
        out
    }

    /// Every byte the program wrote so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Waits until the screen contains `text`; panics with the screen after `secs` seconds.
    pub fn wait_for(&self, text: &str, secs: u64) -> String {
        self.wait_until(&format!("{text:?}"), secs, |s| s.contains(text))
    }

    /// Waits until the screen no longer contains `text`.
    pub fn wait_gone(&self, text: &str, secs: u64) -> String {
        self.wait_until(&format!("{text:?} to go"), secs, |s| !s.contains(text))
    }

    /// Waits until `done` holds for the screen (`what` names it for the panic message); panics
    /// with the screen after `secs` seconds (times [`SLACK`]). For a state that needs more than
    /// one text, such as a redraw after a resize, where a screen cleared for the redraw lacks
    /// every text.
    pub fn wait_until(&self, what: &str, secs: u64, done: impl Fn(&str) -> bool) -> String {
        let deadline = deadline(secs);
        loop {
            let s = self.screen();
            if done(&s) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Types `keys` (raw bytes: "j", "\r", "\x1b" ...).
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Resizes the terminal.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
    }

    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a running child")
    }

    /// Waits for the program to exit; returns whether it exited with success.
    pub fn wait_exit(&mut self, secs: u64) -> bool {
        let deadline = deadline(secs);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread drain the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "the reader did not exit; the screen shows:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

//! Asking the terminal which graphics protocol it speaks, after the first frame: writes
//! [`QUERY`] and reads the answer itself, straight from the terminal with `poll()`, until the
//! device attributes (which every terminal sends last) or [`WAIT`] is up. It runs before the
//! input thread first asks crossterm for an event (crossterm reads the terminal only then), so
//! the answer never reaches the key map; keys typed in that instant come back in
//! [`Answer::typed`] for the reader to take as keys.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use crate::session::graphics::{Answer, QUERY};

/// The longest the reader waits for the answer.
pub const WAIT: Duration = Duration::from_millis(250);

/// How much longer the reader waits for the end of a sequence begun when [`WAIT`] is up.
const MIDWAY: Duration = Duration::from_millis(50);

/// How long to wait: [`WAIT`], or in debug builds `TIDINGS_DEBUG_GRAPHICS_WAIT_MS` (so that
/// tests on a busy machine can give their answers time). Release builds ignore the variable.
pub fn wait() -> Duration {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("TIDINGS_DEBUG_GRAPHICS_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return Duration::from_millis(ms);
    }
    WAIT
}

/// Whether standard output is a terminal (no query is written to a pipe or a file).
pub fn stdout_is_tty() -> bool {
    // SAFETY: isatty only reads the descriptor's state.
    unsafe { libc::isatty(1) == 1 }
}

/// Writes [`QUERY`] and reads what the terminal sends back within `wait`. The terminal must be
/// in raw mode (the reader's is).
pub fn ask(wait: Duration) -> io::Result<Answer> {
    // Read where crossterm reads: standard input when it is the terminal, else /dev/tty.
    // SAFETY: isatty only reads the descriptor's state.
    let tty: Option<File> = if unsafe { libc::isatty(0) } == 1 {
        None
    } else {
        Some(File::open("/dev/tty")?)
    };
    let fd = tty.as_ref().map_or(0, AsRawFd::as_raw_fd);
    let mut out = io::stdout();
    out.write_all(QUERY.as_bytes())?;
    out.flush()?;
    let deadline = Instant::now() + wait;
    let mut answer = Answer::default();
    let mut buf = [0u8; 1024];
    while !answer.done {
        // A sequence begun by the deadline (a key, an answer) gets a moment more to end.
        let end = if answer.midway() {
            deadline + MIDWAY
        } else {
            deadline
        };
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(left.as_millis().max(1)).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd, for the length given.
        let ready = unsafe { libc::poll(&mut pfd, 1, ms) };
        if ready < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            break;
        }
        if ready == 0 {
            break;
        }
        // SAFETY: reads at most buf.len() bytes into buf.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            break;
        }
        answer.feed(&buf[..n as usize]);
    }
    answer.finish();
    Ok(answer)
}

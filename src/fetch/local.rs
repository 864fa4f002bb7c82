//! Reading a feed (or any input tidings is given) from a local file, standard input or the demo
//! feeds built into the binary, bounded the way a download is.
//!
//! Only regular files are read. The file is opened without blocking (`O_NONBLOCK`, so that a FIFO
//! with no writer cannot hang the open), then the open handle is checked with `fstat` (never the
//! name, which could be swapped in between), then at most `max` bytes are read before a deadline.
//! Devices such as `/dev/zero`, FIFOs, sockets and directories are refused with a message naming
//! what they are.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::time::{Duration, Instant};

use thiserror::Error;

use super::SMALL_BODY;
use super::budget::{BodyHold, Budget, Deadline};
use super::error::{Secs, Size};

/// Why a local input could not be read. The `Display` text is the reason alone; callers name the
/// path (see [`super::FetchError::Local`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LocalError {
    /// Nothing exists at the path.
    #[error("no such file")]
    NotFound,
    /// Something other than a regular file: its kind, for example "a directory".
    #[error("{0}, not a regular file")]
    NotRegular(&'static str),
    /// More bytes than the cap, given here in bytes.
    #[error("larger than {}", Size(*.0))]
    TooLarge(u64),
    /// The read did not finish within the time limit.
    #[error("timed out after {}", Secs(*.0))]
    Timeout(Duration),
    /// Any other failure of the operating system, in its words.
    #[error("{0}")]
    Io(String),
}

impl LocalError {
    fn from_io(e: &std::io::Error) -> LocalError {
        match e.kind() {
            ErrorKind::NotFound => LocalError::NotFound,
            ErrorKind::IsADirectory => LocalError::NotRegular("a directory"),
            // ENXIO: opening a socket, or a device with nothing behind it.
            _ if e.raw_os_error() == Some(libc::ENXIO) => {
                LocalError::NotRegular("a socket or device")
            }
            _ => LocalError::Io(e.to_string()),
        }
    }
}

/// Size of each read, so that the cap and the deadline are checked as the bytes arrive.
const CHUNK: usize = 64 * 1024;

/// Reads the regular file at `path`: at most `max` bytes, within `timeout`.
///
/// Blocking: for the command line's own inputs (config, import lists, `show FILE`).
pub fn read_local_file(path: &Path, max: u64, timeout: Duration) -> Result<Vec<u8>, LocalError> {
    let deadline = Instant::now() + timeout;
    let (file, len) = open_regular(path)?;
    if len > max {
        return Err(LocalError::TooLarge(max));
    }
    read_capped(file, max, Some((deadline, timeout)), len)
}

/// Reads standard input to its end, refusing more than `max` bytes.
pub fn read_stdin(max: u64) -> Result<Vec<u8>, LocalError> {
    read_capped(std::io::stdin().lock(), max, None, 0)
}

/// Opens `path` without blocking and checks, on the open handle, that it is a regular file.
/// Returns the file and its size.
fn open_regular(path: &Path) -> Result<(File, u64), LocalError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(|e| LocalError::from_io(&e))?;
    let meta = file.metadata().map_err(|e| LocalError::from_io(&e))?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(LocalError::NotRegular(kind_name(kind)));
    }
    Ok((file, meta.len()))
}

/// What a file that is not a regular file is, in words.
fn kind_name(kind: std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Reads `input` to its end in chunks, failing as soon as it passes `max` bytes or `deadline`.
/// `hint` is the expected size, reserved up front (never more than `max`).
fn read_capped(
    mut input: impl Read,
    max: u64,
    deadline: Option<(Instant, Duration)>,
    hint: u64,
) -> Result<Vec<u8>, LocalError> {
    let mut body = Vec::with_capacity(usize::try_from(hint.min(max)).unwrap_or(0));
    let mut chunk = vec![0u8; CHUNK];
    loop {
        if let Some((at, timeout)) = deadline
            && Instant::now() > at
        {
            return Err(LocalError::Timeout(timeout));
        }
        let n = match input.read(&mut chunk) {
            Ok(0) => return Ok(body),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(LocalError::from_io(&e)),
        };
        if (body.len() + n) as u64 > max {
            return Err(LocalError::TooLarge(max));
        }
        body.extend_from_slice(&chunk[..n]);
    }
}

/// What a local read for the fetcher may take: bytes, time, and room in the byte budget.
pub(crate) struct Limits<'a> {
    /// Largest file read.
    pub(crate) max: u64,
    /// Time allowed for the whole read, open included.
    pub(crate) timeout: Duration,
    /// Where a file larger than [`SMALL_BODY`] reserves its room first.
    pub(crate) budget: &'a Budget,
}

/// Reads a local file for the fetcher, as [`read_local_file`] does but on tokio's file handles,
/// so that the read (open included) is abandoned at the time limit even if the operating system
/// never returns. Time spent waiting for room in the byte budget does not count.
pub(crate) async fn read_file(
    path: &Path,
    limits: &Limits<'_>,
    hold: &mut BodyHold,
) -> Result<Vec<u8>, LocalError> {
    let mut deadline = Deadline::new(limits.timeout);
    let timed_out = |_| LocalError::Timeout(limits.timeout);
    let (file, len) = deadline.run(open_async(path)).await.map_err(timed_out)??;
    if len > limits.max {
        return Err(LocalError::TooLarge(limits.max));
    }
    if len > SMALL_BODY {
        deadline.reserve(limits.budget, hold).await;
    }
    let mut body = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    let read = read_all_async(file, &mut body, limits, hold);
    deadline.run(read).await.map_err(timed_out)??;
    Ok(body)
}

/// Opens `path` without blocking and checks the open handle is a regular file; returns it and
/// its size.
async fn open_async(path: &Path) -> Result<(tokio::fs::File, u64), LocalError> {
    let mut options = tokio::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    let file = options
        .open(path)
        .await
        .map_err(|e| LocalError::from_io(&e))?;
    let meta = file.metadata().await.map_err(|e| LocalError::from_io(&e))?;
    if !meta.file_type().is_file() {
        return Err(LocalError::NotRegular(kind_name(meta.file_type())));
    }
    Ok((file, meta.len()))
}

/// Reads `file` to its end into `body`, within the cap. A file that grew past [`SMALL_BODY`]
/// since it was measured reserves its room here.
async fn read_all_async(
    mut file: tokio::fs::File,
    body: &mut Vec<u8>,
    limits: &Limits<'_>,
    hold: &mut BodyHold,
) -> Result<(), LocalError> {
    use tokio::io::AsyncReadExt as _;
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = file
            .read(&mut chunk)
            .await
            .map_err(|e| LocalError::from_io(&e))?;
        if n == 0 {
            return Ok(());
        }
        let len = (body.len() + n) as u64;
        if len > limits.max {
            return Err(LocalError::TooLarge(limits.max));
        }
        if len > SMALL_BODY {
            limits.budget.reserve(hold).await;
        }
        body.extend_from_slice(&chunk[..n]);
    }
}

/// The bytes of the demo feed `name`.
pub(crate) fn read_demo(name: &str) -> Result<Vec<u8>, super::FetchError> {
    crate::demo::feed(name)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| super::FetchError::UnknownDemo(name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn a_regular_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xml");
        std::fs::write(&path, b"<rss/>").unwrap();
        assert_eq!(read_local_file(&path, 6, SECOND).unwrap(), b"<rss/>");
        assert_eq!(
            read_local_file(&path, 5, SECOND),
            Err(LocalError::TooLarge(5))
        );
    }

    #[test]
    fn devices_and_directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read_local_file(dir.path(), 100, SECOND),
            Err(LocalError::NotRegular("a directory"))
        );
        assert_eq!(
            read_local_file(Path::new("/dev/zero"), 100, SECOND),
            Err(LocalError::NotRegular("a character device"))
        );
        assert_eq!(
            read_local_file(&dir.path().join("missing"), 100, SECOND),
            Err(LocalError::NotFound)
        );
    }

    #[test]
    fn a_stream_stops_at_the_cap() {
        let endless = std::io::repeat(b'x');
        assert_eq!(
            read_capped(endless, 1000, None, 0),
            Err(LocalError::TooLarge(1000))
        );
        assert_eq!(
            LocalError::TooLarge(16 << 20).to_string(),
            "larger than 16 MiB"
        );
    }
}

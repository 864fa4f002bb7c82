//! Reading a feed from a local file or from the demo feeds built into the binary.

use std::io::ErrorKind;
use std::path::Path;

use super::FetchError;

/// Reads a local file, refusing one larger than `max_body` bytes.
pub(crate) async fn read_file(path: &Path, max_body: u64) -> Result<Vec<u8>, FetchError> {
    let io_err = |e: std::io::Error| match e.kind() {
        ErrorKind::NotFound => FetchError::FileNotFound(path.to_path_buf()),
        _ => FetchError::Io(path.to_path_buf(), e.to_string()),
    };
    let meta = tokio::fs::metadata(path).await.map_err(io_err)?;
    if meta.is_dir() {
        return Err(FetchError::Io(path.to_path_buf(), "is a directory".into()));
    }
    if meta.len() > max_body {
        return Err(FetchError::BodyTooLarge(max_body));
    }
    // The size was checked above; a file that grew since is caught below.
    let body = tokio::fs::read(path).await.map_err(io_err)?;
    if body.len() as u64 > max_body {
        return Err(FetchError::BodyTooLarge(max_body));
    }
    Ok(body)
}

/// The bytes of the demo feed `name`.
pub(crate) fn read_demo(name: &str) -> Result<Vec<u8>, FetchError> {
    crate::demo::feed(name)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| FetchError::UnknownDemo(name.to_string()))
}

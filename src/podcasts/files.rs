//! The files of a download: a `.part` file opened without following a symbolic link, then
//! linked to its final name, which never replaces anything already there (`-2`, `-3`... are
//! tried instead).

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::names::file_name;

/// Names tried before giving up on a title.
const MAX_TRIES: u32 = 1000;

/// A `.part` file being written, with the final name it was chosen for.
#[derive(Debug)]
pub struct Part {
    /// The open file.
    pub file: File,
    /// Where it is.
    pub path: PathBuf,
    /// Bytes in it.
    pub len: u64,
}

/// Why a file could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// A symbolic link sits where the file goes; it is not followed.
    #[error("{} is a symbolic link: not followed, nothing written", .0.display())]
    Symlink(PathBuf),
    /// Something other than a regular file sits where the file goes.
    #[error("{} is not a regular file", .0.display())]
    NotAFile(PathBuf),
    /// Every name tried was taken.
    #[error("{MAX_TRIES} files in {} already have this episode's name", .0.display())]
    NoName(PathBuf),
    /// The system said no.
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, io::Error),
}

/// The `.part` path of a final path.
pub fn part_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

/// Creates a new `.part` file in `dir` for the first name `stem` (with `ext`) gives whose final
/// file and `.part` file are both free. A symbolic link at that `.part` path is an error (it is
/// not followed, and nothing is written); anything at the final path moves on to the next name.
pub fn create_part(dir: &Path, stem: &str, ext: Option<&str>) -> Result<Part, FileError> {
    for n in 1..=MAX_TRIES {
        let target = dir.join(file_name(stem, ext, n));
        let part = part_of(&target);
        if let Ok(meta) = part.symlink_metadata() {
            if meta.file_type().is_symlink() {
                return Err(FileError::Symlink(part));
            }
            continue;
        }
        if target.symlink_metadata().is_ok() {
            continue;
        }
        // `create_new` fails on anything already there, a dangling link included, and with
        // O_NOFOLLOW nothing is ever opened through one.
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&part)
        {
            Ok(file) => {
                return Ok(Part {
                    file,
                    path: part,
                    len: 0,
                });
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(FileError::Io(part, e)),
        }
    }
    Err(FileError::NoName(dir.to_path_buf()))
}

/// Opens an existing `.part` file to go on writing it, never through a symbolic link; `None`
/// when it is gone.
pub fn open_part(path: &Path) -> Result<Option<Part>, FileError> {
    let file = match OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(FileError::Symlink(path.to_path_buf()));
        }
        Err(e) => return Err(FileError::Io(path.to_path_buf(), e)),
    };
    let meta = file
        .metadata()
        .map_err(|e| FileError::Io(path.to_path_buf(), e))?;
    if !meta.is_file() {
        return Err(FileError::NotAFile(path.to_path_buf()));
    }
    Ok(Some(Part {
        file,
        path: path.to_path_buf(),
        len: meta.len(),
    }))
}

/// Gives the finished `.part` file at `part` its final name: the name it was made for, else the
/// next free `-N` of `stem` and `ext`. A hard link makes the final file, so an existing one (a
/// link included) is never replaced; the `.part` name is then removed. Returns the final path.
pub fn finish(part: &Path, stem: &str, ext: Option<&str>) -> Result<PathBuf, FileError> {
    let own = part
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".part"))
        .ok_or_else(|| FileError::NotAFile(part.to_path_buf()))?;
    let dir = part.parent().unwrap_or(Path::new("."));
    for n in 1..=MAX_TRIES {
        let target = if n == 1 {
            dir.join(own)
        } else {
            dir.join(file_name(stem, ext, n))
        };
        match std::fs::hard_link(part, &target) {
            Ok(()) => {
                std::fs::remove_file(part).map_err(|e| FileError::Io(part.to_path_buf(), e))?;
                return Ok(target);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(FileError::Io(target, e)),
        }
    }
    Err(FileError::NoName(dir.to_path_buf()))
}

/// Takes the lock that keeps the queue to one runner at a time: an exclusive `flock` on
/// `path` (created if missing, never through a link), held while the returned file is open;
/// `None` when another process holds it.
pub fn lock_queue(path: &Path) -> Result<Option<File>, FileError> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| FileError::Io(path.to_path_buf(), e))?;
    use std::os::fd::AsRawFd;
    // SAFETY: `flock` only reads the descriptor, which `file` keeps open.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(Some(file));
    }
    let e = io::Error::last_os_error();
    if e.kind() == io::ErrorKind::WouldBlock {
        Ok(None)
    } else {
        Err(FileError::Io(path.to_path_buf(), e))
    }
}

/// Bytes held by the regular files directly in `dir` (`.part` files included); 0 for a folder
/// that does not exist yet.
pub fn folder_usage(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_finished_part_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("A - B.mp3"), "old").unwrap();
        let mut part = create_part(dir.path(), "A - B", Some("mp3")).unwrap();
        assert_eq!(part.path, dir.path().join("A - B-2.mp3.part"));
        part.file.write_all(b"new").unwrap();
        // Taken while the download ran.
        std::fs::write(dir.path().join("A - B-2.mp3"), "other").unwrap();
        let done = finish(&part.path, "A - B", Some("mp3")).unwrap();
        assert_eq!(done, dir.path().join("A - B-3.mp3"));
        assert_eq!(std::fs::read_to_string(&done).unwrap(), "new");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("A - B.mp3")).unwrap(),
            "old"
        );
        assert!(!part.path.exists());
    }

    #[test]
    fn a_link_at_the_part_path_is_refused_and_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("victim");
        std::fs::write(&target, "keep").unwrap();
        let part = dir.path().join("X.mp3.part");
        std::os::unix::fs::symlink(&target, &part).unwrap();
        assert!(matches!(
            create_part(dir.path(), "X", Some("mp3")),
            Err(FileError::Symlink(_))
        ));
        assert!(matches!(open_part(&part), Err(FileError::Symlink(_))));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }

    #[test]
    fn one_runner_holds_the_queue_lock_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db.downloads.lock");
        let first = lock_queue(&path).unwrap();
        assert!(first.is_some());
        assert!(lock_queue(&path).unwrap().is_none(), "held");
        drop(first);
        assert!(lock_queue(&path).unwrap().is_some(), "free again");
    }
}

//! The image cache: the bytes of article images as their servers sent them, one file each in a
//! folder beside the cache file (`images/`), named by a hash of the address, so that images show
//! again offline. The least recently used files go once the folder holds more than its cap
//! (`[images] cache_mib`); reading a file marks it used (its modification time).
//!
//! Only images that decoded are kept, so the folder holds no SVG, nothing over the fetch cap.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use xxhash_rust::xxh3::xxh3_128;

/// The image cache folder and its cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFiles {
    /// The folder.
    pub dir: PathBuf,
    /// The most bytes its files hold together (0: keep nothing).
    pub max_bytes: u64,
}

impl ImageFiles {
    /// The file an address is kept in.
    fn file(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{:032x}", xxh3_128(url.as_bytes())))
    }

    /// The kept bytes of `url`, marking them used; `None` when not kept.
    pub fn get(&self, url: &str) -> Option<Vec<u8>> {
        let path = self.file(url);
        let meta = fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let bytes = fs::read(&path).ok()?;
        if let Ok(f) = fs::File::options().append(true).open(&path) {
            let _ = f.set_modified(SystemTime::now());
        }
        Some(bytes)
    }

    /// Keeps the bytes of `url` (written to a temporary file, then renamed), then removes the
    /// least recently used files while the folder is over its cap.
    pub fn put(&self, url: &str, bytes: &[u8]) -> std::io::Result<()> {
        if self.max_bytes == 0 || bytes.len() as u64 > self.max_bytes {
            return Ok(());
        }
        fs::create_dir_all(&self.dir)?;
        let path = self.file(url);
        let part = path.with_extension("part");
        let _ = fs::remove_file(&part);
        let mut f = fs::File::options()
            .write(true)
            .create_new(true)
            .open(&part)?;
        f.write_all(bytes)?;
        drop(f);
        fs::rename(&part, &path)?;
        self.trim(&path)
    }

    /// Removes the least recently used files until the folder holds at most its cap, never
    /// `keep` (the file just written).
    fn trim(&self, keep: &Path) -> std::io::Result<()> {
        let mut files = Vec::new();
        let mut total = 0u64;
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let meta = entry.metadata()?;
            if !meta.is_file() {
                continue;
            }
            total += meta.len();
            let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            files.push((used, meta.len(), entry.path()));
        }
        files.sort();
        for (_, len, path) in files {
            if total <= self.max_bytes {
                break;
            }
            if path == keep {
                continue;
            }
            if fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_and_gives_back_and_drops_the_least_recently_used() {
        let dir = tempfile::tempdir().unwrap();
        let files = ImageFiles {
            dir: dir.path().join("images"),
            max_bytes: 250,
        };
        assert_eq!(files.get("http://a/1.png"), None);
        files.put("http://a/1.png", &[1; 100]).unwrap();
        files.put("http://a/2.png", &[2; 100]).unwrap();
        // Mark 1 older than 2, then use it: 2 is now the least recently used.
        let old = SystemTime::now() - std::time::Duration::from_secs(60);
        for u in ["http://a/1.png", "http://a/2.png"] {
            let f = fs::File::options()
                .append(true)
                .open(files.file(u))
                .unwrap();
            f.set_modified(old).unwrap();
        }
        assert_eq!(files.get("http://a/1.png"), Some(vec![1; 100]));
        files.put("http://a/3.png", &[3; 100]).unwrap();
        assert_eq!(
            files.get("http://a/2.png"),
            None,
            "least recently used went"
        );
        assert!(files.get("http://a/1.png").is_some());
        assert!(files.get("http://a/3.png").is_some());
        // Larger than the whole cap: not kept.
        files.put("http://a/4.png", &[4; 300]).unwrap();
        assert_eq!(files.get("http://a/4.png"), None);
    }
}

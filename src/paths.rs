//! Where tidings keeps its files.
//!
//! Precedence: `--config FILE` for the config file, then `--home DIR`, then `$TIDINGS_HOME`, then the
//! XDG locations (`$XDG_CONFIG_HOME/tidings/config.toml`, `$XDG_DATA_HOME/tidings/cache.db`,
//! `$XDG_STATE_HOME/tidings/tidings.log`). With a home directory everything lives under it.

use std::path::{Path, PathBuf};

/// Resolved locations of the config file, the cache database and the log file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The user's config file (it need not exist).
    pub config: PathBuf,
    /// Whether the config file was named explicitly (then it must exist).
    pub config_explicit: bool,
    /// The SQLite cache.
    pub cache: PathBuf,
    /// The log file.
    pub log: PathBuf,
}

impl Paths {
    /// Resolves the locations from the command-line options and the environment.
    ///
    /// `home` is `--home`; `env_home` is `$TIDINGS_HOME` (passed in so that tests need not touch the
    /// process environment).
    pub fn resolve(config: Option<&Path>, home: Option<&Path>, env_home: Option<&Path>) -> Paths {
        let home = home.or(env_home.filter(|p| !p.as_os_str().is_empty()));
        let (default_config, cache, log) = match home {
            Some(dir) => (
                dir.join("config.toml"),
                dir.join("cache.db"),
                dir.join("tidings.log"),
            ),
            None => {
                let config_dir = dirs::config_dir().unwrap_or_else(|| PathBuf::from("."));
                let data_dir = dirs::data_dir().unwrap_or_else(|| PathBuf::from("."));
                let state_dir = dirs::state_dir().unwrap_or_else(|| data_dir.clone());
                (
                    config_dir.join("tidings").join("config.toml"),
                    data_dir.join("tidings").join("cache.db"),
                    state_dir.join("tidings").join("tidings.log"),
                )
            }
        };
        Paths {
            config: config.map(Path::to_path_buf).unwrap_or(default_config),
            config_explicit: config.is_some(),
            cache,
            log,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_puts_everything_under_it_and_config_flag_wins_for_the_config() {
        let p = Paths::resolve(None, Some(Path::new("/h")), Some(Path::new("/e")));
        assert_eq!(p.config, Path::new("/h/config.toml"));
        assert_eq!(p.cache, Path::new("/h/cache.db"));
        assert_eq!(p.log, Path::new("/h/tidings.log"));
        assert!(!p.config_explicit);

        let p = Paths::resolve(Some(Path::new("/c.toml")), None, Some(Path::new("/e")));
        assert_eq!(p.config, Path::new("/c.toml"));
        assert_eq!(p.cache, Path::new("/e/cache.db"));
        assert!(p.config_explicit);
    }

    #[test]
    fn without_home_the_xdg_locations_are_used() {
        let p = Paths::resolve(None, None, Some(Path::new("")));
        assert!(p.cache.ends_with("tidings/cache.db"), "{:?}", p.cache);
        assert!(p.config.ends_with("tidings/config.toml"), "{:?}", p.config);
    }
}

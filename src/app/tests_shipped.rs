//! The state every screen snapshot starts from: the reader as `tidings` starts it with no config
//! file of the user's, so that the snapshots (and the README screens drawn from them) show what a
//! user sees. Its settings come from the shipped `config/default.toml` through the one
//! [`ReaderSettings`] type, by the same path as the program's ([`Config::defaults`]).

use crate::app::state::State;
use crate::app::tests::NOW;
use crate::config::keymap::{DEFAULT_KEYS, Keymap};
use crate::config::theme::{DEFAULT_THEME, Theme};
use crate::config::{Config, DEFAULT_TOML, ReaderSettings};

/// A `width` x `height` reader with the shipped settings, key map and colours, at [`NOW`] in UTC.
/// The colours are the shipped theme whatever `NO_COLOR` says in the test's environment, so that
/// the snapshots do not depend on it.
pub(crate) fn shipped_state(width: u16, height: u16) -> State {
    let config = Config::defaults();
    let keymap = config.keymap.expect("the shipped config yields a key map");
    let mut s = State::new(config.reader, keymap, Theme::default(), NOW);
    s.width = width;
    s.height = height;
    s
}

/// The `[reader]` table of `config/default.toml`, read on its own.
fn shipped_reader_settings() -> ReaderSettings {
    let doc: toml::Table = DEFAULT_TOML.parse().expect("config/default.toml parses");
    doc["reader"]
        .clone()
        .try_into()
        .expect("[reader] of config/default.toml is a ReaderSettings")
}

/// The states the snapshot tests start from: the two sizes of `ui/tests.rs` and the bench-like
/// one of `ui/tests_room.rs` all carry exactly the shipped settings, key map and theme.
#[test]
fn snapshots_are_drawn_with_the_shipped_settings() {
    let settings = shipped_reader_settings();
    let keys = Keymap::from_toml_str(DEFAULT_KEYS, std::path::Path::new("config/keys.toml"))
        .expect("config/keys.toml loads");
    let theme = Theme::from_toml_str(DEFAULT_THEME, std::path::Path::new("config/theme.toml"))
        .expect("config/theme.toml loads");
    let states = [
        (
            "loaded_state 160x40",
            crate::app::tests::loaded_state(160, 40, 1000),
        ),
        (
            "loaded_state 80x24",
            crate::app::tests::loaded_state(80, 24, 1000),
        ),
        ("shipped_state 120x35", shipped_state(120, 35)),
    ];
    for (name, s) in states {
        assert_eq!(
            s.settings, settings,
            "{name}: [reader] differs from config/default.toml"
        );
        assert_eq!(
            s.keymap.help_rows(),
            keys.help_rows(),
            "{name}: keys differ from config/keys.toml"
        );
        assert_eq!(
            s.theme, theme,
            "{name}: colours differ from config/theme.toml"
        );
    }
}

//! Settings: the key map and the colour theme (loading and merging the rest of the config file is
//! added by its own change).

pub mod keymap;
pub mod theme;

//! The colour theme: a style for each kind of thing the reader draws, read from the `[theme]`
//! table of a TOML file. The defaults (`config/theme.toml`) use only the 16 named terminal
//! colours; [`Theme::monochrome`] uses no colour at all and is chosen when `NO_COLOR` is set.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The default theme, embedded from `config/theme.toml`.
pub const DEFAULT_THEME: &str = include_str!("../../config/theme.toml");

/// One entry of the theme file: colours by name or `#rrggbb`, and text attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StyleDef {
    /// Foreground colour.
    pub fg: Option<String>,
    /// Background colour.
    pub bg: Option<String>,
    /// Bold text.
    #[serde(default)]
    pub bold: bool,
    /// Faint text.
    #[serde(default)]
    pub dim: bool,
    /// Italic text.
    #[serde(default)]
    pub italic: bool,
    /// Underlined text.
    #[serde(default)]
    pub underline: bool,
    /// Swapped foreground and background.
    #[serde(default)]
    pub reverse: bool,
}

/// Every style the reader draws with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Pane borders.
    pub border: Style,
    /// The border of the focused pane.
    pub border_focused: Style,
    /// Pane titles.
    pub title: Style,
    /// The selected row in the focused pane.
    pub selected: Style,
    /// The selected row in a pane without focus.
    pub selected_unfocused: Style,
    /// Unread headlines and feeds with unread items.
    pub unread: Style,
    /// Read headlines.
    pub read: Style,
    /// The star marker.
    pub starred: Style,
    /// Dates in the headline list.
    pub date: Style,
    /// Feed names in the headline list.
    pub feed: Style,
    /// Error markers and messages.
    pub error: Style,
    /// Tag folders in the feed list.
    pub folder: Style,
    /// Unread counts.
    pub count: Style,
    /// The status line.
    pub status: Style,
    /// The status line when it reports an error.
    pub status_error: Style,
    /// The article's title.
    pub header_title: Style,
    /// The article's header field names.
    pub header_field: Style,
    /// Headings in article bodies.
    pub heading: Style,
    /// Links in article bodies.
    pub link: Style,
    /// Code in article bodies.
    pub code: Style,
    /// Quotations in article bodies.
    pub quote: Style,
    /// Fold markers for repeated blocks.
    pub folded: Style,
    /// Faint text.
    pub dim: Style,
    /// Key names in the help screen.
    pub help_key: Style,
    /// Headlines that a `highlight` rule marked.
    pub highlight: Style,
}

/// Why a theme could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    /// The TOML is malformed or an entry has an unknown field.
    #[error("{file}: {message}")]
    Toml {
        /// The file read.
        file: PathBuf,
        /// What went wrong, with the line when the TOML reader knows it.
        message: String,
    },
    /// A colour that is neither a known name nor `#rrggbb`.
    #[error("{file}: unknown colour \"{colour}\" for theme entry \"{entry}\"")]
    Colour {
        /// The file read.
        file: PathBuf,
        /// The theme entry.
        entry: String,
        /// The colour as written.
        colour: String,
    },
}

#[derive(Deserialize)]
struct ThemeDoc {
    #[serde(default)]
    theme: std::collections::BTreeMap<String, StyleDef>,
}

fn colour(s: &str) -> Option<Color> {
    Color::from_str(s).ok()
}

/// Whether `s` names a colour a theme entry may use: a colour name or `#rrggbb`.
pub(crate) fn is_colour(s: &str) -> bool {
    colour(s).is_some()
}

/// The names of the theme's entries, as the embedded default theme lists them.
pub(crate) fn entry_names() -> Vec<String> {
    let doc: toml::Table = DEFAULT_THEME.parse().expect("the embedded theme parses");
    doc.get("theme")
        .and_then(toml::Value::as_table)
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

impl StyleDef {
    fn to_style(&self, entry: &str, file: &Path) -> Result<Style, ThemeError> {
        let mut style = Style::default();
        let parse = |c: &str| {
            colour(c).ok_or_else(|| ThemeError::Colour {
                file: file.to_path_buf(),
                entry: entry.to_string(),
                colour: c.to_string(),
            })
        };
        if let Some(fg) = &self.fg {
            style = style.fg(parse(fg)?);
        }
        if let Some(bg) = &self.bg {
            style = style.bg(parse(bg)?);
        }
        let flags = [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underline, Modifier::UNDERLINED),
            (self.reverse, Modifier::REVERSED),
        ];
        for (on, m) in flags {
            if on {
                style = style.add_modifier(m);
            }
        }
        Ok(style)
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::from_toml_str(DEFAULT_THEME, Path::new("config/theme.toml"))
            .expect("the embedded theme is valid (tested)")
    }
}

impl Theme {
    /// A theme without colours, only bold, reverse, dim, italic and underline: for `NO_COLOR`.
    pub fn monochrome() -> Theme {
        let plain = Style::default();
        let bold = plain.add_modifier(Modifier::BOLD);
        let dim = plain.add_modifier(Modifier::DIM);
        let rev = plain.add_modifier(Modifier::REVERSED);
        Theme {
            border: dim,
            border_focused: plain,
            title: bold,
            selected: rev.add_modifier(Modifier::BOLD),
            selected_unfocused: rev,
            unread: bold,
            read: plain,
            starred: bold,
            date: plain,
            feed: plain,
            error: bold,
            folder: bold,
            count: plain,
            status: rev,
            status_error: rev.add_modifier(Modifier::BOLD),
            header_title: bold,
            header_field: dim,
            heading: bold,
            link: plain.add_modifier(Modifier::UNDERLINED),
            code: plain,
            quote: plain.add_modifier(Modifier::ITALIC),
            folded: dim,
            dim,
            help_key: bold,
            highlight: bold.add_modifier(Modifier::UNDERLINED),
        }
    }

    /// The default theme, or [`Theme::monochrome`] when the `NO_COLOR` variable is set and not empty.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::monochrome(),
            _ => Theme::default(),
        }
    }

    /// Reads the `[theme]` table of a TOML document over the defaults of [`Theme::monochrome`]
    /// for entries it leaves out (the embedded default names every entry).
    pub fn from_toml_str(text: &str, file: &Path) -> Result<Theme, ThemeError> {
        Theme::overlay(Theme::monochrome(), text, file)
    }

    /// Lays the entries of a `[theme]` table over `base`, entry by entry.
    pub fn overlay(base: Theme, text: &str, file: &Path) -> Result<Theme, ThemeError> {
        let doc: ThemeDoc = toml::from_str(text).map_err(|e| ThemeError::Toml {
            file: file.to_path_buf(),
            message: e.to_string(),
        })?;
        let mut theme = base;
        for (name, def) in &doc.theme {
            let style = def.to_style(name, file)?;
            let slot = match name.as_str() {
                "border" => &mut theme.border,
                "border_focused" => &mut theme.border_focused,
                "title" => &mut theme.title,
                "selected" => &mut theme.selected,
                "selected_unfocused" => &mut theme.selected_unfocused,
                "unread" => &mut theme.unread,
                "read" => &mut theme.read,
                "starred" => &mut theme.starred,
                "date" => &mut theme.date,
                "feed" => &mut theme.feed,
                "error" => &mut theme.error,
                "folder" => &mut theme.folder,
                "count" => &mut theme.count,
                "status" => &mut theme.status,
                "status_error" => &mut theme.status_error,
                "header_title" => &mut theme.header_title,
                "header_field" => &mut theme.header_field,
                "heading" => &mut theme.heading,
                "link" => &mut theme.link,
                "code" => &mut theme.code,
                "quote" => &mut theme.quote,
                "folded" => &mut theme.folded,
                "dim" => &mut theme.dim,
                "help_key" => &mut theme.help_key,
                "highlight" => &mut theme.highlight,
                _ => {
                    return Err(ThemeError::Toml {
                        file: file.to_path_buf(),
                        message: format!("unknown theme entry \"{name}\""),
                    });
                }
            };
            *slot = style;
        }
        Ok(theme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colours(t: &Theme) -> Vec<Color> {
        let all = [
            t.border,
            t.border_focused,
            t.title,
            t.selected,
            t.selected_unfocused,
            t.unread,
            t.read,
            t.starred,
            t.date,
            t.feed,
            t.error,
            t.folder,
            t.count,
            t.status,
            t.status_error,
            t.header_title,
            t.header_field,
            t.heading,
            t.link,
            t.code,
            t.quote,
            t.folded,
            t.dim,
            t.help_key,
        ];
        all.iter().flat_map(|s| [s.fg, s.bg]).flatten().collect()
    }

    #[test]
    fn default_theme_loads_with_only_the_16_named_colours() {
        let t = Theme::from_toml_str(DEFAULT_THEME, Path::new("config/theme.toml")).unwrap();
        let cs = colours(&t);
        assert!(!cs.is_empty());
        for c in cs {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_) | Color::Reset),
                "{c:?} is not one of the 16 named colours"
            );
        }
        assert_ne!(t, Theme::monochrome());
    }

    #[test]
    fn monochrome_has_no_colour() {
        assert!(colours(&Theme::monochrome()).is_empty());
    }

    #[test]
    fn hex_colours_and_errors() {
        let t = Theme::from_toml_str(
            "[theme]\nlink = { fg = \"#ff8000\" }\n",
            Path::new("t.toml"),
        )
        .unwrap();
        assert_eq!(t.link.fg, Some(Color::Rgb(0xff, 0x80, 0)));
        let e = Theme::from_toml_str("[theme]\nlink = { fg = \"mauve\" }\n", Path::new("t.toml"))
            .unwrap_err();
        assert!(e.to_string().contains("mauve"));
        let e = Theme::from_toml_str("[theme]\nlinx = { fg = \"red\" }\n", Path::new("t.toml"))
            .unwrap_err();
        assert!(e.to_string().contains("linx"));
    }
}

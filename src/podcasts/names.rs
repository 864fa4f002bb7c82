//! File names for episodes, made from the feed's and the item's titles (both hostile): no path
//! separator, no control or bidirectional formatting character, no leading dot, at most
//! [`MAX_NAME_BYTES`] bytes with the extension and any `-N` suffix; the extension comes from
//! the address, else from the declared type.

/// The longest name an episode's file gets, in bytes (its `.part` file adds five).
pub const MAX_NAME_BYTES: usize = 200;

/// Room kept for a `-N` suffix.
const SUFFIX_ROOM: usize = 6;

/// The name of an episode's file: `"{feed} - {title}.{ext}"`, with `-{n}` before the extension
/// for `n` above 1.
pub fn file_name(stem: &str, ext: Option<&str>, n: u32) -> String {
    let suffix = if n > 1 {
        format!("-{n}")
    } else {
        String::new()
    };
    match ext {
        Some(ext) => format!("{stem}{suffix}.{ext}"),
        None => format!("{stem}{suffix}"),
    }
}

/// The stem of an episode's file name from its feed's and its own title, short enough for
/// [`file_name`] with `ext` and a suffix to stay within [`MAX_NAME_BYTES`].
pub fn stem(feed: &str, title: &str, ext: Option<&str>) -> String {
    let feed = clean(feed);
    let title = clean(title);
    let joined = match (feed.is_empty(), title.is_empty()) {
        (true, true) => "episode".to_string(),
        (false, true) => feed,
        (true, false) => title,
        (false, false) => format!("{feed} - {title}"),
    };
    let room = MAX_NAME_BYTES - SUFFIX_ROOM - ext.map_or(0, |e| e.len() + 1);
    let mut cut = joined.len().min(room);
    while !joined.is_char_boundary(cut) {
        cut -= 1;
    }
    joined[..cut].trim_end().to_string()
}

/// A title made safe for a file name: separators and characters some systems refuse become
/// spaces, control and formatting characters go, runs of spaces become one, leading dots go.
fn clean(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_control() || is_format(c) {
            continue;
        }
        let bad = matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|');
        let c = if bad || c.is_whitespace() { ' ' } else { c };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_start_matches(['.', ' ']).trim_end().to_string()
}

/// Characters that change how text around them is shown (bidirectional overrides, zero-width).
fn is_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// The extension of an episode's file: the address's own (letters and digits, at most five),
/// else one for its declared type, else none.
pub fn extension(url: &str, mime: Option<&str>) -> Option<String> {
    let from_url = url::Url::parse(url).ok().and_then(|u| {
        let last = u.path_segments()?.next_back()?.to_string();
        let (_, ext) = last.rsplit_once('.')?;
        (!ext.is_empty() && ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()))
            .then(|| ext.to_ascii_lowercase())
    });
    from_url.or_else(|| {
        let mime = mime?.split(';').next()?.trim().to_ascii_lowercase();
        let ext = match mime.as_str() {
            "audio/mpeg" | "audio/mp3" => "mp3",
            "audio/mp4" | "audio/x-m4a" | "audio/m4a" | "audio/aac" => "m4a",
            "audio/ogg" | "audio/vorbis" => "ogg",
            "audio/opus" => "opus",
            "audio/flac" | "audio/x-flac" => "flac",
            "audio/wav" | "audio/x-wav" => "wav",
            "video/mp4" => "mp4",
            "video/webm" | "audio/webm" => "webm",
            "video/quicktime" => "mov",
            "application/pdf" => "pdf",
            _ => return None,
        };
        Some(ext.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_separators_controls_and_leading_dots() {
        assert_eq!(
            stem("../Cast", "Ep/1: \u{1b}[31mred\u{7}", Some("mp3")),
            "Cast - Ep 1 [31mred"
        );
        assert_eq!(stem("", "\u{202e}..", None), "episode");
        assert_eq!(stem("Feed", "", None), "Feed");
        assert!(!stem("a/b", "c\\d", None).contains(['/', '\\']));
    }

    #[test]
    fn long_names_are_cut_on_a_character_boundary_within_the_limit() {
        let s = stem("F", &"é".repeat(300), Some("mp3"));
        let name = file_name(&s, Some("mp3"), 999);
        assert!(name.len() <= MAX_NAME_BYTES, "{}", name.len());
        assert!(name.ends_with("-999.mp3"));
    }

    #[test]
    fn extensions_come_from_the_address_then_the_type() {
        assert_eq!(
            extension("http://h/a/ep.MP3?x=1", None).as_deref(),
            Some("mp3")
        );
        assert_eq!(
            extension("http://h/a/ep", Some("audio/mp4")).as_deref(),
            Some("m4a")
        );
        assert_eq!(extension("http://h/a/ep.x/y", Some("text/plain")), None);
        assert_eq!(extension("http://h/ep.weird-ext", None), None);
    }
}

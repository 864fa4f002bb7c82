//! A fast HTML to plain text stripper: it drops tags and comments, skips the content of
//! `<script>` and `<style>`, decodes the common character references, and collapses whitespace.
//! It is not a parser: display goes through [`super::html`]; this only has to find the words,
//! quickly (one pass over the bytes, copying runs of text whole), for a regular expression or an
//! exact match on the `text` filter field, word counts, and the text shown of a body whose markup
//! the HTML parser could not read.

/// Returns the words of an HTML fragment as plain text, separated by single spaces.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    strip_html_into(html, &mut out);
    out
}

/// Appends the plain text of an HTML fragment to `out` (see [`strip_html`]).
pub fn strip_html_into(html: &str, out: &mut String) {
    let mut s = Stripper {
        src: html,
        out,
        space: false,
        start_len: 0,
    };
    s.start_len = s.out.len();
    s.run();
}

struct Stripper<'a, 'o> {
    src: &'a str,
    out: &'o mut String,
    /// A separator is owed before the next word.
    space: bool,
    start_len: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Bytes that end a plain run of text: markup, references and whitespace.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'<' as usize] = true;
    t[b'&' as usize] = true;
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t[0x0c] = true;
    t
};

/// Tags that sit inside a word (`<b>bo</b>ld`) and so do not separate words.
fn is_inline(name: &[u8]) -> bool {
    if name.len() > 6 {
        return false;
    }
    let mut buf = [0u8; 6];
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    matches!(
        &buf[..name.len()],
        b"a" | b"abbr"
            | b"b"
            | b"bdi"
            | b"bdo"
            | b"cite"
            | b"code"
            | b"data"
            | b"dfn"
            | b"em"
            | b"font"
            | b"i"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"small"
            | b"span"
            | b"strike"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"time"
            | b"tt"
            | b"u"
            | b"var"
            | b"wbr"
    )
}

impl Stripper<'_, '_> {
    fn run(&mut self) {
        let b = self.src.as_bytes();
        let mut i = 0;
        let mut run = 0;
        while i < b.len() {
            while i < b.len() && !SPECIAL[b[i] as usize] {
                i += 1;
            }
            if i == b.len() {
                break;
            }
            match b[i] {
                b'<' => {
                    self.flush(run, i);
                    run = i;
                    if let Some(end) = self.tag(i) {
                        i = end;
                        run = i;
                    } else {
                        i += 1;
                    }
                }
                b'&' => {
                    if let Some((c, end)) = decode_entity(&b[i..]) {
                        self.flush(run, i);
                        if c == '\u{a0}' {
                            self.space = true;
                        } else {
                            self.push_char(c);
                        }
                        i += end;
                        run = i;
                    } else {
                        i += 1;
                    }
                }
                b' ' if i > run && !b.get(i + 1).is_some_and(|&n| is_space(n)) => i += 1,
                c if is_space(c) => {
                    self.flush(run, i);
                    self.space = true;
                    while i < b.len() && is_space(b[i]) {
                        i += 1;
                    }
                    run = i;
                }
                _ => i += 1,
            }
        }
        self.flush(run, b.len());
    }

    /// Copies `src[from..to]` (which holds no whitespace runs) to the output.
    /// A run may end in one space (kept while the word run continued); it becomes a separator.
    fn flush(&mut self, from: usize, mut to: usize) {
        let trailing = to > from && self.src.as_bytes()[to - 1] == b' ';
        if trailing {
            to -= 1;
        }
        if from < to {
            self.sep();
            self.out.push_str(&self.src[from..to]);
        }
        if trailing {
            self.space = true;
        }
    }

    fn push_char(&mut self, c: char) {
        self.sep();
        self.out.push(c);
    }

    fn sep(&mut self) {
        if self.space {
            if self.out.len() > self.start_len {
                self.out.push(' ');
            }
            self.space = false;
        }
    }

    /// Handles the markup starting at `src[at] == '<'`; returns where text resumes, or `None`
    /// when the `<` is a plain character (as in `a < b`).
    fn tag(&mut self, at: usize) -> Option<usize> {
        let b = self.src.as_bytes();
        let rest = &b[at + 1..];
        match *rest.first()? {
            b'!' => {
                if rest.starts_with(b"!--") {
                    return Some(find(b, at + 4, b"-->").map_or(b.len(), |e| e + 3));
                }
                if rest.starts_with(b"![CDATA[") {
                    let start = at + 9;
                    let end = find(b, start, b"]]>").unwrap_or(b.len());
                    self.space = true;
                    let inner = Stripper {
                        src: &self.src[start..end],
                        out: &mut *self.out,
                        space: true,
                        start_len: self.start_len,
                    };
                    inner.copy_plain();
                    self.space = true;
                    return Some((end + 3).min(b.len()));
                }
                Some(tag_end(b, at + 2))
            }
            b'?' => Some(tag_end(b, at + 2)),
            c => {
                let closing = c == b'/';
                let name_start = at + 1 + usize::from(closing);
                let name_len = b[name_start..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .count();
                if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
                    return None;
                }
                let name = &b[name_start..name_start + name_len];
                let end = tag_end(b, name_start + name_len);
                if !is_inline(name) {
                    self.space = true;
                }
                let self_closing = end >= 2 && b[end - 2] == b'/';
                if !closing
                    && !self_closing
                    && (name.eq_ignore_ascii_case(b"script") || name.eq_ignore_ascii_case(b"style"))
                {
                    return Some(find_close_tag(b, end, name).unwrap_or(b.len()));
                }
                Some(end)
            }
        }
    }

    /// Copies text with no markup in it (CDATA), collapsing whitespace.
    fn copy_plain(mut self) {
        for word in self.src.split(|c: char| c.is_ascii_whitespace()) {
            if !word.is_empty() {
                self.sep();
                self.out.push_str(word);
                self.space = true;
            }
        }
    }
}

/// The index just past the `>` closing a tag whose attributes start at `from`, skipping quoted
/// attribute values; the end of input when it never closes.
fn tag_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'>' => return i + 1,
            q @ (b'"' | b'\'') => {
                i = b[i + 1..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| i + 1 + p + 1);
            }
            _ => i += 1,
        }
    }
    b.len()
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = b.get(from..)?;
    let first = needle[0];
    let mut i = 0;
    while let Some(p) = hay[i..].iter().position(|&c| c == first) {
        let at = i + p;
        if hay[at..].starts_with(needle) {
            return Some(from + at);
        }
        i = at + 1;
    }
    None
}

/// Where text resumes after the `</name ...>` that closes a raw-text element.
fn find_close_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(at) = find(b, i, b"</") {
        let n = at + 2;
        if b.len() >= n + name.len() && b[n..n + name.len()].eq_ignore_ascii_case(name) {
            return Some(tag_end(b, n + name.len()));
        }
        i = at + 2;
    }
    None
}

/// Decodes the character reference at the start of `b` (`&amp;`, `&#8217;`, `&#x2019;` ...);
/// returns the character and the length of the reference, or `None` if it is not one we know.
fn decode_entity(b: &[u8]) -> Option<(char, usize)> {
    let semi = b.iter().take(12).position(|&c| c == b';')?;
    let name = &b[1..semi];
    let c = if let Some(num) = name.strip_prefix(b"#") {
        let (digits, radix) = match num.first() {
            Some(b'x' | b'X') => (&num[1..], 16),
            _ => (num, 10),
        };
        let s = std::str::from_utf8(digits).ok()?;
        let code = u32::from_str_radix(s, radix).ok()?;
        char::from_u32(code).filter(|&c| c != '\0')?
    } else {
        match name {
            b"amp" => '&',
            b"lt" => '<',
            b"gt" => '>',
            b"quot" => '"',
            b"apos" => '\'',
            b"nbsp" => '\u{a0}',
            b"mdash" => '\u{2014}',
            b"ndash" => '\u{2013}',
            b"hellip" => '\u{2026}',
            b"lsquo" => '\u{2018}',
            b"rsquo" => '\u{2019}',
            b"ldquo" => '\u{201c}',
            b"rdquo" => '\u{201d}',
            b"laquo" => '\u{ab}',
            b"raquo" => '\u{bb}',
            b"copy" => '\u{a9}',
            b"reg" => '\u{ae}',
            b"trade" => '\u{2122}',
            b"eacute" => '\u{e9}',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_tags_and_collapses_space() {
        assert_eq!(
            strip_html("<p>Hello,\n  <b>wor</b>ld!</p><p>Second&nbsp;para</p>"),
            "Hello, world! Second para"
        );
    }

    #[test]
    fn block_tags_separate_words() {
        assert_eq!(
            strip_html("<li>one</li><li>two</li><br/>three"),
            "one two three"
        );
    }

    #[test]
    fn skips_script_style_and_comments() {
        let html = "a<script type=\"x\">var x = '<p>no</p>';</SCRIPT>b<style>p{}</style> \
                    c<!-- hidden <p> -->d";
        assert_eq!(strip_html(html), "a b cd");
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(
            strip_html("AT&amp;T &lt;tag&gt; &#8217;q&#x2019; &quot;x&quot; &bogus; &"),
            "AT&T <tag> \u{2019}q\u{2019} \"x\" &bogus; &"
        );
    }

    #[test]
    fn keeps_plain_less_than_and_quoted_angle_brackets() {
        assert_eq!(strip_html("1 < 2 <a title=\"x>y\">link</a>"), "1 < 2 link");
    }

    #[test]
    fn cdata_text_is_kept() {
        assert_eq!(strip_html("x<![CDATA[ inner  text ]]>y"), "x inner text y");
    }

    #[test]
    fn unterminated_markup_does_not_panic() {
        for s in [
            "<",
            "<p",
            "<!--",
            "<script>",
            "&#x",
            "&#99999999;",
            "<![CDATA[",
            "é<b>é",
        ] {
            let _ = strip_html(s);
        }
        assert_eq!(strip_html("é<b>ü</b>"), "éü");
    }

    #[test]
    fn appends_without_leading_space() {
        let mut out = String::from("title");
        strip_html_into("<p>body</p>", &mut out);
        assert_eq!(out, "titlebody");
    }
}

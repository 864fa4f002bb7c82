//! Repairs for the common sloppiness of real feeds, applied to the decoded text before feed-rs
//! reads it: junk before the document, an XML declaration naming an encoding the text is no
//! longer in, `<rss>` without a known `version`, HTML entities such as `&nbsp;` that XML does not
//! define, and bare `&` in text.
//!
//! Every repair keeps line numbers: text that is dropped is replaced by the newlines it held, so
//! an error position still points at the line the publisher wrote.

use std::borrow::Cow;

use super::entities;

/// What [`prepare_xml`] makes of a feed's decoded text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Prepared {
    /// Nothing to repair: the text from this byte on (before it, the prologue and the XML
    /// declaration dropped), with no copy made.
    From(usize),
    /// Repaired: a copy.
    Fixed(String),
}

impl Prepared {
    /// The text to parse, out of `text` (the text [`prepare_xml`] was given).
    #[cfg(test)]
    fn of<'a>(&'a self, text: &'a str) -> &'a str {
        match self {
            Prepared::From(at) => &text[*at..],
            Prepared::Fixed(fixed) => fixed,
        }
    }
}

/// Prepares decoded XML text for feed-rs: see the module documentation for what changes.
///
/// Makes no copy where no repair changes `text` (a feed whose XML declaration holds no line
/// break and that needs no other repair, nearly every feed): a copy of a whole feed's text costs
/// as much as reading it. Where the kept text starts is said, not left to be worked out (the
/// decoded text may be an owned string, cut in place by the caller).
pub(crate) fn prepare_xml(text: &str) -> Prepared {
    match strip_prologue(text) {
        Prepared::From(from) => {
            let rest = &text[from..];
            match fix_rss_version(rest) {
                Cow::Borrowed(_) => match fix_entities(rest) {
                    Cow::Borrowed(_) => Prepared::From(from),
                    Cow::Owned(fixed) => Prepared::Fixed(fixed),
                },
                Cow::Owned(fixed) => Prepared::Fixed(fix_entities(&fixed).into_owned()),
            }
        }
        Prepared::Fixed(stripped) => {
            let fixed = fix_rss_version(&stripped);
            Prepared::Fixed(fix_entities(&fixed).into_owned())
        }
    }
}

/// Drops junk before the first markup and the XML declaration, keeping their newlines: no
/// copy (the text from the first byte kept) when what is dropped holds no line break.
fn strip_prologue(text: &str) -> Prepared {
    let head = &text[..floor_char_boundary(text, 1024)];
    let start = head
        .find("<?xml")
        .or_else(|| text.find('<'))
        .unwrap_or(text.len());
    let rest = &text[start..];
    // Where the kept text starts: after the declaration, if there is one.
    let kept = match rest.strip_prefix("<?xml").and_then(|_| rest.find("?>")) {
        Some(end) => start + end + 2,
        None => start,
    };
    let dropped = &text[..kept];
    if !dropped.contains('\n') {
        return Prepared::From(kept);
    }
    let mut out = newlines_of(dropped);
    out.push_str(&text[kept..]);
    Prepared::Fixed(out)
}

fn newlines_of(s: &str) -> String {
    "\n".repeat(s.matches('\n').count())
}

fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The byte offset of the root element's `<`, skipping declarations, comments and a doctype.
pub(crate) fn root_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len()
            && (bytes[i].is_ascii_whitespace() || text[i..].starts_with('\u{feff}'))
        {
            i += if bytes[i] == 0xEF { 3 } else { 1 };
        }
        let rest = &text[i..];
        if rest.starts_with("<?") {
            i += rest.find("?>")? + 2;
        } else if rest.starts_with("<!--") {
            i += rest.find("-->")? + 3;
        } else if rest.starts_with("<!") {
            i += skip_doctype(rest)?;
        } else if rest.starts_with('<') {
            return Some(i);
        } else {
            return None;
        }
    }
}

/// Length of a `<!DOCTYPE ...>` declaration, internal subset included.
fn skip_doctype(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth -= 1,
            b'>' if depth <= 0 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The name of the root element, as written (prefix included).
pub(crate) fn root_name(text: &str) -> Option<&str> {
    let start = root_start(text)? + 1;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Gives an `<rss>` root a version feed-rs knows ("2.0" unless it says 0.91 or 0.92).
fn fix_rss_version(text: &str) -> Cow<'_, str> {
    let Some(start) = root_start(text) else {
        return Cow::Borrowed(text);
    };
    if root_name(text) != Some("rss") {
        return Cow::Borrowed(text);
    }
    let Some(tag_len) = tag_length(&text[start..]) else {
        return Cow::Borrowed(text);
    };
    let tag = &text[start..start + tag_len];
    let fixed = match version_value(tag) {
        Some((_, "2.0" | "0.91" | "0.92")) => return Cow::Borrowed(text),
        Some((range, _)) => format!("{}\"2.0\"{}", &tag[..range.start], &tag[range.end..]),
        None => format!("<rss version=\"2.0\"{}", &tag[4..]),
    };
    Cow::Owned(format!(
        "{}{}{}",
        &text[..start],
        fixed,
        &text[start + tag_len..]
    ))
}

/// Length of the start tag at the beginning of `s`, quotes respected.
fn tag_length(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The byte range (quotes included) and value of a `version` attribute inside a start tag.
fn version_value(tag: &str) -> Option<(std::ops::Range<usize>, &str)> {
    let mut search = 0;
    while let Some(found) = tag[search..].find("version") {
        let at = search + found;
        search = at + "version".len();
        if !tag[..at].ends_with(|c: char| c.is_whitespace()) {
            continue;
        }
        let after = tag[search..].trim_start();
        let Some(after_eq) = after.strip_prefix('=') else {
            continue;
        };
        let value = after_eq.trim_start();
        let quote = value.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let begin = tag.len() - value.len();
        let len = value[1..].find(quote)?;
        return Some((
            begin..begin + len + 2,
            tag[begin + 1..begin + 1 + len].trim(),
        ));
    }
    None
}

/// Rewrites entity references XML would reject: HTML named entities become numeric references,
/// unknown names and bare `&` become `&amp;`, and numeric references to characters XML forbids
/// become U+FFFD, except controls: an escape sequence written with `&#27;` keeps a form the
/// sanitiser removes whole (see [`escape_replacement`]) and other C0 controls are dropped. CDATA sections, comments and the doctype are left as they are.
pub(crate) fn fix_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    // Only an `&` or a `<!` (a CDATA section, comment or declaration, copied untouched) needs
    // a look; both are found with memchr, and the next `<!` only when the last one is passed,
    // so the text is scanned once however many entities it holds (stopping at every `<` made
    // this a tenth of a download's parse). The text is copied only from its first reference
    // that changes (most feeds hold only `&amp;`, `&lt;` and the like, and are not copied).
    let bytes = text.as_bytes();
    let declarations = memchr::memmem::Finder::new(b"<!");
    // The repaired text, once a reference changed, and how much of `text` it covers.
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut at = 0;
    let mut bang = declarations.find(bytes);
    loop {
        if bang.is_some_and(|b| b < at) {
            bang = declarations.find(&bytes[at..]).map(|p| p + at);
        }
        let amp = memchr::memchr(b'&', &bytes[at..]).map(|p| p + at);
        let pos = match (amp, bang) {
            (Some(a), Some(b)) => a.min(b),
            (Some(p), None) | (None, Some(p)) => p,
            (None, None) => break,
        };
        let rest = &text[pos..];
        if rest.starts_with('<') {
            at = pos + verbatim_length(rest).unwrap_or(1);
            continue;
        }
        let (replacement, used) = entity_replacement(rest);
        if *replacement != rest[..used] {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len() + 64));
            out.push_str(&text[copied..pos]);
            out.push_str(&replacement);
            copied = pos + used;
        }
        at = pos + used;
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

/// Length of a CDATA section, comment or declaration at the start of `s`, to copy untouched.
fn verbatim_length(s: &str) -> Option<usize> {
    if s.starts_with("<![CDATA[") {
        Some(s.find("]]>").map_or(s.len(), |i| i + 3))
    } else if s.starts_with("<!--") {
        Some(s.find("-->").map_or(s.len(), |i| i + 3))
    } else if s.starts_with("<!") {
        skip_doctype(s)
    } else {
        None
    }
}

/// What to write for the `&` at the start of `s`, and how many bytes of `s` that replaces.
fn entity_replacement(s: &str) -> (Cow<'_, str>, usize) {
    let body_len = s[1..]
        .bytes()
        .take(32)
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
        .count();
    let body = &s[1..1 + body_len];
    if body_len == 0 || !s[1 + body_len..].starts_with(';') {
        return (Cow::Borrowed("&amp;"), 1);
    }
    let used = body_len + 2;
    if let Some(num) = body.strip_prefix('#') {
        let value = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        return match value {
            Some(v) if xml_char(v) => (Cow::Borrowed(&s[..used]), used),
            Some(0x1b) => escape_replacement(&s[used..], used),
            // BEL ends an OSC string as ST does; ST is a character XML allows.
            Some(0x07) => (Cow::Borrowed("&#x9C;"), used),
            Some(v) if v < 0x20 => (Cow::Borrowed(""), used),
            Some(_) => (Cow::Borrowed("&#xFFFD;"), used),
            None => (Cow::Borrowed("&amp;"), 1),
        };
    }
    match body {
        "amp" | "lt" | "gt" | "quot" | "apos" => (Cow::Borrowed(&s[..used]), used),
        name => match entities::code_point(name) {
            Some(cp) => (Cow::Owned(format!("&#{cp};")), used),
            None => (Cow::Borrowed("&amp;"), 1),
        },
    }
}

/// What to write for an escape character given as a reference (`&#27;`), which XML forbids, so
/// that its sequence can still be removed whole later: `ESC` and a byte from `@` to `_` is the
/// 7-bit form of a C1 control (`ESC [` is CSI, `ESC ]` is OSC), which XML allows, so the pair
/// becomes a reference to that control; any other escape sequence (`ESC (B`, `ESC c`) is dropped
/// here with the characters it consists of. `used` is the length of the reference, `after` what
/// follows it.
fn escape_replacement(after: &str, used: usize) -> (Cow<'static, str>, usize) {
    let bytes = after.as_bytes();
    if let Some(&b) = bytes.first()
        && (0x40..=0x5f).contains(&b)
    {
        return (
            Cow::Owned(format!("&#x{:X};", u32::from(b) + 0x40)),
            used + 1,
        );
    }
    // Markup (`<`, `&`) is never part of the sequence.
    let intermediates = bytes
        .iter()
        .take_while(|&&b| (0x20..=0x2f).contains(&b) && b != b'&')
        .count();
    let fin = bytes
        .get(intermediates)
        .is_some_and(|&b| (0x30..=0x7e).contains(&b) && b != b'<');
    (Cow::Borrowed(""), used + intermediates + usize::from(fin))
}

/// Whether XML 1.0 allows this code point in a document.
fn xml_char(v: u32) -> bool {
    matches!(v, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The walk `fix_entities` made before it searched with memchr: it stopped at every `<`.
    fn fix_entities_stopping_at_every_tag(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(pos) = rest.find(['&', '<']) {
            out.push_str(&rest[..pos]);
            rest = &rest[pos..];
            if rest.starts_with('<') {
                let skip = verbatim_length(rest).unwrap_or(1);
                out.push_str(&rest[..skip]);
                rest = &rest[skip..];
                continue;
            }
            let (replacement, used) = entity_replacement(rest);
            out.push_str(&replacement);
            rest = &rest[used..];
        }
        out.push_str(rest);
        out
    }

    proptest! {
        #[test]
        fn entities_are_fixed_as_a_walk_over_every_tag_fixes_them(
            pieces in proptest::collection::vec(prop::sample::select(vec![
                "&", "&amp;", "&nbsp;", "&eacute;", "&#233;", "&#27;", "&#x1;", "&bogus;", "&#",
                "<![CDATA[", "]]>", "<!--", "-->", "<!DOCTYPE rss [<!ENTITY x \"y\">]>", "<!",
                "<a>", "</a>", "<", ">", "!", "x", "é", " ", ";", "\n",
            ]), 0..40)
        ) {
            let text: String = pieces.concat();
            prop_assert_eq!(
                fix_entities(&text).into_owned(),
                fix_entities_stopping_at_every_tag(&text)
            );
        }
    }

    #[test]
    fn entities_are_mapped_and_bare_ampersands_escaped() {
        let fixed =
            fix_entities("<t>a&nbsp;b &amp; c & d &bogus; &#233; &#0; &#xFFFF; &eacute;</t>");
        assert_eq!(
            fixed,
            "<t>a&#160;b &amp; c &amp; d &amp;bogus; &#233;  &#xFFFD; &#233;</t>"
        );
    }

    #[test]
    fn cdata_and_comments_are_untouched() {
        let text = "<t><![CDATA[a & b&nbsp;]]><!-- & --></t>";
        assert_eq!(fix_entities(text), text);
    }

    #[test]
    fn rss_version_is_added_or_normalised() {
        assert!(fix_rss_version("<rss><channel/></rss>").starts_with("<rss version=\"2.0\">"));
        assert!(fix_rss_version("<rss xmlns:a='x' version='2.0.1'>").contains("version=\"2.0\""));
        assert_eq!(
            fix_rss_version("<rss version=\"0.91\">"),
            "<rss version=\"0.91\">"
        );
        assert_eq!(
            fix_rss_version("<feed version=\"x\">"),
            "<feed version=\"x\">"
        );
    }

    #[test]
    fn prologue_junk_and_declaration_are_dropped_keeping_lines() {
        let out = strip_prologue("junk\n  <?xml version=\"1.0\" encoding=\"latin1\"?>\n<rss/>");
        assert_eq!(out, Prepared::Fixed("\n\n<rss/>".into()));
    }

    #[test]
    fn a_feed_that_needs_no_repair_is_not_copied() {
        let text =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><c>&amp;</c></rss>";
        let out = prepare_xml(text);
        // Kept from the line break after the declaration on.
        assert_eq!(out, Prepared::From(38), "copied: {out:?}");
        assert_eq!(out.of(text), "\n<rss version=\"2.0\"><c>&amp;</c></rss>");
        assert_eq!(prepare_xml("<feed/>"), Prepared::From(0));
        assert_eq!(prepare_xml("junk <feed/>"), Prepared::From(5));
        // Each repair still makes its copy: a line break dropped with the declaration, an
        // `<rss>` without a known version, an entity XML does not define.
        let cases = [
            (
                "<?xml version=\"1.0\"\n?><rss version=\"2.0\"/>",
                "\n<rss version=\"2.0\"/>",
            ),
            (
                "<?xml version=\"1.0\"?><rss version=\"9\"/>",
                "<rss version=\"2.0\"/>",
            ),
            (
                "<rss version=\"2.0\">&nbsp;</rss>",
                "<rss version=\"2.0\">&#160;</rss>",
            ),
        ];
        for (text, repaired) in cases {
            assert_eq!(
                prepare_xml(text),
                Prepared::Fixed(repaired.into()),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn what_is_kept_is_what_the_repairs_give(
            text in "(junk|\n| |<\\?xml version=\"1.0\"\\?>|<rss version=\"(2.0|9)\">|<feed>|&amp;|&nbsp;|&#27;|é|<!\\[CDATA\\[&x;\\]\\]>|text|</rss>){0,8}"
        ) {
            // The text kept, read from where it starts, is the text the three repairs make one
            // after another.
            let stripped = strip_prologue(&text);
            let stepwise = fix_entities(&fix_rss_version(stripped.of(&text))).into_owned();
            let prepared = prepare_xml(&text);
            proptest::prop_assert_eq!(prepared.of(&text), stepwise.as_str());
        }
    }

    #[test]
    fn root_name_skips_prologue() {
        let text = "<?xml version='1.0'?><!-- c --><!DOCTYPE rss [<!ENTITY a 'b'>]>\n<rdf:RDF>";
        assert_eq!(root_name(text), Some("rdf:RDF"));
    }

    #[test]
    fn escape_references_keep_a_form_removed_whole() {
        assert_eq!(
            fix_entities("<t>A&#27;[31mB&#x1B;]52;c;aGk=&#7;C&#27;(BD&#27;cE&#0;&#xD800;</t>"),
            "<t>A&#x9B;31mB&#x9D;52;c;aGk=&#x9C;CDE&#xFFFD;</t>"
        );
        // The sequence never swallows markup.
        assert_eq!(fix_entities("<t>x&#27;</t>"), "<t>x</t>");
        assert_eq!(fix_entities("<t>x&#27; &amp;</t>"), "<t>x&amp;</t>");
    }
}

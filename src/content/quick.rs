//! A quick path for the HTML of ordinary item bodies: well-nested markup of common elements,
//! read in one pass straight into the walker, without html5ever's tokenizer, its tree builder
//! and the tree between them (they took about a sixth of a first fetch's processor time).
//!
//! It hands on exactly the edges (element starts and ends, text nodes) that walking the bounded
//! parse's tree of the same body gives, or it gives up and the body goes through that parse
//! (see [`super::bounded`]). It gives up on whatever the HTML5 tree builder would reshape or the
//! tokenizer reads in a special way: an end tag that does not close the current element (other
//! than the paragraphs and list items the tree builder closes itself), a second `<a>` inside an
//! `<a>`, a block opened inside an inline element inside a `<p>`, an element outside its short
//! list (tables, forms, scripts, styles, media, SVG, unknown names), `<!DOCTYPE>` and CDATA, a
//! named character reference without its semicolon, a numeric one the tokenizer replaces,
//! duplicate attributes, a NUL, and nesting or element counts near the bounded parse's limits.
//! So it never decides how broken markup is repaired: the tree builder still does.
//!
//! Tests compare its edges with the tree's on generated tag soup and on the datasets' real
//! bodies.

use std::borrow::Cow;

use html5ever::data::NAMED_ENTITIES;

use super::bounded::{MAX_DEPTH, MAX_FORMATTING, element_budget};
use super::edges::{Edges, Tag};

/// How the tree builder treats an element the quick path takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// Inserted where it stands (`<span>`).
    Phrasing,
    /// Inserted, and kept in the tree builder's list of active formatting elements (`<b>`).
    Formatting,
    /// Closes an open `<p>` first (`<div>`, `<p>`, `<ul>` ...).
    Block,
    /// `<h1>` to `<h6>`: a block that also closes an open heading.
    Heading,
    /// `<pre>`: a block whose first line feed is dropped.
    Pre,
    /// `<li>`: closes an open `<li>` (and `<p>`).
    Item,
    /// `<dd>` and `<dt>`: close an open `<dd>` or `<dt>` (and `<p>`).
    Definition,
    /// Without content: `<br>`, `<img>`, `<wbr>`.
    Void,
    /// `<hr>`: without content, and closes an open `<p>`.
    Rule,
}

/// The elements the quick path takes, by lower-case name.
fn element(name: &[u8]) -> Option<(&'static str, Kind)> {
    use Kind::*;
    Some(match name {
        b"a" => ("a", Formatting),
        b"b" => ("b", Formatting),
        b"big" => ("big", Formatting),
        b"code" => ("code", Formatting),
        b"em" => ("em", Formatting),
        b"font" => ("font", Formatting),
        b"i" => ("i", Formatting),
        b"s" => ("s", Formatting),
        b"small" => ("small", Formatting),
        b"strike" => ("strike", Formatting),
        b"strong" => ("strong", Formatting),
        b"tt" => ("tt", Formatting),
        b"u" => ("u", Formatting),
        b"abbr" => ("abbr", Phrasing),
        b"acronym" => ("acronym", Phrasing),
        b"bdi" => ("bdi", Phrasing),
        b"bdo" => ("bdo", Phrasing),
        b"cite" => ("cite", Phrasing),
        b"data" => ("data", Phrasing),
        b"del" => ("del", Phrasing),
        b"dfn" => ("dfn", Phrasing),
        b"ins" => ("ins", Phrasing),
        b"kbd" => ("kbd", Phrasing),
        b"mark" => ("mark", Phrasing),
        b"q" => ("q", Phrasing),
        b"samp" => ("samp", Phrasing),
        b"span" => ("span", Phrasing),
        b"sub" => ("sub", Phrasing),
        b"sup" => ("sup", Phrasing),
        b"time" => ("time", Phrasing),
        b"var" => ("var", Phrasing),
        b"address" => ("address", Block),
        b"article" => ("article", Block),
        b"aside" => ("aside", Block),
        b"blockquote" => ("blockquote", Block),
        b"center" => ("center", Block),
        b"details" => ("details", Block),
        b"dir" => ("dir", Block),
        b"div" => ("div", Block),
        b"dl" => ("dl", Block),
        b"fieldset" => ("fieldset", Block),
        b"figcaption" => ("figcaption", Block),
        b"figure" => ("figure", Block),
        b"footer" => ("footer", Block),
        b"header" => ("header", Block),
        b"hgroup" => ("hgroup", Block),
        b"main" => ("main", Block),
        b"menu" => ("menu", Block),
        b"nav" => ("nav", Block),
        b"ol" => ("ol", Block),
        b"p" => ("p", Block),
        b"section" => ("section", Block),
        b"summary" => ("summary", Block),
        b"ul" => ("ul", Block),
        b"h1" => ("h1", Heading),
        b"h2" => ("h2", Heading),
        b"h3" => ("h3", Heading),
        b"h4" => ("h4", Heading),
        b"h5" => ("h5", Heading),
        b"h6" => ("h6", Heading),
        b"pre" => ("pre", Pre),
        b"li" => ("li", Item),
        b"dd" => ("dd", Definition),
        b"dt" => ("dt", Definition),
        b"br" => ("br", Void),
        b"img" => ("img", Void),
        b"wbr" => ("wbr", Void),
        b"hr" => ("hr", Rule),
        _ => return None,
    })
}

/// Open elements the tree builder closes itself when a block or list item ends around them.
fn implied_end(name: &str) -> bool {
    matches!(name, "p" | "li" | "dd" | "dt")
}

/// Open elements that stop the tree builder's search for a list item to close (its "special"
/// elements other than `<address>`, `<div>` and `<p>`).
fn stops_item_search(name: &str, kind: Kind) -> bool {
    match kind {
        Kind::Block => !matches!(name, "address" | "div" | "p"),
        Kind::Heading | Kind::Pre | Kind::Item | Kind::Definition => true,
        _ => false,
    }
}

/// Why the quick path stopped: the body needs the full parse.
struct GiveUp;

type Step<T = ()> = Result<T, GiveUp>;

/// An element as the quick path read it.
struct Element<'s, 'a> {
    name: &'static str,
    attrs: &'s [(Cow<'a, str>, Cow<'a, str>)],
}

impl Tag for Element<'_, '_> {
    fn name(&self) -> &str {
        self.name
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    #[cfg(test)]
    fn attr_list(&self) -> Vec<(String, String)> {
        super::edges::sorted_attrs(self.attrs.iter().map(|(n, v)| (n.as_ref(), v.as_ref())))
    }
}

/// Hands `raw`'s edges to `out` and returns `true`, or returns `false` as soon as the body needs
/// the full parse (`out` has then been given part of them, to be thrown away).
pub(super) fn scan(raw: &str, out: &mut impl Edges) -> bool {
    if raw.contains('\r') {
        // The tokenizer's input stream turns every CR LF and lone CR into LF first.
        let normal = raw.replace("\r\n", "\n").replace('\r', "\n");
        return Scanner::new(&normal).run(out).is_ok();
    }
    Scanner::new(raw).run(out).is_ok()
}

/// Text read since the last element edge or comment: one text node in the tree.
enum Pending {
    None,
    /// A stretch of the body as it stands.
    Slice(usize, usize),
    /// Text with character references decoded.
    Owned,
}

struct Scanner<'a> {
    raw: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// Open elements below the fragment's `<html>`.
    stack: Vec<(&'static str, Kind)>,
    formatting: usize,
    links: usize,
    paragraphs: usize,
    elements: usize,
    budget: usize,
    pending: Pending,
    owned: String,
    attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> Scanner<'a> {
    fn new(raw: &'a str) -> Self {
        Scanner {
            raw,
            bytes: raw.as_bytes(),
            at: 0,
            stack: Vec::with_capacity(16),
            formatting: 0,
            links: 0,
            paragraphs: 0,
            // The context `<body>` and the fragment's `<html>`.
            elements: 2,
            budget: element_budget(raw.len()),
            pending: Pending::None,
            owned: String::new(),
            attrs: Vec::new(),
        }
    }

    fn run(mut self, out: &mut impl Edges) -> Step {
        if self.bytes.contains(&0) {
            return Err(GiveUp);
        }
        // A long body with more tags than the element budget would be read to its end before
        // the quick path found out; each element takes a `<`, so count those first.
        if self.bytes.len() / 3 + 16 > self.budget
            && memchr::memchr_iter(b'<', self.bytes).count() + 16 > self.budget
        {
            return Err(GiveUp);
        }
        out.open(&Element {
            name: "html",
            attrs: &[],
        });
        // The tokenizer drops a byte order mark at the start.
        if self.raw.starts_with('\u{feff}') {
            self.at = 3;
        }
        let n = self.bytes.len();
        while self.at < n {
            let Some(lt) = memchr::memchr2(b'<', b'&', &self.bytes[self.at..]) else {
                self.push_text(self.at, n);
                self.at = n;
                break;
            };
            let lt = self.at + lt;
            self.push_text(self.at, lt);
            self.at = lt;
            if self.bytes[lt] == b'&' {
                self.char_ref_in_text()?;
            } else {
                self.markup(out)?;
            }
        }
        self.flush(out);
        while let Some((name, _)) = self.stack.pop() {
            out.close(name);
        }
        out.close("html");
        Ok(())
    }

    /// Adds `raw[start..end]` to the pending text.
    fn push_text(&mut self, start: usize, end: usize) {
        if start == end {
            return;
        }
        match self.pending {
            Pending::None => self.pending = Pending::Slice(start, end),
            Pending::Slice(s, e) if e == start => self.pending = Pending::Slice(s, end),
            Pending::Slice(s, e) => {
                self.owned.clear();
                self.owned.push_str(&self.raw[s..e]);
                self.owned.push_str(&self.raw[start..end]);
                self.pending = Pending::Owned;
            }
            Pending::Owned => self.owned.push_str(&self.raw[start..end]),
        }
    }

    /// Adds decoded characters to the pending text.
    fn push_decoded(&mut self, chars: impl IntoIterator<Item = char>) {
        match self.pending {
            Pending::None => self.owned.clear(),
            Pending::Slice(s, e) => {
                self.owned.clear();
                self.owned.push_str(&self.raw[s..e]);
            }
            Pending::Owned => {}
        }
        self.owned.extend(chars);
        self.pending = Pending::Owned;
    }

    /// Hands the pending text on as one text node.
    fn flush(&mut self, out: &mut impl Edges) {
        match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::None => {}
            Pending::Slice(s, e) => out.text(&self.raw[s..e]),
            Pending::Owned => out.text(&self.owned),
        }
    }

    /// A `&` in text, at `self.at`.
    fn char_ref_in_text(&mut self) -> Step {
        match char_ref(self.bytes, self.at)? {
            Ref::Literal => {
                self.push_text(self.at, self.at + 1);
                self.at += 1;
            }
            Ref::Decoded(chars, len) => {
                self.push_decoded(chars.into_iter().flatten());
                self.at += len;
            }
        }
        Ok(())
    }

    /// A `<` at `self.at`: a tag, a comment, or a plain `<`.
    fn markup(&mut self, out: &mut impl Edges) -> Step {
        let next = self.bytes.get(self.at + 1).copied();
        match next {
            Some(c) if c.is_ascii_alphabetic() => self.start_tag(out),
            Some(b'/') => self.end_tag(out),
            Some(b'!') => self.comment(out),
            Some(b'?') => Err(GiveUp),
            // Not markup: the tokenizer keeps the `<` as text.
            _ => {
                self.push_text(self.at, self.at + 1);
                self.at += 1;
                Ok(())
            }
        }
    }

    /// A tag name from `self.at`, lowered into `buf`; leaves `self.at` after it.
    fn tag_name<'b>(&mut self, buf: &'b mut [u8; 12]) -> Step<&'b [u8]> {
        let mut n = 0;
        while let Some(&c) = self.bytes.get(self.at) {
            if !c.is_ascii_alphanumeric() {
                break;
            }
            if n == buf.len() {
                return Err(GiveUp);
            }
            buf[n] = c.to_ascii_lowercase();
            n += 1;
            self.at += 1;
        }
        match self.bytes.get(self.at) {
            Some(b'\t' | b'\n' | b'\x0c' | b' ' | b'/' | b'>') => Ok(&buf[..n]),
            _ => Err(GiveUp),
        }
    }

    fn skip_space(&mut self) {
        while let Some(b'\t' | b'\n' | b'\x0c' | b' ') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// A start tag at `self.at`.
    fn start_tag(&mut self, out: &mut impl Edges) -> Step {
        self.at += 1;
        let mut buf = [0u8; 12];
        let (name, kind) = element(self.tag_name(&mut buf)?).ok_or(GiveUp)?;
        self.attributes()?;
        self.flush(out);
        self.elements += 1;
        if self.elements + 8 > self.budget || self.stack.len() + 9 >= MAX_DEPTH as usize {
            return Err(GiveUp);
        }
        match kind {
            Kind::Phrasing => {}
            Kind::Formatting => {
                if self.formatting + 4 >= MAX_FORMATTING || (name == "a" && self.links > 0) {
                    return Err(GiveUp);
                }
            }
            Kind::Block | Kind::Pre | Kind::Rule => self.close_paragraph(out)?,
            Kind::Heading => {
                self.close_paragraph(out)?;
                if matches!(self.stack.last(), Some((_, Kind::Heading))) {
                    return Err(GiveUp);
                }
            }
            Kind::Item | Kind::Definition => {
                self.close_item(kind, out)?;
                self.close_paragraph(out)?;
            }
            Kind::Void => {}
        }
        let el = Element {
            name,
            attrs: &self.attrs,
        };
        out.open(&el);
        if matches!(kind, Kind::Void | Kind::Rule) {
            out.close(name);
        } else {
            self.push(name, kind);
        }
        if kind == Kind::Pre {
            match self.bytes.get(self.at) {
                // The tree builder drops a line feed right after `<pre>`.
                Some(b'\n') => self.at += 1,
                Some(b'&') => return Err(GiveUp),
                _ => {}
            }
        }
        Ok(())
    }

    fn push(&mut self, name: &'static str, kind: Kind) {
        match name {
            "a" => self.links += 1,
            "p" => self.paragraphs += 1,
            _ => {}
        }
        if kind == Kind::Formatting {
            self.formatting += 1;
        }
        self.stack.push((name, kind));
    }

    fn pop(&mut self, out: &mut impl Edges) {
        if let Some((name, kind)) = self.stack.pop() {
            match name {
                "a" => self.links -= 1,
                "p" => self.paragraphs -= 1,
                _ => {}
            }
            if kind == Kind::Formatting {
                self.formatting -= 1;
            }
            out.close(name);
        }
    }

    /// Before a block: the tree builder closes an open `<p>` (taken only when it is the
    /// current element: otherwise the elements inside it would be re-opened after it).
    fn close_paragraph(&mut self, out: &mut impl Edges) -> Step {
        if self.paragraphs == 0 {
            return Ok(());
        }
        if matches!(self.stack.last(), Some(("p", _))) {
            self.pop(out);
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// Before `<li>`, `<dd>` or `<dt>`: the tree builder closes an open one of its kind that it
    /// finds before a block (taken only when it is the current element).
    fn close_item(&mut self, kind: Kind, out: &mut impl Edges) -> Step {
        let closes = |name: &str| match kind {
            Kind::Item => name == "li",
            _ => matches!(name, "dd" | "dt"),
        };
        for (depth, &(name, k)) in self.stack.iter().rev().enumerate() {
            if closes(name) {
                if depth > 0 {
                    return Err(GiveUp);
                }
                self.pop(out);
                return Ok(());
            }
            if stops_item_search(name, k) {
                break;
            }
        }
        Ok(())
    }

    /// An end tag at `self.at`.
    fn end_tag(&mut self, out: &mut impl Edges) -> Step {
        self.at += 2;
        if !self
            .bytes
            .get(self.at)
            .is_some_and(|c| c.is_ascii_alphabetic())
        {
            return Err(GiveUp);
        }
        let mut buf = [0u8; 12];
        let (name, kind) = element(self.tag_name(&mut buf)?).ok_or(GiveUp)?;
        self.skip_space();
        if self.bytes.get(self.at) != Some(&b'>') {
            return Err(GiveUp);
        }
        self.at += 1;
        self.flush(out);
        match kind {
            Kind::Void | Kind::Rule => return Err(GiveUp),
            Kind::Block | Kind::Heading | Kind::Pre | Kind::Item | Kind::Definition => {
                // The tree builder closes the paragraphs and list items still open inside.
                if !self.stack.iter().any(|&(n, _)| n == name) {
                    return Err(GiveUp);
                }
                while let Some(&(top, _)) = self.stack.last()
                    && top != name
                    && implied_end(top)
                {
                    self.pop(out);
                }
            }
            Kind::Phrasing | Kind::Formatting => {}
        }
        match self.stack.last() {
            Some(&(top, _)) if top == name => {
                self.pop(out);
                Ok(())
            }
            _ => Err(GiveUp),
        }
    }

    /// `<!--` ... `-->` at `self.at`; any other `<!` gives up.
    fn comment(&mut self, out: &mut impl Edges) -> Step {
        let rest = &self.bytes[self.at..];
        if !rest.starts_with(b"<!--") {
            return Err(GiveUp);
        }
        let body = &rest[4..];
        if body.starts_with(b">") || body.starts_with(b"->") {
            return Err(GiveUp);
        }
        // The comment ends at its first `--`, which must be `-->`.
        let end = memchr::memmem::find(body, b"--").ok_or(GiveUp)?;
        if body.get(end + 2) != Some(&b'>') {
            return Err(GiveUp);
        }
        // A comment node stands between the text before and after it.
        self.flush(out);
        self.at += 4 + end + 3;
        Ok(())
    }

    /// The attributes of a start tag, up to and past its `>`.
    fn attributes(&mut self) -> Step {
        self.attrs.clear();
        loop {
            self.skip_space();
            match self.bytes.get(self.at) {
                Some(b'>') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b'/') => {
                    // Self-closing: acknowledged on void elements, ignored on others.
                    if self.bytes.get(self.at + 1) != Some(&b'>') {
                        return Err(GiveUp);
                    }
                    self.at += 2;
                    return Ok(());
                }
                Some(_) => self.attribute()?,
                None => return Err(GiveUp),
            }
        }
    }

    /// One attribute from `self.at`.
    fn attribute(&mut self) -> Step {
        let start = self.at;
        while let Some(&c) = self.bytes.get(self.at) {
            match c {
                b'\t' | b'\n' | b'\x0c' | b' ' | b'/' | b'>' | b'=' => break,
                b'"' | b'\'' | b'<' => return Err(GiveUp),
                _ => self.at += 1,
            }
        }
        if self.at == start {
            return Err(GiveUp);
        }
        let raw_name = &self.raw[start..self.at];
        let name = if raw_name.bytes().any(|c| c.is_ascii_uppercase()) {
            Cow::Owned(raw_name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(raw_name)
        };
        self.skip_space();
        let value = if self.bytes.get(self.at) == Some(&b'=') {
            self.at += 1;
            self.skip_space();
            self.value()?
        } else {
            Cow::Borrowed("")
        };
        if self.attrs.iter().any(|(n, _)| *n == name) {
            return Err(GiveUp);
        }
        self.attrs.push((name, value));
        Ok(())
    }

    /// An attribute's value from `self.at`.
    fn value(&mut self) -> Step<Cow<'a, str>> {
        let (start, end) = match self.bytes.get(self.at) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = self.at + 1;
                let len = memchr::memchr(q, &self.bytes[start..]).ok_or(GiveUp)?;
                self.at = start + len + 1;
                // After a quoted value the tokenizer expects a space, `/` or `>`.
                if !matches!(
                    self.bytes.get(self.at),
                    Some(b'\t' | b'\n' | b'\x0c' | b' ' | b'/' | b'>')
                ) {
                    return Err(GiveUp);
                }
                (start, start + len)
            }
            Some(b'>') | None => return Err(GiveUp),
            Some(_) => {
                let start = self.at;
                while let Some(&c) = self.bytes.get(self.at) {
                    match c {
                        b'\t' | b'\n' | b'\x0c' | b' ' | b'>' => break,
                        b'"' | b'\'' | b'<' | b'=' | b'`' => return Err(GiveUp),
                        _ => self.at += 1,
                    }
                }
                (start, self.at)
            }
        };
        let raw = &self.raw[start..end];
        if !raw.contains('&') {
            return Ok(Cow::Borrowed(raw));
        }
        let mut value = String::with_capacity(raw.len());
        let bytes = raw.as_bytes();
        let mut i = 0;
        while let Some(amp) = memchr::memchr(b'&', &bytes[i..]) {
            value.push_str(&raw[i..i + amp]);
            i += amp;
            match char_ref(bytes, i)? {
                Ref::Literal => {
                    value.push('&');
                    i += 1;
                }
                Ref::Decoded(chars, len) => {
                    value.extend(chars.into_iter().flatten());
                    i += len;
                }
            }
        }
        value.push_str(&raw[i..]);
        Ok(Cow::Owned(value))
    }
}

/// What a `&` stands for.
enum Ref {
    /// The `&` itself: what follows is not a reference.
    Literal,
    /// One or two characters, and the length of the reference.
    Decoded([Option<char>; 2], usize),
}

/// The character reference at `bytes[at]` (a `&`), as the tokenizer reads it where it reads it
/// the same in text and in attribute values; gives up on the others.
fn char_ref(bytes: &[u8], at: usize) -> Step<Ref> {
    let after = &bytes[at + 1..];
    if after.first() == Some(&b'#') {
        return numeric_ref(&after[1..]).map(|(c, len)| Ref::Decoded([Some(c), None], len + 2));
    }
    let run = after
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if run == 0 {
        return Ok(Ref::Literal);
    }
    let name = std::str::from_utf8(&after[..run]).map_err(|_| GiveUp)?;
    if after.get(run) == Some(&b';') && run < 40 {
        let mut key = String::with_capacity(run + 1);
        key.push_str(name);
        key.push(';');
        if let Some(&(c1, c2)) = NAMED_ENTITIES.get(key.as_str())
            && c1 != 0
        {
            let first = char::from_u32(c1).ok_or(GiveUp)?;
            let second = if c2 == 0 {
                None
            } else {
                Some(char::from_u32(c2).ok_or(GiveUp)?)
            };
            return Ok(Ref::Decoded([Some(first), second], run + 2));
        }
    }
    // No reference with its semicolon: the text stays as it is unless a name without one
    // (`&amp`, `&copy` ...) begins it, which the tokenizer reads differently by context.
    for len in 1..=run {
        match NAMED_ENTITIES.get(&name[..len]) {
            Some(&(c1, _)) if c1 != 0 => return Err(GiveUp),
            Some(_) => {}
            None => break,
        }
    }
    Ok(Ref::Literal)
}

/// A numeric reference's digits and semicolon, after `&#`: its character and the bytes read.
/// Gives up on references the tokenizer replaces or reports (no digits, no semicolon, NUL,
/// controls, surrogates, the C1 range, noncharacters, out of range).
fn numeric_ref(bytes: &[u8]) -> Step<(char, usize)> {
    let (radix, skip) = match bytes.first() {
        Some(b'x' | b'X') => (16, 1),
        _ => (10, 0),
    };
    let digits = bytes[skip..]
        .iter()
        .take_while(|c| (**c as char).is_digit(radix))
        .count();
    if digits == 0 || digits > 7 || bytes.get(skip + digits) != Some(&b';') {
        return Err(GiveUp);
    }
    let text = std::str::from_utf8(&bytes[skip..skip + digits]).map_err(|_| GiveUp)?;
    let n = u32::from_str_radix(text, radix).map_err(|_| GiveUp)?;
    let plain = matches!(n, 0x09 | 0x0A | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFDCF)
        || (matches!(n, 0xFDF0..=0x10FFFF) && n & 0xFFFE != 0xFFFE);
    if !plain {
        return Err(GiveUp);
    }
    let c = char::from_u32(n).ok_or(GiveUp)?;
    Ok((c, skip + digits + 1))
}

#[cfg(test)]
#[path = "quick_tests.rs"]
mod tests;

//! Cutting a feed with very many items into smaller documents, so that feed-rs never holds more
//! than a chunk of them at once (its model costs about a kilobyte per item, even an empty one).
//!
//! A scan finds the byte range of each top-level item: `item` under an RSS `channel`, `item`
//! under an RSS 1.0 `rdf:RDF`, `entry` under an Atom `feed`. A chunk is then the text before the
//! first item, the chunk's items, and the text after the last item: a document of the same kind
//! with fewer items. A JSON Feed is cut the same way along its top-level `items` array.

use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::Event;

/// A cheap upper bound on the number of items in `text`: the count of `<item` and `<entry`.
/// Two vectorised substring searches (memchr's `memmem`), which stop only where one of them
/// occurs, rather than a stop at every `<` of the download.
pub(crate) fn count_hint(text: &str) -> usize {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"<item").count()
        + memchr::memmem::find_iter(bytes, b"<entry").count()
}

/// The byte ranges of the top-level items of `text`, in document order; `None` when the root is
/// not `rss`, `RDF` or `feed`, or the text is not well-formed enough to scan.
pub(crate) fn item_ranges(text: &str) -> Option<Vec<Range<usize>>> {
    let mut reader = Reader::from_str(text);
    let mut names: Vec<Vec<u8>> = Vec::new();
    let mut ranges = Vec::new();
    let mut open: Option<usize> = None;
    loop {
        let before = offset(reader.buffer_position());
        let event = reader.read_event().ok()?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.local_name().as_ref().to_vec();
                let empty = matches!(event, Event::Empty(_));
                if open.is_none() && is_item(&names, &name) {
                    if empty {
                        ranges.push(before..offset(reader.buffer_position()));
                    } else {
                        open = Some(before);
                    }
                }
                if names.is_empty() && !matches!(name.as_slice(), b"rss" | b"RDF" | b"feed") {
                    return None;
                }
                if !empty {
                    names.push(name);
                }
            }
            Event::End(_) => {
                names.pop();
                if let Some(start) = open
                    && is_item_depth(&names)
                {
                    ranges.push(start..offset(reader.buffer_position()));
                    open = None;
                }
                if names.is_empty() {
                    return Some(ranges);
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Whether an element `name` opened inside `parents` is a top-level item.
fn is_item(parents: &[Vec<u8>], name: &[u8]) -> bool {
    match (parents, name) {
        ([root, channel], b"item") => root == b"rss" && channel == b"channel",
        ([root], b"item") => root == b"RDF",
        ([root], b"entry") => root == b"feed",
        _ => false,
    }
}

/// Whether `parents` (after an end tag) is where a top-level item closes.
fn is_item_depth(parents: &[Vec<u8>]) -> bool {
    match parents {
        [root, channel] => root == b"rss" && channel == b"channel",
        [root] => root == b"RDF" || root == b"feed",
        _ => false,
    }
}

/// The byte ranges of the elements of a JSON Feed's top-level `items` array, in order; `None`
/// when `text` is not an object with such an array, or is cut short.
pub(crate) fn json_item_ranges(text: &str) -> Option<Vec<Range<usize>>> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut key: Option<Range<usize>> = None;
    let mut in_items = false;
    let mut seen_items = false;
    let mut element: Option<Range<usize>> = None;
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        match c {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if i >= b.len() {
                    return None;
                }
                if depth == 1 {
                    key = Some(start + 1..i);
                }
            }
            b'[' if depth == 1 && key.clone().map(|k| &b[k]) == Some(&b"items"[..]) => {
                if seen_items {
                    return None;
                }
                (in_items, seen_items) = (true, true);
                depth += 1;
                i += 1;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if in_items && depth == 1 {
                    ranges.extend(element.take());
                    in_items = false;
                    i += 1;
                    continue;
                }
            }
            b',' if in_items && depth == 2 => {
                ranges.extend(element.take());
                i += 1;
                continue;
            }
            _ if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        i += 1;
        if in_items && depth >= 2 {
            // Any other byte inside the array belongs to the current element.
            let e = element.get_or_insert(start..i);
            e.end = i;
        }
    }
    (depth == 0 && seen_items).then_some(ranges)
}

/// The document with only the items `ranges[chunk]` (joined by `sep`): the text before the first
/// item of all, those items, and the text after the last item of all.
pub(crate) fn sub_document(
    text: &str,
    ranges: &[Range<usize>],
    chunk: Range<usize>,
    sep: &str,
) -> String {
    let (Some(first), Some(last)) = (ranges.first(), ranges.last()) else {
        return text.to_string();
    };
    let items = &ranges[chunk];
    let size = first.start
        + (text.len() - last.end)
        + items.iter().map(|r| r.len() + sep.len()).sum::<usize>();
    let mut doc = String::with_capacity(size);
    doc.push_str(&text[..first.start]);
    for (n, r) in items.iter().enumerate() {
        if n > 0 {
            doc.push_str(sep);
        }
        doc.push_str(&text[r.clone()]);
    }
    doc.push_str(&text[last.end..]);
    doc
}

fn offset(pos: u64) -> usize {
    usize::try_from(pos).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_hint_counts_item_and_entry_openings() {
        let text = "<rss><channel><item>a</item><item/><items>x</items>< item>no</item>\
                    <entry>é</entry><entryway/>item entry <x>&lt;item</x></channel></rss>";
        // `<item` (3, `<items` included), `<entry` (2, `<entryway` included); not `< item`,
        // nor the escaped one or the bare words.
        assert_eq!(count_hint(text), 5);
        assert_eq!(count_hint(""), 0);
        assert_eq!(count_hint("<"), 0);
        assert_eq!(count_hint("ü<entry"), 1);
    }

    #[test]
    fn rss_items_are_found_under_the_channel_only() {
        let text = "<?xml version=\"1.0\"?><rss><channel><title>t</title>\
                    <item><title>a</title></item><item/><image><item>no</item></image>\
                    <item>c</item></channel></rss>";
        let ranges = item_ranges(text).unwrap();
        let found: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            found,
            ["<item><title>a</title></item>", "<item/>", "<item>c</item>"]
        );
        let doc = sub_document(text, &ranges, 1..2, "\n");
        assert!(doc.starts_with("<?xml version=\"1.0\"?><rss><channel><title>t</title><item/>"));
        assert!(doc.ends_with("</channel></rss>"), "{doc}");
        assert!(!doc.contains("<item>c</item>"));
    }

    #[test]
    fn atom_entries_and_rdf_items_are_found() {
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>1</id></entry>\
                    <entry><id>2</id></entry></feed>";
        assert_eq!(item_ranges(atom).unwrap().len(), 2);
        let rdf = "<rdf:RDF xmlns:rdf=\"x\"><channel/><item><title>a</title></item></rdf:RDF>";
        assert_eq!(item_ranges(rdf).unwrap().len(), 1);
    }

    #[test]
    fn json_items_are_found_in_the_top_level_array_only() {
        let text = r#"{"title":"items","x":[1,2],"items":[ {"id":"a","tags":["]",","]},
            "s\"x", 3 ,{"items":[{}]} ],"n":{}}"#;
        let ranges = json_item_ranges(text).unwrap();
        let found: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            found,
            [
                r#"{"id":"a","tags":["]",","]}"#,
                r#""s\"x""#,
                "3",
                r#"{"items":[{}]}"#
            ]
        );
        let doc = sub_document(text, &ranges, 0..2, ",");
        assert_eq!(
            doc,
            r#"{"title":"items","x":[1,2],"items":[ {"id":"a","tags":["]",","]},"s\"x" ],"n":{}}"#
        );
        assert_eq!(json_item_ranges(r#"{"items":[{"id":"#), None);
        assert_eq!(json_item_ranges(r#"{"title":"t"}"#), None);
    }

    #[test]
    fn other_documents_are_not_split() {
        assert_eq!(item_ranges("<html><item/></html>"), None);
        assert_eq!(item_ranges("<rss><channel><item>"), None);
    }
}

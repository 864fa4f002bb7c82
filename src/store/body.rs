//! How item bodies are kept: the raw content exactly as received, compressed with LZ4 when it
//! is long enough to gain from it.
//!
//! Compression is there for speed, not only space: a full refresh brings ~150 MB of HTML, and on
//! a machine whose disk takes 200-300 MB/s, writing it (once to the WAL, once more at checkpoint)
//! would cost more than the whole refresh budget. LZ4 shrinks typical article HTML 3-5x at well
//! over 500 MB/s, and reading it back is faster still. Decoding gives back the identical string.

use rusqlite::types::ValueRef;

/// Bodies shorter than this are stored as plain `TEXT` (codec 0): too small to gain.
const MIN_COMPRESSED: usize = 256;

/// Stored as plain UTF-8 text.
pub(crate) const PLAIN: i64 = 0;
/// Stored as an LZ4 block with its decompressed size prepended (`lz4_flex` block format).
pub(crate) const LZ4: i64 = 1;
/// A folded search text stored as its distinct words and the number of each word in turn
/// (`super::word_coded`); only `item_text` holds it.
pub(crate) const WORDS: i64 = 2;

/// A body ready to be stored: its codec and the value of the `content` column.
pub(crate) enum Encoded<'a> {
    /// Kept as text.
    Plain(&'a str),
    /// Compressed bytes.
    Lz4(std::borrow::Cow<'a, [u8]>),
    /// A folded text coded as its words.
    Words(&'a [u8]),
}

impl Encoded<'_> {
    /// The `codec` column's value.
    pub(crate) fn codec(&self) -> i64 {
        match self {
            Encoded::Plain(_) => PLAIN,
            Encoded::Lz4(_) => LZ4,
            Encoded::Words(_) => WORDS,
        }
    }
}

impl rusqlite::ToSql for Encoded<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(match self {
            Encoded::Plain(s) => {
                rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))
            }
            Encoded::Lz4(b) => rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Blob(b.as_ref())),
            Encoded::Words(b) => rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

/// Encodes a body for storage, compressing it when that gains anything.
pub(crate) fn encode(content: &str) -> Encoded<'_> {
    if content.len() < MIN_COMPRESSED {
        return Encoded::Plain(content);
    }
    let packed = lz4_flex::block::compress_prepend_size(content.as_bytes());
    if packed.len() < content.len() {
        Encoded::Lz4(packed.into())
    } else {
        Encoded::Plain(content)
    }
}

/// A stored body as it was read from the cache, decoded the first time its text is asked for.
///
/// The digest pass reads the bodies it hands its workers on the writer's thread, which every
/// digest's recording waits for; decoding them there was 1.8% of a no-latency first fetch's
/// instructions, all on that one thread (callgrind, 200 x 50). Read this way, the bytes are only
/// copied there, and each worker decodes what it digests.
#[derive(Debug, Clone)]
pub struct StoredBody {
    codec: i64,
    bytes: Vec<u8>,
    text: std::sync::OnceLock<String>,
}

impl StoredBody {
    /// A body kept with `codec` as `value`, read back as it is (text kept plain is read as
    /// text at once: nothing to decode).
    pub(crate) fn read(codec: i64, value: ValueRef<'_>) -> StoredBody {
        match (codec, value) {
            (PLAIN, ValueRef::Text(text)) => {
                StoredBody::from(String::from_utf8_lossy(text).into_owned())
            }
            (_, ValueRef::Text(b) | ValueRef::Blob(b)) => StoredBody {
                codec,
                bytes: b.to_vec(),
                text: std::sync::OnceLock::new(),
            },
            _ => StoredBody::from(String::new()),
        }
    }

    /// The body's text: decoded (see [`decode`]) the first time.
    pub fn as_str(&self) -> &str {
        self.text
            .get_or_init(|| decode(self.codec, ValueRef::Blob(&self.bytes)))
    }
}

impl From<String> for StoredBody {
    fn from(text: String) -> StoredBody {
        StoredBody {
            codec: PLAIN,
            bytes: Vec::new(),
            text: std::sync::OnceLock::from(text),
        }
    }
}

impl From<&str> for StoredBody {
    fn from(text: &str) -> StoredBody {
        StoredBody::from(text.to_string())
    }
}

/// A folded search text coded ahead of the transaction that stores it, so that the writer
/// thread only copies bytes: the digest workers code the folded text of each item they digest
/// as its words ([`WORDS`], see [`crate::store::IndexEntry::new`]); a short one is kept plain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedText(Packed);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Packed {
    Plain(String),
    Words(Vec<u8>),
}

impl PackedText {
    /// The folded text `folded`, whose coded form (`super::word_coded`) is `coded`: kept coded
    /// unless it is short enough to keep as it is, or the coded form is no shorter.
    pub fn folded(folded: &str, coded: Vec<u8>) -> PackedText {
        PackedText(
            if folded.len() < MIN_COMPRESSED || coded.len() >= folded.len() {
                Packed::Plain(folded.to_string())
            } else {
                Packed::Words(coded)
            },
        )
    }

    /// The codec and column value to store.
    pub(crate) fn encoded(&self) -> Encoded<'_> {
        match &self.0 {
            Packed::Plain(s) => Encoded::Plain(s),
            Packed::Words(b) => Encoded::Words(b),
        }
    }
}

/// Decodes a stored body. A damaged one reads as empty (with a warning) rather than failing
/// the whole list it is part of.
pub(crate) fn decode(codec: i64, value: ValueRef<'_>) -> String {
    let bytes = match value {
        ValueRef::Text(b) | ValueRef::Blob(b) => b,
        _ => return String::new(),
    };
    if codec == WORDS {
        return super::word_coded::decode(bytes).unwrap_or_else(|| {
            tracing::warn!("cannot read a stored folded text: its coding is damaged");
            String::new()
        });
    }
    let raw = if codec == LZ4 {
        match lz4_flex::block::decompress_size_prepended(bytes) {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!("cannot decompress a stored body: {e}");
                return String::new();
            }
        }
    } else {
        bytes.to_vec()
    };
    String::from_utf8(raw).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_read_back_decodes_to_what_was_stored() {
        let long = "<p>Café, some repeated words, some repeated words.</p>".repeat(50);
        for body in ["", "short", long.as_str()] {
            let enc = encode(body);
            let read = StoredBody::read(enc.codec(), value_of(&enc));
            assert_eq!(read.as_str(), body);
            // Asked again, the same text (decoded once).
            assert_eq!(read.clone().as_str(), body);
        }
        assert_eq!(StoredBody::read(LZ4, ValueRef::Null).as_str(), "");
        assert_eq!(
            StoredBody::read(LZ4, ValueRef::Blob(b"\x05\0\0\0garbage")).as_str(),
            ""
        );
        assert_eq!(StoredBody::from("plain").as_str(), "plain");
    }

    #[test]
    fn round_trips_short_long_and_incompressible_bodies() {
        let long = "<p>Some repeated words, some repeated words.</p>".repeat(50);
        let noise: String = (0..600u32)
            .map(|i| char::from_u32(0x4e00 + (i * 7919) % 20000).unwrap())
            .collect();
        for body in ["", "short", long.as_str(), noise.as_str()] {
            let enc = encode(body);
            assert_eq!(decode(enc.codec(), value_of(&enc)), body);
        }
        assert_eq!(encode(&long).codec(), LZ4);
        assert_eq!(encode("short").codec(), PLAIN);
        assert_eq!(decode(LZ4, ValueRef::Blob(b"\x05\0\0\0garbage")), "");
    }

    /// The column value of `enc`.
    fn value_of<'a>(enc: &'a Encoded<'_>) -> ValueRef<'a> {
        match enc {
            Encoded::Plain(s) => ValueRef::Text(s.as_bytes()),
            Encoded::Lz4(b) => ValueRef::Blob(b.as_ref()),
            Encoded::Words(b) => ValueRef::Blob(b),
        }
    }

    #[test]
    fn folded_texts_round_trip_coded_as_words_or_plain() {
        let long = "The river, the RIVER's bank; the bank. Café ﬁne. ".repeat(20);
        for text in ["", "short words", long.as_str()] {
            let both = crate::store::index_words::fold_and_index_words(text);
            let packed = PackedText::folded(&both.folded, both.coded);
            let enc = packed.encoded();
            assert_eq!(decode(enc.codec(), value_of(&enc)), both.folded, "{text:?}");
        }
        let both = crate::store::index_words::fold_and_index_words(&long);
        assert_eq!(
            PackedText::folded(&both.folded, both.coded)
                .encoded()
                .codec(),
            WORDS
        );
        assert_eq!(decode(WORDS, ValueRef::Blob(b"\x01\x09one")), "", "damaged");
    }
}

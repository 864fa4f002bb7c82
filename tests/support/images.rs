//! Images and an image-bearing feed for the reader's image tests, made here (no binary files in
//! the repository).
#![allow(dead_code)]

use std::io::Cursor;

use image::{ImageBuffer, ImageFormat, Rgba};

/// A `w` x `h` PNG of one colour.
pub fn png(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
    let img = ImageBuffer::from_fn(w, h, |_, _| Rgba([rgb[0], rgb[1], rgb[2], 255]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

/// An RSS feed titled "Harbour News" with one item, "Harbour light", whose body is `body`.
pub fn harbour_feed(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour News</title>\
         <item><guid>1</guid><title>Harbour light</title>\
         <description><![CDATA[{body}]]></description></item></channel></rss>"
    )
}

//! Images of an article body: bytes from a server to a small picture (PNG, JPEG, GIF's first
//! frame, WebP; never SVG), decoded within limits so that a decompression bomb is refused, and a
//! picture to half-block cells (two pixel rows per terminal cell) for a width and a height.
//! Pure: no I/O, no terminal.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

/// Widest and tallest image decoded, in pixels: anything larger is refused before it is decoded.
pub const MAX_SIDE: u32 = 8192;

/// The most memory a decoder may take for one image (the pixels included).
pub const MAX_ALLOC: u64 = 128 * 1024 * 1024;

/// The largest side a picture keeps after decoding: it is shrunk to this (its aspect kept), which
/// is more than any terminal pane shows as half blocks.
pub const KEEP_SIDE: u32 = 400;

/// Why an image is not shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    /// SVG, by its declared type or its content: never rendered.
    #[error("SVG images are not shown")]
    Svg,
    /// Not one of PNG, JPEG, GIF or WebP.
    #[error("not a supported image type ({0})")]
    Unsupported(String),
    /// Wider or taller than [`MAX_SIDE`], or needing more than [`MAX_ALLOC`] to decode.
    #[error("image too large to decode")]
    TooLarge,
    /// The data is broken.
    #[error("cannot decode the image: {0}")]
    Broken(String),
}

/// A decoded picture, shrunk to at most [`KEEP_SIDE`] pixels a side: RGBA, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Width in pixels (at least 1).
    pub width: u32,
    /// Height in pixels (at least 1).
    pub height: u32,
    /// `width * height` RGBA pixels.
    pub rgba: Vec<u8>,
}

/// Whether `content_type` or the first bytes of `body` say SVG (or any XML, which an image
/// server has no business sending).
pub fn is_svg(content_type: Option<&str>, body: &[u8]) -> bool {
    let declared = content_type.is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("svg") || t.contains("xml")
    });
    let head = &body[..body.len().min(512)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = text.trim_start_matches('\u{feff}').trim_start();
    declared || start.starts_with("<?xml") || start.starts_with("<svg") || text.contains("<svg")
}

/// Decodes an image from a server: the format is sniffed from the bytes (PNG, JPEG, GIF, WebP
/// only), the dimensions checked against [`MAX_SIDE`] before any pixel is decoded, the decoder
/// held to [`MAX_ALLOC`], and the result shrunk to [`KEEP_SIDE`].
pub fn decode(body: &[u8], content_type: Option<&str>) -> Result<Picture, PictureError> {
    if is_svg(content_type, body) {
        return Err(PictureError::Svg);
    }
    let reader = ImageReader::new(Cursor::new(body))
        .with_guessed_format()
        .map_err(|e| PictureError::Broken(e.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP) => {}
        Some(other) => return Err(PictureError::Unsupported(format!("{other:?}"))),
        None => {
            let t = content_type.unwrap_or("unknown type");
            return Err(PictureError::Unsupported(
                super::sanitize_line(t).into_owned(),
            ));
        }
    }
    let mut reader = reader;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PictureError::TooLarge,
        other => PictureError::Broken(other.to_string()),
    })?;
    let img = if img.width() > KEEP_SIDE || img.height() > KEEP_SIDE {
        img.thumbnail(KEEP_SIDE, KEEP_SIDE)
    } else {
        img
    };
    let rgba = img.to_rgba8();
    Ok(Picture {
        width: rgba.width().max(1),
        height: rgba.height().max(1),
        rgba: rgba.into_raw(),
    })
}

/// One half-block cell: its upper and lower pixel, `None` where transparent.
pub type Cell = (Option<[u8; 3]>, Option<[u8; 3]>);

/// A picture as half-block cells: each cell shows two pixels, the upper as the foreground of
/// `▀`, the lower as the background. `None` is a transparent pixel (the terminal's own colour).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HalfBlocks {
    /// Columns.
    pub cols: u16,
    /// Rows of cells.
    pub rows: u16,
    /// `cols * rows` cells, row by row: (upper pixel, lower pixel).
    pub cells: Vec<Cell>,
}

impl HalfBlocks {
    /// The cell at a column and row.
    pub fn cell(&self, col: u16, row: u16) -> Cell {
        let i = usize::from(row) * usize::from(self.cols) + usize::from(col);
        self.cells.get(i).copied().unwrap_or((None, None))
    }
}

impl Picture {
    /// The picture in at most `max_cols` columns and `max_rows` rows of half blocks, its aspect
    /// kept (a terminal cell being about twice as tall as wide, a cell is two square pixels)
    /// and never enlarged past one pixel a half cell. `None` when nothing fits.
    pub fn half_blocks(&self, max_cols: usize, max_rows: usize) -> Option<HalfBlocks> {
        let (w, h) = (self.width as usize, self.height as usize);
        if max_cols == 0 || max_rows == 0 || w == 0 || h == 0 {
            return None;
        }
        let mut tw = max_cols.min(w);
        let mut th = (tw * h).div_ceil(w).max(1);
        if th > max_rows * 2 {
            th = max_rows * 2;
            tw = (th * w / h).clamp(1, max_cols);
        }
        let rows = th.div_ceil(2);
        let px = |x: usize, y: usize| -> Option<[u8; 3]> {
            if y >= th {
                return None;
            }
            self.average(x * w / tw, (x + 1) * w / tw, y * h / th, (y + 1) * h / th)
        };
        let mut cells = Vec::with_capacity(tw * rows);
        for r in 0..rows {
            for c in 0..tw {
                cells.push((px(c, 2 * r), px(c, 2 * r + 1)));
            }
        }
        Some(HalfBlocks {
            cols: u16::try_from(tw).ok()?,
            rows: u16::try_from(rows).ok()?,
            cells,
        })
    }

    /// The mean colour of the pixels in `[x0, x1) x [y0, y1)` (at least one pixel), or `None`
    /// when they are mostly transparent.
    fn average(&self, x0: usize, x1: usize, y0: usize, y1: usize) -> Option<[u8; 3]> {
        let w = self.width as usize;
        let (x1, y1) = (x1.max(x0 + 1), y1.max(y0 + 1));
        // A large box is sampled, not summed whole: at most 4 x 4 pixels.
        let step_x = (x1 - x0).div_ceil(4).max(1);
        let step_y = (y1 - y0).div_ceil(4).max(1);
        let (mut sum, mut alpha, mut n) = ([0u32; 3], 0u32, 0u32);
        for y in (y0..y1).step_by(step_y) {
            for x in (x0..x1).step_by(step_x) {
                let i = (y * w + x) * 4;
                let Some(p) = self.rgba.get(i..i + 4) else {
                    continue;
                };
                let a = u32::from(p[3]);
                for k in 0..3 {
                    sum[k] += u32::from(p[k]) * a;
                }
                alpha += a;
                n += 1;
            }
        }
        if n == 0 || alpha < n * 128 {
            return None;
        }
        Some(sum.map(|s| (s / alpha.max(1)) as u8))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgba};

    fn png(w: u32, h: u32, f: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
        let img = ImageBuffer::from_fn(w, h, |x, y| Rgba(f(x, y)));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn decodes_png_and_draws_two_pixel_rows_per_cell() {
        // Top half red, bottom half blue, 4 x 4.
        let bytes = png(4, 4, |_, y| {
            if y < 2 {
                [255, 0, 0, 255]
            } else {
                [0, 0, 255, 255]
            }
        });
        let pic = decode(&bytes, Some("image/png")).unwrap();
        assert_eq!((pic.width, pic.height), (4, 4));
        let hb = pic.half_blocks(80, 12).unwrap();
        assert_eq!((hb.cols, hb.rows), (4, 2));
        assert_eq!(hb.cell(0, 0), (Some([255, 0, 0]), Some([255, 0, 0])));
        assert_eq!(hb.cell(3, 1), (Some([0, 0, 255]), Some([0, 0, 255])));
    }

    #[test]
    fn half_blocks_fit_the_width_and_the_height() {
        // 200 x 80 in 50 columns: 50 x 20 pixels, 10 rows.
        let pic = decode(&png(200, 80, |_, _| [9, 9, 9, 255]), None).unwrap();
        assert_eq!(
            pic.half_blocks(50, 12).map(|h| (h.cols, h.rows)),
            Some((50, 10))
        );
        // 200 x 100 would be 25 pixels high: held to 24 (12 rows), 48 columns.
        let pic = decode(&png(200, 100, |_, _| [9, 9, 9, 255]), None).unwrap();
        assert_eq!(
            pic.half_blocks(50, 12).map(|h| (h.cols, h.rows)),
            Some((48, 12))
        );
        let tall = decode(&png(10, 400, |_, _| [9, 9, 9, 255]), None).unwrap();
        let hb = tall.half_blocks(50, 12).unwrap();
        assert_eq!(hb.rows, 12);
        assert!(hb.cols >= 1 && hb.cols <= 2, "{}", hb.cols);
    }

    #[test]
    fn transparent_pixels_are_none() {
        let pic = decode(&png(2, 2, |_, _| [255, 255, 255, 0]), None).unwrap();
        assert_eq!(pic.half_blocks(10, 10).unwrap().cell(0, 0), (None, None));
    }

    #[test]
    fn svg_is_refused_by_type_and_by_content() {
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>";
        assert_eq!(decode(svg, Some("image/png")), Err(PictureError::Svg));
        let bytes = png(2, 2, |_, _| [0, 0, 0, 255]);
        assert_eq!(
            decode(&bytes, Some("image/svg+xml")),
            Err(PictureError::Svg)
        );
        let xml = b"\xef\xbb\xbf  <?xml version='1.0'?><svg/>";
        assert_eq!(decode(xml, None), Err(PictureError::Svg));
    }

    /// CRC-32 as PNG chunks carry it.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = !0u32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        // A real 1 x 1 PNG whose header is made to claim 20000 x 20000 pixels (1.6 GB decoded).
        let mut bomb = png(1, 1, |_, _| [0, 0, 0, 255]);
        bomb[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(
            decode(&bomb, Some("image/png")),
            Err(PictureError::TooLarge)
        );
        // Within the sides but over the memory cap.
        bomb[16..20].copy_from_slice(&8000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&8000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(
            decode(&bomb, Some("image/png")),
            Err(PictureError::TooLarge)
        );
    }

    #[test]
    fn other_formats_are_refused() {
        assert!(matches!(
            decode(b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0", None),
            Err(PictureError::Unsupported(_))
        ));
        assert!(matches!(
            decode(b"GIF89a\x01", None),
            Err(PictureError::Broken(_))
        ));
        assert!(matches!(
            decode(b"just text", Some("text/plain")),
            Err(PictureError::Unsupported(_))
        ));
    }
}

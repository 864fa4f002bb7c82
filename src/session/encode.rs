//! A decoded picture to a graphics protocol's escape sequences: the kitty graphics protocol
//! (RGBA pixels, base64, in chunks), sixel (a 6x6x6 colour cube) and iTerm2's inline images (a
//! PNG made here). Every sequence carries only what was encoded here from decoded pixels, never
//! a downloaded file's own bytes.
//!
//! A picture is first fitted into a [`Canvas`] the size of the cells it takes (as many as its
//! half blocks), its aspect kept, the rest transparent, so that a cell of the image is a fixed
//! rectangle of the canvas (kitty crops a placement by it).

use std::fmt::Write as _;
use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::imageops::{self, FilterType};
use image::{ImageFormat, RgbaImage};

use crate::content::picture::Picture;

/// The most pixels a canvas holds: a larger one is drawn with smaller cells (the terminal
/// scales kitty and iTerm2 images to their cells; a sixel image is then smaller than its place).
const MAX_PIXELS: u32 = 2_000_000;

/// The largest payload of one kitty graphics command.
const KITTY_CHUNK: usize = 4096;

/// A picture fitted to a block of cells: `cols * cell.0` by `rows * cell.1` RGBA pixels.
pub struct Canvas {
    /// The pixels.
    pub image: RgbaImage,
    /// The pixels of one cell in the canvas (width, height).
    pub cell: (u32, u32),
}

/// Fits `picture` into `cols` x `rows` cells of `cell` pixels (width, height), top left, its
/// aspect kept, the rest transparent.
pub fn fit(picture: &Picture, cols: u16, rows: u16, cell: (u16, u16)) -> Canvas {
    let (mut cw, mut ch) = (u32::from(cell.0.max(1)), u32::from(cell.1.max(1)));
    let (cols, rows) = (u32::from(cols.max(1)), u32::from(rows.max(1)));
    let area = u64::from(cols * cw) * u64::from(rows * ch);
    if area > u64::from(MAX_PIXELS) {
        let k = (f64::from(MAX_PIXELS) / area as f64).sqrt();
        cw = ((f64::from(cw) * k) as u32).max(1);
        ch = ((f64::from(ch) * k) as u32).max(1);
    }
    let (w, h) = (cols * cw, rows * ch);
    let mut canvas = RgbaImage::new(w, h);
    let source = RgbaImage::from_raw(picture.width, picture.height, picture.rgba.clone());
    if let Some(source) = source {
        let scale =
            (f64::from(w) / f64::from(picture.width)).min(f64::from(h) / f64::from(picture.height));
        let nw = ((f64::from(picture.width) * scale).round() as u32).clamp(1, w);
        let nh = ((f64::from(picture.height) * scale).round() as u32).clamp(1, h);
        let scaled = imageops::resize(&source, nw, nh, FilterType::Triangle);
        imageops::replace(&mut canvas, &scaled, 0, 0);
    }
    Canvas {
        image: canvas,
        cell: (cw, ch),
    }
}

/// The kitty commands that send `canvas` as image `id` without showing it (`a=t`): its RGBA
/// pixels in base64, [`KITTY_CHUNK`] bytes a command, `m=1` on all but the last. `q=2` keeps
/// the terminal from answering.
pub fn kitty_transmit(id: u32, canvas: &Canvas) -> String {
    let data = STANDARD.encode(canvas.image.as_raw());
    let chunks: Vec<&[u8]> = data.as_bytes().chunks(KITTY_CHUNK).collect();
    let mut out = String::with_capacity(data.len() + chunks.len() * 16 + 64);
    for (i, chunk) in chunks.iter().enumerate() {
        let more = u8::from(i + 1 < chunks.len());
        let chunk = std::str::from_utf8(chunk).unwrap_or_default();
        if i == 0 {
            let (w, h) = canvas.image.dimensions();
            let _ = write!(
                out,
                "\x1b_Ga=t,f=32,s={w},v={h},i={id},q=2,m={more};{chunk}\x1b\\"
            );
        } else {
            let _ = write!(out, "\x1b_Gm={more};{chunk}\x1b\\");
        }
    }
    out
}

/// The kitty command that shows rows `top..top + shown` of image `id` (sent with
/// [`kitty_transmit`]) at the cursor, `cols` cells wide, without moving the cursor (`C=1`), as
/// its placement `p`: placing it again moves it.
pub fn kitty_place(
    (id, p): (u32, usize),
    canvas_cell: (u32, u32),
    cols: u16,
    top: u16,
    shown: u16,
) -> String {
    let (cw, ch) = canvas_cell;
    let (w, y, h) = (
        u32::from(cols) * cw,
        u32::from(top) * ch,
        u32::from(shown) * ch,
    );
    format!("\x1b_Ga=p,i={id},p={p},x=0,y={y},w={w},h={h},c={cols},r={shown},C=1,q=2\x1b\\")
}

/// The kitty command that takes placement `p` of image `id` off the screen, keeping its data.
pub fn kitty_unplace(id: u32, p: usize) -> String {
    format!("\x1b_Ga=d,d=i,i={id},p={p},q=2\x1b\\")
}

/// The kitty command that takes image `id` off the screen and frees its data (`d=I`).
pub fn kitty_free(id: u32) -> String {
    format!("\x1b_Ga=d,d=I,i={id},q=2\x1b\\")
}

/// The index in the 6x6x6 colour cube nearest to a colour.
fn cube(r: u8, g: u8, b: u8) -> usize {
    let level = |v: u8| (usize::from(v) * 5 + 127) / 255;
    level(r) * 36 + level(g) * 6 + level(b)
}

/// `canvas` as a sixel image: `ESC P 0;1;0 q` (transparent where no pixel is set), its size,
/// the colours of a 6x6x6 cube it uses, then bands of six pixel rows, run-length encoded.
/// Pixels less than half opaque are left out.
pub fn sixel(canvas: &Canvas) -> String {
    let img = &canvas.image;
    let (w, h) = img.dimensions();
    let index: Vec<Option<usize>> = img
        .pixels()
        .map(|p| (p[3] >= 128).then(|| cube(p[0], p[1], p[2])))
        .collect();
    let mut used = [false; 216];
    for i in index.iter().flatten() {
        used[*i] = true;
    }
    let mut out = format!("\x1bP0;1;0q\"1;1;{w};{h}");
    for (i, _) in used.iter().enumerate().filter(|(_, u)| **u) {
        let pct = |l: usize| l * 100 / 5;
        let _ = write!(
            out,
            "#{i};2;{};{};{}",
            pct(i / 36),
            pct(i / 6 % 6),
            pct(i % 6)
        );
    }
    let (w, h) = (w as usize, h as usize);
    let mut bits = vec![0u8; w];
    for band in (0..h).step_by(6) {
        let mut in_band = [false; 216];
        for y in band..(band + 6).min(h) {
            for c in index[y * w..(y + 1) * w].iter().flatten() {
                in_band[*c] = true;
            }
        }
        let mut first = true;
        for colour in (0..216).filter(|c| in_band[*c]) {
            for (x, b) in bits.iter_mut().enumerate() {
                *b = (0..6)
                    .filter(|dy| band + dy < h && index[(band + dy) * w + x] == Some(colour))
                    .fold(0, |acc, dy| acc | (1 << dy));
            }
            if !first {
                out.push('$');
            }
            first = false;
            let _ = write!(out, "#{colour}");
            push_runs(&mut out, &bits);
        }
        out.push('-');
    }
    out.push_str("\x1b\\");
    out
}

/// Sixel characters for six-pixel columns, a run of four or more as `!n` and the character.
fn push_runs(out: &mut String, bits: &[u8]) {
    let mut i = 0;
    while i < bits.len() {
        let mut j = i;
        while j < bits.len() && bits[j] == bits[i] {
            j += 1;
        }
        let c = char::from(0x3f + bits[i]);
        let n = j - i;
        if n >= 4 {
            let _ = write!(out, "!{n}{c}");
        } else {
            out.extend(std::iter::repeat_n(c, n));
        }
        i = j;
    }
}

/// `canvas` as an iTerm2 inline image: OSC 1337 with a PNG encoded here, `cols` x `rows`
/// cells, the cursor left where it was. `None` if the PNG cannot be made.
pub fn iterm2(canvas: &Canvas, cols: u16, rows: u16) -> Option<String> {
    let mut png = Cursor::new(Vec::new());
    canvas.image.write_to(&mut png, ImageFormat::Png).ok()?;
    let png = png.into_inner();
    Some(format!(
        "\x1b]1337;File=inline=1;size={};width={cols};height={rows};preserveAspectRatio=0;\
         doNotMoveCursor=1:{}\x07",
        png.len(),
        STANDARD.encode(&png)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(w: u32, h: u32, rgba: [u8; 4]) -> Picture {
        Picture {
            width: w,
            height: h,
            rgba: rgba.repeat((w * h) as usize),
        }
    }

    #[test]
    fn a_picture_is_fitted_to_its_cells_with_its_aspect_kept() {
        // 24 x 12 pixels in 24 x 6 cells of 8 x 16: 192 x 96, exactly filled.
        let c = fit(&picture(24, 12, [255, 0, 0, 255]), 24, 6, (8, 16));
        assert_eq!(c.image.dimensions(), (192, 96));
        assert_eq!(c.cell, (8, 16));
        assert_eq!(c.image.get_pixel(191, 95).0, [255, 0, 0, 255]);
        // A square picture in a wide block: the right part stays transparent.
        let c = fit(&picture(10, 10, [0, 0, 255, 255]), 20, 5, (8, 16));
        assert_eq!(c.image.dimensions(), (160, 80));
        assert_eq!(c.image.get_pixel(79, 79).0, [0, 0, 255, 255]);
        assert_eq!(c.image.get_pixel(80, 0).0[3], 0);
        // Huge cells are shrunk to keep the canvas small.
        let c = fit(&picture(10, 10, [0, 0, 255, 255]), 200, 50, (40, 80));
        assert!(c.image.width() * c.image.height() <= MAX_PIXELS);
    }

    #[test]
    fn kitty_sends_pixels_in_chunks_of_4096_and_places_a_cropped_part() {
        let c = fit(&picture(24, 12, [255, 0, 0, 255]), 24, 6, (8, 16));
        let t = kitty_transmit(7, &c);
        // 192 * 96 * 4 bytes = 73728; base64 = 98304 characters = 24 chunks.
        let commands: Vec<&str> = t.split("\x1b\\").filter(|s| !s.is_empty()).collect();
        assert_eq!(commands.len(), 24);
        assert!(commands[0].starts_with("\x1b_Ga=t,f=32,s=192,v=96,i=7,q=2,m=1;"));
        for mid in &commands[1..23] {
            assert!(mid.starts_with("\x1b_Gm=1;"), "{}", &mid[..10]);
        }
        assert!(commands[23].starts_with("\x1b_Gm=0;"));
        let payload: String = commands
            .iter()
            .map(|c| c.split_once(';').unwrap().1)
            .collect();
        assert!(
            commands
                .iter()
                .all(|c| c.split_once(';').unwrap().1.len() <= 4096)
        );
        let pixels = STANDARD.decode(payload).unwrap();
        assert_eq!(pixels.len(), 192 * 96 * 4);
        assert_eq!(&pixels[..4], &[255, 0, 0, 255]);
        // A small image is one command, m=0.
        let small = fit(&picture(1, 1, [0, 0, 0, 255]), 1, 1, (2, 2));
        let t = kitty_transmit(1, &small);
        assert_eq!(t.matches("\x1b_G").count(), 1);
        assert!(t.contains("m=0;"));
        // Rows 2..5 of six: 16 pixels a row from y=32.
        assert_eq!(
            kitty_place((7, 2), c.cell, 24, 2, 3),
            "\x1b_Ga=p,i=7,p=2,x=0,y=32,w=192,h=48,c=24,r=3,C=1,q=2\x1b\\"
        );
        assert_eq!(kitty_unplace(7, 2), "\x1b_Ga=d,d=i,i=7,p=2,q=2\x1b\\");
        assert_eq!(kitty_free(7), "\x1b_Ga=d,d=I,i=7,q=2\x1b\\");
    }

    #[test]
    fn sixel_has_its_header_size_palette_and_bands() {
        // 2 x 1 cells of 4 x 6: an 8 x 6 canvas, one band; the left half red, the right clear.
        let c = fit(&picture(4, 6, [255, 0, 0, 255]), 2, 1, (4, 6));
        let s = sixel(&c);
        assert!(s.starts_with("\x1bP0;1;0q\"1;1;8;6"), "{s:?}");
        assert!(s.ends_with("-\x1b\\"));
        // Red is cube index 5*36 = 180: one colour, defined once as 100% red.
        assert_eq!(s.matches("#180;2;100;0;0").count(), 1);
        assert_eq!(s.matches(";2;").count(), 1);
        // Four columns of all six pixels (`~`) then four empty (`?`), run-length encoded.
        assert!(s.contains("#180!4~!4?-"), "{s:?}");
        // A 13-row canvas makes three bands.
        let c = fit(&picture(1, 13, [0, 255, 0, 255]), 1, 1, (1, 13));
        assert_eq!(sixel(&c).matches('-').count(), 3);
    }

    #[test]
    fn iterm2_sends_a_png_made_here() {
        let c = fit(&picture(4, 4, [0, 255, 0, 255]), 2, 1, (4, 8));
        let s = iterm2(&c, 2, 1).unwrap();
        let (head, rest) = s.split_once(':').unwrap();
        assert!(head.starts_with("\x1b]1337;File=inline=1;size="), "{head}");
        assert!(head.ends_with(";width=2;height=1;preserveAspectRatio=0;doNotMoveCursor=1"));
        let png = STANDARD.decode(rest.strip_suffix('\x07').unwrap()).unwrap();
        assert!(head.contains(&format!("size={};", png.len())));
        let img = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(img.dimensions(), (8, 8));
        assert_eq!(img.get_pixel(0, 0).0, [0, 255, 0, 255]);
    }
}

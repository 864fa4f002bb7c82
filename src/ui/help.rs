//! The help overlay, generated from the key map: one entry per action with its keys and the
//! binding's description (wrapped, never cut), then a legend of the marks on rows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::State;
use crate::ui::{overlay_box, put};

/// The marks a row can carry, and what each means.
const LEGEND: [(&str, &str); 4] = [
    ("N", "unread"),
    ("*", "starred"),
    (
        "+1",
        "a story that one more feed carries too (+2: two more, ...)",
    ),
    ("!", "the feed's last refresh failed (E lists the errors)"),
];

/// Width of the keys column.
const KEYS_W: u16 = 26;

/// One line of the help: keys (on an entry's first line only) and text.
struct HelpLine {
    keys: String,
    text: String,
    heading: bool,
}

/// The help's lines for a text column `width` wide.
fn lines(state: &State, width: usize) -> Vec<HelpLine> {
    let mut out = Vec::new();
    let entry = |keys: String, desc: &str, out: &mut Vec<HelpLine>| {
        for (i, part) in textwrap::wrap(desc, width.max(8)).into_iter().enumerate() {
            out.push(HelpLine {
                keys: if i == 0 { keys.clone() } else { String::new() },
                text: part.into_owned(),
                heading: false,
            });
        }
    };
    for (_, keys, desc) in state.keymap.help_rows() {
        let names: Vec<String> = keys.iter().map(ToString::to_string).collect();
        entry(names.join(", "), &desc, &mut out);
    }
    out.push(HelpLine {
        keys: String::new(),
        text: String::new(),
        heading: false,
    });
    out.push(HelpLine {
        keys: "Marks on rows".to_string(),
        text: String::new(),
        heading: true,
    });
    for (mark, meaning) in LEGEND {
        entry(format!("{mark:<3}"), meaning, &mut out);
    }
    out
}

/// Draws the help overlay, scrolled by `scroll` lines.
pub fn draw(state: &State, scroll: usize, area: Rect, buf: &mut Buffer) {
    let w = 72u16.min(area.width);
    let keys_w = KEYS_W.min(w.saturating_sub(2) / 2);
    let text_w = usize::from(w.saturating_sub(keys_w + 3));
    let all = lines(state, text_w);
    let inner = overlay_box(
        state,
        "Keys (? or Esc closes, j/k scroll)",
        w,
        all.len() as u16 + 2,
        area,
        buf,
    );
    let keys_w = keys_w.min(inner.width);
    let scroll = scroll.min(all.len().saturating_sub(usize::from(inner.height)));
    for (row, line) in all
        .iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let y = inner.y + row as u16;
        let key_style = if line.heading {
            state.theme.title
        } else {
            state.theme.help_key
        };
        let key_room = if line.heading {
            inner.width.saturating_sub(1)
        } else {
            keys_w.saturating_sub(2)
        };
        put(buf, inner.x + 1, y, &line.keys, key_room, key_style);
        put(
            buf,
            inner.x + keys_w,
            y,
            &line.text,
            inner.width.saturating_sub(keys_w),
            Default::default(),
        );
    }
}

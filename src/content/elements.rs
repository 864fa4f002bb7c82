//! What the HTML walker needs to know about elements: which are dropped, which are blocks; and
//! tab expansion for preformatted text.

/// Whether an element is dropped with everything inside it.
pub(crate) fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "iframe"
            | "frame"
            | "frameset"
            | "form"
            | "noscript"
            | "noembed"
            | "noframes"
            | "svg"
            | "math"
            | "button"
            | "input"
            | "select"
            | "option"
            | "optgroup"
            | "datalist"
            | "textarea"
            | "template"
            | "object"
            | "embed"
            | "applet"
            | "param"
            | "canvas"
            | "audio"
            | "video"
            | "source"
            | "track"
            | "map"
            | "area"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "base"
            | "dialog"
            | "slot"
            | "portal"
    )
}

/// Whether an element ends the block before it and starts a new one.
pub(crate) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "dd"
            | "details"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "caption"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "ul"
            | "body"
            | "html"
    )
}

/// Expands tabs to stops every 4 columns (counting characters), so code keeps its alignment.
pub(crate) fn expand_tabs(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\t') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut col = 0;
    for c in s.chars() {
        match c {
            '\t' => {
                let n = 4 - col % 4;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\n' => {
                out.push(c);
                col = 0;
            }
            c => {
                out.push(c);
                col += 1;
            }
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_elements() {
        assert!(is_dropped("script") && is_dropped("iframe") && !is_dropped("p"));
        assert!(is_block("p") && is_block("li") && !is_block("span") && !is_block("a"));
    }

    #[test]
    fn expands_tabs_to_stops_of_four() {
        assert_eq!(expand_tabs("a\tb\n\tc\tdd"), "a   b\n    c   dd");
        assert!(matches!(expand_tabs("none"), std::borrow::Cow::Borrowed(_)));
    }
}

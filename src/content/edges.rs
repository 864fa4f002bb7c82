//! What a walk over an HTML body hands on: its elements ([`Tag`]) and its edges ([`Edges`]),
//! whether the walk is over html5ever's tree, the quick path's single pass or an extraction's
//! written article.

use scraper::node::Element;

/// What a walk of a body's tree hands on, in document order.
pub(super) trait Edges {
    /// An element starts.
    fn open(&mut self, el: &impl Tag);
    /// A text node (never empty).
    fn text(&mut self, text: &str);
    /// An element ends (a void element ends right after it starts).
    fn close(&mut self, name: &str);
}

/// An element as the walker reads it: its name and its attributes. A parsed element is one; so
/// is an element another walk writes out (see [`super::sink::DocumentSink`]).
pub(super) trait Tag {
    /// The element's local name, lower case.
    fn name(&self) -> &str;
    /// The value of attribute `name`, if the element has it.
    fn attr(&self, name: &str) -> Option<&str>;
    /// Every attribute, sorted: for tests that compare two walks.
    #[cfg(test)]
    fn attr_list(&self) -> Vec<(String, String)>;
}

impl Tag for Element {
    fn name(&self) -> &str {
        Element::name(self)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        Element::attr(self, name)
    }

    #[cfg(test)]
    fn attr_list(&self) -> Vec<(String, String)> {
        sorted_attrs(self.attrs())
    }
}

/// Attributes as owned pairs, sorted: what [`Tag::attr_list`] gives.
#[cfg(test)]
pub(super) fn sorted_attrs<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<(String, String)> {
    let mut list: Vec<_> = pairs.map(|(n, v)| (n.to_string(), v.to_string())).collect();
    list.sort();
    list
}

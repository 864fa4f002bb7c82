//! `tidings show all`: a story that arrives through several feeds is shown once, with the other
//! feeds listed as "also in".

use super::show::ShowItem;
use crate::content::dedup::{DedupOptions, StoryInfo};
use crate::content::{self, fold, story_groups};

/// What story matching needs of one item: its keys, title words and the signature of the body
/// as shown (folded blocks, such as the feed's share and promotion lines, left out).
fn story_info(item: &ShowItem, dedup: &DedupOptions) -> StoryInfo {
    let doc = content::parse(&item.content, item.kind, item.base.as_deref());
    let hidden = fold::fold_document(&doc, item.stats.as_deref(), dedup);
    let text: Vec<String> = doc
        .blocks
        .iter()
        .zip(&hidden)
        .filter(|&(_, &h)| !h)
        .map(|(b, _)| b.text())
        .collect();
    StoryInfo::new(
        item.link.as_deref(),
        item.guid.as_deref(),
        &item.title,
        &text.join("\n"),
    )
}

/// Keeps the first item of each story, in order, with the feeds of the others in its `also_in`.
/// Bodies are compared as `dedup` folds them.
pub(super) fn one_per_story(items: Vec<ShowItem>, dedup: &DedupOptions) -> Vec<ShowItem> {
    let infos: Vec<StoryInfo> = items.iter().map(|i| story_info(i, dedup)).collect();
    let feeds: Vec<i64> = items.iter().map(|i| i.feed_id).collect();
    let leaders = story_groups::group_stories(&infos, &feeds);
    let mut also: Vec<Vec<String>> = vec![Vec::new(); items.len()];
    for (i, &lead) in leaders.iter().enumerate() {
        if lead != i {
            also[lead].push(items[i].feed.clone());
        }
    }
    items
        .into_iter()
        .zip(also)
        .enumerate()
        .filter(|&(i, _)| leaders[i] == i)
        .map(|(_, (mut item, also_in))| {
            item.also_in = also_in;
            item
        })
        .collect()
}

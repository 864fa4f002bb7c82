//! The download action: which enclosure of which item is queued. In the link list it is the
//! chosen entry (which must be an enclosure); elsewhere the item's episode, its first audio or
//! video enclosure (else its first), which the cache worker picks from the stored item.

use crate::app::links::EntryKind;
use crate::app::msg::Command;
use crate::app::state::{Focus, Overlay, State};
use crate::model::episode_of;

/// Queues the episode of the article or highlighted item, or the enclosure chosen in the link
/// list.
pub fn download(state: &mut State) -> Vec<Command> {
    if let (Some(Overlay::Links { selected, .. }), Some(view)) = (&state.overlay, &state.article) {
        let entry = view.listed_links().get(*selected).cloned();
        let item = view.item.id;
        return match entry {
            Some(entry) if matches!(entry.kind, EntryKind::Enclosure { .. }) => {
                state.overlay = None;
                vec![Command::QueueDownload {
                    item,
                    url: Some(entry.url),
                }]
            }
            _ => {
                state.notify_error("Only an enclosure is downloaded; this entry is a link");
                Vec::new()
            }
        };
    }
    let item = match (&state.article, state.focus) {
        (Some(view), Focus::Article) => {
            if episode_of(&view.item.enclosures).is_none() {
                state.notify_error("This article has no enclosure to download");
                return Vec::new();
            }
            view.item.id
        }
        _ => match state.list.selected_row() {
            Some(row) => row.id,
            None => {
                state.notify_error("Highlight an item to download its episode");
                return Vec::new();
            }
        },
    };
    vec![Command::QueueDownload { item, url: None }]
}

/// An episode was queued: say so, and have the queue run.
pub fn queued(state: &mut State, label: String) -> Vec<Command> {
    state.notify(format!("Queued for download: {label}"));
    vec![Command::RunDownloads]
}

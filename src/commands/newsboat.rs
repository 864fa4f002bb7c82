//! Moving over from newsboat, the parts of `tidings import` beyond the feed list: a `urls` file's
//! query feeds become saved queries, a `config` file's `ignore-article` lines become `[[rule]]`
//! hide rules (printed, for the user to append to the config), and the read and starred state
//! of newsboat's `cache.db` is brought over. Whatever cannot be translated is listed with its line.

use std::path::Path;

use super::{Context, output};
use crate::content::sanitize_line;
use crate::fetch::{FetchError, identity, read_local_file};
use crate::store::Store;
use crate::store::foreign::newsboat_items;
use crate::subscriptions::newsboat::{QueryLine, ignore_lines};
use crate::subscriptions::newsboat_filter::translate;

/// Translates a `urls` file's query feeds and saves them as queries in the cache. A name the
/// config file or the cache already uses is left as it is.
pub fn save_queries(
    ctx: &Context,
    store: &Store,
    queries: &[QueryLine],
    file: &Path,
) -> anyhow::Result<()> {
    if queries.is_empty() {
        return Ok(());
    }
    let saved = store.saved_queries()?;
    let now = chrono::Utc::now().timestamp();
    let (mut added, mut failed) = (0, 0);
    let mut err = output::stderr();
    for q in queries {
        let name = sanitize_line(&q.name).trim().to_string();
        let filter = match translate(&q.expr) {
            Ok(f) => f,
            Err(e) => {
                failed += 1;
                err.line(format_args!(
                    "warning: {}:{}: query {:?} not imported: {}",
                    file.display(),
                    q.line,
                    name,
                    sanitize_line(&e.to_string())
                ))?;
                continue;
            }
        };
        if ctx.config.queries.iter().any(|c| c.name == name) {
            err.line(format_args!(
                "note: {}:{}: the config file already has a query {name:?}; kept it",
                file.display(),
                q.line
            ))?;
            continue;
        }
        match saved.iter().find(|(n, _)| *n == name) {
            Some((_, f)) if *f == filter => {}
            Some(_) => {
                err.line(format_args!(
                    "note: {}:{}: a query {name:?} is already saved; kept it",
                    file.display(),
                    q.line
                ))?;
            }
            None => {
                store.save_query(&name, &filter, now)?;
                added += 1;
            }
        }
    }
    output::stdout().line(format_args!(
        "Saved {added} of {} newsboat query feeds as queries ({failed} could not be translated).",
        queries.len()
    ))?;
    Ok(())
}

/// Prints the `ignore-article` lines of a newsboat config file as `[[rule]]` hide rules (TOML on
/// standard output), and on standard error each line that could not be translated, and why.
///
/// A rule for one feed names the feed by its title (`feed="..."`), so that feed must be
/// subscribed first; `*` applies to every feed.
pub fn print_rules(ctx: &Context, file: &Path) -> anyhow::Result<()> {
    let limits = ctx.config.fetch_config();
    let bytes = read_local_file(file, limits.max_body, limits.request_timeout)
        .map_err(|e| FetchError::from_local(file.to_path_buf(), e))?;
    let text = String::from_utf8_lossy(&bytes);
    let (lines, mut problems) = ignore_lines(&text);
    let total = lines.len() + problems.len();
    let mut notes: Vec<(usize, String)> = Vec::new();
    let feeds = ctx.open_store_readable()?.feeds()?;
    let mut rules = String::new();
    let mut count = 0;
    for l in &lines {
        let filter = match translate(&l.expr) {
            Ok(f) => f,
            Err(e) => {
                problems.push((l.line, e.to_string()));
                continue;
            }
        };
        let filter = if l.feed == "*" {
            filter
        } else {
            let key = identity(&l.feed);
            match feeds.iter().find(|f| identity(&f.url) == key) {
                Some(f) => {
                    if f.last_success.is_none() {
                        notes.push((
                            l.line,
                            format!(
                                "the feed is named by its title {:?}, and it has not been fetched yet: \
                                 run `tidings fetch` and import again if its own title differs",
                                f.title
                            ),
                        ));
                    }
                    format!("feed={} and ({filter})", quoted(&f.title))
                }
                None => {
                    problems.push((
                        l.line,
                        format!(
                            "the feed {:?} is not subscribed (import your urls file first)",
                            l.feed
                        ),
                    ));
                    continue;
                }
            }
        };
        if let Err(e) = crate::filter::parse(&filter) {
            problems.push((l.line, e.to_string()));
            continue;
        }
        count += 1;
        rules.push_str(&format!(
            "# {}:{}: ignore-article {} {}\n[[rule]]\nfilter = {}\naction = \"hide\"\n\n",
            file.display(),
            l.line,
            toml_string(&l.feed),
            toml_string(&l.expr),
            toml_string(&filter)
        ));
    }
    output::stdout().text(&rules)?;
    problems.sort();
    let mut err = output::stderr();
    err.line(format_args!(
        "Translated {count} of {} ignore-article lines into hide rules (above; append them to {}); {} could not be translated{}",
        total,
        ctx.paths.config.display(),
        problems.len(),
        if problems.is_empty() { "." } else { ":" }
    ))?;
    for (line, why) in &problems {
        err.line(format_args!(
            "  {}:{line}: {}",
            file.display(),
            sanitize_line(why)
        ))?;
    }
    for (line, note) in &notes {
        err.line(format_args!(
            "note: {}:{line}: {}",
            file.display(),
            sanitize_line(note)
        ))?;
    }
    Ok(())
}

/// `s` as a TOML basic string (on one line, comments included).
fn toml_string(s: &str) -> String {
    toml::Value::String(sanitize_line(s).into_owned()).to_string()
}

/// `s` double-quoted for a filter, with `"` and `\` escaped.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Marks read and stars the cached items that newsboat's cache has read or flagged `s`, matched
/// by guid, then by link; read and starred marks are only added. Says how many matched.
pub fn import_cache(ctx: &Context, file: &Path) -> anyhow::Result<()> {
    let items = newsboat_items(file)?;
    let store = ctx.open_store()?;
    let finder = store.item_finder()?;
    let (mut by_guid, mut by_link) = (0, 0);
    let (mut read, mut starred) = (Vec::new(), Vec::new());
    for it in &items {
        let Some(found) = finder.find(
            it.feed_url.as_deref().unwrap_or_default(),
            it.guid.as_deref(),
            it.url.as_deref(),
        ) else {
            continue;
        };
        match found {
            crate::store::Found::Guid(_) => by_guid += 1,
            crate::store::Found::Link(_) => by_link += 1,
        }
        if !it.unread {
            read.push(found.id());
        }
        if it.flags.contains('s') {
            starred.push(found.id());
        }
    }
    let (marked, stars) = store.add_read_and_starred(&read, &starred)?;
    let matched = by_guid + by_link;
    output::stdout().line(format_args!(
        "Matched {matched} of {} newsboat items ({by_guid} by guid, {by_link} by link); {} did not match. \
         Marked {marked} read and starred {stars}.",
        items.len(),
        items.len() - matched
    ))?;
    if matched == 0 && !items.is_empty() {
        output::stderr().line(format_args!(
            "note: nothing matched; run `tidings fetch` first so that the feeds' items are in the cache"
        ))?;
    }
    Ok(())
}

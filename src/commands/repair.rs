//! `tidings repair`: rebuild a damaged cache from its readable rows, keeping the old files.

use std::io::Write;
use std::process::ExitCode;

use super::Context;

/// Repairs the cache and says what was recovered and where the old files are.
pub fn run(ctx: &Context) -> anyhow::Result<ExitCode> {
    let path = &ctx.paths.cache;
    let report = crate::store::repair(path)?;
    let mut out = std::io::stdout().lock();
    let counts = ["feeds", "items", "item_bodies", "feed_tags"]
        .iter()
        .map(|t| format!("{} {t}", report.rows(t)))
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(out, "Repaired {}: copied {counts}.", path.display())?;
    if report.damaged_places > 0 || !report.unreadable_tables.is_empty() {
        writeln!(
            out,
            "Skipped {} damaged places{}.",
            report.damaged_places,
            if report.unreadable_tables.is_empty() {
                String::new()
            } else {
                format!(
                    "; unreadable tables: {}",
                    report.unreadable_tables.join(", ")
                )
            }
        )?;
    } else {
        writeln!(out, "No damage met: every row was copied.")?;
    }
    for kept in &report.kept {
        writeln!(out, "Kept the old file as {}", kept.display())?;
    }
    writeln!(
        out,
        "Run `tidings fetch` to bring back what the feeds still list."
    )?;
    Ok(ExitCode::SUCCESS)
}

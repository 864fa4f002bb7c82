//! `tidings repair`: rebuild a damaged cache from its readable rows, keeping the old files.

use std::process::ExitCode;

use super::{Context, output};

/// Repairs the cache and says what was recovered and where the old files are.
pub fn run(ctx: &Context) -> anyhow::Result<ExitCode> {
    let path = &ctx.paths.cache;
    let report = crate::store::repair(path)?;
    let mut out = output::stdout();
    let counts = ["feeds", "items", "item_bodies", "feed_tags"]
        .iter()
        .map(|t| format!("{} {t}", report.rows(t)))
        .collect::<Vec<_>>()
        .join(", ");
    out.line(format_args!(
        "Repaired {}: copied {counts}.",
        path.display()
    ))?;
    if report.damaged_places > 0 || !report.unreadable_tables.is_empty() {
        out.line(format_args!(
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
        ))?;
    } else {
        out.line(format_args!("No damage met: every row was copied."))?;
    }
    for kept in &report.kept {
        out.line(format_args!("Kept the old file as {}", kept.display()))?;
    }
    out.line(format_args!(
        "Run `tidings fetch` to bring back what the feeds still list."
    ))?;
    Ok(ExitCode::SUCCESS)
}

//! `tidings rules`: the config's `[[rule]]` tables, their application to what is already cached,
//! and its undo.

use std::process::ExitCode;

use serde::Serialize;

use super::{Context, output};
use crate::cli::{RulesAction, RulesArgs};
use crate::content::sanitize_line;
use crate::refresh::unix_now;
use crate::store::RuleCount;

/// What `tidings rules ... --json` prints.
#[derive(Serialize)]
struct RulesJson {
    /// `list`, `apply`, `dry_run` or `undo`.
    done: &'static str,
    /// Per rule, in file order: the items it matches (`list`) or changed (`apply`, `dry_run`).
    rules: Vec<RuleCount>,
    /// For `undo`, how many items were put back.
    restored: Option<u64>,
}

/// Runs `tidings rules` with `args`.
pub fn run(ctx: &Context, args: RulesArgs) -> anyhow::Result<ExitCode> {
    let rules = &ctx.config.rules;
    let now = unix_now();
    let (done, counts, restored) = match args.action {
        None => {
            let store = ctx.open_store_readable()?;
            ("list", store.rule_matches(rules, now)?, None)
        }
        Some(RulesAction::Apply { dry_run }) => {
            let store = ctx.open_store()?;
            let counts = store.apply_rules(rules, now, dry_run)?;
            (if dry_run { "dry_run" } else { "apply" }, counts, None)
        }
        Some(RulesAction::Undo) => {
            let store = ctx.open_store()?;
            ("undo", Vec::new(), Some(store.undo_rules()?))
        }
    };
    let mut out = output::stdout();
    if args.json {
        out.json(&RulesJson {
            done,
            rules: counts,
            restored,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(n) = restored {
        match n {
            0 => out.line(
                "Nothing to undo: no `tidings rules apply` has been recorded since the last undo.",
            )?,
            n => out.line(format_args!(
                "Undone: {n} items put back as they were before the last `tidings rules apply`."
            ))?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    if counts.is_empty() {
        out.line(format_args!(
            "No rules: add [[rule]] tables (filter and action) to {}",
            ctx.paths.config.display()
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    let verb = match done {
        "list" => "matches",
        "dry_run" => "would change",
        _ => "changed",
    };
    for (i, c) in counts.iter().enumerate() {
        out.line(format_args!(
            "{:>2}. {:<14} {}  ({verb} {} items)",
            i + 1,
            sanitize_line(&c.action),
            sanitize_line(&c.filter),
            c.items
        ))?;
    }
    match done {
        "dry_run" => out.line("Dry run: nothing was changed.")?,
        "apply" => out.line("Applied; `tidings rules undo` (or U in the reader) puts it back.")?,
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
}

//! Shell integration: completion scripts and the manual page, both made from the command line's
//! own definition ([`crate::cli::Cli`]), and `tidings config`, which shows or checks the settings.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::{Cli, ConfigArgs};
use crate::commands::output;
use crate::config::{Config, effective, read_user_text};
use crate::paths::Paths;

/// `tidings completions SHELL`: prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tidings", &mut script);
    output::stdout().text(&String::from_utf8_lossy(&script))?;
    Ok(ExitCode::SUCCESS)
}

/// `tidings man`: prints the manual page in roff (`tidings man > tidings.1`).
pub fn man() -> anyhow::Result<ExitCode> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    output::stdout().text(&String::from_utf8_lossy(&page))?;
    Ok(ExitCode::SUCCESS)
}

/// `tidings config`: the configuration in effect (secrets masked) and the file it comes from;
/// `--default` the built-in one; `--check` only says whether the file loads.
pub fn config(paths: &Paths, args: &ConfigArgs) -> anyhow::Result<ExitCode> {
    let file = paths.config.display().to_string();
    if args.default {
        output::stdout().text(&effective::builtin_text())?;
        return Ok(ExitCode::SUCCESS);
    }
    let text = read_user_text(&paths.config, paths.config_explicit);
    let checked = text.and_then(|t| {
        let t = t.unwrap_or_default();
        Config::from_user_text(&t, &paths.config).map(|_| t)
    });
    if args.check {
        return Ok(match checked {
            Ok(_) => {
                output::stdout().line(format_args!("{file}: ok"))?;
                ExitCode::SUCCESS
            }
            Err(e) => {
                output::stderr().line(format_args!("tidings: {e}"))?;
                ExitCode::FAILURE
            }
        });
    }
    let text = checked?;
    let table = effective::effective(&text)?;
    let mut out = output::stdout();
    if paths.config.is_file() {
        out.line(format_args!(
            "# The configuration in effect: the built-in defaults with {file} laid over them."
        ))?;
    } else {
        out.line(format_args!(
            "# The built-in defaults: there is no {file} (write one to change them)."
        ))?;
    }
    out.line(format_args!(
        "# Secrets (headers, passwords, tokens) are masked. `tidings config --default` prints the\n\
         # defaults with their comments.\n"
    ))?;
    out.text(&toml::to_string(&table)?)?;
    Ok(ExitCode::SUCCESS)
}

//! The `tidings` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

use clap::Parser;

#[cfg(not(target_env = "msvc"))]
mod allocator;

fn main() -> ExitCode {
    let cli = match tidings::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // `--help` and `--version`: our own text, printed as clap prints it.
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            // A usage error quotes what was typed: it is printed plain and sanitised.
            tidings::commands::output::report_usage(&e.render().to_string());
            return ExitCode::from(2);
        }
    };
    match tidings::commands::run(cli) {
        Ok(code) => code,
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            tidings::commands::output::report_error(&e);
            ExitCode::FAILURE
        }
    }
}

/// Whether the error is a closed standard output (`tidings show all | head`): not worth a message.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

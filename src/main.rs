//! The `tidings` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = tidings::cli::Cli::parse();
    match tidings::commands::run(cli) {
        Ok(code) => code,
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            let message = tidings::fetch::redact(&chain.join(": "));
            eprintln!("tidings: {}", tidings::content::sanitize_line(&message));
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

//! The `tidings` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = tidings::cli::Cli::parse();
    match tidings::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("tidings: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}

//! Helpers shared by the integration tests.

pub mod cli;
pub mod images;
pub mod pty;
pub mod server;
pub mod tls;

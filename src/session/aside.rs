//! Stepping the reader aside for a program that needs the terminal (a terminal browser, a
//! `pipe` command with `terminal = true`): the input thread pauses, mouse capture, the alternate
//! screen and raw mode are given up while it runs, and everything is taken back after, the
//! screen redrawn whole (without asking the terminal where its cursor is, which a
//! terminal may not answer).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::DefaultTerminal;

/// Runs `run` with the terminal given back to the shell's normal state, then takes it again.
/// `paused` stops the reader's input thread from reading keys meant for the program.
pub fn step_aside<R>(
    terminal: &mut DefaultTerminal,
    paused: &AtomicBool,
    mouse: bool,
    run: impl FnOnce() -> R,
) -> anyhow::Result<R> {
    paused.store(true, Ordering::Release);
    // Let the input thread finish the poll it is in.
    std::thread::sleep(Duration::from_millis(150));
    let mut out = std::io::stdout();
    if mouse {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, LeaveAlternateScreen);
    let _ = crossterm::terminal::disable_raw_mode();
    let result = run();
    crossterm::terminal::enable_raw_mode()?;
    execute!(out, EnterAlternateScreen)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    // `Terminal::clear` would ask the terminal where the cursor is; clearing the screen and
    // drawing one blank frame makes the next frame whole without asking.
    execute!(out, Clear(ClearType::All))?;
    terminal.draw(|f| f.render_widget(ratatui::widgets::Clear, f.area()))?;
    paused.store(false, Ordering::Release);
    Ok(result)
}

//! Shell integration through the real binary: `tidings completions SHELL` and `tidings man`
//! (both made from the command-line definition), and `tidings config`, which prints the
//! configuration in effect with secrets masked, the built-in one with `--default`, and only
//! checks the file with `--check`.

mod support;

use support::cli::{stderr, stdout, tidings};

/// A home of the test's own, with an empty subscription list (never the default feeds).
fn home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("feeds"), "").unwrap();
    home
}

#[test]
fn every_shell_gets_a_completion_script_naming_the_subcommands() {
    let home = home();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = tidings(home.path(), &["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.len() > 500, "{shell}: {script}");
        for sub in ["fetch", "extract", "completions", "config", "man"] {
            assert!(script.contains(sub), "{shell} lacks {sub}");
        }
    }
    let o = tidings(home.path(), &["completions", "tcsh"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("bash"), "{}", stderr(&o));
}

#[test]
fn the_man_page_has_a_name_and_a_synopsis_of_the_subcommands() {
    let o = tidings(home().path(), &["man"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(".TH tidings 1"), "{page}");
    assert!(page.contains(".SH NAME"), "{page}");
    assert!(page.contains(".SH SYNOPSIS"), "{page}");
    assert!(page.contains("completions"), "{page}");
}

#[test]
fn config_prints_the_settings_in_effect_with_secrets_masked() {
    let home = home();
    let file = home.path().join("config.toml");
    std::fs::write(
        &file,
        "[fetch]\nper_host = 2\n\n[notify]\n\
         command = [\"curl\", \"https://me:hunter2@hooks.invalid/x\", \"{count}\"]\n",
    )
    .unwrap();
    let o = tidings(home.path(), &["config"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains(&file.display().to_string()), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    let table: toml::Table = text.parse().expect("the output is TOML");
    assert_eq!(table["fetch"]["per_host"].as_integer(), Some(2));
    assert_eq!(table["fetch"]["max_in_flight"].as_integer(), Some(32));
    let hook = table["notify"]["command"][1].as_str().unwrap();
    assert!(
        hook.starts_with("https://me:") && hook.contains("hooks.invalid"),
        "{hook}"
    );
    assert!(
        table["keys"]
            .as_table()
            .is_some_and(|k| k.contains_key("q"))
    );
    assert!(table["theme"].as_table().is_some());
}

#[test]
fn config_default_prints_the_builtin_file_with_its_comments() {
    let home = home();
    std::fs::write(home.path().join("config.toml"), "[fetch]\nper_host = 2\n").unwrap();
    let o = tidings(home.path(), &["config", "--default"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("# Requests in flight"), "{text}");
    let table: toml::Table = text.parse().expect("the output is TOML");
    assert_eq!(table["fetch"]["per_host"].as_integer(), Some(4));
}

#[test]
fn config_check_passes_a_good_file_and_names_the_line_of_a_bad_one() {
    let home = home();
    let file = home.path().join("config.toml");
    std::fs::write(&file, "[fetch]\nper_host = 2\n").unwrap();
    let o = tidings(home.path(), &["config", "--check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("ok"), "{}", stdout(&o));

    std::fs::write(&file, "[fetch]\nper_host = 2\n\n[reader]\nmax_widht = 3\n").unwrap();
    let o = tidings(home.path(), &["config", "--check"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains(&format!("{}:5:", file.display())), "{err}");
    assert!(err.contains("max_widht"), "{err}");
    // The new sections are checked like the others.
    for (text, says) in [
        ("[notify]\n\nterminal = \"osc8\"\n", "\"osc9\""),
        ("[open]\n\n\"audio/*\" = \"mpv\"\n", "list of text"),
        (
            "[keys]\n\n\"P\" = { action = \"pipe\" }\n",
            "needs a command",
        ),
    ] {
        std::fs::write(&file, text).unwrap();
        let o = tidings(home.path(), &["config", "--check"]);
        assert!(!o.status.success(), "{text}");
        let err = stderr(&o);
        assert!(err.contains(":3:") && err.contains(says), "{text}: {err}");
    }
    std::fs::write(&file, "[fetch]\nper_host = 2\n\n[reader]\nmax_widht = 3\n").unwrap();
    // Printing the settings refuses a bad file the same way.
    let o = tidings(home.path(), &["config"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains(":5:"), "{}", stderr(&o));
}

#[test]
fn completions_and_the_man_page_work_whatever_the_config_file_says() {
    let home = home();
    std::fs::write(home.path().join("config.toml"), "[fetch\n").unwrap();
    assert!(
        tidings(home.path(), &["completions", "bash"])
            .status
            .success()
    );
    assert!(tidings(home.path(), &["man"]).status.success());
}

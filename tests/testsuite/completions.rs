//! `signpost completions SHELL`: tab completion that knows every command.

use crate::common::signpost;

/// The subcommands `signpost --help` lists, so a command added later is
/// checked without this test changing.
fn subcommands() -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let help = signpost(&["--help"], dir.path()).stdout;
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completion_names_every_subcommand() {
    let commands = subcommands();
    for expected in ["build", "check", "serve", "new", "init", "completions"] {
        assert!(commands.iter().any(|c| c == expected), "{commands:?}");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let run = signpost(&["completions", "bash"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("complete -F"), "{}", run.stdout);
    for command in &commands {
        assert!(
            run.stdout.contains(&format!("signpost,{command})")),
            "no completion for {command}"
        );
    }
    // The flags of a subcommand, too.
    assert!(run.stdout.contains("--format"));
}

#[test]
fn every_shell_gets_a_script_and_an_unknown_one_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    for shell in ["zsh", "fish", "powershell"] {
        let run = signpost(&["completions", shell], dir.path());
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("completions"), "{shell}");
    }
    assert_eq!(signpost(&["completions", "tcsh"], dir.path()).code, 2);
}

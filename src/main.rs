//! The `signpost` command line: a thin layer over the library.

// Rendering a national guide allocates and frees millions of small strings
// and maps on two threads; mimalloc does that markedly faster than glibc's
// allocator (benches/README.md has the figures).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use signpost::diagnostics::{Diagnostics, Severity};
use signpost::kinds::ContentKind;
use signpost::load::LoadOptions;
use signpost::report::{self, Checked, Format};
use signpost::review;
use signpost::scaffold;
use signpost::site::{self, BuildFailure};

/// Tells the allocator not to return freed memory to the kernel, and the
/// kernel to give small pages (`small_pages_only`). A build
/// frees each area's values and page buffers and allocates the next area's
/// straight after; by default mimalloc hands the freed pages back (after a
/// short delay) and the next area faults them in again, each fault zeroing a
/// 2 MiB huge page. On the national benchmark that zeroing was a tenth of the
/// build's CPU time: 2,700-6,800 page faults without this, about 750 with it.
/// A one-shot command gives all its memory back when it exits; `serve`, which
/// runs for hours, keeps the default.
fn tune_memory_for_one_run() {
    // `mi_option_purge_delay` in mimalloc.h (v2 and v3); the sys crate names
    // only the options up to 14. -1: never purge.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets a process-wide allocator option before any other thread
    // exists; mimalloc reads options atomically, and any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    small_pages_only();
}

/// Asks Linux for 4 KiB pages only (no transparent huge pages). A build
/// touches its memory once and sparsely; each first touch of a huge page
/// zeroes 2 MiB, and on a virtual machine that takes memory back from the
/// host. On the national benchmark, each build run straight after 3 GB were
/// freed: system time 2.94-3.66 s with huge pages, 2.21-2.47 s without, and
/// peak memory 677-697 MB against 640-655 MB.
#[cfg(target_os = "linux")]
fn small_pages_only() {
    // SAFETY: PR_SET_THP_DISABLE takes no pointers; it sets a flag on this
    // process. A failure (an old kernel) leaves the default, which is fine.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn small_pages_only() {}

/// Exit codes (SPEC §2).
const SITE_HAS_ERRORS: u8 = 1;
const USAGE_OR_IO: u8 = 2;

#[derive(Parser)]
#[command(
    name = "signpost",
    version,
    about = "Build local guides to support services for women with multiple needs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the whole site
    Build {
        /// The site's folder (holding content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/output]
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include services marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Build into an output folder that holds files Signpost did not write
        #[arg(long)]
        force: bool,
        /// A copy to open from a shared drive or USB stick: links name index.html
        #[arg(long)]
        portable: bool,
    },
    /// Validate the content and the theme; write nothing
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
        /// How to write the problems: `text` on standard error; `json` (JSON
        /// Lines) and `github` (GitHub Actions annotations) on standard output,
        /// for tools. The count or the all-clear line is on standard error in
        /// every format. docs/checking.md shows each.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Build, serve on 127.0.0.1, and rebuild and reload on every change
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Include services marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser once it is ready
        #[arg(long)]
        open: bool,
    },
    /// Create a new content file, with a note on every field
    New {
        /// What to create
        kind: ContentKind,
        /// Its title; the file name is made from it
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Start a translation into this language (such as cy) of the entry
        /// with this title, beside it: open-road.cy.md
        #[arg(long, value_name = "LANG")]
        language: Option<String>,
    },
    /// Create a new minimal site that builds at once
    Init {
        /// The folder for the new site
        dir: PathBuf,
        /// A second language for the guide (such as cy), after English
        #[arg(long, value_name = "LANG")]
        language: Option<String>,
        /// The web address the guide will be published at (base_url)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// The publisher's email address, for readers (contact)
        #[arg(long, value_name = "EMAIL")]
        contact: Option<String>,
    },
    /// List the entries due for review, oldest first, with whom to ask
    ///
    /// An entry is due when its `last_reviewed` plus `review_after_months`
    /// (site.yaml) falls before today plus `--within` days. Exit 0 whether
    /// or not anything is due; 1 if the site has errors.
    Review {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include entries falling due within this many days
        #[arg(long, default_value_t = 60, value_name = "DAYS")]
        within: u32,
        /// Also write the list as CSV, for a spreadsheet
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
    /// Bring services in from Open Referral UK 3.0 data (.json) or a spreadsheet (.csv)
    ///
    /// Each service becomes content/services/<slug>.md. What cannot be matched
    /// (a need or area the site lacks, a missing field) makes it a draft with a
    /// note saying what to fill in. Exit 0 when every service was written
    /// (drafts included), 1 when some could not be, 2 for usage or I/O errors.
    /// docs/import.md describes both forms.
    Import {
        /// The files to import
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Rewrite the imported fields of services that already have a file
        /// (comments, other fields and, unless imported, the text are kept)
        #[arg(long)]
        update: bool,
    },
    /// Write every service (drafts included) as a spreadsheet, one row each
    ///
    /// The same columns `import` reads, so a spreadsheet edited and imported
    /// again comes back. A confidential location goes out with its name only.
    Export {
        /// The CSV file to write
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print tab completion for a shell, to standard output
    ///
    /// bash: `signpost completions bash > ~/.local/share/bash-completion/completions/signpost`;
    /// zsh: into a folder on `$fpath` as `_signpost`; fish:
    /// `~/.config/fish/completions/signpost.fish`; PowerShell: add to `$PROFILE`.
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        tune_memory_for_one_run();
    }
    // Needs no site and no date: answered before either is looked at.
    if let Command::Completions { shell } = cli.command {
        let mut command = Cli::command();
        clap_complete::generate(shell, &mut command, "signpost", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    let today = match site::today() {
        Ok(today) => today,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(USAGE_OR_IO);
        }
    };
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            force,
            portable,
        } => {
            if let Some(code) = require_content(&root) {
                return code;
            }
            let output = output.unwrap_or_else(|| root.join("output"));
            let options = LoadOptions { drafts, today };
            let mut diags = Diagnostics::new();
            let publish = site::BuildOptions {
                force,
                portable,
                leave_memory_to_exit: true,
            };
            let result = site::build(&root, &output, &options, publish, &mut diags);
            report_build(diags);
            match result {
                Ok(built) => {
                    eprintln!(
                        "Built {} files for {} area{} into {} in {:.2} s",
                        built.pages,
                        built.areas,
                        plural(built.areas),
                        built.output.display(),
                        built.elapsed.as_secs_f64()
                    );
                    if portable {
                        eprintln!(
                            "A portable copy: open {} in a browser; copy the whole folder to share it.",
                            built.output.join("index.html").display()
                        );
                    }
                    if let Some(aside) = &built.moved_aside {
                        eprintln!(
                            "The folder that was at {} held files Signpost did not write; it is now at {}, nothing in it deleted.",
                            built.output.display(),
                            aside.display()
                        );
                    }
                    // The benchmark's profile of where the time goes.
                    built.timings.print_if_asked(&built.cpu);
                    ExitCode::SUCCESS
                }
                Err(BuildFailure::Site) => {
                    eprintln!("The build stopped; the previous output is unchanged.");
                    ExitCode::from(SITE_HAS_ERRORS)
                }
                Err(BuildFailure::Output(e)) => {
                    eprintln!("error: {e}");
                    // Only when true: an error in publishing can leave the old
                    // output moved (the message says where).
                    if e.output_unchanged() {
                        eprintln!("The build stopped; the previous output is unchanged.");
                    } else {
                        eprintln!("The build stopped.");
                    }
                    ExitCode::from(USAGE_OR_IO)
                }
            }
        }
        Command::Check {
            root,
            strict,
            format,
        } => {
            if let Some(code) = require_content(&root) {
                return code;
            }
            let options = LoadOptions {
                drafts: false,
                today,
            };
            let mut timings = site::Timings::default();
            let (diags, prepared) = site::check_timed(&root, &options, &mut timings);
            let checked = prepared.as_ref().map(|p| Checked::of(&p.site));
            // The process ends next: freeing a national guide's model piece by
            // piece would only add to the time `check` takes.
            std::mem::forget(prepared);
            // The benchmark's profile of where the time goes.
            timings.print_if_asked(&[]);
            let failed = diags.has_errors() || (strict && diags.warning_count() > 0);
            let clean = diags.is_empty();
            report_as(diags, format);
            // Silence could mean anything; say what was checked.
            if clean && let Some(checked) = checked {
                eprintln!("{}", checked.summary());
            }
            if failed {
                ExitCode::from(SITE_HAS_ERRORS)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Serve {
            root,
            port,
            drafts,
            open,
        } => {
            if let Some(code) = require_content(&root) {
                return code;
            }
            match signpost::serve::serve(&root, port, LoadOptions { drafts, today }, open) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(USAGE_OR_IO)
                }
            }
        }
        Command::New {
            kind,
            title,
            root,
            language: Some(lang),
        } => {
            if let Some(code) = require_content(&root) {
                return code;
            }
            match scaffold::new_translation(&root, kind, &title, &lang) {
                Ok(rel) => {
                    println!("Created {rel}, with the original's words to write over in {lang}.");
                    println!("Then run `signpost check` to see anything left to fix.");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(USAGE_OR_IO)
                }
            }
        }
        Command::New {
            kind,
            title,
            root,
            language: None,
        } => {
            if let Some(code) = require_content(&root) {
                return code;
            }
            match scaffold::new_file(&root, kind, &title, today) {
                Ok(rel) => {
                    println!("Created {rel}");
                    let to_fill = kind.fields_to_fill();
                    if !to_fill.is_empty() {
                        println!(
                            "Still to fill in: {}. The notes in the file say what each field means.",
                            to_fill.join(", ")
                        );
                    }
                    println!("Then run `signpost check` to see anything left to fix.");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(USAGE_OR_IO)
                }
            }
        }
        Command::Review { root, within, csv } => {
            if let Some(code) = require_content(&root) {
                return code;
            }
            let options = LoadOptions {
                drafts: false,
                today,
            };
            let site =
                match load_without_errors(&root, &options, "the review list cannot be trusted") {
                    Ok(site) => site,
                    Err(code) => return code,
                };
            let report = review::due(&site, today, within);
            print!("{}", report.table());
            if let Some(path) = csv {
                if let Err(e) = std::fs::write(&path, report.csv()) {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    return ExitCode::from(USAGE_OR_IO);
                }
                eprintln!("Wrote the list to {}.", path.display());
            }
            ExitCode::SUCCESS
        }
        Command::Import {
            files,
            root,
            update,
        } => {
            if let Some(code) = require_content(&root) {
                return code;
            }
            let vocabulary = match signpost::import::Vocabulary::read(&root) {
                Ok(vocabulary) => vocabulary,
                Err(diags) => {
                    report(diags);
                    eprintln!(
                        "error: cannot read the site's needs and areas to match the import against; nothing was written"
                    );
                    return ExitCode::from(USAGE_OR_IO);
                }
            };
            let outcome = signpost::import::import(&root, &vocabulary, &files, update);
            for message in &outcome.messages {
                eprintln!("{message}");
            }
            for rel in outcome.created.iter().chain(&outcome.updated) {
                println!("Wrote {rel}");
            }
            eprintln!("{}", outcome.summary());
            if outcome.drafts > 0 {
                eprintln!(
                    "Each draft says at its top what to fill in; `signpost check` then shows what is left."
                );
            }
            if outcome.io_error {
                ExitCode::from(USAGE_OR_IO)
            } else if outcome.not_written > 0 {
                ExitCode::from(SITE_HAS_ERRORS)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Export { csv, root } => {
            if let Some(code) = require_content(&root) {
                return code;
            }
            let options = LoadOptions {
                drafts: true,
                today,
            };
            let site = match load_without_errors(&root, &options, "it is not exported") {
                Ok(site) => site,
                Err(code) => return code,
            };
            let bytes = match signpost::spreadsheet::export(&site) {
                Ok(bytes) => bytes,
                Err(problems) => {
                    for p in problems {
                        eprintln!("{}: error: {}", p.file, p.message);
                    }
                    eprintln!("Nothing was written.");
                    return ExitCode::from(SITE_HAS_ERRORS);
                }
            };
            if let Err(e) = std::fs::write(&csv, bytes) {
                eprintln!("error: cannot write {}: {e}", csv.display());
                return ExitCode::from(USAGE_OR_IO);
            }
            eprintln!(
                "Wrote {} service{} to {}.",
                site.services.len(),
                plural(site.services.len()),
                csv.display()
            );
            ExitCode::SUCCESS
        }
        Command::Completions { .. } => unreachable!("answered above"),
        Command::Init {
            dir,
            language,
            base_url,
            contact,
        } => match scaffold::init(
            &dir,
            today,
            scaffold::InitOptions {
                language: language.as_deref(),
                base_url: base_url.as_deref(),
                contact: contact.as_deref(),
            },
        ) {
            Ok(files) => {
                println!(
                    "Created a new site in {} ({} files).",
                    dir.display(),
                    files.len()
                );
                println!("Build it with: signpost build --root {}", dir.display());
                println!(
                    "To check and publish it from GitHub, see .github/workflows/signpost.yml in it."
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(USAGE_OR_IO)
            }
        },
    }
}

/// The site, for a command that needs it free of errors (`review`, `export`):
/// otherwise its errors alone (its warnings would repeat the command's own
/// report), why nothing follows, and the exit code.
fn load_without_errors(
    root: &std::path::Path,
    options: &LoadOptions,
    so: &str,
) -> Result<signpost::model::Site, ExitCode> {
    let (site, diags) = site::load_site(root, options);
    if let Some(site) = site.filter(|_| !diags.has_errors()) {
        return Ok(site);
    }
    for d in diags.sorted() {
        if d.severity == Severity::Error {
            eprintln!("{d}");
        }
    }
    eprintln!("The site has errors, so {so}; fix them first.");
    Err(ExitCode::from(SITE_HAS_ERRORS))
}

/// A root without `content/` is a usage mistake, not a broken site.
fn require_content(root: &std::path::Path) -> Option<ExitCode> {
    if root.join("content").is_dir() {
        return None;
    }
    eprintln!(
        "error: {} has no content/ folder; run signpost in a site's folder or pass --root",
        root.display()
    );
    Some(ExitCode::from(USAGE_OR_IO))
}

/// Prints every diagnostic to standard error, then a count.
fn report(diags: Diagnostics) {
    report_as(diags, Format::Text);
}

/// As `report`, with the warnings of files not translated yet folded to a
/// few per language: `check` is where a translator reads the whole list.
fn report_build(diags: Diagnostics) {
    let folded = report::fold_untranslated(diags.sorted(), 3);
    let errors = folded
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = folded.len() - errors;
    for d in &folded {
        eprintln!("{d}");
    }
    print_count(errors, warnings);
}

/// Prints every diagnostic in `format` (text to standard error, the forms for
/// tools to standard output), then a count on standard error.
fn report_as(diags: Diagnostics, format: Format) {
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    for d in diags.sorted() {
        let line = report::format(&d, format);
        match format {
            Format::Text => eprintln!("{line}"),
            Format::Json | Format::Github => println!("{line}"),
        }
    }
    print_count(errors, warnings);
}

fn print_count(errors: usize, warnings: usize) {
    if errors + warnings > 0 {
        eprintln!(
            "{errors} error{}, {warnings} warning{}",
            plural(errors),
            plural(warnings)
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

//! `cargo run --release --example corpus -- [small|national] DIR`
//!
//! Writes the benchmark corpus: a Signpost site at `DIR/signpost` and the same
//! content as a Hugo content tree at `DIR/hugo-content`.

mod generate;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (size, dir) = match args.as_slice() {
        [size, dir] => (size.as_str(), PathBuf::from(dir)),
        _ => {
            eprintln!("usage: corpus small|national DIR");
            return ExitCode::from(2);
        }
    };
    let size = match size {
        "small" => generate::SMALL,
        "national" => generate::NATIONAL,
        other => {
            eprintln!("error: unknown size {other:?} (expected small or national)");
            return ExitCode::from(2);
        }
    };
    if dir.exists() && dir.read_dir().map_or(true, |mut d| d.next().is_some()) {
        eprintln!("error: {} exists and is not empty", dir.display());
        return ExitCode::from(2);
    }
    match generate::generate(&size, &dir) {
        Ok(written) => {
            println!(
                "{}: {} Signpost files, {} Hugo files",
                dir.display(),
                written.signpost_files,
                written.hugo_files
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: writing {}: {err}", dir.display());
            ExitCode::from(2)
        }
    }
}

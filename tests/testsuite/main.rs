//! The integration tests: one binary (`cargo test --test testsuite`) that runs the
//! real `signpost` binary on small fixture sites and on the example guide.
//!
//! Each file here is a module, and `common` holds the helpers they share. They
//! are one binary, not one per file, so that a change to the library links one
//! test executable rather than eight, and `common` is compiled once.
//!
//! To add a test file: put it in this folder, add one `mod` line below, and
//! reach the helpers with `use crate::common::{self, ...}` rather than a
//! `mod common;` of its own. tests/README.md says how an old-style
//! `tests/name.rs` moves in.

mod common;

mod build;
mod check_formats;
mod cms_values;
mod completions;
mod diagnostics;
mod drafts;
mod editing;
mod example_guide;
mod hostile;
mod import;
mod languages;
mod links;
mod national;
mod nothing_lost;
mod open_data;
mod plain_english;
mod publisher;
mod publishing;
mod reaching_help;
mod review;
mod scaffold;
mod serve;
mod serve_cli;
mod unique_ids;

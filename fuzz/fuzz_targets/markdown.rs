//! Markdown rendering and sanitising: never panics, never lets a script through.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let html = signpost::markdown::render(text);
    assert!(!html.to_ascii_lowercase().contains("<script"), "script survived sanitising");
});

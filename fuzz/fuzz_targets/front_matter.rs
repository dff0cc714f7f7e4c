//! Decoding and splitting front matter, then parsing it as YAML with positions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use signpost::{source, yaml};

fuzz_target!(|bytes: &[u8]| {
    if let Ok(text) = source::decode(bytes) {
        if let Ok(split) = source::split_front_matter(&text) {
            let _ = yaml::parse(split.front_matter, split.front_matter_line);
        }
    }
});

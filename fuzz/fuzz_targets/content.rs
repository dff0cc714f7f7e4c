//! Reading a content file of each kind: the first byte picks the kind.
#![no_main]

use libfuzzer_sys::fuzz_target;
use signpost::load::{Kind, parse_content};

const KINDS: [Kind; 7] = [Kind::SiteConfig, Kind::Needs, Kind::Area, Kind::Service, Kind::Pathway, Kind::CaseStudy, Kind::Page];

fuzz_target!(|data: &[u8]| {
    if let Some((first, rest)) = data.split_first() {
        let kind = KINDS[usize::from(*first) % KINDS.len()];
        let _ = parse_content(kind, "fuzzed", rest);
    }
});

//! `cargo run --release --example markdown_growth -- [--budget SECS] [--sizes KB,KB,...] [SHAPE...]`
//!
//! How the time to render one Markdown body grows with its size, for the shapes
//! of input that make a Markdown renderer slow (benches/README.md, "Markdown
//! growth"). For each shape and size it prints the time of
//! `signpost::markdown::render` (CPU time, the least of up to five runs) and, beside it, of pulldown-cmark alone (parse
//! only), parse plus HTML, and ammonia's default sanitiser alone on that
//! HTML, so that what is theirs and what is ours shows; then the ratio to the previous size. Linear growth
//! doubles the time when the input doubles (ratio about 2); quadratic growth
//! quadruples it.
//!
//! A column stops (shown as `-`) once one call takes longer than the budget
//! (20 s unless `--budget` says otherwise): the slow ones would otherwise run
//! for hours. Nothing here asserts a time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use pulldown_cmark::Parser;

// As in the signpost binary, so that allocation costs what it costs there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use signpost::markdown::options;

/// Repeats `piece(i)` for i = 0, 1, ... until the text is `size` bytes long
/// (cut at a character boundary).
fn fill(size: usize, piece: impl Fn(usize) -> String) -> String {
    let mut text = String::with_capacity(size + 64);
    let mut i = 0;
    while text.len() < size {
        text.push_str(&piece(i));
        i += 1;
    }
    let mut end = size;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text
}

type Shape = (&'static str, fn(usize) -> String);

const SHAPES: &[Shape] = &[
    // `> > > ... x` on one line: one blockquote inside the next.
    ("quotes-one-line", |size| fill(size, |_| "> ".to_owned())),
    // Each line one `>` deeper than the last (so the depth grows as the
    // square root of the size).
    ("quotes-staircase", |size| {
        fill(size, |i| format!("{}x\n", "> ".repeat(i + 1)))
    }),
    // `- 1. - 1. ... x` on one line: one list inside the next. (A line of
    // `- - -` alone would be a thematic break.)
    ("lists-one-line", |size| fill(size, |_| "- 1. ".to_owned())),
    // Each item indented one level deeper than the last.
    ("lists-staircase", |size| {
        fill(size, |i| format!("{}- x\n", "  ".repeat(i)))
    }),
    ("same-headings", |size| {
        fill(size, |_| "# Same\n\n".to_owned())
    }),
    // One long paragraph of emphasis openers that never close.
    ("emphasis-runs", |size| {
        fill(size, |_| "*a _b **c __d ".to_owned())
    }),
    // `*a *a ... x b* b*`: each emphasis inside the last.
    ("emphasis-nested", |size| {
        let half = size / 6;
        format!("{}x{}", "*a ".repeat(half), " b*".repeat(half))
    }),
    // Link reference definitions, each used once.
    ("link-definitions", |size| {
        fill(size, |i| {
            format!("See [link {i}][l{i}].\n\n[l{i}]: https://example.org/{i}\n\n")
        })
    }),
    ("footnotes", |size| {
        fill(size, |i| format!("Text[^{i}].\n\n[^{i}]: Note {i}.\n\n"))
    }),
    // Raw HTML an editor might paste: block elements inside each other, and
    // inline formatting elements that never close.
    ("raw-divs", |size| fill(size, |_| "<div>".to_owned())),
    ("raw-inline-b", |size| fill(size, |_| "a<b>".to_owned())),
    // A table whose header has many columns and whose rows have one cell
    // each: rows are padded to the header's width.
    ("table-wide", |size| {
        let columns = (size / 8).max(1);
        format!(
            "{}|\n{}|\n{}",
            "| a ".repeat(columns),
            "|---".repeat(columns),
            "| x\n".repeat(size / 8)
        )
    }),
];

/// CPU time this thread has run, from Linux's `/proc/thread-self/schedstat`
/// (nanoseconds on the CPU, first field): on a shared machine it moves far
/// less with the load than wall time does. `None` elsewhere.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Runs `f` `calls` times and returns the CPU time per call (where the system
/// gives it, else wall time) and the wall time per call.
fn per_call(f: &impl Fn() -> usize, calls: u32) -> (Duration, Duration) {
    let (wall, cpu) = (Instant::now(), thread_cpu());
    for _ in 0..calls {
        black_box(f());
    }
    let wall = wall.elapsed();
    let cpu = match (cpu, thread_cpu()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => wall,
    };
    (cpu / calls, wall / calls)
}

/// The time of one call of `f`: the least of three measures, each of enough
/// calls to fill about 0.2 s, since the CPU clock ticks coarsely (the number
/// of calls is judged from the wall clock, which does not). A call slower
/// than that is measured twice, since the first call also pays for the
/// memory it is the first to touch; one slower than 5 s only once.
fn time(f: impl Fn() -> usize) -> Duration {
    let (cpu, wall) = per_call(&f, 1);
    if wall > Duration::from_secs(5) {
        return cpu;
    }
    if wall > Duration::from_millis(200) {
        return cpu.min(per_call(&f, 1).0);
    }
    let calls = (0.2 / wall.as_secs_f64().max(1e-6)).ceil().min(1e6) as u32;
    (0..3).map(|_| per_call(&f, calls).0).min().unwrap_or(cpu)
}

fn main() {
    let mut budget = Duration::from_secs(20);
    let mut sizes_kb: Vec<usize> = vec![100, 200, 400, 800, 1600];
    let mut only: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--budget" => {
                let secs: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(20.0);
                budget = Duration::from_secs_f64(secs);
            }
            "--sizes" => {
                sizes_kb = args
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|s| s.trim().parse().ok())
                    .collect();
            }
            shape => only.push(shape.to_owned()),
        }
    }
    println!(
        "{:<18} {:>6} {:>9} {:>9} {:>11} {:>10} {:>6}",
        "shape", "KB", "parse ms", "+html ms", "ammonia ms", "render ms", "ratio"
    );
    for (name, make) in SHAPES {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        // Each column stops once it has gone over the budget; "-" after.
        let mut over = [false; 4];
        let mut previous: Option<Duration> = None;
        for &kb in &sizes_kb {
            if over[3] {
                break;
            }
            let text = make(kb * 1000);
            let mut pulldown_html = String::new();
            pulldown_cmark::html::push_html(&mut pulldown_html, Parser::new_ext(&text, options()));
            let measures: [&dyn Fn() -> usize; 4] = [
                &|| Parser::new_ext(&text, options()).count(),
                &|| {
                    let mut out = String::new();
                    pulldown_cmark::html::push_html(&mut out, Parser::new_ext(&text, options()));
                    out.len()
                },
                &|| ammonia::clean(&pulldown_html).len(),
                &|| signpost::markdown::render(&text).len(),
            ];
            let mut shown = Vec::new();
            let mut times = [None; 4];
            for (column, measure) in measures.iter().enumerate() {
                if over[column] {
                    shown.push("-".to_owned());
                    continue;
                }
                let t = time(measure);
                over[column] = t > budget;
                times[column] = Some(t);
                shown.push(format!("{:.1}", t.as_secs_f64() * 1e3));
            }
            let ratio = match (previous, times[3]) {
                (Some(p), Some(t)) => format!("{:.1}", t.as_secs_f64() / p.as_secs_f64()),
                _ => "-".to_owned(),
            };
            println!(
                "{:<18} {:>6} {:>9} {:>9} {:>11} {:>10} {:>6}",
                name, kb, shown[0], shown[1], shown[2], shown[3], ratio
            );
            previous = times[3];
        }
    }
}

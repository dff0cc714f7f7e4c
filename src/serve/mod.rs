//! `signpost serve`: the editor's preview. Serves the site on 127.0.0.1 only,
//! rendering each page from the loaded model when it is asked for, so a change to
//! one service re-renders only the pages someone looks at, and nothing is written to
//! disk. A watcher reloads the content when files change and tells open pages to
//! reload (server-sent events). When a change breaks the content, every page shows
//! the diagnostics over the last good build, which keeps being served.
//!
//! The HTTP server (`http`) is a small one of its own over `std::net`, and the
//! watcher (`watch`) decides what a change to the files means.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

mod http;
mod open;
mod watch;
use http::*;
use watch::*;

use crate::diagnostics::Diagnostics;
use crate::html::escape_html as escape;
use crate::load::{LoadOptions, is_ignored};
use crate::site::{self, Change, Prepared, ReloadCache};

/// URLs of the server's own, under a prefix no content slug can take.
const EVENTS: &str = "/__signpost/events";
const LIVE_JS: &str = "/__signpost/live.js";
const OVERLAY_CSS: &str = "/__signpost/overlay.css";

/// How long the watcher waits for a burst of saves to settle before rebuilding.
const QUIET: Duration = Duration::from_millis(60);
/// The longest a steady stream of changes can hold a rebuild back.
const MAX_WAIT: Duration = Duration::from_millis(600);

/// The last good build, and the problems of the latest attempt if it failed.
struct State {
    good: Option<Build>,
    problems: Vec<String>,
    generation: u64,
}

struct Build {
    prepared: Prepared,
    statics: HashMap<String, Vec<u8>>,
}

impl Build {
    fn new(prepared: Prepared) -> Build {
        let statics = prepared
            .theme
            .static_files()
            .map(|(path, bytes)| (path.to_owned(), bytes.to_vec()))
            .collect();
        Build { prepared, statics }
    }
}

/// Open event streams, one sender each.
#[derive(Default)]
struct Listeners(Mutex<Vec<Sender<u64>>>);

impl Listeners {
    fn add(&self) -> Receiver<u64> {
        let (tx, rx) = mpsc::channel();
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(tx);
        rx
    }

    fn broadcast(&self, generation: u64) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|tx| tx.send(generation).is_ok());
    }
}

struct Shared {
    root: PathBuf,
    options: LoadOptions,
    state: RwLock<State>,
    listeners: Listeners,
    /// Content files and theme as last read: a change re-reads only what changed.
    cache: Mutex<ReloadCache>,
}

/// Builds the site and serves it until the process is stopped. Returns only if the
/// server cannot start.
/// With `open`, the site opens in the browser once it is ready.
pub fn serve(root: &Path, port: u16, options: LoadOptions, open: bool) -> Result<(), String> {
    // Absolute, so that it compares with the paths the watcher reports.
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot use {}: {e}", root.display()))?;
    let root = root.as_path();
    // Before the first build, which can take a while: a busy port is known at once.
    let cannot_listen = |e: io::Error| open::cannot_listen(port, &e);
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(cannot_listen)?;
    let address = listener.local_addr().map_err(cannot_listen)?;
    let shared = Arc::new(Shared {
        root: root.to_owned(),
        options,
        state: RwLock::new(State {
            good: None,
            problems: Vec::new(),
            generation: 0,
        }),
        listeners: Listeners::default(),
        cache: Mutex::new(ReloadCache::default()),
    });
    rebuild(&shared, &Change::Anything, true);

    // Tests and scripts read this line to find the port.
    let url = format!("http://{address}/");
    println!("Serving at {url} (press Ctrl-C to stop)");
    let _ = std::io::stdout().flush();

    let (events_tx, events_rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = events_tx.send(event);
    })
    .map_err(|e| format!("cannot watch for changes: {e}"))?;
    // The site folder itself, not recursively, to see content/ and themes/ come and
    // go; each of those recursively. Never output/.
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    watcher
        .watch(&root.join("content"), RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}/content: {e}", root.display()))?;
    let themes = root.join("themes");
    if themes.is_dir() {
        let _ = watcher.watch(&themes, RecursiveMode::Recursive);
    }
    let watch_shared = Arc::clone(&shared);
    std::thread::spawn(move || {
        watch_loop(&watch_shared, &events_rx, &mut |dir| {
            // notify drops its watch inside a folder that is moved away or deleted,
            // and does not watch it again when it comes back: watch it afresh.
            let _ = watcher.unwatch(dir);
            if dir.is_dir()
                && let Err(e) = watcher.watch(dir, RecursiveMode::Recursive)
            {
                eprintln!(
                    "warning: cannot watch {}: {e}; restart serve to see changes in it",
                    dir.display()
                );
            }
        })
    });

    if open {
        open::open_in_browser(&url);
    }
    accept_loop(&listener, &shared)
}

/// Reloads the site; on success it replaces the last good build, on failure the
/// problems are shown over it. Open pages are told to reload either way.
///
/// Pages are rendered when they are asked for, so a content change re-renders only
/// the pages someone opens. A theme change (and the first build) checks the
/// templates as `check` does, rendering a page for every shape of entry, so that
/// a template that fails on one kind of entry is reported now rather than when
/// someone opens that page.
fn rebuild(shared: &Shared, change: &Change, check_templates: bool) {
    let started = Instant::now();
    let options = LoadOptions {
        today: site::today().unwrap_or(shared.options.today),
        ..shared.options
    };
    let mut timings = site::Timings::default();
    let (prepared, mut diags) = if !shared.root.join("content").is_dir() {
        // Moved away or deleted while serving: one plain message, rather than
        // whatever reading a missing folder says; the last good build stays.
        let mut diags = Diagnostics::new();
        diags.general_error(format!(
            "the content/ folder is missing from {}: was it moved or deleted? \
             Put it back and the preview carries on",
            shared.root.display()
        ));
        (None, diags)
    } else {
        let mut cache = shared.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Change::Contents(paths) = change {
            // Read again even if size and time look unchanged (a save within
            // the file system's time step).
            for path in paths {
                cache.forget(path);
            }
        }
        site::prepare_cached(&shared.root, &options, &mut cache, change, &mut timings)
    };
    let mut checked = |p: &Prepared| {
        if check_templates {
            p.check_templates(&mut timings)
        } else {
            Ok(Diagnostics::new())
        }
    };
    let prepared = prepared.and_then(|p| match checked(&p) {
        Ok(found) if !found.has_errors() => {
            diags.extend(found);
            Some(p)
        }
        Ok(found) => {
            diags.extend(found);
            None
        }
        Err(e) => {
            diags.general_error(e.to_string());
            None
        }
    });
    timings.print_if_asked(&[]);
    let problems = report(&diags);
    let ok = prepared.is_some();
    // Requests wait while the lock is held: make the new build before taking
    // it, and free the old one after letting it go.
    let build = prepared.map(Build::new);
    let (generation, old) = {
        let mut state = shared.state.write().unwrap_or_else(|e| e.into_inner());
        let old = match build {
            Some(build) => state.good.replace(build),
            None => None,
        };
        state.problems = if ok { Vec::new() } else { problems };
        state.generation += 1;
        (state.generation, old)
    };
    let ms = started.elapsed().as_millis();
    drop(old);
    if ok && check_templates {
        eprintln!("Built and checked the templates in {ms} ms");
    } else if ok {
        eprintln!("Reloaded the content in {ms} ms; pages are rendered as they are opened");
    } else {
        eprintln!("The site has errors; still serving the last good build ({ms} ms)");
    }
    shared.listeners.broadcast(generation);
}

/// Prints the diagnostics and returns their lines.
fn report(diags: &Diagnostics) -> Vec<String> {
    let lines: Vec<String> = diags
        .clone()
        .sorted()
        .iter()
        .map(ToString::to_string)
        .collect();
    for line in &lines {
        eprintln!("{line}");
    }
    lines
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let headers = [
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    let head_only = request.method == "HEAD";
    write_response(request.stream, status, &headers, &body, head_only);
}

fn handle(shared: &Shared, request: Request) {
    if !request.host.is_some_and(is_local_host) {
        return respond(
            request,
            421,
            PLAIN,
            b"This preview answers only to 127.0.0.1, localhost or [::1].\n".to_vec(),
        );
    }
    if !matches!(request.method, "GET" | "HEAD") {
        return respond(
            request,
            405,
            "text/plain; charset=utf-8",
            b"Only GET and HEAD\n".to_vec(),
        );
    }
    let Some(path) = safe_path(request.target) else {
        return respond(
            request,
            400,
            "text/plain; charset=utf-8",
            b"Bad path\n".to_vec(),
        );
    };
    match path.as_str() {
        EVENTS => return stream_events(shared, request),
        LIVE_JS => {
            return respond(
                request,
                200,
                "text/javascript; charset=utf-8",
                LIVE_RELOAD_JS.as_bytes().to_vec(),
            );
        }
        OVERLAY_CSS => {
            return respond(
                request,
                200,
                "text/css; charset=utf-8",
                OVERLAY_STYLE.as_bytes().to_vec(),
            );
        }
        _ => {}
    }
    let state = shared.state.read().unwrap_or_else(|e| e.into_inner());
    let Some(build) = &state.good else {
        let page = error_page(&state.problems);
        drop(state);
        return respond(request, 500, "text/html; charset=utf-8", page.into_bytes());
    };
    let rel = path.trim_start_matches('/');
    if let Some(asset) = rel.strip_prefix("static/") {
        return match build.statics.get(asset) {
            Some(bytes) => {
                let bytes = bytes.clone();
                drop(state);
                respond(request, 200, content_type(asset), bytes);
            }
            None => {
                drop(state);
                respond(
                    request,
                    404,
                    "text/plain; charset=utf-8",
                    b"Not found\n".to_vec(),
                );
            }
        };
    }
    let page_path = rel.strip_suffix("index.html").unwrap_or(rel);
    let p = &build.prepared;
    let find = |path: &str| p.job_for_path(path);
    let job = match find(page_path) {
        Some(job) => job,
        None if !page_path.is_empty()
            && !page_path.ends_with('/')
            && find(&format!("{page_path}/")).is_some() =>
        {
            drop(state);
            let location = percent_encode(&format!("/{page_path}/"));
            let headers = [
                ("Location", location.as_str()),
                ("Cache-Control", "no-store"),
            ];
            return write_response(request.stream, 301, &headers, b"", false);
        }
        None => {
            let page = with_live_reload(NOT_FOUND.to_owned(), &state.problems);
            drop(state);
            return respond(request, 404, "text/html; charset=utf-8", page.into_bytes());
        }
    };
    let result = p.render_page(&job);
    let problems = state.problems.clone();
    // Each kind of output knows its media type; only pages get the reloader.
    let media_type = job.kind.media_type();
    drop(state);
    match result {
        Ok(data) if !job.is_page() => respond(request, 200, media_type, data.into_bytes()),
        Ok(html) => respond(
            request,
            200,
            media_type,
            with_live_reload(html, &problems).into_bytes(),
        ),
        Err(e) => {
            let page = error_page(&[e.to_string()]);
            respond(request, 500, "text/html; charset=utf-8", page.into_bytes());
        }
    }
}

/// Keeps an event stream open, sending `reload` after every rebuild.
fn stream_events(shared: &Shared, request: Request) {
    let rx = shared.listeners.add();
    let mut writer = request.stream;
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.write_all(b": connected\n\n"))
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(generation) => format!("event: reload\ndata: {generation}\n\n"),
            // A comment now and then finds out when the browser has gone.
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_owned(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Adds the reload script (serve only; never in `build` output) and, when the
/// latest change broke the site, the problems over the page.
fn with_live_reload(mut html: String, problems: &[String]) -> String {
    let mut extra = format!(r#"<script src="{LIVE_JS}" defer></script>"#);
    if !problems.is_empty() {
        extra.push_str(&format!(r#"<link rel="stylesheet" href="{OVERLAY_CSS}">"#));
        extra.push_str(&problems_html(
            problems,
            "This page is the last good build.",
        ));
    }
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, &extra),
        None => html.push_str(&extra),
    }
    html
}

fn problems_html(problems: &[String], note: &str) -> String {
    let items: String = problems
        .iter()
        .map(|p| format!("<li><code>{}</code></li>", escape(p)))
        .collect();
    format!(
        r#"<section class="signpost-problems" role="alert" aria-labelledby="signpost-problems-title"><h2 id="signpost-problems-title">The guide has problems to fix</h2><p>{} Fix the files named below and save: the page reloads by itself.</p><ul>{items}</ul></section>"#,
        escape(note)
    )
}

fn error_page(problems: &[String]) -> String {
    let body = problems_html(problems, "The site could not be built.");
    format!(
        r#"<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>Problems to fix – Signpost preview</title><link rel="stylesheet" href="{OVERLAY_CSS}"></head><body><main>{body}</main><script src="{LIVE_JS}" defer></script></body></html>"#
    )
}

const NOT_FOUND: &str = r#"<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Page not found – Signpost preview</title></head><body><main><h1>Page not found</h1><p><a href="/">Go to the start of the guide</a></p></main></body></html>"#;

const LIVE_RELOAD_JS: &str = r#"// Signpost preview: reload when the guide is rebuilt. Never part of a published site.
(function () {
  var source = new EventSource("/__signpost/events");
  source.addEventListener("reload", function () { window.location.reload(); });
})();
"#;

const OVERLAY_STYLE: &str = r#".signpost-problems{position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:1000;margin:0;padding:1rem 1.5rem;background:#fff;color:#0b0c0c;border-bottom:6px solid #d4351c;box-shadow:0 4px 12px rgba(0,0,0,.3);font:1rem/1.4 system-ui,sans-serif}
.signpost-problems h2{margin:0 0 .5rem;font-size:1.5rem}
.signpost-problems code{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.95rem}
.signpost-problems li{margin:.4rem 0}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_reload_is_added_before_the_body_ends() {
        let html = with_live_reload("<html><body><p>x</p></body></html>".into(), &[]);
        assert!(
            html.ends_with(r#"<script src="/__signpost/live.js" defer></script></body></html>"#),
            "{html}"
        );
        let html = with_live_reload(
            "<body></body>".into(),
            &["content/a.md:1:1: error: <bad>".into()],
        );
        assert!(
            html.contains("<code>content/a.md:1:1: error: &lt;bad&gt;</code>"),
            "{html}"
        );
    }
}

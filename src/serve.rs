//! `signpost serve`: the editor's preview. Serves the site on 127.0.0.1 only,
//! rendering each page from the loaded model when it is asked for, so a change to
//! one service re-renders only the pages someone looks at, and nothing is written to
//! disk. A watcher reloads the content when files change and tells open pages to
//! reload (server-sent events). When a change breaks the content, every page shows
//! the diagnostics over the last good build, which keeps being served.
//!
//! The HTTP server is a small one of its own over `std::net` (`accept_loop`): it
//! caps the connections it serves at once, gives each a few seconds to send its
//! request, and no error stops it from accepting the next one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::diagnostics::Diagnostics;
use crate::html::escape_html as escape;
use crate::load::{LoadOptions, is_ignored};
use crate::render;
use crate::site::{self, Change, Prepared, ReloadCache};

/// URLs of the server's own, under a prefix no content slug can take.
const EVENTS: &str = "/__signpost/events";
const LIVE_JS: &str = "/__signpost/live.js";
const OVERLAY_CSS: &str = "/__signpost/overlay.css";

/// How long the watcher waits for a burst of saves to settle before rebuilding.
const QUIET: Duration = Duration::from_millis(60);
/// The longest a steady stream of changes can hold a rebuild back.
const MAX_WAIT: Duration = Duration::from_millis(600);

/// Connections served at once. Each holds a thread and one open file: this stays
/// far inside the usual limit of 1024 open files, leaving room to read the site.
const MAX_CONNECTIONS: usize = 256;
/// How long a connection has to send its request. Idle ones are closed after it,
/// and so are ones that send it a byte at a time.
const REQUEST_TIME: Duration = Duration::from_secs(5);
/// When every place is taken, a connection silent this long is closed to make room.
const SILENT_LONG_ENOUGH: Duration = Duration::from_secs(1);
/// How long a new connection waits for room before it is told the server is busy.
const ROOM_WAIT: Duration = Duration::from_secs(3);
/// How long a client may take to take in each part of a response.
const WRITE_TIME: Duration = Duration::from_secs(10);
/// The longest request head read; a browser's is well under 8 KiB.
const MAX_HEAD: usize = 16 * 1024;

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
pub fn serve(root: &Path, port: u16, options: LoadOptions) -> Result<(), String> {
    // Absolute, so that it compares with the paths the watcher reports.
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot use {}: {e}", root.display()))?;
    let root = root.as_path();
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

    let cannot_listen = |e: io::Error| format!("cannot listen on 127.0.0.1:{port}: {e}");
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(cannot_listen)?;
    let address = listener.local_addr().map_err(cannot_listen)?;
    // Tests and scripts read this line to find the port.
    println!("Serving at http://{address}/ (press Ctrl-C to stop)");
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

    accept_loop(&listener, &shared)
}

/// Accepts connections for ever, serving each on a thread of its own while there
/// is room among `MAX_CONNECTIONS`. No error stops it: each kind is reported once,
/// and it carries on with the next connection.
///
/// Our own loop, not tiny_http's: its accept thread panicked when the process ran
/// out of open files (about 510 idle connections at the usual limit of 1024, as it
/// takes two files for each), after which every connection was refused; and it
/// neither timed out nor capped connections, nor let us do so.
fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) -> ! {
    let connections = Arc::new(Connections::default());
    let mut reported = HashSet::new();
    let mut report = |what: &'static str, e: &io::Error| {
        if reported.insert((what, e.kind(), e.raw_os_error())) {
            eprintln!("warning: {what}: {e} (the preview carries on; said once)");
        }
    };
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => Arc::new(stream),
            Err(e) => {
                report("cannot accept a connection", &e);
                // Running out of open files lasts until a connection closes: no spinning.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let Some(slot) = connections.admit(&stream) else {
            // Every place is busy with a request: say so now rather than hang.
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let body = b"The preview is busy; try again in a moment.\n";
            let headers = [("Content-Type", PLAIN), ("Retry-After", "1")];
            write_response(&stream, 503, &headers, body, false);
            continue;
        };
        let shared = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name("serve-connection".to_owned())
            .spawn(move || {
                serve_connection(&shared, &stream, &slot);
                // The place is given up before the connection closes, so that a
                // client that has had its answer finds room when it comes back.
                drop(slot);
                drop(stream);
            });
        // On failure the connection and its place are dropped: it is closed.
        if let Err(e) = spawned {
            report("cannot start a thread for a connection", &e);
        }
    }
}

/// The connections being served, and those among them that have sent nothing yet.
#[derive(Default)]
struct Connections {
    open: Mutex<Open>,
    closed: Condvar,
}

#[derive(Default)]
struct Open {
    count: usize,
    next_id: u64,
    /// Connections with no request yet, by id (oldest first), with when they came.
    silent: BTreeMap<u64, (Instant, Arc<TcpStream>)>,
}

/// A connection's place among `MAX_CONNECTIONS`, given up when dropped.
struct Slot {
    connections: Arc<Connections>,
    id: u64,
}

impl Connections {
    /// A place for a new connection: at once if there is room, else by closing the
    /// connection that has been silent longest, else when one ends. `None` if no
    /// place comes free within `ROOM_WAIT`.
    fn admit(self: &Arc<Self>, stream: &Arc<TcpStream>) -> Option<Slot> {
        let deadline = Instant::now() + ROOM_WAIT;
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        while open.count >= MAX_CONNECTIONS {
            if let Some(oldest) = open.silent.first_entry()
                && oldest.get().0.elapsed() >= SILENT_LONG_ENOUGH
            {
                // Its thread reads the end of the stream, and gives up its place.
                let _ = oldest.remove().1.shutdown(Shutdown::Both);
            }
            let left = deadline
                .checked_duration_since(Instant::now())
                .filter(|left| !left.is_zero())?;
            // Wake now and then: a silent connection may have become old enough.
            let step = left.min(Duration::from_millis(100));
            open = match self.closed.wait_timeout(open, step) {
                Ok((open, _)) => open,
                Err(e) => e.into_inner().0,
            };
        }
        open.count += 1;
        open.next_id += 1;
        let id = open.next_id;
        open.silent.insert(id, (Instant::now(), Arc::clone(stream)));
        Some(Slot {
            connections: Arc::clone(self),
            id,
        })
    }
}

impl Slot {
    /// The connection has begun its request, so it is no longer closed to make room.
    fn heard_from(&self) {
        let mut open = self
            .connections
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        open.silent.remove(&self.id);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .connections
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        open.count = open.count.saturating_sub(1);
        open.silent.remove(&self.id);
        drop(open);
        self.connections.closed.notify_one();
    }
}

/// Reads one request and answers it. The connection is closed after: no keep-alive,
/// as a new connection costs next to nothing on the loopback, and an idle one would
/// hold a thread.
fn serve_connection(shared: &Shared, stream: &TcpStream, slot: &Slot) {
    let _ = stream.set_write_timeout(Some(WRITE_TIME));
    let Some(head) = read_head(stream, slot) else {
        return;
    };
    match Request::parse(stream, &head) {
        Some(request) => handle(shared, request),
        None => write_response(
            stream,
            400,
            &[("Content-Type", PLAIN)],
            b"Bad request\n",
            false,
        ),
    }
    // Lets the client read the whole answer before the connection closes.
    let _ = stream.shutdown(Shutdown::Write);
}

/// The request head, up to its blank line, if it comes within `REQUEST_TIME`.
/// `None` if the client closes, stays silent, or sends too much (answered if useful).
fn read_head(stream: &TcpStream, slot: &Slot) -> Option<Vec<u8>> {
    let deadline = Instant::now() + REQUEST_TIME;
    let mut head = Vec::new();
    let mut buffer = [0; 4096];
    let mut reader = stream;
    loop {
        let read = match deadline
            .checked_duration_since(Instant::now())
            .filter(|left| !left.is_zero())
        {
            Some(left) => stream
                .set_read_timeout(Some(left))
                .and_then(|()| reader.read(&mut buffer)),
            None => Err(io::ErrorKind::TimedOut.into()),
        };
        match read {
            Ok(0) => return None,
            Ok(n) => {
                if head.is_empty() {
                    slot.heard_from();
                }
                let from = head.len().saturating_sub(3);
                head.extend_from_slice(&buffer[..n]);
                if let Some(end) = head[from..].windows(4).position(|w| w == b"\r\n\r\n") {
                    head.truncate(from + end);
                    return Some(head);
                }
                if head.len() > MAX_HEAD {
                    let headers = [("Content-Type", PLAIN)];
                    write_response(stream, 431, &headers, b"Request too large\n", false);
                    return None;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                // Silence gets silence; a request begun and never finished, a reason.
                if !head.is_empty() {
                    let headers = [("Content-Type", PLAIN)];
                    write_response(stream, 408, &headers, b"Request timed out\n", false);
                }
                return None;
            }
            Err(_) => return None,
        }
    }
}

/// One request, as much of it as the preview uses.
#[derive(Clone, Copy)]
struct Request<'a> {
    stream: &'a TcpStream,
    method: &'a str,
    target: &'a str,
    host: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// `None` if the head is not an HTTP/1 request, or names its host twice.
    fn parse(stream: &'a TcpStream, head: &'a [u8]) -> Option<Request<'a>> {
        let mut lines = std::str::from_utf8(head).ok()?.split("\r\n");
        let mut first = lines.next()?.split(' ');
        let (method, target, version) = (first.next()?, first.next()?, first.next()?);
        if first.next().is_some() || !version.starts_with("HTTP/1.") {
            return None;
        }
        let mut hosts = lines
            .filter_map(|line| line.split_once(':'))
            .filter(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
            .map(|(_, value)| value.trim());
        let host = hosts.next();
        if hosts.next().is_some() {
            return None;
        }
        Some(Request {
            stream,
            method,
            target,
            host,
        })
    }
}

/// Whether a `Host` header names this computer: 127.0.0.1, localhost or [::1], with
/// any port. Anything else may be DNS rebinding: a web page whose own name has been
/// pointed at 127.0.0.1, reading the preview (drafts and all) from the browser.
fn is_local_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        // "[::1]" alone has colons but no port.
        _ if host.ends_with(']') => host,
        Some((name, port))
            if !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) =>
        {
            name
        }
        Some(_) => return false,
        None => host,
    };
    name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "[::1]"
}

const PLAIN: &str = "text/plain; charset=utf-8";

/// Writes a whole response. Header values are the server's own or percent-encoded,
/// so none can hold a line break. Errors mean the client has gone: nothing to do.
fn write_response(
    mut stream: &TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) {
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let _ = stream.write_all(head.as_bytes()).and_then(|()| {
        if head_only {
            Ok(())
        } else {
            stream.write_all(body)
        }
    });
}

/// Waits for changes, lets a burst of saves settle, then rebuilds.
/// `watch_again` is called with content/ or themes/ when that folder itself has
/// appeared, gone or moved, to watch inside it afresh (before the rebuild reads it).
fn watch_loop(
    shared: &Shared,
    events: &Receiver<notify::Result<notify::Event>>,
    watch_again: &mut dyn FnMut(&Path),
) {
    let content = shared.root.join("content");
    let themes = shared.root.join("themes");
    let mut rewatch = |event: &notify::Result<notify::Event>| {
        for dir in [&content, &themes] {
            if folder_itself_changed(event, dir) {
                watch_again(dir);
            }
        }
    };
    while let Ok(first) = events.recv() {
        if !is_relevant(&first, &content, &themes) {
            continue;
        }
        rewatch(&first);
        let started = Instant::now();
        let mut change = classify(&first, &themes);
        loop {
            match events.recv_timeout(QUIET) {
                Ok(event) if started.elapsed() < MAX_WAIT => {
                    rewatch(&event);
                    change = merge(change, classify(&event, &themes));
                }
                Ok(event) => {
                    rewatch(&event);
                    change = merge(change, classify(&event, &themes));
                    break;
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let theme_changed = matches!(change, Change::Theme);
        rebuild(shared, &change, theme_changed);
    }
}

/// Whether an event is `dir` itself being created, removed or renamed (either way).
fn folder_itself_changed(event: &notify::Result<notify::Event>, dir: &Path) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    event.as_ref().is_ok_and(|event| {
        matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        ) && event.paths.iter().any(|p| p == dir)
    })
}

/// What one watcher event changed: the contents of some files only, the
/// theme, or anything (a file added, removed or renamed).
fn classify(event: &notify::Result<notify::Event>, themes: &Path) -> Change {
    use notify::EventKind;
    use notify::event::ModifyKind;
    // A lost event may have been anything, the theme included.
    let Ok(event) = event else {
        return Change::Theme;
    };
    if event.paths.iter().any(|p| p.starts_with(themes)) {
        return Change::Theme;
    }
    match event.kind {
        EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
            Change::Contents(event.paths.iter().cloned().collect())
        }
        EventKind::Access(_) => Change::Contents(Default::default()),
        _ => Change::Anything,
    }
}

fn merge(a: Change, b: Change) -> Change {
    match (a, b) {
        (Change::Theme, _) | (_, Change::Theme) => Change::Theme,
        (Change::Anything, _) | (_, Change::Anything) => Change::Anything,
        (Change::Contents(mut a), Change::Contents(b)) => {
            a.extend(b);
            Change::Contents(a)
        }
    }
}

/// Only changes under content/ or themes/ count, and changes to editors' swap and
/// backup files alone do not trigger a rebuild.
fn is_relevant(event: &notify::Result<notify::Event>, content: &Path, themes: &Path) -> bool {
    match event {
        // Reading the content (as a reload does) is not a change: counting it
        // made every reload set off the next one.
        Ok(event) if matches!(event.kind, notify::EventKind::Access(_)) => false,
        Ok(event) => event.paths.iter().any(|p| {
            (p.starts_with(content) || p.starts_with(themes))
                && !p
                    .file_name()
                    .is_some_and(|n| is_ignored(&n.to_string_lossy()))
        }),
        Err(_) => true,
    }
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
    if std::env::var_os("SIGNPOST_TIMINGS").is_some() {
        for (stage, took) in &timings.stages {
            eprintln!("{:>9.1} ms  {stage}", took.as_secs_f64() * 1000.0);
        }
    }
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
    let find = |path: &str| crate::pages::job_for_path(&p.site, &p.index.layout, path);
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
    let result = render::render_page(&p.site, &p.index, &p.theme, &job);
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

/// The request path, percent-decoded, or `None` if it could reach outside the site:
/// `..` in any spelling, backslashes, NUL, or anything but an absolute path.
pub fn safe_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let decoded = percent_decode(path)?;
    if decoded.contains(['\\', '\0'])
        || decoded
            .split('/')
            .any(|segment| segment == ".." || segment == ".")
    {
        return None;
    }
    Some(decoded)
}

fn percent_decode(s: &str) -> Option<String> {
    // The crate passes a malformed escape ("%zz", "%4") through as it is: refuse it.
    let malformed = s.match_indices('%').any(|(i, _)| {
        !s.get(i + 1..i + 3)
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if malformed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// A decoded path made fit for a header again: every byte but letters, digits and
/// `/-._~` percent-encoded (so no line break can reach the response head).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
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
    fn paths_out_of_the_site_are_refused() {
        assert_eq!(
            safe_path("/essex/services/x/?q=1").as_deref(),
            Some("/essex/services/x/")
        );
        assert_eq!(safe_path("/caf%C3%A9/").as_deref(), Some("/café/"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/a/..%2f..%2fetc",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "//evil/x",
            "http://evil/",
            "/a%00b",
            "/%zz",
            "/%4",
            "/%+1",
            "/./x",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_this_computer_is_a_host_to_answer() {
        for host in [
            "127.0.0.1",
            "127.0.0.1:1313",
            "localhost",
            "LocalHost:8080",
            "[::1]",
            "[::1]:1313",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:1313",
            "localhost.evil.example",
            "127.0.0.1.evil.example:80",
            "127.0.0.1:",
            "127.0.0.1:80:80",
            "127.0.0.1:x",
            "localhost:123456",
            "[::1].evil.example",
            "[::2]:1313",
            "127.0.0.2",
            "0.0.0.0",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }

    #[test]
    fn a_redirect_cannot_break_the_response_head() {
        assert_eq!(percent_encode("/caf\u{e9}/"), "/caf%C3%A9/");
        assert_eq!(
            percent_encode("/a\r\nSet-Cookie: x/"),
            "/a%0D%0ASet-Cookie%3A%20x/"
        );
    }

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

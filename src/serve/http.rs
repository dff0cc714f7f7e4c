//! The HTTP server of `serve`, a small one of its own over `std::net`: it caps
//! the connections it serves at once, gives each a few seconds to send its
//! request, answers only requests addressed to this computer, and no error
//! stops it from accepting the next one.

use super::*;

/// Connections served at once. Each holds a thread and one open file: this stays
/// far inside the usual limit of 1024 open files, leaving room to read the site.
pub(super) const MAX_CONNECTIONS: usize = 256;
/// How long a connection has to send its request. Idle ones are closed after it,
/// and so are ones that send it a byte at a time.
pub(super) const REQUEST_TIME: Duration = Duration::from_secs(5);
/// When every place is taken, a connection silent this long is closed to make room.
pub(super) const SILENT_LONG_ENOUGH: Duration = Duration::from_secs(1);
/// How long a new connection waits for room before it is told the server is busy.
pub(super) const ROOM_WAIT: Duration = Duration::from_secs(3);
/// How long a client may take to take in each part of a response.
pub(super) const WRITE_TIME: Duration = Duration::from_secs(10);
/// The longest request head read; a browser's is well under 8 KiB.
pub(super) const MAX_HEAD: usize = 16 * 1024;

/// Accepts connections for ever, serving each on a thread of its own while there
/// is room among `MAX_CONNECTIONS`. No error stops it: each kind is reported once,
/// and it carries on with the next connection.
///
/// Our own loop, not tiny_http's: its accept thread panicked when the process ran
/// out of open files (about 510 idle connections at the usual limit of 1024, as it
/// takes two files for each), after which every connection was refused; and it
/// neither timed out nor capped connections, nor let us do so.
pub(super) fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) -> ! {
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
pub(super) struct Connections {
    open: Mutex<Open>,
    closed: Condvar,
}

#[derive(Default)]
pub(super) struct Open {
    count: usize,
    next_id: u64,
    /// Connections with no request yet, by id (oldest first), with when they came.
    silent: BTreeMap<u64, (Instant, Arc<TcpStream>)>,
}

/// A connection's place among `MAX_CONNECTIONS`, given up when dropped.
pub(super) struct Slot {
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
pub(super) fn serve_connection(shared: &Shared, stream: &TcpStream, slot: &Slot) {
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
pub(super) fn read_head(stream: &TcpStream, slot: &Slot) -> Option<Vec<u8>> {
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
pub(super) struct Request<'a> {
    pub(super) stream: &'a TcpStream,
    pub(super) method: &'a str,
    pub(super) target: &'a str,
    pub(super) host: Option<&'a str>,
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
pub(super) fn is_local_host(host: &str) -> bool {
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

pub(super) const PLAIN: &str = "text/plain; charset=utf-8";

/// Writes a whole response. Header values are the server's own or percent-encoded,
/// so none can hold a line break. Errors mean the client has gone: nothing to do.
pub(super) fn write_response(
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

pub(super) fn percent_decode(s: &str) -> Option<String> {
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
pub(super) fn percent_encode(path: &str) -> String {
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

pub(super) fn content_type(path: &str) -> &'static str {
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
}

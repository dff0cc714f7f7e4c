//! Helpers for the integration tests: small sites in temporary folders, running the
//! real `signpost` binary, and reading what it wrote.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The day tests judge review dates on, so results do not change with the calendar.
pub const TODAY: &str = "2026-11-24";

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Diagnostic lines only (those with `error:` or `warning:`).
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains("error: ") || l.contains("warning: "))
            .collect()
    }

    pub fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains("error: "))
            .collect()
    }

    pub fn assert_error(&self, expected: &str) {
        assert!(
            self.errors().contains(&expected),
            "expected the diagnostic\n  {expected}\ngot:\n{}",
            self.stderr
        );
    }
}

pub fn signpost(args: &[&str], cwd: &Path) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(args)
        .current_dir(cwd)
        .env("SIGNPOST_TODAY", TODAY)
        .output()
        .expect("run signpost");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "signpost panicked:\n{stderr}");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    }
}

/// A small, valid site in a temporary folder, to change one file at a time.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

pub const SITE_YAML: &str =
    "title: Test guide\npublisher: Test Council\ncontact:\n  email: guide@test.example\n";

pub const NEEDS_YAML: &str = "\
- slug: housing
  name: Housing
  description: A safe place to live.
- slug: domestic-abuse
  name: Domestic abuse
  description: Help if someone is hurting you.
";

pub const OPEN_ROAD: &str = "\
---
name: Open Road
organisation: Open Road Ltd
summary: Support with drugs and alcohol.
areas: [essex]
needs: [housing]
referral: [self, professional]
contact:
  phone: 01206 500585
  website: https://www.openroad.org.uk
locations:
  - name: Colchester hub
    address: 1 High Street, Colchester
    postcode: CO1 1AA
  - name: Safe house
    address: 99 Secret Lane
    postcode: ZZ99 9ZZ
    confidential: true
hours:
  - days: [mon, tue, wed, thu, fri]
    opens: \"09:00\"
    closes: \"17:00\"
last_reviewed: 2026-06-01
---
## What we offer

Someone to talk to.
";

pub const HELPLINE: &str = "\
---
name: National Domestic Abuse Helpline
organisation: Refuge
summary: Free, confidential, 24 hours.
areas: all
needs: [domestic-abuse]
referral: [self]
contact:
  phone: 0808 2000 247
last_reviewed: 2026-09-01
---
Call any time.
";

pub const PATHWAY: &str = "\
---
title: Routine enquiry
area: essex
audience: professionals
needs: [domestic-abuse]
steps:
  - id: ask
    title: Ask about abuse
    next: [assess]
  - id: assess
    title: Risk assessment
    next: [marac, local]
  - id: marac
    title: Refer to MARAC
    when: If she is at high risk
    services: [national-domestic-abuse-helpline]
    next: []
  - id: local
    title: Local support
    when: Otherwise
    services: [open-road]
---
Ask every woman.
";

pub const STORY: &str = "\
---
title: Jo's story
areas: [essex, sutton]
needs: [housing]
services: [open-road]
summary: Jo found a home.
consent: true
---
Jo's words.
";

pub const COVER: &str = "---\ntitle: Cover your tracks online\n---\nClear your history.\n";

pub const ACCESSIBILITY: &str = "---\ntitle: Accessibility statement\nlast_reviewed: 2026-11-01\n---\nThis guide is partially compliant.\n";

impl Fixture {
    pub fn new() -> Fixture {
        let fixture = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        fixture.write("content/site.yaml", SITE_YAML);
        fixture.write("content/needs.yaml", NEEDS_YAML);
        fixture.write(
            "content/areas/essex.yaml",
            "name: Essex\ncouncil: Essex County Council\nemergency: In danger now? Call 999.\n",
        );
        fixture.write(
            "content/areas/sutton.yaml",
            "name: Sutton\ncouncil: London Borough of Sutton\n",
        );
        fixture.write("content/services/open-road.md", OPEN_ROAD);
        fixture.write(
            "content/services/national-domestic-abuse-helpline.md",
            HELPLINE,
        );
        fixture.write("content/pathways/routine-enquiry.md", PATHWAY);
        fixture.write("content/case-studies/jo.md", STORY);
        fixture.write("content/pages/cover-your-tracks.md", COVER);
        fixture.write("content/pages/accessibility-statement.md", ACCESSIBILITY);
        fixture
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        fs::write(path, bytes).expect("write fixture file");
    }

    /// Replaces `from` with `to` in a file, failing if `from` is not there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = fs::read_to_string(self.path(rel)).expect("read fixture file");
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path(rel)).expect("remove fixture file");
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root().to_str().expect("utf-8 temp path");
        all.extend(["--root", root]);
        signpost(&all, self.root())
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn check(&self) -> Run {
        self.run(&["check"])
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }
}

/// Every file under `dir`, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// The values of every `href="..."` and `src="..."` in an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attr) {
            rest = &rest[start + attr.len()..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].replace("&amp;", "&"));
                rest = &rest[end..];
            }
        }
    }
    found
}

/// Checks that every relative link of every page under `out` leads to a file that
/// exists (a folder link to its index.html), and that no link is root-relative, so
/// that the guide works under any sub-path. Returns the number of links checked.
pub fn assert_links_resolve(out: &Path) -> usize {
    let mut checked = 0;
    for file in files_under(out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
    {
        let page = out.join(&file);
        let html = fs::read_to_string(&page).expect("read page");
        for link in links(&html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("tel:")
                || link.starts_with("mailto:")
                || link.starts_with("sms:")
                || link.starts_with("data:")
            {
                continue;
            }
            assert!(
                !link.starts_with('/'),
                "{file}: root-relative link {link} breaks under a sub-path"
            );
            let (path, _fragment) = link.split_once('#').unwrap_or((&link, ""));
            if path.is_empty() {
                continue;
            }
            let mut target = page.parent().expect("page folder").join(path);
            if link.ends_with('/') || target.is_dir() {
                target = target.join("index.html");
            }
            assert!(
                target.is_file(),
                "{file}: link {link} leads nowhere ({})",
                target.display()
            );
            checked += 1;
        }
    }
    checked
}

/// A `signpost serve` process on a free port, stopped when dropped.
pub struct Server {
    child: std::process::Child,
    pub port: u16,
    pub stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::spawn(Command::new(env!("CARGO_BIN_EXE_signpost")), root)
    }

    /// GET a path; returns the status code and the body.
    pub fn get(&self, path: &str) -> (u16, String) {
        http_get(self.port, path)
    }

    /// Opens the reload event stream; each `reload` event arrives on the channel.
    pub fn events(&self) -> std::sync::mpsc::Receiver<String> {
        use std::io::{BufRead, BufReader, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET /__signpost/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .expect("send");
        let (tx, rx) = std::sync::mpsc::channel();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut ready = Some(ready_tx);
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if line.starts_with(": connected")
                    && let Some(r) = ready.take()
                {
                    let _ = r.send(());
                }
                if line.starts_with("event: ") && tx.send(line).is_err() {
                    return;
                }
            }
        });
        ready_rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the event stream opens");
        rx
    }
}

impl Server {
    /// The server's log once it holds `text`, waiting up to ten seconds: the
    /// reload event can arrive before the thread reading stderr has read the
    /// line printed just before it. Panics if the text never comes.
    pub fn log_once_it_has(&self, text: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let log = self.stderr.lock().expect("log").clone();
            if log.contains(text) {
                return log;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the log never said {text:?}:\n{log}"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `limit` for the process to end; its exit status if it did.
    pub fn wait_for_exit(
        &mut self,
        limit: std::time::Duration,
    ) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.1 GET to 127.0.0.1.
pub fn http_get(port: u16, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read response");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let raw = response.get(split + 4..).unwrap_or_default();
    // Large pages come in chunks (HTTP/1.1 chunked transfer encoding).
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked { dechunk(raw) } else { raw.to_vec() };
    let body = String::from_utf8_lossy(&body).into_owned();
    (status, body)
}

/// The body of a chunked HTTP response: each chunk is a hex length, CRLF,
/// the bytes, CRLF; a zero length ends it.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&raw[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .expect("a chunk size");
        if size == 0 {
            break;
        }
        let start = eol + 2;
        body.extend_from_slice(&raw[start..start + size]);
        raw = &raw[start + size + 2..];
    }
    body
}

impl Server {
    /// Like `start`, with the server's soft limit on open files lowered to `limit`
    /// (1024 is the usual default on Linux), so that a load test runs against the
    /// limit a user has, whatever this machine allows. If the shell cannot set the
    /// limit, the server runs with the one it inherits.
    #[cfg(unix)]
    pub fn start_with_open_file_limit(root: &Path, limit: u32) -> Server {
        let mut shell = Command::new("sh");
        shell
            .arg("-c")
            .arg(format!(
                "ulimit -Sn {limit} 2>/dev/null; exec \"$0\" \"$@\""
            ))
            .arg(env!("CARGO_BIN_EXE_signpost"));
        Server::spawn(shell, root)
    }

    /// Runs `command` (which ends by running signpost) with serve's arguments.
    fn spawn(mut command: Command, root: &Path) -> Server {
        let child = command
            .args([
                "serve",
                "--port",
                "0",
                "--root",
                root.to_str().expect("utf-8 path"),
            ])
            .env("SIGNPOST_TODAY", TODAY)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start signpost serve");
        Server::from_child(child)
    }

    /// Reads the port from the child's first line, and its standard error into `stderr`.
    fn from_child(mut child: std::process::Child) -> Server {
        use std::io::{BufRead, BufReader};
        let stderr_log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let log = std::sync::Arc::clone(&stderr_log);
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                log.lock().expect("log").push_str(&(line + "\n"));
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the serving line");
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server {
            child,
            port,
            stderr: stderr_log,
        }
    }
}

//! `serve --open`: the preview in the editor's own browser, and a plain
//! message when the port is taken. Opening is best effort: the address is
//! printed either way, and a machine with no browser (a server, a container)
//! only loses the convenience.

use std::io;
use std::process::{Command, Stdio};

/// What to say when the port cannot be listened on. A port in use is by far
/// the most common case (a second `serve` left running), so it gets its own
/// advice rather than the system's wording.
pub(super) fn cannot_listen(port: u16, e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::AddrInUse {
        let next = match port.checked_add(1) {
            Some(next) if port != 0 => format!("--port {next}"),
            _ => "--port 0".to_owned(),
        };
        format!(
            "port {port} is already in use (another signpost serve?); try {next}, or --port 0 for any free port"
        )
    } else {
        format!("cannot listen on 127.0.0.1:{port}: {e}")
    }
}

/// Asks the system to open `url` in the default browser, without waiting
/// for it; says so on standard error if it cannot.
pub(super) fn open_in_browser(url: &str) {
    let mut command = opener(url);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match command.spawn() {
        // Reaped on a thread of its own, so it never lingers as a zombie and
        // a slow opener never holds up the server.
        Ok(mut child) => {
            let url = url.to_owned();
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|status| status.success()) {
                    eprintln!("Could not open a browser; open {url} yourself.");
                }
            });
        }
        Err(e) => eprintln!("Could not open a browser ({e}); open {url} yourself."),
    }
}

fn opener(url: &str) -> Command {
    if cfg!(target_os = "windows") {
        // `start` is built into cmd; its first quoted argument is a window title.
        let mut c = Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_port_suggests_another() {
        let busy = io::Error::from(io::ErrorKind::AddrInUse);
        assert_eq!(
            cannot_listen(8000, &busy),
            "port 8000 is already in use (another signpost serve?); try --port 8001, or --port 0 for any free port"
        );
        assert!(cannot_listen(65535, &busy).contains("try --port 0"));
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert!(cannot_listen(80, &denied).starts_with("cannot listen on 127.0.0.1:80: "));
    }
}

//! `serve`'s command-line manners: a busy port is named with the way out, and
//! `--open` hands the address to the system's browser opener.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Fixture, TODAY};

fn serve(site: &Fixture, args: &[&str], path: Option<&std::path::Path>) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_signpost"));
    command
        .arg("serve")
        .args(args)
        .args(["--root", site.root().to_str().expect("utf-8 path")])
        .env("SIGNPOST_TODAY", TODAY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    command.spawn().expect("start signpost serve")
}

/// Waits up to `limit` for `child` to end; kills it if it has not.
fn ended_within(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn a_busy_port_is_named_with_another_to_try() {
    let site = Fixture::new();
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("a listener");
    let port = taken.local_addr().expect("its address").port();
    let mut child = serve(&site, &["--port", &port.to_string()], None);
    let status = ended_within(&mut child, Duration::from_secs(20))
        .expect("serve gives up at once on a busy port");
    let output = child.wait_with_output().expect("its output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: port {port} is already in use (another signpost serve?); try --port {}",
            port + 1
        )),
        "{stderr}"
    );
    drop(taken);
}

#[cfg(target_os = "linux")]
#[test]
fn open_hands_the_address_to_the_browser_opener() {
    use std::os::unix::fs::PermissionsExt;
    let site = Fixture::new();
    // A stand-in for xdg-open, first on the PATH, that writes down what it was given.
    let bin = tempfile::tempdir().expect("temp dir");
    let asked = bin.path().join("asked");
    let opener = bin.path().join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", asked.display()),
    )
    .expect("write the opener");
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut child = serve(&site, &["--port", "0", "--open"], Some(bin.path()));
    let deadline = Instant::now() + Duration::from_secs(20);
    while !asked.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let output = child.wait_with_output().expect("its output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let url = std::fs::read_to_string(&asked).unwrap_or_default();
    assert!(url.starts_with("http://127.0.0.1:"), "opener got {url:?}");
    assert!(
        stdout.contains(&format!("Serving at {url} ")),
        "the address is printed too: {stdout}"
    );
}

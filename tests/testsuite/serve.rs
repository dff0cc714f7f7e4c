//! `signpost serve`: live reload, the error overlay, recovery, and safe paths.

use std::time::{Duration, Instant};

use crate::common::{self, Fixture, Server};

const WAIT: Duration = Duration::from_secs(15);

fn wait_for_reload(events: &std::sync::mpsc::Receiver<String>) -> Duration {
    let started = Instant::now();
    let event = events
        .recv_timeout(WAIT)
        .expect("a reload event after the change");
    assert_eq!(event, "event: reload");
    started.elapsed()
}

#[test]
fn edits_reload_the_page_and_broken_content_shows_over_the_last_good_build() {
    let site = Fixture::new();
    let server = Server::start(site.root());
    let (status, page) = server.get("/essex/services/open-road/");
    assert_eq!(status, 200);
    assert!(page.contains("Support with drugs and alcohol."));
    assert!(
        page.contains("<script src=\"/__signpost/live.js\" defer></script>"),
        "the reload script is injected"
    );

    let events = server.events();
    site.edit(
        "content/services/open-road.md",
        "Support with drugs and alcohol.",
        "Support with drink and drugs, now on Saturdays.",
    );
    wait_for_reload(&events);
    let (_, page) = server.get("/essex/services/open-road/");
    assert!(
        page.contains("Support with drink and drugs, now on Saturdays."),
        "the served page shows the change"
    );

    // Break the YAML: the page shows the problem over the last good build.
    site.edit(
        "content/services/open-road.md",
        "needs: [housing]",
        "needs: [housing",
    );
    wait_for_reload(&events);
    let (status, page) = server.get("/essex/services/open-road/");
    assert_eq!(status, 200);
    assert!(page.contains("The guide has problems to fix"), "{page}");
    assert!(
        page.contains("content/services/open-road.md:7:"),
        "the diagnostic names the file and line: {page}"
    );
    assert!(
        page.contains("Support with drink and drugs, now on Saturdays."),
        "the last good build is still served"
    );
    assert!(
        server
            .stderr
            .lock()
            .unwrap()
            .contains("content/services/open-road.md:7:"),
        "the terminal shows it too"
    );

    // Fix it: the site comes back by itself.
    site.edit(
        "content/services/open-road.md",
        "needs: [housing",
        "needs: [housing]",
    );
    wait_for_reload(&events);
    let (_, page) = server.get("/essex/services/open-road/");
    assert!(!page.contains("The guide has problems to fix"));
}

#[test]
fn deleted_renamed_and_new_files_are_picked_up() {
    let site = Fixture::new();
    let server = Server::start(site.root());
    let events = server.events();
    assert_eq!(server.get("/essex/stories/jo/").0, 200);

    site.remove("content/case-studies/jo.md");
    wait_for_reload(&events);
    assert_eq!(server.get("/essex/stories/jo/").0, 404);

    // An atomic save: write a temporary file, then rename it over the real name.
    site.write(
        "content/case-studies/.amy.md.tmp",
        &common::STORY.replace("Jo's story", "Amy's story"),
    );
    std::fs::rename(
        site.path("content/case-studies/.amy.md.tmp"),
        site.path("content/case-studies/amy.md"),
    )
    .unwrap();
    wait_for_reload(&events);
    let (status, page) = server.get("/essex/stories/amy/");
    assert_eq!(status, 200);
    assert!(
        page.contains("Amy&#x27;s story") || page.contains("Amy's story"),
        "{page}"
    );

    // A burst of saves to several files is one rebuild, or a few, and ends served.
    for n in 0..5 {
        site.edit(
            "content/services/open-road.md",
            "Open Road Ltd",
            &format!("Open Road Ltd {n}"),
        );
        site.edit(
            "content/services/open-road.md",
            &format!("Open Road Ltd {n}"),
            "Open Road Ltd",
        );
    }
    site.edit(
        "content/services/open-road.md",
        "Open Road Ltd",
        "Open Road CIC",
    );
    wait_for_reload(&events);
    let deadline = Instant::now() + WAIT;
    while !server
        .get("/essex/services/open-road/")
        .1
        .contains("Open Road CIC")
    {
        assert!(Instant::now() < deadline, "the last save is served");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_only_inside_the_site() {
    let site = Fixture::new();
    // (A theme file that is a link out of the site is an error, never read:
    // tests/testsuite/hostile.rs.)
    let server = Server::start(site.root());
    for bad in [
        "/../content/site.yaml",
        "/%2e%2e/content/site.yaml",
        "/static/..%2f..%2fcontent/site.yaml",
        "/static/%5c..%5csite.yaml",
    ] {
        let (status, body) = server.get(bad);
        assert_eq!(status, 400, "{bad}");
        assert!(!body.contains("publisher"), "{bad}");
    }
    assert_eq!(server.get("/static/css/signpost.css").0, 200);
    let (status, body) = server.get("/static/passwd.txt");
    assert_eq!(status, 404);
    assert!(!body.contains("root:"));
    assert_eq!(
        server.get("/essex/services/open-road").0,
        301,
        "a folder URL without its slash redirects"
    );
    assert_eq!(server.get("/essex/services/open-road/index.html").0, 200);
    assert_eq!(server.get("/nowhere/").0, 404);
    // Bound to 127.0.0.1 alone: a server on all interfaces would also answer on
    // 127.0.0.2, which Linux routes to the loopback device too.
    if cfg!(target_os = "linux") {
        assert!(
            std::net::TcpStream::connect(("127.0.0.2", server.port)).is_err(),
            "listens on 127.0.0.1 only"
        );
    }
}

#[test]
fn a_site_broken_from_the_start_shows_its_problems() {
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "needs: [housing]",
        "needs: [housng]",
    );
    let server = Server::start(site.root());
    let (status, page) = server.get("/");
    assert_eq!(status, 500);
    assert!(
        page.contains("unknown need &quot;housng&quot; (did you mean &quot;housing&quot;?)"),
        "{page}"
    );
    let events = server.events();
    site.edit(
        "content/services/open-road.md",
        "needs: [housng]",
        "needs: [housing]",
    );
    wait_for_reload(&events);
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn a_content_change_renders_nothing_until_a_page_is_opened_and_a_theme_change_checks_the_templates()
{
    let site = Fixture::new();
    let server = Server::start(site.root());
    let events = server.events();
    site.edit(
        "content/services/open-road.md",
        "Open Road Ltd",
        "Open Road CIC",
    );
    wait_for_reload(&events);
    let log = server.log_once_it_has("Reloaded the content in");
    assert_eq!(
        log.matches("Built and checked the templates").count(),
        1,
        "only the first build checks the templates:\n{log}"
    );

    // A template that fails on a page: the theme change checks the templates, finds it
    // and shows it over the last good build; fixing the template brings the site back.
    site.write(
        "themes/default/templates/story.html",
        "{{ story.nonsense }}",
    );
    wait_for_reload(&events);
    let (_, page) = server.get("/essex/");
    assert!(page.contains("The guide has problems to fix"), "{page}");
    assert!(
        page.contains("themes/default/templates/story.html"),
        "{page}"
    );
    std::fs::remove_file(site.path("themes/default/templates/story.html")).unwrap();
    wait_for_reload(&events);
    let (_, page) = server.get("/essex/stories/jo/");
    assert!(
        !page.contains("The guide has problems to fix") && page.contains("Jo"),
        "{page}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    // A child inherits an ignored SIGINT, and a shell without job control
    // ignores it for the commands it runs in the background: then no Ctrl-C
    // could stop the server, and this test cannot say anything. Say why.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let ignored = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .unwrap_or(0);
    assert!(
        ignored & (1 << (2 - 1)) == 0,
        "SIGINT is ignored in this test process (was the suite started as a background \
         job?), so the server would inherit that: run the tests in the foreground"
    );
    let site = Fixture::new();
    let mut server = Server::start(site.root());
    assert_eq!(server.get("/").0, 200);
    let sent = std::process::Command::new("kill")
        .args(["-INT", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert!(
        server.wait_for_exit(Duration::from_secs(5)).is_some(),
        "the server stops on Ctrl-C (SIGINT)"
    );
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", server.port)).is_err(),
        "and its port is closed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, ["content"], "serve writes nothing into the site");
}

#[test]
fn one_save_is_one_reload_and_the_server_then_stays_idle() {
    // Reading the content during a reload must not count as a change: it once
    // set off the next reload, forever.
    let site = Fixture::new();
    let server = Server::start(site.root());
    let events = server.events();
    site.edit(
        "content/services/open-road.md",
        "Support with drugs and alcohol.",
        "Support with drink and drugs.",
    );
    wait_for_reload(&events);
    let (_, page) = server.get("/essex/services/open-road/");
    assert!(page.contains("Support with drink and drugs."));
    let extra: Vec<String> =
        std::iter::from_fn(|| events.recv_timeout(Duration::from_millis(1500)).ok())
            .take(3)
            .collect();
    assert_eq!(extra, Vec::<String>::new(), "reloads with no change");
}

#[test]
fn a_reload_reads_again_only_what_changed_and_sees_added_and_removed_files() {
    let site = Fixture::new();
    let server = Server::start(site.root());
    let events = server.events();
    // A new service appears, and an edited one changes, in the same reload cache.
    let open_road = site.read("content/services/open-road.md");
    site.write(
        "content/services/new-hub.md",
        &open_road.replace("Open Road", "New Hub"),
    );
    wait_for_reload(&events);
    let (status, page) = server.get("/essex/services/new-hub/");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("New Hub"));
    let (_, page) = server.get("/essex/services/open-road/");
    assert!(
        page.contains("Open Road"),
        "the unchanged file is still there"
    );
    site.remove("content/services/new-hub.md");
    wait_for_reload(&events);
    let (status, _) = server.get("/essex/services/new-hub/");
    assert_eq!(status, 404, "a removed file's page is gone");
}

/// One request with a chosen `Host` header; an error rather than a panic if the
/// server cannot be reached, so that a test can say what went wrong.
fn request(port: u16, path: &str, host: &str) -> std::io::Result<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(WAIT))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    Ok((status, body))
}

/// Polls `path` until its body satisfies `done`, for up to `WAIT`; the last body.
fn poll_page(server: &Server, path: &str, what: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let (_, page) = server.get(path);
        if done(&page) {
            return page;
        }
        assert!(
            Instant::now() < deadline,
            "{what}, within {WAIT:?}:\n{page}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits for a reload, then until the reloads stop for a second (bounded), so that
/// what follows is not folded into a rebuild that was already on its way.
fn wait_for_reloads_to_settle(events: &std::sync::mpsc::Receiver<String>) {
    wait_for_reload(events);
    let deadline = Instant::now() + WAIT;
    while events.recv_timeout(Duration::from_secs(1)).is_ok() {
        assert!(Instant::now() < deadline, "the reloads never stop");
    }
}

#[test]
fn answers_only_requests_addressed_to_this_computer() {
    // DNS rebinding: a web page whose own name has been pointed at 127.0.0.1 could
    // otherwise read the preview, drafts and all. Its requests name that host.
    let site = Fixture::new();
    let server = Server::start(site.root());
    let port = server.port;
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "".to_owned(),
    ] {
        for path in ["/essex/services/open-road/", "/__signpost/events"] {
            let (status, body) = request(port, path, &host).unwrap();
            assert!(
                status == 421 || status == 403,
                "Host {host:?} {path}: {status}"
            );
            assert!(
                !body.contains("Open Road") && !body.contains("event:"),
                "Host {host:?}: {body}"
            );
        }
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("LocalHost:{port}"),
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
    ] {
        let (status, body) = request(port, "/essex/services/open-road/", &host).unwrap();
        assert_eq!(status, 200, "Host {host:?}");
        assert!(body.contains("Open Road"), "Host {host:?}: {body}");
    }
}

#[test]
fn idle_connections_are_closed_after_a_few_seconds() {
    use std::io::{Read, Write};
    let site = Fixture::new();
    let server = Server::start(site.root());
    let closed_within = |stream: &mut std::net::TcpStream| {
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let started = Instant::now();
        let mut reply = Vec::new();
        match stream.read_to_end(&mut reply) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("the idle connection is still open after 30 s ({e})"),
        }
        (
            started.elapsed(),
            String::from_utf8_lossy(&reply).into_owned(),
        )
    };
    // A connection that never sends anything.
    let mut silent = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let (took, reply) = closed_within(&mut silent);
    assert!(reply.is_empty(), "{reply}");
    assert!(
        took >= Duration::from_secs(1),
        "an idle connection has a few seconds to send its request, not {took:?}"
    );
    // One that starts a request and never finishes it.
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(slow, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    let (_, reply) = closed_within(&mut slow);
    assert!(
        reply.is_empty() || reply.starts_with("HTTP/1.1 408"),
        "{reply}"
    );
    assert_eq!(server.get("/essex/").0, 200, "still serving afterwards");
}

#[test]
fn content_moved_away_and_back_is_still_watched() {
    let site = Fixture::new();
    let server = Server::start(site.root());
    let events = server.events();
    std::fs::rename(site.path("content"), site.path("content-away")).unwrap();
    std::fs::rename(site.path("content-away"), site.path("content")).unwrap();
    wait_for_reloads_to_settle(&events);
    site.edit(
        "content/services/open-road.md",
        "Support with drugs and alcohol.",
        "Support with drink and drugs, after the move.",
    );
    poll_page(
        &server,
        "/essex/services/open-road/",
        "a save after content/ came back is served",
        |page| page.contains("after the move."),
    );
}

#[test]
fn content_deleted_and_copied_back_is_watched_and_its_absence_explained() {
    let site = Fixture::new();
    let server = Server::start(site.root());
    let saved = tempfile::tempdir().unwrap();
    let files = common::files_under(&site.path("content"));
    for file in &files {
        let to = saved.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(site.path("content").join(file), to).unwrap();
    }
    std::fs::remove_dir_all(site.path("content")).unwrap();
    let page = poll_page(
        &server,
        "/essex/services/open-road/",
        "the page says content/ is missing",
        |page| page.contains("content/ folder is missing"),
    );
    assert!(
        page.contains("Support with drugs and alcohol."),
        "the last good build is still served: {page}"
    );

    let events = server.events();
    for file in &files {
        site.write(
            &format!("content/{file}"),
            &std::fs::read_to_string(saved.path().join(file)).unwrap(),
        );
    }
    poll_page(
        &server,
        "/essex/services/open-road/",
        "the problem goes once content/ is back",
        |page| !page.contains("The guide has problems to fix"),
    );
    wait_for_reloads_to_settle(&events);
    site.edit(
        "content/services/open-road.md",
        "Support with drugs and alcohol.",
        "Support with drink and drugs, after the copy.",
    );
    poll_page(
        &server,
        "/essex/services/open-road/",
        "a save after content/ was copied back is served",
        |page| page.contains("after the copy."),
    );
}

/// Load tests: bounded in count and time, against 127.0.0.1 only, and run one at a
/// time (they share the machine's cores and this process's open files). Run them
/// alone with `cargo test --test testsuite serve::load::`, or skip them with
/// `-- --skip serve::load::` (not `load::` alone, which also names the library's
/// unit tests of src/load.rs).
mod load {
    use super::*;

    fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
        static LOAD: std::sync::Mutex<()> = std::sync::Mutex::new(());
        LOAD.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[test]
    fn stays_up_under_200_concurrent_clients() {
        let _alone = one_at_a_time();
        // A bounded load test against 127.0.0.1 only: 200 clients, 10 seconds.
        let site = Fixture::new();
        let server = Server::start(site.root());
        let port = server.port;
        let stop = Instant::now() + Duration::from_secs(10);
        let clients: Vec<_> = (0..200)
            .map(|n| {
                std::thread::spawn(move || {
                    let paths = [
                        "/essex/",
                        "/essex/services/open-road/",
                        "/static/css/signpost.css",
                        "/sutton/print/",
                    ];
                    let (mut ok, mut failed) = (0u32, 0u32);
                    let mut i = n;
                    while Instant::now() < stop {
                        let (status, _) = common::http_get(port, paths[i % paths.len()]);
                        if status == 200 {
                            ok += 1
                        } else {
                            failed += 1
                        }
                        i += 1;
                    }
                    (ok, failed)
                })
            })
            .collect();
        let (ok, failed) = clients
            .into_iter()
            .map(|c| c.join().expect("client"))
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        assert_eq!(failed, 0, "{ok} requests answered, {failed} failed");
        assert!(ok >= 200, "every client was served at least once ({ok})");
        assert_eq!(server.get("/essex/").0, 200, "still serving afterwards");
    }

    #[cfg(unix)]
    #[test]
    fn answers_with_600_idle_connections_open() {
        // At the usual limit of 1024 open files, about 510 idle connections once
        // killed the accept loop, and every later connection was refused.
        let _alone = one_at_a_time();
        let site = Fixture::new();
        let server = Server::start_with_open_file_limit(site.root(), 1024);
        let port = server.port;
        let started = Instant::now();
        let idle: Vec<std::net::TcpStream> = (0..600)
            .filter_map(|_| {
                std::net::TcpStream::connect_timeout(
                    &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
                    Duration::from_secs(5),
                )
                .ok()
            })
            .collect();
        let opened = started.elapsed();
        let started = Instant::now();
        let answer = request(port, "/essex/", "127.0.0.1");
        let took = started.elapsed();
        eprintln!(
            "{} idle connections opened in {opened:?}; a request then took {took:?}",
            idle.len()
        );
        match answer {
            Ok((status, _)) => assert_eq!(status, 200, "answered in {took:?}"),
            Err(e) => panic!("no answer with {} idle connections: {e}", idle.len()),
        }
        assert!(took < WAIT, "answered, but only after {took:?}");

        drop(idle);
        let deadline = Instant::now() + WAIT;
        while request(port, "/essex/", "127.0.0.1").map(|r| r.0).ok() != Some(200) {
            assert!(Instant::now() < deadline, "still serving after they close");
            std::thread::sleep(Duration::from_millis(50));
        }
        let log = server.stderr.lock().unwrap().clone();
        assert!(!log.contains("panicked"), "{log}");
    }
}

#[test]
fn a_confidential_address_typed_while_previewing_is_shown_until_it_is_removed() {
    // serve checks only the files a save read again: the leak must still be
    // reported after a save to another file, and go when it is removed.
    let site = Fixture::new();
    let server = Server::start(site.root());
    let events = server.events();
    let helpline = "content/services/national-domestic-abuse-helpline.md";
    site.edit(
        helpline,
        "Call any time.",
        "Call any time, or visit 99 Secret Lane.",
    );
    wait_for_reload(&events);
    let shows_leak = |page: &str| page.contains("this is the confidential address of");
    let (_, page) = server.get("/essex/");
    assert!(shows_leak(&page), "{page}");
    site.edit(
        "content/services/open-road.md",
        "Support with drugs and alcohol.",
        "Support with drink and drugs.",
    );
    wait_for_reload(&events);
    let (_, page) = server.get("/essex/");
    assert!(
        shows_leak(&page),
        "still reported after another file's save: {page}"
    );
    site.edit(
        helpline,
        "Call any time, or visit 99 Secret Lane.",
        "Call any time.",
    );
    wait_for_reload(&events);
    let (_, page) = server.get("/essex/");
    assert!(!shows_leak(&page), "{page}");
}

//! `signpost serve`: live reload, the error overlay, recovery, and safe paths.

mod common;

use std::time::{Duration, Instant};

use common::{Fixture, Server};

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
    // tests/hostile.rs.)
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
fn stays_up_under_200_concurrent_clients() {
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

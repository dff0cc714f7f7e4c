//! A guide in two languages: translations beside their originals, a tree per
//! language, what is untranslated marked and listed, and contradictions refused.

use crate::common::{self, Fixture, assert_links_resolve};

/// The common fixture in English and Welsh: every kind of file translated
/// but the helpline, which is left untranslated.
fn bilingual() -> Fixture {
    let f = Fixture::new();
    f.write(
        "content/site.yaml",
        "title: Test guide\npublisher: Test Council\nlanguages: [en-GB, cy]\nbase_url: https://guide.example.org/\n",
    );
    f.write(
        "content/site.cy.yaml",
        "title: Canllaw prawf\npublisher: Cyngor Prawf\n",
    );
    f.write(
        "content/needs.cy.yaml",
        "- slug: housing\n  name: Tai\n  description: Lle diogel i fyw.\n- slug: domestic-abuse\n  name: Cam-drin domestig\n  description: Help os oes rhywun yn eich brifo.\n",
    );
    f.write(
        "content/areas/essex.cy.yaml",
        "name: Essex\ncouncil: Cyngor Sir Essex\nemergency: Mewn perygl nawr? Ffoniwch 999.\n",
    );
    f.write(
        "content/areas/sutton.cy.yaml",
        "name: Sutton\ncouncil: Bwrdeistref Sutton\n",
    );
    f.write(
        "content/services/open-road.cy.md",
        "---\nname: Ffordd Agored\nsummary: Cymorth gyda chyffuriau ac alcohol.\n---\n## Beth rydym yn ei gynnig\nRhywun i siarad â hi.\n",
    );
    f.write(
        "content/pathways/routine-enquiry.cy.md",
        "---\ntitle: Ymholiad arferol\nsteps:\n  - id: ask\n    title: Gofyn am gam-drin\n  - id: marac\n    title: Cyfeirio at MARAC\n    when: Os yw hi mewn perygl mawr\n---\nGofynnwch i bob menyw.\n",
    );
    f.write(
        "content/case-studies/jo.cy.md",
        "---\ntitle: Stori Jo\nsummary: Daeth Jo o hyd i gartref.\n---\nGeiriau Jo.\n",
    );
    f.write(
        "content/pages/accessibility-statement.cy.md",
        "---\ntitle: Datganiad hygyrchedd\n---\nRydym eisiau i bawb allu ei ddefnyddio.\n",
    );
    f.write(
        "content/pages/cover-your-tracks.cy.md",
        "---\ntitle: Cuddio eich ôl ar-lein\n---\nCliriwch eich hanes.\n",
    );
    f
}

#[test]
fn each_language_has_the_same_tree_under_its_prefix() {
    let f = bilingual();
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = f.path("output");
    for page in [
        "essex/services/open-road/index.html",
        "essex/pathways/routine-enquiry/index.html",
        "essex/stories/jo/index.html",
        "cover-your-tracks/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page}");
        assert!(out.join("cy").join(page).is_file(), "cy/{page}");
    }
    // Static files once, at the root; links from the Welsh tree reach them.
    assert!(!out.join("cy/static").exists());
    assert!(assert_links_resolve(&out) > 0);

    let welsh = f.read("output/cy/essex/services/open-road/index.html");
    assert!(welsh.contains(r#"<html lang="cy" dir="ltr">"#), "{welsh}");
    assert!(welsh.contains("Ffordd Agored"));
    assert!(welsh.contains("Rhywun i siarad"));
    // Interface words and hours from the theme's Welsh words.
    assert!(welsh.contains("Gadael y dudalen hon"));
    assert!(
        welsh.contains("Neidio i&#x27;r prif gynnwys") || welsh.contains("Neidio i'r prif gynnwys")
    );
    assert!(
        welsh.contains("Dydd Llun i ddydd Gwener:</span> 9yb i 5yh"),
        "{welsh}"
    );
    // Its structured data says its text is Welsh.
    assert!(
        welsh.contains(r#""@context":["https://schema.org",{"@language":"cy"}]"#),
        "{welsh}"
    );
    // What is not words comes from the original.
    assert!(welsh.contains("01206 500585"));
    assert!(!welsh.contains("99 Secret Lane"));
    // The counterpart in English, by hreflang and a switcher in its own language.
    assert!(welsh.contains(
        r#"<link rel="alternate" hreflang="en-GB" href="https://guide.example.org/essex/services/open-road/">"#
    ));
    assert!(
        welsh.contains(r#"hreflang="en-GB" lang="en-GB" class="site-nav__language">English</a>"#)
    );
    let english = f.read("output/essex/services/open-road/index.html");
    assert!(english.contains(r#"<html lang="en-GB" dir="ltr">"#));
    assert!(english.contains("Exit this page"));
    assert!(
        english.contains("Monday to Friday:</span> 9am to 5pm"),
        "{english}"
    );
    assert!(english.contains(r#"hreflang="cy" lang="cy" class="site-nav__language">Cymraeg</a>"#));
    assert!(english.contains(r#"<link rel="alternate" hreflang="cy" href="https://guide.example.org/cy/essex/services/open-road/">"#));

    // One sitemap, with every page in both languages and its alternates.
    let sitemap = f.read("output/sitemap.xml");
    assert!(!out.join("cy/sitemap.xml").exists());
    assert!(sitemap.contains(
        r#"<url><loc>https://guide.example.org/cy/essex/services/open-road/</loc><xhtml:link rel="alternate" hreflang="en-GB" href="https://guide.example.org/essex/services/open-road/"/><xhtml:link rel="alternate" hreflang="cy" href="https://guide.example.org/cy/essex/services/open-road/"/></url>"#
    ), "{sitemap}");
    // The open-data export is the main language's only.
    assert!(out.join("essex/services.json").is_file());
    assert!(!out.join("cy/essex/services.json").exists());

    // A Welsh search index, with the Welsh words.
    let index = f.read("output/cy/essex/search-index.js");
    assert!(index.contains("Ffordd Agored"));
}

/// What Rust words on printed pages (the running footer, the handout's title,
/// a review date) is in the page's language, not English.
#[test]
fn printed_pages_and_dates_are_worded_in_the_pages_language() {
    let f = bilingual();
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let footer = f.read("output/cy/essex/print/footer.css");
    for words in [
        r#"--print-built: "24 Tachwedd 2026";"#,
        r#"--print-page-label: "Tudalen ";"#,
        r#"--print-of: " o ";"#,
        r#"--print-as-of: "Gwybodaeth yn gywir ar ";"#,
        r#"--print-address: "https://guide.example.org/essex/";"#,
        "--print-qr: url(",
    ] {
        assert!(footer.contains(words), "{words} in {footer}");
    }
    let english = f.read("output/essex/print/footer.css");
    assert!(
        english.contains(r#"--print-built: "24 November 2026";"#),
        "{english}"
    );
    assert!(
        english.contains(r#"--print-page-label: "Page ";"#),
        "{english}"
    );
    let handout = f.read("output/cy/essex/print/contacts/index.html");
    assert!(
        handout.contains("<title>Cysylltiadau allweddol yn ardal Essex – Canllaw prawf</title>"),
        "{handout}"
    );
    let print = f.read("output/cy/essex/print/index.html");
    assert!(print.contains(r#"data-print-date="Argraffwyd""#), "{print}");
    let service = f.read("output/cy/essex/services/open-road/index.html");
    assert!(
        service.contains(r#"<time datetime="2026-06-01">1 Mehefin 2026</time>"#),
        "{service}"
    );
}

#[test]
fn an_untranslated_page_is_published_marked_and_listed() {
    let f = bilingual();
    let run = f.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warning =
        "content/services/national-domestic-abuse-helpline.md: warning: not translated into cy yet";
    assert!(
        run.diagnostics().iter().any(|d| d.starts_with(warning)),
        "{}",
        run.stderr
    );
    // Only the untranslated file is listed.
    assert_eq!(
        run.diagnostics()
            .iter()
            .filter(|d| d.contains("not translated into cy"))
            .count(),
        1,
        "{}",
        run.stderr
    );
    let strict = f.run(&["check", "--strict"]);
    assert_ne!(strict.code, 0, "--strict requires the whole translation");

    assert_eq!(f.build().code, 0);
    let page = f.read("output/cy/essex/services/national-domestic-abuse-helpline/index.html");
    assert!(page.contains("National Domestic Abuse Helpline"));
    assert!(
        page.contains("Nid yw&#x27;r dudalen hon wedi&#x27;i chyfieithu")
            || page.contains("Nid yw'r dudalen hon wedi'i chyfieithu"),
        "{page}"
    );
    // Its own words are marked as English; the interface around them is Welsh.
    assert!(
        page.contains(r#"<h1 lang="en-GB">National Domestic Abuse Helpline</h1>"#),
        "{page}"
    );
    assert!(page.contains("Gadael y dudalen hon"));
    // In lists, the untranslated service is marked as English.
    let area = f.read("output/cy/essex/index.html");
    assert!(area.contains(r#"lang="en-GB""#), "{area}");
}

/// The glossary translates term by term: Welsh pages mark terms up with the
/// Welsh, and the Welsh glossary page lists them; a term the original lacks
/// is an error at its place.
#[test]
fn the_glossary_translates_term_by_term() {
    let f = bilingual();
    f.write(
        "content/glossary.yaml",
        "- term: MARAC\n  expansion: multi-agency risk assessment conference\n  explanation: A meeting about a woman at high risk.\n- term: IDVA\n  expansion: independent domestic violence adviser\n  explanation: Someone who supports you.\n",
    );
    f.write(
        "content/glossary.cy.yaml",
        "- term: MARAC\n  expansion: cynhadledd asesu risg amlasiantaethol\n  explanation: Cyfarfod am fenyw sydd mewn perygl mawr.\n",
    );
    f.edit(
        "content/pathways/routine-enquiry.cy.md",
        "Gofynnwch i bob menyw.",
        "Gofynnwch i bob menyw, a chyfeiriwch at MARAC.",
    );
    f.edit(
        "content/pathways/routine-enquiry.md",
        "Ask every woman.",
        "Ask every woman, and refer to MARAC.",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The Welsh body is marked up with the Welsh glossary, the English with the English.
    let pathway = f.read("output/cy/essex/pathways/routine-enquiry/index.html");
    assert!(
        pathway.contains(r#"<abbr title="cynhadledd asesu risg amlasiantaethol">MARAC</abbr>"#),
        "{pathway}"
    );
    let english = f.read("output/essex/pathways/routine-enquiry/index.html");
    assert!(
        english.contains(r#"<abbr title="multi-agency risk assessment conference">MARAC</abbr>"#),
        "{english}"
    );
    let glossary = f.read("output/cy/glossary/index.html");
    assert!(
        glossary.contains("Cyfarfod am fenyw sydd mewn perygl mawr."),
        "{glossary}"
    );
    // The term left out is reported, and shows the original's words.
    assert!(glossary.contains("Someone who supports you."), "{glossary}");
    let check = f.check();
    assert!(
        check.diagnostics().contains(&"content/glossary.cy.yaml: warning: not all of it is translated: terms.IDVA is still in en-GB on its cy page (the original's words); translate it here"),
        "{}",
        check.stderr
    );

    f.write(
        "content/glossary.cy.yaml",
        "- term: MARAK\n  expansion: cynhadledd\n  explanation: Cyfarfod.\n- term: IDVA\n  expansion: cynghorydd\n  explanation: Rhywun.\n  phone: 0800 000 000\n",
    );
    let run = f.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/glossary.cy.yaml:7:3: error: unknown field `phone`");
    // A term the original lacks is found once the file reads.
    f.edit("content/glossary.cy.yaml", "  phone: 0800 000 000\n", "");
    let run = f.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/glossary.cy.yaml:1:9: error: glossary.yaml has no term `MARAK` to translate (did you mean \"MARAC\"?)");
}

/// A translation that leaves some of its original's words out is published
/// with the original's words there, and `check` names what is left.
#[test]
fn words_a_translation_leaves_out_are_reported() {
    let f = bilingual();
    let run = f.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The fixture's Welsh pathway translates two of its four steps.
    assert!(
        run.diagnostics().contains(&"content/pathways/routine-enquiry.cy.md: warning: not all of it is translated: steps.assess, steps.local are still in en-GB on its cy page (the original's words); translate them here"),
        "{}",
        run.stderr
    );
    f.write(
        "content/services/open-road.cy.md",
        "---\nname: Ffordd Agored\norganisation: Ffordd Agored Cyf\n---\n",
    );
    let run = f.check();
    assert!(
        run.diagnostics().contains(&"content/services/open-road.cy.md: warning: not all of it is translated: summary, the text below the front matter are still in en-GB on its cy page (the original's words); translate them here"),
        "the default cost (\"Free\") is the theme's to word: {}",
        run.stderr
    );
    assert_ne!(f.run(&["check", "--strict"]).code, 0);
}

/// The languages a service speaks are words too: named in the translation's
/// language, one for each of the original's.
#[test]
fn a_services_languages_are_named_in_the_translation() {
    let f = bilingual();
    f.edit(
        "content/services/open-road.md",
        "last_reviewed:",
        "languages: [Welsh, English]\nlast_reviewed:",
    );
    f.edit(
        "content/services/open-road.cy.md",
        "summary: Cymorth gyda chyffuriau ac alcohol.\n",
        "summary: Cymorth gyda chyffuriau ac alcohol.\nlanguages: [Cymraeg]\n",
    );
    let run = f.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/services/open-road.cy.md:4:1: error: `languages` names 1 languages where the original names 2 (Welsh, English): give each of the original's in this language, in the same order");
    f.edit(
        "content/services/open-road.cy.md",
        "languages: [Cymraeg]",
        "languages: [Cymraeg, Saesneg]",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let welsh = f.read("output/cy/essex/services/open-road/index.html");
    assert!(welsh.contains("<dd>Cymraeg, Saesneg</dd>"), "{welsh}");
    let english = f.read("output/essex/services/open-road/index.html");
    assert!(english.contains("<dd>Welsh, English</dd>"), "{english}");
    // Left out, they are the original's, and check says so.
    f.edit(
        "content/services/open-road.cy.md",
        "languages: [Cymraeg, Saesneg]\n",
        "",
    );
    let run = f.check();
    assert!(
        run.diagnostics().iter().any(|d| d.starts_with("content/services/open-road.cy.md: warning: not all of it is translated: organisation, languages are still in en-GB")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_translation_cannot_contradict_its_original() {
    let f = bilingual();
    f.write(
        "content/services/open-road.cy.md",
        "---\nname: Ffordd Agored\nsummary: Cymorth.\nareas: [sutton]\ncontact:\n  phone: 0800 000 000\n  notes: Am ddim\n---\nTestun.\n",
    );
    let run = f.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error(
        "content/services/open-road.cy.md:4:1: error: `areas` comes from the original (content/services/open-road.md) and cannot be changed in a translation, which holds only words (name, organisation, summary, referral_notes, eligibility, hours_notes, cost): remove it here",
    );
    assert!(
        run.errors().iter().any(|e| e.starts_with(
            "content/services/open-road.cy.md:6:3: error: `contact.phone` comes from the original"
        )),
        "{}",
        run.stderr
    );
    // Notes are words: no error for them.
    assert!(!run.stderr.contains("contact.notes"), "{}", run.stderr);
}

#[test]
fn translations_of_nothing_and_of_words_that_are_not_text_are_errors() {
    let f = bilingual();
    f.write(
        "content/services/no-such-service.cy.md",
        "---\nname: Dim\n---\n",
    );
    f.write("content/areas/essex.fr.yaml", "name: Essex\n");
    f.write(
        "content/pathways/routine-enquiry.cy.md",
        "---\ntitle: [not, text]\nsteps:\n  - id: nowhere\n    title: Unman\n---\n",
    );
    let run = f.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/services/no-such-service.cy.md: error: this translates content/services/no-such-service.md, which does not exist: rename it after its original, or remove it");
    assert!(
        run.errors().iter().any(|e| e.starts_with(
            "content/areas/essex.fr.yaml: error: the file name `essex.fr` is not a valid slug, nor a translation: `fr` is not one of the site's languages (en-GB, cy)"
        )),
        "{}",
        run.stderr
    );
    run.assert_error(
        "content/pathways/routine-enquiry.cy.md:2:8: error: `title` should be text, found a list",
    );
    // A step the original lacks is found once the rest is right.
    f.remove("content/services/no-such-service.cy.md");
    f.remove("content/areas/essex.fr.yaml");
    f.edit(
        "content/pathways/routine-enquiry.cy.md",
        "title: [not, text]",
        "title: Ymholiad",
    );
    let run = f.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.errors().iter().any(|e| e.starts_with(
            "content/pathways/routine-enquiry.cy.md:4:9: error: the original has no step `nowhere` to translate"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn one_language_builds_as_before() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    let out = f.path("output");
    assert!(!out.join("cy").exists());
    let page = f.read("output/essex/services/open-road/index.html");
    assert!(page.contains(r#"<html lang="en-GB" dir="ltr">"#));
    assert!(!page.contains("hreflang"));
    // `language` alone names the one language.
    f.edit(
        "content/site.yaml",
        "publisher: Test Council\n",
        "publisher: Test Council\nlanguage: cy\n",
    );
    assert_eq!(f.build().code, 0);
    let page = f.read("output/essex/services/open-road/index.html");
    assert!(page.contains(r#"<html lang="cy" dir="ltr">"#));
    assert!(
        page.contains("Gadael y dudalen hon"),
        "the interface follows the language"
    );
}

#[test]
fn right_to_left_pages_say_so() {
    let f = Fixture::new();
    f.edit(
        "content/site.yaml",
        "publisher: Test Council\n",
        "publisher: Test Council\nlanguages: [en-GB, ar]\n",
    );
    // A partial words file: the rest falls back to English, and check says so.
    f.write(
        "themes/default/words/ar.yaml",
        "exit_this_page: اخرج من هذه الصفحة\nlanguage_name: العربية\n",
    );
    f.write(
        "themes/default/words/en-GB.yaml",
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/words/en-GB.yaml"
        ))
        .unwrap(),
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = f.read("output/ar/essex/index.html");
    assert!(page.contains(r#"<html lang="ar" dir="rtl">"#), "{page}");
    assert!(page.contains("اخرج من هذه الصفحة"));
    assert!(
        page.contains("Skip to main content"),
        "falls back to the main language"
    );
    let english = f.read("output/essex/index.html");
    assert!(english.contains(">العربية</a>"));
    let check = f.check();
    assert!(
        check
            .stderr
            .contains("themes/default/words/ar.yaml: warning: "),
        "{}",
        check.stderr
    );
}

#[test]
fn serve_answers_in_each_language() {
    let f = bilingual();
    let server = common::Server::start(f.root());
    let (status, body) = server.get("/cy/essex/services/open-road/");
    assert_eq!(status, 200);
    assert!(body.contains("Ffordd Agored"));
    let (status, body) = server.get("/essex/services/open-road/");
    assert_eq!(status, 200);
    assert!(body.contains("Open Road"));
    assert_eq!(server.get("/cy/nowhere/").0, 404);
}

#[test]
fn new_starts_a_translation_with_the_originals_words_and_init_a_second_language() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("guide");
    let run = common::signpost(
        &["init", site.to_str().unwrap(), "--language", "cy"],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config = std::fs::read_to_string(site.join("content/site.yaml")).unwrap();
    assert!(config.contains("languages: [en-GB, cy]"), "{config}");
    // It builds at once, in both languages; check lists what is left to translate.
    let check = common::signpost(&["check"], &site);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("not translated into cy yet"),
        "{}",
        check.stderr
    );

    let run = common::signpost(
        &[
            "new",
            "pathway",
            "If you are being hurt at home",
            "--language",
            "cy",
        ],
        &site,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stub =
        std::fs::read_to_string(site.join("content/pathways/if-you-are-being-hurt-at-home.cy.md"))
            .unwrap();
    // Words only: titles and step words with their ids, no services or areas.
    assert!(
        stub.contains("title: \"If you are being hurt at home\""),
        "{stub}"
    );
    assert!(stub.contains("steps:\n  - id: "), "{stub}");
    assert!(
        !stub.contains("services:") && !stub.contains("area:"),
        "{stub}"
    );
    // As written, it is a valid translation (of the same words).
    let check = common::signpost(&["check"], &site);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        !check
            .stderr
            .contains("content/pathways/if-you-are-being-hurt-at-home.md: warning: not translated"),
        "{}",
        check.stderr
    );

    let again = common::signpost(
        &[
            "new",
            "pathway",
            "If you are being hurt at home",
            "--language",
            "cy",
        ],
        &site,
    );
    assert_eq!(again.code, 2, "never overwrites");
    let missing = common::signpost(
        &["new", "service", "No such thing", "--language", "cy"],
        &site,
    );
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("there is no content/services/no-such-thing.md to translate"),
        "{}",
        missing.stderr
    );
}

/// The translated bodies are rendered together after all are laid over their
/// originals: what rendering finds in one is still reported once, at the
/// translation's own line, and the build stops.
#[test]
fn a_problem_in_a_translated_body_is_reported_once_at_its_line() {
    let f = bilingual();
    f.write(
        "content/services/open-road.cy.md",
        "---\nname: Ffordd Agored\nsummary: Cymorth gyda chyffuriau ac alcohol.\n---\nRhywun i siarad â hi.\n\n![Llun](https://images.example.com/llun.png)\n",
    );
    let run = f.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found: Vec<&str> = run
        .errors()
        .into_iter()
        .filter(|e| e.contains("image"))
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stderr);
    assert!(
        found[0].starts_with("content/services/open-road.cy.md:7:"),
        "{}",
        found[0]
    );
}

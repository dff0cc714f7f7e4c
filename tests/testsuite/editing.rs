//! `editing:` in site.yaml: the browser editor's page and its configuration,
//! generated from the content model, and nothing else changed.

use crate::common::{Fixture, files_under};

const EDITING: &str = "editing:\n  cms: decap\n  backend: github\n  repo: essex-council/women-guide\n  branch: main\n";

fn with_editing() -> Fixture {
    let site = Fixture::new();
    site.write(
        "content/site.yaml",
        &format!("title: Test guide\npublisher: Test Council\nbase_url: https://guide.example.org/\n{EDITING}"),
    );
    site
}

/// The configuration: JSON after its two comment lines, so YAML too.
fn config(site: &Fixture) -> serde_json::Value {
    let text = site.read("output/admin/config.yml");
    let json: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    serde_json::from_str(&json).expect("config.yml is JSON (and so YAML)")
}

fn collection<'a>(config: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    config["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no collection {name}"))
}

fn field<'a>(collection: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    collection["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn the_build_writes_the_editor_generated_from_the_content_model() {
    let site = with_editing();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let c = config(&site);
    assert_eq!(c["backend"]["name"], "github");
    assert_eq!(c["backend"]["repo"], "essex-council/women-guide");
    assert_eq!(c["backend"]["branch"], "main");
    assert_eq!(c["publish_mode"], "editorial_workflow");
    assert_eq!(c["local_backend"], true);
    let names: Vec<&str> = c["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["areas", "services", "pathways", "case-studies", "pages"]
    );
    let services = collection(&c, "services");
    assert_eq!(services["folder"], "content/services");
    assert_eq!(services["format"], "yaml-frontmatter");
    // The note `signpost new` writes is the hint, and the comment Decap writes back.
    let organisation = field(services, "organisation");
    assert_eq!(
        organisation["hint"],
        "Who runs it: the organisation or partnership."
    );
    assert_eq!(
        organisation["comment"],
        "Who runs it: the organisation or partnership."
    );
    // A note that speaks of the file's brackets is the comment; the form's
    // hint speaks of the form.
    let services_areas = field(services, "areas");
    assert!(
        services_areas["comment"]
            .as_str()
            .unwrap()
            .contains("(without brackets)")
    );
    assert_eq!(
        services_areas["hint"],
        "Where it works: choose its areas, or Every area for a national helpline."
    );
    // Areas: the site's areas and `all`; needs from needs.yaml.
    let areas: Vec<&str> = field(services, "areas")["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap())
        .collect();
    assert_eq!(areas, ["all", "essex", "sutton"]);
    let needs: Vec<&str> = field(services, "needs")["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    assert_eq!(needs, ["Housing", "Domestic abuse"]);
    let reviewed = field(services, "last_reviewed");
    assert_eq!(reviewed["widget"], "datetime");
    assert_eq!(reviewed["format"], "YYYY-MM-DD");
    assert_eq!(field(services, "body")["widget"], "markdown");
    assert_eq!(field(services, "draft")["widget"], "boolean");
    // Relations: a story's services and areas; a step's services.
    let stories = collection(&c, "case-studies");
    assert_eq!(field(stories, "services")["widget"], "relation");
    assert_eq!(field(stories, "services")["collection"], "services");
    assert_eq!(field(stories, "areas")["collection"], "areas");
    let steps = field(collection(&c, "pathways"), "steps");
    let step_services = steps["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "services")
        .unwrap();
    assert_eq!(step_services["widget"], "relation");
    assert_eq!(collection(&c, "areas")["extension"], "yaml");
}

#[test]
fn only_the_admin_page_loads_the_editor_and_nothing_points_to_it() {
    let site = with_editing();
    assert_eq!(site.build().code, 0);
    let page = site.read("output/admin/index.html");
    assert!(page.contains(r#"<meta name="robots" content="noindex, nofollow">"#));
    let script = format!(
        r#"<script src="https://unpkg.com/decap-cms@{}/dist/decap-cms.js" integrity="{}" crossorigin="anonymous">"#,
        signpost::cms::DECAP_VERSION,
        signpost::cms::DECAP_INTEGRITY
    );
    assert!(page.contains(&script), "{page}");
    assert!(page.contains("Content-Security-Policy"));
    let out = site.path("output");
    for file in files_under(&out) {
        // `_headers` is the host's configuration, never served as a page: it
        // names the editor's folder to give it its own policy.
        if file.starts_with("admin/") || file == "_headers" {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(out.join(&file)) else {
            continue;
        };
        assert!(
            !text.contains("unpkg.com"),
            "{file} loads from another host"
        );
        assert!(!text.contains("admin/"), "{file} mentions the editor");
    }
    assert!(!site.read("output/sitemap.xml").contains("admin"));
}

#[test]
fn without_editing_there_is_no_editor() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    assert!(!site.path("output/admin").exists());
}

#[test]
fn bad_editing_settings_are_reported_at_their_place() {
    let site = Fixture::new();
    site.write(
        "content/site.yaml",
        "title: T\npublisher: P\nediting:\n  cms: wordpress\n  backend: githib\n  repo: just-a-name\n  brnach: main\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1);
    run.assert_error("content/site.yaml:4:8: error: `cms` should be decap (the browser editor Signpost writes a configuration for), not \"wordpress\"");
    run.assert_error("content/site.yaml:5:12: error: unknown `backend` \"githib\" (did you mean \"github\"?): use github, gitlab or bitbucket, where the site's repository is kept");
    run.assert_error("content/site.yaml:6:9: error: `repo` should be the repository that holds this site, written OWNER/NAME, such as essex-council/women-guide, not \"just-a-name\"");
    run.assert_error(
        "content/site.yaml:7:3: error: unknown field `brnach` (did you mean \"branch\"?)",
    );
}

#[test]
fn a_page_called_admin_clashes_with_the_editor() {
    let site = with_editing();
    site.write("content/pages/admin.md", "---\ntitle: Admin\n---\nHello.\n");
    let run = site.check();
    assert_eq!(run.code, 1);
    run.assert_error("content/pages/admin.md: error: this would be published at admin/, which also belongs to the browser editor (`editing:` in site.yaml); rename one of the files");
    // Without `editing:`, the name is free.
    let site = Fixture::new();
    site.write("content/pages/admin.md", "---\ntitle: Admin\n---\nHello.\n");
    assert_eq!(site.check().code, 0);
}

#[test]
fn serve_answers_the_editor_s_page_and_configuration() {
    let site = with_editing();
    let server = crate::common::Server::start(site.root());
    let (status, page) = server.get("/admin/");
    assert_eq!(status, 200);
    assert!(page.contains("decap-cms.js"));
    let (status, config) = server.get("/admin/config.yml");
    assert_eq!(status, 200);
    assert!(config.contains("editorial_workflow"));
}

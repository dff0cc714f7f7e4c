//! The URL scheme: where each page and data file is published, relative to the
//! output root, and the parser that reads a path back. Every path the build
//! writes or a page links to is made here, so a change to the scheme (a
//! language prefix, say) has one home. Pages are folders (`essex/`), so that
//! addresses stay the same whatever the server does with `index.html`.

/// Where a language other than the main one is published: `cy/`. Every path
/// below is relative to its language's root; `in_language` puts it there.
pub fn language_root(lang: &str) -> String {
    format!("{lang}/")
}

/// A path of the scheme in the language whose root is `root` (`""` for the
/// main language): `cy/essex/services/open-road/`.
pub fn in_language(root: &str, path: &str) -> String {
    format!("{root}{path}")
}

/// Splits a path into the language it is in, as a position in `languages`
/// (the main one first, whose pages have no prefix), and the path within it.
pub fn split_language<'a>(path: &'a str, languages: &[String]) -> (usize, &'a str) {
    for (i, lang) in languages.iter().enumerate().skip(1) {
        if let Some(rest) = path
            .strip_prefix(lang.as_str())
            .and_then(|r| r.strip_prefix('/'))
        {
            return (i, rest);
        }
    }
    (0, path)
}

/// The front page: the output root itself.
pub fn front_page() -> String {
    String::new()
}

/// An area's guide: `essex/`.
pub fn area(area: &str) -> String {
    format!("{area}/")
}

/// A free page: `about/`. It shares the top level with the areas' guides, which
/// is why a page and an area of one name are an error.
pub fn page(page: &str) -> String {
    format!("{page}/")
}

/// A service's page in an area's guide: `essex/services/open-road/`.
pub fn service(area: &str, service: &str) -> String {
    format!("{area}/{}", service_in_area(service))
}

/// The same, relative to the area's guide: `services/open-road/`. The search
/// index, read by the area's own page, links this way.
pub fn service_in_area(service: &str) -> String {
    format!("services/{service}/")
}

/// The services in an area that meet a need: `essex/needs/housing/`.
pub fn need(area: &str, need: &str) -> String {
    format!("{area}/{}", need_in_area(need))
}

/// The same, relative to the area's guide: `needs/housing/`.
pub fn need_in_area(need: &str) -> String {
    format!("needs/{need}/")
}

/// A pathway as an area's guide shows it: `essex/pathways/first-contact/`.
pub fn pathway(area: &str, pathway: &str) -> String {
    format!("{area}/{}", pathway_in_area(pathway))
}

/// The same, relative to the area's guide: `pathways/first-contact/`.
pub fn pathway_in_area(pathway: &str) -> String {
    format!("pathways/{pathway}/")
}

/// A case study in an area's guide: `essex/stories/amy/`.
pub fn story(area: &str, story: &str) -> String {
    format!("{area}/stories/{story}/")
}

/// The whole area guide on one page, to print: `essex/print/`.
pub fn print(area: &str) -> String {
    format!("{area}/print/")
}

/// The glossary's page: `glossary/`, only when the site has a glossary.
pub fn glossary() -> String {
    format!("{GLOSSARY_FOLDER}/")
}

/// The folder of the glossary's page, which no area or page may take while
/// the site has a glossary.
pub const GLOSSARY_FOLDER: &str = "glossary";

/// An area's key contacts, a one- or two-page handout: `essex/print/contacts/`.
pub fn contacts(area: &str) -> String {
    format!("{area}/print/contacts/")
}

/// The words of the running footer on an area's printed pages:
/// `essex/print/footer.css` (see `print.rs`).
pub fn print_footer(area: &str) -> String {
    format!("{area}/print/footer.css")
}

/// An area's services in Open Referral UK shape: `essex/services.json`.
pub fn export(area: &str) -> String {
    format!("{area}/services.json")
}

/// The index an area guide's search reads: `essex/search-index.js`.
pub fn search_index(area: &str) -> String {
    format!("{area}/search-index.js")
}

/// The sitemap: part 0 is `sitemap.xml`, parts 1.. are `sitemap-N.xml`.
pub fn sitemap(part: usize) -> String {
    match part {
        0 => "sitemap.xml".to_owned(),
        n => format!("sitemap-{n}.xml"),
    }
}

/// The Atom feed of services by review date.
pub fn feed() -> String {
    "feed.xml".to_owned()
}

/// The HTTP headers for hosts that read them (Netlify, Cloudflare Pages).
pub fn headers() -> String {
    "_headers".to_owned()
}

/// A file of the theme's `static/` folder: `static/css/signpost.css`.
pub fn static_file(rel: &str) -> String {
    format!("static/{rel}")
}

/// The folder the theme's files are published in, which no area or page may take.
pub const STATIC_FOLDER: &str = "static";

/// The folder of the browser editor (`editing:` in site.yaml), which no area
/// or page may take while the site has one.
pub const ADMIN_FOLDER: &str = "admin";

/// The browser editor's page: `admin/index.html`. Nothing links to it.
pub fn admin_page() -> String {
    format!("{ADMIN_FOLDER}/index.html")
}

/// The browser editor's configuration, which its page reads: `admin/config.yml`.
pub fn admin_config() -> String {
    format!("{ADMIN_FOLDER}/config.yml")
}

/// The folder of the site-wide Open Referral UK feed, which no area or page may take.
pub const OPENREFERRAL_FOLDER: &str = "openreferral";

/// The feed's `/` document (version, profile, openapi): `openreferral/index.json`.
pub fn openreferral_index() -> String {
    format!("{OPENREFERRAL_FOLDER}/index.json")
}

/// Every service of the site, as one page: `openreferral/services.json`.
pub fn openreferral_services() -> String {
    format!("{OPENREFERRAL_FOLDER}/services.json")
}

/// One service's full record, by its id: `openreferral/services/<id>.json`.
pub fn openreferral_service(id: &str) -> String {
    format!("{OPENREFERRAL_FOLDER}/services/{id}.json")
}

/// The needs as taxonomy terms: `openreferral/taxonomy_terms.json`.
pub fn openreferral_taxonomy_terms() -> String {
    format!("{OPENREFERRAL_FOLDER}/taxonomy_terms.json")
}

/// A file of the tabular form: `openreferral/csv/services.csv`.
pub fn openreferral_csv(file: &str) -> String {
    format!("{OPENREFERRAL_FOLDER}/csv/{file}")
}

/// A path of the scheme, read back: which kind of output, and the slugs in it.
/// Whether those slugs exist is for the caller to find out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    FrontPage,
    /// A top-level folder: an area's guide, or a free page of that name.
    Folder(&'a str),
    Service {
        area: &'a str,
        service: &'a str,
    },
    Need {
        area: &'a str,
        need: &'a str,
    },
    Pathway {
        area: &'a str,
        pathway: &'a str,
    },
    Story {
        area: &'a str,
        story: &'a str,
    },
    Print(&'a str),
    Contacts(&'a str),
    PrintFooter(&'a str),
    Export(&'a str),
    SearchIndex(&'a str),
    Sitemap(usize),
    Feed,
    /// `admin/config.yml`. The editor's page, `admin/`, is a `Folder`.
    AdminConfig,
    Headers,
    /// A file of the site-wide Open Referral UK feed.
    OpenReferral(OpenReferralRoute<'a>),
}

/// A path under `openreferral/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenReferralRoute<'a> {
    Index,
    Services,
    /// A service's record, by the id in its file name.
    Service(&'a str),
    TaxonomyTerms,
    /// A file of `csv/`, by its name.
    Csv(&'a str),
}

impl Route<'_> {
    /// The path this route is published at: the inverse of `parse`.
    pub fn path(&self) -> String {
        match *self {
            Route::FrontPage => front_page(),
            Route::Folder(slug) => area(slug),
            Route::Service { area, service: s } => service(area, s),
            Route::Need { area, need: n } => need(area, n),
            Route::Pathway { area, pathway: p } => pathway(area, p),
            Route::Story { area, story: s } => story(area, s),
            Route::Print(area) => print(area),
            Route::Contacts(area) => contacts(area),
            Route::PrintFooter(area) => print_footer(area),
            Route::Export(area) => export(area),
            Route::SearchIndex(area) => search_index(area),
            Route::Sitemap(part) => sitemap(part),
            Route::Feed => feed(),
            Route::AdminConfig => admin_config(),
            Route::Headers => headers(),
            Route::OpenReferral(file) => match file {
                OpenReferralRoute::Index => openreferral_index(),
                OpenReferralRoute::Services => openreferral_services(),
                OpenReferralRoute::Service(id) => openreferral_service(id),
                OpenReferralRoute::TaxonomyTerms => openreferral_taxonomy_terms(),
                OpenReferralRoute::Csv(name) => openreferral_csv(name),
            },
        }
    }
}

/// Reads a path of the scheme (relative to the output root, as the build
/// writes it) back into its route; `None` for a path the scheme never makes.
pub fn parse(path: &str) -> Option<Route<'_>> {
    if path.is_empty() {
        return Some(Route::FrontPage);
    }
    if path == "feed.xml" {
        return Some(Route::Feed);
    }
    if path == "_headers" {
        return Some(Route::Headers);
    }
    if path == "sitemap.xml" {
        return Some(Route::Sitemap(0));
    }
    if path == admin_config() {
        return Some(Route::AdminConfig);
    }
    if let Some(n) = path
        .strip_prefix("sitemap-")
        .and_then(|p| p.strip_suffix(".xml"))
    {
        // Only the form `sitemap` writes: no sign, no leading zero.
        let part = n.parse::<usize>().ok().filter(|p| *p > 0)?;
        return (sitemap(part) == path).then_some(Route::Sitemap(part));
    }
    if let Some(rest) = path
        .strip_prefix(OPENREFERRAL_FOLDER)
        .and_then(|p| p.strip_prefix('/'))
        && !rest.is_empty()
    {
        return parse_openreferral(rest).map(Route::OpenReferral);
    }
    let (area, rest) = path.split_once('/')?;
    if area.is_empty() {
        return None;
    }
    match rest {
        "" => return Some(Route::Folder(area)),
        "print/" => return Some(Route::Print(area)),
        "print/contacts/" => return Some(Route::Contacts(area)),
        "print/footer.css" => return Some(Route::PrintFooter(area)),
        "services.json" => return Some(Route::Export(area)),
        "search-index.js" => return Some(Route::SearchIndex(area)),
        _ => {}
    }
    let (section, slug) = rest.strip_suffix('/')?.split_once('/')?;
    if slug.is_empty() || slug.contains('/') {
        return None;
    }
    Some(match section {
        "services" => Route::Service {
            area,
            service: slug,
        },
        "needs" => Route::Need { area, need: slug },
        "pathways" => Route::Pathway {
            area,
            pathway: slug,
        },
        "stories" => Route::Story { area, story: slug },
        _ => return None,
    })
}

/// A path under `openreferral/`, without that folder.
fn parse_openreferral(rest: &str) -> Option<OpenReferralRoute<'_>> {
    let file_in = |folder: &str, ext: &str| {
        rest.strip_prefix(folder)
            .and_then(|r| r.strip_suffix(ext))
            .filter(|name| !name.is_empty() && !name.contains('/'))
    };
    Some(match rest {
        "index.json" => OpenReferralRoute::Index,
        "services.json" => OpenReferralRoute::Services,
        "taxonomy_terms.json" => OpenReferralRoute::TaxonomyTerms,
        _ => match (file_in("services/", ".json"), file_in("csv/", "")) {
            (Some(id), _) => OpenReferralRoute::Service(id),
            (None, Some(name)) => OpenReferralRoute::Csv(name),
            (None, None) => return None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_reads_back_from_its_path() {
        for route in [
            Route::FrontPage,
            Route::Folder("essex"),
            Route::Service {
                area: "essex",
                service: "open-road",
            },
            Route::Need {
                area: "essex",
                need: "housing",
            },
            Route::Pathway {
                area: "essex",
                pathway: "first-contact",
            },
            Route::Story {
                area: "essex",
                story: "amy",
            },
            Route::Print("essex"),
            Route::Contacts("essex"),
            Route::PrintFooter("essex"),
            Route::Export("essex"),
            Route::SearchIndex("essex"),
            Route::Sitemap(0),
            Route::Sitemap(12),
            Route::Feed,
            Route::AdminConfig,
            Route::Headers,
            Route::OpenReferral(OpenReferralRoute::Index),
            Route::OpenReferral(OpenReferralRoute::Services),
            Route::OpenReferral(OpenReferralRoute::Service(
                "61598117-6cd5-5715-b5ef-be6905cd7f11",
            )),
            Route::OpenReferral(OpenReferralRoute::TaxonomyTerms),
            Route::OpenReferral(OpenReferralRoute::Csv("services.csv")),
            Route::OpenReferral(OpenReferralRoute::Csv("datapackage.json")),
        ] {
            assert_eq!(parse(&route.path()), Some(route), "{}", route.path());
        }
    }

    #[test]
    fn a_language_prefix_comes_off_before_the_path_is_read() {
        let languages = ["en-GB".to_owned(), "cy".to_owned()];
        let path = in_language(&language_root("cy"), &service("essex", "open-road"));
        assert_eq!(path, "cy/essex/services/open-road/");
        assert_eq!(
            split_language(&path, &languages),
            (1, "essex/services/open-road/")
        );
        assert_eq!(split_language("cy/", &languages), (1, ""));
        // The main language has no prefix; a folder merely starting with a tag is not one.
        assert_eq!(
            split_language("en-GB/essex/", &languages),
            (0, "en-GB/essex/")
        );
        assert_eq!(split_language("cymru/", &languages), (0, "cymru/"));
    }

    #[test]
    fn paths_the_scheme_never_makes_are_refused() {
        for path in [
            "/",
            "essex",
            "essex/services/",
            "essex/services/a/b/",
            "essex/services/open-road",
            "essex/leaflets/x/",
            "sitemap-0.xml",
            "sitemap-01.xml",
            "sitemap-x.xml",
            "essex/print",
            "essex/print/contacts",
            "essex/print/other/",
            "openreferral/services/.json",
            "openreferral/services/a/b.json",
            "openreferral/csv/",
            "openreferral/csv/a/b.csv",
            "openreferral/other.json",
        ] {
            assert_eq!(parse(path), None, "{path}");
        }
    }
}

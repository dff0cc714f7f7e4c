//! Links in Markdown texts to pages of the guide, checked once the whole site
//! is known, as Zola checks internal links: a link to a page the build does not
//! make is an error at the link, with a "did you mean" where one fits.
//!
//! Rendering collects each text's internal links as it goes (`Markdown::links`);
//! this only resolves them, so a site whose texts link nowhere costs nothing.

use crate::diagnostics::{Diagnostics, Pos, did_you_mean};
use crate::markdown::Link;
use crate::model::{Markdown, PathwayArea, Site};
use crate::pages::{Layout, job_for_path};
use crate::urls::{self, Route};

/// Checks every internal link of every text in `site`. `static_file` says
/// whether the theme has a file at a path under `static/`.
pub fn check(
    site: &Site,
    layout: &Layout,
    static_file: &dyn Fn(&str) -> bool,
    diags: &mut Diagnostics,
) {
    let checker = Checker {
        site,
        layout,
        static_file,
    };
    // Each text is checked from one page that shows it: a relative link
    // that works from one area's copy of a page works from every area's.
    let first_area = |serves: &dyn Fn(usize) -> bool| {
        (0..site.areas.len())
            .find(|&a| serves(a))
            .map(|a| site.areas[a].slug.as_str())
    };
    for (i, s) in site.services.iter().enumerate() {
        if s.body.links.is_empty() {
            continue;
        }
        let area = first_area(&|a| layout.areas[a].services.binary_search(&i).is_ok());
        if let Some(area) = area {
            checker.text(
                &s.file,
                &s.body,
                &urls::service(area, &s.slug),
                s.draft,
                diags,
            );
        }
    }
    for p in &site.pathways {
        let area = match &p.area {
            PathwayArea::One(a) => Some(a.value.as_str()),
            PathwayArea::All => site.areas.first().map(|a| a.slug.as_str()),
        };
        let Some(area) = area else { continue };
        let page = urls::pathway(area, &p.slug);
        checker.text(&p.file, &p.body, &page, p.draft, diags);
        for step in &p.steps {
            checker.text(&p.file, &step.text, &page, p.draft, diags);
        }
    }
    for c in &site.case_studies {
        if let Some(area) = c.areas.first() {
            checker.text(
                &c.file,
                &c.body,
                &urls::story(&area.value, &c.slug),
                false,
                diags,
            );
        }
    }
    for p in &site.pages {
        checker.text(&p.file, &p.body, &urls::page(&p.slug), p.draft, diags);
    }
}

struct Checker<'a> {
    site: &'a Site,
    layout: &'a Layout,
    static_file: &'a dyn Fn(&str) -> bool,
}

impl Checker<'_> {
    /// Checks the links of one text, shown on the page at `page`.
    fn text(&self, file: &str, text: &Markdown, page: &str, draft: bool, diags: &mut Diagnostics) {
        for link in text.links.iter() {
            if let Some(what) = self.withdrawn(page, link) {
                // Taking something down is one edit that builds.
                diags.warning(
                    file,
                    link.pos,
                    format!(
                        "the link \"{}\" leads to {what}, which is not published now, so the link leads nowhere until it is; remove the link or publish it again",
                        link.dest
                    ),
                );
                continue;
            }
            if let Some(message) = self.problem(page, link) {
                let message = format!("{message}{}", self.hint(page, link));
                put(diags, file, link.pos, message, draft);
            }
        }
    }

    /// What is wrong with a link from `page`, if anything.
    fn problem(&self, page: &str, link: &Link) -> Option<String> {
        let Some(path) = resolve(page, &link.dest) else {
            return Some(format!(
                "the link \"{}\" leads outside the guide: it goes up more folders than the page is deep",
                link.dest
            ));
        };
        if self.exists(&path) {
            None
        } else {
            Some(format!(
                "the link \"{}\" leads to no page of the guide (it would be /{path})",
                link.dest
            ))
        }
    }

    /// What a link leads to, when that is an entry taken down: a draft, or
    /// a story whose consent was withdrawn.
    fn withdrawn(&self, page: &str, link: &Link) -> Option<&'static str> {
        let path = resolve(page, &link.dest)?;
        let folder = if path.ends_with('/') {
            path
        } else {
            format!("{path}/")
        };
        let w = &self.site.withdrawn;
        match urls::parse(&folder)? {
            Route::Service { service, .. } if w.services.contains(service) => {
                Some("a service taken down (a draft)")
            }
            Route::Pathway { pathway, .. } if w.pathways.contains(pathway) => {
                Some("a pathway that is a draft")
            }
            Route::Story { story, .. } if w.stories.contains(story) => {
                Some("a story that is a draft or whose consent was withdrawn")
            }
            Route::Folder(page) if w.pages.contains(page) => Some("a page that is a draft"),
            _ => None,
        }
    }

    fn exists(&self, path: &str) -> bool {
        if let Some(file) = path.strip_prefix(&format!("{}/", urls::STATIC_FOLDER)) {
            return (self.static_file)(file);
        }
        let find = |p: &str| job_for_path(self.site, self.layout, p).is_some();
        find(path) || (!path.ends_with('/') && find(&format!("{path}/")))
    }

    /// " (did you mean "../open-road/"?)": the link with its last slug
    /// replaced by the nearest one of that kind, when that page exists.
    fn hint(&self, page: &str, link: &Link) -> String {
        let Some(path) = resolve(page, &link.dest) else {
            return String::new();
        };
        let folder = if path.ends_with('/') || path.is_empty() {
            path.clone()
        } else {
            format!("{path}/")
        };
        let site = self.site;
        let (wrong, candidates): (&str, Vec<&str>) = match urls::parse(&folder) {
            Some(Route::Service { service, .. }) => (
                service,
                site.services.iter().map(|s| s.slug.as_str()).collect(),
            ),
            Some(Route::Need { need, .. }) => {
                (need, site.needs.iter().map(|n| n.slug.as_str()).collect())
            }
            Some(Route::Pathway { pathway, .. }) => (
                pathway,
                site.pathways.iter().map(|p| p.slug.as_str()).collect(),
            ),
            Some(Route::Story { story, .. }) => (
                story,
                site.case_studies.iter().map(|c| c.slug.as_str()).collect(),
            ),
            Some(Route::Folder(slug)) => (
                slug,
                site.areas
                    .iter()
                    .map(|a| a.slug.as_str())
                    .chain(site.pages.iter().map(|p| p.slug.as_str()))
                    .collect(),
            ),
            _ => return String::new(),
        };
        let Some(better) = did_you_mean(wrong, candidates) else {
            return String::new();
        };
        let Some(at) = link.dest.rfind(wrong) else {
            return String::new();
        };
        let fixed = format!(
            "{}{better}{}",
            &link.dest[..at],
            &link.dest[at + wrong.len()..]
        );
        match resolve(page, &fixed) {
            Some(p) if self.exists(&p) => format!(" (did you mean \"{fixed}\"?)"),
            _ => String::new(),
        }
    }
}

fn put(diags: &mut Diagnostics, file: &str, pos: Option<Pos>, message: String, draft: bool) {
    // A draft is not published: its broken links never reach a reader.
    if draft {
        diags.warning(file, pos, message);
    } else {
        diags.error(file, pos, message);
    }
}

/// The path, from the output root, that `dest` leads to from the page at
/// `page` (`essex/services/open-road/`); `None` when it climbs above the root.
/// The query and fragment are left out, and `index.html` stands for its folder.
pub fn resolve(page: &str, dest: &str) -> Option<String> {
    let dest = dest.split(['#', '?']).next().unwrap_or_default();
    let mut parts: Vec<&str> = if dest.starts_with('/') {
        Vec::new()
    } else {
        page.split('/').filter(|p| !p.is_empty()).collect()
    };
    let mut folder = dest.is_empty() || dest.ends_with('/');
    for part in dest.split('/') {
        match part {
            "" | "." => folder = true,
            ".." => {
                parts.pop()?;
                folder = true;
            }
            "index.html" => folder = true,
            name => {
                parts.push(name);
                folder = false;
            }
        }
    }
    if dest.ends_with('/') || dest.is_empty() {
        folder = true;
    }
    let mut path = parts.join("/");
    if folder && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn links_resolve_from_their_page() {
        let page = "essex/services/open-road/";
        assert_eq!(
            resolve(page, "../nope/").as_deref(),
            Some("essex/services/nope/")
        );
        assert_eq!(resolve(page, "../../").as_deref(), Some("essex/"));
        assert_eq!(
            resolve(page, "../../../about/#top").as_deref(),
            Some("about/")
        );
        assert_eq!(
            resolve(page, "/essex/nope/").as_deref(),
            Some("essex/nope/")
        );
        assert_eq!(
            resolve(page, "../x/index.html").as_deref(),
            Some("essex/services/x/")
        );
        assert_eq!(
            resolve(page, "../../services.json").as_deref(),
            Some("essex/services.json")
        );
        assert_eq!(
            resolve(page, "?q=1").as_deref(),
            Some("essex/services/open-road/")
        );
        assert_eq!(resolve(page, "../../../../"), None);
        assert_eq!(resolve("about/", "../").as_deref(), Some(""));
    }
}

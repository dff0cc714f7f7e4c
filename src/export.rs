//! The guide's other data for machines: schema.org JSON-LD for service pages
//! and, when the site has a `base_url`, `sitemap.xml` and an Atom `feed.xml`.
//! (The Open Referral UK open data is `openreferral`.)

use serde_json::{Value, json};

use crate::html::escape_html as escape;
use crate::model::{Coverage, Service, Site};
use crate::pages::{SITEMAP_MAX_URLS, sitemap_parts};
use crate::urls;

/// Serialised JSON with a slot for a page's URL, split at the slot once: each
/// area's copy is then two copies and the URL, with no search through the text.
pub struct WithUrlSlot {
    before: String,
    /// What follows the slot; `None` when the text has no slot.
    after: Option<String>,
}

/// The URL's stand-in, and the same as a JSON string: one no content can
/// hold, a NUL (refused in every field) and a number drawn afresh for each
/// run of Signpost.
static STAND_IN: std::sync::LazyLock<(String, String)> = std::sync::LazyLock::new(|| {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u8(0);
    let stand_in = format!("\u{0}url-{:016x}\u{0}", hasher.finish());
    let quoted = serde_json::to_string(&stand_in).unwrap_or_default();
    (stand_in, quoted)
});

impl WithUrlSlot {
    /// Splits the text `make` writes at its URL. The stand-in `make` is given
    /// for the URL is one no content can hold, and is searched for whole, so
    /// no content can be taken for the slot (a summary of `"\0url\0"` once
    /// swapped a record's fields).
    pub fn new(make: impl Fn(&str) -> String) -> WithUrlSlot {
        let (stand_in, quoted) = &*STAND_IN;
        let text = make(stand_in);
        let mut found = text.match_indices(quoted.as_str());
        match (found.next(), found.next()) {
            (None, _) => WithUrlSlot {
                before: text,
                after: None,
            },
            (Some((at, _)), None) => WithUrlSlot {
                before: text[..at].to_owned(),
                after: Some(text[at + quoted.len()..].to_owned()),
            },
            // Never, short of content that guesses the number: then find the
            // slot by comparing two renderings instead.
            (Some(_), Some(_)) => Self::by_difference(&make),
        }
    }

    /// Finds the slot by making the text twice, with two different stand-ins
    /// for the URL: the slot is exactly where the two differ.
    fn by_difference(make: &impl Fn(&str) -> String) -> WithUrlSlot {
        let one = make("1");
        let two = make("2");
        if one == two {
            return WithUrlSlot {
                before: one,
                after: None,
            };
        }
        let start = one
            .bytes()
            .zip(two.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let end = one.len()
            - one
                .bytes()
                .rev()
                .zip(two.bytes().rev())
                .take_while(|(a, b)| a == b)
                .count();
        // The stand-ins are one character each, inside a JSON string: widen
        // the slot to the whole string, quotes included.
        let start = one[..start].rfind('"').unwrap_or(start);
        let end = one[end..].find('"').map_or(end, |at| end + at + 1);
        WithUrlSlot {
            before: one[..start].to_owned(),
            after: Some(one[end..].to_owned()),
        }
    }

    /// Appends the text to `out` with `url_json` (a JSON string) in the slot.
    fn fill_into(&self, out: &mut String, url_json: &str) {
        out.push_str(&self.before);
        if let Some(after) = &self.after {
            out.push_str(url_json);
            out.push_str(after);
        }
    }
}

/// schema.org JSON-LD for a service page, safe to place inside `<script>`.
pub fn service_json_ld(site: &Site, s: &Service, url: Option<String>) -> String {
    let area_served: Vec<Value> = match &s.coverage {
        Coverage::National => vec![json!({"@type": "Country", "name": "United Kingdom"})],
        Coverage::Areas(list) => list
            .iter()
            .filter_map(|a| site.area(&a.value))
            .map(|a| json!({"@type": "AdministrativeArea", "name": a.name}))
            .collect(),
    };
    let hours: Vec<Value> = s
        .hours
        .iter()
        .map(|h| {
            json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": h.days.iter().map(|d| format!("https://schema.org/{}", d.name())).collect::<Vec<_>>(),
                "opens": h.opens,
                "closes": if h.closes == "24:00" { "23:59" } else { &h.closes },
            })
        })
        .collect();
    let mut contact = json!({"@type": "ContactPoint", "contactType": "enquiries"});
    if let Some(phone) = &s.contact.phone {
        contact["telephone"] = json!(phone);
    }
    if let Some(email) = &s.contact.email {
        contact["email"] = json!(email);
    }
    if let Some(website) = &s.contact.website {
        contact["url"] = json!(website);
    }
    let mut ld = json!({
        // The text's language, for every string below (JSON-LD's `@language`;
        // schema.org's `inLanguage` is not a property of a Service).
        "@context": ["https://schema.org", {"@language": site.config.language}],
        "@type": "Service",
        "name": s.name,
        "description": s.summary,
        "provider": {"@type": "Organization", "name": s.organisation},
        "areaServed": area_served,
        "availableChannel": {"@type": "ServiceChannel", "serviceUrl": s.contact.website},
        "contactPoint": [contact],
        "hoursAvailable": hours,
        "category": s.needs.iter().filter_map(|n| site.need(&n.value)).map(|n| n.name.as_str()).collect::<Vec<_>>(),
    });
    if let Some(url) = url {
        ld["url"] = json!(url);
    }
    // Inside <script>, no `<` may start a tag or end the element early: JSON allows
    // the same characters as \u escapes.
    crate::html::json_for_script(&ld)
}

/// A service's JSON-LD (the same in every area), with its page's URL in its slot.
pub fn with_url(json_ld: &WithUrlSlot, url: Option<&str>) -> String {
    let url = url.map(crate::html::json_for_script).unwrap_or_default();
    let mut out = String::new();
    json_ld.fill_into(&mut out, &url);
    out
}

/// Part `part` of the sitemap of `pages` (every page's path, in order), under
/// `base`: part 0 is `sitemap.xml`, which lists every page or, when there are
/// more than the protocol allows in one file, is an index of `sitemap-1.xml`,
/// `sitemap-2.xml`...
pub fn sitemap(pages: &[&str], base: &str, part: usize, languages: &[String]) -> String {
    // Every page in every language: the main language's paths, each under
    // each language's root (`urls::language_root`), its alternates listed.
    let roots: Vec<String> = languages
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                String::new()
            } else {
                urls::language_root(l)
            }
        })
        .collect();
    let roots = if roots.is_empty() {
        vec![String::new()]
    } else {
        roots
    };
    let total = pages.len() * roots.len();
    let parts = sitemap_parts(total);
    if part == 0 && parts > 0 {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for n in 1..=parts {
            xml.push_str(&format!(
                "  <sitemap><loc>{}</loc></sitemap>\n",
                escape(&format!("{base}{}", urls::sitemap(n)))
            ));
        }
        xml.push_str("</sitemapindex>\n");
        return xml;
    }
    let range = if part == 0 {
        0..total
    } else {
        let start = (part - 1) * SITEMAP_MAX_URLS;
        start.min(total)..(start + SITEMAP_MAX_URLS).min(total)
    };
    let alternates = roots.len() > 1;
    let mut xml = String::from(if alternates {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
    } else {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    });
    for i in range {
        // Language by language, each in the pages' order.
        let (root, path) = (&roots[i / pages.len()], pages[i % pages.len()]);
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape(&format!("{base}{root}{path}"))
        ));
        if alternates {
            for (lang, other) in languages.iter().zip(&roots) {
                xml.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    escape(lang),
                    escape(&format!("{base}{other}{path}"))
                ));
            }
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `feed.xml`: an Atom feed of services, newest review first. National services
/// link to the first area's page; others to their first area's.
pub fn feed(site: &Site, base: &str) -> String {
    let mut services: Vec<&Service> = site.services.iter().collect();
    services.sort_by(|a, b| {
        b.last_reviewed
            .cmp(&a.last_reviewed)
            .then_with(|| a.name.cmp(&b.name))
    });
    let updated = services
        .first()
        .map_or_else(String::new, |s| s.last_reviewed.to_string());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{} – services by last review</title>\n  <id>{}</id>\n  <link rel=\"self\" href=\"{}feed.xml\"/>\n  <link href=\"{}\"/>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{}</name></author>\n",
        escape(&site.config.title),
        escape(base),
        escape(base),
        escape(base),
        escape(&site.config.publisher),
    );
    for s in services {
        let home = site
            .areas
            .iter()
            .find(|a| s.coverage.serves(&a.slug))
            .map_or("", |a| a.slug.as_str());
        let url = format!("{base}{}", urls::service(home, &s.slug));
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>urn:uuid:{}</id>\n    <link href=\"{}\"/>\n    <updated>{}T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>\n",
            escape(&s.name),
            crate::openreferral::service_id(&s.slug),
            escape(&url),
            s.last_reviewed,
            escape(&s.summary),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_past_50000_urls_is_split_under_an_index() {
        let paths: Vec<String> = (0..120_001).map(|i| format!("p{i}/")).collect();
        let jobs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let base = "https://guide.example.org/";
        let index = sitemap(&jobs, base, 0, &[]);
        assert!(index.contains("<sitemapindex"));
        assert_eq!(index.matches("<sitemap>").count(), 3);
        assert!(index.contains("<loc>https://guide.example.org/sitemap-3.xml</loc>"));
        let urls = |part| sitemap(&jobs, base, part, &[]).matches("<url>").count();
        assert_eq!([urls(1), urls(2), urls(3)], [50_000, 50_000, 20_001]);
        assert!(
            sitemap(&jobs, base, 3, &[]).contains("<loc>https://guide.example.org/p120000/</loc>")
        );
        // Under the limit, sitemap.xml lists the pages itself.
        let small = sitemap(&jobs[..3], base, 0, &[]);
        assert!(small.contains("<urlset") && small.matches("<url>").count() == 3);
    }

    #[test]
    fn no_content_is_taken_for_the_url_slot() {
        // A description that reads like the old stand-in, before the URL.
        let make = |url: &str| {
            serde_json::to_string(&json!({
                "description": "\0url\0",
                "url": url,
                "z": "after"
            }))
            .unwrap()
        };
        let slot = WithUrlSlot::new(make);
        let mut out = String::new();
        slot.fill_into(&mut out, "\"https://example.org/a/\"");
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["description"], "\0url\0");
        assert_eq!(back["url"], "https://example.org/a/");
        assert_eq!(back["z"], "after");
        // Text with no URL has no slot.
        // Content that guessed this run's stand-in still cannot take the slot.
        let guessed = WithUrlSlot::new(|url: &str| {
            serde_json::to_string(&json!({"description": STAND_IN.0, "url": url})).unwrap()
        });
        let mut out = String::new();
        guessed.fill_into(&mut out, "\"https://example.org/b/\"");
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["description"], STAND_IN.0.as_str());
        assert_eq!(back["url"], "https://example.org/b/");
        let none = WithUrlSlot::new(|_| "{}".to_owned());
        let mut out = String::new();
        none.fill_into(&mut out, "\"x\"");
        assert_eq!(out, "{}");
    }
}

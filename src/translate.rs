//! Translations laid over the site: one `Site` per other language, each the
//! original with the translated words in place. Everything that is not
//! words (areas, needs, contacts, hours, dates) is the original's, so every
//! language's guide has the same pages at the same paths under its prefix.
//! A page with no translation keeps the original's words, and the site
//! records it (`Untranslated`) so the page says so and marks their language.

use std::collections::HashSet;

use crate::diagnostics::{Diagnostics, suggestion};
use crate::fields::Spanned;
use crate::kinds::ContentKind as Kind;
use crate::load::{self, ContentFile};
use crate::markdown::WithMarkdown;
use crate::model::*;

pub use crate::words::is_right_to_left;

/// The (kind, slug) of every original content file, to look translations up
/// in: a national guide has 15,000 translations and 31,000 files.
fn originals(files: &[ContentFile]) -> HashSet<(Kind, &str)> {
    files
        .iter()
        .filter(|f| f.lang.is_none())
        .map(|f| (f.kind, f.slug.as_str()))
        .collect()
}

/// What can be told of translations before the site is whole, so that it is
/// reported in the same run as any other problem: a translation of a file
/// that does not exist, or in a language the site does not list.
pub fn check_files(
    config: Option<&SiteConfig>,
    files: &[ContentFile],
    translations: &[Translation],
    diags: &mut Diagnostics,
) {
    let languages = config.map(|c| c.languages.as_slice());
    let originals = originals(files);
    for t in translations {
        let known = languages.is_none_or(|l| l.contains(&t.lang));
        if !known {
            // Most likely a slug with a dot, in a site of one language.
            let languages = languages.unwrap_or_default();
            let slug = if t.slug.is_empty() {
                String::new()
            } else {
                format!("{}.{}", t.slug, t.lang)
            };
            let kind_name = load::original_name(&t.file, &t.lang);
            let ext = kind_name.rsplit('.').next().unwrap_or("md");
            diags.error(
                &t.file,
                None,
                format!(
                    "the file name `{slug}` is not a valid slug, nor a translation: `{}` is not one of the site's languages ({}){}. A slug is lower-case letters, digits and single hyphens, such as `{}`; a translation is named `<slug>.<lang>.{ext}` with a language from `languages` in site.yaml",
                    t.lang,
                    languages.join(", "),
                    suggestion(&t.lang, languages.iter().map(String::as_str)),
                    crate::slug::from_title(&slug),
                ),
            );
        } else if languages.is_some_and(|l| l[0] == t.lang) {
            diags.error(
                &t.file,
                None,
                format!(
                    "{} is the main language (the first in `languages` in site.yaml): its words belong in {} itself",
                    t.lang,
                    load::original_name(&t.file, &t.lang)
                ),
            );
        } else if !originals.contains(&(t.kind, t.slug.as_str())) {
            diags.error(
                &t.file,
                None,
                format!(
                    "this translates {}, which does not exist: rename it after its original, or remove it",
                    load::original_name(&t.file, &t.lang)
                ),
            );
        }
    }
}

/// The site in each language after the main one, in `languages` order.
/// Problems (a translation of a file that does not exist, of a step the
/// original lacks, in a language the site does not list) are errors; what is
/// not translated yet is a warning per language, so that `check --strict`
/// can require a complete translation.
pub fn translated_sites(
    site: &Site,
    files: &[ContentFile],
    translations: Vec<Translation>,
    diags: &mut Diagnostics,
) -> Vec<Site> {
    let languages = &site.config.languages;
    // A language's folder shares the top level with areas and free pages.
    for lang in &languages[1..] {
        let taken = site
            .areas
            .iter()
            .map(|a| (&a.slug, &a.file))
            .chain(site.pages.iter().map(|p| (&p.slug, &p.file)))
            .find(|(slug, _)| *slug == lang);
        if let Some((_, file)) = taken {
            diags.error(
                file,
                None,
                format!("`{lang}/` is where the {lang} guide is published: rename this file"),
            );
        }
    }
    languages[1..]
        .iter()
        .map(|lang| {
            let mine = translations.iter().filter(|t| &t.lang == lang);
            translated(site, files, lang, mine, diags)
        })
        .collect()
}

fn translated<'a>(
    site: &Site,
    files: &[ContentFile],
    lang: &str,
    translations: impl Iterator<Item = &'a Translation>,
    diags: &mut Diagnostics,
) -> Site {
    let mut out = site.clone();
    out.config.language = lang.to_owned();
    let originals = originals(files);
    let mut done: HashSet<(Kind, String)> = HashSet::new();
    for t in translations {
        if !originals.contains(&(t.kind, t.slug.as_str())) {
            continue;
        }
        // An original left out of the site (a draft, a withdrawn story) takes
        // its translation with it.
        if apply(&mut out, t, &site.config.language, diags) {
            done.insert((t.kind, t.slug.clone()));
        }
    }
    let mut untranslated = HashSet::new();
    let mut missing = |kind: Kind, slug: &str, file: &str| {
        if !done.contains(&(kind, slug.to_owned())) {
            untranslated.insert((kind, slug.to_owned()));
            let wanted = translation_name(file, lang);
            diags.warning(
                file,
                None,
                format!(
                    "{}{lang} yet: its {lang} page shows this text, marked as {}, until {wanted} exists",
                    crate::report::NOT_TRANSLATED,
                    site.config.language
                ),
            );
        }
    };
    missing(Kind::SiteConfig, "", "content/site.yaml");
    missing(Kind::Needs, "", "content/needs.yaml");
    if !site.glossary.is_empty() {
        missing(Kind::Glossary, "", "content/glossary.yaml");
    }
    for a in &site.areas {
        missing(Kind::Area, &a.slug, &a.file);
    }
    for s in &site.services {
        missing(Kind::Service, &s.slug, &s.file);
    }
    for p in &site.pathways {
        missing(Kind::Pathway, &p.slug, &p.file);
    }
    for c in &site.case_studies {
        missing(Kind::CaseStudy, &c.slug, &c.file);
    }
    for p in &site.pages {
        missing(Kind::Page, &p.slug, &p.file);
    }
    render_replaced_bodies(&mut out, diags);
    // The translated bodies, rendered just now, get the language's glossary;
    // the others kept the original's, marked up in its language.
    let suffix = format!(".{lang}.md");
    crate::site::mark_glossary_terms_in(&mut out, |file| file.ends_with(&suffix));
    out.untranslated = Some(std::sync::Arc::new(Untranslated {
        main: site.config.language.clone(),
        items: untranslated,
    }));
    // In the order of the language's own names.
    out.sort_entries();
    out
}

/// A service's `languages` in the translation's words: one name for each of
/// the original's, in its order (an error at the list otherwise).
fn put_languages(words: &Words, t: &Translation, into: &mut Vec<String>, diags: &mut Diagnostics) {
    let Some(count) = words.get("languages") else {
        if !into.is_empty() {
            words.missing.borrow_mut().push("languages".to_owned());
        }
        return;
    };
    let names: Vec<String> = (0..count.value.parse::<usize>().unwrap_or(0))
        .filter_map(|i| words.get(&format!("languages.{i}")))
        .map(|name| name.value.clone())
        .collect();
    if names.len() == into.len() {
        *into = names;
    } else {
        diags.error(
            &t.file,
            Some(count.pos),
            format!(
                "`languages` names {} languages where the original names {} ({}): give each of the original's in this language, in the same order",
                names.len(),
                into.len(),
                into.join(", ")
            ),
        );
    }
}

/// `content/services/open-road.md` → `content/services/open-road.cy.md`.
pub fn translation_name(file: &str, lang: &str) -> String {
    match file.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{lang}.{ext}"),
        None => format!("{file}.{lang}"),
    }
}

/// Lays one translation's words over its original in `site`; false when the
/// original is not in the site (a draft, a withdrawn story).
fn apply(site: &mut Site, t: &Translation, main: &str, diags: &mut Diagnostics) -> bool {
    let words = Words::new(t);
    match t.kind {
        Kind::SiteConfig => {
            words.put("title", &mut site.config.title);
            words.put("publisher", &mut site.config.publisher);
        }
        Kind::Glossary => {
            let mut terms = site.glossary.terms.clone();
            for (key, term) in &t.words {
                let Some(name) = key.strip_prefix("terms.").filter(|k| !k.contains('.')) else {
                    continue;
                };
                let Some(found) = terms.iter_mut().find(|x| x.term == name) else {
                    let known = site.glossary.terms.iter().map(|x| x.term.as_str());
                    diags.error(
                        &t.file,
                        Some(term.pos),
                        format!(
                            "glossary.yaml has no term `{name}` to translate{}",
                            suggestion(name, known)
                        ),
                    );
                    continue;
                };
                words.put(&format!("{key}.expansion"), &mut found.expansion);
                words.put(&format!("{key}.explanation"), &mut found.explanation);
            }
            for x in &site.glossary.terms {
                if words.get(&format!("terms.{}", x.term)).is_none() {
                    words.missing.borrow_mut().push(format!("terms.{}", x.term));
                }
            }
            site.glossary = crate::glossary::Glossary::new(terms);
        }
        Kind::Needs => {
            for (key, slug) in &t.words {
                let Some(slug_value) = key.strip_prefix("needs.").filter(|k| !k.contains('.'))
                else {
                    continue;
                };
                let Some(i) = site.need_index(slug_value) else {
                    let known = site.needs.iter().map(|n| n.slug.as_str());
                    diags.error(
                        &t.file,
                        Some(slug.pos),
                        format!(
                            "needs.yaml has no need `{slug_value}` to translate{}",
                            suggestion(slug_value, known)
                        ),
                    );
                    continue;
                };
                let need = &mut site.needs[i];
                words.put(&format!("{key}.name"), &mut need.name);
                words.put(&format!("{key}.description"), &mut need.description);
            }
            for need in &site.needs {
                if words.get(&format!("needs.{}", need.slug)).is_none() {
                    words
                        .missing
                        .borrow_mut()
                        .push(format!("needs.{}", need.slug));
                }
            }
        }
        Kind::Area => {
            let Some(i) = site.area_index(&t.slug) else {
                return false;
            };
            let a = &mut site.areas[i];
            words.put("name", &mut a.name);
            words.put("council", &mut a.council);
            words.put("summary", &mut a.summary);
            words.put("emergency", &mut a.emergency);
            a.file = t.file.clone();
        }
        Kind::Service => {
            let Some(i) = site.service_index(&t.slug) else {
                return false;
            };
            let s = &mut site.services[i];
            words.put("name", &mut s.name);
            words.put("organisation", &mut s.organisation);
            words.put("summary", &mut s.summary);
            // "Free" is also what a service that gives no cost gets: the
            // theme words it (`cost_free`), so it needs no translation.
            if s.cost != "Free" || words.get("cost").is_some() {
                words.put("cost", &mut s.cost);
            }
            words.put_optional("referral_notes", &mut s.referral_notes);
            words.put_optional("eligibility", &mut s.eligibility);
            words.put_optional("hours_notes", &mut s.hours_notes);
            put_languages(&words, t, &mut s.languages, diags);
            words.put_optional("contact.text", &mut s.contact.text);
            words.put_optional("contact.notes", &mut s.contact.notes);
            words.put_body(&t.body, &mut s.body);
            s.file = t.file.clone();
        }
        Kind::Pathway => {
            let Some(p) = site.pathways.iter_mut().find(|p| p.slug == t.slug) else {
                return false;
            };
            let ids: Vec<String> = p.steps.iter().map(|s| s.id.value.clone()).collect();
            words.put("title", &mut p.title);
            words.put_optional("summary", &mut p.summary);
            for (key, id) in &t.words {
                let Some(id_value) = key.strip_prefix("steps.").filter(|k| !k.contains('.')) else {
                    continue;
                };
                let Some(step) = p.steps.iter_mut().find(|s| s.id.value == id_value) else {
                    let known = ids.iter().map(String::as_str);
                    diags.error(
                        &t.file,
                        Some(id.pos),
                        format!(
                            "the original has no step `{id_value}` to translate{}",
                            suggestion(id_value, known)
                        ),
                    );
                    continue;
                };
                words.put(&format!("{key}.title"), &mut step.title);
                words.put_optional(&format!("{key}.when"), &mut step.when);
                match words.get(&format!("{key}.text")) {
                    Some(text) => step.text = Markdown::field(text.value.clone(), text.pos),
                    None if !step.text.source.trim().is_empty() => {
                        words.missing.borrow_mut().push(format!("{key}.text"))
                    }
                    None => {}
                }
            }
            for id in &ids {
                if words.get(&format!("steps.{id}")).is_none() {
                    words.missing.borrow_mut().push(format!("steps.{id}"));
                }
            }
            words.put_body(&t.body, &mut p.body);
            p.file = t.file.clone();
        }
        Kind::CaseStudy => {
            let Some(c) = site.case_studies.iter_mut().find(|c| c.slug == t.slug) else {
                return false;
            };
            words.put("title", &mut c.title);
            words.put_optional("summary", &mut c.summary);
            words.put_body(&t.body, &mut c.body);
            c.file = t.file.clone();
        }
        Kind::Page => {
            let Some(p) = site.pages.iter_mut().find(|p| p.slug == t.slug) else {
                return false;
            };
            words.put("title", &mut p.title);
            words.put_optional("summary", &mut p.summary);
            words.put_body(&t.body, &mut p.body);
            p.file = t.file.clone();
        }
    }
    words.report_missing(t, main, diags);
    true
}

/// A translation's words by their place, and the places it leaves out that
/// its original fills (shown in the original's language, and reported).
struct Words<'a> {
    words: &'a [(String, Spanned<String>)],
    missing: std::cell::RefCell<Vec<String>>,
}

impl<'a> Words<'a> {
    fn new(t: &'a Translation) -> Self {
        Words {
            words: &t.words,
            missing: Default::default(),
        }
    }

    fn get(&self, key: &str) -> Option<&'a Spanned<String>> {
        self.words.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn put(&self, key: &str, into: &mut String) {
        match self.get(key) {
            Some(text) => into.clone_from(&text.value),
            None if !into.trim().is_empty() => self.missing.borrow_mut().push(key.to_owned()),
            None => {}
        }
    }

    fn put_optional(&self, key: &str, into: &mut Option<String>) {
        match self.get(key) {
            Some(text) => *into = Some(text.value.clone()),
            None if into.as_deref().is_some_and(|t| !t.trim().is_empty()) => {
                self.missing.borrow_mut().push(key.to_owned())
            }
            None => {}
        }
    }

    /// A translation without a body keeps the original's.
    fn put_body(&self, body: &Option<Markdown>, into: &mut Markdown) {
        match body {
            Some(body) => *into = body.clone(),
            None if !into.source.trim().is_empty() => self
                .missing
                .borrow_mut()
                .push("the text below the front matter".to_owned()),
            None => {}
        }
    }

    /// Warns about the words the translation leaves in the original's language.
    fn report_missing(self, t: &Translation, main: &str, diags: &mut Diagnostics) {
        let missing = self.missing.into_inner();
        if missing.is_empty() {
            return;
        }
        let (verb, them) = if missing.len() == 1 {
            ("is", "it")
        } else {
            ("are", "them")
        };
        diags.warning(
            &t.file,
            None,
            format!(
                "not all of it is translated: {} {verb} still in {main} on its {} page (the original's words); translate {them} here",
                missing.join(", "),
                t.lang,
            ),
        );
    }
}

/// Renders the translation's Markdown (the fields not rendered yet) and
/// reports what rendering found in them, at the translation's places.
/// Renders the bodies the translations replaced (those not rendered yet), all
/// at once and in parallel, and reports what rendering found in them at the
/// translation's file. A body a translation left as the original's was
/// rendered, and reported, with the original.
fn render_replaced_bodies(site: &mut Site, diags: &mut Diagnostics) {
    /// Which of each item's Markdown fields are not rendered yet.
    fn fresh<T: WithMarkdown>(items: &mut [T]) -> Vec<Vec<bool>> {
        items
            .iter_mut()
            .map(|item| {
                item.markdown_fields()
                    .iter()
                    .map(|(m, _)| m.html.is_empty() && !m.source.trim().is_empty())
                    .collect()
            })
            .collect()
    }
    /// Reports what rendering found in those fields, at each item's file.
    fn report<T: WithMarkdown>(
        items: &mut [T],
        fresh: &[Vec<bool>],
        file: impl Fn(&T) -> String,
        diags: &mut Diagnostics,
    ) {
        for (item, fresh) in items.iter_mut().zip(fresh) {
            let file = file(item);
            for ((body, _), &fresh) in item.markdown_fields().into_iter().zip(fresh) {
                if fresh {
                    crate::markdown::report_body(&file, body, false, diags);
                }
            }
        }
    }
    let services = fresh(&mut site.services);
    let pathways = fresh(&mut site.pathways);
    let stories = fresh(&mut site.case_studies);
    let pages = fresh(&mut site.pages);
    crate::site::render_markdown(site);
    report(&mut site.services, &services, |x| x.file.clone(), diags);
    report(&mut site.pathways, &pathways, |x| x.file.clone(), diags);
    report(&mut site.case_studies, &stories, |x| x.file.clone(), diags);
    report(&mut site.pages, &pages, |x| x.file.clone(), diags);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_by_language_or_script() {
        for tag in ["ar", "ur-PK", "fa", "he", "pa-Arab", "ckb"] {
            assert!(is_right_to_left(tag), "{tag}");
        }
        for tag in ["en-GB", "cy", "pa", "pl", "so", "az-Latn"] {
            assert!(!is_right_to_left(tag), "{tag}");
        }
    }

    #[test]
    fn translation_names_sit_beside_their_originals() {
        assert_eq!(
            translation_name("content/services/open-road.md", "cy"),
            "content/services/open-road.cy.md"
        );
        assert_eq!(
            load::original_name("content/services/open-road.cy.md", "cy"),
            "content/services/open-road.md"
        );
    }
}

//! Reading a translation (`open-road.cy.md`, `needs.cy.yaml`): only the words
//! of its original. Everything else (areas, needs, contacts, hours, dates,
//! consent) comes from the original, so a translation cannot contradict it:
//! such a field is an error at its place. Whether the original exists, and
//! whether the language is one of the site's, is for `translate` to find out
//! once every file is read.

use crate::diagnostics::Diagnostics;
use crate::fields::{Fields, Spanned};
use crate::kinds::ContentKind as Kind;
use crate::model::{Markdown, Translation};
use crate::yaml;

use super::readers::{
    AREA_FIELDS, CASE_STUDY_FIELDS, CONFIG_FIELDS, CONTACT_FIELDS, GLOSSARY_FIELDS, NEED_FIELDS,
    PAGE_FIELDS, PATHWAY_FIELDS, SERVICE_FIELDS, STEP_FIELDS,
};

/// The fields of each kind that are words, and so belong in a translation.
pub fn word_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::SiteConfig => &["title", "publisher"],
        Kind::Needs => &["name", "description"],
        Kind::Area => &["name", "council", "summary", "emergency"],
        Kind::Service => &[
            "name",
            "organisation",
            "summary",
            "referral_notes",
            "eligibility",
            "hours_notes",
            "cost",
        ],
        Kind::Pathway => &["title", "summary"],
        Kind::CaseStudy | Kind::Page => &["title", "summary"],
        Kind::Glossary => &["expansion", "explanation"],
    }
}

/// The words of a contact and of a pathway's step.
pub const CONTACT_WORDS: &[&str] = &["text", "notes"];
pub const STEP_WORDS: &[&str] = &["title", "text", "when"];

pub(super) fn read_translation(
    kind: Kind,
    file: &str,
    slug: String,
    lang: &str,
    node: &yaml::Node,
    body: Markdown,
    diags: &mut Diagnostics,
) -> Option<Translation> {
    let original = original_name(file, lang);
    let mut words = Vec::new();
    let list = match kind {
        Kind::Needs => Some(("slug", "needs", "a need", NEED_FIELDS)),
        Kind::Glossary => Some(("term", "terms", "a glossary term", GLOSSARY_FIELDS)),
        _ => None,
    };
    if let Some((key, prefix, what, fields)) = list {
        let list = ListOf {
            key,
            prefix,
            what,
            fields,
        };
        read_list_words(file, node, &original, &list, kind, &mut words, diags)?;
    } else {
        let (all, what): (&'static [&'static str], &str) = match kind {
            Kind::SiteConfig => (CONFIG_FIELDS, "the site settings' translation"),
            Kind::Area => (AREA_FIELDS, "an area's translation"),
            Kind::Service => (SERVICE_FIELDS, "a service's translation"),
            Kind::Pathway => (PATHWAY_FIELDS, "a pathway's translation"),
            Kind::CaseStudy => (CASE_STUDY_FIELDS, "a case study's translation"),
            Kind::Page => (PAGE_FIELDS, "a page's translation"),
            // Read above; listed so that a new kind is not forgotten here.
            Kind::Needs | Kind::Glossary => return None,
        };
        let mut f = Fields::new(file, node, what, all, diags)?;
        // Read below, not as single words: a service's contact and its list
        // of languages, a pathway's steps.
        let nested: &[&str] = match kind {
            Kind::Service => &["contact", "languages"],
            Kind::Pathway => &["steps"],
            _ => &[],
        };
        read_words(
            &mut f,
            all,
            word_fields(kind),
            nested,
            "",
            &original,
            &mut words,
        );
        if kind == Kind::Service
            && let Some(contact) = f.node("contact")
            && let Some(mut c) = Fields::new(
                file,
                contact,
                "the contact details",
                CONTACT_FIELDS,
                f.diags,
            )
        {
            read_words(
                &mut c,
                CONTACT_FIELDS,
                CONTACT_WORDS,
                &[],
                "contact.",
                &original,
                &mut words,
            );
            c.finish();
        }
        if kind == Kind::Service && f.node("languages").is_some() {
            // The names of the languages a service speaks, in this language:
            // `languages: [Cymraeg, Saesneg]`, one for each of the original's.
            let place = f
                .key_pos("languages")
                .unwrap_or(crate::diagnostics::Pos::new(1, 1));
            let names = f.text_list("languages", false);
            words.push((
                "languages".to_owned(),
                Spanned::new(names.len().to_string(), place),
            ));
            for (i, name) in names.into_iter().enumerate() {
                words.push((format!("languages.{i}"), name));
            }
        }
        if kind == Kind::Pathway {
            read_step_words(&mut f, &original, &mut words);
        }
        f.finish();
    }
    let has_body = !body.source.trim().is_empty();
    Some(Translation {
        kind,
        slug,
        lang: lang.to_owned(),
        file: file.to_owned(),
        words,
        body: has_body.then_some(body),
    })
}

/// `content/services/open-road.cy.md` → `content/services/open-road.md`.
pub fn original_name(file: &str, lang: &str) -> String {
    file.replacen(&format!(".{lang}."), ".", 1)
}

/// Reads the word fields of `f` (`words` among `all`) into `out`, under
/// `prefix`; any other field that is written (but `nested`, read by the
/// caller) is an error: it comes from the original.
fn read_words(
    f: &mut Fields,
    all: &[&str],
    words: &[&str],
    nested: &[&str],
    prefix: &str,
    original: &str,
    out: &mut Vec<(String, Spanned<String>)>,
) {
    for &key in all {
        if words.contains(&key) {
            if let Some(text) = f.optional_text(key) {
                out.push((format!("{prefix}{key}"), text));
            }
        } else if !nested.contains(&key)
            && let Some(pos) = f.key_pos(key)
        {
            f.error(
                pos,
                format!(
                    "`{prefix}{key}` comes from the original ({original}) and cannot be changed in a translation, which holds only words ({}): remove it here",
                    words.join(", ")
                ),
            );
        }
    }
}

/// `steps:`, each with the `id` of the original's step it translates.
fn read_step_words(f: &mut Fields, original: &str, out: &mut Vec<(String, Spanned<String>)>) {
    let steps = f.list_of("steps", false, |diags, file, node| {
        let mut s = Fields::new(file, node, "a step", STEP_FIELDS, diags)?;
        let id = s.required_text("id");
        let mut words = Vec::new();
        read_words(
            &mut s,
            STEP_FIELDS,
            STEP_WORDS,
            &["id"],
            "",
            original,
            &mut words,
        );
        s.finish();
        Some((id?, words))
    });
    for (id, words) in steps {
        // The step's place: its id, so that a step the original lacks is
        // reported where it is named.
        out.push((format!("steps.{}", id.value), id.clone()));
        for (key, text) in words {
            out.push((format!("steps.{}.{key}", id.value), text));
        }
    }
}

/// A file that is a list of items named by a key: `needs.yaml` (`slug`) and
/// `glossary.yaml` (`term`).
struct ListOf {
    key: &'static str,
    /// Of the words' places: `needs.housing.name`, `terms.IDVA.expansion`.
    prefix: &'static str,
    what: &'static str,
    fields: &'static [&'static str],
}

/// `needs.<lang>.yaml` (each `slug` with the need's `name` and `description`)
/// or `glossary.<lang>.yaml` (each `term` with its `expansion` and
/// `explanation`): a list naming the original's items, with their words.
fn read_list_words(
    file: &str,
    node: &yaml::Node,
    original: &str,
    list: &ListOf,
    kind: Kind,
    out: &mut Vec<(String, Spanned<String>)>,
    diags: &mut Diagnostics,
) -> Option<()> {
    let yaml::Value::Seq(items) = &node.value else {
        diags.error(
            file,
            Some(node.pos),
            format!(
                "a translation of {} should be a list, each item starting with `- {}: ...` as in the original",
                original.rsplit('/').next().unwrap_or(original),
                list.key
            ),
        );
        return None;
    };
    for item in items {
        let Some(mut f) = Fields::new(file, item, list.what, list.fields, diags) else {
            continue;
        };
        let Some(name) = f.required_text(list.key) else {
            f.finish();
            continue;
        };
        let place = format!("{}.{}", list.prefix, name.value);
        out.push((place.clone(), name.clone()));
        let mut words = Vec::new();
        read_words(
            &mut f,
            list.fields,
            word_fields(kind),
            &[list.key],
            "",
            original,
            &mut words,
        );
        f.finish();
        for (key, text) in words {
            out.push((format!("{place}.{key}"), text));
        }
    }
    Some(())
}

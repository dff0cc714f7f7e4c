//! Reading each kind of content file into the model, field by field,
//! reporting every problem a single file can show on its own.

use crate::diagnostics::{Diagnostics, Pos, suggestion};
use crate::fields::{Fields, Spanned};
use crate::model::*;
use crate::{slug, yaml};

pub(crate) const CONFIG_FIELDS: &[&str] = &[
    "title",
    "publisher",
    "language",
    "languages",
    "base_url",
    "theme",
    "review_after_months",
    "quick_exit_url",
    "urgent_help",
    "contact",
    "editing",
];

pub(super) fn read_config(
    file: &str,
    node: &yaml::Node,
    diags: &mut Diagnostics,
) -> Option<SiteConfig> {
    let mut f = Fields::new(file, node, "the site settings", CONFIG_FIELDS, diags)?;
    let title = f.required_text("title");
    let publisher = f.required_text("publisher");
    let languages = read_languages(&mut f);
    let base_url = f.web_url("base_url").map(|u| u.value);
    let base_url = base_url.map(|u| if u.ends_with('/') { u } else { format!("{u}/") });
    let theme = f.optional_text("theme").map_or_else(
        || "default".to_owned(),
        |t| {
            if !slug::is_valid(&t.value) {
                f.error(t.pos, "`theme` is the name of a folder in `themes/`: lower-case letters, digits and hyphens");
            }
            t.value
        },
    );
    let review_after_months = match f.optional_text("review_after_months") {
        None => 12,
        Some(t) => match t.value.parse::<u32>() {
            Ok(n @ 1..=120) => n,
            _ => {
                f.error(
                    t.pos,
                    "`review_after_months` should be a whole number of months, from 1 to 120",
                );
                12
            }
        },
    };
    let quick_exit_url = f
        .optional_text("quick_exit_url")
        .and_then(|u| {
            let url = f.checked_web_url("quick_exit_url", u)?;
            check_quick_exit(&mut f, url.pos, &url.value, base_url.as_deref());
            Some(url.value)
        })
        .unwrap_or_else(|| DEFAULT_QUICK_EXIT_URL.to_owned());
    let urgent_help = f.text_list("urgent_help", false);
    let contact = match f.node("contact") {
        Some(node) => read_publisher_contact(file, node, f.diags),
        None => {
            let pos = f.pos();
            f.warning(
                pos,
                "no `contact`: readers have no way to reach the publisher; add `contact:` with an `email` (and optionally `phone` and `address`), which the About and accessibility pages and each service's \"Report a problem\" link use",
            );
            None
        }
    };
    let editing = f
        .node("editing")
        .and_then(|node| read_editing(file, node, f.diags));
    f.finish();
    Some(SiteConfig {
        title: title?.value,
        publisher: publisher?.value,
        language: languages[0].clone(),
        languages,
        base_url,
        theme,
        review_after_months,
        quick_exit_url,
        urgent_help,
        contact,
        editing,
    })
}

const EDITING_FIELDS: &[&str] = &["cms", "backend", "repo", "branch"];

/// The Git hosts Decap CMS saves to, by its own names for them.
pub const EDITING_BACKENDS: &[&str] = &["github", "gitlab", "bitbucket"];

/// `editing: {cms: decap, backend: github, repo: ORG/NAME, branch: main}`.
fn read_editing(file: &str, node: &yaml::Node, diags: &mut Diagnostics) -> Option<Editing> {
    let mut f = Fields::new(
        file,
        node,
        "the browser editor's settings",
        EDITING_FIELDS,
        diags,
    )?;
    let mut ok = true;
    if let Some(cms) = f.required_text("cms")
        && cms.value != "decap"
    {
        f.error(
            cms.pos,
            format!("`cms` should be decap (the browser editor Signpost writes a configuration for), not \"{}\"", cms.value),
        );
        ok = false;
    }
    let backend = f.required_text("backend");
    if let Some(b) = &backend
        && !EDITING_BACKENDS.contains(&b.value.as_str())
    {
        let hint = suggestion(&b.value, EDITING_BACKENDS.iter().copied());
        f.error(
            b.pos,
            format!("unknown `backend` \"{}\"{hint}: use github, gitlab or bitbucket, where the site's repository is kept", b.value),
        );
        ok = false;
    }
    let repo = f.required_text("repo");
    if let Some(r) = &repo
        && !is_repo_name(&r.value)
    {
        f.error(
            r.pos,
            format!("`repo` should be the repository that holds this site, written OWNER/NAME, such as essex-council/women-guide, not \"{}\"", r.value),
        );
        ok = false;
    }
    let branch = match f.optional_text("branch") {
        None => "main".to_owned(),
        Some(b)
            if b.value
                .contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') =>
        {
            f.error(
                b.pos,
                "`branch` should be the name of a branch, such as main, with no spaces",
            );
            ok = false;
            b.value
        }
        Some(b) => b.value,
    };
    f.finish();
    Some(Editing {
        backend: backend?.value,
        repo: repo?.value,
        branch,
    })
    .filter(|_| ok)
}

/// `owner/name`, or for GitLab `group/subgroup/name`: parts of letters,
/// digits, `.`, `_` and `-`.
fn is_repo_name(repo: &str) -> bool {
    let parts: Vec<&str> = repo.split('/').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && !p.starts_with('.')
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        })
}

/// `language: cy` (one language) or `languages: [en-GB, cy]` (the first is
/// the main one); en-GB when neither is written. Always at least one.
fn read_languages(f: &mut Fields) -> Vec<String> {
    let one = f.optional_text("language");
    let many = if f.node("languages").is_some() {
        f.text_list("languages", true)
    } else {
        Vec::new()
    };
    let key = if many.is_empty() {
        "language"
    } else {
        "languages"
    };
    let tags: Vec<Spanned<String>> = match (one, many.is_empty()) {
        (Some(one), true) => vec![one],
        (None, true) => return vec!["en-GB".to_owned()],
        (one, false) => {
            if let Some(one) = one
                && one.value != many[0].value
            {
                f.error(
                    one.pos,
                    format!(
                        "`language` says {} but `languages` starts with {}: keep `languages` alone (its first is the main language)",
                        one.value, many[0].value
                    ),
                );
            }
            many
        }
    };
    let mut seen: Vec<&str> = Vec::new();
    for tag in &tags {
        // Screen readers choose their voice from it, so a typo ("english",
        // "en_GB") reads the whole guide in the wrong accent.
        if !is_language_tag(&tag.value) {
            f.error(
                tag.pos,
                format!(
                    "`{key}` should be a language tag such as en-GB or cy (BCP 47), not \"{}\"",
                    tag.value
                ),
            );
        } else if seen.contains(&tag.value.as_str()) {
            f.error(
                tag.pos,
                format!("{} is listed twice in `languages`", tag.value),
            );
        }
        seen.push(&tag.value);
    }
    tags.into_iter().map(|t| t.value).collect()
}

/// A BCP 47 tag as Signpost accepts it: what ICU parses, with hyphens.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    icu_locale_core::LanguageIdentifier::try_from_str(tag).is_ok() && !tag.contains('_')
}

const PUBLISHER_CONTACT_FIELDS: &[&str] = &["email", "phone", "address"];

/// site.yaml's `contact`: the publisher's, read as a service's contact is.
fn read_publisher_contact(
    file: &str,
    node: &yaml::Node,
    diags: &mut Diagnostics,
) -> Option<PublisherContact> {
    let mut f = Fields::new(
        file,
        node,
        "the publisher's contact details",
        PUBLISHER_CONTACT_FIELDS,
        diags,
    )?;
    let email = f
        .required_text("email")
        .and_then(|e| checked_email(&mut f, e));
    let phone = f
        .optional_text("phone")
        .and_then(|p| checked_phone(&mut f, p));
    let address = f.optional_text("address").map(|a| a.value);
    f.finish();
    Some(PublisherContact {
        email: email?,
        phone,
        address,
    })
}

/// A phone number as a `tel:` link can use, or an error at its place.
fn checked_phone(f: &mut Fields, p: Spanned<String>) -> Option<String> {
    let digits = p.value.chars().filter(char::is_ascii_digit).count();
    let allowed = p
        .value
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-".contains(c));
    if allowed && digits >= 3 {
        Some(p.value)
    } else {
        f.error(
            p.pos,
            "`phone` should be one phone number, such as 0808 2000 247; put any words in `notes`",
        );
        None
    }
}

/// A plain email address (for a `mailto:` link), or an error at its place.
fn checked_email(f: &mut Fields, e: Spanned<String>) -> Option<String> {
    if is_plain_email(&e.value) {
        Some(e.value)
    } else {
        f.error(
            e.pos,
            "`email` should be an email address, such as help@example.org.uk",
        );
        None
    }
}

/// The quick exit must leave the guide for somewhere neutral, privately: over
/// `https://` (an `http://` address shows in a network's logs and can be
/// rewritten on the way), and not to the guide's own host, which would leave
/// the guide in the history it is meant to hide.
pub(super) fn check_quick_exit(f: &mut Fields, pos: Pos, url: &str, base_url: Option<&str>) {
    let host = |u: &str| {
        url::Url::parse(u).ok().and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_owned())
        })
    };
    if !url.to_ascii_lowercase().starts_with("https://") {
        f.error(
            pos,
            "`quick_exit_url` should start with https://, so the address she leaves for is private on the way",
        );
    } else if let (Some(exit), Some(base)) = (host(url), base_url.and_then(host))
        && exit == base
    {
        f.error(
            pos,
            format!("`quick_exit_url` leads back to the guide's own site ({exit}); choose a neutral site elsewhere, such as a weather or news page"),
        );
    }
}

pub(crate) const NEED_FIELDS: &[&str] = &["slug", "name", "description"];

pub(super) fn read_needs(
    file: &str,
    node: &yaml::Node,
    diags: &mut Diagnostics,
) -> Option<Vec<Need>> {
    let yaml::Value::Seq(items) = &node.value else {
        diags.error(
            file,
            Some(node.pos),
            "needs.yaml should be a list, each need starting with `- slug: ...`",
        );
        return None;
    };
    let mut needs: Vec<Need> = Vec::new();
    for item in items {
        let Some(mut f) = Fields::new(file, item, "a need", NEED_FIELDS, diags) else {
            continue;
        };
        let slug = f.required_text("slug");
        let name = f.required_text("name");
        let description = f.text_or("description", "");
        if let Some(s) = &slug {
            if !slug::is_valid(&s.value) {
                f.error(s.pos, format!("`{}` is not a valid slug: use lower-case letters, digits and single hyphens", s.value));
            } else if needs.iter().any(|n| n.slug == s.value) {
                f.error(s.pos, format!("the need `{}` is listed twice", s.value));
            }
        }
        f.finish();
        if let (Some(slug), Some(name)) = (slug, name) {
            needs.push(Need {
                slug: slug.value,
                name: name.value,
                description,
            });
        }
    }
    Some(needs)
}

/// A summary far above plain English is a warning at its place: women in
/// crisis read these first, often on a phone (readability.rs says how it is judged).
fn warn_if_hard_to_read(f: &mut Fields, summary: &Spanned<String>) {
    if let Some(grade) = crate::readability::too_hard(&summary.value) {
        f.warning(
            summary.pos,
            format!(
                "this summary reads at about grade {grade:.0} (Flesch-Kincaid), far above plain English (grade {:.0}, a reading age of about 14): use shorter sentences and everyday words",
                crate::readability::PLAIN_ENGLISH_GRADE
            ),
        );
    }
}

pub(crate) const GLOSSARY_FIELDS: &[&str] = &["term", "expansion", "explanation"];

/// `glossary.yaml`: a list of `{term, expansion, explanation}`.
pub(super) fn read_glossary(
    file: &str,
    node: &yaml::Node,
    diags: &mut Diagnostics,
) -> Option<Vec<crate::glossary::Term>> {
    let yaml::Value::Seq(items) = &node.value else {
        diags.error(
            file,
            Some(node.pos),
            "glossary.yaml should be a list, each term starting with `- term: ...`",
        );
        return None;
    };
    let mut terms: Vec<crate::glossary::Term> = Vec::new();
    for item in items {
        let Some(mut f) = Fields::new(file, item, "a glossary term", GLOSSARY_FIELDS, diags) else {
            continue;
        };
        let term = f.required_text("term");
        let expansion = f.required_text("expansion");
        let explanation = f.required_text("explanation");
        if let Some(t) = &term {
            // Matched as a whole word in running text: one word of letters and digits.
            if !t.value.chars().all(|c| c.is_alphanumeric() || c == '-')
                || !t.value.chars().any(char::is_alphabetic)
            {
                f.error(
                    t.pos,
                    format!(
                        "`term` should be one word, such as IDVA, not \"{}\"",
                        t.value
                    ),
                );
            } else if terms.iter().any(|other| other.term == t.value) {
                f.error(t.pos, format!("the term `{}` is listed twice", t.value));
            }
        }
        f.finish();
        if let (Some(term), Some(expansion), Some(explanation)) = (term, expansion, explanation) {
            terms.push(crate::glossary::Term {
                term: term.value,
                expansion: expansion.value,
                explanation: explanation.value,
            });
        }
    }
    Some(terms)
}

pub(crate) const AREA_FIELDS: &[&str] = &["name", "council", "summary", "emergency", "urgent_help"];

pub(super) fn read_area(
    file: &str,
    slug: String,
    node: &yaml::Node,
    diags: &mut Diagnostics,
) -> Option<Area> {
    let mut f = Fields::new(file, node, "an area", AREA_FIELDS, diags)?;
    let name = f.required_text("name");
    let council = f.required_text("council");
    let summary = f.text_or("summary", "");
    let emergency = f.text_or("emergency", "");
    // Written as `[]`, an empty list: this area shows 999 alone.
    let urgent_help = f
        .node("urgent_help")
        .map(|_| f.text_list("urgent_help", false));
    f.finish();
    Some(Area {
        slug,
        file: file.to_owned(),
        name: name?.value,
        council: council?.value,
        summary,
        emergency,
        urgent_help,
    })
}

pub(crate) const SERVICE_FIELDS: &[&str] = &[
    "name",
    "organisation",
    "summary",
    "areas",
    "needs",
    "referral",
    "referral_notes",
    "women_only",
    "eligibility",
    "contact",
    "locations",
    "hours",
    "hours_notes",
    "languages",
    "cost",
    "last_reviewed",
    "reviewer",
    "draft",
];

pub(super) fn read_service(
    file: &str,
    slug: String,
    node: &yaml::Node,
    body: Markdown,
    diags: &mut Diagnostics,
) -> Option<Service> {
    let mut f = Fields::new(file, node, "a service", SERVICE_FIELDS, diags)?;
    let f_pos = f.pos();
    let name = f.required_text("name");
    let organisation = f.required_text("organisation");
    let summary = f.required_text("summary");
    if let Some(s) = &summary {
        warn_if_hard_to_read(&mut f, s);
    }
    let coverage = read_coverage(&mut f);
    let needs = f.text_list("needs", true);
    let (self_referral, professional_referral) = read_referral(&mut f);
    let referral_notes = f.optional_text("referral_notes").map(|t| t.value);
    let women_only = f.bool_or("women_only", false);
    let eligibility = f.optional_text("eligibility").map(|t| t.value);
    let contact = match f.node("contact") {
        Some(node) => read_contact(file, node, f.diags),
        None => {
            let pos = f.pos();
            f.error(
                pos,
                "missing required field `contact`; add at least one of phone, email, website or text under it, as in `contact:` and, on the next line, `  website: https://www.openroad.org.uk`",
            );
            None
        }
    };
    let locations = f.list_of("locations", false, read_location);
    let hours = f.list_of("hours", false, read_hours);
    let hours_notes = f.optional_text("hours_notes").map(|t| t.value);
    let languages = f
        .text_list("languages", false)
        .into_iter()
        .map(|t| t.value)
        .collect();
    let cost = f.text_or("cost", "Free");
    let last_reviewed = f.required_date("last_reviewed").map(|d| (d.value, d.pos));
    let reviewer = f.optional_text("reviewer").and_then(|r| {
        if is_plain_email(&r.value) {
            Some(r.value)
        } else {
            f.error(
                r.pos,
                "`reviewer` should be the email address of whoever reviews this entry, such as name@example.org.uk",
            );
            None
        }
    });
    let draft = f.bool_or("draft", false);
    f.finish();
    // A service with a bad field is still returned (its problems are already
    // reported, so the site will not build), so that its references to areas and
    // needs are checked in the same run.
    let text = |t: Option<Spanned<String>>| t.map(|t| t.value).unwrap_or_default();
    let (last_reviewed, last_reviewed_pos) = last_reviewed.unwrap_or((UNREADABLE_DATE, f_pos));
    Some(Service {
        slug,
        file: file.to_owned(),
        name: text(name),
        organisation: text(organisation),
        summary: text(summary),
        coverage: coverage.unwrap_or(Coverage::Areas(Vec::new())),
        needs,
        self_referral,
        professional_referral,
        referral_notes,
        women_only,
        eligibility,
        contact: contact.unwrap_or_default(),
        locations,
        hours,
        hours_notes,
        languages,
        cost,
        last_reviewed,
        last_reviewed_pos,
        reviewer,
        draft,
        body,
    })
}

/// `areas: all` (the bare word) or a list of area slugs.
pub(super) fn read_coverage(f: &mut Fields) -> Option<Coverage> {
    let Some(node) = f.node("areas") else {
        let pos = f.pos();
        f.error(pos, "missing required field `areas`; add a line such as `areas: [essex]` (area slugs), or `areas: all` for a national service");
        return None;
    };
    if node.as_scalar() == Some("all") {
        return Some(Coverage::National);
    }
    let list = f.text_list("areas", true);
    // `[all]` is what a browser editor's list writes; it means `all`. Only
    // `all` beside areas is unclear.
    if let [only] = list.as_slice()
        && only.value == "all"
    {
        return Some(Coverage::National);
    }
    if let Some(all) = list.iter().find(|a| a.value == "all") {
        f.error(
            all.pos,
            "`all` means every area, so it cannot be listed beside other areas: for a national service write `areas: all`, otherwise list only the areas it serves",
        );
        return None;
    }
    Some(Coverage::Areas(list))
}

pub(super) fn read_referral(f: &mut Fields) -> (bool, bool) {
    let (mut own, mut professional) = (false, false);
    for route in f.text_list("referral", true) {
        match route.value.as_str() {
            "self" => own = true,
            "professional" => professional = true,
            other => {
                let hint = suggestion(other, ["self", "professional"]);
                f.error(
                    route.pos,
                    format!(
                        "unknown referral route \"{other}\"{hint}: use `self` and/or `professional`"
                    ),
                );
            }
        }
    }
    (own, professional)
}

pub(crate) const CONTACT_FIELDS: &[&str] = &["phone", "email", "website", "text", "notes"];

pub(super) fn read_contact(
    file: &str,
    node: &yaml::Node,
    diags: &mut Diagnostics,
) -> Option<Contact> {
    let mut f = Fields::new(file, node, "the contact details", CONTACT_FIELDS, diags)?;
    let phone = f
        .optional_text("phone")
        .and_then(|p| checked_phone(&mut f, p));
    let email = f
        .optional_text("email")
        .and_then(|e| checked_email(&mut f, e));
    let website = f.web_url("website").map(|w| w.value);
    let text = f.optional_text("text").map(|t| t.value);
    let notes = f.optional_text("notes").map(|t| t.value);
    let has_route = phone.is_some() || email.is_some() || website.is_some() || text.is_some();
    // A route written but wrong is reported above; one left empty (`phone: ""`,
    // as a browser editor writes an empty box) is not written at all.
    let any_written = ["phone", "email", "website", "text"].iter().any(|k| {
        f.node(k)
            .is_some_and(|n| n.as_scalar().is_none_or(|t| !t.trim().is_empty()))
    });
    if !has_route && !any_written {
        let pos = f.pos();
        f.error(
            pos,
            "`contact` needs at least one of phone, email, website or text",
        );
    }
    f.finish();
    Some(Contact {
        phone,
        email,
        website,
        text,
        notes,
    })
}

/// A plain email address only: `?bcc=` or `&` would make a mailto link copy
/// the message to someone hidden.
fn is_plain_email(address: &str) -> bool {
    address
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.contains('@'))
        && !address.contains(|c: char| c.is_whitespace() || "<>\"':?&=%,;/\\#".contains(c))
}

pub(crate) const LOCATION_FIELDS: &[&str] = &["name", "address", "postcode", "confidential"];

pub(super) fn read_location(
    diags: &mut Diagnostics,
    file: &str,
    node: &yaml::Node,
) -> Option<Location> {
    let mut f = Fields::new(file, node, "a location", LOCATION_FIELDS, diags)?;
    let name = f.required_text("name");
    let address = f.optional_text("address");
    let postcode = f.optional_text("postcode");
    let confidential = f.guarding_bool("confidential", false);
    f.finish();
    // A refuge's address is taken out here, at the door, so no later stage can
    // publish it; it is kept aside only to refuse it wherever else it is typed.
    let (address, postcode, withheld) = if confidential {
        (None, None, address.into_iter().chain(postcode).collect())
    } else {
        (
            address.map(|t| t.value),
            postcode.map(|t| t.value),
            Vec::new(),
        )
    };
    Some(Location {
        name: name?.value,
        address,
        postcode,
        confidential,
        withheld,
    })
}

pub(crate) const HOURS_FIELDS: &[&str] = &["days", "opens", "closes"];

pub(super) fn read_hours(diags: &mut Diagnostics, file: &str, node: &yaml::Node) -> Option<Hours> {
    let mut f = Fields::new(file, node, "opening hours", HOURS_FIELDS, diags)?;
    let mut days = Vec::new();
    for day in f.text_list("days", true) {
        match Weekday::from_code(&day.value.to_ascii_lowercase()) {
            Some(d) => days.push(d),
            None => {
                let hint = suggestion(&day.value, Weekday::ALL.iter().map(|(c, _, _)| *c));
                f.error(
                    day.pos,
                    format!(
                        "unknown day \"{}\"{hint}: use mon, tue, wed, thu, fri, sat, sun",
                        day.value
                    ),
                );
            }
        }
    }
    days.sort();
    days.dedup();
    let opens = f.required_time("opens");
    let closes = f.required_time("closes");
    if let (Some((_, open, _)), Some((_, close, pos))) = (&opens, &closes)
        && close <= open
    {
        f.error(*pos, "`closes` should be later than `opens`");
    }
    f.finish();
    Some(Hours {
        days,
        opens: opens?.0,
        closes: closes?.0,
    })
}

pub(crate) const PATHWAY_FIELDS: &[&str] = &[
    "title",
    "area",
    "needs",
    "audience",
    "summary",
    "steps",
    "last_reviewed",
    "draft",
];

pub(super) fn read_pathway(
    file: &str,
    slug: String,
    node: &yaml::Node,
    body: Markdown,
    diags: &mut Diagnostics,
) -> Option<Pathway> {
    let mut f = Fields::new(file, node, "a pathway", PATHWAY_FIELDS, diags)?;
    let title = f.required_text("title");
    let area = f.required_text("area").map(|a| {
        if a.value == "all" {
            PathwayArea::All
        } else {
            PathwayArea::One(a)
        }
    });
    let needs = f.text_list("needs", false);
    let audience = f
        .optional_text("audience")
        .and_then(|a| match a.value.as_str() {
            "women" => Some(Audience::Women),
            "professionals" => Some(Audience::Professionals),
            other => {
                let hint = suggestion(other, ["women", "professionals"]);
                f.error(
                    a.pos,
                    format!("unknown audience \"{other}\"{hint}: use `women` or `professionals`"),
                );
                None
            }
        });
    let summary = f.optional_text("summary");
    // A pathway for professionals may use their words; one for women may not.
    if let Some(s) = &summary
        && audience != Some(Audience::Professionals)
    {
        warn_if_hard_to_read(&mut f, s);
    }
    let summary = summary.map(|t| t.value);
    let steps = f.list_of("steps", true, read_step);
    let last_reviewed = f.optional_date("last_reviewed").map(|d| d.value);
    let draft = f.bool_or("draft", false);
    f.finish();
    Some(Pathway {
        slug,
        file: file.to_owned(),
        title: title?.value,
        area: area?,
        needs,
        audience,
        summary,
        steps,
        last_reviewed,
        draft,
        body,
    })
}

pub(crate) const STEP_FIELDS: &[&str] = &["id", "title", "text", "services", "next", "when"];

pub(super) fn read_step(diags: &mut Diagnostics, file: &str, node: &yaml::Node) -> Option<Step> {
    let mut f = Fields::new(file, node, "a step", STEP_FIELDS, diags)?;
    let id = f.required_text("id");
    if let Some(id) = &id
        && !slug::is_valid(&id.value)
    {
        f.error(id.pos, format!("step id \"{}\" should be lower-case letters, digits and hyphens, such as `assess` or `2`", id.value));
    }
    let title = f.required_text("title");
    let text = f.optional_text("text");
    let services = f.text_list("services", false);
    // `next` written as an empty list ends the route; left out, the route goes on to
    // the following step. `node` treats `next:` with no value as left out.
    let next = f.node("next").map(|_| f.text_list("next", false));
    let when = f.optional_text("when").map(|t| t.value);
    f.finish();
    Some(Step {
        id: id?,
        title: title?.value,
        text: text.map_or_else(Markdown::default, |t| Markdown::field(t.value, t.pos)),
        services,
        next,
        when,
    })
}

pub(crate) const CASE_STUDY_FIELDS: &[&str] = &[
    "title",
    "areas",
    "needs",
    "services",
    "summary",
    "consent",
    "last_reviewed",
    "draft",
];

pub(super) fn read_case_study(
    file: &str,
    slug: String,
    node: &yaml::Node,
    body: Markdown,
    diags: &mut Diagnostics,
) -> Option<CaseStudy> {
    let mut f = Fields::new(file, node, "a case study", CASE_STUDY_FIELDS, diags)?;
    // Withdrawing consent is one edit that always builds: the story leaves the
    // site whatever else its file says, and links to it go with it.
    if let Some(consent) = f.node("consent")
        && consent.as_scalar() == Some("false")
    {
        f.warning(
            consent.pos,
            "consent is withdrawn (`consent: false`), so this story is not published and every link to it is gone",
        );
        return None;
    }
    let title = f.required_text("title");
    let areas = f.text_list("areas", true);
    let needs = f.text_list("needs", false);
    let services = f.text_list("services", false);
    let summary = f.optional_text("summary").map(|t| t.value);
    let last_reviewed = f.optional_date("last_reviewed").map(|d| d.value);
    let draft = f.bool_or("draft", false);
    let consent = if f.has_empty("consent") {
        let pos = f.key_pos("consent").unwrap_or(f.pos());
        f.error(
            pos,
            "`consent` needs a value: write `consent: true` once she has agreed (with names changed), or `consent: false` to withdraw the story",
        );
        false
    } else {
        let consent = f.bool_or("consent", false);
        if !consent && f.node("consent").is_none() {
            let pos = f.pos();
            f.error(
                pos,
                "a case study is published only with the woman's consent: add `consent: true` once she has agreed (with names changed)",
            );
        }
        consent
    };
    f.finish();
    if !consent {
        return None;
    }
    Some(CaseStudy {
        slug,
        file: file.to_owned(),
        title: title?.value,
        areas,
        needs,
        services,
        summary,
        last_reviewed,
        draft,
        body,
    })
}

pub(crate) const PAGE_FIELDS: &[&str] = &["title", "summary", "last_reviewed", "draft"];

pub(super) fn read_page(
    file: &str,
    slug: String,
    node: &yaml::Node,
    body: Markdown,
    diags: &mut Diagnostics,
) -> Option<Page> {
    let mut f = Fields::new(file, node, "a page", PAGE_FIELDS, diags)?;
    let title = f.required_text("title");
    let summary = f.optional_text("summary").map(|t| t.value);
    let last_reviewed = f.optional_date("last_reviewed").map(|d| d.value);
    let draft = f.bool_or("draft", false);
    f.finish();
    Some(Page {
        slug,
        file: file.to_owned(),
        title: title?.value,
        summary,
        last_reviewed,
        draft,
        body,
    })
}

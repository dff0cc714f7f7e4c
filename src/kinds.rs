//! The kinds of content file: the one table that says where each kind lives,
//! what its files are called, and how `signpost new` starts one. Discovery
//! (`load`), `new` and `init` (`scaffold`) and the command line all read it, so
//! a kind added here is known everywhere at once.

/// A kind of content file, by where it sits in `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ContentKind {
    /// `content/site.yaml`
    #[value(skip)]
    SiteConfig,
    /// `content/needs.yaml`
    #[value(skip)]
    Needs,
    /// `content/glossary.yaml` (optional)
    #[value(skip)]
    Glossary,
    // In the order `signpost new --help` lists them.
    Service,
    Pathway,
    CaseStudy,
    Area,
    Page,
}

impl ContentKind {
    pub const ALL: [ContentKind; 8] = [
        ContentKind::SiteConfig,
        ContentKind::Needs,
        ContentKind::Glossary,
        ContentKind::Area,
        ContentKind::Service,
        ContentKind::Pathway,
        ContentKind::CaseStudy,
        ContentKind::Page,
    ];

    /// The folder of a one-file-per-entry kind; `None` for the site-wide files.
    pub fn folder(self) -> Option<&'static str> {
        match self {
            ContentKind::SiteConfig | ContentKind::Needs | ContentKind::Glossary => None,
            ContentKind::Area => Some("areas"),
            ContentKind::Service => Some("services"),
            ContentKind::Pathway => Some("pathways"),
            ContentKind::CaseStudy => Some("case-studies"),
            ContentKind::Page => Some("pages"),
        }
    }

    /// The file of a site-wide kind, directly in `content/`.
    pub fn file_name(self) -> Option<&'static str> {
        match self {
            ContentKind::SiteConfig => Some("site.yaml"),
            ContentKind::Needs => Some("needs.yaml"),
            ContentKind::Glossary => Some("glossary.yaml"),
            _ => None,
        }
    }

    /// The extension its files take.
    pub fn extension(self) -> &'static str {
        match self {
            ContentKind::SiteConfig
            | ContentKind::Needs
            | ContentKind::Glossary
            | ContentKind::Area => "yaml",
            ContentKind::Service
            | ContentKind::Pathway
            | ContentKind::CaseStudy
            | ContentKind::Page => "md",
        }
    }

    /// Markdown files have YAML front matter and a body.
    pub fn is_markdown(self) -> bool {
        self.extension() == "md"
    }

    /// The kinds with a folder of their own, in the order editors meet them.
    pub fn with_folders() -> impl Iterator<Item = (ContentKind, &'static str)> {
        Self::ALL
            .into_iter()
            .filter_map(|k| k.folder().map(|folder| (k, folder)))
    }

    /// The file `signpost new` starts an entry of this kind from, with
    /// `{title}` and `{today}` to fill; `None` for the site-wide files.
    pub fn new_file_template(self) -> Option<&'static str> {
        match self {
            ContentKind::SiteConfig | ContentKind::Needs | ContentKind::Glossary => None,
            ContentKind::Area => Some(include_str!("scaffold/new/area.yaml")),
            ContentKind::Service => Some(include_str!("scaffold/new/service.md")),
            ContentKind::Pathway => Some(include_str!("scaffold/new/pathway.md")),
            ContentKind::CaseStudy => Some(include_str!("scaffold/new/case-study.md")),
            ContentKind::Page => Some(include_str!("scaffold/new/page.md")),
        }
    }

    /// The fields an editor must still fill in, after `new`, before `check` passes.
    pub fn fields_to_fill(self) -> &'static [&'static str] {
        match self {
            ContentKind::Service => &["organisation", "summary", "areas", "needs", "contact"],
            ContentKind::Pathway => &["area", "steps (their text and services)"],
            ContentKind::CaseStudy => &["areas", "consent (once she has agreed)"],
            ContentKind::Area => &["council"],
            ContentKind::SiteConfig
            | ContentKind::Needs
            | ContentKind::Glossary
            | ContentKind::Page => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn every_kind_that_new_makes_has_a_folder_and_a_template() {
        let words: Vec<String> = ContentKind::value_variants()
            .iter()
            .filter_map(|k| k.to_possible_value().map(|v| v.get_name().to_owned()))
            .collect();
        assert_eq!(words, ["service", "pathway", "case-study", "area", "page"]);
        for kind in ContentKind::value_variants() {
            assert!(kind.folder().is_some() && kind.new_file_template().is_some());
        }
        for kind in ContentKind::ALL {
            assert!(kind.folder().is_some() != kind.file_name().is_some());
        }
    }
}
